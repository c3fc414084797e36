"""How a client that runs a command for its password reaches the keyring: `secret-tool lookup`
of the item we store (service=smtp host=H user=U, see app.core.secrets), quoted for /bin/sh.
And the checks every such writer shares on the values it puts into a file."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

from .base import ClientError

# Until the shared host/user validator lands, each writer refuses what its format cannot carry.
CONTROL = {chr(c) for c in range(0x20)} | {"\x7f"}


def refuse(client: str, label: str, value: str, forbidden: str = "") -> None:
    """ClientError when `value` holds a control character or one of `forbidden`."""
    bad = sorted({c for c in value if c in CONTROL or c in forbidden})
    if bad:
        shown = " ".join(repr(c) for c in bad)
        raise ClientError(f"{client} cannot carry the {label} {value!r}: it holds {shown}")


def keyring_lookup(host: str, user: str) -> str:
    """The /bin/sh command that prints the relay's password from the OS keyring."""
    return shlex.join(["secret-tool", "lookup", "host", host, "service", "smtp", "user", user])


def self_command() -> tuple[str, ...]:
    """How another program runs this one: the frozen binary, the installed `relay-setup`
    script we were started as, or this Python with `-m app`."""
    if getattr(sys, "frozen", False):
        return (sys.executable,)
    script = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if script is not None and script.name == "relay-setup" and script.is_file():
        return (str(script.resolve()),)
    return (sys.executable, "-m", "app")
