"""Open the desktop wizard (the only path that imports Qt)."""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING

from .. import exitcodes

if TYPE_CHECKING:
    from ..core.demo_relay import DemoRelay
    from ..core.secrets import SecretStore


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from .argtypes import add_resolver

    p = sub.add_parser(
        "wizard",
        description="Open the desktop wizard, as relay-setup with no command does. It finds "
        "the relay from your email address, or takes its name.",
    )
    add_resolver(p)
    p.set_defaults(func=open_wizard)


def _unavailable(exc: ImportError) -> int:
    print(
        f"The desktop wizard is not available ({exc}). Use a command instead: relay-setup --help",
        file=sys.stderr,
    )
    return exitcodes.ERROR


def no_display() -> bool:
    """On X11/Wayland systems, a session without a display: Qt would abort the process."""
    if not sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return False
    return not any(os.environ.get(v) for v in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))


def _headless() -> int:
    print(
        "No graphical display here (DISPLAY and WAYLAND_DISPLAY are not set), so the desktop "
        "wizard cannot open. Everything it does is also a command: relay-setup --help "
        "(for example `relay-setup probe HOST`, or `relay-setup apply` with a profile).",
        file=sys.stderr,
    )
    return exitcodes.ERROR


def open_wizard(args: argparse.Namespace) -> int:
    if no_display():
        return _headless()
    try:
        from ..gui.main import run_wizard
    except ImportError as exc:
        return _unavailable(exc)
    return run_wizard(args)


def open_demo_wizard(relay: DemoRelay, store: SecretStore | None = None) -> int:
    """The wizard on a started demo relay whose demo password is already in the keyring (or in
    `store`, e.g. the demo's MemoryStore when there is no OS keyring)."""
    if no_display():
        return _headless()
    try:
        from ..gui.main import run_demo_wizard
    except ImportError as exc:
        return _unavailable(exc)
    return run_demo_wizard(relay, store)
