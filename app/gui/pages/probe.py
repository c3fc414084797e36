"""Probe: every port at once, each row as its result arrives; the recommended port preselected;
a certificate accepted only after its fingerprint is shown and confirmed; a missing STARTTLS
where it was expected shown as a possible downgrade."""

from __future__ import annotations

import html
from dataclasses import replace

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
)

from ...core.cafile import ca_file_problem
from ...core.deadline import CancelToken
from ...core.org.profiles import Profile, bind_report
from ...core.probe.port import ProbeOptions
from ...core.probe.relay import probe_relay
from ...core.results import PortResult, PortSpec, PortStatus, ProbeReport, TlsMode
from ...core.setup.setting import held_to
from .. import words
from ..diagnostics import port_details
from ..icons import icon, status_icon_name
from ..tasks import Outcome, post
from .base import Page, choose_ca_file, message_label

_RESULT = Qt.ItemDataRole.UserRole
# No connection was made: which encryption the port speaks is unknown, not "none".
_NEVER_CONTACTED = frozenset({PortStatus.DNS_FAILED, PortStatus.REFUSED, PortStatus.TIMEOUT})


class _Rows(QObject):
    # Emitted from the probe's thread; queued to the GUI thread, where this object lives.
    arrived = Signal(object)


class ProbePage(Page):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(self.tr("Testing the relay from this network"))
        self._token: CancelToken | None = None
        self._generation = 0
        self._rows = _Rows(self)
        self._rows.arrived.connect(self._on_row)

        self.table = QTreeWidget()
        self.table.setObjectName("ports")
        self.table.setAccessibleName(self.tr("Ports of the relay"))
        self.table.setRootIsDecorated(False)
        self.table.setHeaderLabels(
            [self.tr("Port"), self.tr("Encryption"), self.tr("Result"), self.tr("Meaning")]
        )
        header = self.table.header()
        header.setStretchLastSection(True)
        for column in range(3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.currentItemChanged.connect(self._on_select)
        self.spinner = QProgressBar()
        self.spinner.setObjectName("busy")
        self.spinner.setRange(0, 0)  # "busy", no percentage: ports answer in any order
        self.spinner.setTextVisible(False)
        self.spinner.setMaximumHeight(8)
        self.verdict = message_label("verdict")
        self.downgrade = message_label("downgrade")
        self.downgrade.setStyleSheet(
            "QLabel { background: #fff3cd; border: 1px solid #e0a000; padding: 6px; }"
        )
        self.again = QPushButton(self.tr("Test &again"))
        self.again.setObjectName("again")
        self.again.clicked.connect(self.start_probe)
        self.show_details = QPushButton(self.tr("&Details"))
        self.show_details.setObjectName("show_details")
        self.show_details.setCheckable(True)
        self.details = QPlainTextEdit()
        self.details.setObjectName("details")
        self.details.setAccessibleName(self.tr("Details of the selected port"))
        self.details.setReadOnly(True)
        self.details.setVisible(False)
        self.show_details.toggled.connect(self.details.setVisible)

        self.pin_box = QGroupBox(self.tr("Certificate not verified"))
        self.pin_box.setObjectName("pin_box")
        self.pin_text = message_label("pin_text")
        self.pin_confirm = QCheckBox(
            self.tr("I have compared this fingerprint with the one my IT department gave me")
        )
        self.pin_confirm.setObjectName("pin_confirm")
        self.pin_accept = QPushButton(self.tr("&Trust this certificate"))
        self.pin_accept.setObjectName("pin_accept")
        self.pin_accept.setEnabled(False)
        self.pin_confirm.toggled.connect(self.pin_accept.setEnabled)
        self.pin_accept.clicked.connect(self._accept_pin)
        pin_layout = QVBoxLayout(self.pin_box)
        pin_layout.addWidget(self.pin_text)
        pin_layout.addWidget(self.pin_confirm)
        self.choose_ca = QPushButton(self.tr("C&hoose CA file…"))
        self.choose_ca.setObjectName("choose_ca")
        self.choose_ca.setToolTip(
            self.tr("The organisation's CA certificate, if your IT department gave you one")
        )
        self.choose_ca.clicked.connect(lambda: choose_ca_file(self, self._use_ca_file))
        pin_buttons = QHBoxLayout()
        pin_buttons.addWidget(self.pin_accept)
        pin_buttons.addWidget(self.choose_ca)
        pin_buttons.addStretch(1)
        pin_layout.addLayout(pin_buttons)
        self.pin_box.setVisible(False)

        buttons = QHBoxLayout()
        buttons.addWidget(self.again)
        buttons.addWidget(self.show_details)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.spinner)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.verdict)
        layout.addWidget(self.downgrade)
        layout.addWidget(self.pin_box)
        layout.addLayout(buttons)
        layout.addWidget(self.details, 1)
        layout.addStretch(0)  # takes the room only when the table and details are hidden

    # -- the probe ------------------------------------------------------------------------------
    def initializePage(self) -> None:
        self.start_probe()

    def cleanupPage(self) -> None:  # Back to Start
        self.cancel_work()

    def busy(self) -> bool:
        return self._token is not None

    def cancel_work(self) -> bool:
        if self._token is None:
            return False
        self._token.cancel()
        self.verdict.setText(self.tr("Stopping…"))
        return True

    def start_probe(self) -> None:
        self.cancel_work()
        state = self.state
        self.setSubTitle(self.tr("Trying each port of %1 at once.").replace("%1", state.host))
        self._generation += 1
        generation = self._generation
        token = self._token = CancelToken()
        host, ports = state.host, self._ports_to_probe()  # before the last report is cleared
        state.report, state.chosen = None, None
        self.table.clear()
        self.table.setVisible(True)
        self.details.clear()
        self.downgrade.setVisible(False)
        self.pin_box.setVisible(False)
        self.verdict.setText(self.tr("Waiting for the ports to answer…"))
        self.spinner.setVisible(True)
        self.again.setEnabled(False)
        self.completeChanged.emit()
        options = ProbeOptions(
            timeout=self.config.timeout,
            deadline=self.config.deadline,
            ca_file=state.ca_file,
            pin_sha256=state.pin_sha256,
        )
        arrived = self._rows.arrived
        profile: Profile | None = state.prefill.profile

        def work() -> ProbeReport:
            report = probe_relay(
                host,
                ports,
                options,
                on_result=lambda r: post(arrived, (generation, held_to(profile, r))),
                cancel=token,
            )
            # As the CLI's apply does: a certificate that is not the profile's pin is refused
            # here already, and only a port offering the profile's mechanism is recommended.
            return report if profile is None else bind_report(profile, report)

        self.runner.run_task(work, lambda outcome: self._on_report(generation, outcome))

    def _ports_to_probe(self) -> tuple[PortSpec, ...]:
        """The asked ports; one that spoke STARTTLS in an earlier probe must do so again, and
        under a profile every port must (its ports all require TLS, even one the user typed)."""
        previous = self.state.report
        seen = {r.port for r in previous.ports if r.tls is TlsMode.STARTTLS} if previous else set()
        every = self.state.prefill.profile is not None
        return tuple(
            replace(p, require_tls=True) if (every or p.port in seen) and not p.implicit else p
            for p in self.state.ports
        )

    def _may_pin(self) -> bool:
        """A profile that pins a certificate (or locks the pin) leaves no other to accept."""
        profile: Profile | None = self.state.prefill.profile
        return profile is None or not (profile.pin_sha256 or "pin" in profile.locked)

    def _on_row(self, message: tuple[int, PortResult]) -> None:
        generation, result = message
        if generation != self._generation:
            return  # a probe the user has already left behind
        item = self._item_for(result.port) or QTreeWidgetItem(self.table)
        self._fill(item, result)
        if result.status is PortStatus.STARTTLS_MISSING:
            self._warn_downgrade(result)

    def _on_report(self, generation: int, outcome: Outcome) -> None:
        if generation != self._generation:
            return
        self._token = None
        self.spinner.setVisible(False)
        self.again.setEnabled(True)
        if not outcome.ok:
            self.verdict.setText(self.tr("The test failed: %1").replace("%1", str(outcome.error)))
            self.completeChanged.emit()
            return
        report: ProbeReport = outcome.value
        self.state.report = report
        for result in report.ports:  # rows the stream may not have delivered yet
            self._on_row((generation, result))
        if report.ports and all(r.status is PortStatus.DNS_FAILED for r in report.ports):
            # The same for every port, and no network problem: one line, about the name.
            self.table.clear()
            self.table.setVisible(False)
            self.verdict.setText(
                self.tr(
                    "The name <b>%1</b> does not exist: check its spelling on the first page."
                ).replace("%1", html.escape(report.host))
            )
            self.state.log.append(f"probe: {report.verdict.value} (unknown name)")
            self.completeChanged.emit()
            return
        meaning = words.report_meaning(report)
        self.verdict.setText(
            self.tr("Recommended: %1.").replace("%1", meaning)
            if report.recommended
            else meaning[:1].upper() + meaning[1:] + "."
        )
        self.state.log.append(f"probe: {report.verdict.value}")
        preferred = report.recommended.port if report.recommended else None
        if preferred is None:  # nothing usable: show the certificate to pin, if any
            preferred = next(
                (r.port for r in report.ports if r.status is PortStatus.CERTIFICATE), None
            )
        item = self._item_for(preferred) if preferred is not None else None
        item = item or self.table.topLevelItem(0)
        if item is not None:
            self.table.setCurrentItem(item)
        self.completeChanged.emit()

    # -- rows -----------------------------------------------------------------------------------
    def _item_for(self, port: int) -> QTreeWidgetItem | None:
        for i in range(self.table.topLevelItemCount()):
            item = self.table.topLevelItem(i)
            if item is not None and item.data(0, _RESULT).port == port:
                return item
        return None

    def _fill(self, item: QTreeWidgetItem, result: PortResult) -> None:
        item.setData(0, _RESULT, result)
        item.setText(0, str(result.port))
        unknown = result.status in _NEVER_CONTACTED
        item.setText(1, "" if unknown else words.tls_label(result.tls))
        item.setText(2, words.status_label(result.status))
        item.setIcon(2, icon(status_icon_name(result)))
        item.setText(3, words.port_meaning(result))
        item.setToolTip(3, result.detail)

    def result_of(self, port: int) -> PortResult | None:
        item = self._item_for(port)
        return item.data(0, _RESULT) if item else None

    def _on_select(self, item: QTreeWidgetItem | None, _previous: object = None) -> None:
        result: PortResult | None = item.data(0, _RESULT) if item else None
        self.details.setPlainText("\n".join(port_details(result, words.tr)) if result else "")
        self.state.chosen = result if result and result.usable_for_login else None
        cert = result.certificate if result else None
        can_pin = (
            result is not None
            and result.status is PortStatus.CERTIFICATE
            and cert is not None
            and self._token is None
            and self._may_pin()
        )
        self.pin_box.setVisible(can_pin)
        self.choose_ca.setVisible("ca_file" not in self.state.prefill.locked)
        if can_pin and cert is not None and result is not None:
            self.pin_confirm.setChecked(False)
            self.pin_text.setText(
                self.tr(
                    "The certificate of port %1 cannot be verified: %2.<br>"
                    "Accept it only if its SHA-256 fingerprint is exactly the one your IT "
                    "department gave you:<br><tt><b>%3</b></tt><br>Subject: %4<br>Issuer: %5"
                    "<br>Valid until: %6"
                )
                .replace("%1", str(result.port))
                .replace("%2", html.escape(words.port_meaning(result)))
                .replace("%3", cert.sha256)
                .replace("%4", html.escape(cert.subject))
                .replace("%5", html.escape(cert.issuer))
                .replace("%6", cert.not_after)
            )
        self.completeChanged.emit()

    def _warn_downgrade(self, result: PortResult) -> None:
        self.downgrade.setText(
            self.tr(
                "<b>Warning: possible downgrade attack on port %1.</b> Encryption was expected "
                "there, but the server (or something between you and it) no longer offers it. "
                "Nothing more is done on this port, and your password is never sent over it. "
                "If you are on a public network, try another one and tell your IT department."
            ).replace("%1", str(result.port))
        )
        self.downgrade.setVisible(True)
        self.state.log.append(f"port {result.port}: STARTTLS missing where expected (downgrade?)")

    def _use_ca_file(self, path: str) -> None:
        """A CA file chosen in the certificate box: checked as on the first page, then the
        relay is tested again with it."""
        trouble = ca_file_problem(path)
        if trouble:
            self.verdict.setText(html.escape(words.say(trouble)))
            return
        state = self.state
        state.ca_file, state.pin_sha256 = path, state.prefill.pin_sha256
        self.relay_wizard.start_page.ca_file.setText(path)  # Back shows it too
        state.log.append("CA file chosen on the probe page")
        self.start_probe()

    def _accept_pin(self) -> None:
        item = self.table.currentItem()
        result: PortResult | None = item.data(0, _RESULT) if item else None
        if not self.pin_confirm.isChecked() or result is None or result.certificate is None:
            return
        # Probe again with the pin: the core then checks it is still this very certificate.
        self.state.pin_sha256 = result.certificate.sha256
        self.state.log.append(f"pinned certificate {result.certificate.sha256}")
        self.start_probe()

    def isComplete(self) -> bool:
        return self._token is None and self.state.chosen is not None
