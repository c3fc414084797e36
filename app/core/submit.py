"""Prove the user can use the relay: a login check (EHLO, TLS, EHLO, AUTH, QUIT) and a test
message, each failure classified so that a person can act on it.

AUTH is only ever sent over TLS whose certificate verifies (or matches the setting's pin),
checked before the first AUTH byte leaves.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import re
import smtplib
import ssl
import time
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import formatdate, make_msgid
from typing import Any

from .deadline import CancelToken, Deadline, DeadlineExceeded
from .explain import error_text
from .failures import KIND_FOR_STATUS, SubmitErrorKind
from .probe.connection import AddressResolver, GuardedSMTP, Phase, classify, decode_reply
from .probe.tls import (
    describe_certificate,
    inspecting_context,
    normalize_fingerprint,
    verifying_context,
)
from .results import USABLE_MECHANISMS, TlsMode
from .settings import Password, RelaySetting


class SubmitError(Exception):
    """A classified failure of a login check or test message: `kind`, the server's `code` and
    `text` (when it answered), the `phase`, and `explanation` in plain words."""

    def __init__(
        self,
        kind: SubmitErrorKind,
        detail: str = "",
        *,
        code: int | None = None,
        text: str = "",
        phase: str = "",
    ) -> None:
        self.kind = kind
        self.code = code
        self.text = text
        self.phase = phase
        self.detail = detail
        self.explanation_text = error_text(kind)  # for a front end to word and translate
        self.explanation = str(self.explanation_text)
        super().__init__(self.message)

    @property
    def message(self) -> str:
        said = f"{self.code} {self.text}".strip() if self.code is not None else self.text
        parts = (self.detail, f"server said: {said}" if said else "")
        extra = "; ".join(part for part in parts if part)
        return f"{self.explanation} ({extra})" if extra else self.explanation

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "explanation": self.explanation,
            "detail": self.detail or None,
            "code": self.code,
            "text": self.text or None,
            "phase": self.phase or None,
        }


@dataclass(frozen=True)
class LoginResult:
    host: str
    port: int
    tls: TlsMode
    user: str
    mechanism: str  # the one used
    offered: tuple[str, ...]  # AUTH mechanisms offered after TLS
    reply: str  # the server's answer to AUTH: "235 2.7.0 Authentication successful"
    tls_version: str
    cipher: str
    certificate_sha256: str
    pinned: bool  # trusted by the setting's pin rather than by a CA
    elapsed_ms: int
    implicit_fallback: bool = False  # asked for STARTTLS; the port never greeted, spoke TLS

    def to_json(self) -> dict[str, Any]:
        return {
            "host": self.host,
            "port": self.port,
            "tls": self.tls.value,
            "user": self.user,
            "mechanism": self.mechanism,
            "offered": list(self.offered),
            "reply": self.reply,
            "tls_version": self.tls_version,
            "cipher": self.cipher,
            "certificate_sha256": self.certificate_sha256,
            "pinned": self.pinned,
            "implicit_fallback": self.implicit_fallback,
            "elapsed_ms": self.elapsed_ms,
        }


@dataclass(frozen=True)
class SendResult:
    login: LoginResult
    mail_from: str
    to: str
    message_id: str  # <...@...>, as in the message's header
    reply: str  # the server's final answer to DATA
    queue_id: str | None  # Postfix's "queued as 4XyZ...", when the server gives one
    elapsed_ms: int

    @property
    def mechanism(self) -> str:
        return self.login.mechanism

    def to_json(self) -> dict[str, Any]:
        return {
            "login": self.login.to_json(),
            "from": self.mail_from,
            "to": self.to,
            "message_id": self.message_id,
            "reply": self.reply,
            "queue_id": self.queue_id,
            "elapsed_ms": self.elapsed_ms,
        }


# -- classification ---------------------------------------------------------------------------


# What a refusal means, by the step it answers (after the 4xx rule: temporary).
_REFUSALS: dict[str, dict[int, SubmitErrorKind]] = {
    "auth": {
        535: SubmitErrorKind.AUTH_FAILED,
        534: SubmitErrorKind.MECHANISM,
        538: SubmitErrorKind.MECHANISM,
        504: SubmitErrorKind.MECHANISM,
        530: SubmitErrorKind.TLS_REQUIRED,
    },
    "mail": {
        553: SubmitErrorKind.SENDER_REFUSED,
        550: SubmitErrorKind.SENDER_REFUSED,
        552: SubmitErrorKind.TOO_LARGE,
        530: SubmitErrorKind.RELAY_DENIED,  # "Authentication required"
    },
    "rcpt": {
        554: SubmitErrorKind.RELAY_DENIED,
        550: SubmitErrorKind.RECIPIENT_REFUSED,
        553: SubmitErrorKind.RECIPIENT_REFUSED,
        552: SubmitErrorKind.TOO_LARGE,
        530: SubmitErrorKind.RELAY_DENIED,
    },
    "data": {552: SubmitErrorKind.TOO_LARGE},
}
_RELAY_DENIED = "relay access denied"  # Postfix's words, whatever the code
_MAX_CHALLENGES = 5
_OTHERWISE = {"auth": SubmitErrorKind.AUTH_FAILED, "ehlo": SubmitErrorKind.PROTOCOL_ERROR}


def refusal(step: str, code: int, message: bytes | str) -> SubmitError:
    """The error for a server's negative answer `code` to `step` (auth, mail, rcpt, data)."""
    text = decode_reply(message).replace("\n", " ")
    if step == "rcpt" and _RELAY_DENIED in text.lower():
        # Postfix's smtpd_relay_restrictions answers 454 4.7.1 (soft, by default): trying again
        # later changes nothing, the relay does not take mail from this login.
        kind = SubmitErrorKind.RELAY_DENIED
    elif 400 <= code < 500:
        kind = SubmitErrorKind.TEMPORARY
    else:
        kind = _REFUSALS.get(step, {}).get(code, _OTHERWISE.get(step, SubmitErrorKind.SEND_REFUSED))
    return SubmitError(kind, code=code, text=text, phase=step)


