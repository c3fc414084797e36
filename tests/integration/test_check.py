"""`relay-setup check` against real TLS relays on loopback, inside a network namespace of the
test's own whose nftables rules block ports the way hotel networks do; the real keyring, the
real msmtp, and Alpine's file written by the same safe writer as `write`."""

from __future__ import annotations

import io
import json
import os
import shutil
import ssl
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import trustme
from own_network import own_network
from servers import Pki, smtp_server

from app import exitcodes
from app.cli import main
from app.core.appdirs import data_dir, install_ca
from app.core.results import TlsMode
from app.core.roaming import record
from app.core.secrets import SecretStore
from app.core.settings import Password, RelaySetting

USER = "roam@example.org"
PASSWORD = "Roam-pw-4k2x"
FAST = ["--timeout", "1.5", "--deadline", "4"]


def run_cli(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *argv: str, stdin: str = ""
) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert PASSWORD not in out + err
    return code, out, err


def check_json(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *extra: str
) -> tuple[int, dict[str, Any]]:
    code, out, _ = run_cli(monkeypatch, capsys, "check", "--json", *FAST, *extra)
    return code, json.loads(out)


def write_profile(folder: Path, implicit: int, starttls: int, ca: str) -> Path:
    path = folder / "org.toml"
    path.write_text(
        f'[organisation]\nname = "Roaming test"\n\n[relay]\nhost = "localhost"\n'
        f'ports = ["{implicit}/implicit", "{starttls}/starttls"]\nca_file = "{ca}"\n\n'
        '[clients]\nconfigure = ["msmtp", "alpine"]\n'
    )
    return path


def msmtp_send(home: Path, subject: str) -> subprocess.CompletedProcess[str]:
    message = f"To: bob@example.net\nFrom: {USER}\nSubject: {subject}\n\nfrom the hotel\n"
    return subprocess.run(
        ["msmtp", "--account", "localhost", "-t"],
        input=message,
        capture_output=True,
        text=True,
        env={**os.environ, "HOME": str(home), "LC_ALL": "C"},
        timeout=60,
    )


@pytest.fixture
def keyring_user(store: SecretStore) -> Any:
    yield store
    store.delete("localhost", USER)


