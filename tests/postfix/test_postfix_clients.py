"""The real mail clients, set up by the program, sending through the real Postfix."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from checks import assert_held, keyring_password, new_queue_id
from leakscan import files_holding
from marionette import Marionette
from postfix_program import relay_setup, store_password, write_client
from postfix_relay import Relay, User
from programs.tmux import Tmux


def write_settings(
    relay: Relay, env: dict[str, str], client: str, user: User, port: int, tls: str
) -> list[Path]:
    """`relay-setup write CLIENT ...`; the files it wrote."""
    out = write_client(env, client, user, port, tls, relay.ca_file)
    written = re.findall(r"^wrote (\S+)", out, re.MULTILINE)
    assert written, out
    return [Path(path) for path in written]


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

    def send() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [msmtp, "--read-envelope-from", rcpt],
            input=f"From: {user.name}@example.org\nTo: {rcpt}\nSubject: {subject}\n\nHello.\n",
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
            check=False,
        )

    before = relay.held_queue_ids()
    done = send()
    assert done.returncode == 0, done.stderr
    queue_id = new_queue_id(relay, before)
    assert_held(relay, queue_id, user, rcpt, subject, sender=f"{user.name}@example.org")

    # The keyring was msmtp's only source of the password: without the entry, nothing is sent.
    deleted = relay_setup(env, "password", "delete", "--host", "localhost", "--user", user.name)
    assert deleted.returncode == 0, deleted.stderr
    before = relay.held_queue_ids()
    refused = send()
    assert refused.returncode != 0
    assert "password" in refused.stderr, refused.stderr
    assert relay.held_queue_ids() == before


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
    # The user's own pinerc, which the program must merge into and keep. Without a From of
    # ours, Alpine would send as <Unix user>@user-domain, which the relay refuses. Its folders
    # go in this HOME: Alpine took their home from the password file (/root), not $HOME.
    (home / ".pinerc").write_text(
        "# my settings\nuser-domain=example.org\npersonal-name=Al\n"
        f"folder-collections=Mail {home}/mail/[]\n"
    )
    pinerc, certs = write_settings(relay, env, "alpine", user, port, tls)
    email = f"{user.name}@example.org"
    assert "user-domain=example.org\npersonal-name=Al\n" in pinerc.read_text()
    assert f"customized-hdrs=From: Al <{email}>\n" in pinerc.read_text()
    assert pinerc == home / ".pinerc"
    switch = "tls" if tls == "starttls" else "ssl"
    assert f"smtp-server=localhost:{port}/{switch}/user={user.name}" in pinerc.read_text()
    assert certs == home / ".alpine-certs" / "certs.pem"  # how Alpine trusts the private CA
    password = keyring_password(env, user)

    rcpt, subject = "colleague@example.net", f"from Alpine over {tls}"
    before = relay.held_queue_ids()
    screen = Tmux(tmp_path / "tmux.sock", env)
    try:
        url = f"mailto:{rcpt}?subject={subject.replace(' ', '%20')}"
        screen.start("alpine", "-p", str(pinerc), "-url", url)
        screen.wait_for("Message Text")
        screen.type("Hello from Alpine, through the relay.")
        screen.keys("C-x")
        screen.wait_for("Send message?")
        screen.keys("y")
        # A first run: Alpine asks to create the folder for its copy of what was sent. Yes.
        screen.wait_for('Folder "sent-mail" doesn\'t exist.  Create?')
        screen.keys("y")
        prompt = screen.wait_for("ENTER PASSWORD")
        assert f"HOST: localhost:{port}  USER: {user.name}" in prompt
        screen.type(password)
        screen.keys("Enter")
        # Alpine offers to keep the password in its own file: never.
        sent = lambda: bool(relay.held_queue_ids() - before)  # noqa: E731
        if not sent():
            screen.wait_for(lambda: sent() or "Preserve password" in screen.screen())
            if not sent():
                screen.keys("n")
                screen.wait_for(sent)
    finally:
        screen.close()

    queue_id = new_queue_id(relay, before)
    # The envelope sender and the From header are the user's address, not the Unix user's.
    assert_held(relay, queue_id, user, rcpt, subject, sender=email)
    stored = message_from_bytes(relay.message(queue_id), policy=policy.default)
    assert [(a.display_name, a.addr_spec) for a in stored["From"].addresses] == [("Al", email)]
    assert "Hello from Alpine, through the relay." in stored.get_content()
    assert subject in (home / "mail" / "sent-mail").read_text()  # the copy, in the user's folder
    assert files_holding(home, [password.encode()]) == []


def thunderbird_profile(home: Path, email: str) -> Path:
    """A user's Thunderbird profile: one account (Local Folders) with the identity `email`."""
    root = home / ".thunderbird"
    profile = root / "p1.default"
    profile.mkdir(parents=True)
    (root / "profiles.ini").write_text(
        "[General]\nStartWithLastProfile=1\nVersion=2\n\n"
        "[Profile0]\nName=default\nIsRelative=1\nPath=p1.default\nDefault=1\n"
    )
    prefs = {
        "mail.accountmanager.accounts": "account1",
        "mail.accountmanager.defaultaccount": "account1",
        "mail.account.account1.identities": "id1",
        "mail.account.account1.server": "server1",
        "mail.identity.id1.fullName": "Alice",
        "mail.identity.id1.useremail": email,
        "mail.server.server1.type": "none",
        "mail.server.server1.hostname": "Local Folders",
        "mail.server.server1.name": "Local Folders",
        "mail.server.server1.userName": "nobody",
    }
    lines = "".join(f'user_pref("{name}", "{value}");\n' for name, value in prefs.items())
    (profile / "prefs.js").write_text("// Mozilla User Preferences\n\n" + lines)
    return profile