# -- the session --------------------------------------------------------------------------------


@dataclass
class _Session:
    smtp: GuardedSMTP
    login: LoginResult


def _tls_context(setting: RelaySetting) -> ssl.SSLContext:
    # A pin replaces CA verification: accept exactly that certificate, checked before AUTH.
    if setting.pin_sha256:
        return inspecting_context()
    try:
        return verifying_context(setting.ca_file)
    except (OSError, ssl.SSLError) as exc:
        detail = f"the CA file {setting.ca_file} cannot be used: {exc}"
        raise SubmitError(SubmitErrorKind.CERTIFICATE, detail, phase="tls") from None


def _greet(smtp: GuardedSMTP, setting: RelaySetting) -> None:
    code, message = smtp.connect(setting.host, setting.port)
    if code == -1:  # no reply code at all: as the probe says, not an SMTP server
        said = decode_reply(message)[:80]
        raise SubmitError(
            SubmitErrorKind.SERVICE_REFUSED,
            f"the server answered {said!r}, not an SMTP greeting",
            phase="greeting",
        )
    if code != 220:
        raise SubmitError(
            SubmitErrorKind.SERVICE_REFUSED, code=code, text=decode_reply(message), phase="greeting"
        )


def _ehlo(smtp: GuardedSMTP) -> None:
    smtp.step("ehlo")
    code, message = smtp.ehlo()
    if code != 250:
        raise refusal("ehlo", code, message)


def _check_certificate(smtp: GuardedSMTP, setting: RelaySetting) -> tuple[str, bool]:
    """(SHA-256, pinned). The connection must be TLS; a pin must match exactly."""
    facts = smtp.tls_facts
    if smtp.tls_socket() is None or facts is None:
        # never reached with the paths above; AUTH depends on it, so check anyway
        raise SubmitError(SubmitErrorKind.DOWNGRADE, "the connection is not encrypted")
    der = facts.certificate_der
    if not der:
        raise SubmitError(SubmitErrorKind.CERTIFICATE, "the server sent no certificate")
    info = describe_certificate(der, verified=not setting.pin_sha256, pin=setting.pin_sha256)
    if setting.pin_sha256 and not info.pinned:
        raise SubmitError(
            SubmitErrorKind.CERTIFICATE,
            f"its fingerprint {info.sha256} is not the pinned "
            f"{normalize_fingerprint(setting.pin_sha256)}",
            phase="tls",
        )
    return info.sha256, info.pinned


