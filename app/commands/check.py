"""`relay-setup check`: prove the setup again from this network (and --fix, --notify), and
`--install-hooks` / `--remove-hooks` for the units that run it when the network changes."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any, TextIO

from .. import exitcodes
from .argtypes import positive_seconds
from .output import print_json, refuse

if TYPE_CHECKING:
    from ..core.roaming.check import CheckReport
    from ..core.roaming.hooks import HooksResult


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    c = sub.add_parser(
        "check",
        description="Probe the relay this program set up, from the network you are on now; "
        "compare with the last good result; check the login with the password in the OS "
        "keyring. A blocked port, a changed certificate or a refused password is named.",
    )
    c.add_argument(
        "--fix",
        action="store_true",
        help="if the configured port is blocked here and another works, move every mail "
        "program this program set up to it (backed up; `relay-setup undo` reverses it)",
    )
    c.add_argument(
        "--notify", action="store_true", help="a desktop notification when something is wrong"
    )
    c.add_argument("--json", action="store_true", help="one JSON object")
    c.add_argument("--quiet", action="store_true", help="print nothing when all is well")
    c.add_argument("--timeout", type=positive_seconds, default=5.0, metavar="S")
    c.add_argument("--deadline", type=positive_seconds, default=15.0, metavar="S")
    hooks = c.add_mutually_exclusive_group()
    hooks.add_argument(
        "--install-hooks",
        action="store_true",
        help="run `check --quiet --notify` when the network changes (systemd user units; "
        "as root also NetworkManager's dispatcher)",
    )
    hooks.add_argument("--remove-hooks", action="store_true", help="remove those again")
    c.set_defaults(func=run)


def run(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    if args.install_hooks or args.remove_hooks:
        return _hooks(args, out)
    from ..core.roaming import record as records
    from ..core.roaming.check import CheckOptions, check_setup

    try:
        found = records.load() or records.from_client_files()
    except records.RecordDamaged as exc:
        _notify(args, "Relay Setup cannot check your mail setup", str(exc), out)
        return refuse(args, str(exc), exitcodes.CONFIG)
    if found is None:
        return refuse(
            args,
            "nothing set up by relay-setup was found here (no record in the data folder, no "
            "msmtp account of ours): set up with the wizard or `relay-setup apply` first",
            exitcodes.CONFIG,
        )
    report = check_setup(
        found, CheckOptions(fix=args.fix, timeout=args.timeout, deadline=args.deadline)
    )
    notified = ""
    if report.needs_attention:
        notified = _notify(args, _summary(report), report.message, out, urgent=not report.ok)
    if args.json:
        print_json({**report.to_json(), "notification": notified or None}, out)
    elif not (args.quiet and report.ok and not report.needs_attention):
        _print_report(report, out)
        if notified:
            print(f"note: {notified}", file=out)
    return exitcodes.OK if report.failure is None else exitcodes.FOR_FAILURE[report.failure]


def _summary(report: CheckReport) -> str:
    from ..core.roaming.check import CheckStatus

    return {
        CheckStatus.OK: "Mail setup checked",
        CheckStatus.PORT_BLOCKED: "This network blocks your mail port"
        + (": fixed" if report.ok else ""),
        CheckStatus.CERTIFICATE_CHANGED: "Your mail relay has a new certificate",
        CheckStatus.CERTIFICATE_UNTRUSTED: "Warning: this network may be intercepting mail",
        CheckStatus.LOGIN_FAILED: "Your mail password no longer works",
        CheckStatus.UNREACHABLE: "Your mail relay cannot be reached from this network",
    }[report.status]


def _notify(args: argparse.Namespace, summary: str, body: str, out: TextIO, **kw: Any) -> str:
    """With --notify: the notification; the note to print when it could not be shown."""
    if not args.notify:
        return ""
    from ..core.roaming.notify import notify

    shown = notify(summary, body, **kw)
    return "" if shown.sent else f"no desktop notification: {shown.note}"


def _print_report(report: CheckReport, out: TextIO) -> None:
    from ..core.explain import explain_port

    s = report.record.setting
    print(f"{s.host} for {s.user} ({', '.join(report.record.clients)}):", file=out)
    for r in report.probe.ports if report.probe else ():
        print(f"  port {r.port:<6} {r.status.value:<17} {explain_port(r)}", file=out)
    print(report.message, file=out)
    for note in report.notes:
        print(f"note: {note}", file=out)
    for f in report.fixed or ():
        print(f"fixed: {f.client} {f.file}: port {f.old_port} -> {f.new_port}", file=out)


def _hooks(args: argparse.Namespace, out: TextIO) -> int:
    from ..core.roaming.hooks import HooksError, install_hooks, remove_hooks

    try:
        result = install_hooks() if args.install_hooks else remove_hooks()
    except HooksError as exc:
        return refuse(args, str(exc), exitcodes.CONFIG)
    if args.json:
        print_json(_hooks_json(result), out)
        return exitcodes.OK
    for path in result.written:
        print(f"wrote {path}", file=out)
    for path in result.removed:
        print(f"removed {path}", file=out)
    if args.install_hooks and not (result.written or result.notes):
        print("the hooks were already installed", file=out)
    if result.enabled:
        print("enabled with systemctl --user" if args.install_hooks else "disabled", file=out)
    for note in result.notes:
        print(f"note: {note}", file=out)
    return exitcodes.OK


def _hooks_json(result: HooksResult) -> dict[str, Any]:
    return {
        "ok": True,
        "written": [str(p) for p in result.written],
        "removed": [str(p) for p in result.removed],
        "enabled": result.enabled,
        "notes": list(result.notes),
    }
