"""The Done page and leaving the wizard (issue 15, item 3), offscreen, against the demo relay
(real TLS on 127.0.0.1, the real keyring, the real writers into a temporary home)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox
from wizard_helpers import MakeWizard, relay_ports, skip_the_test_message, to_message

from app.core.demo_relay import DemoRelay
from app.core.roaming import record
from app.gui.state import Prefill
from app.gui.wizard import RelayWizard

pytestmark = pytest.mark.gui


def to_clients(
    wizard: RelayWizard, relay: DemoRelay, account: tuple[str, str], *, send: bool
) -> None:
    to_message(wizard, relay, account)
    if send:
        wizard.message_page.send.click()
        assert wizard.state.sent is not None
        wizard.next()
    else:
        wizard.next()
        skip_the_test_message(wizard)
    assert wizard.currentId() == RelayWizard.CLIENTS


def write_only(wizard: RelayWizard, *names: str) -> None:
    clients = wizard.clients_page
    for name in clients.names():
        clients.set_checked(name, name in names)
    clients.write_button.click()
    assert sorted({name for name, _ in wizard.state.written}) == sorted(names)


# What the Done page says to do next, per program (DESIGN.md; app/core/clients/*).
NEXT_STEPS = {
    "msmtp": "msmtp takes the password from your keyring when it sends",
    "alpine": "Restart Alpine if it is open: it asks for the password on the first send",
    "neomutt": "Restart NeoMutt if it is open: it takes the password from your keyring",
}


@pytest.mark.parametrize("program", sorted(NEXT_STEPS))
def test_the_done_page_lists_files_backups_undo_skipped_and_what_next(
    program: str,
    make_wizard: MakeWizard,
    relay: DemoRelay,
    store: Any,
    account: tuple[str, str],
    home: Path,
) -> None:
    password = account[1]
    wizard = make_wizard(Prefill(host="localhost", ports=relay_ports(relay)))
    to_clients(wizard, relay, account, send=True)
    before = {path: path.read_bytes() for path in home.rglob("*") if path.is_file()}
    write_only(wizard, program)
    wizard.next()
    done = wizard.done_page
    assert wizard.currentId() == RelayWizard.DONE
    assert done.headline.kind == "ok" and done.headline.icon.isVisibleTo(wizard)
    assert program in done.headline.text()
    text = done.summary.text()
    (applied,) = [result for name, result in wizard.state.written if name == program]
    assert applied.written
    for written in applied.written:
        assert str(written.path) in text
        assert (str(written.backup) if written.backup else "a new file: undo removes it") in text
    assert NEXT_STEPS[program] in text
    # every other program is listed as not set up, with its reason
    skipped = [name for name in wizard.clients_page.names() if name != program]
    for name in skipped:
        assert f"• {name}: " in done.skipped.text(), name
    assert "not ticked" in done.skipped.text() and program not in done.skipped.text()
    # undo: the button, and the command to type later (a command, no option words)
    assert done.undo.isVisibleTo(wizard)
    assert "relay-setup undo" in done.undo_note.text() and "--" not in done.undo_note.text()
    # the diagnostics report behind Details
    assert not done.report.isVisibleTo(wizard)
    done.details.click()
    assert done.report.isVisibleTo(wizard) and "Wrote " + program in done.report.toPlainText()
    done.copy.click()
    assert password not in QGuiApplication.clipboard().text()
    # Undo on the Done page puts back every file as it was
    done.undo.click()
    after = {path: path.read_bytes() for path in home.rglob("*") if path.is_file()}
    assert {p: b for p, b in after.items() if p in before} == before
    assert wizard.state.written == []
    assert done.headline.kind == "warning" and "No mail program" in done.headline.text()
    assert "put back" in done.undo_note.text() and done.undo_note.isVisibleTo(wizard)
    assert not done.undo.isVisibleTo(wizard)


def test_a_test_message_of_an_earlier_pass_is_not_reported(
    make_wizard: MakeWizard, relay: DemoRelay, store: Any, account: tuple[str, str]
) -> None:
    """Sent on the first pass; Back to the account, on again, and the second pass skips the
    test message: the Done page must not show the first pass's queue id."""
    wizard = make_wizard(Prefill(host="localhost", ports=relay_ports(relay)))
    to_clients(wizard, relay, account, send=True)
    first = wizard.state.sent
    assert first is not None and first.queue_id
    wizard.back()
    wizard.back()
    assert wizard.currentId() == RelayWizard.ACCOUNT
    wizard.next()  # the login was checked: on at once
    assert wizard.currentId() == RelayWizard.MESSAGE
    wizard.next()
    skip_the_test_message(wizard)
    wizard.next()
    done = wizard.done_page
    assert wizard.currentId() == RelayWizard.DONE
    assert first.queue_id not in done.summary.text()
    assert "No test message sent." in done.summary.text()
    assert "Test message: not sent" in done.report.toPlainText()


