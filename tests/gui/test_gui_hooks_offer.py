"""The Done page's "Check my setup when the network changes": the hooks go in (and out) on the
task runner, never on the GUI thread, into the throwaway home's systemd user folder."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from app.core.roaming.hooks import DISPATCHER_DIR, SERVICE, user_units_dir
from app.gui.hooks_offer import HooksOffer
from app.gui.tasks import Callback, SyncRunner


class HeldRunner:
    """Keeps each task until the test lets it run: what happens before is the GUI thread's."""

    def __init__(self) -> None:
        self.held: list[tuple[Callable[[], Any], Callback]] = []

    def run_task(self, func: Callable[[], Any], callback: Callback) -> None:
        self.held.append((func, callback))

    def busy(self) -> bool:
        return bool(self.held)

    def release(self) -> None:
        SyncRunner().run_task(*self.held.pop(0))


@pytest.fixture(autouse=True)
def no_system_wide(home: Path) -> None:
    if os.geteuid() == 0 and DISPATCHER_DIR.is_dir():
        pytest.skip("as root with NetworkManager here it would write the system-wide script")


def test_ticking_installs_the_units_off_the_gui_thread_and_unticking_removes_them(
    qtbot: Any, home: Path
) -> None:
    runner = HeldRunner()
    offer = HooksOffer(lambda: runner)
    qtbot.addWidget(offer)
    service = user_units_dir() / SERVICE
    assert service.is_relative_to(home) and not offer.box.isChecked()

    offer.box.setChecked(True)
    assert not service.exists() and not offer.box.isEnabled()  # queued, not done here
    runner.release()
    assert service.is_file() and offer.box.isEnabled()
    assert offer.said.text()  # says whether it is on, or why not yet

    offer.box.setChecked(False)
    runner.release()
    assert not service.exists() and offer.said.text() == "Off."


def test_the_box_shows_hooks_already_installed(qtbot: Any, home: Path) -> None:
    first = HooksOffer(lambda: SyncRunner())
    qtbot.addWidget(first)
    first.box.setChecked(True)
    again = HooksOffer(lambda: SyncRunner())
    qtbot.addWidget(again)
    assert again.box.isChecked()


def test_a_failure_is_said_and_the_box_shows_the_truth(qtbot: Any, home: Path) -> None:
    units = user_units_dir()
    units.parent.mkdir(parents=True, exist_ok=True)
    units.write_text("a file where the folder goes")  # the folder cannot be made
    offer = HooksOffer(lambda: SyncRunner())
    qtbot.addWidget(offer)
    offer.box.setChecked(True)
    assert not offer.box.isChecked() and offer.box.isEnabled()
    assert str(units) in offer.said.text()
