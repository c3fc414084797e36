"""Benchmark: the one-file installer's size and the frozen program's start time.

    python3 tests/benchmarks/bench_installer.py [--exe PATH] [--profile P] [--rounds N]

Without --exe, builds it first (resources/relay-setup.spec, into a temporary folder) and says
how long that took. Then prints the executable's size and, over --rounds runs each, the median
and worst wall time of `relay-setup --version` (unpacking + interpreter start + argparse) and
of `relay-setup apply --check` (also loads the embedded profile, certifi and the keyring).
The one-file executable unpacks itself into a temporary folder at every start: that is most of
its start time, and it grows with the size.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def build(profile: Path, folder: Path) -> tuple[Path, float]:
    started = time.monotonic()
    subprocess.run(
        [
            *(sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN"),
            *("--distpath", str(folder / "dist"), "--workpath", str(folder / "build")),
            *(str(ROOT / "resources" / "relay-setup.spec"), "--", "--profile", str(profile)),
        ],
        check=True,
        cwd=ROOT,
        env={**os.environ, "PYINSTALLER_CONFIG_DIR": str(folder / "cache")},
    )
    return folder / "dist" / "relay-setup", time.monotonic() - started


def timed(argv: list[str], rounds: int) -> tuple[float, float]:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        subprocess.run(argv, capture_output=True, check=False, timeout=120)
        times.append(time.perf_counter() - started)
    return statistics.median(times), max(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exe", type=Path, help="an executable already built")
    parser.add_argument("--profile", type=Path, default=ROOT / "profiles" / "example-org.toml")
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="relay-setup-bench-") as tmp:
        exe = args.exe
        if exe is None:
            exe, seconds = build(args.profile, Path(tmp))
            print(f"build:              {seconds:6.1f} s  (profile {args.profile.name})")
        size = exe.stat().st_size
        print(f"executable size:    {size / 1e6:6.1f} MB ({size} bytes)")
        for label, extra in (("--version", ["--version"]), ("apply --check", ["apply", "--check"])):
            median, worst = timed([str(exe), *extra], args.rounds)
            print(f"start {label + ':':<14}{median:6.2f} s median, {worst:.2f} s worst")
    return 0


if __name__ == "__main__":
    sys.exit(main())
