"""`relay-setup write CLIENT ...` (merge our relay into a mail client's settings) and
`relay-setup undo` (put back what the last write changed)."""

from __future__ import annotations

import argparse
import contextlib
import sys
from typing import TextIO

from .. import exitcodes
from ..core.appdirs import CaFileError, install_ca_bytes
from ..core.cafile import read_ca_file
from ..core.clients import CLIENTS, get_client
from ..core.clients.base import ClientError, ClientInfo, ClientSettings, Plan
from ..core.clients.safewrite import ApplyResult, UndoResult, apply, history, undo, writer_lock
from ..core.results import USABLE_MECHANISMS, TlsMode
from .argtypes import add_pin, address, file_path, host_name, port_number, user_name
from .setting_args import setting_from


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    w = sub.add_parser(
        "write",
        description="Add or update the relay in a mail client's configuration, keeping every "
        "other line. The original is backed up first; `relay-setup undo` puts it back. "
        "No password is ever written.",
    )
    w.add_argument("client", choices=tuple(CLIENTS), help="the mail client")
    w.add_argument("--dry-run", action="store_true", help="print the diff, write nothing")
    w.add_argument(
        "--config", type=file_path, metavar="PATH", help="the client's configuration file"
    )
    w.add_argument("--profile", metavar="NAME", help="Thunderbird: the profile (default: default)")
    w.add_argument("--host", required=True, type=host_name, help="the relay's host name")
    w.add_argument("--port", required=True, type=port_number, help="the relay's port")
    w.add_argument(
        "--tls",
        choices=(TlsMode.STARTTLS.value, TlsMode.IMPLICIT.value),
        help="implicit TLS or STARTTLS (default: implicit on 465, else starttls)",
    )
    w.add_argument("--user", required=True, type=user_name, help="the login name")
    w.add_argument(
        "--from", dest="mail_from", type=address, metavar="ADDR", help="the From address"
    )
    w.add_argument(
        "--auth",
        type=str.upper,
        choices=USABLE_MECHANISMS,
        help="force a mechanism (default: best)",
    )
    trust = w.add_mutually_exclusive_group()
    trust.add_argument("--ca", type=file_path, metavar="FILE", help="the organisation's private CA")
    add_pin(trust, help="pin this certificate: its SHA-256 fingerprint (AA:BB:...)")
    w.set_defaults(func=run_write)

    u = sub.add_parser(
        "undo",
        description="Restore each file the last write session changed from its backup (or "
        "remove it, if that write created it). Run again to go further back.",
    )
    u.add_argument("client", nargs="?", choices=tuple(CLIENTS), help="only this client's writes")
    u.add_argument("--dry-run", action="store_true", help="say what would be restored")
    u.add_argument(
        "--force",
        action="store_true",
        help="restore even a file changed since the write (its current content is kept in "
        "the data folder)",
    )
    u.add_argument("--list", action="store_true", help="list the writes undo can reverse")
    u.set_defaults(func=run_undo)


def run_write(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    options = {"profile": args.profile} if args.profile else {}
    # A real write plans under the writers' lock: a run beside it must not find the file "up to
    # date" while the other is changing it.
    lock = contextlib.nullcontext() if args.dry_run else writer_lock()
    try:
        with lock:
            # Read once: a dry run makes no copy, so the plan takes the bytes themselves.
            ca_pem = read_ca_file(args.ca) if args.ca else None
            ca = install_ca_bytes(ca_pem, dry_run=args.dry_run) if ca_pem else None
            settings = ClientSettings.for_relay(setting_from(args), ca, ca_pem)
            client = get_client(args.client)
            print_found(client.detect(config=args.config), out)
            plan = client.plan(settings, config=args.config, **options)
            result = apply(plan, dry_run=args.dry_run)
    except CaFileError as exc:
        print(f"relay-setup: {exc}", file=sys.stderr)
        return exitcodes.USAGE
    except ClientError as exc:
        print(f"relay-setup: {exc}", file=sys.stderr)
        return exitcodes.CONFIG
    print_plan(plan, result, out)
    return exitcodes.OK if all(a.ok for a in result.actions) else exitcodes.CONFIG


def print_found(info: ClientInfo, out: TextIO) -> None:
    version = f" {info.version}" if info.version else ""
    state = f"{info.name}{version}" if info.installed else f"{info.name} (not installed)"
    running = ", running" if info.running else ""
    where = f": {info.config_path}" if info.config_path else ""
    print(f"{state}{running}{where}", file=out)
    for note in info.notes:
        print(f"note: {note}", file=out)


def print_plan(plan: Plan, result: ApplyResult, out: TextIO) -> None:
    if not plan.changed:
        paths = ", ".join(str(c.path) for c in plan.changes)
        print(f"{plan.client}: {paths} already up to date; nothing written", file=out)
    else:
        out.write(plan.diff())
    if result.dry_run:
        for action in plan.actions:
            print(f"would run: {' '.join(action.argv)}  ({action.why})", file=out)
        if plan.changed:
            print("dry run: nothing was written", file=out)
    for w in result.written:
        kept = f" (backup: {w.backup})" if w.backup else " (new file)"
        print(f"wrote {w.path}{kept}", file=out)
    for a in result.actions:
        state = "done" if a.ok else f"FAILED ({a.returncode}): {a.output}"
        print(f"ran: {' '.join(a.command.argv)}: {state}", file=out)
    for note in plan.notes:
        print(f"note: {note}", file=out)
    if result.written:
        print("`relay-setup undo` puts the previous files back", file=out)


def run_undo(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    try:
        if args.list:
            sessions = [s for s in history() if args.client in (None, s[1])]
            for session, client, when in reversed(sessions):
                print(f"{when}  {client:<12} {session}", file=out)
            if not sessions:
                print("nothing to undo", file=out)
            return exitcodes.OK
        result = undo(args.client, force=args.force, dry_run=args.dry_run)
    except ClientError as exc:
        print(f"relay-setup: {exc}", file=sys.stderr)
        return exitcodes.CONFIG
    print_undo(result, out)
    return exitcodes.OK if all(a.ok for a in result.actions) else exitcodes.CONFIG


def print_undo(result: UndoResult, out: TextIO) -> None:
    would = "would " if result.dry_run else ""
    print(f"undoing {result.client} write {result.session}", file=out)
    for path in result.restored:
        print(f"  {would}restore {path}", file=out)
    for path in result.removed:
        print(f"  {would}remove {path} (the write had created it)", file=out)
    for path in result.unchanged:
        print(f"  {path}: already as before", file=out)
    for path in result.saved:
        print(f"  the overwritten content is kept in {path}", file=out)
    for a in result.actions:
        state = "done" if a.ok else f"FAILED ({a.returncode}): {a.output}"
        print(f"  ran: {' '.join(a.command.argv)}: {state}", file=out)
