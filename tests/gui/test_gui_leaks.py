"""Nothing secret leaves the machine or shows on screen: secrets planted in every mail client's
existing files (another msmtp account's `password`, Alpine's OAuth2 client secret, Thunderbird
password prefs) and the relay password itself, through the whole wizard (to Copy diagnostics)
and `relay-setup write --dry-run` / `apply --json` on the command line.

Scanned: the diagnostics text and the clipboard, every text the wizard's widgets show, the log,
the commands' stdout/stderr (and JSON), their processes' argv and environment, and every file
of the data folder. Backups are byte copies of the user's own files (their other passwords are
their content): they are checked to be exact and 0600 instead."""

from __future__ import annotations

import json
import logging
import os
import stat
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from leakscan import Run, assert_no_leak, files_holding, forms, run_watched
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit, QPlainTextEdit, QWidget
from wizard_helpers import MakeWizard, log_in, relay_ports

from app.core.clients.masking import MASK
from app.core.demo_relay import DemoRelay
from app.gui.diagnostics import report_text
from app.gui.state import Prefill
from app.gui.wizard import RelayWizard

ROOT = Path(__file__).parent.parent.parent
CLIENTS = ("msmtp", "alpine", "thunderbird")


@dataclass(frozen=True)
class Planted:
    """The user's existing files, each holding a secret of another account."""

    secrets: dict[str, str]  # where -> the secret
    originals: dict[Path, bytes]

    def forms(self, password: str, user: str) -> list[bytes]:
        found = forms(password, user)
        for secret in self.secrets.values():
            found += forms(secret)
        return found


def plant(home: Path) -> Planted:
    tag = uuid.uuid4().hex[:8]
    secrets = {
        "msmtp": f"hunter2-OTHER-{tag}",
        "alpine": f"alpine-client-SECRET-{tag}",
        "thunderbird-smtp": f"tb-smtp-SECRET-{tag}",
        "thunderbird-imap": f"tb-imap-SECRET-{tag}",
    }
    rc = home / ".msmtprc"
    rc.write_text(
        "defaults\ntls on\n\naccount other\nhost mail.other.example\nport 587\nuser bob\n"
        f"password {secrets['msmtp']}\n"
    )
    rc.chmod(0o600)  # msmtp demands it of a file with a password
    (home / ".pinerc").write_text(
        "personal-name=Ann Example\n"
        "smtp-server=smtp.other.example/user=bob\n"
        f'xoauth2-info="Gmail" /Client-ID="1234.apps.example" /Client-Secret="{secrets["alpine"]}"'
        ' /Tenant="common"\n'
        "inbox-path={imap.other.example/ssl/user=bob}INBOX\n"
    )
    profile = home / ".thunderbird" / "abcd.default"
    profile.mkdir(parents=True)
    (home / ".thunderbird" / "profiles.ini").write_text(
        "[Profile0]\nName=default\nIsRelative=1\nPath=abcd.default\nDefault=1\n\n"
        "[General]\nStartWithLastProfile=1\nVersion=2\n"
    )
    (profile / "prefs.js").write_text(
        "// Mozilla User Preferences\n\n"
        f'user_pref("mail.server.server1.password", "{secrets["thunderbird-imap"]}");\n'
        'user_pref("mail.smtp.defaultserver", "smtp1");\n'
        'user_pref("mail.smtpserver.smtp1.hostname", "old-isp.example.net");\n'
        f'user_pref("mail.smtpserver.smtp1.password", "{secrets["thunderbird-smtp"]}");\n'
        'user_pref("mail.smtpserver.smtp1.username", "bob");\n'
        'user_pref("mail.smtpservers", "smtp1");\n'
    )
    files = (rc, home / ".pinerc", profile / "prefs.js")
    return Planted(secrets, {path: path.read_bytes() for path in files})


def shown_texts(wizard: RelayWizard) -> list[str]:
    """Every text a widget of the wizard shows (the password field excepted: it echoes dots)."""
    texts = []
    for widget in wizard.findChildren(QWidget):
        texts.append(widget.toolTip())
        if isinstance(widget, QLabel | QAbstractButton):
            texts.append(widget.text())
        elif isinstance(widget, QPlainTextEdit):
            texts.append(widget.toPlainText())
        elif isinstance(widget, QLineEdit) and widget.echoMode() is QLineEdit.EchoMode.Normal:
            texts.append(widget.text())
    return texts


def check_backups(data: Path, planted: Planted) -> list[Path]:
    """Each backup is an exact copy of one of the user's files, readable by the user only."""
    assert stat.S_IMODE(data.stat().st_mode) & 0o077 == 0  # the data folder is the user's only
    backups = [p for p in (data / "backups").rglob("*") if p.is_file()]
    originals = set(planted.originals.values())
    for backup in backups:
        assert stat.S_IMODE(backup.stat().st_mode) == 0o600, backup
        if backup.read_bytes() in originals:
            continue
        # Alpine's certificate file is ours (the CA), not the user's: no secret in it
        assert not files_holding(backup.parent, [s.encode() for s in planted.secrets.values()])
    return backups


def is_backup(data: Path) -> Any:
    return lambda path: path.is_relative_to(data / "backups")


