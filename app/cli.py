"""The command line. Imports no Qt, so `relay-setup --help` stays instant; with no subcommand
it hands over to the desktop wizard."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from . import __version__, exitcodes

# Each module registers its own subcommands: `register(subparsers)`, setting `func`.
COMMAND_MODULES = (
    "app.commands.probe",
    "app.commands.demo",
    "app.commands.credentials",
    "app.commands.write",
    "app.commands.profile",
    "app.commands.apply",
    "app.commands.credential",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="relay-setup",
        description="Get your mail client sending through your organisation's authenticated "
        "relay, safely. With no command, opens the desktop wizard.",
    )
    parser.add_argument("--version", action="version", version=f"relay-setup {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        from .commands.wizard import open_wizard

        return open_wizard(args)
    try:
        code: int = args.func(args)
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return exitcodes.CANCELLED
    return code


if __name__ == "__main__":
    sys.exit(main())
