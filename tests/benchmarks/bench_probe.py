"""Benchmark: the probe's parallelism, and what a silently dropping port costs.

    python3 tests/benchmarks/bench_probe.py [--rounds N] [--timeout S] [--latency MS]

Prints, for a local relay of three ports (implicit TLS, STARTTLS, STARTTLS) served by another
process, once as it is on loopback and once with every line the server writes delayed by
--latency ms (a relay some way off: on loopback the probe is pure CPU, which threads cannot
hide):
  1. the wall time of probing the 3 ports in parallel and of probing them one after another,
     against the slowest single port (target: parallel <= 1.3 x the slowest single port);
  2. with a 4th port whose packets are dropped (nftables in a network namespace of our own, as
     root): when the other ports' results arrive, and the total (targets: the others are not
     delayed; the total exceeds the parallel probe by no more than the connect timeout).
Everything runs on loopback: in this namespace, or in the one the script makes and removes.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve()
sys.path[:0] = [str(HERE.parents[2]), str(HERE.parents[1])]

import trustme  # noqa: E402
from servers import Pki, smtp_server  # noqa: E402

from app.core.demo_relay import ImplicitTlsAwareSMTP  # noqa: E402
from app.core.probe.port import ProbeOptions  # noqa: E402
from app.core.probe.relay import probe_relay  # noqa: E402
from app.core.results import PortSpec  # noqa: E402

NETNS = "relay-setup-bench"
DROPPED_PORT = 2526


def serve(folder: str, latency_ms: float) -> None:
    """The relay's three ports, in their own process (as a real relay would be: not competing
    with the client for the interpreter). Prints its ports; serves until stdin closes."""

    class SlowSMTP(ImplicitTlsAwareSMTP):
        async def push(self, status: str) -> None:
            await asyncio.sleep(latency_ms / 1000)
            await super().push(status)

    pki = Pki(trustme.CA(), Path(folder))
    with (
        smtp_server("implicit", pki.server_context(), smtp_class=SlowSMTP) as implicit,
        smtp_server("starttls", pki.server_context(), smtp_class=SlowSMTP) as submission,
        smtp_server("starttls", pki.server_context(), smtp_class=SlowSMTP) as port25,
    ):
        ports = [implicit.port, submission.port, port25.port]
        print(json.dumps({"ports": ports, "ca_file": pki.ca_file}), flush=True)
        sys.stdin.read()


@contextlib.contextmanager
def relay_process(latency_ms: float) -> Iterator[dict[str, Any]]:
    with tempfile.TemporaryDirectory() as folder:
        command = [sys.executable, str(HERE), "--serve", folder, "--latency", str(latency_ms)]
        child = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert child.stdin is not None and child.stdout is not None
        try:
            yield json.loads(child.stdout.readline())
        finally:
            child.stdin.close()
            child.wait(10)


def wall_time(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def ms(seconds: float) -> str:
    return f"{seconds * 1000:9.1f} ms"


def measure(relay: dict[str, Any], rounds: int, timeout: float, dropped: int | None) -> None:
    first, second, third = relay["ports"]
    specs = [PortSpec(first, implicit=True), PortSpec(second), PortSpec(third)]
    options = ProbeOptions(timeout=timeout, deadline=timeout * 4, ca_file=relay["ca_file"])
    probe_relay("localhost", specs, options)  # warm-up: imports, TLS contexts

    parallel: list[float] = []
    sequential: list[float] = []
    single: dict[int, list[float]] = {s.port: [] for s in specs}
    for _ in range(rounds):
        parallel.append(wall_time(lambda: probe_relay("localhost", specs, options)))
        one_by_one = 0.0
        for spec in specs:
            t = wall_time(lambda spec=spec: probe_relay("localhost", [spec], options))
            single[spec.port].append(t)
            one_by_one += t
        sequential.append(one_by_one)
    par = statistics.median(parallel)
    slowest = max(statistics.median(v) for v in single.values())
    print(f"  parallel probe of 3 ports (median):  {ms(par)}")
    print(f"  one port after another (median):     {ms(statistics.median(sequential))}")
    print(f"  slowest single port (median):        {ms(slowest)}")
    verdict = "meets" if par <= 1.3 * slowest else "MISSES"
    print(
        f"  parallel / slowest single:           {par / slowest:9.2f}    "
        f"({verdict} the <= 1.3 target)"
    )

    if dropped is None:
        print(
            "  silent port: skipped (needs root, `ip` and `nft` for a namespace with a drop rule)"
        )
        return
    arrivals: dict[int, float] = {}
    started = time.perf_counter()
    report = probe_relay(
        "localhost",
        [*specs, PortSpec(dropped)],
        options,
        on_result=lambda r: arrivals.setdefault(r.port, time.perf_counter() - started),
    )
    total = time.perf_counter() - started
    others = max(arrivals[s.port] for s in specs)
    print(f"  with port {dropped} dropping packets (connect timeout {timeout:.1f} s):")
    for r in report.ports:
        print(f"    port {r.port:<6} {r.status.value:<9} result after {ms(arrivals[r.port])}")
    print(
        f"    other ports' results all in:       {ms(others)}  (delay vs. no silent port: "
        f"{(others - par) * 1000:+.1f} ms)"
    )
    print(
        f"    total:                             {ms(total)}  (over the parallel probe: "
        f"{(total - par) * 1000:+.1f} ms; connect timeout {timeout * 1000:.0f} ms)"
    )


def run(rounds: int, timeout: float, latency_ms: float, dropped: int | None) -> None:
    print(f"rounds: {rounds}; CPUs: {os.cpu_count()}")
    for label, delay in (
        ("loopback, no added latency", 0.0),
        (f"each line the server writes delayed {latency_ms:g} ms", latency_ms),
    ):
        print(f"\n{label}:")
        with relay_process(delay) as relay:
            measure(relay, rounds, timeout, dropped)


def in_own_namespace(argv: list[str]) -> int:
    """Re-run this script inside a network namespace whose loopback drops one port."""
    rules = (
        "table inet relay_setup_bench {\n"
        "  chain input { type filter hook input priority 0; policy accept;\n"
        f"    tcp dport {DROPPED_PORT} drop; }}\n}}\n"
    )
    subprocess.run(["ip", "netns", "add", NETNS], check=True)
    try:
        subprocess.run(["ip", "netns", "exec", NETNS, "ip", "link", "set", "lo", "up"], check=True)
        subprocess.run(
            ["ip", "netns", "exec", NETNS, "nft", "-f", "-"], input=rules.encode(), check=True
        )
        child = [sys.executable, str(HERE), *argv, "--inside-netns"]
        return subprocess.run(["ip", "netns", "exec", NETNS, *child], check=False).returncode
    finally:
        subprocess.run(["ip", "netns", "delete", NETNS], check=False)


def main() -> int:
    parser = argparse.ArgumentParser(description="Benchmark the relay probe.")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--timeout", type=float, default=2.0, help="connect timeout (s)")
    parser.add_argument(
        "--latency", type=float, default=20.0, help="delay before each server line (ms)"
    )
    parser.add_argument("--inside-netns", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--serve", metavar="FOLDER", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.latency)
        return 0
    if args.inside_netns:
        run(args.rounds, args.timeout, args.latency, DROPPED_PORT)
        return 0
    if os.geteuid() == 0 and shutil.which("ip") and shutil.which("nft"):
        with contextlib.suppress(subprocess.CalledProcessError):
            return in_own_namespace(sys.argv[1:])
    run(args.rounds, args.timeout, args.latency, None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
