"""Every port status and every login/send error kind has its words, its class and its exit
status, and the README names every port status: adding a member without them fails here."""

from __future__ import annotations

from pathlib import Path

import pytest

from app import exitcodes
from app.core import failures
from app.core.explain import STATUS_TEXT
from app.core.results import PortStatus, Verdict
from app.core.submit import _FROM_STATUS, EXPLANATION, SubmitErrorKind

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
DOCUMENTED = {0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 130}  # the README's table, less 1 (a bug)


@pytest.mark.parametrize("status", list(PortStatus))
def test_every_port_status_has_words_a_login_class_and_a_readme_entry(status: PortStatus) -> None:
    assert STATUS_TEXT[status]
    assert f"`{status.value}`" in README
    if status is not PortStatus.OK:
        assert _FROM_STATUS[status] in SubmitErrorKind


@pytest.mark.parametrize("kind", list(SubmitErrorKind))
def test_every_error_kind_has_words_a_class_and_an_exit_status(kind: SubmitErrorKind) -> None:
    assert EXPLANATION[kind]
    status = exitcodes.FOR_FAILURE[failures.FOR_SUBMIT_ERROR[kind]]
    assert status == exitcodes.FOR_SUBMIT_ERROR[kind]
    assert status in DOCUMENTED or kind is SubmitErrorKind.ERROR


@pytest.mark.parametrize("verdict", list(Verdict))
def test_every_verdict_has_a_documented_exit_status(verdict: Verdict) -> None:
    assert exitcodes.FOR_VERDICT[verdict] in DOCUMENTED
