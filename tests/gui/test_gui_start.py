"""The first page: the email address first; the relay's name only under "I know my relay's
name"; with a bundled profile (the one-click installer), the organisation's page."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication
from wizard_helpers import MakeWizard, next_enabled, snap

from app.cli import build_parser
from app.core.discover.dns import Nameserver
from app.core.org.profiles import Profile, load_profile, loads_profile
from app.gui.main import profile_prefill, wizard_options
from app.gui.state import Prefill
from app.gui.wizard import RelayWizard

EXAMPLE_ORG = Path(__file__).parents[2] / "profiles" / "example-org.toml"


def test_without_a_profile_the_address_comes_first(make_wizard: MakeWizard, tmp_path: Path) -> None:
    wizard = make_wizard(Prefill())
    start = wizard.start_page
    assert start.email.isVisible() and start.know_host.isVisible()
    assert not start.know_host.isChecked() and not start.relay_box.isVisible()
    assert not start.details.isVisible() and not start.profile_label.isVisible()
    assert not next_enabled(wizard)
    snap(wizard, "1-start-address", tmp_path)
    start.email.setText("alice@")
    assert not next_enabled(wizard) and start.problem.text().startswith("Email address")
    start.email.setText("alice@example.org")
    assert next_enabled(wizard) and start.problem.text() == ""
    assert start.nextId() == RelayWizard.DISCOVER  # the relay is found from the address

    start.know_host.setChecked(True)  # the old path: the relay's name, ports and CA
    assert start.relay_box.isVisible() and start.host.isEnabled()
    assert not next_enabled(wizard)  # a name is now needed
    start.host.setText("mail.example.org")
    assert next_enabled(wizard) and start.nextId() == RelayWizard.PROBE
    start.know_host.setChecked(False)
    assert not start.relay_box.isVisible() and start.nextId() == RelayWizard.DISCOVER


def test_a_relay_given_in_advance_opens_the_relay_fields(make_wizard: MakeWizard) -> None:
    wizard = make_wizard(Prefill(host="mail.example.org"))
    start = wizard.start_page
    assert start.know_host.isChecked() and start.relay_box.isVisible()
    assert next_enabled(wizard)  # as before: the address may follow from the login later
    assert start.nextId() == RelayWizard.PROBE


def test_the_profile_page_shows_the_organisation_and_asks_only_the_address(
    make_wizard: MakeWizard, tmp_path: Path
) -> None:
    wizard = make_wizard(profile_prefill(load_profile(EXAMPLE_ORG)))
    start = wizard.start_page
    assert "Example Org" in start.profile_label.text() and start.profile_label.isVisible()
    contact = start.help_contact.text()
    assert start.help_contact.isVisible() and start.help_contact.openExternalLinks()
    assert 'href="mailto:it-help@example.org"' in contact
    assert 'href="https://it.example.org/mail-relay"' in contact
    # The technical settings are locked and behind Details; no "I know my relay's name".
    assert not start.know_host.isVisible() and start.details.isVisible()
    assert not start.details.isChecked() and not start.relay_box.isVisible()
    snap(wizard, "1-start-profile", tmp_path)
    start.details.click()
    assert start.relay_box.isVisible()
    assert start.host.text() == "mail.example.org" and not start.host.isEnabled()
    assert start.ports.text() == "465 587/starttls" and not start.ports.isEnabled()
    assert start.ca_file.text().endswith(".pem") and not start.ca_file.isEnabled()
    snap(wizard, "1-start-profile-details", tmp_path)
    start.details.click()
    assert not start.relay_box.isVisible()

    assert not next_enabled(wizard)  # nothing typed yet
    start.email.setText("someone@elsewhere.net")
    assert not next_enabled(wizard)
    assert "not an address of Example Org" in start.problem.text()
    start.email.setText("alice@example.org")
    assert next_enabled(wizard) and start.problem.text() == ""
    assert start.nextId() == RelayWizard.PROBE  # the profile names the relay: no search
    wizard.next()
    assert wizard.currentId() == RelayWizard.PROBE
    assert wizard.state.user == "alice" and wizard.state.host == "mail.example.org"


@pytest.mark.parametrize("size", [None, (600, 450)])
def test_the_profile_page_fits(
    make_wizard: MakeWizard, tmp_path: Path, size: tuple[int, int] | None
) -> None:
    wizard = make_wizard(profile_prefill(load_profile(EXAMPLE_ORG)))
    if size:
        wizard.resize(*size)
    start = wizard.start_page
    start.details.click()
    QApplication.processEvents()
    for widget in (start.email, start.help_contact, start.host, start.ca_file, start.details):
        corner = widget.mapTo(wizard, widget.rect().bottomRight())
        assert wizard.rect().contains(corner), widget.objectName()
    snap(wizard, f"1-start-profile-{size[0] if size else 'default'}", tmp_path)


def test_the_help_contact_is_text_not_markup(make_wizard: MakeWizard) -> None:
    """The profile is data: its help address and page are shown, never run as markup."""
    profile: Profile = replace(
        load_profile(EXAMPLE_ORG),
        help_email=None,
        help_url='https://it.example.org/"><img src=x>',
    )
    wizard = make_wizard(profile_prefill(profile))
    contact = wizard.start_page.help_contact.text()
    assert "<img" not in contact and "&lt;img src=x&gt;" in contact
    assert "mailto:" not in contact


def test_wizard_resolver_goes_into_the_wizards_options(cli: Any) -> None:
    args = build_parser().parse_args(["wizard", "--resolver", "127.0.0.1:5353"])
    assert wizard_options(args).nameserver == Nameserver("127.0.0.1", 5353)
    assert wizard_options(build_parser().parse_args([])).nameserver is None  # no command
    code, _out, err = cli("wizard", "--resolver", "dns.example.org")
    assert code == 2 and "--resolver" in err and "not an IP address" in err


def test_a_profile_without_a_relay_finds_it_from_the_address(make_wizard: MakeWizard) -> None:
    profile = loads_profile(
        "[organisation]\nname = 'Test Org'\nhelp_email = 'it@example.org'\n"
        "[relay]\nports = ['465/implicit']\n[identity]\ndomains = ['example.org']\n"
    )
    assert not profile.host
    wizard = make_wizard(profile_prefill(profile))
    start = wizard.start_page
    assert "Test Org" in start.profile_label.text() and not start.know_host.isVisible()
    start.details.click()
    assert start.host.text() == "" and not start.host.isEnabled()
    assert "from your email address" in start.host.placeholderText()
    start.email.setText("bob@example.net")
    assert not next_enabled(wizard) and "not an address of Test Org" in start.problem.text()
    start.email.setText("bob@example.org")
    assert next_enabled(wizard) and start.nextId() == RelayWizard.DISCOVER
