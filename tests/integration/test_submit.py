"""The login check and the test message against real TLS SMTP servers on 127.0.0.1."""

from __future__ import annotations

import email
import email.policy
import ssl
import threading
import time
from dataclasses import replace
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.smtp import SMTP
from servers import (
    EchoesCredentials,
    NeverAnswersRcpt,
    Pki,
    RecordingHandler,
    Refuses454OnStarttls,
    drips,
    free_port,
    never_answers_auth,
    raw_server,
    self_signed_context,
    smtp_server,
)

from app import exitcodes
from app.core.deadline import CancelToken
from app.core.demo_relay import DemoRelay, ImplicitTlsAwareSMTP
from app.core.probe.tls import sha256_fingerprint
from app.core.results import TlsMode
from app.core.settings import Password, RelaySetting
from app.core.submit import (
    SubmitError,
    SubmitErrorKind,
    check_login,
    queue_id_of,
    refusal,
    send_test_message,
)

USER = "ann@example.org"
PASSWORD = "Tr0ub4dor&3-ünïcode"
LOCALHOST = "127.0.0.1"


@pytest.fixture(scope="module")
def relay_users() -> dict[str, str]:
    return {USER: PASSWORD}


@pytest.fixture
def fresh(relay: DemoRelay) -> DemoRelay:
    relay.auth_attempts.clear()
    return relay


def setting_for(relay: DemoRelay, tls: TlsMode = TlsMode.IMPLICIT, **kw: Any) -> RelaySetting:
    port = relay.implicit_port if tls is TlsMode.IMPLICIT else relay.starttls_port
    return RelaySetting(LOCALHOST, port, tls, USER, ca_file=relay.ca_file, **kw)


def server_setting(port: int, pki: Pki, tls: TlsMode = TlsMode.STARTTLS, **kw: Any) -> RelaySetting:
    return RelaySetting(LOCALHOST, port, tls, USER, ca_file=pki.ca_file, **kw)


def failure(setting: RelaySetting, password: str = PASSWORD, **kw: Any) -> SubmitError:
    with pytest.raises(SubmitError) as caught:
        check_login(setting, Password(password), **kw)
    return caught.value


# -- the login ----------------------------------------------------------------------------------


@pytest.mark.parametrize("tls", [TlsMode.IMPLICIT, TlsMode.STARTTLS])
def test_good_login(fresh: DemoRelay, tls: TlsMode):
    result = check_login(setting_for(fresh, tls), Password(PASSWORD))
    assert result.reply.startswith("235")
    assert result.mechanism == "PLAIN"
    assert set(result.offered) == {"PLAIN", "LOGIN"}
    assert result.tls is tls and result.tls_version.startswith("TLSv1.")
    assert not result.pinned and len(result.certificate_sha256) == 95
    assert fresh.auth_attempts == ["PLAIN"]
    assert fresh.received == [] or all(m.login for m in fresh.received)  # no message sent


def test_wrong_password_is_auth_failed(fresh: DemoRelay):
    error = failure(setting_for(fresh), "not-the-password")
    assert error.kind is SubmitErrorKind.AUTH_FAILED
    assert error.code == 535
    assert "wrong user name or password" in str(error)
    assert exitcodes.FOR_SUBMIT_ERROR[error.kind] == exitcodes.AUTH_FAILED


@pytest.mark.parametrize("mechanism", ["LOGIN", "PLAIN"])
def test_forced_mechanism_is_used(fresh: DemoRelay, mechanism: str):
    result = check_login(setting_for(fresh, auth=mechanism), Password(PASSWORD))
    assert result.mechanism == mechanism
    assert fresh.auth_attempts == [mechanism]


