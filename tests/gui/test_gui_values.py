"""The wizard's Start page checks the relay host and the address the way every other entry does
(app/core/values.py): Next stays disabled and the page says why."""

from __future__ import annotations

import pytest
from wizard_helpers import MakeWizard, next_enabled

from app.gui.state import Prefill


@pytest.mark.parametrize(
    ("host", "why"),
    [
        ("localhost/novalidate-cert", "'/' is not allowed"),
        ("localhost:13000}", "':' is not allowed"),
        ("loc,alhost", "',' is not allowed"),
        ("x" * 300, "longer than 253"),
        ("xn--ü.example", "not a valid host name"),
    ],
)
def test_a_bad_host_keeps_next_disabled_and_says_why(
    make_wizard: MakeWizard, host: str, why: str
) -> None:
    wizard = make_wizard(Prefill())
    start = wizard.start_page
    start.know_host.setChecked(True)
    start.host.setText(host)
    assert not start.isComplete() and not next_enabled(wizard)
    assert start.problem.text().startswith("Relay host") and why in start.problem.text()
    start.host.setText("Mail.Example.org")
    assert start.isComplete() and next_enabled(wizard) and start.problem.text() == ""
    start.email.setText("alice@example.org")
    assert start.validatePage()
    assert wizard.state.host == "mail.example.org"  # the one normal form, as the CLI has it


def test_an_address_that_is_not_one_is_refused_on_next(make_wizard: MakeWizard) -> None:
    wizard = make_wizard(Prefill(host="mail.example.org"))
    start = wizard.start_page
    start.email.setText("alice@exa,mple.org")
    assert not start.validatePage()
    assert start.problem.text().startswith("Email address")
    assert wizard.state.email == ""
