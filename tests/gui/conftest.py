"""The wizard, offscreen, against real TLS relays on 127.0.0.1 and the real keyring."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6.QtWidgets", reason="PySide6 is not installed")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from wizard_helpers import MakeWizard

from app.gui.state import Prefill, WizardOptions
from app.gui.tasks import SyncRunner
from app.gui.wizard import RelayWizard

pytestmark = pytest.mark.gui


@pytest.fixture
def make_wizard(qtbot: Any, home: Path) -> MakeWizard:
    def make(prefill: Prefill, threaded: bool = False, **options: Any) -> RelayWizard:
        """threaded: the real QThreadPool runner; else work runs at once, in the test."""
        opts = WizardOptions(**{"timeout": 2.0, "deadline": 6.0, "home": home, **options})
        wizard = RelayWizard(prefill, opts, None if threaded else SyncRunner())
        qtbot.addWidget(wizard)
        wizard.show()
        qtbot.waitExposed(wizard)
        return wizard

    return make