def choose_mechanism(offered: tuple[str, ...], forced: str | None) -> str:
    """The mechanism to use: the forced one if offered, else the best usable one offered."""
    if forced:
        wanted = forced.upper()
        if wanted not in USABLE_MECHANISMS:
            raise SubmitError(SubmitErrorKind.MECHANISM, f"{forced} is not a password mechanism")
        if wanted not in offered:
            raise SubmitError(
                SubmitErrorKind.MECHANISM,
                f"{wanted} was asked for but the server offers {' '.join(offered) or 'none'}",
            )
        return wanted
    for mechanism in USABLE_MECHANISMS:
        if mechanism in offered:
            return mechanism
    raise SubmitError(
        SubmitErrorKind.NO_LOGIN,
        f"offered after TLS: {' '.join(offered) or 'no AUTH at all'}",
    )


def _responses(
    mechanism: str, user: str, password: Password
) -> Generator[bytes | None, bytes, None]:
    """What we answer for `mechanism`: first the initial response (None: none), then one answer
    per challenge (sent to the generator). UTF-8 throughout, as RFC 4616 says: smtplib's own
    AUTH encodes as ASCII and cannot carry a password like "Müller-2024"."""
    login, secret = user.encode("utf-8"), password.reveal().encode("utf-8")
    if mechanism == "PLAIN":
        yield b"\0" + login + b"\0" + secret
    elif mechanism == "LOGIN":
        yield login
        yield secret
    else:  # CRAM-MD5: the password itself never travels
        challenge = yield None
        yield login + b" " + hmac.new(secret, challenge, "md5").hexdigest().encode("ascii")


def _authenticate(smtp: GuardedSMTP, user: str, password: Password, mechanism: str) -> str:
    """AUTH with `mechanism` (RFC 4954); returns the server's success reply."""
    smtp.step("auth")
    # From here on the server could echo it. (Not earlier: masking the EHLO reply could hide a
    # capability that happens to contain the password, and it has not seen it yet.)
    smtp.redactor.add(password.reveal())
    answers = _responses(mechanism, user, password)

    def send(answer: bytes, prefix: str = "") -> tuple[int, bytes]:
        if answer != user.encode("utf-8"):  # all but LOGIN's user name carry the secret
            smtp.redactor.add(answer)  # before it leaves: an echo of it is masked
        return smtp.docmd(prefix + base64.b64encode(answer).decode())

    first = next(answers)
    if first is None:
        code, message = smtp.docmd("AUTH", mechanism)
    else:
        code, message = send(first, prefix=f"AUTH {mechanism} ")
    for _ in range(_MAX_CHALLENGES):
        if code != 334:
            break
        try:
            challenge = base64.b64decode(message)
        except binascii.Error:
            raise SubmitError(
                SubmitErrorKind.PROTOCOL_ERROR,
                f"the server's AUTH challenge is not base64: {decode_reply(message)[:80]!r}",
                phase="auth",
            ) from None
        try:
            answer = answers.send(challenge)
        except StopIteration:
            smtp.docmd("*")  # the server asks more than the mechanism has to say: abort
            raise SubmitError(
                SubmitErrorKind.MECHANISM, "the server kept asking", phase="auth"
            ) from None
        code, message = send(answer or b"")
    if code != 235:
        raise refusal("auth", code, message)
    return f"{code} {decode_reply(message)}"


class _NeverGreeted(Exception):
    """The port took the connection and said nothing in clear: it may wait for a TLS hello."""


def _classified(exc: BaseException, smtp: GuardedSMTP, deadline: Deadline) -> SubmitError:
    """The SubmitError for whatever went wrong, with the server's words when it had any."""
    if isinstance(exc, SubmitError):
        error = exc
    elif isinstance(exc, OSError | smtplib.SMTPException | DeadlineExceeded | UnicodeError):
        phase: Phase = smtp.phase
        failure = classify(exc, phase, deadline)
        kind = KIND_FOR_STATUS.get(failure.status, SubmitErrorKind.ERROR)
        if isinstance(exc, smtplib.SMTPResponseException):  # keep the server's own words apart
            error = SubmitError(
                kind, code=exc.smtp_code, text=decode_reply(exc.smtp_error), phase=phase
            )
        else:
            error = SubmitError(kind, failure.detail, phase=phase)
    else:  # a bug, or a reply nothing foresaw: still one classified error, never a traceback
        error = SubmitError(SubmitErrorKind.ERROR, f"{type(exc).__name__}: {exc}", phase=smtp.phase)
    # Replies were masked as they arrived; this also covers words of ours built from them.
    error.text = smtp.redactor.text(error.text)
    error.detail = smtp.redactor.text(error.detail)
    error.args = (error.message,)
    return error


