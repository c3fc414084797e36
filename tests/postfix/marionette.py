"""A minimal client of Marionette, the remote protocol built into Thunderbird (`--marionette`):
enough to run privileged JavaScript in a running Thunderbird, as its own code does."""

from __future__ import annotations

import json
import socket
from typing import Any


class MarionetteError(Exception):
    pass


class Marionette:
    def __init__(self, port: int, timeout: float = 60.0) -> None:
        self._sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self._buffer = b""
        self._id = 0
        self._read()  # the greeting: {"applicationType": "gecko", "marionetteProtocol": 3}

    def _read(self) -> Any:
        while b":" not in self._buffer:
            self._fill()
        length, _, rest = self._buffer.partition(b":")
        size = int(length)
        self._buffer = rest
        while len(self._buffer) < size:
            self._fill()
        body, self._buffer = self._buffer[:size], self._buffer[size:]
        return json.loads(body)

    def _fill(self) -> None:
        chunk = self._sock.recv(65536)
        if not chunk:
            raise MarionetteError("Thunderbird closed the Marionette connection")
        self._buffer += chunk

    def command(self, name: str, params: dict[str, Any] | None = None) -> Any:
        self._id += 1
        data = json.dumps([0, self._id, name, params or {}]).encode()
        self._sock.sendall(str(len(data)).encode() + b":" + data)
        while True:
            kind, number, error, result = self._read()
            if kind == 1 and number == self._id:
                break
        if error:
            raise MarionetteError(f"{name}: {error.get('error')}: {error.get('message')}")
        return result

    def run_chrome_script(self, script: str, args: list[Any], limit_ms: int = 60000) -> Any:
        """Run `script` (async: it ends by calling its last argument) with chrome privileges."""
        self.command("Marionette:SetContext", {"value": "chrome"})
        self.command("WebDriver:SetTimeouts", {"script": limit_ms})
        return self.command("WebDriver:ExecuteAsyncScript", {"script": script, "args": args})[
            "value"
        ]

    def close(self) -> None:
        self._sock.close()
