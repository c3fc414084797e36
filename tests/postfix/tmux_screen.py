"""Drive a full-screen terminal program (Alpine) as a person would: in a private tmux server,
reading the screen and typing keys."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable, Sequence
from pathlib import Path

TMUX = "tmux"


class Screen:
    """One tmux server of our own (its socket in a test folder): started once, killed once."""

    def __init__(self, socket: Path, env: dict[str, str]) -> None:
        self.socket = socket
        self.env = env

    def _tmux(self, *args: str) -> str:
        done = subprocess.run(
            [TMUX, "-S", str(self.socket), "-f", "/dev/null", *args],
            capture_output=True,
            text=True,
            env=self.env,
            timeout=30,
            check=True,
        )
        return done.stdout

    def start(self, argv: Sequence[str], width: int = 120, height: int = 40) -> None:
        # The server inherits env (HOME ...), and so does the program in its pane.
        self._tmux("new-session", "-d", "-x", str(width), "-y", str(height), "--", *argv)

    def text(self) -> str:
        """What the screen shows; empty once the program has exited (its session is gone)."""
        try:
            return self._tmux("capture-pane", "-p")
        except subprocess.CalledProcessError:
            return ""

    def type(self, text: str) -> None:
        self._tmux("send-keys", "-l", text)

    def keys(self, *keys: str) -> None:
        self._tmux("send-keys", *keys)

    def wait_for(self, what: str | Callable[[], bool], limit: float = 30.0) -> str:
        """Until `what` is on the screen (or the condition holds); the screen as last seen."""
        end = time.monotonic() + limit
        while True:
            screen = self.text()
            if what() if callable(what) else what in screen:
                return screen
            if time.monotonic() > end:
                raise AssertionError(f"waited {limit:.0f} s for {what!r}; the screen:\n{screen}")
            time.sleep(0.1)

    def close(self) -> None:
        subprocess.run(
            [TMUX, "-S", str(self.socket), "kill-server"],
            capture_output=True,
            env=self.env,
            timeout=30,
            check=False,
        )
