"""What the end-to-end tests read back after a send: the message Postfix holds, and the password
as msmtp's libsecret lookup finds it in the keyring."""

from __future__ import annotations

import subprocess
from email import message_from_bytes, policy

from postfix_relay import Relay, User


def new_queue_id(relay: Relay, before: set[str]) -> str:
    added = relay.held_queue_ids() - before
    assert len(added) == 1, f"expected one new message on hold, found {sorted(added)}"
    return added.pop()


def assert_held(
    relay: Relay, queue_id: str, user: User, rcpt: str, subject: str, sender: str
) -> None:
    """The message on hold came from `user`, logged in over TLS, with this envelope."""
    envelope = relay.envelope(queue_id).splitlines()
    assert f"named_attribute: sasl_username={user.name}" in envelope  # logged in as the user
    assert f"sender: {sender}" in envelope
    assert f"recipient: {rcpt}" in envelope
    stored = message_from_bytes(relay.message(queue_id), policy=policy.default)
    assert "with ESMTPSA" in stored["Received"]
    assert stored["Subject"] == subject


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
