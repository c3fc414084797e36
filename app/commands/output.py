"""How every command ends: one JSON object for scripts (--json) or words for people, and one
name per exit status in that object, so `"failure": "keyring"` always comes with status 9."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, TextIO

from .. import exitcodes

# The "failure" a JSON object names for each status a command stops with before (or instead
# of) its own report.
FAILURE_NAME = {
    exitcodes.USAGE: "usage",
    exitcodes.KEYRING: "keyring",
    exitcodes.CONFIG: "config",
    exitcodes.PROFILE: "profile",
    exitcodes.ERROR: "error",
}


class CommandError(Exception):
    """Ends a command with a message and an exit status (see `refuse`)."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


def print_json(data: dict[str, Any], out: TextIO | None = None, *, indent: int | None = 2) -> None:
    """The one JSON object a command prints, on a line (or lines) of its own."""
    out = out or sys.stdout
    json.dump(data, out, indent=indent)
    out.write("\n")


def refuse(args: argparse.Namespace, message: str, status: int, **extra: Any) -> int:
    """A command stopped: with --json the object {"ok": false, "failure", "message"} (and
    `extra`) on stdout, else `relay-setup: message` on stderr. Returns the status."""
    if getattr(args, "json", False):
        print_json({"ok": False, **extra, "failure": FAILURE_NAME[status], "message": message})
    else:
        print(f"relay-setup: {message}", file=sys.stderr)
    return status
