"""Run the program as a user does: a separate `relay-setup` process."""

from __future__ import annotations

import subprocess
import sys

import pytest
from postfix_relay import User

from app import exitcodes


def relay_setup(
    env: dict[str, str], *args: str, stdin: str | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        input=stdin,
        stdin=None if stdin is not None else subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        check=False,
    )


def store_password(env: dict[str, str], user: User) -> None:
    """`relay-setup password set`, the password on stdin; skips when there is no keyring."""
    done = relay_setup(
        env,
        "password",
        "set",
        "--host",
        "localhost",
        "--user",
        user.name,
        "--password-stdin",
        stdin=user.password + "\n",
    )
    if done.returncode == exitcodes.KEYRING:
        pytest.skip(f"no usable OS keyring (run through tests/run.sh): {done.stderr.strip()}")
    assert done.returncode == 0, done.stderr


def write_client(env: dict[str, str], client: str, user: User, port: int, tls: str, ca: str) -> str:
    """`relay-setup write CLIENT ...` for the user on the local Postfix; its output, which must
    not hold the password."""
    done = relay_setup(
        env,
        "write",
        client,
        *("--host", "localhost", "--port", str(port), "--tls", tls),
        *("--user", user.name, "--from", f"{user.name}@example.org", "--ca", ca),
    )
    assert done.returncode == 0, done.stderr
    assert user.password not in done.stdout + done.stderr
    return done.stdout
