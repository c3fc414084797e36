"""Start: the user's email address first.

Without a profile, Next finds the relay from the address (the discovery page); the relay's name,
ports and CA are there only under "I know my relay's name". With a bundled profile (the one-click
installer) the page is the organisation's: its name, the address to fill, how to reach IT, and
the locked technical settings behind Details."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...core import values
from ...core.cafile import ca_file_problem
from ...core.results import PortSpec
from ..words import say, say_error
from .base import Page, choose_ca_file, message_label

if TYPE_CHECKING:
    from ...core.org.profiles import Profile


def parse_ports(text: str) -> tuple[PortSpec, ...]:
    """`465, 587/starttls 25` -> PortSpecs; raises ValueError naming the bad item."""
    items = text.replace(",", " ").split()
    if not items:
        raise ValueError(QCoreApplication.translate("StartPage", "no port given"))
    return tuple(PortSpec.parse(item) for item in items)


def ports_text(ports: tuple[PortSpec, ...]) -> str:
    """The inverse of parse_ports: a port that must speak STARTTLS keeps saying so."""
    return " ".join(
        f"{p.port}/starttls" if p.require_tls and not p.implicit else str(p) for p in ports
    )


def help_contact_html(profile: Profile) -> str:
    """The organisation's help address and page as links (escaped: the profile is data)."""
    links = []
    if profile.help_email:
        address = html.escape(profile.help_email, quote=True)
        links.append(f'<a href="mailto:{address}">{address}</a>')
    if profile.help_url:
        url = html.escape(profile.help_url, quote=True)
        links.append(f'<a href="{url}">{url}</a>')
    return " · ".join(links)