@pytest.mark.parametrize(
    ("offered", "expected"),
    [(("LOGIN", "CRAM-MD5"), "LOGIN"), (("CRAM-MD5",), "CRAM-MD5")],
)
def test_mechanism_chosen_from_what_is_offered_after_tls(offered: tuple[str, ...], expected: str):
    with DemoRelay(users={USER: PASSWORD}, auth_mechanisms=offered) as r:
        result = check_login(setting_for(r, TlsMode.STARTTLS), Password(PASSWORD))
        assert result.mechanism == expected
        assert r.auth_attempts == [expected]
        wrong = failure(setting_for(r, TlsMode.STARTTLS), "wrong")
        assert wrong.kind is SubmitErrorKind.AUTH_FAILED


def test_forced_mechanism_not_offered_sends_no_auth(fresh: DemoRelay):
    error = failure(setting_for(fresh, auth="CRAM-MD5"))
    assert error.kind is SubmitErrorKind.MECHANISM
    assert "CRAM-MD5" in str(error)
    assert fresh.auth_attempts == []


# -- never a password without TLS ---------------------------------------------------------------


def test_server_without_tls_never_sees_auth_starttls_expected():
    with smtp_server("plain", users={USER: PASSWORD}) as server:
        setting = RelaySetting(LOCALHOST, server.port, TlsMode.STARTTLS, USER)
        error = failure(setting)
        assert error.kind is SubmitErrorKind.DOWNGRADE
        assert "downgrade" in str(error) and "No password was sent" in str(error)
        assert server.auth_seen == []
        assert exitcodes.FOR_SUBMIT_ERROR[error.kind] == exitcodes.TLS_PROBLEM


def test_server_without_tls_never_sees_auth_implicit_expected():
    with smtp_server("plain", users={USER: PASSWORD}) as server:
        error = failure(RelaySetting(LOCALHOST, server.port, TlsMode.IMPLICIT, USER), timeout=2.0)
        assert error.kind in (SubmitErrorKind.TLS_FAILED, SubmitErrorKind.UNREACHABLE)
        assert server.auth_seen == []


def test_a_setting_without_tls_is_refused_before_connecting():
    error = failure(RelaySetting(LOCALHOST, free_port(), TlsMode.NONE, USER))
    assert error.kind is SubmitErrorKind.DOWNGRADE


def test_starttls_refused_454(pki: Pki):
    with smtp_server(
        "starttls", pki.server_context(), {USER: PASSWORD}, smtp_class=Refuses454OnStarttls
    ) as server:
        error = failure(server_setting(server.port, pki))
        assert error.kind is SubmitErrorKind.TLS_FAILED
        assert error.code == 454
        assert server.auth_seen == []


def test_untrusted_certificate_sends_no_auth(pki: Pki):
    with smtp_server("starttls", pki.server_context(), {USER: PASSWORD}) as server:
        error = failure(RelaySetting(LOCALHOST, server.port, TlsMode.STARTTLS, USER))
        assert error.kind is SubmitErrorKind.CERTIFICATE
        assert server.auth_seen == []


def test_pinned_self_signed_certificate(tmp_path: Path):
    context = self_signed_context(tmp_path)
    der = ssl.PEM_cert_to_DER_cert((tmp_path / "self.pem").read_text())
    with smtp_server("implicit", context, {USER: PASSWORD}) as server:
        base = RelaySetting(LOCALHOST, server.port, TlsMode.IMPLICIT, USER)
        result = check_login(replace(base, pin_sha256=sha256_fingerprint(der)), Password(PASSWORD))
        assert result.pinned and result.certificate_sha256 == sha256_fingerprint(der)
        assert server.auth_seen == ["PLAIN"]

        error = failure(replace(base, pin_sha256="AB" * 32))
        assert error.kind is SubmitErrorKind.CERTIFICATE
        assert "not the pinned" in str(error)
        assert server.auth_seen == ["PLAIN"]  # nothing more: the wrong pin stopped it


