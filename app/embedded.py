"""What a frozen build (the PyInstaller one-file installer) carries: the organisation's profile
embedded by resources/relay-setup.spec, certifi's bundle and the keyring backends. Also answers
"can this machine run an apply?" for the installer's smoke test and for IT's scripts."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

# Where the spec puts the chosen profile (and any PEM beside it) inside the bundle.
EMBEDDED_FOLDER = "embedded-profile"
EMBEDDED_NAME = "profile.toml"


def is_frozen() -> bool:
    return bool(getattr(sys, "frozen", False))


def embedded_profile_path() -> Path | None:
    """The profile built into this executable, or None (not frozen, or built without one)."""
    bundle = getattr(sys, "_MEIPASS", None)
    if not bundle:
        return None
    path = Path(bundle) / EMBEDDED_FOLDER / EMBEDDED_NAME
    return path if path.is_file() else None


def environment() -> dict[str, Any]:
    """What an apply needs from this machine, each part found or not, with no side effects."""
    import certifi

    from . import __version__
    from .core.secrets import KeyringUnavailable, open_store

    bundle = Path(certifi.where())
    profile = embedded_profile_path()
    try:
        store = open_store()
        keyring: dict[str, Any] = {"found": True, "backend": store.backend_name, "detail": None}
    except KeyringUnavailable as exc:
        keyring = {"found": False, "backend": None, "detail": str(exc)}
    return {
        "version": __version__,
        "clients": _client_modules(),
        "frozen": is_frozen(),
        "embedded_profile": str(profile) if profile else None,
        "certifi": {"path": str(bundle), "found": bundle.is_file()},
        "keyring": keyring,
    }


def _client_modules() -> dict[str, bool]:
    """Which mail-client modules this build carries (a frozen build must carry them all)."""
    from .core.clients import CLIENTS, get_client
    from .core.clients.base import ClientError

    found: dict[str, bool] = {}
    for name in CLIENTS:
        try:
            get_client(name)
            found[name] = True
        except ClientError:
            found[name] = False
    return found
