"""Helpers the wizard's tests share (conftest.py holds the fixtures)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from app.core.demo_relay import DemoRelay
from app.core.results import PortSpec
from app.gui.wizard import RelayWizard

SCREENSHOTS = os.environ.get("RELAY_SETUP_SCREENSHOTS")  # a folder: keep the pages' pictures
MakeWizard = Callable[..., RelayWizard]


def relay_ports(relay: DemoRelay) -> tuple[PortSpec, ...]:
    return (PortSpec(relay.implicit_port, implicit=True), PortSpec(relay.starttls_port))


def next_enabled(wizard: RelayWizard) -> bool:
    return wizard.button(wizard.WizardButton.NextButton).isEnabled()


def snap(widget: QWidget, name: str, tmp_path: Path) -> Path:
    """Grab the window as it is drawn (offscreen) and keep the picture."""
    folder = Path(SCREENSHOTS) if SCREENSHOTS else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    QApplication.processEvents()  # let pending layout requests settle, as a real screen would
    image = widget.grab()
    assert not image.isNull() and image.width() > 300
    assert image.save(str(path))
    return path


def skip_the_test_message(wizard: RelayWizard) -> None:
    """Next on the test message's page without sending asks first; answer "go on"."""
    assert wizard.currentId() == RelayWizard.MESSAGE
    question = wizard.message_page.findChild(QMessageBox, "skip_test_message")
    assert question is not None and question.isVisible()
    go_on = [b for b in question.buttons() if "without" in b.text()]
    assert len(go_on) == 1
    go_on[0].click()
    QApplication.processEvents()


def log_in(wizard: RelayWizard, password: str) -> None:
    """Type the password and press Next: the check's result stays on the page (a headline with
    an icon) until Next is pressed again (the runner: SyncRunner)."""
    page = wizard.account_page
    assert wizard.currentId() == RelayWizard.ACCOUNT
    page.password.setText(password)
    wizard.next()
    assert wizard.currentId() == RelayWizard.ACCOUNT, page.status.text()
    assert page.status.kind in ("ok", "warning") and "Login works" in page.status.text()
    assert page.status.icon.isVisibleTo(wizard)
    wizard.next()
    assert wizard.currentId() == RelayWizard.MESSAGE, page.status.text()


def to_message(wizard: RelayWizard, relay: DemoRelay, account: tuple[str, str]) -> None:
    """Start, probe and log in: on the test message's page."""
    user, password = account
    wizard.start_page.email.setText(user)
    wizard.start_page.ca_file.setText(relay.ca_file)
    wizard.next()
    wizard.next()
    log_in(wizard, password)