class StartPage(Page):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(self.tr("Your organisation's mail relay"))
        self.setSubTitle(
            self.tr(
                "From your email address: find your relay, check your password, send a test "
                "message, set up your mail programs."
            )
        )
        # An organisation's page (profile or demo): whose settings, and how to reach IT.
        self.profile_label = message_label("profile")
        self.help_contact = QLabel()
        self.help_contact.setObjectName("help_contact")
        self.help_contact.setWordWrap(True)
        self.help_contact.setOpenExternalLinks(True)
        self.help_contact.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextBrowserInteraction  # links reachable by Tab as well
        )
        self.help_contact.setAccessibleName(self.tr("How to reach your IT department"))

        self.email = QLineEdit()
        self.email.setObjectName("email")
        self.email.setPlaceholderText(self.tr("you@example.org"))
        self.email.setAccessibleName(self.tr("Your email address"))

        self.know_host = QCheckBox(self.tr("I &know my relay's name"))
        self.know_host.setObjectName("know_host")
        self.know_host.setAccessibleName(self.tr("I know my relay's name"))
        self.details = QPushButton(self.tr("&Details"))
        self.details.setObjectName("details")
        self.details.setCheckable(True)
        self.details.setAccessibleName(self.tr("Show the technical settings"))

        self.host = QLineEdit()
        self.host.setObjectName("host")
        self.host.setPlaceholderText(self.tr("for example mail.example.org"))
        self.host.setAccessibleName(self.tr("Relay host name"))
        self.ports = QLineEdit()
        self.ports.setObjectName("ports")
        self.ports.setAccessibleName(self.tr("Ports to try"))
        self.ports.setToolTip(
            self.tr("465 is TLS from the first byte; N/starttls requires STARTTLS on port N")
        )
        self.ca_file = QLineEdit()
        self.ca_file.setObjectName("ca_file")
        self.ca_file.setPlaceholderText(self.tr("only if your IT department gave you one"))
        self.ca_file.setAccessibleName(self.tr("Organisation's CA certificate file"))
        self.browse = QPushButton(self.tr("&Browse…"))
        self.browse.setAccessibleName(self.tr("Choose the CA certificate file"))
        self.browse.clicked.connect(self._browse)
        self.problem = message_label("start_problem")

        ca_row = QHBoxLayout()
        ca_row.addWidget(self.ca_file, 1)
        ca_row.addWidget(self.browse)
        ca_row.setContentsMargins(0, 0, 0, 0)
        ca_box = QWidget()
        ca_box.setLayout(ca_row)

        # The relay's own settings: shown under "I know my relay's name" or Details.
        self.relay_box = QWidget()
        self.relay_box.setObjectName("relay_box")
        relay_form = QFormLayout(self.relay_box)
        relay_form.setContentsMargins(0, 0, 0, 0)
        relay_form.addRow(self.tr("&Relay host:"), self.host)
        relay_form.addRow(self.tr("&Ports to try:"), self.ports)
        relay_form.addRow(self.tr("Organisation &CA:"), ca_box)

        form = QFormLayout()
        form.addRow(self.tr("&Email address:"), self.email)
        toggles = QHBoxLayout()
        toggles.addWidget(self.know_host)
        toggles.addWidget(self.details)
        toggles.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.profile_label)
        layout.addWidget(self.help_contact)
        layout.addLayout(form)
        layout.addLayout(toggles)
        layout.addWidget(self.relay_box)
        layout.addWidget(self.problem)
        layout.addStretch(1)
        self.setTabOrder(self.email, self.know_host)
        self.setTabOrder(self.know_host, self.details)
        self.setTabOrder(self.details, self.host)
        self.setTabOrder(self.host, self.ports)
        self.setTabOrder(self.ports, self.ca_file)
        self.setTabOrder(self.ca_file, self.browse)

        self.know_host.toggled.connect(self._mode_changed)
        self.details.toggled.connect(self._mode_changed)
        self.host.textChanged.connect(self._fields_changed)
        self.email.textChanged.connect(self._fields_changed)

    # -- what the page is for -------------------------------------------------------------------
    def organisation_page(self) -> bool:
        """A profile (or the demo) names the organisation: the page is theirs."""
        return bool(self.state.prefill.title)

    def discovers(self) -> bool:
        """Next finds the relay from the address: no relay name given, or none known."""
        if self.organisation_page():
            return not self.state.prefill.host
        return not self.know_host.isChecked()

    def nextId(self) -> int:
        wizard = self.relay_wizard
        return wizard.DISCOVER if self.discovers() else wizard.PROBE

    def initializePage(self) -> None:
        state, prefill = self.state, self.state.prefill
        self.host.setText(state.host)
        self.email.setText(state.email)
        self.ports.setText(ports_text(state.ports))
        self.ca_file.setText(state.ca_file or "")
        organisation = self.organisation_page()
        self.profile_label.setVisible(organisation)
        self.help_contact.setVisible(False)
        if organisation and prefill.title:
            self.profile_label.setText(
                self.tr(
                    "Settings from <b>%1</b>: you only need to give your email address."
                ).replace("%1", html.escape(prefill.title))
            )
            contact = help_contact_html(prefill.profile) if prefill.profile else ""
            if contact:
                self.help_contact.setText(
                    self.tr("Questions? Your IT department: %1").replace("%1", contact)
                )
                self.help_contact.setVisible(True)
        self.know_host.setVisible(not organisation)
        self.details.setVisible(organisation)
        self.details.setChecked(False)
        self.know_host.setChecked(bool(state.host) and not organisation)
        if not prefill.host and organisation:
            self.host.setPlaceholderText(self.tr("found from your email address"))
        for name, widgets in (
            ("host", (self.host,)),
            ("ports", (self.ports,)),
            ("ca_file", (self.ca_file, self.browse)),
        ):
            for widget in widgets:
                widget.setEnabled(name not in prefill.locked)
        self._mode_changed()

    def _mode_changed(self) -> None:
        shown = self.details if self.organisation_page() else self.know_host
        self.relay_box.setVisible(shown.isChecked())
        self._fields_changed()

    # -- checks as the user types ---------------------------------------------------------------
    def _host_problem(self) -> str | None:
        """Why the typed host cannot be used (None: it can); empty is just not done yet."""
        text = self.host.text()
        if not text.strip():
            return None
        try:
            values.host(text, self.tr("Relay host"))
        except values.InvalidValue as exc:
            return say_error(exc)
        return None

    def _email_problem(self) -> str | None:
        """Why the typed address cannot be used (None: it can, or nothing is typed yet)."""
        text = self.email.text().strip()
        if not text:
            return None
        profile = self.state.prefill.profile
        try:
            if profile is not None:  # its rule: the address must give a username, in its domains
                profile.identity(text)
            else:
                values.address(text, self.tr("Email address"))
        except ValueError as exc:  # InvalidValue and InvalidEmail both are
            return say_error(exc)
        return None

    def _email_needed(self) -> bool:
        return self.discovers() or self.state.prefill.profile is not None

    def _fields_changed(self) -> None:
        host_problem = None if self.discovers() else self._host_problem()
        email_problem = self._email_problem() if self._email_needed() else None
        self.problem.setText(host_problem or email_problem or "")
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        if self._email_needed() and (
            not self.email.text().strip() or self._email_problem() is not None
        ):
            return False
        if self.discovers():
            return True
        return bool(self.host.text().strip()) and self._host_problem() is None

    # -- Next -----------------------------------------------------------------------------------
    def validatePage(self) -> bool:
        discovers = self.discovers()
        try:
            ports = self.state.ports if discovers else parse_ports(self.ports.text())
        except ValueError as exc:
            self.problem.setText(self.tr("Ports: %1").replace("%1", say_error(exc)))
            return False
        ca_file = self.ca_file.text().strip() or None
        trouble = ca_file_problem(ca_file)
        if trouble:
            self.problem.setText(say(trouble))
            return False
        state = self.state
        try:  # the same checks as every other entry: a host or address that is not one stops here
            host = "" if discovers else values.host(self.host.text(), self.tr("Relay host"))
            email = self.email.text().strip()
            if email:
                values.address(email, self.tr("Email address"))
        except values.InvalidValue as exc:
            self.problem.setText(say_error(exc))
            return False
        if not discovers:
            if host != state.host:
                state.report = None  # what was seen before (STARTTLS on a port) was another relay's
            if host != state.host or ca_file != state.ca_file:
                state.pin_sha256 = state.prefill.pin_sha256  # a pin belongs to one server
            state.host = host
        profile = state.prefill.profile
        if profile is not None:
            try:  # the profile's rule: username and From follow from the address
                identity = profile.identity(email)
            except ValueError as exc:
                self.problem.setText(say_error(exc))
                return False
            state.user, state.mail_from = identity.user, identity.mail_from
        elif state.prefill.user_is_email and email and (not state.user or "@" in state.user):
            state.user = email
        state.email, state.ports, state.ca_file = email, ports, ca_file
        self.problem.clear()
        return True

    def _browse(self) -> None:
        choose_ca_file(self, self.ca_file.setText)
