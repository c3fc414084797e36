"""The command line. Imports no Qt, so `relay-setup --help` stays instant; with no subcommand
it hands over to the desktop wizard."""

from __future__ import annotations

import argparse
import functools
import importlib
import json
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

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


class _Parser(argparse.ArgumentParser):
    """argparse, except that with --json a usage error also prints the one JSON object a
    script parses (stdout), besides argparse's usage (stderr) and status 2."""

    def __init__(self, *args: Any, json_on_error: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.json_on_error = json_on_error

    def add_subparsers(self, **kwargs: Any) -> Any:
        kwargs.setdefault(
            "parser_class", functools.partial(type(self), json_on_error=self.json_on_error)
        )
        return super().add_subparsers(**kwargs)

    def error(self, message: str) -> NoReturn:
        if self.json_on_error:
            json.dump({"ok": False, "failure": "usage", "message": message}, sys.stdout)
            sys.stdout.write("\n")
        super().error(message)


def build_parser(json_on_error: bool = False) -> argparse.ArgumentParser:
    parser = _Parser(
        json_on_error=json_on_error,
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
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(json_on_error="--json" in argv)
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
