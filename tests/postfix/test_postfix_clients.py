"""The real mail clients, set up by the program, sending through the real Postfix."""

from __future__ import annotations

import os
import pwd
import re
import shutil
import subprocess
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from postfix_program import relay_setup, store_password
from postfix_relay import Relay, User
from tmux_screen import Screen


def write_settings(
    relay: Relay, env: dict[str, str], client: str, user: User, port: int, tls: str
) -> list[Path]:
    """`relay-setup write CLIENT ...`; the files it wrote."""
    done = relay_setup(
        env,
        "write",
        client,
        "--host",
        "localhost",
        "--port",
        str(port),
        "--tls",
        tls,
        "--user",
        user.name,
        "--from",
        f"{user.name}@example.org",
        "--ca",
        relay.ca_file,
    )
    assert done.returncode == 0, done.stderr
    assert user.password not in done.stdout + done.stderr
    written = re.findall(r"^wrote (\S+)", done.stdout, re.MULTILINE)
    assert written, done.stdout
    return [Path(path) for path in written]


def new_queue_id(relay: Relay, before: set[str]) -> str:
    added = relay.held_queue_ids() - before
    assert len(added) == 1, f"expected one new message on hold, found {sorted(added)}"
    return added.pop()


def assert_held(
    relay: Relay, queue_id: str, user: User, rcpt: str, subject: str, sender: str | None
) -> None:
    envelope = relay.envelope(queue_id).splitlines()
    assert f"named_attribute: sasl_username={user.name}" in envelope  # logged in as the user
    if sender is not None:
        assert f"sender: {sender}" in envelope
    assert f"recipient: {rcpt}" in envelope
    stored = message_from_bytes(relay.message(queue_id), policy=policy.default)
    assert "with ESMTPSA" in stored["Received"]
    assert stored["Subject"] == subject


@pytest.mark.parametrize("tls", ["starttls", "implicit"])
def test_msmtp_sends_with_the_written_account_and_the_keyrings_password(
    relay: Relay, env: dict[str, str], home: Path, tls: str
) -> None:
    msmtp = shutil.which("msmtp")
    if msmtp is None:
        pytest.skip("msmtp is not installed (tests/setup.sh installs it)")
    user = relay.users[0]
    store_password(env, user)
    port = relay.starttls_port if tls == "starttls" else relay.implicit_port
    (config,) = write_settings(relay, env, "msmtp", user, port, tls)
    assert config == home / ".msmtprc"  # msmtp's own choice for a new configuration
    text = config.read_text()
    assert user.password not in text
    assert not re.search(r"^\s*password", text, re.MULTILINE)  # msmtp asks the keyring

    rcpt, subject = "colleague@example.net", f"from msmtp over {tls}"
    before = relay.held_queue_ids()
    done = subprocess.run(
        [msmtp, "--read-envelope-from", rcpt],
        input=f"From: {user.name}@example.org\nTo: {rcpt}\nSubject: {subject}\n\nHello.\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    queue_id = new_queue_id(relay, before)
    assert_held(relay, queue_id, user, rcpt, subject, sender=f"{user.name}@example.org")


def keyring_password(env: dict[str, str], user: User) -> str:
    """The password as msmtp's libsecret lookup finds it in the keyring (not from the test)."""
    done = subprocess.run(
        ["secret-tool", "lookup", "host", "localhost", "service", "smtp", "user", user.name],
        capture_output=True,
        text=True,
        env=env,
        timeout=30,
        check=False,
    )
    assert done.returncode == 0, f"the keyring has no password for {user.name}: {done.stderr}"
    return done.stdout


def files_holding(folder: Path, secret: str) -> list[Path]:
    needle = secret.encode()
    return [p for p in folder.rglob("*") if p.is_file() and needle in p.read_bytes()]


@pytest.mark.parametrize("tls", ["starttls", "implicit"])
def test_alpine_under_tmux_sends_with_the_written_settings_and_the_keyrings_password(
    relay: Relay, env: dict[str, str], home: Path, tmp_path: Path, tls: str
) -> None:
    for program in ("alpine", "tmux", "secret-tool"):
        if shutil.which(program) is None:
            pytest.skip(f"{program} is not installed (tests/setup.sh installs it)")
    user = relay.users[0]
    store_password(env, user)
    port = relay.starttls_port if tls == "starttls" else relay.implicit_port
    # The user's own pinerc, which the program must merge into and keep.
    (home / ".pinerc").write_text("# my settings\nuser-domain=example.org\n")
    pinerc, certs = write_settings(relay, env, "alpine", user, port, tls)
    assert "user-domain=example.org\n" in pinerc.read_text()
    assert pinerc == home / ".pinerc"
    switch = "tls" if tls == "starttls" else "ssl"
    assert f"smtp-server=localhost:{port}/{switch}/user={user.name}" in pinerc.read_text()
    assert certs == home / ".alpine-certs" / "certs.pem"  # how Alpine trusts the private CA
    password = keyring_password(env, user)

    rcpt, subject = "colleague@example.net", f"from Alpine over {tls}"
    before = relay.held_queue_ids()
    screen = Screen(tmp_path / "tmux.sock", env)
    try:
        url = f"mailto:{rcpt}?subject={subject.replace(' ', '%20')}"
        screen.start(["alpine", "-p", str(pinerc), "-url", url])
        screen.wait_for("Message Text")
        screen.type("Hello from Alpine, through the relay.")
        screen.keys("C-x")
        screen.wait_for("Send message?")
        screen.keys("y")
        prompt = screen.wait_for("ENTER PASSWORD")
        assert f"HOST: localhost:{port}  USER: {user.name}" in prompt
        screen.type(password)
        screen.keys("Enter")
        # Alpine offers to keep the password in its own file: never.
        sent = lambda: bool(relay.held_queue_ids() - before)  # noqa: E731
        if not sent():
            screen.wait_for(lambda: sent() or "Preserve password" in screen.text())
            if not sent():
                screen.keys("n")
                screen.wait_for(sent)
    finally:
        screen.close()

    queue_id = new_queue_id(relay, before)
    # Alpine's From is the login name of the Unix user at user-domain: not the relay's user.
    unix_user = pwd.getpwuid(os.getuid()).pw_name
    assert_held(relay, queue_id, user, rcpt, subject, sender=f"{unix_user}@example.org")
    body = message_from_bytes(relay.message(queue_id), policy=policy.default).get_content()
    assert "Hello from Alpine, through the relay." in body
    assert files_holding(home, password) == []
