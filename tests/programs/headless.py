"""Thunderbird started headless on a profile under a throwaway HOME, then closed."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path


def wait_until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


@contextmanager
def thunderbird(home: Path, profile: Path, log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """Thunderbird --headless on `profile`; on leaving, SIGTERM (a clean shutdown that writes
    prefs.js), then SIGKILL if it has not gone within 30 s."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DISPLAY", "WAYLAND_DISPLAY", "XAUTHORITY")
    }
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_CACHE_HOME=str(home / ".cache"),
        MOZ_CRASHREPORTER_DISABLE="1",
        MOZ_HEADLESS="1",
    )
    with log.open("wb") as out:
        process = subprocess.Popen(
            ["thunderbird", "--headless", "--no-remote", "--profile", str(profile)],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its helper processes go with it
        )
        try:
            yield process
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