@pytest.mark.keyring
def test_no_secret_leaves_through_the_wizard(
    make_wizard: MakeWizard,
    relay: DemoRelay,
    store: Any,
    account: tuple[str, str],
    home: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    user, password = account
    planted = plant(home)
    wrong = f"wrong-{uuid.uuid4().hex}"
    secrets = planted.forms(password, user) + forms(wrong, user)
    wizard = make_wizard(Prefill(host="localhost", ports=relay_ports(relay)))
    wizard.start_page.email.setText(user)
    wizard.start_page.ca_file.setText(relay.ca_file)
    wizard.next()
    wizard.next()
    wizard.account_page.password.setText(wrong)
    wizard.next()
    failure = wizard.state.login_failure
    assert failure is not None and failure.kind == "auth_failed" and failure.code == 535
    assert "Login: failed: auth_failed (535" in report_text(wizard.state)
    log_in(wizard, password)
    wizard.message_page.send.click()
    assert wizard.state.sent is not None
    wizard.next()

    # The preview: each client's diff masks the secret lines near our change
    clients = wizard.clients_page
    assert set(CLIENTS) <= set(clients.names())
    previews = {}
    for name in clients.names():  # the programs whose files hold planted secrets, only
        clients.set_checked(name, name in CLIENTS)
    for name in CLIENTS:
        clients.list.setCurrentRow(clients.names().index(name))
        previews[name] = clients.diff.toPlainText()
    assert f" password {MASK}\n" in previews["msmtp"]
    assert f"/Client-Secret={MASK}" in previews["alpine"]
    assert f'"mail.smtpserver.smtp1.password", {MASK});' in previews["thunderbird"]
    for name, preview in previews.items():
        assert not [s for s in secrets if s.decode() in preview], name
    clients.write_button.click()
    assert sorted(name for name, _ in wizard.state.written) == sorted(CLIENTS)
    # the write itself kept every secret line byte for byte
    for path, original in planted.originals.items():
        for line in original.splitlines(keepends=True):
            if any(secret.encode() in line for secret in planted.secrets.values()):
                assert line in path.read_bytes(), (path, line)
    wizard.next()

    done = wizard.done_page
    done.copy.click()
    report = QGuiApplication.clipboard().text()
    assert report == done.report.toPlainText()
    # what the report does say: hashes, paths and backups of every client's files
    for name, result in wizard.state.written:
        assert f"Wrote {name}" in report
        for change in result.plan.changes:
            assert change.new_sha256 in report and str(change.path) in report
        for backup in result.backups:
            assert str(backup) in report
    assert wizard.state.sent.message_id in report and "Authentication successful" in report
    assert "Event: login failed: auth_failed" in report
    data = home / ".local/share/relay-setup"
    texts = [report, *shown_texts(wizard), caplog.text, repr(wizard.state)]
    for text in texts:
        assert not [s for s in secrets if s.decode() in text], text
    check_backups(data, planted)
    assert files_holding(data, secrets, is_backup(data)) == []


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    home = tmp_path / "cli-home"
    for sub in (".config", ".local/share", ".cache", "tmp"):
        (home / sub).mkdir(parents=True)
    return {
        **os.environ,
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local/share"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "TMPDIR": str(home / "tmp"),
    }


@pytest.mark.keyring
def test_no_secret_leaves_through_write_and_apply(
    relay: DemoRelay, store: Any, account: tuple[str, str], cli_env: dict[str, str]
) -> None:
    user, password = account
    home = Path(cli_env["HOME"])
    planted = plant(home)
    secrets = planted.forms(password, user)
    conn = ["--host", "localhost", "--port", str(relay.implicit_port), "--user", user]
    runs: list[Run] = []
    for name in CLIENTS:  # (no --ca: `write alpine --dry-run --ca` fails, the copy is not made)
        dry = run_watched(["write", name, "--dry-run", *conn], cli_env, "")
        assert dry.code == 0, dry.err
        assert MASK in dry.out, dry.out  # the secret line next to our change, masked
        runs.append(dry)
    assert all(p.read_bytes() == original for p, original in planted.originals.items())

    profile = home / "profile.toml"
    shipped = (ROOT / "profiles" / "demo.toml").read_text()
    ports = f'ports = ["{relay.implicit_port}/implicit", "{relay.starttls_port}/starttls"]'
    profile.write_text(shipped.replace('ports = ["2465/implicit", "2587/starttls"]', ports))
    apply = ["apply", "--profile", str(profile), "--email", user, "--ca", relay.ca_file]
    apply += ["--password-stdin", "--send-test", "--clients", ",".join(CLIENTS), "--json"]
    runs.append(run_watched(apply, cli_env, f"{password}\n"))
    report = json.loads(runs[-1].out)
    assert runs[-1].code == 0 and report["ok"], runs[-1].out + runs[-1].err
    assert {s["step"]: s["status"] for s in report["steps"] if s["step"].startswith("client:")} == {
        f"client:{name}": "changed" for name in CLIENTS
    }
    data = home / ".local/share/relay-setup"
    assert len(check_backups(data, planted)) >= len(CLIENTS)
    journal = (data / "journal.json").read_text()
    assert all(str(path) in journal for path in planted.originals)  # paths and hashes only
    assert_no_leak(runs, secrets, data, keep=is_backup(data))
