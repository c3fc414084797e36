"""The wizard with the keyboard alone (issue 15, item 11): key events to whatever has the focus,
from the start page to an msmtp account written into a temporary home, against the demo relay
(real TLS on 127.0.0.1, the real keyring). And every control has a name a screen reader says."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)
from wizard_helpers import MakeWizard, log_in, relay_ports, skip_the_test_message, snap

from app.core.demo_relay import DemoRelay
from app.gui.state import Prefill
from app.gui.wizard import RelayWizard

pytestmark = pytest.mark.gui


def focused(wizard: RelayWizard) -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None and wizard.isAncestorOf(widget), "the focus left the wizard"
    return widget


def press(wizard: RelayWizard, key: Qt.Key, modifier: Any = Qt.KeyboardModifier.NoModifier) -> None:
    """A key, to the widget that has the focus, as a keyboard gives it."""
    QTest.keyClick(focused(wizard), key, modifier)
    QApplication.processEvents()


def tab_to(wizard: RelayWizard, name: str) -> QWidget:
    """Tab (only) until the control a screen reader calls `name` has the focus."""
    for _ in range(40):
        widget = focused(wizard)
        if spoken_name(widget) == name:
            return widget
        press(wizard, Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reaches {name!r} on page {wizard.currentId()}")


def spoken_name(widget: QWidget) -> str:
    """What assistive technology hears as the control's name (Qt's accessibility interface:
    the accessible name, else a button's text or a field's label)."""
    interface = QAccessible.queryAccessibleInterface(widget)
    assert interface is not None
    return interface.text(QAccessible.Text.Name).replace("&", "")


def test_the_whole_flow_with_the_keyboard_alone(
    make_wizard: MakeWizard,
    relay: DemoRelay,
    store: Any,
    account: tuple[str, str],
    home: Path,
    qtbot: Any,
    tmp_path: Path,
) -> None:
    user, password = account
    wizard = make_wizard(Prefill(host="localhost", ports=relay_ports(relay)))
    wizard.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None, timeout=5_000)

    # Start: the address and the CA file, typed; Enter goes on (and the probe runs)
    QTest.keyClicks(tab_to(wizard, "Your email address"), user)
    QTest.keyClicks(tab_to(wizard, "Organisation's CA certificate file"), relay.ca_file)
    press(wizard, Qt.Key.Key_Return)
    assert wizard.currentId() == RelayWizard.PROBE
    assert wizard.state.chosen is not None
    press(wizard, Qt.Key.Key_Return)

    # Account: the password; Enter checks it and the result stays; Enter again goes on
    assert wizard.currentId() == RelayWizard.ACCOUNT
    QTest.keyClicks(tab_to(wizard, "Password"), password)
    press(wizard, Qt.Key.Key_Return)
    page = wizard.account_page
    assert wizard.currentId() == RelayWizard.ACCOUNT
    assert page.status.kind == "ok" and "Login works" in page.status.text()
    press(wizard, Qt.Key.Key_Return)

    # Test message: Enter in the address field sends (and stays); Tab to Next, Space goes on
    assert wizard.currentId() == RelayWizard.MESSAGE
    tab_to(wizard, "Send the test message to")
    press(wizard, Qt.Key.Key_Return)
    sent = wizard.state.sent
    assert sent is not None and relay.wait_for_message(sent.queue_id) is not None
    assert wizard.currentId() == RelayWizard.MESSAGE
    tab_to(wizard, "Next >")  # (Alt+N too, on a desktop: offscreen Qt has no mnemonics)
    press(wizard, Qt.Key.Key_Space)

    # Mail programs: arrows and Space tick msmtp alone; Enter writes
    clients = wizard.clients_page
    assert wizard.currentId() == RelayWizard.CLIENTS
    tab_to(wizard, "Mail programs found on this computer")
    for row, name in enumerate(clients.names()):
        assert clients.list.currentRow() == row
        ticked = name in clients.checked()
        if ticked != (name == "msmtp"):
            press(wizard, Qt.Key.Key_Space)
            assert (name in clients.checked()) == (name == "msmtp"), name
        press(wizard, Qt.Key.Key_Down)
    assert clients.checked() == ["msmtp"]
    press(wizard, Qt.Key.Key_Return)
    rc = home / ".msmtprc"
    written = rc.read_text()
    assert f"port {relay.implicit_port}" in written and f"user {user}" in written
    assert password not in written
    assert wizard.currentId() == RelayWizard.CLIENTS  # Write stays to show what it did
    press(wizard, Qt.Key.Key_Return)  # Write is done: Enter is Next again

    # Done: what was written; Enter finishes
    assert wizard.currentId() == RelayWizard.DONE
    assert str(rc) in wizard.done_page.summary.text()
    snap(wizard, "keyboard-done", tmp_path)
    press(wizard, Qt.Key.Key_Return)
    assert not wizard.isVisible() and wizard.result() == RelayWizard.DialogCode.Accepted


CONTROLS = (
    QAbstractButton,
    QLineEdit,
    QAbstractItemView,
    QPlainTextEdit,
    QTextEdit,
    QComboBox,
    QAbstractSpinBox,
)


def unnamed_controls(wizard: RelayWizard) -> list[str]:
    """The controls shown now that take the focus (the page's, and Back/Next/Cancel) and that a
    screen reader cannot name."""
    controls = [
        w
        for w in wizard.findChildren(QWidget)
        if isinstance(w, CONTROLS) and w.focusPolicy() != Qt.FocusPolicy.NoFocus
    ]
    assert len(controls) > 3
    return [
        f"{type(w).__name__} {w.objectName()!r}"
        for w in controls
        if w.isVisibleTo(wizard) and not spoken_name(w).strip()
    ]


def test_every_control_on_every_page_has_a_name(
    make_wizard: MakeWizard, relay: DemoRelay, store: Any, account: tuple[str, str]
) -> None:
    user, password = account
    wizard = make_wizard(Prefill(host="localhost", ports=relay_ports(relay)))
    seen = {}
    wizard.start_page.email.setText(user)
    wizard.start_page.ca_file.setText(relay.ca_file)
    seen[wizard.currentId()] = unnamed_controls(wizard)
    wizard.next()
    seen[wizard.currentId()] = unnamed_controls(wizard)
    wizard.next()
    seen[wizard.currentId()] = unnamed_controls(wizard)
    log_in(wizard, password)
    seen[wizard.currentId()] = unnamed_controls(wizard)
    wizard.next()
    skip_the_test_message(wizard)
    seen[wizard.currentId()] = unnamed_controls(wizard)
    wizard.clients_page.set_checked("msmtp", True)
    wizard.next()
    wizard.done_page.details.click()
    seen[wizard.currentId()] = unnamed_controls(wizard)
    assert sorted(seen) == [
        RelayWizard.START,
        RelayWizard.PROBE,
        RelayWizard.ACCOUNT,
        RelayWizard.MESSAGE,
        RelayWizard.CLIENTS,
        RelayWizard.DONE,
    ]
    assert {page: names for page, names in seen.items() if names} == {}
