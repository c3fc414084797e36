"""smtplib with a deadline, phase tracking and failure classes a person can act on.

Shared by the probe (which reads capabilities) and the login check / test message (which use
them): both need the same connect, TLS and error handling.
"""

from __future__ import annotations

import contextlib
import smtplib
import socket
import ssl
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from ..deadline import Deadline, DeadlineExceeded
from ..redact import Redactor
from ..results import PortStatus
from .tcp import ConnectPace, Filtered, connect

Phase = Literal["connect", "tls", "greeting", "ehlo", "starttls", "auth", "mail", "quit"]


class ProtocolViolation(smtplib.SMTPException):
    """The server's reply is not SMTP: no reply code, or a line longer than SMTP allows."""


@dataclass(frozen=True)
class TlsFacts:
    """What the handshake established, taken the moment it ends and before the server says
    anything: getpeercert() raises ValueError ("handshake not done yet") whenever the session
    is not in that state, which a server's early close_notify was seen to cause."""

    version: str
    cipher: str
    certificate_der: bytes


def _tls_facts(sock: ssl.SSLSocket) -> TlsFacts:
    cipher = sock.cipher()
    return TlsFacts(
        sock.version() or "", cipher[0] if cipher else "", sock.getpeercert(binary_form=True) or b""
    )


class AddressResolver(Protocol):
    """Names to addresses through a chosen DNS server (--resolver), like `dig @server`."""

    def addresses(self, host: str, deadline: Deadline) -> list[str]: ...


