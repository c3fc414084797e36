"""Every page at 600x450 (issue 15, item 6): the window may be that small, every control shown
is inside it, and no wrapping text is squeezed shorter than its lines. Against the demo relay
(real TLS on 127.0.0.1, the real keyring, msmtp written into a temporary home)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QLineEdit, QScrollArea, QWidget
from wizard_helpers import MakeWizard, log_in, relay_ports, skip_the_test_message, snap

from app.core.demo_relay import DemoRelay
from app.gui.certificate_text import grouped_fingerprint
from app.gui.state import Prefill
from app.gui.wizard import RelayWizard

pytestmark = pytest.mark.gui

SMALL = QSize(600, 450)


def in_a_scroll_area(widget: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def what_does_not_fit(wizard: RelayWizard) -> list[str]:
    window = QRect(QPoint(0, 0), wizard.size())
    wrong = []
    for widget in wizard.currentPage().findChildren(QWidget):
        if not widget.isVisibleTo(wizard) or in_a_scroll_area(widget):
            continue
        where = QRect(widget.mapTo(wizard, QPoint(0, 0)), widget.size())
        name = f"{type(widget).__name__} {widget.objectName()!r}"
        if isinstance(widget, QAbstractButton | QLineEdit) and not window.contains(where):
            wrong.append(f"{name} at {where} is outside the window {window}")
        if isinstance(widget, QLabel) and widget.wordWrap() and widget.text():
            needed = widget.heightForWidth(widget.width())
            shown = widget.visibleRegion().boundingRect().height()  # clipped by its parents
            if shown < needed:
                wrong.append(f"{name} shows {shown} px of its text's {needed}")
    return wrong


def look(wizard: RelayWizard, name: str, tmp_path: Path) -> dict[str, list[str]]:
    """The page as it is, at the default size and at 600x450: pictures kept, and what does not
    fit."""
    QApplication.processEvents()
    found = {f"{name}-as-shown": what_does_not_fit(wizard)}  # before a resize lays it out again
    for size, suffix in ((QSize(760, 600), ""), (SMALL, "-600x450")):
        wizard.resize(size)
        snap(wizard, f"{name}{suffix}", tmp_path)
        assert wizard.size() == size, f"{name}: the window will not be {size}"
        found[f"{name}{suffix}"] = what_does_not_fit(wizard)
    return found


def test_every_page_is_usable_at_600_by_450(
    make_wizard: MakeWizard,
    relay: DemoRelay,
    store: Any,
    account: tuple[str, str],
    home: Path,
    tmp_path: Path,
) -> None:
    user, password = account
    (home / ".msmtprc").write_text("# mine\n")  # a file with a backup, listed on the Done page
    wizard = make_wizard(Prefill(host="localhost", ports=relay_ports(relay)))
    wizard.start_page.email.setText(user)
    wizard.start_page.ca_file.setText(relay.ca_file)
    found = look(wizard, "start", tmp_path)
    wizard.next()
    found |= look(wizard, "probe", tmp_path)
    wizard.next()
    wizard.account_page.password.setText("not the password")
    wizard.next()  # the error stays, with the server's words: several lines
    assert wizard.account_page.status.kind == "error"
    found |= look(wizard, "account-wrong-password", tmp_path)
    wizard.account_page.password.setText(password)
    wizard.next()  # the result stays: a headline with an icon
    found |= look(wizard, "account", tmp_path)
    assert "Login works" in wizard.account_page.status.text()
    wizard.next()
    wizard.message_page.send.click()
    assert wizard.state.sent is not None
    found |= look(wizard, "message", tmp_path)
    wizard.next()
    clients = wizard.clients_page
    for name in clients.names():
        clients.set_checked(name, name == "msmtp")
    # a program that cannot be set up, selected: its reason is shown in full
    aerc = clients.names().index("aerc")
    clients.list.setCurrentRow(aerc)
    assert clients.about.kind == "error" and "aerc" in clients.about.text()
    found |= look(wizard, "clients", tmp_path)
    wizard.next()
    assert wizard.currentId() == RelayWizard.DONE
    found |= look(wizard, "done", tmp_path)
    wizard.done_page.details.click()
    found |= look(wizard, "done-details", tmp_path)
    assert {page: wrong for page, wrong in found.items() if wrong} == {}


@pytest.mark.parametrize(
    "sha256",
    [
        ":".join(f"{b:02X}" for b in range(32)),  # as the core gives it (and msmtp wants it)
        "".join(f"{b:02x}" for b in range(32)),  # bare lowercase hex
    ],
)
def test_a_fingerprint_is_grouped_four_bytes_a_group(sha256: str) -> None:
    groups = list(grouped_fingerprint(sha256))
    assert len(groups) == 8
    assert groups[0] == "00:01:02:03" and groups[-1] == "1C:1D:1E:1F"


def test_the_fingerprint_to_compare_is_whole_at_600_by_450(
    make_wizard: MakeWizard,
    relay: DemoRelay,
    store: Any,
    account: tuple[str, str],
    tmp_path: Path,
) -> None:
    """No CA given: the certificate box shows the fingerprint; at 600x450 every group of it is
    on screen (wrapped between groups), and the Done page names the pin the same way."""
    user, password = account
    wizard = make_wizard(Prefill(host="localhost", email=user, ports=relay_ports(relay)))
    wizard.next()
    page = wizard.probe_page
    assert page.pin_box.isVisibleTo(wizard)
    cert = wizard.state.report.result(relay.implicit_port).certificate
    shown = " ".join(grouped_fingerprint(cert.sha256))
    assert f"<b>{shown}</b>" in page.pin_text.text()
    wizard.resize(SMALL)
    snap(wizard, "probe-certificate-600x450", tmp_path)
    # (the box as a whole is test_the_certificate_box_fits_at_600_by_450's)
    page.pin_confirm.setChecked(True)
    page.pin_accept.click()
    wizard.next()
    log_in(wizard, password)
    wizard.next()
    skip_the_test_message(wizard)
    for name in wizard.clients_page.names():
        wizard.clients_page.set_checked(name, False)
    wizard.next()
    assert wizard.currentId() == RelayWizard.DONE
    assert f"Certificate pinned: {shown}" in wizard.done_page.summary.text()


def test_the_certificate_box_fits_at_600_by_450(
    make_wizard: MakeWizard, relay: DemoRelay, tmp_path: Path
) -> None:
    wizard = make_wizard(Prefill(host="localhost", ports=relay_ports(relay)))
    wizard.start_page.email.setText("jo@example.org")
    wizard.next()
    assert wizard.probe_page.pin_box.isVisibleTo(wizard)
    found = look(wizard, "probe-certificate", tmp_path)
    assert {name: wrong for name, wrong in found.items() if wrong} == {}


def test_a_result_that_grows_is_laid_out_at_once(
    make_wizard: MakeWizard, relay: DemoRelay, store: Any, account: tuple[str, str], tmp_path: Path
) -> None:
    """The error under the password replaces a one-line "Checking…": on a window already
    painted, the page gives it its lines at the next event, not only at the next resize."""
    user, _ = account
    wizard = make_wizard(Prefill(host="localhost", email=user, ports=relay_ports(relay)))
    wizard.start_page.ca_file.setText(relay.ca_file)
    snap(wizard, "start-painted", tmp_path)
    wizard.next()
    wizard.next()
    wizard.account_page.password.setText("not the password")
    wizard.next()
    assert wizard.account_page.status.kind == "error"
    QApplication.processEvents()
    assert what_does_not_fit(wizard) == []
