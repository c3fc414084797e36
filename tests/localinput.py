"""Running the command line on local input that may be hostile (special files, bad bytes on
stdin), shared by test_local_files.py and test_early_errors.py."""

from __future__ import annotations

import io
import json
import resource
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from test_apply import home

from app.cli import main

__all__ = ["home"]  # a fixture (a private HOME and XDG folders), shared from test_apply

ROOT = Path(__file__).parent.parent
DEMO_PROFILE = ROOT / "profiles" / "demo.toml"


def _limit_memory() -> None:
    # A regression that reads /dev/zero whole must fail this one process, not the machine.
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))


def relay_setup(
    *args: str, stdin: bytes = b"", env: dict[str, str] | None = None
) -> tuple[int, str, str]:
    """The real command line in its own process (a hang or a memory blow-up stays there)."""
    done = subprocess.run(
        [sys.executable, "-m", "app", *args],
        input=stdin,
        capture_output=True,
        timeout=60,
        cwd=ROOT,
        env=env,
        preexec_fn=_limit_memory,
        check=False,
    )
    return done.returncode, done.stdout.decode(), done.stderr.decode()


Cli = Callable[..., tuple[int, str, str]]


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Cli:
    """The command line in this process (fast), or with isolated=True in its own (for input
    that would hang or exhaust memory should a check regress)."""

    def run(*args: str, stdin: bytes = b"", isolated: bool = False) -> tuple[int, str, str]:
        if isolated:
            return relay_setup(*args, stdin=stdin)
        wrapper = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8", errors="surrogateescape")
        monkeypatch.setattr(sys, "stdin", wrapper)  # bytes underneath, like a real pipe
        try:
            code = main(list(args))
        except SystemExit as exit_:  # argparse's usage errors
            code = int(str(exit_.code))
        out, err = capsys.readouterr()
        return code, out, err

    return run


# /dev/zero, read whole by a regression, would exhaust memory: in a process of its own. (A FIFO
# would only block: the tests with one have a timeout.)
ISOLATED = ("device",)


def one_json_object(out: str) -> dict[str, object]:
    """stdout holds exactly one JSON object (json.loads refuses anything after it)."""
    data = json.loads(out)
    assert isinstance(data, dict)
    return data