class GuardedSMTP(smtplib.SMTP):
    """An SMTP client whose every socket is under a Deadline and whose current phase is known.

    `implicit_context` given: TLS from the first byte (port 465); otherwise plain, STARTTLS later.
    """

    def __init__(
        self,
        deadline: Deadline,
        timeout: float,
        implicit_context: ssl.SSLContext | None = None,
        resolver: AddressResolver | None = None,
        pace: ConnectPace | None = None,
    ) -> None:
        # local_hostname given so that smtplib does not call socket.getfqdn() (a slow DNS lookup);
        # the real EHLO name is our address literal, set once connected.
        super().__init__(local_hostname="localhost", timeout=timeout)
        self.deadline = deadline
        self.op_limit = timeout
        self.implicit_context = implicit_context
        self.resolver = resolver
        self.phase: Phase = "connect"
        self.tls_facts: TlsFacts | None = None
        self.pace = pace
        self._raw_socket: socket.socket | None = None  # what abandon() shuts down
        self.abandoned = False
        # Every reply passes through it: what we sent in AUTH never comes back into our values.
        self.redactor = Redactor()

    def _get_socket(self, host: str, port: int, timeout: float) -> socket.socket:
        self._host = host  # smtplib only sets it in __init__; starttls() needs it for SNI
        self.phase = "connect"
        sock = self._connect(host, port)
        address = sock.getsockname()[0]
        self.local_hostname = f"[IPv6:{address}]" if ":" in address else f"[{address}]"
        if self.implicit_context is not None:
            self.phase = "tls"
            sock.settimeout(self.deadline.op_timeout(self.op_limit))
            sock = self.implicit_context.wrap_socket(sock, server_hostname=host)
            self.deadline.attach(sock)
            self.tls_facts = _tls_facts(sock)
        self.phase = "greeting"
        sock.settimeout(self.deadline.op_timeout(self.op_limit))
        return sock

    def _connect(self, host: str, port: int) -> socket.socket:
        """The system's resolver, or each address the chosen DNS server gives in turn; the host
        name stays what SNI and the certificate check use. Every socket is under the deadline
        (and abandon()) before it connects."""
        if self.resolver is None:
            return self._connect_to(host, port)
        try:
            addresses = self.resolver.addresses(host, self.deadline)
        except DeadlineExceeded:
            raise
        except Exception as exc:  # the DNS client's failure (NXDOMAIN, timeout): a name problem
            raise socket.gaierror(socket.EAI_NONAME, str(exc)) from exc
        if not addresses:
            raise socket.gaierror(socket.EAI_NONAME, f"{host} has no address")
        last: OSError | None = None
        for address in addresses:
            try:
                return self._connect_to(address, port)
            except OSError as exc:
                last = exc
        assert last is not None
        raise last

    def _connect_to(self, host: str, port: int) -> socket.socket:
        return connect(
            (host, port),
            self.deadline.op_timeout(self.op_limit),
            self.source_address,
            pace=self.pace,
            hold=self._hold,
        )

    def _hold(self, sock: socket.socket) -> None:
        """Put a socket under the deadline (and abandon()) before it connects."""
        self._raw_socket = sock
        self.deadline.attach(sock)
        if self.abandoned:
            _shut(sock)

    def abandon(self) -> None:
        """Stop this connection from another thread, whatever it waits for (connect, TLS
        handshake, a reply): its thread gets an error at once and reports nothing we use."""
        self.abandoned = True
        if self._raw_socket is not None:
            _shut(self._raw_socket)

    def open_without_greeting(self, host: str, port: int) -> None:
        """Connect but do not wait for a greeting (to talk to a port that never greets)."""
        self.sock = self._get_socket(host, port, self.op_limit)
        self.file = None

    def getreply(self) -> tuple[int, bytes]:
        # smtplib turns a read timeout into "Connection unexpectedly closed": keep it a timeout,
        # since "said nothing" and "hung up" mean different things to the user.
        try:
            code, message = super().getreply()
        except smtplib.SMTPServerDisconnected as exc:
            if isinstance(exc.__context__, TimeoutError):
                raise TimeoutError(f"no reply during {self.phase}") from exc
            raise
        except smtplib.SMTPResponseException as exc:  # smtplib's own "500 Line too long."
            raise ProtocolViolation("a reply line longer than 8 KB (smtplib's limit)") from exc
        if self.deadline.fired:
            # The watchdog cut the socket mid-line: what we read is a fragment, not a reply.
            raise DeadlineExceeded
        message = self.redactor.bytes(message)
        if code == -1 and self.phase not in ("connect", "tls", "greeting"):
            # (A greeting that is not SMTP is the caller's to name: a web server, say.)
            shown = decode_reply(message)[:80]
            raise ProtocolViolation(f"a reply without a valid code during {self.phase}: {shown!r}")
        return code, message

    def step(self, phase: Phase, limit: float | None = None) -> None:
        """Enter a phase: name it and give the socket the time left for it."""
        self.phase = phase
        if self.sock is not None:
            self.sock.settimeout(self.deadline.op_timeout(limit or self.op_limit))

    def starttls(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        self.step("starttls")
        reply: tuple[int, bytes] = super().starttls(*args, **kwargs)
        if self.sock is not None:
            self.deadline.attach(self.sock)
        sock = self.tls_socket()
        if sock is not None:
            self.tls_facts = _tls_facts(sock)
        return reply

    def tls_socket(self) -> ssl.SSLSocket | None:
        return self.sock if isinstance(self.sock, ssl.SSLSocket) else None

    def quit_quietly(self) -> None:
        """QUIT and close, keeping the phase: a failure being reported happened before this."""
        phase = self.phase
        try:
            self.step("quit", 2.0)
            self.quit()
        except (OSError, smtplib.SMTPException, DeadlineExceeded):
            pass
        finally:
            self.phase = phase
            self.close()


def _shut(sock: socket.socket) -> None:
    # The plain socket's shutdown, as Deadline does: it leaves a TLS layer's state alone.
    with contextlib.suppress(OSError):
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


@dataclass(frozen=True)
class PortFailure:
    """What went wrong on one connection: the port's status and the technical words."""

    status: PortStatus
    detail: str


def decode_reply(message: bytes | str) -> str:
    """A server's reply text as a str (smtplib gives bytes; a bad byte is replaced, not fatal)."""
    return message.decode("utf-8", "replace") if isinstance(message, bytes) else message


def _reply_text(exc: smtplib.SMTPResponseException) -> str:
    return f"{exc.smtp_code} {decode_reply(exc.smtp_error)}".strip()


def classify(exc: BaseException, phase: Phase, deadline: Deadline) -> PortFailure:
    """Turn what went wrong into a status a person can act on, plus the technical words."""
    if deadline.fired == "cancelled":
        return PortFailure(PortStatus.CANCELLED, f"cancelled during {phase}")
    if deadline.ran_out() or isinstance(exc, DeadlineExceeded):
        return PortFailure(PortStatus.DEADLINE, f"the overall time limit ran out during {phase}")
    if isinstance(exc, socket.gaierror):
        return PortFailure(PortStatus.DNS_FAILED, str(exc.strerror or exc))
    if isinstance(exc, UnicodeError) and phase == "connect":  # the IDNA codec refused the name
        return PortFailure(PortStatus.DNS_FAILED, f"not a valid host name ({exc})")
    if isinstance(exc, ConnectionRefusedError):
        return PortFailure(PortStatus.REFUSED, "connection refused")
    if isinstance(exc, smtplib.SMTPNotSupportedError) and phase == "starttls":
        # Offered on the first look, gone on the next connection (the probe looks twice at a
        # certificate that does not verify).
        return PortFailure(PortStatus.STARTTLS_FAILED, "STARTTLS offered, then no longer offered")
    if isinstance(exc, ProtocolViolation):
        return PortFailure(PortStatus.PROTOCOL_ERROR, str(exc))
    if isinstance(exc, ssl.SSLCertVerificationError):
        return PortFailure(PortStatus.CERTIFICATE, exc.verify_message or str(exc))
    if isinstance(exc, TimeoutError):
        if phase == "connect":
            said = str(exc) if isinstance(exc, Filtered) else "no answer to the connection attempt"
            return PortFailure(PortStatus.TIMEOUT, said)
        if phase == "tls":
            return PortFailure(PortStatus.TLS_FAILED, "no answer to the TLS handshake")
        return PortFailure(PortStatus.SILENT, f"the server stopped answering during {phase}")
    if isinstance(exc, smtplib.SMTPServerDisconnected | ConnectionResetError | BrokenPipeError):
        return PortFailure(PortStatus.CLOSED, f"the server closed the connection during {phase}")
    if isinstance(exc, ssl.SSLEOFError | ssl.SSLZeroReturnError):
        return PortFailure(PortStatus.CLOSED, f"the server closed the connection during {phase}")
    if isinstance(exc, ssl.SSLError):
        return PortFailure(PortStatus.TLS_FAILED, exc.reason or str(exc))
    if isinstance(exc, smtplib.SMTPResponseException):
        if phase == "starttls":
            return PortFailure(PortStatus.STARTTLS_FAILED, _reply_text(exc))
        return PortFailure(PortStatus.ERROR, _reply_text(exc))
    if isinstance(exc, OSError):
        return PortFailure(PortStatus.ERROR, exc.strerror or str(exc))
    return PortFailure(PortStatus.ERROR, f"{type(exc).__name__}: {exc}")
