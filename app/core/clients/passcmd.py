"""How a client that runs a command for its password reaches the keyring: `secret-tool lookup`
of the item we store (service=smtp host=H user=U, see app.core.secrets), quoted for /bin/sh.
And the checks the NeoMutt/Mutt, aerc and git writers share on what they put into a file."""

from __future__ import annotations

import re
import shlex
import sys
from pathlib import Path

from ..results import TlsMode
from ..settings import RelaySetting
from ..text import QT_TRANSLATE_NOOP, Remedy, Text
from .base import ClientError

# Until the shared host/user validator lands, each writer refuses what its format cannot carry.
CONTROL = {chr(c) for c in range(0x20)} | {"\x7f"}
# A DNS name (or IPv4 address): what goes into a URL's host and a TLS name check unchanged.
HOST = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?\Z")


def check_relay(
    client: str, relay: RelaySetting, user_forbidden: str = "", sender_forbidden: str = ""
) -> None:
    """What none of these clients can do safely: no TLS, a pinned certificate (they check CAs
    only), a host that is not a DNS name; and the characters each format cannot carry."""
    if relay.tls is TlsMode.NONE:
        raise ClientError(
            Text.of(
                "clients",
                QT_TRANSLATE_NOOP(
                    "clients", "refusing {client} without TLS: the password would go in clear"
                ),
                client=client,
            )
        )
    if relay.pin_sha256:
        raise ClientError(
            Text.of(
                "clients",
                QT_TRANSLATE_NOOP(
                    "clients",
                    "{client} cannot pin a certificate fingerprint: {ca} instead, or use msmtp, "
                    "which can",
                ),
                client=client,
                ca=Remedy.CHOOSE_CA,
            )
        )
    if not HOST.match(relay.host):
        raise ClientError(
            Text.of(
                "clients",
                QT_TRANSLATE_NOOP("clients", "{client} needs the relay's DNS name, not {host}"),
                client=client,
                host=repr(relay.host),
            )
        )
    refuse(client, QT_TRANSLATE_NOOP("clients", "user"), relay.user, user_forbidden)
    refuse(client, QT_TRANSLATE_NOOP("clients", "From address"), relay.sender, sender_forbidden)


def refuse(client: str, label: str, value: str, forbidden: str = "") -> None:
    """ClientError when `value` holds a control character or one of `forbidden`."""
    bad = sorted({c for c in value if c in CONTROL or c in forbidden})
    if bad:
        shown = " ".join(repr(c) for c in bad)
        raise ClientError(
            Text.of(
                "clients",
                QT_TRANSLATE_NOOP(
                    "clients", "{client} cannot carry the {label} {value}: it holds {shown}"
                ),
                client=client,
                label=Text("clients", label),
                value=repr(value),
                shown=shown,
            )
        )


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
