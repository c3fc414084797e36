"""The SVG icons in resources/ (beside the source tree, unpacked by a frozen build, or installed
with a wheel under share/relay-setup)."""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QStyle

from ..core.appdirs import resources_dir as resources_dir  # main.py finds translations by it
from ..core.results import PortResult, PortStatus

_FALLBACK = {
    "ok": QStyle.StandardPixmap.SP_DialogApplyButton,
    "warning": QStyle.StandardPixmap.SP_MessageBoxWarning,
    "error": QStyle.StandardPixmap.SP_MessageBoxCritical,
    "blocked": QStyle.StandardPixmap.SP_BrowserStop,
    "pending": QStyle.StandardPixmap.SP_BrowserReload,
    "relay-setup": QStyle.StandardPixmap.SP_DriveNetIcon,
}


@cache
def icon(name: str) -> QIcon:
    path = resources_dir() / "icons" / f"{name}.svg"
    if path.is_file():
        return QIcon(str(path))
    # Icons missing (an unusual install): a standard icon beats none.
    return QApplication.style().standardIcon(_FALLBACK[name])


# One icon per status (OK: "ok" only when a password login is possible). Ports that are merely
# unreachable from here are not the server's fault: grey, not red.
STATUS_ICON: dict[PortStatus, str] = {
    PortStatus.OK: "ok",
    PortStatus.DNS_FAILED: "error",
    PortStatus.REFUSED: "blocked",
    PortStatus.TIMEOUT: "blocked",
    PortStatus.SILENT: "error",
    PortStatus.NOT_SMTP: "error",
    PortStatus.INTERCEPTED: "warning",
    PortStatus.SERVICE_REFUSED: "error",
    PortStatus.STARTTLS_FAILED: "error",
    PortStatus.STARTTLS_MISSING: "warning",
    PortStatus.TLS_FAILED: "error",
    PortStatus.CERTIFICATE: "warning",
    PortStatus.CLOSED: "error",
    PortStatus.PROTOCOL_ERROR: "error",
    PortStatus.DEADLINE: "error",
    PortStatus.CANCELLED: "blocked",
    PortStatus.ERROR: "error",
}


def status_icon_name(result: PortResult) -> str:
    if result.status is PortStatus.OK and not result.usable_for_login:
        return "warning"
    return STATUS_ICON[result.status]
