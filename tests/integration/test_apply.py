"""`relay-setup apply` against the demo relay on 127.0.0.1 (and misbehaving servers): the whole
unattended run with a real keyring and the real msmtp, each failure class's exit status, a
second run that changes nothing, and the password nowhere but the keyring."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from leakscan import files_holding
from localinput import DEMO_PROFILE, write_profile
from servers import ImplicitTlsAwareSMTP, Pki, free_port, smtp_server

from app import exitcodes
from app.cli import main
from app.core import failures
from app.core.demo_relay import DemoRelay
from app.core.failures import Failure
from app.core.org.profiles import load_profile
from app.core.results import Verdict
from app.core.secrets import MemoryStore, SecretStore
from app.core.settings import Password
from app.core.setup.apply import ApplyOptions, apply_profile
from app.core.setup.steps import StepStatus
from app.core.submit import SubmitErrorKind

ROOT = Path(__file__).parents[2]
USER = "ann@example.org"
PASSWORD = "Apply-Ünïcode-7f3q"
OTHER_USER = "bob@example.org"
CLI = [sys.executable, "-m", "app", "apply", "--json", "--password-stdin", "--clients", "msmtp"]


@pytest.fixture(scope="module")
def relay_users() -> dict[str, str]:
    return {USER: PASSWORD, OTHER_USER: PASSWORD}


def run_apply(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    password: str = PASSWORD,
) -> tuple[int, dict[str, Any], str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(password + "\n"))
    code = main(["apply", "--json", "--timeout", "3", "--deadline", "8", *argv])
    out, err = capsys.readouterr()
    assert not password or password not in out + err
    return code, json.loads(out), err


def steps(report: dict[str, Any]) -> dict[str, str]:
    return {s["step"]: s["status"] for s in report["steps"]}


@pytest.mark.keyring
def test_apply_sets_up_everything_and_a_second_run_changes_nothing(
    relay: DemoRelay,
    home: Path,
    store: SecretStore,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    profile = write_profile(home.parent, relay.ports)
    argv = ["--profile", str(profile), "--email", USER, "--password-stdin"]
    argv += ["--ca", relay.ca_file, "--clients", "msmtp", "--send-test"]

    code, report, _ = run_apply(monkeypatch, capsys, argv)

    assert code == exitcodes.OK, report
    assert report["ok"] and report["changed"] and report["failure"] is None
    assert steps(report) == {
        "ca": "changed",
        "probe": "ok",
        "login": "ok",
        "keyring": "changed",
        "send": "ok",
        "client:msmtp": "changed",
    }
    setting = report["setting"]
    assert (setting["port"], setting["tls"]) == (relay.implicit_port, "implicit")  # 465-like first
    assert setting["user"] == setting["from"] == USER
    ca_copy = Path(setting["ca_file"])
    assert ca_copy.is_relative_to(home) and ca_copy.read_bytes() == Path(relay.ca_file).read_bytes()
    queue_id = next(s for s in report["steps"] if s["step"] == "send")["queue_id"]
    message = relay.wait_for_message(queue_id)
    assert message is not None and message.login == USER and message.tls
    assert store.get("localhost", USER) == Password(PASSWORD)
    rc = home / ".msmtprc"
    text = rc.read_text()
    assert "host localhost" in text and f"port {relay.implicit_port}" in text
    assert f"tls_trust_file {ca_copy}" in text

    before = rc.read_bytes()
    code, again, _ = run_apply(monkeypatch, capsys, argv)
    assert code == exitcodes.OK, again
    assert not again["changed"]
    assert steps(again)["keyring"] == "unchanged"
    assert steps(again)["client:msmtp"] == "unchanged"
    assert steps(again)["ca"] == "unchanged"
    assert rc.read_bytes() == before
    assert files_holding(home, [PASSWORD.encode()]) == []


@pytest.mark.keyring
@pytest.mark.clients
@pytest.mark.skipif(shutil.which("msmtp") is None, reason="msmtp is not installed")
def test_msmtp_sends_with_what_apply_wrote(
    relay: DemoRelay,
    home: Path,
    store: SecretStore,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    profile = write_profile(home.parent, relay.ports)
    argv = ["--profile", str(profile), "--email", OTHER_USER, "--password-stdin"]
    code, report, _ = run_apply(
        monkeypatch, capsys, [*argv, "--ca", relay.ca_file, "--clients", "msmtp"]
    )
    assert code == exitcodes.OK, report
    before = len(relay.received)
    mail = f"From: {OTHER_USER}\nTo: {OTHER_USER}\nSubject: via msmtp\n\nhello\n"
    # msmtp itself: the account apply wrote, the CA copy it trusts, the keyring entry it reads.
    done = subprocess.run(
        ["msmtp", "--account=localhost", OTHER_USER],
        input=mail,
        capture_output=True,
        text=True,
        timeout=30,
        env=os.environ.copy(),
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert len(relay.received) == before + 1
    assert relay.received[-1].login == OTHER_USER


def test_a_wrong_password_exits_6_and_keeps_nothing(relay: DemoRelay, home: Path) -> None:
    """Through a real pipe, as a login script would run it."""
    profile = write_profile(home.parent, relay.ports)
    done = subprocess.run(
        [*CLI, "--profile", str(profile), "--email", USER, "--ca", relay.ca_file],
        input="not-the-password\n",
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == exitcodes.AUTH_FAILED, done.stderr
    report = json.loads(done.stdout)
    assert report["failure"] == "auth_failed"
    assert steps(report)["login"] == "failed"
    assert "keyring" not in steps(report)
    assert not (home / ".msmtprc").exists()
    assert "not-the-password" not in done.stdout + done.stderr


def test_a_relay_that_drops_starttls_is_refused_and_never_sees_auth(
    home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with smtp_server("plain", users={USER: PASSWORD}) as server:
        profile = write_profile(home.parent, (free_port(), server.port))
        code, report, _ = run_apply(
            monkeypatch, capsys, ["--profile", str(profile), "--email", USER, "--password-stdin"]
        )
    assert code == exitcodes.TLS_PROBLEM
    assert report["failure"] == "tls_problem"
    ports = {p["port"]: p["status"] for p in report["probe"]["ports"]}
    assert ports[server.port] == "starttls_missing"
    assert server.auth_seen == []


def test_a_certificate_other_than_the_pinned_one_exits_4(
    relay: DemoRelay,
    home: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    pin = 'pin_sha256 = "' + ":".join(["5A"] * 32) + '"\n'
    profile = write_profile(home.parent, relay.ports, extra=pin)  # the end of [relay]
    assert load_profile(profile).pin_sha256 is not None
    argv = ["--profile", str(profile), "--email", USER, "--password-stdin", "--ca", relay.ca_file]
    code, report, _ = run_apply(monkeypatch, capsys, argv)
    assert code == exitcodes.TLS_PROBLEM
    assert "not the one the profile pins" in report["message"] or any(
        "pins" in (p["detail"] or "") for p in report["probe"]["ports"]
    )
    assert "login" not in steps(report)


def test_nothing_reachable_exits_3(
    home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    profile = write_profile(home.parent, (free_port(), free_port()))
    code, report, _ = run_apply(
        monkeypatch, capsys, ["--profile", str(profile), "--email", USER, "--password-stdin"]
    )
    assert code == exitcodes.UNREACHABLE
    assert report["failure"] == "unreachable"


def test_a_sender_the_login_does_not_own_exits_8(relay: DemoRelay, home: Path) -> None:
    """Core API: the relay refuses From it@ for Ann's login (Postfix's 553)."""
    path = write_profile(home.parent, relay.ports)
    path.write_text(
        path.read_text().replace('from = "%EMAILADDRESS%"', 'from = "it@%EMAILDOMAIN%"')
    )
    options = ApplyOptions(
        clients=("msmtp",), send_test=True, extra_ca=Path(relay.ca_file), timeout=3, deadline=8
    )
    report = apply_profile(
        load_profile(path), USER, Password(PASSWORD), options, store=MemoryStore()
    )
    assert report.failure is Failure.SEND_REFUSED
    assert report.step("send").status is StepStatus.FAILED
    assert report.step("keyring").status is StepStatus.CHANGED  # kept before the test message
    assert "not owned" in report.message
    assert not (home / ".msmtprc").exists()  # stopped before writing any client


# The statuses the README's table documents for a failed login or test message, kind by kind.
DOCUMENTED_SUBMIT_STATUS = {
    SubmitErrorKind.UNREACHABLE: 3,
    SubmitErrorKind.SERVICE_REFUSED: 3,
    SubmitErrorKind.TIMEOUT: 3,
    SubmitErrorKind.TLS_FAILED: 4,
    SubmitErrorKind.CERTIFICATE: 4,
    SubmitErrorKind.DOWNGRADE: 4,
    SubmitErrorKind.TLS_REQUIRED: 4,
    SubmitErrorKind.NO_LOGIN: 5,
    SubmitErrorKind.PROTOCOL_ERROR: 5,
    SubmitErrorKind.MECHANISM: 6,
    SubmitErrorKind.AUTH_FAILED: 6,
    SubmitErrorKind.TEMPORARY: 7,
    SubmitErrorKind.RELAY_DENIED: 8,
    SubmitErrorKind.SENDER_REFUSED: 8,
    SubmitErrorKind.RECIPIENT_REFUSED: 8,
    SubmitErrorKind.TOO_LARGE: 8,
    SubmitErrorKind.SEND_REFUSED: 8,
    SubmitErrorKind.CANCELLED: 130,
    SubmitErrorKind.BAD_ADDRESS: 2,
    SubmitErrorKind.ERROR: 1,
}


@pytest.mark.parametrize("kind", list(SubmitErrorKind))
def test_apply_and_the_other_commands_give_a_submit_error_the_same_documented_status(
    kind: SubmitErrorKind,
) -> None:
    """apply stops with failures.FOR_SUBMIT_ERROR's class and exits by FOR_FAILURE; `login`,
    `send-test` and `demo` exit by FOR_SUBMIT_ERROR: one table, the README's."""
    by_apply = exitcodes.FOR_FAILURE[failures.FOR_SUBMIT_ERROR[kind]]
    assert by_apply == exitcodes.FOR_SUBMIT_ERROR[kind] == DOCUMENTED_SUBMIT_STATUS[kind]


