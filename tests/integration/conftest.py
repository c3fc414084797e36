"""Fixtures of the integration tests that several modules share."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack

import pytest
from dnsserver import DnsServer
from loopback import fresh_loopback_address
from servers import Pki, SmtpServer, smtp_server


@pytest.fixture
def named_relay(dns_server: DnsServer, pki: Pki) -> Iterator[Callable[..., SmtpServer]]:
    """Factory: named_relay(name, port, mode) starts a TLS SMTP server with a certificate for `name`
    on a fresh 127.x.y.z at that real port, and points `name` there in the test's DNS."""
    with ExitStack() as stack:
        addresses: dict[str, str] = {}

        def start(
            name: str, port: int = 587, mode: str = "starttls", **kwargs: object
        ) -> SmtpServer:
            if name not in addresses:
                addresses[name] = fresh_loopback_address()
                dns_server.add(f"{name}. A {addresses[name]}")
            try:
                return stack.enter_context(
                    smtp_server(
                        mode,
                        pki.server_context(name),
                        address=addresses[name],
                        port=port,
                        **kwargs,  # type: ignore[arg-type]
                    )
                )
            except PermissionError:
                pytest.skip("binding the real SMTP ports needs root")

        yield start
