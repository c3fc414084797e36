"""Finding the relay from the email address alone, in the wizard: a real DNS server (dnslib) on
127.0.0.1 that the wizard is pointed at (`wizard --resolver`), real TLS relays with trustme
certificates for their names on fresh loopback addresses, the real keyring and msmtp writer."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from dnsserver import DnsServer
from loopback import fresh_loopback_address
from PySide6.QtWidgets import QFileDialog
from servers import Pki, SmtpServer, smtp_server
from wizard_helpers import MakeWizard, next_enabled, skip_the_test_message, snap

from app.core.org.profiles import loads_profile
from app.gui.icons import icon
from app.gui.main import profile_prefill
from app.gui.state import Prefill
from app.gui.wizard import RelayWizard

DOMAIN = "example.test"
USER, PASSWORD = f"alice@{DOMAIN}", "pw-alice"
WAIT_MS = 20_000


@contextmanager
def relay_named(pki: Pki, name: str, port: int = 0) -> Iterator[tuple[SmtpServer, str]]:
    """An implicit-TLS relay whose certificate is for `name`, on a loopback address of its own."""
    address = fresh_loopback_address()
    try:
        server_cm = smtp_server(
            "implicit", pki.server_context(name), {USER: PASSWORD}, address=address, port=port
        )
        server = server_cm.__enter__()
    except OSError as exc:  # a real port (465) needs root
        pytest.skip(f"cannot listen on {address}:{port}: {exc}")
    try:
        yield server, address
    finally:
        server_cm.__exit__(None, None, None)


def srv_names(dns: DnsServer, name: str, port: int, address: str) -> None:
    """DNS SRV (implicit TLS) names the relay `name` on `port`; `name` resolves to `address`."""
    dns.add(f"_submissions._tcp.{DOMAIN}. SRV 0 1 {port} {name}.\n{name}. A {address}")


def lines(wizard: RelayWizard) -> list[str]:
    answers = wizard.discover_page.answers
    return [answers.item(i).text() for i in range(answers.count())]


def search(wizard: RelayWizard, qtbot: Any, email: str = USER) -> None:
    """Type the address, press Next, wait for the search to end."""
    start = wizard.start_page
    assert not start.know_host.isChecked() and not start.relay_box.isVisible()
    start.email.setText(email)
    assert next_enabled(wizard)
    wizard.next()
    assert wizard.currentId() == RelayWizard.DISCOVER
    page = wizard.discover_page
    qtbot.waitUntil(lambda: not page.busy(), timeout=WAIT_MS)
    assert page.report is not None, page.result.text()


def test_from_the_address_alone_to_a_written_msmtp_account(
    make_wizard: MakeWizard,
    qtbot: Any,
    pki: Pki,
    dns_server: DnsServer,
    home: Path,
    tmp_path: Path,
) -> None:
    relay_name = f"relay.{DOMAIN}"
    with relay_named(pki, relay_name) as (server, address):
        srv_names(dns_server, relay_name, server.port, address)
        wizard = make_wizard(
            Prefill(ca_file=pki.ca_file), threaded=True, nameserver=dns_server.nameserver
        )
        snap(wizard, "1-start-address", tmp_path)
        search(wizard, qtbot)
        page = wizard.discover_page
        said = lines(wizard)
        assert f"DNS SRV: {relay_name}, port {server.port}" in said, said
        assert any(line.startswith("autoconfig: not found") for line in said), said
        host_line = [line for line in said if line.startswith(f"{relay_name}: port ")]
        assert len(host_line) == 1 and f"port {server.port} answers (TLS)" in host_line[0], said
        assert f"smtp.{DOMAIN}: no such name" in said, said  # a guess: one line, not a port each
        report = page.report
        assert report is not None and report.chosen is not None
        assert report.chosen.host == relay_name and report.chosen.port == server.port
        assert not report.needs_confirmation and not page.confirm_box.isVisible()
        assert relay_name in page.result.text() and "DNS SRV" in page.result.text()
        assert server.auth_seen == []  # finding the relay never logs in
        # Over: no line still shows the clock; a source's line shows how its host answered.
        answers = page.answers
        shown = [answers.item(i).icon().cacheKey() for i in range(answers.count())]
        assert icon("pending").cacheKey() not in shown
        srv_line = next(i for i in range(answers.count()) if said[i].startswith("DNS SRV: "))
        assert shown[srv_line] == icon("ok").cacheKey()
        snap(wizard, "1b-discover", tmp_path)
        wizard.resize(600, 450)
        snap(wizard, "1b-discover-600x450", tmp_path)
        assert next_enabled(wizard)
        wizard.next()

        # The probe page tests the found relay by its name, through the same DNS server.
        assert wizard.currentId() == RelayWizard.PROBE
        assert wizard.state.host == relay_name
        probe = wizard.probe_page
        qtbot.waitUntil(lambda: not probe.busy(), timeout=WAIT_MS)
        assert wizard.state.chosen is not None and wizard.state.chosen.port == server.port
        assert wizard.state.chosen.certificate is not None
        assert wizard.state.chosen.certificate.verified  # checked against relay.example.test
        wizard.next()

        account = wizard.account_page
        assert wizard.currentId() == RelayWizard.ACCOUNT
        account.remember.setChecked(False)
        account.password.setText(PASSWORD)
        wizard.next()
        # The login's result stays on the page (a headline) until Next is pressed again.
        qtbot.waitUntil(lambda: "Login works" in account.status.text(), timeout=WAIT_MS)
        assert server.auth_seen  # the login went to the found relay
        wizard.next()
        assert wizard.currentId() == RelayWizard.MESSAGE
        wizard.next()
        skip_the_test_message(wizard)

        clients = wizard.clients_page
        qtbot.waitUntil(lambda: "msmtp" in clients.names(), timeout=WAIT_MS)
        for name in clients.names():
            clients.set_checked(name, name == "msmtp")
        clients.write_button.click()
        qtbot.waitUntil(lambda: (home / ".msmtprc").exists(), timeout=WAIT_MS)
        written = (home / ".msmtprc").read_text()
        assert f"host {relay_name}" in written and f"port {server.port}" in written
        assert f"user {USER}" in written and "tls_starttls off" in written
        assert PASSWORD not in written


def test_a_host_only_the_mx_names_waits_for_the_users_yes(
    make_wizard: MakeWizard, qtbot: Any, pki: Pki, dns_server: DnsServer, tmp_path: Path
) -> None:
    """RFC 6186 section 6: a relay outside the address's domain that only the (unsigned) MX
    record names is shown and must be confirmed before anything else happens with it."""
    mx_name = "mx.other.test"
    with relay_named(pki, mx_name, port=465) as (server, address):
        dns_server.add(f"{DOMAIN}. MX 10 {mx_name}.\n{mx_name}. A {address}")
        wizard = make_wizard(
            Prefill(ca_file=pki.ca_file), threaded=True, nameserver=dns_server.nameserver
        )
        search(wizard, qtbot)
        page = wizard.discover_page
        report = page.report
        assert report is not None and report.chosen is not None
        assert report.chosen.host == mx_name and report.needs_confirmation
        assert page.confirm_box.isVisible() and not page.confirm.isChecked()
        question = page.confirm_text.text()
        assert mx_name in question and "MX record" in question and DOMAIN in question
        assert not next_enabled(wizard)
        wizard.next()  # Next does nothing before the yes
        assert wizard.currentId() == RelayWizard.DISCOVER
        assert server.auth_seen == []
        snap(wizard, "1b-discover-confirm", tmp_path)
        wizard.resize(600, 450)
        snap(wizard, "1b-discover-confirm-600x450", tmp_path)
        assert page.confirm.visibleRegion().boundingRect().height() == page.confirm.height()
        page.confirm.click()
        assert next_enabled(wizard)
        wizard.next()
        assert wizard.currentId() == RelayWizard.PROBE and wizard.state.host == mx_name
        assert any("confirmed" in entry for entry in wizard.state.log)


def test_nothing_found_offers_to_give_the_name(
    make_wizard: MakeWizard, qtbot: Any, dns_server: DnsServer, tmp_path: Path
) -> None:
    wizard = make_wizard(Prefill(), threaded=True, nameserver=dns_server.nameserver)
    search(wizard, qtbot, "bob@nothing.test")
    page = wizard.discover_page
    assert page.report is not None and page.report.chosen is None
    assert "Found no relay for nothing.test" in page.result.text()
    assert not next_enabled(wizard) and page.enter_host.isVisible()
    snap(wizard, "1b-discover-nothing", tmp_path)
    page.enter_host.click()
    start = wizard.start_page
    assert wizard.currentId() == RelayWizard.START
    assert start.know_host.isChecked() and start.relay_box.isVisible()
    assert start.email.text() == "bob@nothing.test"  # nothing typed is lost
    assert start.nextId() == RelayWizard.PROBE


def test_cancel_stops_the_search_at_once_and_stays(
    make_wizard: MakeWizard, qtbot: Any, dns_server: DnsServer
) -> None:
    """A DNS server that never answers: Cancel stops the search within its grace, the window
    stays, and the page offers the way on."""
    dns_server.silent = True
    wizard = make_wizard(Prefill(), threaded=True, nameserver=dns_server.nameserver, deadline=30)
    wizard.start_page.email.setText(USER)
    wizard.next()
    page = wizard.discover_page
    qtbot.waitUntil(lambda: bool(dns_server.asked()), timeout=WAIT_MS)
    assert page.busy() and not next_enabled(wizard)
    started = time.monotonic()
    wizard.reject()  # Cancel
    assert wizard.isVisible()
    qtbot.waitUntil(lambda: not page.busy(), timeout=WAIT_MS)
    assert time.monotonic() - started < 3  # not the 30 s deadline
    assert "Stopped" in page.result.text() and page.enter_host.isVisible()
    assert not next_enabled(wizard)


def test_a_profile_without_a_relay_finds_it_and_holds_it_to_the_profile(
    make_wizard: MakeWizard, qtbot: Any, pki: Pki, dns_server: DnsServer
) -> None:
    """The installer's profile names the organisation, its ports and domains but no host: the
    address finds the relay, and the probe holds it to the profile (every port TLS)."""
    relay_name = f"relay.{DOMAIN}"
    with relay_named(pki, relay_name) as (server, address):
        srv_names(dns_server, relay_name, server.port, address)
        profile = loads_profile(
            "[organisation]\nname = 'Test Org'\n"
            f"[relay]\nports = ['{server.port}/implicit']\n"
            f"[identity]\ndomains = ['{DOMAIN}']\nusername = '%EMAILLOCALPART%'\n"
        )
        wizard = make_wizard(
            profile_prefill(profile, ca_file=pki.ca_file),
            threaded=True,
            nameserver=dns_server.nameserver,
        )
        start = wizard.start_page
        assert start.details.isVisible() and not start.know_host.isVisible()
        start.email.setText("alice@elsewhere.test")
        assert not next_enabled(wizard)  # not one of the profile's domains: no search at all
        search(wizard, qtbot)
        report = wizard.discover_page.report
        assert report is not None and report.chosen is not None
        assert report.chosen.host == relay_name and not report.needs_confirmation
        wizard.next()
        assert wizard.currentId() == RelayWizard.PROBE
        qtbot.waitUntil(lambda: not wizard.probe_page.busy(), timeout=WAIT_MS)
        assert wizard.state.chosen is not None and wizard.state.chosen.port == server.port
        assert wizard.state.user == "alice" and wizard.state.host == relay_name
        assert wizard.state.setting().host == relay_name


def test_a_private_ca_is_chosen_where_the_certificate_fails(
    make_wizard: MakeWizard, qtbot: Any, pki: Pki, dns_server: DnsServer
) -> None:
    """The found relay's certificate comes from a CA this computer does not know: nothing is
    chosen, the page offers to choose the CA file, and the search runs again with it."""
    relay_name = f"relay.{DOMAIN}"
    with relay_named(pki, relay_name) as (server, address):
        srv_names(dns_server, relay_name, server.port, address)
        wizard = make_wizard(Prefill(), threaded=True, nameserver=dns_server.nameserver)
        search(wizard, qtbot)
        page = wizard.discover_page
        assert page.report is not None and page.report.chosen is None
        assert "certificate cannot be verified" in page.result.text()
        assert page.choose_ca.isVisible() and not next_enabled(wizard)
        page.choose_ca.click()
        dialog = page.findChild(QFileDialog, "ca_file_dialog")
        assert dialog is not None and dialog.isVisible()
        dialog.selectFile(pki.ca_file)
        dialog.accept()
        qtbot.waitUntil(lambda: page.report is not None and not page.busy(), timeout=WAIT_MS)
        assert page.report.chosen is not None and page.report.chosen.host == relay_name
        assert wizard.state.ca_file == pki.ca_file
        assert wizard.start_page.ca_file.text() == pki.ca_file  # Back shows it too
        assert next_enabled(wizard) and server.auth_seen == []
