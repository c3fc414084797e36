"""The task runner: work off the GUI thread, its outcome back on it; errors as values."""

from __future__ import annotations

import threading
from typing import Any

from app.gui.tasks import Outcome, SyncRunner, ThreadRunner


def test_thread_runner_works_off_and_answers_on_the_gui_thread(qtbot: Any) -> None:
    runner = ThreadRunner()
    seen: dict[str, Any] = {}

    def work() -> int:
        seen["work"] = threading.current_thread()
        return 42

    def done(outcome: Outcome) -> None:
        seen["callback"] = threading.current_thread()
        seen["outcome"] = outcome

    runner.run_task(work, done)
    assert runner.busy()
    qtbot.waitUntil(lambda: "outcome" in seen, timeout=5_000)
    assert seen["work"] is not threading.main_thread()
    assert seen["callback"] is threading.main_thread()
    assert seen["outcome"] == Outcome(value=42)
    assert not runner.busy()


def test_errors_come_back_as_values() -> None:
    got: list[Outcome] = []

    def fail() -> None:
        raise ValueError("no such relay")

    SyncRunner().run_task(fail, got.append)
    assert not got[0].ok and isinstance(got[0].error, ValueError)
    assert str(got[0].error) == "no such relay"
