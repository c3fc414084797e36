"""The whole wizard against the demo relay (real TLS on 127.0.0.1, the real keyring, the real
msmtp settings writer into a temporary home): Start to Done."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtGui import QGuiApplication
from wizard_helpers import MakeWizard, log_in, next_enabled, relay_ports, snap

from app.core.demo_relay import DemoRelay
from app.core.org.profiles import load_profile
from app.core.settings import Password
from app.gui.main import demo_wizard, profile_prefill
from app.gui.state import Prefill
from app.gui.wizard import RelayWizard


def test_whole_flow(
    make_wizard: MakeWizard,
    relay: DemoRelay,
    store: Any,
    account: tuple[str, str],
    home: Path,
    tmp_path: Path,
) -> None:
    user, password = account
    wizard = make_wizard(Prefill(host="localhost", ports=relay_ports(relay)))
    start = wizard.start_page
    start.email.setText(user)
    start.ca_file.setText(relay.ca_file)
    snap(wizard, "1-start", tmp_path)
    wizard.next()

    # Probe: both ports answer, implicit TLS chosen
    assert wizard.currentId() == RelayWizard.PROBE
    assert wizard.probe_page.table.topLevelItemCount() == 2
    assert wizard.state.chosen is not None and wizard.state.chosen.port == relay.implicit_port
    wizard.next()

    # Account: the username follows from the address; a wrong password stores nothing
    page = wizard.account_page
    assert wizard.currentId() == RelayWizard.ACCOUNT
    assert page.user.text() == user
    assert page.password.echoMode() is page.password.EchoMode.Password
    assert page.remember.isChecked()
    page.password.setText("not-the-password")
    wizard.next()
    assert wizard.currentId() == RelayWizard.ACCOUNT
    assert "wrong user name or password" in page.status.text()
    assert store.get("localhost", user) is None
    assert wizard.state.login is None
    snap(wizard, "3-account-wrong-password", tmp_path)
    assert page.status.kind == "error" and page.status.icon.isVisibleTo(wizard)
    log_in(wizard, password)
    assert store.get("localhost", user) == Password(password)
    assert wizard.state.remembered

    # Test message: to the user's own address; the server's answer and queue id shown
    message = wizard.message_page
    assert message.to.text() == user
    message.send.click()
    sent = wizard.state.sent
    assert sent is not None and sent.queue_id
    assert sent.queue_id in message.result.text() and "250" in message.result.text()
    arrived = relay.wait_for_message(sent.queue_id)
    assert arrived is not None and arrived.login == user and arrived.tls
    assert arrived.rcpt_tos == (user,)
    snap(wizard, "4-test-message", tmp_path)
    wizard.next()

    # Mail clients: msmtp found, its change previewed, written into the temporary home
    clients = wizard.clients_page
    assert wizard.currentId() == RelayWizard.CLIENTS
    names = clients.names()
    assert "msmtp" in names
    for name in names:
        clients.set_checked(name, name == "msmtp")
    clients.list.setCurrentRow(names.index("msmtp"))
    diff = clients.diff.toPlainText()
    assert "+account localhost" in diff and f"+port {relay.implicit_port}" in diff
    assert password not in diff
    snap(wizard, "5-mail-clients", tmp_path)
    clients.write_button.click()
    rc = home / ".msmtprc"
    written = rc.read_text()
    assert f"port {relay.implicit_port}" in written and f"user {user}" in written
    assert password not in written
    assert str(rc) in clients.status.text()
    # undo puts things back (the file did not exist: it goes), and write again
    assert clients.undo_button.isEnabled()
    clients.undo_button.click()
    assert not rc.exists()
    assert str(rc) in clients.status.text() and "put back" in clients.status.text()
    assert wizard.state.written == []
    for name in clients.names():
        clients.set_checked(name, name == "msmtp")
    clients.write_button.click()
    assert rc.exists()
    wizard.next()

    # Done: a summary, and diagnostics without the password
    done = wizard.done_page
    assert wizard.currentId() == RelayWizard.DONE
    assert "msmtp" in done.summary.text() and sent.queue_id in done.summary.text()
    done.copy.click()
    report = QGuiApplication.clipboard().text()
    assert "Relay: localhost" in report and user in report and sent.queue_id in report
    assert f"Port {relay.implicit_port}: ok" in report
    assert password not in report and "not-the-password" not in report
    snap(wizard, "6-done", tmp_path)


def test_demo_wizard_is_prefilled_and_threaded(
    qtbot: Any, relay: DemoRelay, store: Any, account: tuple[str, str], home: Path
) -> None:
    """`relay-setup demo --gui`: host, ports and CA of the demo relay, locked; the password the
    demo put in the keyring is found; the work runs on the thread pool."""
    user, password = account
    store.set("localhost", user, Password(password))
    wizard = demo_wizard(relay, home)
    qtbot.addWidget(wizard)
    wizard.state.email = wizard.state.user = user  # the demo's own user is fixed; ours is unique
    wizard.show()
    start = wizard.start_page
    assert start.host.text() == "localhost" and not start.host.isEnabled()
    assert start.ports.text() == f"{relay.implicit_port}/implicit {relay.starttls_port}"
    assert start.ca_file.text() == relay.ca_file and not start.ca_file.isEnabled()
    assert "demo relay" in start.profile_label.text()
    wizard.next()
    qtbot.waitUntil(lambda: next_enabled(wizard), timeout=10_000)
    wizard.next()
    page = wizard.account_page
    qtbot.waitUntil(lambda: page.password.text() == password, timeout=5_000)
    wizard.next()  # the check runs on the pool; the page stays to show that it worked
    qtbot.waitUntil(lambda: "Login works" in page.status.text(), timeout=10_000)
    assert wizard.currentId() == RelayWizard.ACCOUNT and next_enabled(wizard)
    wizard.next()
    assert wizard.currentId() == RelayWizard.MESSAGE
    assert wizard.state.login is not None and wizard.state.login.user == user
    wizard.message_page.send.click()
    assert wizard.message_page.busy() and not next_enabled(wizard)
    qtbot.waitUntil(lambda: wizard.state.sent is not None, timeout=10_000)
    assert relay.wait_for_message(wizard.state.sent.queue_id) is not None
    wizard.next()
    qtbot.waitUntil(lambda: "msmtp" in wizard.clients_page.names(), timeout=10_000)


def test_bundled_profile_locks_fields_and_gives_the_username(make_wizard: MakeWizard) -> None:
    """IT's profile: relay, ports and CA fixed and greyed out; the username follows the
    profile's rule (here the address's local part), the From address stays the address."""
    profile = load_profile(Path(__file__).parents[2] / "profiles" / "example-org.toml")
    wizard = make_wizard(profile_prefill(profile))
    start = wizard.start_page
    assert "Example Org" in start.profile_label.text()
    assert start.host.text() == "mail.example.org" and not start.host.isEnabled()
    assert start.ports.text() == "465 587/starttls" and not start.ports.isEnabled()
    assert start.ca_file.text().endswith(".pem") and not start.ca_file.isEnabled()
    start.email.setText("someone@elsewhere.net")
    assert not start.validatePage()
    assert "not an address of Example Org" in start.problem.text()
    start.email.setText("alice@example.org")
    assert start.validatePage()
    assert wizard.state.user == "alice" and wizard.state.mail_from == "alice@example.org"
    assert all(p.require_tls for p in wizard.state.ports if not p.implicit)
