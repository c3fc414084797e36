"""`relay-setup` with no command opens the wizard; with no display it says so instead of letting
Qt abort the process."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from app import exitcodes


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11/Wayland display check")
def test_no_display_gets_a_message_not_an_abort() -> None:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-m", "app"], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == exitcodes.ERROR
    assert "No graphical display" in done.stderr
    assert "relay-setup --help" in done.stderr
