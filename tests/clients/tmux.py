"""A terminal program under a private tmux server: start it, read its screen, type into it."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Mapping
from pathlib import Path


class Tmux:
    """One session on its own tmux socket (never the user's server); `close` ends it."""

    def __init__(self, socket: Path, env: Mapping[str, str]) -> None:
        self.socket = socket
        self.env = dict(env)

    def _tmux(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["tmux", "-S", str(self.socket), "-f", "/dev/null", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=10,
            check=check,
            stdin=subprocess.DEVNULL,
        )

    def start(self, *argv: str, width: int = 120, height: int = 40) -> None:
        options = [f"-e{k}={v}" for k, v in self.env.items() if k in ("HOME", "SSL_CERT_FILE")]
        self._tmux("new-session", "-d", "-x", str(width), "-y", str(height), *options, "--", *argv)

    def alive(self) -> bool:
        return self._tmux("has-session", check=False).returncode == 0

    def pane_pid(self) -> int:
        return int(self._tmux("display-message", "-p", "#{pane_pid}").stdout.strip())

    def screen(self) -> str:
        done = self._tmux("capture-pane", "-p", check=False)
        return done.stdout if done.returncode == 0 else ""

    def keys(self, *keys: str, literal: bool = False) -> None:
        self._tmux("send-keys", *(["-l"] if literal else []), *keys)

    def wait_for(self, text: str, timeout: float = 20.0) -> str:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never showed; the screen was:\n{self.screen()}")

    def close(self) -> None:
        self._tmux("kill-server", check=False)
