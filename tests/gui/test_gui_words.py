"""Every port status has a label and an icon in the wizard, every TLS mode a label."""

from __future__ import annotations

import pytest

from app.core.results import PortResult, PortStatus, TlsMode
from app.gui.icons import _FALLBACK, STATUS_ICON, resources_dir, status_icon_name
from app.gui.words import status_label, tls_label


@pytest.mark.parametrize("status", list(PortStatus))
def test_every_port_status_has_a_label_and_an_icon(status: PortStatus) -> None:
    assert status_label(status)
    assert status in STATUS_ICON  # the table, not a default, names its icon
    name = status_icon_name(PortResult(465, status))
    assert name in _FALLBACK and (resources_dir() / "icons" / f"{name}.svg").is_file()


def test_an_ok_port_without_a_secure_login_is_a_warning() -> None:
    assert status_icon_name(PortResult(25, PortStatus.OK)) == "warning"


@pytest.mark.parametrize("mode", list(TlsMode))
def test_every_tls_mode_has_a_label(mode: TlsMode) -> None:
    assert tls_label(mode)
