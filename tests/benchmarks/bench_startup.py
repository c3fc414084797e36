"""Benchmark: how fast Relay Setup starts, every figure of issue 11 side by side.

    python3 tests/benchmarks/bench_startup.py [--runs N] [--latency MS]

Each figure is the median wall time of --runs runs of a fresh process, against its target:
  1. `relay-setup --help` against a bare `python -c pass`      (target: within + 0.1 s);
  2. `relay-setup probe` of one STARTTLS port on loopback against `msmtp --serverinfo` on the
     same port                                                    (target: within 2x),
     and beside it the floor: the least a Python program does for the same answer;
  3. with each line the relay writes delayed --latency ms (bench_probe.py's relay), the 3-port
     probe against msmtp over the same 3 ports one after another  (target: <= 0.5x);
  4. the wizard's first paint after launch, under Xvfb          (target: <= 0.6 s).
Everything runs on loopback; the relay is bench_probe.py's, served by another process.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve()
ROOT = HERE.parents[2]
sys.path[:0] = [str(HERE.parent)]

from bench_probe import relay_process  # noqa: E402

PYTHON = sys.executable
RELAY_SETUP = [PYTHON, "-m", "app"]  # this tree's code, without the launcher script's own cost

# Runs the wizard as `relay-setup` does and prints the wall clock at its window's first paint.
FIRST_PAINT = """
import sys, time
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication

class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and watched.isWidgetType() and watched.isWindow():
            print(time.time(), flush=True)
            QApplication.instance().exit(0)
        return False

run_loop = QApplication.exec
def exec_watched(app):
    watcher = FirstPaint(app)
    app.installEventFilter(watcher)
    return run_loop()  # a static method in PySide6
QApplication.exec = exec_watched

from app.cli import main
sys.exit(main([]))
"""


# An installed program runs from compiled .pyc files; with PYTHONDONTWRITEBYTECODE (set on the
# developers' machines) every run would compile this tree's sources again, tens of ms that no
# user pays. The warm-up run writes them, outside the tree.
_PYCACHE = tempfile.mkdtemp(prefix="bench-pycache-")
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | {
    "PYTHONPYCACHEPREFIX": _PYCACHE
}

# The least a Python program can do for the same answer: the interpreter, ssl, the same trust
# (certifi + system + the given CA), one STARTTLS handshake and EHLO, no parsing of replies.
FLOOR = r"""
import socket, ssl, sys
import certifi
host, port, ca = sys.argv[1], int(sys.argv[2]), sys.argv[3]
ctx = ssl.create_default_context(cafile=certifi.where())
ctx.load_default_certs()
ctx.load_verify_locations(cafile=ca)
with socket.create_connection((host, port), 5) as raw:
    lines = raw.makefile("rb")
    def reply():
        while (line := lines.readline())[3:4] == b"-":
            pass
    reply()
    raw.sendall(b"EHLO floor.invalid\r\n"); reply()
    raw.sendall(b"STARTTLS\r\n"); reply()
    with ctx.wrap_socket(raw, server_hostname=host) as tls:
        tls.getpeercert(binary_form=True)
        tls.sendall(b"QUIT\r\n")
