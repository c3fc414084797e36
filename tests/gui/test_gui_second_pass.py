"""The wizard's second pass (issue 15): what a person sees and does, offscreen, against the
demo relay (real TLS on 127.0.0.1, the real keyring, the real msmtp writer in a temporary home)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog, QWidget
from wizard_helpers import MakeWizard, relay_ports, skip_the_test_message, snap, to_message

from app.core.demo_relay import DemoRelay
from app.gui.state import Prefill
from app.gui.wizard import RelayWizard

pytestmark = pytest.mark.gui


def to_clients(wizard: RelayWizard, relay: DemoRelay, account: tuple[str, str]) -> None:
    """On to the mail programs' page, without a test message."""
    to_message(wizard, relay, account)
    wizard.next()
    skip_the_test_message(wizard)
    assert wizard.currentId() == RelayWizard.CLIENTS


def test_after_writing_the_program_shows_as_set_up_and_write_waits_for_a_change(
    make_wizard: MakeWizard, relay: DemoRelay, store: Any, account: tuple[str, str], home: Path
) -> None:
    wizard = make_wizard(Prefill(host="localhost", ports=relay_ports(relay)))
    to_clients(wizard, relay, account)
    clients = wizard.clients_page
    for name in clients.names():
        clients.set_checked(name, name == "msmtp")
    clients.write_button.click()
    rc = home / ".msmtprc"
    assert rc.exists()
    names = clients.names()
    row = names.index("msmtp")
    assert "already set up" in clients.list.item(row).text()
    assert not clients.write_button.isEnabled()
    assert clients.undo_button.isEnabled()
    assert str(rc) in clients.status.text() and "backups" in clients.status.text()
    clients.list.setCurrentRow(row)
    assert "no change needed" in clients.diff.toPlainText()
    clients.write_settings()  # even if it were pressed: nothing stale, nothing "changed"
    assert "changed since" not in clients.status.text()
    # the file changes under us: Write comes back for it
    rc.write_text(rc.read_text().replace(f"port {relay.implicit_port}", "port 1"))
    clients.initializePage()
    assert clients.write_button.isEnabled()


def test_next_on_the_clients_page_writes_the_ticked_programs_then_goes_on(
    make_wizard: MakeWizard, relay: DemoRelay, store: Any, account: tuple[str, str], home: Path
) -> None:
    wizard = make_wizard(Prefill(host="localhost", ports=relay_ports(relay)))
    to_clients(wizard, relay, account)
    clients = wizard.clients_page
    assert clients.write_button.isDefault()  # Enter writes, as Next does
    for name in clients.names():
        clients.set_checked(name, name == "msmtp")
    wizard.next()
    assert (home / ".msmtprc").exists()
    assert wizard.currentId() == RelayWizard.DONE
    assert "msmtp" in wizard.done_page.summary.text()
    assert "No mail program was changed" not in wizard.done_page.summary.text()


def test_enter_in_the_to_field_sends_and_stays(
    make_wizard: MakeWizard, relay: DemoRelay, store: Any, account: tuple[str, str]
) -> None:
    wizard = make_wizard(Prefill(host="localhost", ports=relay_ports(relay)))
    to_message(wizard, relay, account)
    page = wizard.message_page
    assert page.send.isDefault()
    page.to.setFocus()
    QTest.keyClick(page.to, Qt.Key.Key_Return)
    assert wizard.currentId() == RelayWizard.MESSAGE
    assert wizard.state.sent is not None and wizard.state.sent.queue_id in page.result.text()
    wizard.next()  # sent in this pass: Next goes on without asking
    assert wizard.currentId() == RelayWizard.CLIENTS


def test_a_name_that_does_not_exist_is_one_line_asking_to_check_the_spelling(
    make_wizard: MakeWizard, tmp_path: Path
) -> None:
    wizard = make_wizard(Prefill())
    start = wizard.start_page
    start.know_host.setChecked(True)
    start.host.setText("nonexistent.invalid")
    start.ports.setText("465, 587, 25")
    wizard.next()
    page = wizard.probe_page
    assert wizard.currentId() == RelayWizard.PROBE and not page.busy()
    verdict = page.verdict.text()
    assert "nonexistent.invalid" in verdict and "does not exist" in verdict
    assert "spelling" in verdict and "this network" not in verdict
    assert page.table.isHidden()  # one line, not a row per port that was never contacted
    assert page.details.toPlainText() == ""
    snap(wizard, "2-probe-unknown-name", tmp_path)


def test_a_port_never_contacted_shows_no_encryption(make_wizard: MakeWizard) -> None:
    from servers import free_port

    wizard = make_wizard(Prefill())
    start = wizard.start_page
    start.know_host.setChecked(True)
    start.host.setText("localhost")
    start.ports.setText(str(free_port()))  # nothing listens: refused
    wizard.next()
    row = wizard.probe_page.table.topLevelItem(0)
    assert row is not None and row.text(2) == "refused"
    assert row.text(1) == ""  # not "none": no encryption was ever asked for


def choose_in(parent: QWidget, path: Path, home: Path) -> None:
    """The CA file dialog that `parent` opened: it starts at home and shows every name a CA
    file has; choose `path`."""
    dialog = parent.findChild(QFileDialog, "ca_file_dialog")
    assert dialog is not None and dialog.isVisible()
    filters = " ".join(dialog.nameFilters())
    for pattern in ("*.pem", "*.crt", "*.cert", "*.cer", "All files"):
        assert pattern in filters
    assert Path(dialog.directory().absolutePath()) == home
    dialog.selectFile(str(path))
    dialog.accept()
    QApplication.processEvents()


def test_browse_shows_a_ca_cert_file_and_starts_at_home(
    make_wizard: MakeWizard, relay: DemoRelay, home: Path
) -> None:
    ca = home / "CA.cert"  # the seed's name, which the old filter hid
    ca.write_bytes(Path(relay.ca_file).read_bytes())
    wizard = make_wizard(Prefill())
    wizard.start_page.browse.click()
    choose_in(wizard.start_page, ca, home)
    assert wizard.start_page.ca_file.text() == str(ca)


def test_the_certificate_box_offers_to_choose_the_ca_file_and_probes_again(
    make_wizard: MakeWizard, relay: DemoRelay, home: Path, tmp_path: Path
) -> None:
    ca = home / "CA.cert"
    ca.write_bytes(Path(relay.ca_file).read_bytes())
    wizard = make_wizard(Prefill(host="localhost", ports=relay_ports(relay)))
    wizard.next()  # no CA given: the certificate cannot be verified
    page = wizard.probe_page
    assert wizard.state.chosen is None and page.pin_box.isVisible()
    assert page.choose_ca.isVisible() and "CA file" in page.choose_ca.text()
    snap(wizard, "2-probe-certificate-box", tmp_path)
    page.choose_ca.click()
    choose_in(page, ca, home)
    assert wizard.state.ca_file == str(ca) and wizard.start_page.ca_file.text() == str(ca)
    assert wizard.state.chosen is not None and wizard.state.chosen.port == relay.implicit_port
    assert not page.pin_box.isVisible()
