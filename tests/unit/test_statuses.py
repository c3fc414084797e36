"""Every port status and every login/send error kind has its words and its class, and the README
names every port status: adding a member without them fails here. (Exit statuses of error kinds:
tests/integration/test_apply.py, against the README's table.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.explain import STATUS_TEXT
from app.core.results import PortStatus
from app.core.submit import _FROM_STATUS, EXPLANATION, SubmitErrorKind

README = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("status", list(PortStatus))
def test_every_port_status_has_words_a_login_class_and_a_readme_entry(status: PortStatus) -> None:
    assert STATUS_TEXT[status]
    assert f"`{status.value}`" in README
    if status is not PortStatus.OK:
        assert _FROM_STATUS[status] in SubmitErrorKind


@pytest.mark.parametrize("kind", list(SubmitErrorKind))
def test_every_error_kind_has_words(kind: SubmitErrorKind) -> None:
    assert EXPLANATION[kind]
