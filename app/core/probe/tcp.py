"""The TCP connect of a probe, and how long to wait for it.

A network that drops a port (hotel, café, mobile) gives no answer at all: the connect would wait
out its whole timeout, holding the result of the probe. The relay's other ports tell how far off
it is, so once one of them has answered, a connect still unanswered after many times that round
trip is judged filtered. socket.create_connection cannot be cut short from outside, hence this.
"""

from __future__ import annotations

import errno
import os
import selectors
import socket
import threading
import time
from collections.abc import Callable
from typing import Any

# A connect unanswered this many times the slowest answer of the other ports is filtered...
_FACTOR = 6.0
# ... but never sooner than this (a lost SYN is sent again after Linux's initial 1 s RTO: losing
# one on a bad Wi-Fi then costs the port, not the probe).
_FLOOR = 0.75
# How often a waiting connect looks again at what the other ports learnt.
_LOOK_AGAIN = 0.05


class Filtered(TimeoutError):
    """No answer to the connect, long after the relay's other ports answered theirs."""


class ConnectPace:
    """The connect times of one host's ports, shared by their probes (thread-safe)."""

    def __init__(self, floor: float = _FLOOR, factor: float = _FACTOR) -> None:
        self._floor = floor
        self._factor = factor
        self._slowest: float | None = None
        self._lock = threading.Lock()

    def answered(self, seconds: float) -> None:
        """A connect was answered (accepted or refused) after `seconds`."""
        with self._lock:
            self._slowest = max(seconds, self._slowest or 0.0)

    @property
    def slowest(self) -> float | None:
        return self._slowest

    def patience(self) -> float | None:
        """How long a connect may stay unanswered before it is judged filtered; None while no
        other connect has been answered."""
        slowest = self._slowest
        return None if slowest is None else max(self._floor, self._factor * slowest)


def connect(
    address: tuple[str, int],
    timeout: float,
    source_address: Any = None,  # what socket.bind takes (smtplib's own is loosely typed)
    *,
    pace: ConnectPace | None = None,
    hold: Callable[[socket.socket], None] = lambda sock: None,
) -> socket.socket:
    """socket.create_connection, with `hold(sock)` called before each connect (so that a
    watchdog can shut the attempt down) and `pace` judging an unanswered connect filtered."""
    host, port = address
    errors: list[OSError] = []
    for family, kind, proto, _, target in socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM):
        sock = socket.socket(family, kind, proto)
        try:
            if source_address is not None:
                sock.bind(source_address)
            hold(sock)
            _connect_one(sock, target, timeout, pace)
            sock.settimeout(timeout)
            return sock
        except OSError as exc:
            sock.close()
            errors.append(exc)
    if not errors:
        raise OSError("getaddrinfo returns an empty list")
    # Like create_connection: the first address's failure (IPv6 refused, say, then IPv4 too).
    raise errors[0]


def _connect_one(
    sock: socket.socket, target: tuple[object, ...], timeout: float, pace: ConnectPace | None
) -> None:
    sock.setblocking(False)
    started = time.monotonic()
    code = sock.connect_ex(target)
    with selectors.DefaultSelector() as selector:
        selector.register(sock, selectors.EVENT_WRITE)
        while code in (errno.EINPROGRESS, errno.EWOULDBLOCK, errno.EAGAIN):
            waited = time.monotonic() - started
            patience = pace.patience() if pace is not None else None
            if waited >= timeout:
                raise TimeoutError("no answer to the connection attempt")
            if patience is not None and waited >= patience:
                slowest = pace.slowest if pace is not None else None
                raise Filtered(
                    f"no answer to the connection attempt in {waited * 1000:.0f} ms, "
                    f"while the relay's other ports answered within {(slowest or 0) * 1000:.0f} ms"
                )
            if selector.select(min(timeout - waited, _LOOK_AGAIN)):
                code = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
    if pace is not None and code in (0, errno.ECONNREFUSED):
        pace.answered(time.monotonic() - started)
    if code != 0:
        raise OSError(code, os.strerror(code))  # OSError picks the subclass for the errno
