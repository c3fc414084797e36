"""`relay-setup password set|delete`, `login`, `send-test` and `demo`, through the real command
line, against the demo relay on 127.0.0.1 and the real Secret Service."""

from __future__ import annotations

import io
import json
import os
import pty
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from keyringtools import secret_tool
from localinput import read_until
from servers import Pki, smtp_server

from app import exitcodes
from app.cli import build_parser, main
from app.commands.setting_args import setting_from
from app.core.demo_relay import DemoRelay
from app.core.results import TlsMode
from app.core.secrets import SecretStore

HOST = "127.0.0.1"


def run_cli(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    *args: str,
    stdin: str = "",
) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))  # not a terminal, like CI
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def connection(relay: DemoRelay, user: str, tls: TlsMode = TlsMode.IMPLICIT) -> list[str]:
    port = relay.implicit_port if tls is TlsMode.IMPLICIT else relay.starttls_port
    return ["--host", HOST, "--user", user, "--port", str(port), "--tls", tls.value]


def with_ca(relay: DemoRelay, user: str, tls: TlsMode = TlsMode.IMPLICIT) -> list[str]:
    return [*connection(relay, user, tls), "--ca", relay.ca_file]


@pytest.mark.keyring
def test_password_set_login_delete(
    secret_service: SecretStore, relay: DemoRelay, account: tuple[str, str], capsys, monkeypatch
):
    user, password = account
    ident = ["--host", HOST, "--user", user]
    code, out, _ = run_cli(
        capsys, monkeypatch, "password", "set", *ident, "--password-stdin", stdin=f"{password}\n"
    )
    assert code == exitcodes.OK and "Stored" in out
    looked_up = secret_tool("lookup", "host", HOST, "service", "smtp", "user", user)
    assert looked_up.stdout == password

    code, out, _ = run_cli(capsys, monkeypatch, "login", *with_ca(relay, user, TlsMode.STARTTLS))
    assert code == exitcodes.OK
    assert "Login accepted: PLAIN" in out and "235" in out

    code, out, _ = run_cli(capsys, monkeypatch, "password", "delete", *ident)
    assert code == exitcodes.OK and "Deleted" in out
    code, out, err = run_cli(capsys, monkeypatch, "login", *with_ca(relay, user))
    assert code == exitcodes.KEYRING
    assert "no password stored" in err and "password set" in err


@pytest.mark.keyring
def test_login_save_stores_only_a_password_that_works(
    secret_service: SecretStore, relay: DemoRelay, account: tuple[str, str], capsys, monkeypatch
):
    user, password = account
    args = ["login", *with_ca(relay, user), "--password-stdin", "--save"]
    try:
        code, _, err = run_cli(capsys, monkeypatch, *args, stdin="wrong-password\n")
        assert code == exitcodes.AUTH_FAILED and "wrong user name or password" in err
        assert secret_service.get(HOST, user) is None

        code, out, _ = run_cli(capsys, monkeypatch, *args, stdin=f"{password}\n")
        assert code == exitcodes.OK and "Stored the password" in out
        stored = secret_service.get(HOST, user)
        assert stored is not None and stored.reveal() == password
    finally:
        secret_service.delete(HOST, user)


def test_send_test_shows_the_evidence(
    relay: DemoRelay, account: tuple[str, str], capsys, monkeypatch
):
    user, password = account
    code, out, _ = run_cli(
        capsys,
        monkeypatch,
        "send-test",
        *with_ca(relay, user, TlsMode.STARTTLS),
        "--password-stdin",
        stdin=f"{password}\n",
    )
    assert code == exitcodes.OK
    received = [m for m in relay.received if m.login == user]
    assert len(received) == 1
    assert f"queued as {received[0].queue_id}" in out
    assert f"queue id:       {received[0].queue_id}" in out
    message_id = next(
        line.split(":", 1)[1].strip() for line in out.splitlines() if "Message-ID:" in line
    )
    assert f"Message-ID: {message_id}".encode() in received[0].content


def test_json_success_and_refusal(relay: DemoRelay, account: tuple[str, str], capsys, monkeypatch):
    user, password = account
    code, out, _ = run_cli(
        capsys,
        monkeypatch,
        "login",
        *with_ca(relay, user),
        "--password-stdin",
        "--json",
        stdin=f"{password}\n",
    )
    data = json.loads(out)
    assert code == exitcodes.OK and data["ok"] is True
    assert data["login"]["mechanism"] == "PLAIN" and data["login"]["tls"] == "implicit"

    code, out, _ = run_cli(
        capsys,
        monkeypatch,
        "send-test",
        *with_ca(relay, user),
        "--from",
        "boss@example.org",
        "--password-stdin",
        "--json",
        stdin=f"{password}\n",
    )
    data = json.loads(out)
    assert code == exitcodes.SEND_REFUSED and data["ok"] is False
    assert data["error"]["kind"] == "sender_refused" and data["error"]["code"] == 553


def test_untrusted_certificate_exit_status(
    relay: DemoRelay, account: tuple[str, str], capsys, monkeypatch
):
    user, password = account
    code, _, err = run_cli(
        capsys,
        monkeypatch,
        "login",
        *connection(relay, user),
        "--password-stdin",
        stdin=f"{password}\n",
    )
    assert code == exitcodes.TLS_PROBLEM
    assert "certificate cannot be trusted" in err and "no password was sent" in err


