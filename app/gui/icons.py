"""The SVG icons in resources/ (beside the source tree, unpacked by a frozen build, or installed
with a wheel under share/relay-setup)."""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QStyle

from ..core.results import PortResult, PortStatus

_FALLBACK = {
    "ok": QStyle.StandardPixmap.SP_DialogApplyButton,
    "warning": QStyle.StandardPixmap.SP_MessageBoxWarning,
    "error": QStyle.StandardPixmap.SP_MessageBoxCritical,
    "blocked": QStyle.StandardPixmap.SP_BrowserStop,
    "pending": QStyle.StandardPixmap.SP_BrowserReload,
    "relay-setup": QStyle.StandardPixmap.SP_DriveNetIcon,
}


def resources_dir() -> Path:
    frozen = getattr(sys, "_MEIPASS", None)  # PyInstaller unpacks data files here
    if frozen:
        return Path(frozen) / "resources"
    source_tree = Path(__file__).resolve().parents[2] / "resources"
    if source_tree.is_dir():
        return source_tree
    return Path(sys.prefix) / "share" / "relay-setup"  # an installed wheel's data files


@cache
def icon(name: str) -> QIcon:
    path = resources_dir() / "icons" / f"{name}.svg"
    if path.is_file():
        return QIcon(str(path))
    # Icons missing (an unusual install): a standard icon beats none.
    return QApplication.style().standardIcon(_FALLBACK[name])


# Ports that are merely unreachable from here are not the server's fault: grey, not red.
_BLOCKED = frozenset({PortStatus.REFUSED, PortStatus.TIMEOUT, PortStatus.CANCELLED})
_WARNING = frozenset({PortStatus.STARTTLS_MISSING, PortStatus.CERTIFICATE})


def status_icon_name(result: PortResult) -> str:
    if result.status is PortStatus.OK:
        return "ok" if result.usable_for_login else "warning"
    if result.status in _BLOCKED:
        return "blocked"
    if result.status in _WARNING:
        return "warning"
    return "error"
