"""Benchmark: a roaming user's network — a relay 100 ms away, one port dropped.

    python3 tests/benchmarks/bench_roaming.py [--rounds N] [--rtt MS] [--timeout S]

Runs (as root, with `ip` and `nft`) in a network namespace of its own: the relay (465 implicit
TLS, 25 STARTTLS; certificates from a test CA) behind a delaying proxy that holds every chunk
--rtt/2 ms in each direction (the kernel has no netem here; the proxy also waits --rtt ms before
it connects onwards, as a SYN's round trip would, though the client's own connect completes at
once), and port 587 dropped by nftables. Prints:
  1. filtered port: the time to the recommendation with 587 dropped, against the slowest
     answering port probed alone (target <= 1.3x), with the connect pacing on and off;
  2. an unmarked implicit-TLS port: the time to its result probed as `N` (plain greeting and
     implicit TLS at once) against `N/implicit` (its own handshake; target <= 2x).
Everything stays on the namespace's loopback.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve()
sys.path[:0] = [str(HERE.parents[2]), str(HERE.parents[1])]

import roaming_net  # noqa: E402
import trustme  # noqa: E402
from servers import Pki, smtp_server  # noqa: E402

from app.core.probe import relay as relay_module  # noqa: E402
from app.core.probe.port import ProbeOptions  # noqa: E402
from app.core.probe.relay import probe_relay  # noqa: E402
from app.core.results import PortSpec  # noqa: E402

NETNS = "relay-setup-bench-roaming"
IMPLICIT, DROPPED, STARTTLS = 465, 587, 25
UNMARKED = 2465  # the implicit-TLS relay port again, under a number that says nothing


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, delay: float) -> None:
    """Forward what `reader` gives to `writer`, each chunk `delay` later, in order."""
    due: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()

    async def deliver() -> None:
        while True:
            at, chunk = await due.get()
            await asyncio.sleep(max(0.0, at - time.monotonic()))
            if not chunk:
                with contextlib.suppress(OSError):
                    writer.close()
                return
            writer.write(chunk)
            with contextlib.suppress(OSError):
                await writer.drain()

    delivering = asyncio.create_task(deliver())
    with contextlib.suppress(OSError):
        while chunk := await reader.read(65536):
            due.put_nowait((time.monotonic() + delay, chunk))
    due.put_nowait((time.monotonic() + delay, b""))
    await delivering


async def _proxy(listen: int, target: int, rtt: float) -> asyncio.Server:
    async def handle(client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        await asyncio.sleep(rtt)  # the round trip of the connect, paid before anything flows
        try:
            server_r, server_w = await asyncio.open_connection("127.0.0.1", target)
        except OSError:
            client_w.close()
            return
        await asyncio.gather(_pipe(client_r, server_w, rtt / 2), _pipe(server_r, client_w, rtt / 2))

    return await asyncio.start_server(handle, "127.0.0.1", listen)


def serve(folder: str, rtt_ms: float) -> None:
    """The relay and its delaying proxies, in their own process; serves until stdin closes."""
    pki = Pki(trustme.CA(), Path(folder))
    with (
        smtp_server("implicit", pki.server_context()) as implicit,
        smtp_server("starttls", pki.server_context()) as starttls,
    ):
        loop = asyncio.new_event_loop()
        rtt = rtt_ms / 1000
        routes = {IMPLICIT: implicit.port, STARTTLS: starttls.port, UNMARKED: implicit.port}
        for listen, target in routes.items():
            loop.run_until_complete(_proxy(listen, target, rtt))
        threading.Thread(target=loop.run_forever, daemon=True).start()
        print(json.dumps({"ca_file": pki.ca_file}), flush=True)
        sys.stdin.read()
    os._exit(0)  # the proxies' loop and its pending connections go with the process


@contextlib.contextmanager
def relay_process(rtt_ms: float) -> Iterator[dict[str, Any]]:
    with tempfile.TemporaryDirectory() as folder:
        command = [sys.executable, str(HERE), "--serve", folder, "--rtt", str(rtt_ms)]
        child = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert child.stdin is not None and child.stdout is not None
        try:
            yield json.loads(child.stdout.readline())
        finally:
            child.stdin.close()
            child.wait(10)


class _NoPacing:
    """The probe as it was: a dropped connect is waited out to its timeout."""

    def answered(self, seconds: float) -> None:
        pass

    slowest = None

    def patience(self) -> None:
        return None


def timed(specs: list[PortSpec], options: ProbeOptions, paced: bool = True) -> tuple[float, Any]:
    pacing = getattr(relay_module, "ConnectPace", None)
    if not paced and pacing is not None:
        relay_module.ConnectPace = _NoPacing  # type: ignore[attr-defined,assignment]
    try:
        started = time.perf_counter()
        report = probe_relay("127.0.0.1", specs, options)
        return time.perf_counter() - started, report
    finally:
        if pacing is not None:
            relay_module.ConnectPace = pacing  # type: ignore[attr-defined]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.0f} ms"


def run(rounds: int, rtt_ms: float, timeout: float) -> None:
    print(f"rounds: {rounds}; CPUs: {os.cpu_count()}; round trip {rtt_ms:g} ms (proxy)")
    with relay_process(rtt_ms) as relay:
        options = ProbeOptions(timeout=timeout, deadline=timeout * 4, ca_file=relay["ca_file"])
        answering = [PortSpec(IMPLICIT, implicit=True), PortSpec(STARTTLS)]
        everything = [answering[0], PortSpec(DROPPED), answering[1]]
        timed(answering, options)  # warm-up: imports, TLS contexts
        alone = {s.port: [timed([s], options)[0] for _ in range(rounds)] for s in answering}
        slowest = max(statistics.median(v) for v in alone.values())
        with_drop = [timed(everything, options) for _ in range(rounds)]
        unpaced = [timed(everything, options, paced=False)[0] for _ in range(min(rounds, 3))]
        took = statistics.median(t for t, _ in with_drop)
        report = with_drop[-1][1]
        print("\n1. one port dropped (587), the others answering:")
        for spec in answering:
            alone_ms = ms(statistics.median(alone[spec.port]))
            print(f"   port {spec.port} probed alone (median):             {alone_ms}")
        statuses = ", ".join(f"{r.port} {r.status.value}" for r in report.ports)
        rec = report.recommended.port if report.recommended else None
        print(f"   all three, to the recommendation (median): {ms(took)}  ({statuses}; use {rec})")
        verdict = "meets" if took <= 1.3 * slowest else "MISSES"
        ratio = took / slowest
        print(f"   / slowest answering port:                  {ratio:7.2f}x  ({verdict} <= 1.3x)")
        print(
            f"   without the connect pacing (median of {len(unpaced)}):  "
            f"{ms(statistics.median(unpaced))}  (the {timeout:g} s connect timeout)"
        )

        marked = [timed([PortSpec(UNMARKED, implicit=True)], options)[0] for _ in range(rounds)]
        unmarked_runs = [timed([PortSpec(UNMARKED)], options) for _ in range(rounds)]
        own = statistics.median(marked)
        guessed = statistics.median(t for t, _ in unmarked_runs)
        kind = unmarked_runs[-1][1].ports[0]
        print(f"\n2. port {UNMARKED} speaking implicit TLS:")
        print(f"   as {UNMARKED}/implicit (its own handshake, median): {ms(own)}")
        print(
            f"   as {UNMARKED}, unmarked (median):               {ms(guessed)}  "
            f"({kind.status.value}, {kind.tls.value}, implicit_fallback={kind.implicit_fallback})"
        )
        verdict = "meets" if guessed <= 2 * own else "MISSES"
        ratio = guessed / own
        print(f"   / its own handshake:                        {ratio:7.2f}x  ({verdict} <= 2x)")


def in_own_namespace(argv: list[str]) -> int:
    """Re-run this script inside a network namespace whose loopback drops port 587."""
    with roaming_net.namespace(NETNS):
        roaming_net.load_rules(NETNS, roaming_net.drop(DROPPED))
        child = [sys.executable, str(HERE), *argv, "--inside-netns"]
        return subprocess.run(["ip", "netns", "exec", NETNS, *child], check=False).returncode


def main() -> int:
    parser = argparse.ArgumentParser(description="Benchmark the probe on a roaming network.")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--rtt", type=float, default=100.0, help="added round trip (ms)")
    parser.add_argument("--timeout", type=float, default=5.0, help="connect / read timeout (s)")
    parser.add_argument("--inside-netns", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--serve", metavar="FOLDER", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.rtt)
        return 0
    if args.inside_netns:
        run(args.rounds, args.rtt, args.timeout)
        return 0
    if not roaming_net.available():
        print("needs root, `ip` and `nft` (a network namespace with a drop rule)")
        return 2
    return in_own_namespace(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
