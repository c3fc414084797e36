"""Mail-client settings: one module per client (render and merge its configuration), the shared
types (base) and the safe writer (safewrite).

The registry imports a client module only when asked for, so `relay-setup --help` stays fast and
a client whose module is not there yet is reported, not a crash.
"""

from __future__ import annotations

import importlib
from typing import cast

from .base import ClientError, ClientModule

# name -> module (relative to this package)
CLIENTS: dict[str, str] = {
    "msmtp": ".msmtp",
    "alpine": ".alpine",
    "thunderbird": ".thunderbird",
    "neomutt": ".neomutt",
    "mutt": ".mutt",
    "aerc": ".aerc",
    "git": ".gitsendemail",
}


def get_client(name: str) -> ClientModule:
    """The module for a client name; ClientError for an unknown or not yet available one."""
    try:
        target = CLIENTS[name]
    except KeyError:
        raise ClientError(f"unknown mail client {name!r} (known: {', '.join(CLIENTS)})") from None
    try:
        module = importlib.import_module(target, __name__)
    except ModuleNotFoundError as exc:
        if exc.name != f"{__name__}{target}":
            raise
        raise ClientError(f"support for {name} is not available in this build") from None
    return cast(ClientModule, module)
