"""The password goes to the relay (over TLS) and the keyring, and nowhere else: not into a file,
stdout/stderr, JSON, an error message, nor any process's argv or environment.

Each run is the real command line in a subprocess with a unique password on stdin; while it runs,
/proc is read for its whole process tree."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from leakscan import Run, assert_no_leak, forms, run_watched
from servers import EchoesCredentials, Pki, smtp_server

from app.core.demo_relay import DemoRelay
from app.core.secrets import SecretStore

HOST = "127.0.0.1"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    home = tmp_path / "home"
    (tmp_path / "tmp").mkdir()
    home.mkdir()
    return {
        **os.environ,
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local/share"),  # the app's data folder lives here
        "XDG_CACHE_HOME": str(home / ".cache"),
        "XDG_STATE_HOME": str(home / ".local/state"),
        "TMPDIR": str(tmp_path / "tmp"),
    }


def test_no_leak_with_password_on_stdin(pki: Pki, tmp_path: Path, env: dict[str, str]):
    user = "ann@example.org"
    password = f"canary-{uuid.uuid4().hex}"
    secrets = forms(password, user)
    runs: list[Run] = []
    with DemoRelay(users={user: password}) as relay:
        conn = ["--host", HOST, "--user", user, "--ca", relay.ca_file]
        implicit = [*conn, "--port", str(relay.implicit_port), "--tls", "implicit"]
        starttls = [*conn, "--port", str(relay.starttls_port), "--tls", "starttls"]
        stdin = f"{password}\n"
        runs.append(run_watched(["login", *implicit, "--password-stdin"], env, stdin))
        runs.append(run_watched(["login", *starttls, "--password-stdin", "--json"], env, stdin))
        runs.append(run_watched(["send-test", *implicit, "--password-stdin", "--json"], env, stdin))
        runs.append(run_watched(["send-test", *starttls, "--password-stdin"], env, stdin))
        refused = ["send-test", *implicit, "--from", "boss@example.org", "--password-stdin"]
        runs.append(run_watched([*refused, "--json"], env, stdin))
        assert [r.code for r in runs] == [0, 0, 0, 0, 8], [r.err for r in runs]
        assert len(relay.received) == 2  # the two test messages did go out

    # Error paths where the server has the password and says it back.
    with smtp_server("starttls", pki.server_context(), smtp_class=EchoesCredentials) as echo:
        args = ["login", "--host", HOST, "--port", str(echo.port), "--user", user]
        for extra in ([], ["--json"]):
            runs.append(
                run_watched([*args, "--ca", pki.ca_file, "--password-stdin", *extra], env, stdin)
            )
            assert runs[-1].code == 6 and user in runs[-1].out + runs[-1].err
    # A server without TLS: refused before the password could go anywhere.
    with smtp_server("plain", users={user: password}) as plain:
        args = ["login", "--host", HOST, "--port", str(plain.port), "--tls", "starttls"]
        runs.append(run_watched([*args, "--user", user, "--password-stdin"], env, stdin))
        assert runs[-1].code == 4 and plain.auth_seen == []

    assert_no_leak(runs, secrets, tmp_path)


@pytest.mark.keyring
def test_no_leak_through_the_keyring(
    secret_service: SecretStore, tmp_path: Path, env: dict[str, str]
):
    user = f"k{uuid.uuid4().hex[:8]}@example.org"
    password = f"canary-{uuid.uuid4().hex}"
    runs: list[Run] = []
    try:
        with DemoRelay(users={user: password}) as relay:
            conn = ["--host", HOST, "--user", user, "--ca", relay.ca_file]
            implicit = [*conn, "--port", str(relay.implicit_port), "--tls", "implicit"]
            stdin = f"{password}\n"
            runs.append(run_watched(["login", *implicit, "--password-stdin", "--save"], env, stdin))
            runs.append(run_watched(["login", *implicit, "--json"], env, ""))  # from the keyring
            runs.append(run_watched(["send-test", *implicit], env, ""))
            ident = ["--host", HOST, "--user", user]
            runs.append(run_watched(["password", "set", *ident, "--password-stdin"], env, stdin))
            assert [r.code for r in runs] == [0, 0, 0, 0], [r.err for r in runs]
            assert len(relay.received) == 1
        stored = secret_service.get(HOST, user)
        assert stored is not None and stored.reveal() == password  # it did go to the keyring
    finally:
        secret_service.delete(HOST, user)
    assert_no_leak(runs, forms(password, user), tmp_path)
