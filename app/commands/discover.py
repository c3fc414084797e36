"""`relay-setup discover EMAIL`: find the relay from the address (profile, drop-in, autoconfig,
DNS SRV, MX, guesses), prove each candidate live with the probe, and recommend one."""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from .. import exitcodes
from ..core.cafile import check_ca_file
from ..core.discover.model import SourceOutcome
from ..core.discover.report import SOURCE_NAMES, DiscoveryReport
from ..core.discover.search import DiscoverOptions, discover
from ..core.explain import TLS_TEXT, VERDICT_TEXT
from ..core.org.profiles import Profile, ProfileError, load_profile
from ..embedded import embedded_profile_path
from .argtypes import add_accept_host, add_resolver, path_text, positive_seconds
from .output import print_json, refuse


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "discover",
        description="Find the relay from an email address the way the standards say (profile, "
        "local drop-in, Mozilla autoconfig, DNS SRV, MX, guesses), probe every candidate, and "
        "recommend the best secure setting. Sends no password.",
    )
    p.add_argument("email", help="the user's email address")
    add_resolver(p)
    p.add_argument(
        "--ca", type=path_text, metavar="FILE", help="the organisation's private CA (PEM)"
    )
    p.add_argument(
        "--timeout",
        type=positive_seconds,
        default=5.0,
        metavar="S",
        help="connect / read / DNS timeout per step (default 5)",
    )
    p.add_argument(
        "--deadline",
        type=positive_seconds,
        default=20.0,
        metavar="S",
        help="time limit for the whole discovery (default 20)",
    )
    p.add_argument(
        "--profile",
        metavar="FILE",
        help="an organisation profile to start from (default: the embedded one)",
    )
    add_accept_host(
        p,
        "a host outside the address's domain you confirm as your relay (repeatable)",
    )
    p.add_argument("--json", action="store_true", help="print one JSON object (for scripts)")
    p.add_argument("-v", "--verbose", action="store_true", help="show each port's probe result")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    problem = check_ca_file(args.ca)
    if problem:
        return refuse(args, problem, exitcodes.USAGE)
    profile: Profile | None = None
    given = args.profile or embedded_profile_path()  # a one-click installer's own profile
    if given is not None:
        try:
            profile = load_profile(given)
        except ProfileError as exc:
            return refuse(args, f"invalid profile: {exc}", exitcodes.PROFILE)
    options = DiscoverOptions(
        nameserver=args.resolver,
        ca_file=args.ca,
        timeout=args.timeout,
        deadline=args.deadline,
        profile=profile,
        accept_hosts=tuple(args.accept_hosts),
    )
    out = sys.stdout
    try:
        report = discover(
            args.email,
            options,
            on_source=None if args.json else (lambda outcome: print_source(outcome, out)),
        )
    except ValueError as exc:  # the address (values.InvalidValue, profiles.InvalidEmail)
        return refuse(args, str(exc), exitcodes.USAGE)
    if args.json:
        print_json(report.to_json(), out)
    else:
        print_report(report, out, verbose=args.verbose)
    return exitcodes.FOR_VERDICT[report.verdict]


def print_source(outcome: SourceOutcome, out: TextIO) -> None:
    name = SOURCE_NAMES[outcome.origin]
    hosts = ", ".join(dict.fromkeys(c.host for c in outcome.candidates))
    said = f"named {hosts}" if hosts else "nothing"
    print(f"  {name}: {said} ({outcome.elapsed_ms} ms)", file=out)
    for failure in outcome.failures:
        print(f"    {failure.asked}: {failure.reason}", file=out)
    out.flush()


def print_report(report: DiscoveryReport, out: TextIO, *, verbose: bool) -> None:
    print("\nCandidates:", file=out)
    for host in report.hosts:
        sources = ", ".join(dict.fromkeys(SOURCE_NAMES[c.origin] for c in host.candidates))
        print(f"  {host.host} (from {sources})", file=out)
        print(f"    {host.why}", file=out)
        for line in host.disagreements:
            print(f"    note: {line}", file=out)
        if verbose and host.probe is not None:
            for r in host.probe.ports:
                detail = f" ({r.detail})" if r.detail else ""
                print(f"    port {r.port}: {r.status.value}{detail}", file=out)
    if not report.hosts:
        print("  none", file=out)
    chosen = report.chosen
    if chosen is None:
        print(f"\nResult: {VERDICT_TEXT[report.verdict]} ({report.elapsed_ms} ms)", file=out)
        return
    print(
        f"\nResult: use {chosen.host} port {chosen.port} with {TLS_TEXT[chosen.tls]}, login "
        f"{chosen.mechanisms[0]} (from {SOURCE_NAMES[chosen.origin]}; {report.elapsed_ms} ms)",
        file=out,
    )
    if report.needs_confirmation:
        print(
            f"Confirm first: {chosen.host} is outside {report.domain} and no authenticated "
            f"source named it. Give it a password only if it is your organisation's relay "
            f"(apply: --accept-host {chosen.host}).",
            file=out,
        )
