"""Real servers on 127.0.0.1 for the tests: TLS SMTP servers (aiosmtpd + trustme certificates)
and raw TCP servers that misbehave in the ways the probe must classify."""

from __future__ import annotations

import asyncio
import base64
import binascii
import datetime as dt
import socket
import socketserver
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import trustme
from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

from app.core.demo_relay import EphemeralController, ImplicitTlsAwareSMTP


@dataclass
class Pki:
    """A private CA and the files a test hands to the program."""

    ca: trustme.CA
    folder: Path

    @property
    def ca_file(self) -> str:
        path = self.folder / "ca.pem"
        if not path.exists():
            self.ca.cert_pem.write_to_path(str(path))
        return str(path)

    def server_context(self, *names: str, **kwargs: Any) -> ssl.SSLContext:
        leaf = self.ca.issue_cert(*(names or ("localhost", "127.0.0.1")), **kwargs)
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        leaf.configure_cert(ctx)
        return ctx

    def expired_context(self) -> ssl.SSLContext:
        past = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
        return self.server_context(
            "localhost", "127.0.0.1", not_before=past - dt.timedelta(days=30), not_after=past
        )


def self_signed_context(folder: Path, name: str = "localhost") -> ssl.SSLContext:
    """A certificate that signs itself: no CA vouches for it."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "self.pem", folder / "self.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(str(cert_path), str(key_path))
    return ctx


class RecordingHandler:
    """Accepts every message and remembers it; replies like Postfix."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server: SMTP, session: Any, envelope: Any) -> str:
        self.messages.append(
            (envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content)
        )
        return "250 2.0.0 Ok: queued as 3F2A1B9C0D"


@dataclass
class SmtpServer:
    port: int
    controller: EphemeralController
    handler: Any
    auth_seen: list[str] = field(default_factory=list)  # every AUTH mechanism the server got


