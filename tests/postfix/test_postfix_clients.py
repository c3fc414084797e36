"""The real mail clients, set up by the program, sending through the real Postfix."""

from __future__ import annotations

import re
import shutil
import subprocess
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from postfix_program import relay_setup, store_password
from postfix_relay import Relay, User


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


def assert_held(relay: Relay, queue_id: str, user: User, rcpt: str, subject: str) -> None:
    envelope = relay.envelope(queue_id).splitlines()
    assert f"named_attribute: sasl_username={user.name}" in envelope  # logged in as the user
    assert f"sender: {user.name}@example.org" in envelope
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
    assert_held(relay, new_queue_id(relay, before), user, rcpt, subject)
