"""Every port status has a label and an icon in the wizard."""

from __future__ import annotations

import pytest

from app.core.results import PortResult, PortStatus
from app.gui.icons import status_icon_name
from app.gui.words import status_label


@pytest.mark.parametrize("status", list(PortStatus))
def test_every_port_status_has_a_label_and_an_icon(status: PortStatus) -> None:
    assert status_label(status)
    assert status_icon_name(PortResult(465, status)) in {"ok", "warning", "blocked", "error"}