def test_no_login_offered_after_tls(pki: Pki):
    with smtp_server(
        "starttls",
        pki.server_context(),
        {USER: PASSWORD},
        auth_exclude_mechanism=["PLAIN", "LOGIN"],
    ) as server:
        error = failure(server_setting(server.port, pki))
        assert error.kind is SubmitErrorKind.NO_LOGIN
        assert exitcodes.FOR_SUBMIT_ERROR[error.kind] == exitcodes.NO_SECURE_OPTION


class _AnswersAuth(ImplicitTlsAwareSMTP):
    reply = ""

    async def smtp_AUTH(self, arg: str) -> None:
        await self.push(self.reply)


@pytest.mark.parametrize(
    ("reply", "kind", "status"),
    [
        ("534 5.7.9 Authentication mechanism is too weak", SubmitErrorKind.MECHANISM, 6),
        ("538 5.7.11 Encryption required for requested mechanism", SubmitErrorKind.MECHANISM, 6),
        ("530 5.7.0 Must issue a STARTTLS command first", SubmitErrorKind.TLS_REQUIRED, 4),
        ("454 4.7.0 Temporary authentication failure", SubmitErrorKind.TEMPORARY, 7),
    ],
)
def test_auth_refusals_are_classified(pki: Pki, reply: str, kind: SubmitErrorKind, status: int):
    answers = type("Answers", (_AnswersAuth,), {"reply": reply})
    with smtp_server("starttls", pki.server_context(), smtp_class=answers) as server:
        error = failure(server_setting(server.port, pki))
        assert error.kind is kind
        assert error.code == int(reply[:3])
        assert reply[4:] in error.text
        assert exitcodes.FOR_SUBMIT_ERROR[error.kind] == status


def test_a_server_echoing_the_password_does_not_put_it_in_the_error(pki: Pki):
    with smtp_server("starttls", pki.server_context(), smtp_class=EchoesCredentials) as server:
        error = failure(server_setting(server.port, pki))
        assert error.kind is SubmitErrorKind.AUTH_FAILED
        assert USER in error.text  # the echo arrived ...
        for text in (str(error), repr(error), error.text, repr(error.to_json()), repr(error.args)):
            assert PASSWORD not in text  # ... without the password


def test_unreachable_port():
    error = failure(RelaySetting(LOCALHOST, free_port(), TlsMode.STARTTLS, USER))
    assert error.kind is SubmitErrorKind.UNREACHABLE
    assert exitcodes.FOR_SUBMIT_ERROR[error.kind] == exitcodes.UNREACHABLE


def test_dripping_server_is_cut_by_the_deadline():
    with raw_server(drips) as port:
        error = failure(RelaySetting(LOCALHOST, port, TlsMode.STARTTLS, USER), deadline=0.5)
        assert error.kind is SubmitErrorKind.TIMEOUT


# -- Cancel ------------------------------------------------------------------------------------
# Long limits: only the cancel can end these quickly. The bound below is far under them, so it
# proves the cancel ended the work without timing it.
_PATIENT = {"timeout": 60.0, "deadline": 120.0}
_LONG_BEFORE = 30.0


def cancel_when(reached: threading.Event) -> CancelToken:
    """A token that another thread cancels once the server is stuck where the test wants."""
    token = CancelToken()

    def watch() -> None:
        if reached.wait(30):
            token.cancel()

    threading.Thread(target=watch, daemon=True).start()
    return token


def test_cancel_stops_a_login_the_server_never_answers(pki: Pki):
    stuck, reached = never_answers_auth()
    with smtp_server("starttls", pki.server_context(), smtp_class=stuck) as server:
        token = cancel_when(reached)
        started = time.monotonic()
        error = failure(server_setting(server.port, pki), cancel=token, **_PATIENT)
        assert time.monotonic() - started < _LONG_BEFORE
    assert error.kind is SubmitErrorKind.CANCELLED and error.phase == "auth"
    assert exitcodes.FOR_SUBMIT_ERROR[error.kind] == exitcodes.CANCELLED == 130
    assert PASSWORD not in str(error) and PASSWORD not in repr(error.to_json())