def _open_session(
    setting: RelaySetting,
    password: Password,
    smtp: GuardedSMTP,
    context: ssl.SSLContext,
    started: float,
) -> _Session:
    """Connect, TLS, EHLO and AUTH on `smtp`: a logged-in session, or an exception."""
    try:
        _greet(smtp, setting)
    except TimeoutError:
        if setting.tls is TlsMode.STARTTLS and smtp.phase == "greeting":
            raise _NeverGreeted from None
        raise
    if setting.tls is TlsMode.STARTTLS:
        _ehlo(smtp)
        if not smtp.has_extn("starttls"):
            raise SubmitError(
                SubmitErrorKind.DOWNGRADE,
                "STARTTLS is not offered on this port",
                phase="starttls",
            )
        smtp.starttls(context=context)  # a refusal (454) raises: classified STARTTLS_FAILED
    # The certificate (or pin) first: nothing more is said to a server we do not trust.
    sha256, pinned = _check_certificate(smtp, setting)
    _ehlo(smtp)
    offered = tuple(dict.fromkeys(smtp.esmtp_features.get("auth", "").upper().split()))
    mechanism = choose_mechanism(offered, setting.auth)
    reply = _authenticate(smtp, setting.user, password, mechanism)
    facts = smtp.tls_facts
    login = LoginResult(
        host=setting.host,
        port=setting.port,
        tls=setting.tls,
        user=setting.user,
        mechanism=mechanism,
        offered=offered,
        reply=reply,
        tls_version=facts.version if facts else "",
        cipher=facts.cipher if facts else "",
        certificate_sha256=sha256,
        pinned=pinned,
        elapsed_ms=int((time.monotonic() - started) * 1000),
    )
    return _Session(smtp, login)


@contextmanager
def _logged_in(
    setting: RelaySetting,
    password: Password,
    timeout: float,
    deadline_s: float,
    cancel: CancelToken | None,
    implicit_fallback: bool = False,
    resolver: AddressResolver | None = None,
) -> Iterator[_Session]:
    if setting.tls is TlsMode.NONE:
        raise SubmitError(
            SubmitErrorKind.DOWNGRADE, "the setting has no encryption: a password is never sent"
        )
    started = time.monotonic()
    deadline = Deadline(deadline_s)
    if cancel is not None:  # Cancel cuts the sockets: a blocked read returns at once
        cancel.bind(deadline)
    context = _tls_context(setting)
    implicit = setting.tls is TlsMode.IMPLICIT
    smtp = GuardedSMTP(
        deadline, timeout, implicit_context=context if implicit else None, resolver=resolver
    )
    try:
        try:
            session = _open_session(setting, password, smtp, context, started)
        except _NeverGreeted:
            if not implicit_fallback:
                raise TimeoutError("no greeting") from None
            # As the probe does: a port that never greets in clear may speak implicit TLS.
            smtp.close()
            smtp = GuardedSMTP(deadline, timeout, implicit_context=context, resolver=resolver)
            implicit_setting = replace(setting, tls=TlsMode.IMPLICIT)
            try:
                session = _open_session(implicit_setting, password, smtp, context, started)
            except (OSError, smtplib.SMTPException) as exc:
                certificate = isinstance(exc, ssl.SSLCertVerificationError)
                if certificate or smtp.phase != "tls" or deadline.fired:
                    raise
                raise SubmitError(
                    SubmitErrorKind.UNREACHABLE,
                    "accepted the connection but sent no greeting, and did not speak TLS either",
                    phase="greeting",
                ) from None
            session.login = replace(session.login, implicit_fallback=True)
        yield session
    except Exception as exc:
        smtp.redactor.add(password.reveal())  # in case an error of ours quotes what we sent
        raise _classified(exc, smtp, deadline) from None
    finally:
        smtp.quit_quietly()
        deadline.close()


