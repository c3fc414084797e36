"""The probe page: rows live, the recommendation preselected, Cancel at once, the certificate
pin, the downgrade warning."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTreeWidgetItem
from servers import never_greets, raw_server, smtp_server
from wizard_helpers import (
    MakeWizard,
    log_in,
    next_enabled,
    relay_ports,
    skip_the_test_message,
    snap,
)

from app.core.demo_relay import DemoRelay
from app.core.org.profiles import Profile, loads_profile
from app.core.probe.port import ProbeOptions
from app.core.probe.relay import probe_relay
from app.core.results import PortSpec, PortStatus, TlsMode
from app.core.setup.setting import held_to
from app.gui.certificate_text import grouped_fingerprint, local_date
from app.gui.main import profile_prefill
from app.gui.state import Prefill
from app.gui.wizard import RelayWizard


def go_to_probe(wizard: RelayWizard) -> None:
    wizard.next()
    assert wizard.currentId() == RelayWizard.PROBE


def rows(wizard: RelayWizard) -> dict[int, tuple[str, str]]:
    table = wizard.probe_page.table
    out = {}
    for i in range(table.topLevelItemCount()):
        item = table.topLevelItem(i)
        out[int(item.text(0))] = (item.text(2), item.text(3))
    return out


def row_item(wizard: RelayWizard, port: int) -> QTreeWidgetItem:
    """The row of `port`."""
    table = wizard.probe_page.table
    found = table.findItems(str(port), Qt.MatchFlag.MatchExactly, 0)
    assert len(found) == 1
    return found[0]


def test_rows_and_recommendation(make_wizard: MakeWizard, relay: DemoRelay, tmp_path: Path) -> None:
    wizard = make_wizard(Prefill(host="localhost", ports=relay_ports(relay), ca_file=relay.ca_file))
    go_to_probe(wizard)
    page = wizard.probe_page
    shown = rows(wizard)
    assert set(shown) == {relay.implicit_port, relay.starttls_port}
    assert "TLS from the first byte" in shown[relay.implicit_port][1]
    assert "STARTTLS" in shown[relay.starttls_port][1]
    # implicit TLS is preferred, and preselected
    assert page.table.currentItem().text(0) == str(relay.implicit_port)
    assert wizard.state.chosen is not None and wizard.state.chosen.tls is TlsMode.IMPLICIT
    assert "use port" in page.verdict.text()
    assert next_enabled(wizard)
    # details on demand: extensions before/after TLS and the certificate's facts
    assert not page.details.isVisibleTo(wizard)
    page.show_details.click()
    assert page.details.isVisibleTo(wizard)
    page.table.setCurrentItem(row_item(wizard, relay.starttls_port))
    details = page.details.toPlainText()
    assert "Extensions before TLS: " in details and "STARTTLS" in details
    assert "Login before TLS: -" in details and "Login after TLS: LOGIN PLAIN" in details
    cert = wizard.state.report.result(relay.starttls_port).certificate
    assert cert.sha256 in details and cert.issuer in details
    assert local_date(cert.not_after) in details and cert.not_after not in details  # not ISO
    assert wizard.state.chosen.port == relay.starttls_port  # the user's pick is what goes on
    # back to the recommended row: the picture shows it selected, with its own details
    page.table.setCurrentItem(row_item(wizard, relay.implicit_port))
    assert page.details.toPlainText().startswith(f"Port {relay.implicit_port}: answers")
    assert wizard.state.chosen.port == relay.implicit_port
    assert page.table.currentItem().isSelected()
    snap(wizard, "2-probe", tmp_path)


def test_cancel_stops_a_silent_port_at_once(
    make_wizard: MakeWizard, relay: DemoRelay, qtbot: Any
) -> None:
    with raw_server(never_greets) as silent:
        # Long timeouts: only Cancel can end this probe quickly.
        wizard = make_wizard(
            Prefill(
                host="localhost",
                ports=(*relay_ports(relay), PortSpec(silent)),
                ca_file=relay.ca_file,
            ),
            threaded=True,
            timeout=60.0,
            deadline=120.0,
        )
        go_to_probe(wizard)
        page = wizard.probe_page
        # The answering ports' rows appear while the silent one is still being waited for,
        # and the window keeps handling events (this wait runs Qt's event loop).
        qtbot.waitUntil(lambda: rows(wizard)[relay.starttls_port][0] == "answers", timeout=10_000)
        qtbot.waitUntil(lambda: rows(wizard)[relay.implicit_port][0] == "answers", timeout=10_000)
        assert page.busy() and page.spinner.isVisible()
        assert rows(wizard)[silent][0] == "testing…"
        wizard.button(wizard.WizardButton.CancelButton).click()
        assert wizard.isVisible()  # Cancel stopped the work; it did not close the window
        qtbot.waitUntil(lambda: not page.busy(), timeout=3_000)
        assert rows(wizard)[silent][0] == "cancelled"
        assert wizard.state.report is not None
        # the ports that answered are still usable
        assert next_enabled(wizard)
        # with nothing running, Cancel closes; closing the window while probing stops and closes
        page.again.click()
        assert page.busy()
        wizard.close()
        assert not wizard.isVisible()
        qtbot.waitUntil(lambda: not page.busy(), timeout=3_000)
        assert rows(wizard)[silent][0] == "cancelled"
        wizard.show()
        wizard.button(wizard.WizardButton.CancelButton).click()
        assert not wizard.isVisible()


def test_certificate_pin_flow(
    make_wizard: MakeWizard,
    relay: DemoRelay,
    store: Any,
    account: tuple[str, str],
    tmp_path: Path,
) -> None:
    """No CA given: the demo relay's certificate cannot be verified. It is accepted only after its
    fingerprint is shown and the user confirms; the pin goes on to the login and to msmtp."""
    user, password = account
    wizard = make_wizard(Prefill(host="localhost", email=user, ports=relay_ports(relay)))
    go_to_probe(wizard)
    page = wizard.probe_page
    assert {status for status, _ in rows(wizard).values()} == {"certificate problem"}
    assert all("Choose CA file…" in meaning for _, meaning in rows(wizard).values())
    assert wizard.state.chosen is None and not next_enabled(wizard)
    assert page.pin_box.isVisibleTo(wizard)
    cert = wizard.state.report.result(relay.implicit_port).certificate
    assert cert is not None and not cert.verified
    assert " ".join(grouped_fingerprint(cert.sha256)) in page.pin_text.text()
    # no trust without the explicit confirmation
    assert not page.pin_accept.isEnabled()
    page.pin_accept.click()
    assert wizard.state.pin_sha256 is None
    snap(wizard, "2-probe-certificate", tmp_path)
    page.pin_confirm.setChecked(True)
    assert page.pin_accept.isEnabled()
    page.pin_accept.click()
    # probed again with the pin: the core checked it is this very certificate
    report = wizard.state.report
    assert report.recommended is not None and report.recommended.pinned_sha256 == cert.sha256
    assert "pinned by you" in rows(wizard)[relay.implicit_port][1]
    assert not page.pin_box.isVisibleTo(wizard)
    assert next_enabled(wizard)
    assert wizard.state.setting().pin_sha256 == cert.sha256
    # the pin goes on to the login check ...
    wizard.next()
    log_in(wizard, password)
    assert wizard.state.login.pinned
    # ... and to the mail client settings
    wizard.next()
    skip_the_test_message(wizard)
    clients = wizard.clients_page
    items = [clients.list.item(i).text() for i in range(clients.list.count())]
    assert any(text.startswith("msmtp") for text in items), items
    clients.list.setCurrentRow(next(i for i, t in enumerate(items) if t.startswith("msmtp")))
    assert f"tls_fingerprint {cert.sha256}" in clients.diff.toPlainText()


def test_downgrade_warning(make_wizard: MakeWizard, tmp_path: Path) -> None:
    """STARTTLS expected on a port that does not offer it: a warning, and nothing goes further
    on that port."""
    with smtp_server("plain") as plain:
        wizard = make_wizard(
            Prefill(host="localhost", ports=(PortSpec(plain.port, require_tls=True),))
        )
        go_to_probe(wizard)
        page = wizard.probe_page
        assert wizard.state.report.result(plain.port).status is PortStatus.STARTTLS_MISSING
        assert rows(wizard)[plain.port][0] == "possible downgrade"
        assert page.downgrade.isVisibleTo(wizard)
        assert "downgrade" in page.downgrade.text() and str(plain.port) in page.downgrade.text()
        assert wizard.state.chosen is None and not next_enabled(wizard)
        assert not page.pin_box.isVisibleTo(wizard)
        snap(wizard, "2-probe-downgrade", tmp_path)
        assert plain.auth_seen == []  # no login was even tried


def test_plain_port_is_never_offered(make_wizard: MakeWizard) -> None:
    """A port that spoke STARTTLS in the first probe must again: when it stops, Test again shows
    the downgrade warning instead of quietly offering a plain port."""
    with smtp_server("plain") as plain:
        wizard = make_wizard(Prefill(host="localhost", ports=(PortSpec(plain.port),)))
        go_to_probe(wizard)
        page = wizard.probe_page
        result = wizard.state.report.result(plain.port)
        assert result.status is PortStatus.OK and result.tls is TlsMode.NONE
        assert "WITHOUT encryption" in rows(wizard)[plain.port][1]
        assert not next_enabled(wizard)  # never a login without TLS
        assert not page.downgrade.isVisibleTo(wizard)


def test_start_page_checks_its_fields(make_wizard: MakeWizard) -> None:
    wizard = make_wizard(Prefill())
    page = wizard.start_page
    assert not next_enabled(wizard)  # no address yet
    page.know_host.setChecked(True)
    assert page.host.isVisible() and not next_enabled(wizard)  # no host yet
    page.host.setText("localhost")
    assert next_enabled(wizard)
    page.ports.setText("587 nonsense")
    wizard.next()
    assert wizard.currentId() == RelayWizard.START
    assert "not a port number" in page.problem.text()
    page.ports.setText("587")
    page.ca_file.setText("/nonexistent/ca.pem")
    wizard.next()
    assert wizard.currentId() == RelayWizard.START
    assert "not found" in page.problem.text()


def test_keyboard_and_accessible_names(make_wizard: MakeWizard) -> None:
    wizard = make_wizard(Prefill())
    page = wizard.start_page
    for widget in (
        page.email,
        page.know_host,
        page.details,
        page.host,
        page.ports,
        page.ca_file,
        page.browse,
    ):
        assert widget.accessibleName()
    assert page.host.focusPolicy() & Qt.FocusPolicy.TabFocus


def test_starttls_seen_then_stripped_is_a_downgrade(make_wizard: MakeWizard, pki: Any) -> None:
    """A port that spoke STARTTLS must keep doing so: when someone in between strips it, Test
    again shows the downgrade warning instead of a plain port."""
    with smtp_server("starttls", pki.server_context()) as server:
        wizard = make_wizard(
            Prefill(host="localhost", ports=(PortSpec(server.port),), ca_file=pki.ca_file)
        )
        go_to_probe(wizard)
        page = wizard.probe_page
        assert wizard.state.report.result(server.port).tls is TlsMode.STARTTLS
        assert next_enabled(wizard)
        server.controller.SMTP_kwargs["tls_context"] = None  # STARTTLS no longer offered
        page.again.click()
        assert wizard.state.report.result(server.port).status is PortStatus.STARTTLS_MISSING
        assert page.downgrade.isVisibleTo(wizard)
        assert not next_enabled(wizard)
        assert server.auth_seen == []


def test_profile_pin_refuses_another_certificate_at_the_probe(
    make_wizard: MakeWizard, pki: Any
) -> None:
    """A profile pins a certificate; the relay shows another one, which the CA vouches for (an
    interception proxy with a trusted CA would): refused at the probe, as `apply` does, and the
    user is not offered to trust it instead."""
    with smtp_server("implicit", pki.server_context()) as server:
        profile = _profile(f"ports = ['{server.port}/implicit']\npin_sha256 = '{_OTHER_PIN}'")
        wizard = make_wizard(profile_prefill(profile, ca_file=pki.ca_file))
        wizard.start_page.email.setText("ann@example.org")
        go_to_probe(wizard)
        page = wizard.probe_page
        result = wizard.state.report.result(server.port)
        assert result.certificate is not None and result.certificate.verified
        assert result.status is PortStatus.CERTIFICATE
        assert "not the one the profile pins" in result.detail
        assert rows(wizard)[server.port][0] == "certificate problem"
        assert wizard.state.report.recommended is None
        assert wizard.state.chosen is None and not next_enabled(wizard)
        assert not page.pin_box.isVisibleTo(wizard)
        # the rows that stream in before the report are held to the profile the same way
        raw = probe_relay("localhost", profile.ports, ProbeOptions(ca_file=pki.ca_file))
        assert raw.ports[0].status is PortStatus.OK
        assert held_to(profile, raw.ports[0]).status is PortStatus.CERTIFICATE


def test_profile_pin_goes_on_to_the_login(make_wizard: MakeWizard, pki: Any) -> None:
    """The profile's own certificate passes the probe, and its pin binds the login and the mail
    clients too (as in `apply`), even though a CA vouches for the certificate as well."""
    users = {"ann": "pw-ann"}
    with smtp_server("implicit", pki.server_context(), users) as server:
        raw = probe_relay("localhost", (PortSpec(server.port, implicit=True),), ProbeOptions())
        cert = raw.ports[0].certificate
        assert cert is not None
        profile = _profile(f"ports = ['{server.port}/implicit']\npin_sha256 = '{cert.sha256}'")
        wizard = make_wizard(profile_prefill(profile, ca_file=pki.ca_file))
        wizard.start_page.email.setText("ann@example.org")
        go_to_probe(wizard)
        result = wizard.state.report.result(server.port)
        assert result.status is PortStatus.OK and result.certificate.verified
        assert next_enabled(wizard)
        assert wizard.state.setting().pin_sha256 == cert.sha256
        wizard.next()
        wizard.account_page.remember.setChecked(False)
        log_in(wizard, "pw-ann")
        assert wizard.state.login.pinned and wizard.state.login.certificate_sha256 == cert.sha256


def test_profile_requires_starttls_even_on_a_port_the_user_typed(make_wizard: MakeWizard) -> None:
    """Every port of a profile requires TLS: a port the user typed without `/starttls` that does
    not offer STARTTLS is refused as a possible downgrade, not shown as a plain port."""
    with smtp_server("plain") as plain:
        profile = _profile(f"ports = ['{plain.port}/starttls']")
        wizard = make_wizard(profile_prefill(profile))
        start = wizard.start_page
        assert start.ports.isEnabled()  # this profile leaves the ports open
        start.email.setText("ann@example.org")
        start.ports.setText(str(plain.port))
        go_to_probe(wizard)
        assert wizard.state.report.result(plain.port).status is PortStatus.STARTTLS_MISSING
        assert wizard.probe_page.downgrade.isVisibleTo(wizard)
        assert wizard.state.chosen is None and not next_enabled(wizard)
        assert plain.auth_seen == []


_OTHER_PIN = ":".join(["AB"] * 32)


def _profile(relay_lines: str) -> Profile:
    return loads_profile(
        f"[organisation]\nname = 'Test Org'\n[relay]\nhost = 'localhost'\n{relay_lines}\n"
        "[identity]\nusername = '%EMAILLOCALPART%'\n"
    )
