"""The login check and the test message, through the program, against the real Postfix."""

from __future__ import annotations

import json
from email import message_from_bytes, policy

import pytest
from postfix_program import relay_setup, store_password
from postfix_relay import Relay

from app.core.results import TlsMode
from app.core.settings import RelaySetting
from app.core.submit import build_test_message


def login(relay: Relay, env: dict[str, str], user: str, *extra: str, stdin: str | None = None):
    done = relay_setup(
        env,
        "login",
        "--host",
        "localhost",
        "--user",
        user,
        "--ca",
        relay.ca_file,
        "--json",
        *extra,
        stdin=stdin,
    )
    return done.returncode, json.loads(done.stdout), done.stderr


@pytest.mark.parametrize("tls", ["starttls", "implicit"])
def test_login_with_the_keyrings_password_passes(
    relay: Relay, env: dict[str, str], tls: str
) -> None:
    user = relay.users[0]
    store_password(env, user)
    port = relay.starttls_port if tls == "starttls" else relay.implicit_port
    status, result, _ = login(relay, env, user.name, "--port", str(port), "--tls", tls)
    assert status == 0
    assert result["ok"] is True
    assert result["login"]["reply"] == "235 2.7.0 Authentication successful"
    assert result["login"]["mechanism"] == "PLAIN"
    assert result["login"]["offered"] == ["PLAIN", "LOGIN"]
    assert result["login"]["tls"] == tls
    assert result["login"]["pinned"] is False  # verified with the private CA


def test_login_with_a_non_ascii_password_and_the_login_mechanism(
    relay: Relay, env: dict[str, str]
) -> None:
    user = relay.users[1]  # its password holds a space, '&' and 'é'
    status, result, _ = login(
        relay,
        env,
        user.name,
        "--port",
        str(relay.starttls_port),
        "--auth",
        "LOGIN",
        "--password-stdin",
        stdin=user.password + "\n",
    )
    assert (status, result["ok"]) == (0, True)
    assert result["login"]["mechanism"] == "LOGIN"
    assert result["login"]["reply"] == "235 2.7.0 Authentication successful"


def test_a_wrong_password_gets_postfixs_535_and_its_own_exit_status(
    relay: Relay, env: dict[str, str]
) -> None:
    user = relay.users[0]
    status, result, stderr = login(
        relay,
        env,
        user.name,
        "--port",
        str(relay.implicit_port),
        "--tls",
        "implicit",
        "--password-stdin",
        stdin="not the password\n",
    )
    assert status == 6  # AUTH_FAILED
    assert result["ok"] is False
    assert result["error"]["kind"] == "auth_failed"
    assert result["error"]["code"] == 535
    assert result["error"]["text"] == "5.7.8 Error: authentication failed: authentication failure"
    assert "not the password" not in json.dumps(result) + stderr


def test_the_test_message_is_queued_with_postfixs_id_and_found_intact(
    relay: Relay, env: dict[str, str]
) -> None:
    user = relay.users[0]
    store_password(env, user)
    sender, rcpt = f"{user.name}@example.org", "it-desk@example.net"
    done = relay_setup(
        env,
        "send-test",
        "--host",
        "localhost",
        "--port",
        str(relay.starttls_port),
        "--user",
        user.name,
        "--ca",
        relay.ca_file,
        "--from",
        sender,
        "--to",
        rcpt,
        "--json",
    )
    assert done.returncode == 0, done.stderr
    sent = json.loads(done.stdout)["sent"]
    queue_id = sent["queue_id"]
    assert sent["reply"] == f"250 2.0.0 Ok: queued as {queue_id}"
    assert queue_id in relay.held_queue_ids()

    envelope = relay.envelope(queue_id).splitlines()
    assert f"sender: {sender}" in envelope
    assert f"recipient: {rcpt}" in envelope
    assert f"named_attribute: sasl_username={user.name}" in envelope

    stored = message_from_bytes(relay.message(queue_id), policy=policy.default)
    assert "with ESMTPSA" in stored["Received"]  # smtpd_tls_received_header: TLS, logged in
    assert "using TLSv1.3" in stored["Received"]
    assert stored["Message-ID"] == sent["message_id"]
    assert (stored["From"], stored["To"]) == (sender, rcpt)
    assert stored["Subject"] == "Relay Setup test message"
    setting = RelaySetting("localhost", relay.starttls_port, TlsMode.STARTTLS, user.name)
    expected = build_test_message(setting, sender, rcpt)
    assert stored.get_content() == expected.get_content()


def test_no_password_goes_to_the_port_without_tls(relay: Relay, env: dict[str, str]) -> None:
    user = relay.users[0]
    offset = relay.log_offset()
    status, result, _ = login(
        relay,
        env,
        user.name,
        "--port",
        str(relay.plain_port),
        "--tls",
        "starttls",
        "--password-stdin",
        stdin=user.password + "\n",
    )
    assert status == 4  # TLS problem: STARTTLS expected and missing, a possible downgrade
    assert result["error"]["kind"] == "downgrade"
    # Postfix saw us come and go, and never saw an AUTH command.
    new_lines = relay.log_after(offset, "disconnect from localhost[127.0.0.1]")
    assert "auth=" not in new_lines
    assert "starttls=" not in new_lines