@pytest.mark.keyring
@pytest.mark.clients
def test_blocked_port_is_named_fixed_for_msmtp_and_alpine_and_undone(
    pki: Pki,
    home: Path,
    keyring_user: SecretStore,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    if not (shutil.which("msmtp") and shutil.which("alpine")):
        pytest.skip("needs msmtp and alpine (Debian: msmtp, alpine)")
    users = {USER: PASSWORD}
    context = pki.server_context("localhost")
    with (
        own_network() as net,
        smtp_server("starttls", context, users=users) as submission,
        smtp_server("implicit", context, users=users) as submissions,
    ):
        # Set up where the implicit-TLS port is refused: apply takes STARTTLS ("587").
        net.reject(submissions.port)
        profile = write_profile(home, submissions.port, submission.port, pki.ca_file)
        code, out, err = run_cli(
            monkeypatch, capsys, "apply", "--profile", str(profile), "--email", USER,
            "--password-stdin", "--json", "--timeout", "2", "--deadline", "5",
            stdin=PASSWORD + "\n",
        )  # fmt: skip
        assert code == exitcodes.OK, out + err
        kept = record.load()
        assert kept is not None and kept.setting.port == submission.port
        assert set(kept.clients) == {"msmtp", "alpine"}
        assert {p.port for p in kept.ports} == {submission.port, submissions.port}

        # The next network drops "587" and lets "465" through.
        net.open_all()
        net.drop(submission.port)
        code, report = check_json(monkeypatch, capsys)
        assert code == exitcodes.UNREACHABLE, report
        assert report["status"] == "port_blocked" and "fixed" not in report
        assert report["relay"] == {
            "host": "localhost", "port": submission.port, "tls": "starttls"
        }  # fmt: skip
        assert report["working"] == {"port": submissions.port, "tls": "implicit"}
        statuses = {p["port"]: p["status"] for p in report["probe"]["ports"]}
        assert statuses == {submission.port: "timeout", submissions.port: "ok"}
        assert f"blocks port {submission.port}" in report["message"]
        assert "--fix" in report["message"]

        msmtprc, pinerc = home / ".msmtprc", home / ".pinerc"
        before = {msmtprc: msmtprc.read_bytes(), pinerc: pinerc.read_bytes()}
        code, report = check_json(monkeypatch, capsys, "--fix")
        assert code == exitcodes.OK, report
        assert report["status"] == "port_blocked" and report["ok"]
        assert sorted((f["client"], f["old_port"], f["new_port"]) for f in report["fixed"]) == [
            ("alpine", submission.port, submissions.port),
            ("msmtp", submission.port, submissions.port),
        ]
        assert report["relay"]["port"] == submissions.port
        text = msmtprc.read_text()
        assert f"port {submissions.port}\n" in text and "tls_starttls off" in text
        assert f"localhost:{submissions.port}/ssl" in pinerc.read_text()

        sent = msmtp_send(home, "after the fix")
        assert sent.returncode == 0, sent.stderr
        assert [m[0] for m in submissions.handler.messages] == [USER]
        assert submission.handler.messages == []

        code, report = check_json(monkeypatch, capsys)
        assert (code, report["status"]) == (exitcodes.OK, "ok"), report

        for client in ("alpine", "msmtp"):
            code, out, err = run_cli(monkeypatch, capsys, "undo", client)
            assert code == exitcodes.OK, out + err
        assert {msmtprc: msmtprc.read_bytes(), pinerc: pinerc.read_bytes()} == before


class Recorded:
    """A relay remembered as set up (the keyring holding USER's password), and the check."""

    def __init__(self, ca: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
        self.ca, self.monkeypatch, self.capsys = ca, monkeypatch, capsys

    def remember(self, port: int, pin: str | None = None, seen: str | None = None) -> None:
        setting = RelaySetting(
            "localhost", port, TlsMode.STARTTLS, USER, USER, ca_file=str(self.ca), pin_sha256=pin
        )
        record.remember(setting, ("msmtp",), certificate_sha256=seen)

    def check(self, *extra: str) -> tuple[int, dict[str, Any]]:
        return check_json(self.monkeypatch, self.capsys, *extra)

    def words(self, *extra: str) -> tuple[int, str, str]:
        return run_cli(self.monkeypatch, self.capsys, "check", *FAST, *extra)


@pytest.fixture
def recorded(
    pki: Pki,
    home: Path,
    keyring_user: SecretStore,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> Recorded:
    keyring_user.set("localhost", USER, Password(PASSWORD))
    return Recorded(install_ca(Path(pki.ca_file)), monkeypatch, capsys)


OLD_FINGERPRINT = "AB:" * 31 + "CD"


@pytest.mark.keyring
@pytest.mark.parametrize("how", ["other_ca", "pin_mismatch"])
def test_an_untrusted_certificate_is_a_loud_warning_and_no_password_is_sent(
    pki: Pki, recorded: Recorded, how: str
) -> None:
    if how == "other_ca":
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        trustme.CA(organization_name="Hotel proxy CA").issue_cert("localhost").configure_cert(
            context
        )
    else:  # the certificate verifies, but it is not the one pinned
        context = pki.server_context("localhost")
    with smtp_server("starttls", context, users={USER: PASSWORD}) as server:
        recorded.remember(server.port, pin=OLD_FINGERPRINT if how == "pin_mismatch" else None)
        saved = record.record_path().read_bytes()
        code, report = recorded.check("--fix")
        assert server.auth_seen == []  # the server side: no AUTH of any kind arrived
    assert code == exitcodes.TLS_PROBLEM, report
    assert report["status"] == "certificate_untrusted"
    assert "may be intercepting mail" in report["message"]
    assert "No password was sent" in report["message"]
    assert report["fixed"] == []
    assert record.record_path().read_bytes() == saved  # nothing learnt from an impostor


@pytest.mark.keyring
def test_a_new_valid_certificate_is_noted_and_remembered(pki: Pki, recorded: Recorded) -> None:
    with smtp_server("starttls", pki.server_context("localhost"), users={USER: PASSWORD}) as srv:
        recorded.remember(srv.port, seen=OLD_FINGERPRINT)
        code, report = recorded.check()
        assert srv.auth_seen == ["PLAIN"]  # a valid certificate: the login was checked
    assert (code, report["status"]) == (exitcodes.OK, "certificate_changed"), report
    new = report["probe"]["ports"][0]["certificate"]["sha256"]
    assert any(new in note and OLD_FINGERPRINT in note for note in report["notes"])
    kept = record.load()
    assert kept is not None and kept.certificate_sha256 == new


@pytest.mark.keyring
def test_a_changed_password_is_named_with_the_command_that_fixes_it(
    pki: Pki, recorded: Recorded
) -> None:
    changed = {USER: "changed-on-the-server"}
    with smtp_server("starttls", pki.server_context("localhost"), users=changed) as server:
        recorded.remember(server.port)
        code, report = recorded.check()
        code_words, out, _ = recorded.words("--quiet")
    assert code == code_words == exitcodes.AUTH_FAILED, report
    assert report["status"] == "login_failed"
    assert "relay-setup password set" in report["message"]
    assert report["login_error"]["kind"] == "auth_failed"
    assert "relay-setup password set" in out  # --quiet says what is wrong


@pytest.mark.keyring
def test_quiet_prints_nothing_when_all_is_well(pki: Pki, recorded: Recorded) -> None:
    with smtp_server("starttls", pki.server_context("localhost"), users={USER: PASSWORD}) as srv:
        recorded.remember(srv.port)
        code, out, err = recorded.words("--quiet")
        assert (code, out) == (exitcodes.OK, ""), err
        code, out, err = recorded.words()
    assert code == exitcodes.OK and f"{USER} can send through localhost" in out


@pytest.mark.parametrize(
    "content",
    [b"{not json", b'{"version": 1}', b"[]", b'{"version": 1, "host": "bad host", "port": 1}'],
    ids=["not_json", "missing_keys", "not_an_object", "bad_host"],
)
def test_a_damaged_record_is_refused_with_its_name_and_left_alone(
    home: Path, cli: Any, content: bytes
) -> None:
    path = record.record_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    code, out, _ = cli("check", "--json")
    assert code == exitcodes.CONFIG
    doc = json.loads(out)
    assert doc["failure"] == "config" and str(path) in doc["message"]
    assert path.read_bytes() == content


def test_nothing_set_up_is_said_plainly(home: Path, cli: Any) -> None:
    code, _, err = cli("check")
    assert code == exitcodes.CONFIG
    assert "nothing set up by relay-setup" in err
    assert not data_dir().joinpath(record.RECORD).exists()


@pytest.mark.keyring
def test_no_password_in_the_keyring_is_exit_9_and_nothing_is_sent(
    pki: Pki, recorded: Recorded, keyring_user: SecretStore
) -> None:
    keyring_user.delete("localhost", USER)
    with smtp_server("starttls", pki.server_context("localhost"), users={USER: PASSWORD}) as srv:
        recorded.remember(srv.port)
        code, report = recorded.check()
        assert srv.auth_seen == []
    assert (code, report["status"], report["failure"]) == (
        exitcodes.KEYRING, "login_failed", "keyring"
    )  # fmt: skip
    assert "relay-setup password set --host localhost" in report["message"]
