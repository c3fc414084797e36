"""A full-screen terminal program (Alpine, aerc) driven as a person would: in a tmux server of its
own, reading the screen and typing keys."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable, Mapping
from pathlib import Path


class Tmux:
    """One session on its own tmux socket (never the user's server): started once, `close` ends
    it. The server, and so the program in its pane, gets `env` (HOME ...)."""

    def __init__(self, socket: Path, env: Mapping[str, str]) -> None:
        self.socket = socket
        self.env = dict(env)

    def _tmux(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["tmux", "-S", str(self.socket), "-f", "/dev/null", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=30,
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
        """What the screen shows; empty once the program has exited (its session is gone)."""
        done = self._tmux("capture-pane", "-p", check=False)
        return done.stdout if done.returncode == 0 else ""

    def keys(self, *keys: str, literal: bool = False) -> None:
        """tmux key names ("Enter", "C-x"), or with literal=True text typed as it is."""
        self._tmux("send-keys", *(["-l"] if literal else []), *keys)

    def type(self, text: str) -> None:
        self.keys(text, literal=True)

    def wait_for(self, what: str | Callable[[], bool], timeout: float = 30.0) -> str:
        """Until `what` is on the screen (or the condition holds); the screen as last seen."""
        end = time.monotonic() + timeout
        while True:
            screen = self.screen()
            if what() if callable(what) else what in screen:
                return screen
            if time.monotonic() > end:
                raise AssertionError(f"waited {timeout:.0f} s for {what!r}; the screen:\n{screen}")
            time.sleep(0.1)

    def close(self) -> None:
        self._tmux("kill-server", check=False)