def test_plain_server_is_refused_and_never_sees_auth(capsys, monkeypatch):
    with smtp_server("plain", users={"ann@example.org": "secret-1"}) as server:
        code, _, err = run_cli(
            capsys,
            monkeypatch,
            "login",
            "--host",
            HOST,
            "--port",
            str(server.port),
            "--tls",
            "starttls",
            "--user",
            "ann@example.org",
            "--password-stdin",
            stdin="secret-1\n",
        )
        assert code == exitcodes.TLS_PROBLEM
        assert "downgrade" in err
        assert server.auth_seen == []


def test_no_terminal_and_no_password_stdin(pki: Pki, capsys, monkeypatch):
    with smtp_server("starttls", pki.server_context()) as server:
        code, _, err = run_cli(
            capsys,
            monkeypatch,
            "login",
            "--host",
            HOST,
            "--port",
            str(server.port),
            "--user",
            "nobody-" + uuid.uuid4().hex,
            "--ca",
            pki.ca_file,
        )
        # Either no keyring here, or no entry: in both cases no prompt, a clear pointer.
        assert code == exitcodes.KEYRING
        assert "--password-stdin" in err
        assert server.auth_seen == []


def test_empty_password_on_stdin_is_refused(
    relay: DemoRelay, account: tuple[str, str], capsys, monkeypatch
):
    user, _ = account
    attempts = len(relay.auth_attempts)
    code, _, err = run_cli(
        capsys, monkeypatch, "login", *with_ca(relay, user), "--password-stdin", stdin="\n"
    )
    assert code == exitcodes.USAGE and "no password" in err
    assert len(relay.auth_attempts) == attempts  # refused before connecting


@pytest.mark.parametrize(
    ("args", "port", "tls"),
    [
        ([], 465, TlsMode.IMPLICIT),
        (["--port", "465"], 465, TlsMode.IMPLICIT),
        (["--port", "587"], 587, TlsMode.STARTTLS),
        (["--tls", "starttls"], 587, TlsMode.STARTTLS),
        (["--port", "2465", "--tls", "implicit"], 2465, TlsMode.IMPLICIT),
    ],
)
def test_port_and_tls_defaults(args: list[str], port: int, tls: TlsMode):
    parsed = build_parser().parse_args(["login", "--host", "h", "--user", "u", *args])
    setting = setting_from(parsed)
    assert (setting.port, setting.tls) == (port, tls)


# -- without an OS keyring: a fresh process told to use keyring's "fail" backend --------------


def _no_keyring_env(tmp_path: Path) -> dict[str, str]:
    home = tmp_path / "home"
    home.mkdir()
    return {
        **os.environ,
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local/share"),
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }


def run_app(*args: str, env: dict[str, str], stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        input=stdin,
        env=env,
        capture_output=True,
        text=True,
        timeout=90,
    )


def test_without_keyring_password_set_refuses_and_says_what_to_do(tmp_path: Path):
    done = run_app(
        "password",
        "set",
        "--host",
        HOST,
        "--user",
        "ann",
        "--password-stdin",
        env=_no_keyring_env(tmp_path),
        stdin="secret-2\n",
    )
    assert done.returncode == exitcodes.KEYRING
    assert "no usable OS keyring" in done.stderr and "install and unlock" in done.stderr
    assert not any(p.is_file() for p in tmp_path.rglob("*"))  # and no file fallback


def test_demo_runs_the_whole_flow(tmp_path: Path):
    env = {**os.environ, "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "config")}
    done = run_app("demo", "--json", env=env)
    assert done.returncode == exitcodes.OK, done.stderr
    data = json.loads(done.stdout)
    assert data["ok"] is True and data["probe"]["verdict"] == "recommended"
    assert data["login"]["reply"].startswith("235")
    assert data["sent"]["queue_id"] == data["received"]["queue_id"]
    assert data["received"]["message_id"] == data["sent"]["message_id"]
    assert data["received"]["tls"] is True


def test_demo_without_keyring_says_so_plainly(tmp_path: Path):
    done = run_app("demo", env=_no_keyring_env(tmp_path))
    assert done.returncode == exitcodes.OK, done.stderr
    assert "No OS keyring here" in done.stdout
    assert "For this demo only, the password is kept in memory" in done.stdout
    assert "Message-ID <" in done.stdout and ": the one we sent" in done.stdout


@pytest.mark.keyring
def test_password_prompt_on_a_terminal_does_not_echo(secret_service: SecretStore):
    user, password = f"t{uuid.uuid4().hex[:8]}", f"typed-{uuid.uuid4().hex}"
    argv = [sys.executable, "-m", "app", "password", "set", "--host", HOST, "--user", user]
    pid, fd = pty.fork()  # a real terminal: getpass turns its echo off
    if pid == 0:
        os.execve(sys.executable, argv, dict(os.environ))  # noqa: S606 (argv, no shell)
    seen = bytearray()
    try:
        read_until(fd, b"Password for", seen)
        os.write(fd, password.encode() + b"\n")
        read_until(fd, b"again", seen)
        os.write(fd, password.encode() + b"\n")
        read_until(fd, b"Stored", seen)
        _, status = os.waitpid(pid, 0)
        stored = secret_service.get(HOST, user)
    finally:
        os.close(fd)
        secret_service.delete(HOST, user)
    assert os.waitstatus_to_exitcode(status) == exitcodes.OK
    assert password.encode() not in seen  # never echoed to the screen
    assert stored is not None and stored.reveal() == password
