"""A writer killed with SIGKILL at random points leaves each file old or new, never torn; the
journal stays readable, its backups whole, and undo still works."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.core.clients.base import ClientError
from app.core.clients.safewrite import undo

ROOT = Path(__file__).resolve().parents[2]
KILLS = 30
# Big enough that a kill often lands inside a write; different in every byte.
OLD = b"# the user's years of configuration\n" * 20_000
NEW = b"# relay-setup's merged configuration\n" * 20_000

WRITER = """
import sys
from pathlib import Path
from app.core.clients.base import FileChange, Plan
from app.core.clients.safewrite import apply

target, data = Path(sys.argv[1]), Path(sys.argv[2])
a, b = Path(sys.argv[3]).read_bytes(), Path(sys.argv[4]).read_bytes()
first = True
while True:
    old = target.read_bytes()
    new = b if old == a else a
    apply(Plan("msmtp", (FileChange(target, old, new),)), data=data)
    if first:
        print("ready", flush=True)
        first = False
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)")
def test_a_writer_killed_at_random_points_never_tears_a_file(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    a.write_bytes(OLD)
    b.write_bytes(NEW)
    rng = random.Random(os.environ.get("CRASH_SEED", "relay-setup"))
    outcomes: set[bytes] = set()
    for run in range(KILLS):
        home, data = tmp_path / f"home{run}", tmp_path / f"data{run}"
        home.mkdir()
        target = home / ".msmtprc"
        target.write_bytes(OLD)
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(target), str(data), str(a), str(b)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
        )
        try:
            assert writer.stdout is not None
            assert writer.stdout.readline() == b"ready\n", "the writer did not start"
            time.sleep(rng.uniform(0, 0.05))  # where the kill lands: anywhere in the loop
            writer.send_signal(signal.SIGKILL)
        finally:
            writer.kill()
            writer.wait(timeout=10)
            writer.stdout.close()  # type: ignore[union-attr]

        content = target.read_bytes()
        assert content in (OLD, NEW), f"run {run}: torn file ({len(content)} bytes)"
        outcomes.add(content)
        sessions = json.loads((data / "journal.json").read_text())["sessions"]
        for session in sessions:
            for entry in session["files"]:
                if entry["backup"]:
                    assert Path(entry["backup"]).read_bytes() in (OLD, NEW), f"run {run}"
        # Undo after the crash still leaves a whole file (force: the writer went on writing).
        try:
            undo(force=True, data=data)
        except ClientError as exc:
            assert "nothing to undo" in str(exc)
        assert target.read_bytes() in (OLD, NEW)
    assert outcomes == {OLD, NEW}  # the kills landed while the writer was switching