def test_cancel_stops_a_test_message_the_server_never_answers(pki: Pki):
    handler = NeverAnswersRcpt()
    with smtp_server("starttls", pki.server_context(), {USER: PASSWORD}, handler=handler) as server:
        token = cancel_when(handler.reached)
        started = time.monotonic()
        with pytest.raises(SubmitError) as caught:
            send_test_message(
                server_setting(server.port, pki), Password(PASSWORD), cancel=token, **_PATIENT
            )
        assert time.monotonic() - started < _LONG_BEFORE
    assert caught.value.kind is SubmitErrorKind.CANCELLED and caught.value.phase == "mail"
    assert handler.messages == []


def test_a_cancelled_token_sends_nothing(fresh: DemoRelay):
    token = CancelToken()
    token.cancel()
    error = failure(setting_for(fresh), cancel=token)
    assert error.kind is SubmitErrorKind.CANCELLED
    assert fresh.auth_attempts == []


# -- the test message ----------------------------------------------------------------------------


@pytest.mark.parametrize("tls", [TlsMode.IMPLICIT, TlsMode.STARTTLS])
def test_test_message_arrives_intact(fresh: DemoRelay, tls: TlsMode):
    sent = send_test_message(setting_for(fresh, tls), Password(PASSWORD))
    assert sent.reply.startswith("250 2.0.0 Ok: queued as ")
    assert sent.queue_id and sent.reply.endswith(sent.queue_id)
    assert sent.mechanism == "PLAIN" and sent.to == USER and sent.mail_from == USER

    received = fresh.wait_for_message(sent.queue_id)
    assert received is not None
    assert received.mail_from == USER and received.rcpt_tos == (USER,)
    assert received.login == USER and received.tls
    message = email.message_from_bytes(received.content, policy=email.policy.default)
    assert message["Message-ID"] == sent.message_id
    assert message["From"] == USER and message["To"] == USER
    assert "test message" in message["Subject"].lower()
    assert parsedate_to_datetime(message["Date"]).tzinfo is not None
    body = message.get_content()
    assert "Relay Setup" in body and f"port {setting_for(fresh, tls).port}" in body


def test_test_message_to_another_address(fresh: DemoRelay):
    sent = send_test_message(setting_for(fresh), Password(PASSWORD), to="it-desk@elsewhere.net")
    received = fresh.wait_for_message(sent.queue_id or "")
    assert received is not None and received.rcpt_tos == ("it-desk@elsewhere.net",)


def test_sender_not_owned_is_refused(fresh: DemoRelay):
    setting = setting_for(fresh, mail_from="boss@example.org")
    with pytest.raises(SubmitError) as caught:
        send_test_message(setting, Password(PASSWORD))
    error = caught.value
    assert error.kind is SubmitErrorKind.SENDER_REFUSED and error.code == 553
    assert "not owned by user" in error.text
    assert exitcodes.FOR_SUBMIT_ERROR[error.kind] == exitcodes.SEND_REFUSED


class _RcptHandler(RecordingHandler):
    def __init__(self, reply: str) -> None:
        super().__init__()
        self.reply = reply

    async def handle_RCPT(self, server: SMTP, session: Any, envelope: Any, address: str, *_: Any):
        return self.reply.format(address=address)


