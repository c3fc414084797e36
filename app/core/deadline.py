"""One overall deadline for a piece of network work, enforced even against a server that drips.

A per-read socket timeout is not enough: a server sending one byte a second never trips it. So
every socket in use is registered here, and when the deadline passes (or the user cancels) a
timer shuts them all down, which makes any blocked read in any thread return at once.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from typing import Literal

FireReason = Literal["deadline", "cancelled"]
_SAME_INSTANT = 0.05  # seconds


class DeadlineExceeded(Exception):
    """Raised by op_timeout() once no time is left."""


class Deadline:
    def __init__(self, seconds: float) -> None:
        self._end = time.monotonic() + seconds
        self._lock = threading.Lock()
        self._sockets: set[socket.socket] = set()
        self._fired: FireReason | None = None
        self._timer = threading.Timer(max(seconds, 0.0), self.fire)
        self._timer.daemon = True
        self._timer.start()

    @property
    def fired(self) -> FireReason | None:
        return self._fired

    def remaining(self) -> float:
        return max(0.0, self._end - time.monotonic())

    def ran_out(self) -> bool:
        """Fired, or as good as: a socket timeout capped by op_timeout() ends at the same instant
        as the timer, and may win the race by a hair."""
        return self._fired == "deadline" or self.remaining() < _SAME_INSTANT

    def op_timeout(self, per_operation: float) -> float:
        """The timeout for the next blocking step: the step's own limit, capped by what is left."""
        left = self._end - time.monotonic()
        if left <= 0 or self._fired:
            self.fire()
            raise DeadlineExceeded
        return min(per_operation, left)

    def attach(self, sock: socket.socket) -> None:
        with self._lock:
            fired = self._fired is not None
            if not fired:
                self._sockets.add(sock)
        if fired:
            _shutdown(sock)

    def detach(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.discard(sock)

    def fire(self, reason: FireReason = "deadline") -> None:
        with self._lock:
            if self._fired is not None:
                return
            self._fired = reason
            sockets = list(self._sockets)
            self._sockets.clear()
        self._timer.cancel()
        for sock in sockets:
            _shutdown(sock)

    def cancel(self) -> None:
        self.fire("cancelled")

    def close(self) -> None:
        """Stop the timer once the work is over (keeps no thread alive)."""
        self._timer.cancel()


class CancelToken:
    """Set from any thread (the GUI's Cancel) to stop the work of every Deadline bound to it."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self._deadlines: list[Deadline] = []
        self._lock = threading.Lock()

    def cancel(self) -> None:
        with self._lock:
            self._event.set()
            deadlines = list(self._deadlines)
        for d in deadlines:
            d.cancel()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def bind(self, deadline: Deadline) -> None:
        with self._lock:
            self._deadlines.append(deadline)
            already = self._event.is_set()
        if already:
            deadline.cancel()


def _shutdown(sock: socket.socket) -> None:
    # socket.socket.shutdown on purpose: for an SSLSocket it acts on the file descriptor without
    # touching the TLS state another thread may be using.
    with contextlib.suppress(OSError):
        socket.socket.shutdown(sock, socket.SHUT_RDWR)
