"""The real mail programs (msmtp, Alpine under tmux, Thunderbird headless, NeoMutt and Mutt) reading
or sending with the settings we wrote, against servers on 127.0.0.1. Each test skips, with the
reason, when its program is not installed (tests/setup.sh installs them all)."""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # `-m "not clients"` leaves the whole folder out.
    for item in items:
        if HERE in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.clients)
