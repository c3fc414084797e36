"""No tracked file outside tests/ holds a line msmtp would read as a literal password
(`password VALUE`): the program's rule is that a password lives only in the OS keyring, and a
line like that in our own code, docs or resources is one a copy-paste carries into a real rc."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MSMTP_PASSWORD = re.compile(rb"\s*password\s+\S")


def test_no_tracked_file_outside_tests_holds_an_msmtp_password_line() -> None:
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=False)
    if listed.returncode != 0:
        pytest.skip("not a git checkout")
    found = []
    for name in filter(None, listed.stdout.decode().split("\0")):
        path = ROOT / name
        if name.startswith("tests/") or not path.is_file():
            continue
        for number, line in enumerate(path.read_bytes().splitlines(), start=1):
            if MSMTP_PASSWORD.match(line):
                found.append(f"{name}:{number}")
    assert found == []
