"""Open the desktop wizard (the only path that imports Qt)."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from .. import exitcodes

if TYPE_CHECKING:
    from ..core.demo_relay import DemoRelay
    from ..core.secrets import SecretStore


def _unavailable(exc: ImportError) -> int:
    print(
        f"The desktop wizard is not available ({exc}). Use a command instead: relay-setup --help",
        file=sys.stderr,
    )
    return exitcodes.ERROR


def open_wizard(args: argparse.Namespace) -> int:
    try:
        from ..gui.main import run_wizard
    except ImportError as exc:
        return _unavailable(exc)
    return run_wizard(args)


def open_demo_wizard(relay: DemoRelay, store: SecretStore | None = None) -> int:
    """The wizard on a started demo relay whose demo password is already in the keyring (or in
    `store`, e.g. the demo's MemoryStore when there is no OS keyring)."""
    try:
        from ..gui.main import run_demo_wizard
    except ImportError as exc:
        return _unavailable(exc)
    return run_demo_wizard(relay, store)
