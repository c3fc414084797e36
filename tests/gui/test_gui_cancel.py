"""Cancel on the Account and Test-message pages: the login check and the test message stop at
once (their sockets are cut), the window stays, and nothing is kept or sent."""

from __future__ import annotations

from typing import Any

from servers import NeverAnswersRcpt, Pki, never_answers_auth, smtp_server
from wizard_helpers import MakeWizard, next_enabled

from app.core.results import PortSpec
from app.core.secrets import MemoryStore
from app.gui.state import Prefill
from app.gui.wizard import RelayWizard

USER, PASSWORD = "ann@example.org", "pw-correct horse"
# Long limits: only Cancel can end the work quickly; the waits below are far shorter.
PATIENT = {"timeout": 60.0, "deadline": 120.0}


def to_account(wizard: RelayWizard, qtbot: Any) -> None:
    wizard.next()  # the probe, on the thread pool
    qtbot.waitUntil(lambda: next_enabled(wizard), timeout=10_000)
    wizard.next()
    assert wizard.currentId() == RelayWizard.ACCOUNT


def cancel(wizard: RelayWizard) -> None:
    wizard.button(wizard.WizardButton.CancelButton).click()
    assert wizard.isVisible()  # Cancel stopped the work; it did not close the window


def test_cancel_stops_the_login_check(make_wizard: MakeWizard, pki: Pki, qtbot: Any) -> None:
    stuck, reached = never_answers_auth()
    store = MemoryStore()
    with smtp_server("starttls", pki.server_context(), smtp_class=stuck) as server:
        wizard = make_wizard(
            Prefill(host="localhost", email=USER, ports=(PortSpec(server.port),)),
            threaded=True,
            open_store=lambda: store,
            **PATIENT,
        )
        wizard.start_page.ca_file.setText(pki.ca_file)
        to_account(wizard, qtbot)
        page = wizard.account_page
        page.password.setText(PASSWORD)
        wizard.next()  # the check runs on the pool; the server takes AUTH and says nothing
        qtbot.waitUntil(reached.is_set, timeout=10_000)
        assert page.busy() and not next_enabled(wizard)
        cancel(wizard)
        qtbot.waitUntil(lambda: not page.busy(), timeout=3_000)  # the worker has ended
        assert "Stopped" in page.status.text()
        assert wizard.currentId() == RelayWizard.ACCOUNT
        assert wizard.state.login is None and store.get("localhost", USER) is None
        assert next_enabled(wizard)  # the user may try again
        assert any("cancelled" in line for line in wizard.state.log)


def test_cancel_stops_the_test_message(make_wizard: MakeWizard, pki: Pki, qtbot: Any) -> None:
    handler = NeverAnswersRcpt()
    with smtp_server("starttls", pki.server_context(), {USER: PASSWORD}, handler=handler) as server:
        wizard = make_wizard(
            Prefill(host="localhost", email=USER, ports=(PortSpec(server.port),)),
            threaded=True,
            open_store=MemoryStore,
            **PATIENT,
        )
        wizard.start_page.ca_file.setText(pki.ca_file)
        to_account(wizard, qtbot)
        wizard.account_page.password.setText(PASSWORD)
        wizard.next()
        works = wizard.account_page.status
        qtbot.waitUntil(lambda: "Login works" in works.text(), timeout=10_000)
        wizard.next()
        assert wizard.currentId() == RelayWizard.MESSAGE
        page = wizard.message_page
        page.send.click()
        qtbot.waitUntil(handler.reached.is_set, timeout=10_000)  # RCPT taken, never answered
        assert page.busy() and not next_enabled(wizard) and not page.send.isEnabled()
        cancel(wizard)
        qtbot.waitUntil(lambda: not page.busy(), timeout=3_000)
        assert "Stopped" in page.result.text()
        assert wizard.state.sent is None and handler.messages == []
        assert page.send.isEnabled() and next_enabled(wizard)
        # with nothing running, Cancel closes
        cancel_button = wizard.button(wizard.WizardButton.CancelButton)
        cancel_button.click()
        assert not wizard.isVisible()