# Marionette's chrome context (privileged JavaScript) needs -remote-allow-system-access.
THUNDERBIRD = (
    "thunderbird",
    "--headless",
    "--no-remote",
    "--marionette",
    "-remote-allow-system-access",
)


@contextmanager
def thunderbird(profile: Path, env: dict[str, str], log: Path) -> Iterator[Marionette]:
    """Thunderbird, headless, with Marionette on a free port; quit and reaped afterwards."""
    (profile / "user.js").write_text('user_pref("marionette.port", 0);\n')  # 0: any free port
    port_file = profile / "MarionetteActivePort"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [*THUNDERBIRD, "--profile", str(profile)],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its content processes join its own group
        )
    try:
        end = time.monotonic() + 90
        while not (port_file.exists() and port_file.read_text().strip()):
            if process.poll() is not None or time.monotonic() > end:
                raise AssertionError(f"Thunderbird did not start Marionette:\n{log.read_text()}")
            time.sleep(0.1)
        client = Marionette(int(port_file.read_text()))
        try:
            client.command("WebDriver:NewSession", {"capabilities": {}})
            yield client
            client.command("Marionette:Quit", {"flags": ["eForceQuit"]})
        finally:
            client.close()
        process.wait(30)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(30)


@pytest.mark.parametrize("tls", ["starttls", "implicit"])
def test_thunderbird_sends_with_the_written_server_the_ca_and_the_keyrings_password(
    relay: Relay, env: dict[str, str], home: Path, tmp_path: Path, tls: str
) -> None:
    for program in ("thunderbird", "certutil", "secret-tool"):
        if shutil.which(program) is None:
            pytest.skip(f"{program} is not installed (tests/setup.sh installs it)")
    user = relay.users[0]
    email = f"{user.name}@example.org"
    store_password(env, user)
    profile = thunderbird_profile(home, email)
    port = relay.starttls_port if tls == "starttls" else relay.implicit_port
    (prefs,) = write_settings(relay, env, "thunderbird", user, port, tls)
    assert prefs == profile / "prefs.js"
    assert user.password not in prefs.read_text()
    password = keyring_password(env, user)  # what the user types at Thunderbird's prompt

    rcpt, subject = "colleague@example.net", f"from Thunderbird over {tls}"
    message = tmp_path / "message.eml"
    message_id = f"<thunderbird-{tls}-{user.name}@example.org>"
    message.write_bytes(
        f"From: Alice <{email}>\r\nTo: {rcpt}\r\nSubject: {subject}\r\n"
        f"Message-ID: {message_id}\r\n\r\nHello from Thunderbird.\r\n".encode()
    )
    before = relay.held_queue_ids()
    script = (Path(__file__).parent / "thunderbird_send.js").read_text()
    with thunderbird(profile, env, tmp_path / "thunderbird.log") as client:
        done = client.run_chrome_script(script, [email, str(message), rcpt, password])

    assert "error" not in done, done
    # What Thunderbird itself read from the prefs the program wrote (try_ssl 2/3, password 3).
    assert done["settings"] == {
        "key": "smtp1",
        "hostname": "localhost",
        "port": port,
        "socketType": 2 if tls == "starttls" else 3,
        "authMethod": 3,
        "username": user.name,
    }
    assert done["outcome"] == {"status": 0, "errorMessage": None}
    queue_id = new_queue_id(relay, before)
    assert_held(relay, queue_id, user, rcpt, subject, sender=email)
    stored = message_from_bytes(relay.message(queue_id), policy=policy.default)
    assert stored["Message-ID"] == message_id
    assert stored.get_content().strip() == "Hello from Thunderbird."
