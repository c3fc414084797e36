"""An embedded relay on 127.0.0.1 that behaves like the seed's Postfix, for the demo and tests.

STARTTLS on one port, implicit TLS on another, AUTH (PLAIN, LOGIN; CRAM-MD5 on request) only
after TLS (smtpd_tls_auth_only = yes), a certificate from a throwaway CA made at start, relaying
to other domains only for logged-in users, and Postfix's own reply texts (queue ids included).
"""

from __future__ import annotations

import hmac
import logging
import secrets
import shutil
import ssl
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import MISSING, SMTP, AuthResult, Envelope, LoginPassword, Session

DEMO_HOST = "localhost"
DEMO_USER = "demo@example.org"
DEMO_DOMAIN = "example.org"


@dataclass(frozen=True)
class ReceivedMessage:
    queue_id: str
    mail_from: str
    rcpt_tos: tuple[str, ...]
    content: bytes
    login: str | None  # who was authenticated when it was sent
    tls: bool


class ImplicitTlsAwareSMTP(SMTP):
    """aiosmtpd only counts STARTTLS as TLS; on an implicit-TLS listener it would then hide AUTH
    (auth_require_tls). Postfix on 465 offers AUTH: so do we."""

    def connection_made(self, transport: Any) -> None:
        super().connection_made(transport)
        ssl_object = transport.get_extra_info("ssl_object")
        if ssl_object is not None and self._original_transport is None and self.session:
            self._tls_protocol = transport  # only its truth is read for a non-STARTTLS session
            self.session.ssl = {"ssl_object": ssl_object}


class EphemeralController(Controller):
    """aiosmtpd's Controller, able to listen on port 0 (the OS picks a free port)."""

    def factory(self) -> SMTP:
        return ImplicitTlsAwareSMTP(self.handler, **self.SMTP_kwargs)

    def _trigger_server(self) -> None:
        server: Any = self.server
        self.port = server.sockets[0].getsockname()[1]
        super()._trigger_server()  # type: ignore[no-untyped-call]


class PostfixLikeHandler:
    def __init__(self, relay: DemoRelay) -> None:
        self.relay = relay

    async def handle_MAIL(
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        mail_options: list[str],
    ) -> str:
        login = _login_of(session)
        if login is not None and self.relay.enforce_sender_login and address.lower() != login:
            return f"553 5.7.1 <{address}>: Sender address rejected: not owned by user {login}"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 2.1.0 Ok"

    async def handle_RCPT(
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        rcpt_options: list[str],
    ) -> str:
        local = address.rpartition("@")[2].lower() in self.relay.local_domains
        if not local and _login_of(session) is None:
            # Postfix's reject_unauth_destination, word for word.
            return f"554 5.7.1 <{address}>: Relay access denied"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 Ok"

    async def auth_CRAM__MD5(self, server: SMTP, args: list[str]) -> AuthResult:
        """CRAM-MD5 (RFC 2195), which aiosmtpd lacks: the password never travels."""
        challenge = f"<{secrets.token_hex(8)}@{self.relay.hostname}>".encode()
        response = await server.challenge_auth(challenge)
        if response is MISSING:
            return AuthResult(success=False, handled=True)  # aiosmtpd already answered 501
        assert isinstance(response, bytes)
        login, _, digest = response.decode("utf-8", "replace").rpartition(" ")
        return self.relay._check_cram_md5(login, challenge, digest)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        queue_id = secrets.token_hex(5).upper()
        content = envelope.original_content or b""
        message = ReceivedMessage(
            queue_id=queue_id,
            mail_from=envelope.mail_from or "",
            rcpt_tos=tuple(envelope.rcpt_tos),
            content=content,
            login=_login_of(session),
            tls=session.ssl is not None,
        )
        self.relay._store(message)
        return f"250 2.0.0 Ok: queued as {queue_id}"


def _login_of(session: Session) -> str | None:
    if not session.authenticated or not isinstance(session.auth_data, LoginPassword):
        return None
    return session.auth_data.login.decode("utf-8", "replace").lower()


