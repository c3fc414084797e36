"""The command line. With no subcommand it hands over to the desktop wizard.

Start-up is kept short: a command's module (and whatever heavy library it needs: ssl, keyring,
aiosmtpd, Qt) is imported only when that command runs, so `relay-setup --help` loads none."""

from __future__ import annotations

import argparse
import functools
import importlib
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from . import __version__

# Each command: the module that registers it (`register(subparsers)`, setting `func`) and its
# line in `relay-setup --help`, kept here so that listing needs no module imported.
COMMANDS: dict[str, tuple[str, str]] = {
    "probe": (
        "app.commands.probe",
        "probe a relay: ports, TLS, AUTH, certificate, and a recommendation",
    ),
    "discover": (
        "app.commands.discover",
        "find the relay from an email address (SRV, autoconfig, MX ...) and prove it live",
    ),
    "demo": (
        "app.commands.demo",
        "run against an embedded demo relay on 127.0.0.1 (no real relay needed)",
    ),
    "password": (
        "app.commands.credentials",
        "keep the relay password in the OS keyring (never in a file)",
    ),
    "login": (
        "app.commands.credentials",
        "check the login (EHLO, TLS, AUTH, QUIT): sends no message",
    ),
    "send-test": (
        "app.commands.credentials",
        "log in and send a short test message (to yourself by default)",
    ),
    "write": (
        "app.commands.write",
        "write a mail client's settings for the relay (backed up, undoable)",
    ),
    "undo": ("app.commands.write", "put back the files the last `write` changed"),
    "profile": (
        "app.commands.profile",
        "check an organisation profile; import or export Mozilla autoconfig",
    ),
    "apply": (
        "app.commands.apply",
        "set up a user by an organisation profile, with no questions (MDM, scripts)",
    ),
    "check": (
        "app.commands.check",
        "re-check the setup from this network: blocked port, new certificate, password (--fix)",
    ),
    "wizard": (
        "app.commands.wizard",
        "open the desktop wizard (as with no command); --resolver for its DNS lookups",
    ),
    "credential": (
        "app.commands.credential",
        "git credential helper: the relay password from the OS keyring (for send-email)",
    ),
}


class _Commands(argparse._SubParsersAction):  # type: ignore[type-arg]
    """The top level's subcommands: each gets its line of help from COMMANDS."""

    def add_parser(self, name: str, **kwargs: Any) -> Any:
        if name in COMMANDS:
            kwargs.setdefault("help", COMMANDS[name][1])
        return super().add_parser(name, **kwargs)


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
            from .commands.output import print_json

            print_json({"ok": False, "failure": "usage", "message": message}, indent=None)
        super().error(message)


def chosen_command(argv: Sequence[str]) -> str | None:
    """The subcommand argv names: its first word that is not an option (the top level's
    options, --help and --version, take no value)."""
    return next((word for word in argv if not word.startswith("-")), None)


def build_parser(
    json_on_error: bool = False, argv: Sequence[str] | None = None
) -> argparse.ArgumentParser:
    """The parser with every command; given argv, with just the module of the command it names
    (the others are listed by name and help only)."""
    parser = _Parser(
        json_on_error=json_on_error,
        prog="relay-setup",
        description="Get your mail client sending through your organisation's authenticated "
        "relay, safely. With no command, opens the desktop wizard.",
    )
    parser.add_argument("--version", action="version", version=f"relay-setup {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", action=_Commands)
    chosen = None if argv is None else COMMANDS.get(chosen_command(argv) or "", (None,))[0]
    registered: set[str] = set()
    for name, (module, _) in COMMANDS.items():
        if module in registered:
            continue
        if argv is None or module == chosen:
            importlib.import_module(module).register(sub)
            registered.add(module)
        else:
            sub.add_parser(name)  # listed; never chosen, or its module would be loaded
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(json_on_error="--json" in argv, argv=argv)
    args = parser.parse_args(argv)
    if args.command is None:
        from .commands.wizard import open_wizard

        return open_wizard(args)
    try:
        code: int = args.func(args)
    except KeyboardInterrupt:
        from . import exitcodes

        print("\ninterrupted", file=sys.stderr)
        return exitcodes.CANCELLED
    return code


if __name__ == "__main__":
    sys.exit(main())