"""


def wall(argv: Sequence[str], env: dict[str, str] | None = None) -> float:
    started = time.perf_counter()
    done = subprocess.run(argv, cwd=ROOT, env=env or CHILD_ENV, capture_output=True, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode not in (0,):
        raise SystemExit(f"{' '.join(argv)}: exit {done.returncode}\n{done.stderr.decode()}")
    return elapsed


def median(runs: int, fn: Callable[[], float]) -> float:
    fn()  # warm-up: the page cache, .pyc files
    return statistics.median(fn() for _ in range(runs))


def row(label: str, ours: float, theirs_label: str, theirs: float, target: str, ok: bool) -> None:
    print(
        f"  {label:<34} {ours * 1000:7.0f} ms   {theirs_label:<30} {theirs * 1000:7.0f} ms   "
        f"{target:<22} {('meets' if ok else 'MISSES') if target else ''}"
    )


def msmtp_serverinfo(port: int, implicit: bool, ca_file: str) -> list[str]:
    return [
        "msmtp",
        "--serverinfo",
        "--host=localhost",
        f"--port={port}",
        "--tls=on",
        f"--tls-starttls={'off' if implicit else 'on'}",
        f"--tls-trust-file={ca_file}",
    ]


def probe_argv(ports: Sequence[str], ca_file: str) -> list[str]:
    return [*RELAY_SETUP, "probe", "localhost", *(f"--port={p}" for p in ports), "--ca", ca_file]


def help_figure(runs: int) -> None:
    bare = median(runs, lambda: wall([PYTHON, "-c", "pass"]))
    ours = median(runs, lambda: wall([*RELAY_SETUP, "--help"]))
    row("relay-setup --help", ours, "python -c pass", bare, "<= bare + 100 ms", ours <= bare + 0.1)


def probe_figures(runs: int, latency_ms: float) -> None:
    if not shutil.which("msmtp"):
        print("  probe figures: skipped (no msmtp)")
        return
    with relay_process(0.0) as relay:
        implicit, starttls, _ = relay["ports"]
        ca = relay["ca_file"]
        ours = median(runs, lambda: wall(probe_argv([f"{starttls}/starttls"], ca)))
        theirs = median(runs, lambda: wall(msmtp_serverinfo(starttls, False, ca)))
        row(
            "probe, 1 STARTTLS port",
            ours,
            "msmtp --serverinfo",
            theirs,
            "<= 2x",
            ours <= 2 * theirs,
        )
        floor = median(runs, lambda: wall([PYTHON, "-c", FLOOR, "localhost", str(starttls), ca]))
        row("  floor: python, ssl, 1 handshake", floor, "msmtp --serverinfo", theirs, "", True)
    with relay_process(latency_ms) as relay:
        implicit, starttls, port25 = relay["ports"]
        ca = relay["ca_file"]
        specs = [f"{implicit}/implicit", f"{starttls}/starttls", f"{port25}/starttls"]
        ours = median(runs, lambda: wall(probe_argv(specs, ca)))
        theirs = median(
            runs,
            lambda: sum(
                wall(msmtp_serverinfo(port, port == implicit, ca))
                for port in (implicit, starttls, port25)
            ),
        )
        row(
            f"probe, 3 ports, {latency_ms:g} ms per reply",
            ours,
            "msmtp, the 3 one after another",
            theirs,
            "<= 0.5x",
            ours <= 0.5 * theirs,
        )


@contextmanager
def xvfb() -> Iterator[dict[str, str] | None]:
    if not shutil.which("Xvfb"):
        yield None
        return
    display = f":{100 + os.getpid() % 800}"
    server = subprocess.Popen(["Xvfb", display, "-nolisten", "tcp"], stderr=subprocess.DEVNULL)
    try:
        time.sleep(0.5)  # Xvfb takes a moment to accept clients
        env = {
            k: v for k, v in CHILD_ENV.items() if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY")
        }
        yield env | {"DISPLAY": display}
    finally:
        server.terminate()
        server.wait(10)


def first_paint_figure(runs: int) -> None:
    with xvfb() as env, tempfile.TemporaryDirectory() as scratch:
        if env is None:
            print("  wizard first paint: skipped (no Xvfb)")
            return
        env = env | {"HOME": scratch, "XDG_DATA_HOME": str(Path(scratch) / "data")}

        def once() -> float:
            launched = time.time()
            done = subprocess.run(
                [PYTHON, "-c", FIRST_PAINT], cwd=ROOT, env=env, capture_output=True, check=False
            )
            if done.returncode != 0 or not done.stdout.strip():
                raise SystemExit(f"wizard: exit {done.returncode}\n{done.stderr.decode()}")
            return float(done.stdout.split()[-1]) - launched

        ours = median(runs, once)
        row("wizard's first paint", ours, "target", 0.6, "<= 600 ms", ours <= 0.6)


def main() -> int:
    parser = argparse.ArgumentParser(description="Benchmark Relay Setup's start-up.")
    parser.add_argument("--runs", type=int, default=7, help="runs per figure (median)")
    parser.add_argument(
        "--latency", type=float, default=100.0, help="delay before each relay line (ms)"
    )
    parser.add_argument("--skip-wizard", action="store_true", help="no Xvfb figure")
    args = parser.parse_args()
    print(f"medians of {args.runs} runs; CPUs: {os.cpu_count()}; load: {os.getloadavg()[0]:.2f}")
    print(f"  {'ours':<34} {'':>10}   {'against':<30} {'':>10}   {'target':<22}")
    try:
        help_figure(args.runs)
        probe_figures(args.runs, args.latency)
        if not args.skip_wizard:
            first_paint_figure(args.runs)
    finally:
        shutil.rmtree(_PYCACHE)
    return 0


if __name__ == "__main__":
    sys.exit(main())
