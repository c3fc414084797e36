"""`relay-setup probe HOST`: what each port of the relay offers, and the best secure setting."""

from __future__ import annotations

import argparse
import importlib
import sys
import threading
from typing import TextIO

from .. import exitcodes
from ..core.cafile import check_ca_file
from ..core.explain import explain_port, explain_report
from ..core.probe.port import ProbeOptions
from ..core.probe.relay import DEFAULT_PORTS, probe_relay
from ..core.probe.tls import prepare_verifying_context
from ..core.results import PortResult, ProbeReport, TlsMode
from .argtypes import add_pin, host_name, path_text, port_spec, positive_seconds
from .output import print_json, refuse


def add_probe_options(parser: argparse.ArgumentParser) -> None:
    """The options every command that probes shares."""
    parser.add_argument(
        "--port",
        dest="ports",
        action="append",
        type=port_spec,
        metavar="N[/implicit|/starttls]",
        help="a port to probe (repeatable; default 465, 587 and 25). 465 means implicit TLS; "
        "N/implicit forces it on another port",
    )
    parser.add_argument(
        "--ca", type=path_text, metavar="FILE", help="the organisation's private CA (PEM)"
    )
    add_pin(
        parser,
        help="accept a certificate that does not verify if it has exactly this SHA-256 "
        "fingerprint (AA:BB:...)",
    )
    parser.add_argument(
        "--timeout",
        type=positive_seconds,
        default=5.0,
        metavar="S",
        help="connect / read timeout per step (default 5)",
    )
    parser.add_argument(
        "--deadline",
        type=positive_seconds,
        default=15.0,
        metavar="S",
        help="time limit for the whole probe (default 15)",
    )


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "probe",
        description="Probe the relay's ports in parallel and recommend the best secure setting.",
    )
    p.add_argument("host", type=host_name, help="the relay's host name")
    add_probe_options(p)
    p.add_argument("--json", action="store_true", help="print one JSON object (for scripts)")
    p.add_argument("-v", "--verbose", action="store_true", help="show EHLO lines before/after TLS")
    p.set_defaults(func=run)


def options_from(args: argparse.Namespace) -> ProbeOptions:
    return ProbeOptions(
        timeout=args.timeout, deadline=args.deadline, ca_file=args.ca, pin_sha256=args.pin
    )


def run(args: argparse.Namespace) -> int:
    prepare_verifying_context(args.ca)  # while the CA is checked and the relay answers
    problem = check_ca_file(args.ca)
    if problem:
        return refuse(args, problem, exitcodes.USAGE)
    ports = tuple(args.ports) if args.ports else DEFAULT_PORTS
    out = sys.stdout
    if not args.json:
        print(f"Probing {args.host} on ports {', '.join(str(p) for p in ports)} ...", file=out)
        print(f"  {'PORT':<6} {'TLS':<9} {'RESULT':<17} MEANING", file=out)
    # The certificate reader's library is slow to import and needed only once TLS is up: import
    # it while the probe waits for the relay's first replies.
    threading.Thread(target=importlib.import_module, args=("cryptography.x509",)).start()
    report = probe_relay(
        args.host,
        ports,
        options_from(args),
        on_result=None if args.json else (lambda r: print_row(r, out)),
    )
    if args.json:
        print_json(report.to_json(), out)
    else:
        print_details(report, out, verbose=args.verbose)
    return exitcodes.FOR_VERDICT[report.verdict]


def print_row(result: PortResult, out: TextIO) -> None:
    tls = "-" if result.tls is TlsMode.NONE else result.tls.value
    print(f"  {result.port:<6} {tls:<9} {result.status.value:<17} {explain_port(result)}", file=out)
    out.flush()


def print_details(report: ProbeReport, out: TextIO, *, verbose: bool) -> None:
    for r in report.ports:
        lines: list[str] = []
        if r.detail:
            lines.append(f"detail: {r.detail}")
        if r.greeting and verbose:
            lines.append(f"greeting: {r.greeting}")
        if r.tls is not TlsMode.IMPLICIT and r.ehlo_before_tls:
            auth = " ".join(r.auth_before_tls) or "none"
            lines.append(
                f"before TLS: STARTTLS {'yes' if r.starttls_offered else 'no'}, AUTH {auth}"
            )
            if verbose:
                lines += [f"  {line}" for line in r.ehlo_before_tls]
        if r.tls_version or r.ehlo_after_tls:
            lines.append(f"after TLS: AUTH {' '.join(r.auth_after_tls) or 'none'}")
            if verbose:
                lines += [f"  {line}" for line in r.ehlo_after_tls]
        if r.tls_version:
            lines.append(f"TLS: {r.tls_version} {r.cipher}")
        cert = r.certificate
        if cert is not None:
            state = "verified" if cert.verified else ("pinned" if cert.pinned else "NOT verified")
            lines.append(
                f"certificate: {state}{' (' + cert.error_detail + ')' if cert.error_detail else ''}"
            )
            lines.append(f"  subject: {cert.subject}")
            lines.append(f"  issuer:  {cert.issuer}")
            if cert.san:
                lines.append(f"  names:   {', '.join(cert.san)}")
            lines.append(f"  expires: {cert.not_after}")
            lines.append(f"  SHA-256: {cert.sha256}")
        if lines:
            print(f"\nPort {r.port}:", file=out)
            for line in lines:
                print(f"  {line}", file=out)
    print(f"\nResult: {explain_report(report)} ({report.elapsed_ms} ms)", file=out)
    network = report.network
    if network.blocked or network.intercepted:
        print(f"Network: {report.advice}", file=out)
