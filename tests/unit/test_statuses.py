"""One table per enum, and every member in it: words (app/core/explain.py), the class of a
failure (app/core/failures.py), the exit status (app/exitcodes.py), and the README's entry.
Adding a member without them fails here. (Exit statuses against the README's table:
tests/integration/test_apply.py; the wizard's labels and icons: tests/gui/test_gui_words.py.)"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from pathlib import Path

import pytest

from app import exitcodes
from app.core import explain, failures
from app.core.failures import Failure, SubmitErrorKind
from app.core.results import CertError, PortStatus, TlsMode, Verdict

README = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")

# table -> the members it leaves out on purpose (a success is no failure)
TOTAL_TABLES: list[tuple[str, Mapping[enum.Enum, object], type[enum.Enum], set[enum.Enum]]] = [
    ("explain.STATUS_TEXT", explain.STATUS_TEXT, PortStatus, set()),
    ("explain.CERT_TEXT", explain.CERT_TEXT, CertError, set()),
    ("explain.VERDICT_TEXT", explain.VERDICT_TEXT, Verdict, set()),
    ("explain.TLS_TEXT", explain.TLS_TEXT, TlsMode, set()),
    ("explain.ERROR_TEXT", explain.ERROR_TEXT, SubmitErrorKind, set()),
    ("failures.KIND_FOR_STATUS", failures.KIND_FOR_STATUS, PortStatus, {PortStatus.OK}),
    ("failures.FOR_VERDICT", failures.FOR_VERDICT, Verdict, {Verdict.RECOMMENDED}),
    ("failures.FOR_SUBMIT_ERROR", failures.FOR_SUBMIT_ERROR, SubmitErrorKind, set()),
    ("exitcodes.FOR_FAILURE", exitcodes.FOR_FAILURE, Failure, set()),
    ("exitcodes.FOR_VERDICT", exitcodes.FOR_VERDICT, Verdict, set()),
    ("exitcodes.FOR_SUBMIT_ERROR", exitcodes.FOR_SUBMIT_ERROR, SubmitErrorKind, set()),
]


@pytest.mark.parametrize(
    ("name", "table", "kind", "left_out"),
    TOTAL_TABLES,
    ids=lambda x: x if isinstance(x, str) else "",
)
def test_every_member_has_its_entry(
    name: str, table: Mapping[enum.Enum, object], kind: type[enum.Enum], left_out: set[enum.Enum]
) -> None:
    assert set(table) == set(kind) - left_out, name
    assert all(table.values()) or name.startswith("exitcodes")  # words are not empty


@pytest.mark.parametrize("status", list(PortStatus))
def test_every_port_status_has_a_readme_entry_and_an_exit_status(status: PortStatus) -> None:
    assert f"`{status.value}`" in README
    if status is not PortStatus.OK:
        kind = failures.KIND_FOR_STATUS[status]
        assert exitcodes.FOR_SUBMIT_ERROR[kind] != exitcodes.OK


@pytest.mark.parametrize("failure", list(Failure))
def test_every_failure_has_its_own_exit_status(failure: Failure) -> None:
    status = exitcodes.FOR_FAILURE[failure]
    assert status != exitcodes.OK
    assert [f for f, s in exitcodes.FOR_FAILURE.items() if s == status] == [failure]
