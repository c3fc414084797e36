"""The wizard's quick first window: the start page is painted first, the other pages follow."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWizard

from app.gui.state import Prefill
from app.gui.tasks import SyncRunner
from app.gui.wizard import RelayWizard


def test_later_pages_come_after_the_first_paint(qtbot: Any) -> None:
    wizard = RelayWizard(Prefill(host="relay.example.org"), runner=SyncRunner(), defer_pages=True)
    qtbot.addWidget(wizard)
    assert wizard.pageIds() == [RelayWizard.START]
    wizard.show()
    # Even before the rest exists, the start page offers Next, not Finish.
    assert wizard.button(QWizard.WizardButton.NextButton).isVisible()
    qtbot.waitUntil(lambda: len(wizard.pageIds()) == 7)
    assert wizard.page(RelayWizard.PROBE) is wizard.probe_page


def test_next_before_the_later_pages_builds_them(qtbot: Any) -> None:
    wizard = RelayWizard(Prefill(host="relay.example.org"), runner=SyncRunner(), defer_pages=True)
    qtbot.addWidget(wizard)
    wizard.validateCurrentPage()  # what Next calls first, whatever the start page then says
    assert wizard.pageIds() == list(range(7))
