"""Open the desktop wizard (the only path that imports Qt)."""

from __future__ import annotations

import argparse
import sys

from .. import exitcodes


def open_wizard(args: argparse.Namespace) -> int:
    try:
        from ..gui.main import run_wizard  # type: ignore[import-not-found,unused-ignore]
    except ImportError as exc:
        print(
            f"The desktop wizard is not available ({exc}). "
            "Use a command instead: relay-setup --help",
            file=sys.stderr,
        )
        return exitcodes.ERROR
    code: int = run_wizard(args)
    return code