@contextmanager
def smtp_server(
    mode: str = "starttls",
    context: ssl.SSLContext | None = None,
    users: dict[str, str] | None = None,
    smtp_class: type[SMTP] = ImplicitTlsAwareSMTP,
    handler: Any = None,
    address: str = "127.0.0.1",
    port: int = 0,
    **smtp_kwargs: Any,
) -> Iterator[SmtpServer]:
    """An aiosmtpd server on 127.0.0.1 (or `address`, `port`): mode starttls | implicit |
    plain (no TLS at all)."""
    handler = handler or RecordingHandler()
    seen: list[str] = []
    accounts = users or {}

    def authenticate(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> Any:
        seen.append(mechanism)
        ok = (
            isinstance(data, LoginPassword)
            and accounts.get(data.login.decode()) == data.password.decode()
        )
        return AuthResult(success=ok, handled=False, auth_data=data if ok else None)

    kwargs: dict[str, Any] = {"authenticator": authenticate, **smtp_kwargs}
    if mode == "starttls":
        kwargs["tls_context"] = context
    elif mode == "implicit":
        kwargs["ssl_context"] = context
    elif mode == "plain":
        kwargs.setdefault("auth_require_tls", False)

    class Controller(EphemeralController):
        def factory(self) -> SMTP:
            return smtp_class(self.handler, **self.SMTP_kwargs)

    controller = Controller(
        handler, hostname=address, port=port, server_hostname="localhost", **kwargs
    )
    controller.start()
    try:
        yield SmtpServer(controller.port, controller, handler, seen)
    finally:
        controller.stop()


class Refuses454OnStarttls(ImplicitTlsAwareSMTP):
    """Offers STARTTLS, then answers it with 454 (a Postfix whose key file is unreadable)."""

    async def smtp_STARTTLS(self, arg: str) -> None:
        await self.push("454 4.7.0 TLS not available due to local problem")


# -- raw TCP servers --------------------------------------------------------------------------


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


@contextmanager
def raw_server(behaviour: Callable[[socket.socket, threading.Event], None]) -> Iterator[int]:
    """A TCP server on 127.0.0.1 whose every connection runs `behaviour(sock, stop)`."""
    stop = threading.Event()

    class Handler(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            with suppress(OSError):
                behaviour(self.request, stop)

    server = _Server(("127.0.0.1", 0), Handler)
    # A short poll: shutdown() waits for it, and the fuzz test starts a server per example.
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        stop.set()
        server.shutdown()
        server.server_close()


def never_greets(sock: socket.socket, stop: threading.Event) -> None:
    """Accept and say nothing (drain what the client sends)."""
    sock.settimeout(0.2)
    while not stop.is_set():
        try:
            if sock.recv(4096) == b"":
                return
        except TimeoutError:
            continue


def drips(sock: socket.socket, stop: threading.Event) -> None:
    """A greeting that never ends: one byte a second."""
    for byte in b"220 " + b"x" * 10_000:
        if stop.wait(1.0):
            return
        sock.sendall(bytes([byte]))


def http_server(sock: socket.socket, stop: threading.Event) -> None:
    """A web server: waits for a request line, answers 400 like nginx does to SMTP."""
    sock.settimeout(5)
    data = b""
    while b"\n" not in data:
        chunk = sock.recv(1024)
        if not chunk:
            return
        data += chunk
    sock.sendall(
        b"HTTP/1.1 400 Bad Request\r\nServer: nginx\r\nContent-Length: 0\r\n"
        b"Connection: close\r\n\r\n"
    )
    time.sleep(0.1)


def greets_554(sock: socket.socket, stop: threading.Event) -> None:
    sock.sendall(b"554 5.7.1 mail.example.org ESMTP not accepting connections from you\r\n")
    time.sleep(0.2)


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (closed: connections are refused)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# -- a scripted, hostile SMTP server ----------------------------------------------------------


@dataclass(frozen=True)
class Say:
    """Send these bytes as the reply. Echoes of the line just received: `{line}` as it came,
    `{decoded}` its last word base64-decoded, `{url}` that re-encoded URL-safe without padding,
    `{shifted}` it encoded after one extra byte (another alignment of the same secret)."""

    data: bytes

    def reply(self, line: bytes) -> bytes:
        word = line.rsplit(b" ", 1)[-1]
        try:
            decoded = base64.b64decode(word)
        except binascii.Error:
            decoded = b""
        return (
            self.data.replace(b"{line}", line)
            .replace(b"{decoded}", decoded.replace(b"\0", b" "))
            .replace(b"{url}", base64.urlsafe_b64encode(decoded).rstrip(b"="))
            .replace(b"{shifted}", base64.b64encode(b"x" + decoded))
        )


@dataclass(frozen=True)
class HangUp:
    """Send `first` (maybe part of a reply), then close: with TLS up, a close_notify first."""

    first: bytes = b""


Action = Say | HangUp

_EHLO_PLAIN = b"250-relay.test\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250 STARTTLS\r\n"
_EHLO_TLS = b"250-relay.test\r\n250-SIZE 10240000\r\n250 AUTH PLAIN LOGIN\r\n"


def _normal_reply(command: bytes, tls: bool, in_data: bool) -> bytes:
    """What a good relay (AUTH only after TLS) answers when the script says nothing."""
    verb = command.split(b" ", 1)[0].upper()
    if in_data:
        return b"250 2.0.0 Ok: queued as 4ABC123\r\n"
    if verb in (b"EHLO", b"HELO"):
        return _EHLO_TLS if tls else _EHLO_PLAIN
    if verb == b"STARTTLS":
        return b"220 2.0.0 Ready to start TLS\r\n"
    if verb == b"AUTH":
        return b"235 2.7.0 Authentication successful\r\n" if tls else b"503 5.5.1 no\r\n"
    if verb == b"DATA":
        return b"354 End data with <CR><LF>.<CR><LF>\r\n"
    if verb == b"QUIT":
        return b"221 2.0.0 Bye\r\n"
    if command.startswith((b"AHBhbGljZQ", b"*")) or not verb.isalpha():
        return b"235 2.7.0 Authentication successful\r\n"  # an AUTH LOGIN answer
    return b"250 2.1.0 Ok\r\n"


@dataclass
class ScriptedSmtp:
    """A relay on 127.0.0.1 (trusted certificate, AUTH only after TLS) that says what `script`
    says at each step (0: the greeting, then one step per line received) and behaves normally
    elsewhere; `later`, if given, replaces `script` from the second connection on. It records
    every line with whether TLS was up when it arrived."""

    context: ssl.SSLContext
    implicit: bool = False
    script: dict[int, Action] = field(default_factory=dict)
    later: dict[int, Action] | None = None
    lines: list[tuple[bytes, bool]] = field(default_factory=list)
    connections: int = 0

    def auth_in_clear(self) -> list[bytes]:
        return [line for line, tls in self.lines if line.upper().startswith(b"AUTH") and not tls]

    def serve(self, sock: socket.socket, stop: threading.Event) -> None:
        self.connections += 1
        script = self.script if self.later is None or self.connections == 1 else self.later
        sock.settimeout(5)
        conn: socket.socket = sock
        tls = self.implicit
        if tls:
            conn = self.context.wrap_socket(sock, server_side=True)
        buffer = b""
        step, in_data, line = 0, False, b""
        while not stop.is_set():
            action = script.get(step, Say(b""))
            if isinstance(action, HangUp):
                conn.sendall(action.first)
                if isinstance(conn, ssl.SSLSocket):
                    with suppress(OSError, ValueError):
                        conn.unwrap()  # close_notify
                conn.close()
                return
            reply = action.reply(line)
            if not reply and step > 0:
                reply = _normal_reply(line, tls, in_data)
                in_data = False
            elif not reply:
                reply = b"220 relay.test ESMTP\r\n"
            conn.sendall(reply)
            if line.upper() == b"STARTTLS" and reply.startswith(b"220") and not tls:
                conn = self.context.wrap_socket(conn, server_side=True)
                tls = True
            if line.upper() == b"DATA" and reply.startswith(b"354"):
                while b"\r\n.\r\n" not in buffer:
                    chunk = conn.recv(65536)
                    if not chunk:
                        return
                    buffer += chunk
                buffer = buffer.split(b"\r\n.\r\n", 1)[1]
                in_data = True
                line = b"."
            else:
                if line.upper() == b"QUIT":
                    return
                while b"\r\n" not in buffer:
                    chunk = conn.recv(65536)
                    if not chunk:
                        return
                    buffer += chunk
                line, buffer = buffer.split(b"\r\n", 1)
            self.lines.append((line, tls))
            step += 1


@contextmanager
def scripted_smtp(
    context: ssl.SSLContext,
    script: dict[int, Action],
    *,
    implicit: bool = False,
    later: dict[int, Action] | None = None,
) -> Iterator[tuple[int, ScriptedSmtp]]:
    server = ScriptedSmtp(context, implicit, dict(script), later)
    with raw_server(server.serve) as port:
        yield port, server


# -- servers that misbehave after the greeting -------------------------------------------------


class EchoesCredentials(ImplicitTlsAwareSMTP):
    """A hostile or broken server that repeats what it was sent in its refusal."""

    async def smtp_AUTH(self, arg: str) -> None:
        blob = base64.b64decode(arg.split()[1]).decode("utf-8").replace("\0", " ")
        await self.push(f"535 5.7.8 bad credentials:{blob}")


def never_answers_auth() -> tuple[type[SMTP], threading.Event]:
    """A server class that takes AUTH and never answers, and the event it sets on AUTH."""
    reached = threading.Event()

    class NeverAnswersAuth(ImplicitTlsAwareSMTP):
        async def smtp_AUTH(self, arg: str) -> None:
            reached.set()
            await asyncio.sleep(3600)  # aiosmtpd cancels this when the client hangs up

    return NeverAnswersAuth, reached


class NeverAnswersRcpt(RecordingHandler):
    def __init__(self) -> None:
        super().__init__()
        self.reached = threading.Event()

    async def handle_RCPT(self, server: SMTP, session: Any, envelope: Any, address: str, *_: Any):
        self.reached.set()
        await asyncio.sleep(3600)
