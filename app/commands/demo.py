"""`relay-setup demo`: start the embedded relay on 127.0.0.1 and run the program against it."""

from __future__ import annotations

import argparse
import json
import sys

from .. import exitcodes
from ..core.demo_relay import DEMO_HOST, DEMO_USER, DemoRelay
from ..core.probe import ProbeOptions
from ..core.relay import probe_relay
from ..core.results import PortSpec
from .probe import print_details, print_row


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "demo",
        help="run against an embedded demo relay on 127.0.0.1 (no real relay needed)",
        description="Start a local relay that behaves like an organisation's Postfix "
        "(STARTTLS and implicit TLS, AUTH only after TLS, a throwaway private CA) and run "
        "Relay Setup against it.",
    )
    p.add_argument("--json", action="store_true", help="print the probe report as JSON")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    with DemoRelay(users={DEMO_USER: "demo-password"}) as relay:
        ports = (PortSpec(relay.implicit_port, implicit=True), PortSpec(relay.starttls_port))
        options = ProbeOptions(timeout=3.0, deadline=10.0, ca_file=relay.ca_file)
        out = sys.stdout
        if not args.json:
            print(
                f"Demo relay on {DEMO_HOST}: implicit TLS on port {relay.implicit_port}, "
                f"STARTTLS on port {relay.starttls_port}, private CA {relay.ca_file}",
                file=out,
            )
            print(f"\nStep 1 - probe {DEMO_HOST}", file=out)
        report = probe_relay(
            DEMO_HOST,
            ports,
            options,
            on_result=None if args.json else (lambda r: print_row(r, out)),
        )
        if args.json:
            json.dump(report.to_json(), out, indent=2)
            out.write("\n")
        else:
            print_details(report, out, verbose=False)
        return exitcodes.FOR_VERDICT[report.verdict]
