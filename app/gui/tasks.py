"""Run slow work off the GUI thread; its outcome comes back to the GUI thread by signal.

Picard's `run_task(func, callback)` on a thread pool. Tests can swap in `SyncRunner`, which runs
the work and the callback at once, in the calling thread.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    """What a task gave back: its value, or the exception it raised."""

    value: Any = None
    error: BaseException | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


Callback = Callable[[Outcome], None]


class Runner(Protocol):
    def run_task(self, func: Callable[[], Any], callback: Callback) -> None: ...

    def busy(self) -> bool: ...


def _call(func: Callable[[], Any]) -> Outcome:
    try:
        return Outcome(value=func())
    except Exception as exc:  # handed to the callback, which shows it in plain words
        log.debug("task failed", exc_info=True)
        return Outcome(error=exc)


def post(signal: Any, *args: Any) -> None:
    """Emit from a worker thread; if the window that would receive it is gone, drop it."""
    try:
        signal.emit(*args)
    except RuntimeError:  # "Internal C++ object already deleted": nobody is left to tell
        log.debug("result dropped: its receiver was closed")


class _Mailbox(QObject):
    # Emitted from a pool thread; the receiver lives in the GUI thread, so Qt queues the call.
    finished = Signal(int, object)


class _Job(QRunnable):
    def __init__(self, number: int, func: Callable[[], Any], mailbox: _Mailbox) -> None:
        super().__init__()
        self._number, self._func, self._mailbox = number, func, mailbox

    def run(self) -> None:
        post(self._mailbox.finished, self._number, _call(self._func))


class ThreadRunner(QObject):
    """Work on a QThreadPool; callbacks on the thread that owns this runner (the GUI thread)."""

    def __init__(self, parent: QObject | None = None, pool: QThreadPool | None = None) -> None:
        super().__init__(parent)
        self._pool = pool or QThreadPool.globalInstance()
        self._mailbox = _Mailbox(self)
        self._mailbox.finished.connect(self._deliver)
        self._pending: dict[int, Callback] = {}
        self._numbers = itertools.count()

    def run_task(self, func: Callable[[], Any], callback: Callback) -> None:
        number = next(self._numbers)
        self._pending[number] = callback
        self._pool.start(_Job(number, func, self._mailbox))

    def busy(self) -> bool:
        return bool(self._pending)

    def _deliver(self, number: int, outcome: Outcome) -> None:
        callback = self._pending.pop(number, None)
        if callback is not None:
            callback(outcome)


class SyncRunner:
    """For tests: the work and its callback run at once, in the calling thread."""

    def run_task(self, func: Callable[[], Any], callback: Callback) -> None:
        callback(_call(func))

    def busy(self) -> bool:
        return False