@dataclass
class DemoRelay:
    """Start with `with DemoRelay() as relay:`; `relay.ports`, `relay.ca_file`, `relay.received`."""

    users: dict[str, str] = field(default_factory=dict)
    local_domains: frozenset[str] = frozenset({DEMO_DOMAIN})
    enforce_sender_login: bool = True
    hostname: str = DEMO_HOST
    bind: str = "127.0.0.1"
    starttls_port: int = 0
    implicit_port: int = 0
    auth_mechanisms: tuple[str, ...] = ("PLAIN", "LOGIN")  # offered, of PLAIN LOGIN CRAM-MD5
    received: list[ReceivedMessage] = field(default_factory=list)
    auth_attempts: list[str] = field(default_factory=list)  # mechanisms tried, for tests

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._arrived = threading.Condition(self._lock)
        self._controllers: list[Controller] = []
        self._folder: Path | None = None
        self.ca_file = ""

    # -- lifecycle --------------------------------------------------------------------------
    def start(self) -> DemoRelay:
        # aiosmtpd logs a traceback for every client that drops a TLS handshake (as our probe
        # does when a certificate fails): noise for a demo.
        logging.getLogger("mail.log").setLevel(logging.CRITICAL)
        self._folder = Path(tempfile.mkdtemp(prefix="relay-setup-demo-"))
        ca = trustme.CA(organization_name="Relay Setup demo CA")
        leaf = ca.issue_cert(self.hostname, "127.0.0.1", "::1")
        ca_path = self._folder / "demo-ca.pem"
        ca.cert_pem.write_to_path(str(ca_path))
        self.ca_file = str(ca_path)
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        leaf.configure_cert(context)
        common: dict[str, Any] = {
            "hostname": self.bind,
            "server_hostname": self.hostname,
            "ident": "ESMTP Postfix (Relay Setup demo)",
            "authenticator": self._authenticate,
            "auth_require_tls": True,  # smtpd_tls_auth_only = yes
            "data_size_limit": 10240000,
            "auth_exclude_mechanism": {"PLAIN", "LOGIN", "CRAM-MD5"} - set(self.auth_mechanisms),
        }
        starttls = EphemeralController(
            PostfixLikeHandler(self), port=self.starttls_port, tls_context=context, **common
        )
        implicit = EphemeralController(
            PostfixLikeHandler(self), port=self.implicit_port, ssl_context=context, **common
        )
        try:
            for controller in (starttls, implicit):
                controller.start()
                self._controllers.append(controller)
        except BaseException:
            self.stop()
            raise
        self.starttls_port, self.implicit_port = starttls.port, implicit.port
        return self

    def stop(self) -> None:
        for controller in self._controllers:
            controller.stop()
        self._controllers.clear()
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None

    def __enter__(self) -> DemoRelay:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- behaviour ----------------------------------------------------------------------------
    def _authenticate(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, auth_data: Any
    ) -> AuthResult:
        with self._lock:
            self.auth_attempts.append(mechanism)
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        login = auth_data.login.decode("utf-8", "replace").lower()
        expected = self.users.get(login)
        # bytes: compare_digest refuses non-ASCII text, and passwords may be UTF-8 (RFC 4616)
        ok = expected is not None and secrets.compare_digest(
            expected.encode("utf-8"), auth_data.password
        )
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)

    def _check_cram_md5(self, login: str, challenge: bytes, digest: str) -> AuthResult:
        with self._lock:
            self.auth_attempts.append("CRAM-MD5")
        expected = self.users.get(login.lower())
        ok = expected is not None and hmac.compare_digest(
            hmac.new(expected.encode("utf-8"), challenge, "md5").hexdigest(), digest.lower()
        )
        data = LoginPassword(login.lower().encode("utf-8"), b"") if ok else None
        return AuthResult(success=ok, handled=False, auth_data=data)

    def _store(self, message: ReceivedMessage) -> None:
        with self._arrived:
            self.received.append(message)
            self._arrived.notify_all()

    def wait_for_message(self, queue_id: str, timeout: float = 5.0) -> ReceivedMessage | None:
        with self._arrived:
            self._arrived.wait_for(
                lambda: any(m.queue_id == queue_id for m in self.received), timeout
            )
            return next((m for m in self.received if m.queue_id == queue_id), None)

    @property
    def ports(self) -> tuple[int, int]:
        """(implicit TLS port, STARTTLS port)."""
        return self.implicit_port, self.starttls_port
