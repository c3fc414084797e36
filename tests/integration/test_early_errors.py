"""Early failures: password bytes from stdin (not UTF-8, NUL, control characters, no end), the
keyring's entries, a Secret Service forced without D-Bus, and --json honoured on every early
error (one JSON object on stdout, the documented status)."""

from __future__ import annotations

import io
import os
import pty
import sys
from pathlib import Path

import pytest
from keyringtools import secret_tool
from localinput import (
    CA_WHY,
    DEMO_PROFILE,
    ISOLATED,
    ROOT,
    Cli,
    assert_nothing_written,
    bad_ca_file,
    one_json_object,
    read_until,
    relay_setup,
)
from servers import Pki

from app import exitcodes
from app.cli import main
from app.core.localfiles import MIB


@pytest.mark.timeout(20)
@pytest.mark.parametrize("kind", ["device", "fifo", "empty", "certificate and key"])
@pytest.mark.parametrize("command", ["probe", "login", "send-test", "apply"])
def test_every_command_refuses_a_bad_ca_with_one_json_object(
    tmp_path: Path, home: Path, pki: Pki, cli: Cli, kind: str, command: str
) -> None:
    ca = str(bad_ca_file(kind, tmp_path, pki))
    argv = {
        "probe": ["probe", "localhost", "--port", "1"],
        "login": ["login", "--host", "localhost", "--user", "ann", "--password-stdin"],
        "send-test": ["send-test", "--host", "localhost", "--user", "ann", "--password-stdin"],
        "apply": ["apply", "--profile", str(DEMO_PROFILE), "--email", "ann@example.org"],
    }[command]
    extra = ["--password-stdin"] if command == "apply" else []
    json_ = "--json"
    code, out, err = cli(*argv, *extra, "--ca", ca, json_, stdin=b"pw\n", isolated=kind in ISOLATED)
    assert code == exitcodes.USAGE, out + err
    report = one_json_object(out)
    assert report["ok"] is False and report["failure"] == "usage"
    assert CA_WHY[kind] in str(report["message"]) and "Traceback" not in err
    assert_nothing_written(home)


# -- passwords from stdin -----------------------------------------------------------------------

BAD_PASSWORDS = {
    "invalid UTF-8": (b"Zq7\xff\n", "not valid UTF-8"),
    "NUL": (b"Zq7\x00ss\n", "control character"),
    "escape": (b"Zq7\x1bss\n", "control character"),
    "empty line": (b"\n", "no password"),
    "nothing": (b"", "no password"),
    "endless line": (b"\x00" * (MIB), "longer than 4096 bytes"),
}


@pytest.mark.parametrize("case", BAD_PASSWORDS)
@pytest.mark.parametrize("command", ["login", "send-test", "apply"])
def test_bad_password_bytes_exit_2_with_one_json_object(
    home: Path, pki: Pki, cli: Cli, case: str, command: str
) -> None:
    stdin, why = BAD_PASSWORDS[case]
    argv = {
        "login": ["login", "--host", "localhost", "--user", "ann", "--port", "1"],
        "send-test": ["send-test", "--host", "localhost", "--user", "ann", "--port", "1"],
        "apply": ["apply", "--profile", str(DEMO_PROFILE), "--email", "ann@example.org"],
    }[command]
    # The issue's own case also through a real pipe: the locale must not decode it first.
    real_pipe = case == "invalid UTF-8"
    code, out, err = cli(
        *argv, "--ca", pki.ca_file, "--password-stdin", "--json", stdin=stdin, isolated=real_pipe
    )
    assert code == exitcodes.USAGE, out + err
    report = one_json_object(out)
    assert report["ok"] is False and report["failure"] == "usage"
    assert why in str(report["message"]) and "Traceback" not in err
    assert "Zq7" not in out + err  # the password is never echoed


@pytest.mark.keyring
@pytest.mark.parametrize("case", ["invalid UTF-8", "NUL", "escape", "empty line"])
def test_password_set_refuses_bad_bytes_and_stores_nothing(
    secret_service: object, cli: Cli, case: str
) -> None:
    stdin, why = BAD_PASSWORDS[case]
    host, user = "bad-bytes.example.org", f"user-{case.replace(' ', '-')}"
    code, out, err = cli(
        "password", "set", "--host", host, "--user", user, "--password-stdin", stdin=stdin
    )
    assert code == exitcodes.USAGE and why in err and "Traceback" not in err, out + err
    found = secret_tool("lookup", "host", host, "service", "smtp", "user", user)
    assert found.returncode != 0 and found.stdout == ""


