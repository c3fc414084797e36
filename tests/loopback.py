"""Loopback addresses of a test's own: `fresh_loopback_address()` gives a random 127.x.y.z per
call, so servers can bind the real ports (443, 80, 465, 587, 25) without meeting another test
or another engineer's run on this machine; `bind_or_skip(sock, addr)` skips if it cannot."""

from __future__ import annotations

import random
import socket
import threading

import pytest

_taken: set[str] = set()
_lock = threading.Lock()


def fresh_loopback_address() -> str:
    """A 127.x.y.z not handed out before in this process. Random, not counted: parallel runs
    on one machine then almost never meet (127.0.0.0/16 is left to /etc/hosts and friends)."""
    with _lock:
        while True:
            address = (
                f"127.{random.randint(1, 254)}.{random.randint(0, 255)}.{random.randint(1, 254)}"
            )
            if address not in _taken:
                _taken.add(address)
                return address


def bind_or_skip(sock: socket.socket, address: str, port: int) -> None:
    """Bind, or skip the test saying why (a low port needs root; a clash is another run's)."""
    try:
        sock.bind((address, port))
    except OSError as exc:
        sock.close()
        pytest.skip(
            f"cannot bind {address}:{port} ({exc.strerror}): tests of the real ports run as root"
        )