@pytest.mark.parametrize(
    ("reply", "kind", "status"),
    [
        ("554 5.7.1 <{address}>: Relay access denied", SubmitErrorKind.RELAY_DENIED, 8),
        ("550 5.1.1 <{address}>: Recipient address rejected", SubmitErrorKind.RECIPIENT_REFUSED, 8),
        # stock Postfix (smtpd_relay_restrictions ending in defer_unauth_destination): soft code
        ("454 4.7.1 <{address}>: Relay access denied", SubmitErrorKind.RELAY_DENIED, 8),
        (
            "450 4.2.0 <{address}>: Recipient address rejected: Greylisted",
            SubmitErrorKind.TEMPORARY,
            7,
        ),
    ],
)
def test_recipient_refusals(pki: Pki, reply: str, kind: SubmitErrorKind, status: int):
    handler = _RcptHandler(reply)
    with smtp_server("starttls", pki.server_context(), {USER: PASSWORD}, handler=handler) as server:
        with pytest.raises(SubmitError) as caught:
            send_test_message(server_setting(server.port, pki), Password(PASSWORD))
        assert caught.value.kind is kind
        assert exitcodes.FOR_SUBMIT_ERROR[kind] == status
        assert handler.messages == []


def test_message_too_large(pki: Pki):
    with smtp_server(
        "starttls", pki.server_context(), {USER: PASSWORD}, data_size_limit=100
    ) as server:
        with pytest.raises(SubmitError) as caught:
            send_test_message(server_setting(server.port, pki), Password(PASSWORD))
        assert caught.value.kind is SubmitErrorKind.TOO_LARGE and caught.value.code == 552


def test_user_without_address_needs_from(fresh: DemoRelay):
    setting = replace(setting_for(fresh), user="ann")
    with pytest.raises(SubmitError) as caught:
        send_test_message(setting, Password(PASSWORD))
    assert caught.value.kind is SubmitErrorKind.BAD_ADDRESS
    assert fresh.auth_attempts == []  # refused before connecting


# -- small pieces ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("step", "code", "text", "kind"),
    [
        ("rcpt", 454, "4.7.1 <a@b.org>: Relay access denied", SubmitErrorKind.RELAY_DENIED),
        ("rcpt", 554, "5.7.1 <a@b.org>: RELAY ACCESS DENIED", SubmitErrorKind.RELAY_DENIED),
        ("rcpt", 451, "4.3.0 <a@b.org>: Temporary lookup failure", SubmitErrorKind.TEMPORARY),
        ("mail", 454, "4.7.1 Relay access denied", SubmitErrorKind.TEMPORARY),
    ],
)
def test_relay_denial_is_read_from_its_words(
    step: str, code: int, text: str, kind: SubmitErrorKind
):
    error = refusal(step, code, text.encode())
    assert error.kind is kind and error.code == code and error.text == text


def test_every_error_kind_has_an_exit_status():
    assert set(exitcodes.FOR_SUBMIT_ERROR) == set(SubmitErrorKind)


@pytest.mark.parametrize(
    ("reply", "queue_id"),
    [
        ("250 2.0.0 Ok: queued as 4XyZ1b2C3d", "4XyZ1b2C3d"),
        ("250 OK id=1tA2bC-000123-4x", "1tA2bC-000123-4x"),
        ("250 2.0.0 Message accepted for delivery", None),
    ],
)
def test_queue_id_of(reply: str, queue_id: str | None):
    assert queue_id_of(reply) == queue_id


def test_results_hold_no_password(fresh: DemoRelay):
    sent = send_test_message(setting_for(fresh), Password(PASSWORD))
    assert PASSWORD not in repr(sent) and PASSWORD not in repr(sent.to_json())


@pytest.mark.parametrize("to", ["not-an-address", "jörg@example.org", "a b@example.org"])
def test_unusable_recipient_is_refused_before_connecting(fresh: DemoRelay, to: str):
    with pytest.raises(SubmitError) as caught:
        send_test_message(setting_for(fresh), Password(PASSWORD), to=to)
    assert caught.value.kind is SubmitErrorKind.BAD_ADDRESS
    assert fresh.auth_attempts == []


def test_unreadable_ca_file_is_a_certificate_problem(fresh: DemoRelay, tmp_path: Path):
    error = failure(replace(setting_for(fresh), ca_file=str(tmp_path / "missing.pem")))
    assert error.kind is SubmitErrorKind.CERTIFICATE and "missing.pem" in str(error)
    assert fresh.auth_attempts == []