def check_login(
    setting: RelaySetting,
    password: Password,
    *,
    timeout: float = 5.0,
    deadline: float = 20.0,
    cancel: CancelToken | None = None,
    implicit_fallback: bool = False,
    resolver: AddressResolver | None = None,
) -> LoginResult:
    """EHLO, TLS, EHLO, AUTH, QUIT: is this user's password accepted? Sends no message.
    `cancel` stops it at once, from any thread (SubmitErrorKind.CANCELLED). With
    `implicit_fallback`, a STARTTLS port that never greets in clear is tried with implicit TLS,
    as the probe does (LoginResult.implicit_fallback says so)."""
    with _logged_in(
        setting, password, timeout, deadline, cancel, implicit_fallback, resolver
    ) as session:
        return session.login


# -- the test message ---------------------------------------------------------------------------

_QUEUE_ID = (
    re.compile(r"queued as ([0-9A-Za-z]+)"),  # Postfix
    re.compile(r"\bid=([0-9A-Za-z-]+)"),  # Exim
)


def queue_id_of(reply: str) -> str | None:
    for pattern in _QUEUE_ID:
        match = pattern.search(reply)
        if match:
            return match.group(1)
    return None


def _address(text: str | None, what: str) -> str:
    # ASCII only: a non-ASCII address needs SMTPUTF8, which a test message need not depend on.
    if (
        not text
        or "@" not in text
        or not text.isascii()
        or any(c.isspace() or c in "<>" for c in text)
    ):
        raise SubmitError(
            SubmitErrorKind.BAD_ADDRESS,
            f"the {what} address {text!r} is not a plain (ASCII) e-mail address: give one",
        )
    return text


def build_test_message(setting: RelaySetting, mail_from: str, to: str) -> EmailMessage:
    """A short, well-formed message that says what it is."""
    message = EmailMessage(policy=SMTP_POLICY)
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid("relay-setup", domain=mail_from.rpartition("@")[2])
    message["From"] = mail_from
    message["To"] = to
    message["Subject"] = "Relay Setup test message"
    mode = "implicit TLS" if setting.tls is TlsMode.IMPLICIT else "STARTTLS"
    message.set_content(
        "This is a test message sent by Relay Setup to check that mail can go out\n"
        f"through the relay {setting.host}, port {setting.port} ({mode}), logged in as\n"
        f"{setting.user}. It needs no answer; you may delete it.\n"
    )
    return message


def send_test_message(
    setting: RelaySetting,
    password: Password,
    *,
    to: str | None = None,
    timeout: float = 5.0,
    deadline: float = 30.0,
    cancel: CancelToken | None = None,
    implicit_fallback: bool = False,
    resolver: AddressResolver | None = None,
) -> SendResult:
    """Log in as check_login does, then send a test message to `to` (default: the sender).
    `cancel` stops it at once, from any thread (SubmitErrorKind.CANCELLED)."""
    mail_from = _address(setting.sender, "From")
    rcpt = _address(to or mail_from, "To")
    message = build_test_message(setting, mail_from, rcpt)
    data = message.as_bytes()
    started = time.monotonic()
    with _logged_in(
        setting, password, timeout, deadline, cancel, implicit_fallback, resolver
    ) as session:
        smtp = session.smtp
        try:
            smtp.step("mail")
            options = [f"SIZE={len(data)}"] if smtp.has_extn("size") else []
            code, reply = smtp.mail(mail_from, options)
            if code != 250:
                raise refusal("mail", code, reply)
            code, reply = smtp.rcpt(rcpt)
            if code not in (250, 251):
                raise refusal("rcpt", code, reply)
            code, reply = smtp.data(data)
            if code != 250:
                raise refusal("data", code, reply)
        except smtplib.SMTPDataError as exc:  # DATA itself (not the message) was refused
            raise refusal("data", exc.smtp_code, exc.smtp_error) from None
        final = f"{code} {decode_reply(reply)}"
        return SendResult(
            login=session.login,
            mail_from=mail_from,
            to=rcpt,
            message_id=str(message["Message-ID"]),
            reply=final,
            queue_id=queue_id_of(final),
            elapsed_ms=int((time.monotonic() - started) * 1000),
        )


__all__ = [
    "LoginResult",
    "SendResult",
    "SubmitError",
    "SubmitErrorKind",
    "build_test_message",
    "check_login",
    "choose_mechanism",
    "queue_id_of",
    "send_test_message",
]
