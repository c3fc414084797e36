"""Real autoconfig web servers for the tests: HTTPS on ADDRESS:443 (a trustme certificate for
autoconfig.DOMAIN and DOMAIN) and plain HTTP on ADDRESS:80, answering per path.
Usage: the `autoconfig_server` fixture, `srv = autoconfig_server("example.test", dns_server)`,
then `srv.https[WELL_KNOWN] = xml_reply(...)` (or `srv.http[...]`); unlisted paths get 404."""

from __future__ import annotations

import http.server
import ssl
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from loopback import bind_or_skip

AUTOCONFIG_PATH = "/mail/config-v1.1.xml"  # at autoconfig.DOMAIN, with ?emailaddress=
WELL_KNOWN = "/.well-known/autoconfig/mail/config-v1.1.xml"  # at DOMAIN


@dataclass(frozen=True)
class Reply:
    """What one path answers."""

    status: int = 200
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = (("Content-Type", "application/xml"),)
    drip: float = 0.0  # seconds between single bytes of the body (0: all at once)
    send_length: bool = True  # False: no Content-Length, the body ends when the connection does


def xml_reply(body: str | bytes) -> Reply:
    return Reply(body=body.encode() if isinstance(body, str) else body)


def not_found() -> Reply:
    return Reply(status=404, body=b"not here", headers=(("Content-Type", "text/plain"),))


def redirect(location: str, status: int = 302) -> Reply:
    return Reply(status=status, headers=(("Location", location),))


def oversized(size: int, *, send_length: bool = False) -> Reply:
    """A body of `size` bytes of well-formed-looking XML (no length announced by default)."""
    head = b"<?xml version='1.0'?><clientConfig><!--"
    return Reply(body=head + b"x" * max(0, size - len(head)), send_length=send_length)


def drip(body: str | bytes, every: float = 1.0) -> Reply:
    """The body one byte every `every` seconds: per-read timeouts never trip."""
    return Reply(body=body.encode() if isinstance(body, str) else body, drip=every)


def config_xml(*servers: dict[str, str], domain: str = "example.test") -> str:
    """A config-v1.1.xml with one outgoingServer per dict (hostname, port, socketType,
    authentication, username; type defaults to smtp)."""
    parts = []
    for server in servers:
        kind = server.get("type", "smtp")
        inner = "".join(f"<{key}>{value}</{key}>" for key, value in server.items() if key != "type")
        parts.append(f'<outgoingServer type="{kind}">{inner}</outgoingServer>')
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<clientConfig version="1.1">'
        f'<emailProvider id="{domain}"><domain>{domain}</domain>{"".join(parts)}'
        "</emailProvider></clientConfig>\n"
    )


@dataclass
class Request:
    scheme: str
    host: str  # the Host header
    path: str  # with the query string
    sni: str | None = None


class _Handler(http.server.BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        owner, scheme = self.server.owner, self.server.scheme
        path = self.path.partition("?")[0]
        sni = getattr(self.connection, "sni", None)
        with owner.lock:
            owner.requests.append(Request(scheme, self.headers.get("Host", ""), self.path, sni))
            reply = (owner.https if scheme == "https" else owner.http).get(path, not_found())
        self.send_response(reply.status)
        for name, value in reply.headers:
            self.send_header(name, value)
        if reply.send_length:
            self.send_header("Content-Length", str(len(reply.body)))
        self.send_header("Connection", "close")
        self.end_headers()
        try:
            if not reply.drip:
                self.wfile.write(reply.body)
                return
            for i in range(len(reply.body)):
                if owner.stopping.wait(reply.drip):
                    return
                self.wfile.write(reply.body[i : i + 1])
                self.wfile.flush()
        except OSError:  # the client gave up: that is what the tests want to see
            pass
        finally:
            self.close_connection = True

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, owner: AutoconfigServer, scheme: str, port: int) -> None:
        self.owner, self.scheme = owner, scheme
        super().__init__((owner.address, port), _Handler, bind_and_activate=False)
        self.allow_reuse_address = True
        bind_or_skip(self.socket, owner.address, port)
        self.server_activate()


@dataclass
class AutoconfigServer:
    """HTTPS on address:443 and HTTP on address:80 for `domain` until stop()."""

    address: str
    domain: str
    server_context: ssl.SSLContext  # its certificate names autoconfig.DOMAIN and DOMAIN
    https: dict[str, Reply] = field(default_factory=dict)
    http: dict[str, Reply] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    stopping: threading.Event = field(default_factory=threading.Event)
    https_port: int = 443
    http_port: int = 80

    def __post_init__(self) -> None:
        self._servers: list[_Server] = []

    def start(self) -> AutoconfigServer:
        plain = _Server(self, "http", self.http_port)
        try:
            secure = _Server(self, "https", self.https_port)
        except BaseException:
            plain.server_close()
            raise
        context = self.server_context

        def remember_sni(sock: ssl.SSLObject | ssl.SSLSocket, name: str | None, _: Any) -> None:
            sock.sni = name  # type: ignore[union-attr]

        context.sni_callback = remember_sni
        # The handshake happens in the request's thread, so a silent client blocks no one.
        secure.socket = context.wrap_socket(
            secure.socket, server_side=True, do_handshake_on_connect=False
        )
        self._servers = [plain, secure]
        for server in self._servers:
            threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def stop(self) -> None:
        self.stopping.set()  # ends drips at their next byte
        for server in self._servers:
            server.shutdown()
            server.server_close()
        self._servers = []

    def paths(self, scheme: str | None = None) -> list[str]:
        with self.lock:
            return [r.path for r in self.requests if scheme in (None, r.scheme)]

    def __enter__(self) -> AutoconfigServer:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()


def wait_until(condition: Any, timeout: float = 5.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.02)
    return False
