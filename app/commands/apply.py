"""`relay-setup apply`: the unattended setup for MDM, Ansible and login scripts. No questions;
the password only from standard input; a JSON report and one exit status per failure class."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from .. import exitcodes
from ..core.org.profiles import ProfileError
from ..core.settings import InvalidPassword
from ..core.setup.apply import ApplyOptions, ApplyReport, apply_profile
from ..core.setup.steps import StepReport
from .argtypes import add_resolver, client_list, host_name, path_text, positive_seconds
from .credentials import password_from_stdin
from .output import print_json, refuse
from .profile import resolve_profile


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from ..core.clients import CLIENTS

    p = sub.add_parser(
        "apply",
        description="Probe the profile's relay, check the login, keep the password in the OS "
        "keyring, optionally send a test message, and write the mail clients' settings. "
        "Safe to run again. The password is read from standard input, never from arguments.",
    )
    p.add_argument("--profile", metavar="P", help="the profile (default: the embedded one)")
    p.add_argument("--email", metavar="ADDR", help="the user's e-mail address")
    p.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from the first line of standard input (required)",
    )
    p.add_argument(
        "--ca",
        type=path_text,
        metavar="FILE",
        help="the private CA (PEM), where the profile has none",
    )
    p.add_argument(
        "--clients",
        type=client_list,
        metavar="CLIENT,...",
        help=f"the clients to configure: {', '.join(CLIENTS)} (default: the profile's)",
    )
    p.add_argument("--send-test", action="store_true", help="send a test message to ADDR")
    p.add_argument("--to", metavar="ADDR", help="send the test message here instead")
    p.add_argument("--json", action="store_true", help="print one JSON report")
    p.add_argument(
        "--timeout",
        type=positive_seconds,
        default=5.0,
        metavar="S",
        help="connect / read timeout per step (default 5)",
    )
    p.add_argument(
        "--deadline",
        type=positive_seconds,
        default=15.0,
        metavar="S",
        help="time limit for the probe of all ports (default 15)",
    )
    add_resolver(p)
    p.add_argument(
        "--accept-host",
        dest="accept_hosts",
        action="append",
        type=host_name,
        default=[],
        metavar="HOST",
        help="where the profile names no host: accept this discovered host although it is "
        "outside the address's domain (repeatable)",
    )
    p.add_argument(
        "--check",
        action="store_true",
        help="only check this machine: profile, OS keyring, certificate bundle; change nothing",
    )
    p.set_defaults(func=run)


def emit(args: argparse.Namespace, payload: dict[str, Any], text: str, code: int) -> int:
    if args.json:
        print_json(payload)
    else:
        print(text, file=sys.stdout if code == exitcodes.OK else sys.stderr)
    return code


def run_check(args: argparse.Namespace) -> int:
    from ..embedded import environment

    env = environment()
    try:
        profile = resolve_profile(args.profile)
        env["profile"] = {"valid": True, **profile.to_json()}
    except ProfileError as exc:
        env["profile"] = {"valid": False, "error": str(exc)}
    if not env["profile"]["valid"]:
        code = exitcodes.PROFILE
    elif not env["keyring"]["found"]:
        code = exitcodes.KEYRING
    else:
        code = exitcodes.OK if env["certifi"]["found"] else exitcodes.ERROR
    if args.json:
        return emit(args, env, "", code)
    print(f"relay-setup {env['version']}{' (frozen)' if env['frozen'] else ''}")
    profile_line = env["profile"].get("source") or env["profile"].get("error")
    print(f"  profile:   {'ok' if env['profile']['valid'] else 'NO'}  {profile_line}")
    keyring = env["keyring"]["backend"] or env["keyring"]["detail"]
    print(f"  keyring:   {'ok' if env['keyring']['found'] else 'NO'}  {keyring}")
    print(f"  CA bundle: {'ok' if env['certifi']['found'] else 'NO'}  {env['certifi']['path']}")
    return code


def run(args: argparse.Namespace) -> int:
    if args.check:
        return run_check(args)
    if not args.email:
        return refuse(args, "--email ADDR is required", exitcodes.USAGE, changed=False)
    if not args.password_stdin:
        return refuse(
            args,
            "the password is read only from standard input: give --password-stdin",
            exitcodes.USAGE,
            changed=False,
        )
    try:
        profile = resolve_profile(args.profile)
    except ProfileError as exc:
        return refuse(args, f"invalid profile: {exc}", exitcodes.PROFILE, changed=False)
    try:
        secret = password_from_stdin()
    except InvalidPassword as exc:
        return refuse(args, str(exc), exitcodes.USAGE, changed=False)
    options = ApplyOptions(
        clients=args.clients,
        send_test=args.send_test,
        test_to=args.to,
        extra_ca=Path(args.ca) if args.ca else None,
        timeout=args.timeout,
        deadline=args.deadline,
        nameserver=args.resolver,
        accept_hosts=tuple(args.accept_hosts),
    )
    report = apply_profile(
        profile, args.email, secret, options, on_step=None if args.json else print_step
    )
    code = exitcodes.FOR_FAILURE[report.failure] if report.failure else exitcodes.OK
    return emit(args, report.to_json(), summary(report), code)


def print_step(step: StepReport) -> None:
    print(f"  {step.step:<18} {step.status.value:<9} {step.detail}", flush=True)


def summary(report: ApplyReport) -> str:
    if report.ok:
        what = "changed" if report.changed else "nothing to change: already set up"
        return f"Done: {report.message} ({what})."
    text = f"Failed ({report.failure.value if report.failure else '?'}): {report.message}"
    help_at = " ".join(filter(None, (report.profile.help_url, report.profile.help_email)))
    return f"{text}\nHelp from {report.profile.organisation}: {help_at}" if help_at else text
