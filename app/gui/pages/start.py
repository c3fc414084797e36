"""Start: the organisation's profile when one is bundled, else the relay's name and the user's
email address."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
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


def parse_ports(text: str) -> tuple[PortSpec, ...]:
    """`465, 587/starttls 25` -> PortSpecs; raises ValueError naming the bad item."""
    items = text.replace(",", " ").split()
    if not items:
        raise ValueError("no port given")
    return tuple(PortSpec.parse(item) for item in items)


def ports_text(ports: tuple[PortSpec, ...]) -> str:
    """The inverse of parse_ports: a port that must speak STARTTLS keeps saying so."""
    return " ".join(
        f"{p.port}/starttls" if p.require_tls and not p.implicit else str(p) for p in ports
    )


class StartPage(Page):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(self.tr("Your organisation's mail relay"))
        self.setSubTitle(
            self.tr(
                "Relay Setup finds out how this computer can reach your organisation's relay, "
                "checks your password, sends a test message and sets up your mail programs."
            )
        )
        self.profile_label = message_label("profile")
        self.host = QLineEdit()
        self.host.setObjectName("host")
        self.host.setPlaceholderText(self.tr("for example mail.example.org"))
        self.host.setAccessibleName(self.tr("Relay host name"))
        self.email = QLineEdit()
        self.email.setObjectName("email")
        self.email.setPlaceholderText(self.tr("you@example.org"))
        self.email.setAccessibleName(self.tr("Your email address"))
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
        self.browse.clicked.connect(self._browse)
        self.problem = message_label("start_problem")

        ca_row = QHBoxLayout()
        ca_row.addWidget(self.ca_file, 1)
        ca_row.addWidget(self.browse)
        ca_box = QWidget()
        ca_box.setLayout(ca_row)
        ca_row.setContentsMargins(0, 0, 0, 0)

        form = QFormLayout()
        form.addRow(self.tr("&Relay host:"), self.host)
        form.addRow(self.tr("&Email address:"), self.email)
        form.addRow(self.tr("&Ports to try:"), self.ports)
        form.addRow(self.tr("Organisation &CA:"), ca_box)
        layout = QVBoxLayout(self)
        layout.addWidget(self.profile_label)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addStretch(1)
        self.host.textChanged.connect(self._host_changed)

    def initializePage(self) -> None:
        state, prefill = self.state, self.state.prefill
        self.host.setText(state.host)
        self.email.setText(state.email)
        self.ports.setText(ports_text(state.ports))
        self.ca_file.setText(state.ca_file or "")
        self.profile_label.setVisible(bool(prefill.title))
        if prefill.title:
            self.profile_label.setText(
                self.tr("Settings from <b>%1</b>. Fields set by it are locked.").replace(
                    "%1", prefill.title
                )
            )
        for name, widgets in (
            ("host", (self.host,)),
            ("ports", (self.ports,)),
            ("ca_file", (self.ca_file, self.browse)),
        ):
            for widget in widgets:
                widget.setEnabled(name not in prefill.locked)
        self.problem.clear()

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

    def _host_changed(self) -> None:
        problem = self._host_problem()
        self.problem.setText(problem or "")
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return bool(self.host.text().strip()) and self._host_problem() is None

    def validatePage(self) -> bool:
        try:
            ports = parse_ports(self.ports.text())
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
            host = values.host(self.host.text(), self.tr("Relay host"))
            email = self.email.text().strip()
            if email:
                values.address(email, self.tr("Email address"))
        except values.InvalidValue as exc:
            self.problem.setText(say_error(exc))
            return False
        if host != state.host:
            state.report = None  # what was seen before (STARTTLS on a port) was another relay's
        if host != state.host or ca_file != state.ca_file:
            state.pin_sha256 = state.prefill.pin_sha256  # a pin belongs to one server
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
        state.host, state.email, state.ports, state.ca_file = host, email, ports, ca_file
        self.problem.clear()
        return True

    def _browse(self) -> None:
        choose_ca_file(self, self.ca_file.setText)
