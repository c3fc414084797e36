"""`relay-setup demo --gui` on a computer without an OS keyring: the demo keeps its password in
memory, and the wizard it opens must be given that store to find it."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest
from keyring.backends import fail
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from wizard_helpers import next_enabled

from app import exitcodes
from app.commands import demo
from app.gui.wizard import RelayWizard


@pytest.fixture
def no_keyring() -> Iterator[None]:
    """keyring's own "no backend" answer, as on a desktop without a Secret Service."""
    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(before)


def test_demo_gui_without_a_keyring_finds_the_demo_password(
    qtbot: Any, home: Path, no_keyring: None, capsys: pytest.CaptureFixture[str]
) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    seen: dict[str, str] = {}

    def drive() -> None:
        """Runs inside the demo's own event loop: Start, Probe, Account; then close."""
        try:
            wizard = next(w for w in app.topLevelWidgets() if isinstance(w, RelayWizard))
            wizard.next()
            qtbot.waitUntil(lambda: next_enabled(wizard), timeout=10_000)
            wizard.next()
            page = wizard.account_page
            qtbot.waitUntil(lambda: bool(page.password.text()), timeout=5_000)
            seen["password"], seen["status"] = page.password.text(), page.status.text()
        finally:
            # Closing the last window would post a Quit that outlives this loop and ends every
            # later test's event loop at once: quit this one loop ourselves instead.
            app.setQuitOnLastWindowClosed(False)
            for widget in app.topLevelWidgets():
                widget.close()
            app.quit()

    quit_on_close = app.quitOnLastWindowClosed()
    QTimer.singleShot(0, drive)
    try:
        status = demo.run(argparse.Namespace(gui=True, json=False))
    finally:
        app.setQuitOnLastWindowClosed(quit_on_close)
    assert status == exitcodes.OK
    out = capsys.readouterr().out
    assert "kept in memory" in out  # the demo did fall back to its MemoryStore
    assert seen.get("password", "").startswith("demo-")
    assert "keyring has a password" in seen["status"]
    assert seen["password"] not in out
