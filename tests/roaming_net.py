"""A roaming user's networks, for real: a network namespace of the test's own whose nftables
rules drop, reject or redirect ports, and a relay served inside it.

    python3 tests/roaming_net.py serve FOLDER    (inside the namespace: the relay and its rivals)

Inside the namespace, on 127.0.0.1: the relay on 465 (implicit TLS), 587 and 25 (STARTTLS), its
certificate from the test's CA, greeting as relay.example.test; "a hotel's SMTP proxy" on 2525
(its own name, its own CA, or the relay's CA with another name on 2526); a web server on 8080
(a captive portal). The rules decide what the probe's connections reach.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socketserver
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve()
ROOT = HERE.parents[1]

RELAY_NAME = "relay.example.test"
PROXY_NAME = "smtp.hotel.example"
PROXY_OWN_CA, PROXY_RELAY_CA, PORTAL = 2525, 2526, 8080

# nftables rules, by what the network does to one port ({table}: each rule its own table).
_FILTER = """table inet {table} {{
  chain input {{
    type filter hook input priority 0; policy accept;
    tcp dport {port} {verdict}
  }}
}}
"""
_NAT = """table ip {table} {{
  chain out {{
    type nat hook output priority -100; policy accept;
    tcp dport {port} redirect to :{to}
  }}
}}
"""


def drop(port: int) -> str:
    """The network drops the port: no answer at all."""
    return _FILTER.format(table=f"drop{port}", port=port, verdict="drop")


def reset(port: int) -> str:
    """The network (or the host) rejects the port with a TCP reset."""
    return _FILTER.format(table=f"reset{port}", port=port, verdict="reject with tcp reset")


def redirect(port: int, to: int) -> str:
    """The network answers the port itself, with what listens on `to`."""
    return _NAT.format(table=f"redirect{port}", port=port, to=to)


def available() -> bool:
    return os.geteuid() == 0 and bool(shutil.which("ip")) and bool(shutil.which("nft"))


@contextlib.contextmanager
def namespace(name: str) -> Iterator[str]:
    """A network namespace with its loopback up; removed afterwards."""
    subprocess.run(["ip", "netns", "add", name], check=True)
    try:
        subprocess.run(["ip", "netns", "exec", name, "ip", "link", "set", "lo", "up"], check=True)
        yield name
    finally:
        subprocess.run(["ip", "netns", "delete", name], check=False)


def load_rules(name: str, rules: str) -> None:
    """The network's rules, loaded once the servers are up (their start-up check connects)."""
    subprocess.run(
        ["ip", "netns", "exec", name, "nft", "-f", "-"], input=rules.encode(), check=True
    )


@contextlib.contextmanager
def relay_in(name: str, folder: Path) -> Iterator[dict[str, Any]]:
    """The relay and its rivals served inside namespace `name`; yields {"ca_file": ...}."""
    command = ["ip", "netns", "exec", name, sys.executable, str(HERE), "serve", str(folder)]
    child = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert child.stdin is not None and child.stdout is not None
    try:
        line = child.stdout.readline()
        assert line, "the relay in the namespace did not start"
        yield json.loads(line)
    finally:
        child.stdin.close()
        child.wait(10)


def run_in(name: str, *argv: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """`python3 -m app ARGV` inside the namespace, from the worktree."""
    return subprocess.run(
        ["ip", "netns", "exec", name, sys.executable, "-m", "app", *argv],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
    )


class _Portal(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        with contextlib.suppress(OSError):
            self.request.settimeout(30)  # a portal waits for the browser's request
            self.request.recv(1024)
            self.request.sendall(
                b"HTTP/1.1 302 Found\r\nLocation: http://portal.hotel.example/\r\n"
                b"Content-Length: 0\r\nConnection: close\r\n\r\n"
            )


def serve(folder: Path) -> None:
    sys.path[:0] = [str(ROOT), str(HERE.parent)]
    import ssl

    import trustme
    from aiosmtpd.smtp import AuthResult
    from servers import Pki

    from app.core.demo_relay import EphemeralController

    relay_pki, proxy_pki = Pki(trustme.CA(), folder), Pki(trustme.CA(), folder / "proxy")
    proxy_pki.folder.mkdir()

    def context(pki: Pki, name: str) -> ssl.SSLContext:
        return pki.server_context(name, "127.0.0.1")

    def server(port: int, greeting_name: str, tls: ssl.SSLContext, implicit: bool) -> Any:
        kwargs: dict[str, Any] = {"ssl_context": tls} if implicit else {"tls_context": tls}
        return EphemeralController(
            object(),
            hostname="127.0.0.1",
            port=port,
            server_hostname=greeting_name,
            authenticator=lambda *args: AuthResult(success=False),  # AUTH offered, none passes
            **kwargs,
        )

    servers = [
        server(465, RELAY_NAME, context(relay_pki, "localhost"), True),
        server(587, RELAY_NAME, context(relay_pki, "localhost"), False),
        server(25, RELAY_NAME, context(relay_pki, "localhost"), False),
        server(PROXY_OWN_CA, PROXY_NAME, context(proxy_pki, PROXY_NAME), False),
        server(PROXY_RELAY_CA, PROXY_NAME, relay_pki.server_context(PROXY_NAME), False),
    ]
    for s in servers:
        s.start()
    portal = socketserver.ThreadingTCPServer(("127.0.0.1", PORTAL), _Portal)
    portal.daemon_threads = True
    threading.Thread(target=portal.serve_forever, daemon=True).start()
    print(json.dumps({"ca_file": relay_pki.ca_file}), flush=True)
    sys.stdin.read()
    portal.shutdown()
    for s in servers:
        s.stop()


if __name__ == "__main__":
    if sys.argv[1:2] == ["serve"]:
        serve(Path(sys.argv[2]))
