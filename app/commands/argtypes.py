"""The commands' argument types, over the one value check (app.core.values): a bad host, port,
user, address, path, port spec, fingerprint, timeout or client list is a usage error (exit 2)
naming the option, before anything connects or writes. And the options several commands share,
added here once."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from ..core import values
from ..core.results import PortSpec

T = TypeVar("T")


def _checked(check: Callable[[str], T], name: str, *errors: type[Exception]) -> Callable[[str], T]:
    caught: tuple[type[Exception], ...] = (values.InvalidValue, *errors)

    def parse(text: str) -> T:
        try:
            return check(text)
        except caught as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    parse.__name__ = name  # argparse names the type in its message: "invalid port value"
    return parse


def _fingerprint(text: str) -> str:
    from ..core.probe.tls import normalize_fingerprint  # ssl: only when a pin is given

    return normalize_fingerprint(text)


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"not a number of seconds: {text!r}") from None
    if not 0 < value <= 600:
        raise ValueError("seconds must be more than 0 and at most 600")
    return value


def _nameserver(text: str) -> object:
    from ..core.discover.dns import Nameserver  # dnspython: only when --resolver is given

    return Nameserver.parse(text)


def _clients(text: str) -> tuple[str, ...]:
    from ..core.clients import CLIENTS

    names = tuple(dict.fromkeys(n.strip() for n in text.split(",") if n.strip()))
    unknown = [n for n in names if n not in CLIENTS]
    if unknown or not names:
        raise ValueError(
            f"unknown client {', '.join(unknown) or '(none)'} (known: {', '.join(CLIENTS)})"
        )
    return names


host_name = _checked(values.host, "host")
port_number = _checked(values.port, "port")
user_name = _checked(values.user, "user")
address = _checked(values.address, "address")
path_text = _checked(values.path, "path")
file_path = _checked(lambda text: Path(values.path(text)), "path")
port_spec = _checked(PortSpec.parse, "port_spec", ValueError)
fingerprint = _checked(_fingerprint, "fingerprint", ValueError)
positive_seconds = _checked(_seconds, "positive_seconds", ValueError)
client_list = _checked(_clients, "client_list", ValueError)
nameserver = _checked(_nameserver, "nameserver", ValueError)


def add_resolver(parser: argparse.ArgumentParser) -> None:
    """--resolver IP[:PORT] (dest `resolver`): every name lookup of the command goes there."""
    parser.add_argument(
        "--resolver",
        type=nameserver,
        metavar="IP[:PORT]",
        help="send every DNS lookup of this command to this server (like dig @server); "
        "default: the system's resolver",
    )


def add_pin(parser: Any, help: str) -> None:
    """--pin SHA256 (dest `pin`), with --fingerprint, its older name, kept as a hidden alias.
    `parser` may be a mutually exclusive group."""
    parser.add_argument("--pin", type=fingerprint, metavar="SHA256", help=help)
    parser.add_argument(
        "--fingerprint", dest="pin", type=fingerprint, metavar="SHA256", help=argparse.SUPPRESS
    )
