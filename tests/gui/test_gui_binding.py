"""The Qt binding itself must be sound: PySide6 6.12.0 on Python 3.11 returns None from every
void method without counting the reference, and the program aborts after a few thousand calls
(Fatal Python error: none_dealloc). pyproject.toml keeps that version out."""

from __future__ import annotations

import sys
from typing import Any

from PySide6.QtWidgets import QLabel


def test_qt_calls_keep_none_alive(qtbot: Any) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for n in range(500):
        label.setText(str(n))  # returns None
    # On 3.12+ None is immortal (a constant count); on 3.11 a sound binding nets zero.
    assert sys.getrefcount(None) >= before - 50