def question(wizard: RelayWizard) -> QMessageBox | None:
    shown = [b for b in wizard.findChildren(QMessageBox, "confirm_close") if b.isVisible()]
    assert len(shown) <= 1
    return shown[0] if shown else None


def answer(box: QMessageBox, label: str) -> None:
    (button,) = [b for b in box.buttons() if b.text().replace("&", "") == label]
    button.click()
    QApplication.processEvents()


@pytest.mark.parametrize("how", ["escape", "cancel", "close"])
def test_leaving_after_something_was_written_asks_first(
    how: str,
    make_wizard: MakeWizard,
    relay: DemoRelay,
    store: Any,
    account: tuple[str, str],
    home: Path,
) -> None:
    wizard = make_wizard(Prefill(host="localhost", ports=relay_ports(relay)))
    to_clients(wizard, relay, account, send=False)
    write_only(wizard, "msmtp")

    def leave() -> None:
        if how == "escape":
            QTest.keyClick(wizard.clients_page.list, Qt.Key.Key_Escape)
        elif how == "cancel":
            wizard.button(RelayWizard.WizardButton.CancelButton).click()
        else:
            wizard.close()
        QApplication.processEvents()

    leave()
    box = question(wizard)
    assert box is not None and wizard.isVisible()
    assert "msmtp" in box.text() and "relay-setup undo" in box.text()
    answer(box, "Stay")
    assert wizard.isVisible() and question(wizard) is None
    leave()
    box = question(wizard)
    assert box is not None
    answer(box, "Close")
    assert not wizard.isVisible()
    assert (home / ".msmtprc").exists()  # closing keeps what was written


def test_leaving_before_anything_was_written_does_not_ask(
    make_wizard: MakeWizard, relay: DemoRelay, store: Any, account: tuple[str, str]
) -> None:
    wizard = make_wizard(Prefill(host="localhost", ports=relay_ports(relay)))
    to_clients(wizard, relay, account, send=False)
    QTest.keyClick(wizard.clients_page.list, Qt.Key.Key_Escape)
    QApplication.processEvents()
    assert question(wizard) is None and not wizard.isVisible()


def test_writing_says_how_it_went_with_an_icon(
    make_wizard: MakeWizard, relay: DemoRelay, store: Any, account: tuple[str, str], home: Path
) -> None:
    """A write refused (the file changed after it was read) is an error with a cross; the
    write that then works has a tick; neither by colour alone."""
    wizard = make_wizard(Prefill(host="localhost", ports=relay_ports(relay)))
    to_clients(wizard, relay, account, send=False)
    clients = wizard.clients_page
    for name in clients.names():
        clients.set_checked(name, name == "msmtp")
    rc = home / ".msmtprc"
    rc.write_text("# written by someone else meanwhile\n")
    clients.write_button.click()
    assert clients.status.kind == "error" and clients.status.icon.isVisibleTo(wizard)
    assert "msmtp: not written" in clients.status.text()
    assert rc.read_text() == "# written by someone else meanwhile\n"
    clients.set_checked("msmtp", True)  # planned again against the file as it is now
    clients.write_button.click()
    assert clients.status.kind == "ok" and clients.status.icon.isVisibleTo(wizard)
    assert "account localhost" in rc.read_text()


def test_what_the_wizard_wrote_is_what_check_proves_later(
    make_wizard: MakeWizard,
    relay: DemoRelay,
    store: Any,
    account: tuple[str, str],
    home: Path,
    cli: Any,
) -> None:
    """The wizard's write is remembered as the last known good setup: `relay-setup check`
    finds it (the relay, the programs, the certificate seen) and proves it again."""
    wizard = make_wizard(Prefill(host="localhost", ports=relay_ports(relay)))
    to_clients(wizard, relay, account, send=False)
    write_only(wizard, "msmtp")
    chosen = wizard.state.chosen
    assert chosen is not None and chosen.certificate is not None
    known = record.load()
    assert known is not None and known.clients == ("msmtp",)
    assert (known.setting.host, known.setting.port) == ("localhost", chosen.port)
    assert known.certificate_sha256 == chosen.certificate.sha256
    code, out, _ = cli("check", "--json")
    assert (code, json.loads(out)["status"]) == (0, "ok"), out