@pytest.mark.parametrize(
    ("typed", "why"),
    [(b"Zq7\x1bss", "control character"), (b"Zq7\xffss", "not valid UTF-8")],
    ids=["escape", "invalid UTF-8"],
)
def test_a_typed_password_is_checked_like_a_piped_one(home: Path, typed: bytes, why: str) -> None:
    env = {**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    argv = [sys.executable, "-m", "app", "login", "--host", "localhost", "--user", "ann"]
    pid, fd = pty.fork()  # a real terminal: getpass reads it
    if pid == 0:
        os.chdir(ROOT)
        os.execve(sys.executable, [*argv, "--port", "1", "--json"], env)  # noqa: S606
    seen = bytearray()
    try:
        read_until(fd, b"Password for", seen)
        os.write(fd, typed + b"\n")
        read_until(fd, b"}", seen)
        _, status = os.waitpid(pid, 0)
    finally:
        os.close(fd)
    assert os.waitstatus_to_exitcode(status) == exitcodes.USAGE, bytes(seen)
    assert why.encode() in seen and b"Traceback" not in seen and b"Zq7" not in seen


# -- the keyring's entries, and no keyring at all ----------------------------------------------


@pytest.mark.keyring
@pytest.mark.parametrize(
    ("host", "user", "password"),
    [
        ("", "ann", "pw"),
        ("mail.example.org", "", "pw"),
        ("mail.example.org", " ", "pw"),
        ("mail.example.org", "ann\n", "pw"),
        ("mail.example.org", "ann", ""),
        ("mail.example.org", "ann", "p\x00w"),
        ("mail.example.org", "ann", "p\nw"),
    ],
)
def test_the_store_refuses_an_entry_it_cannot_keep_faithfully(
    secret_service: object, host: str, user: str, password: str
) -> None:
    from app.core.secrets import InvalidEntry, MemoryStore, SecretStore
    from app.core.settings import Password

    stores: list[SecretStore] = [secret_service, MemoryStore()]  # type: ignore[list-item]
    for store in stores:
        with pytest.raises(InvalidEntry) as caught:
            store.set(host, user, Password(password))
        assert not password or password not in str(caught.value)


NO_DBUS_COMMANDS = {
    "password set": (["password", "set", "--host", "h.example", "--user", "u"], True),
    "password delete": (["password", "delete", "--host", "h.example", "--user", "u"], False),
    "login": (["login", "--host", "localhost", "--user", "u", "--port", "1", "--json"], False),
    "apply --check": (["apply", "--check", "--profile", str(DEMO_PROFILE), "--json"], False),
}


@pytest.mark.parametrize("command", NO_DBUS_COMMANDS)
def test_a_forced_secret_service_without_d_bus_exits_9_with_words(home: Path, command: str) -> None:
    argv, password_stdin = NO_DBUS_COMMANDS[command]
    env = {k: v for k, v in os.environ.items() if k != "DBUS_SESSION_BUS_ADDRESS"}
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.SecretService.Keyring"
    extra = ["--password-stdin"] if password_stdin else []
    code, out, err = relay_setup(*argv, *extra, stdin=b"pw\n", env=env)
    assert code == exitcodes.KEYRING, out + err
    assert "Traceback" not in err
    words = out + err
    assert "no usable OS keyring" in words and "DBUS_SESSION_BUS_ADDRESS" in words
    if "--json" in argv:
        one_json_object(out)


# -- --json on early errors ----------------------------------------------------------------------

NOT_A_PROFILE = ["--profile", "/dev/null"]


@pytest.mark.parametrize(
    ("argv", "code", "failure"),
    [
        (["probe", "localhost", "--port", "abc"], exitcodes.USAGE, "usage"),
        (["login", "--host", "localhost"], exitcodes.USAGE, "usage"),
        (["send-test", "--host", "h", "--user", "u", "--auth", "XOAUTH"], exitcodes.USAGE, "usage"),
        (["apply", "--clients", "pine"], exitcodes.USAGE, "usage"),
        (["apply", "--email", "a@example.org"], exitcodes.USAGE, "usage"),
        (
            ["apply", "--profile", "/dev/null", "--email", "a@b.org", "--password-stdin"],
            11,
            "profile",
        ),
        (["profile", "show", "/dev/null"], exitcodes.PROFILE, "profile"),
        (["demo", "--no-such-option"], exitcodes.USAGE, "usage"),
    ],
)
def test_json_is_one_object_on_every_early_error(
    home: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    code: int,
    failure: str,
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("pw\n"))
    try:
        got = main([*argv, "--json"])
    except SystemExit as exit_:  # argparse's own errors keep their SystemExit
        got = int(str(exit_.code))
    assert got == code
    report = one_json_object(capsys.readouterr().out)
    assert report["ok"] is False and report["failure"] == failure and report["message"]


def test_login_save_without_a_keyring_is_still_one_json_object(home: Path) -> None:
    """The login worked, the keeping failed: one object with both, not two objects."""
    from app.core.demo_relay import DemoRelay

    env = {k: v for k, v in os.environ.items() if k != "DBUS_SESSION_BUS_ADDRESS"}
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.SecretService.Keyring"
    with DemoRelay(users={"ann@example.org": "Zq7-works"}) as relay:
        port = str(relay.implicit_port)
        argv = ["login", "--host", "127.0.0.1", "--user", "ann@example.org", "--port", port]
        argv += ["--tls", "implicit"]
        code, out, err = relay_setup(
            *argv, "--ca", relay.ca_file, "--password-stdin", "--save", "--json",
            stdin=b"Zq7-works\n", env=env,
        )  # fmt: skip
    assert code == exitcodes.KEYRING, out + err
    report = one_json_object(out)
    assert report["failure"] == "keyring" and report["saved"] is False
    assert report["login"] and "not stored" in str(report["message"]) and "Zq7" not in out + err
