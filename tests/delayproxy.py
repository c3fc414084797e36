"""Proxies on loopback that add a round trip, for benchmarks where the kernel has no netem:
`TcpDelay(listen, target, rtt)` and `UdpDelay(listen, target, rtt)`. Each byte waits half the
round trip each way, and a TCP connection's first byte waits one more round trip (the
handshake a real connection pays before it can send). A port with no target behind it is not
proxied: it is refused at once, as on loopback."""

from __future__ import annotations

import contextlib
import heapq
import itertools
import socket
import threading
import time
from collections.abc import Callable
from typing import Any


class _Scheduler:
    """One thread that runs each job at its time, in time order."""

    def __init__(self) -> None:
        self._jobs: list[tuple[float, int, Callable[[], None]]] = []
        self._count = itertools.count()
        self._ready = threading.Condition()
        self._stopped = False
        threading.Thread(target=self._run, daemon=True, name="delay-scheduler").start()

    def at(self, when: float, job: Callable[[], None]) -> None:
        with self._ready:
            heapq.heappush(self._jobs, (when, next(self._count), job))
            self._ready.notify()

    def stop(self) -> None:
        with self._ready:
            self._stopped = True
            self._ready.notify()

    def _run(self) -> None:
        while True:
            with self._ready:
                while not self._stopped and (not self._jobs or self._jobs[0][0] > time.monotonic()):
                    wait = self._jobs[0][0] - time.monotonic() if self._jobs else None
                    self._ready.wait(wait)
                if self._stopped:
                    return
                _, _, job = heapq.heappop(self._jobs)
            with contextlib.suppress(OSError):
                job()


class TcpDelay:
    def __init__(self, listen: tuple[str, int], target: tuple[str, int], rtt: float) -> None:
        self.target, self.half = target, rtt / 2
        self.scheduler = _Scheduler()
        self.server = socket.create_server(listen, reuse_port=False)
        self.sockets: list[socket.socket] = [self.server]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            threading.Thread(target=self._connection, args=(client,), daemon=True).start()

    def _connection(self, client: socket.socket) -> None:
        opened = time.monotonic() + 2 * self.half  # the handshake's round trip
        try:
            upstream = socket.create_connection(self.target)
        except OSError:
            client.close()
            return
        self.sockets += [client, upstream]
        threading.Thread(target=self._pump, args=(client, upstream, opened), daemon=True).start()
        self._pump(upstream, client, opened)

    def _pump(self, source: socket.socket, sink: socket.socket, opened: float) -> None:
        last = 0.0
        while True:
            try:
                chunk = source.recv(65536)
            except OSError:
                chunk = b""
            # In order, and never before the connection would be open.
            last = max(time.monotonic() + self.half, opened + self.half, last)
            if not chunk:
                self.scheduler.at(last, lambda: sink.shutdown(socket.SHUT_WR))
                return
            self.scheduler.at(last, lambda data=chunk: sink.sendall(data))  # type: ignore[misc]

    def stop(self) -> None:
        self.scheduler.stop()
        for sock in self.sockets:
            with contextlib.suppress(OSError):
                sock.close()


class UdpDelay:
    def __init__(self, listen: tuple[str, int], target: tuple[str, int], rtt: float) -> None:
        self.target, self.half = target, rtt / 2
        self.scheduler = _Scheduler()
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(listen)
        self.address: tuple[str, int] = self.sock.getsockname()
        self.upstreams: dict[Any, socket.socket] = {}
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                data, client = self.sock.recvfrom(65536)
            except OSError:
                return
            upstream = self.upstreams.get(client)
            if upstream is None:
                upstream = self.upstreams[client] = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                upstream.connect(self.target)
                threading.Thread(target=self._back, args=(upstream, client), daemon=True).start()
            self.scheduler.at(time.monotonic() + self.half, lambda u=upstream, d=data: u.send(d))  # type: ignore[misc]

    def _back(self, upstream: socket.socket, client: Any) -> None:
        while True:
            try:
                data = upstream.recv(65536)
            except OSError:
                return
            self.scheduler.at(
                time.monotonic() + self.half,
                lambda d=data: self.sock.sendto(d, client),  # type: ignore[misc]
            )

    def stop(self) -> None:
        self.scheduler.stop()
        for sock in [self.sock, *self.upstreams.values()]:
            with contextlib.suppress(OSError):
                sock.close()