def test_every_failure_class_has_its_own_status_and_every_verdict_agrees() -> None:
    assert set(exitcodes.FOR_FAILURE) == set(Failure)
    assert len(set(exitcodes.FOR_FAILURE.values())) == len(Failure)  # the class is the status
    assert set(exitcodes.FOR_VERDICT) == set(Verdict)
    for verdict, failure in failures.FOR_VERDICT.items():
        assert exitcodes.FOR_VERDICT[verdict] == exitcodes.FOR_FAILURE[failure]


class Answers530ToAuth(ImplicitTlsAwareSMTP):
    """Offers AUTH after STARTTLS, then says TLS is required first (a confused relay)."""

    async def smtp_AUTH(self, arg: str) -> None:
        await self.push("530 5.7.0 Must issue a STARTTLS command first")


def test_a_530_to_auth_exits_as_login_does_for_it(
    home: Path, pki: Pki, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The same server refusal (TLS_REQUIRED) gives apply and `login` the same status: they
    once disagreed (5 and 4)."""
    context = pki.server_context("localhost")
    with smtp_server("starttls", context, {USER: PASSWORD}, Answers530ToAuth) as server:
        profile = write_profile(home.parent, (free_port(), server.port))
        argv = ["--profile", str(profile), "--email", USER, "--password-stdin", "--ca", pki.ca_file]
        code, report, _ = run_apply(monkeypatch, capsys, argv)
        assert steps(report)["login"] == "failed"
        monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
        where = ["--host", "localhost", "--port", str(server.port), "--tls", "starttls"]
        login = main(
            ["login", *where, "--user", USER, "--ca", pki.ca_file, "--password-stdin", "--json"]
        )
        out = json.loads(capsys.readouterr().out)
    assert out["error"]["kind"] == SubmitErrorKind.TLS_REQUIRED.value
    assert code == login == exitcodes.TLS_PROBLEM
    assert report["failure"] == "tls_problem"
    assert not (home / ".msmtprc").exists()


@pytest.mark.parametrize(
    ("argv", "password", "failure", "code"),
    [
        (["--email", USER], PASSWORD, "usage", exitcodes.USAGE),  # no --password-stdin
        (["--email", USER, "--password-stdin"], "", "usage", exitcodes.USAGE),
        (["--email", "ann@elsewhere.net", "--password-stdin"], PASSWORD, "usage", exitcodes.USAGE),
        (["--email", "not-an-address", "--password-stdin"], PASSWORD, "usage", exitcodes.USAGE),
    ],
)
def test_bad_requests_exit_2(
    relay: DemoRelay,
    home: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    password: str,
    failure: str,
    code: int,
) -> None:
    profile = write_profile(home.parent, relay.ports)
    got, report, _ = run_apply(monkeypatch, capsys, ["--profile", str(profile), *argv], password)
    assert got == code
    assert report["failure"] == failure and not report["ok"]


def test_ca_where_the_profile_has_one_exits_2(
    home: Path, pki: Pki, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    example = ROOT / "profiles" / "example-org.toml"
    argv = ["--profile", str(example), "--email", "ann@example.org", "--password-stdin"]
    code, report, _ = run_apply(monkeypatch, capsys, [*argv, "--ca", pki.ca_file])
    assert code == exitcodes.USAGE
    assert "brings its own CA" in report["message"]


def test_a_bad_profile_exits_11(
    home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = home / "bad.toml"
    bad.write_text("[organisation]\nname = 'X'\n[relay]\nhost = '10.0.0.1'\nports = ['587']\n")
    argv = ["--profile", str(bad), "--email", USER, "--password-stdin"]
    code, report, _ = run_apply(monkeypatch, capsys, argv)
    assert code == exitcodes.PROFILE
    assert report["failure"] == "profile"
    assert f"{bad}: relay.host" in report["message"]


@pytest.mark.skipif(
    not os.environ.get("DBUS_SESSION_BUS_ADDRESS"), reason="no D-Bus session (tests/run.sh)"
)
def test_no_keyring_exits_9_after_a_good_login(relay: DemoRelay, home: Path) -> None:
    profile = write_profile(home.parent, relay.ports)
    env = {k: v for k, v in os.environ.items() if k != "DBUS_SESSION_BUS_ADDRESS"}
    done = subprocess.run(
        [*CLI, "--profile", str(profile), "--email", USER, "--ca", relay.ca_file],
        input=PASSWORD + "\n",
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        env=env,
        check=False,
    )
    assert done.returncode == exitcodes.KEYRING, done.stdout + done.stderr
    report = json.loads(done.stdout)
    assert steps(report)["login"] == "ok" and steps(report)["keyring"] == "failed"
    assert not (home / ".msmtprc").exists()
    assert PASSWORD not in done.stdout + done.stderr


def test_check_reports_what_this_machine_has(
    home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["apply", "--check", "--json", "--profile", str(DEMO_PROFILE)])
    env = json.loads(capsys.readouterr().out)
    assert env["profile"]["valid"] and env["profile"]["host"] == "localhost"
    assert env["certifi"]["found"] and Path(env["certifi"]["path"]).is_file()
    assert env["frozen"] is False and env["embedded_profile"] is None
    assert code == (exitcodes.OK if env["keyring"]["found"] else exitcodes.KEYRING)


@pytest.mark.keyring
@pytest.mark.clients
def test_the_profile_clients_are_set_up_and_one_without_a_profile_is_skipped(
    relay: DemoRelay,
    home: Path,
    store: SecretStore,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """No --clients: the profile's three; Thunderbird, never started here, has no profile yet."""
    profile = write_profile(home.parent, relay.ports)
    argv = ["--profile", str(profile), "--email", USER, "--password-stdin", "--ca", relay.ca_file]
    code, report, _ = run_apply(monkeypatch, capsys, argv)
    assert code == exitcodes.OK, report
    done = steps(report)
    for name, binary in (("msmtp", "msmtp"), ("alpine", "alpine"), ("thunderbird", "thunderbird")):
        if shutil.which(binary) is None:
            assert done[f"client:{name}"] == "skipped"
    if shutil.which("msmtp"):
        assert done["client:msmtp"] == "changed"
    if shutil.which("alpine"):
        assert done["client:alpine"] == "changed"
        assert f"localhost:{relay.implicit_port}/ssl" in (home / ".pinerc").read_text()
    assert done["client:thunderbird"] == "skipped"
    assert not (home / ".thunderbird").exists()
