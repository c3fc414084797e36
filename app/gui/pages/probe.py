"""Probe: every port at once, each row as its result arrives; the recommended port preselected;
a certificate accepted only after its fingerprint is shown and confirmed; a missing STARTTLS
where it was expected shown as a possible downgrade."""

from __future__ import annotations

import html
import math
from dataclasses import replace

from PySide6.QtCore import QLocale, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core.cafile import ca_file_problem
from ...core.deadline import CancelToken
from ...core.explain import network_advice_text
from ...core.org.profiles import Profile, bind_report
from ...core.probe.port import ProbeOptions
from ...core.probe.relay import probe_relay
from ...core.probe.settle import settled
from ...core.results import (
    PortResult,
    PortSpec,
    PortStatus,
    ProbeReport,
    Recommendation,
    TlsMode,
    Verdict,
)
from ...core.setup.setting import held_to
from .. import words
from ..certificate_text import grouped_fingerprint, local_date
from ..diagnostics import port_details
from ..port_table import PortTable, result_in
from ..tasks import Outcome, post
from .base import WorkPage, choose_ca_file, message_label


class _Rows(QObject):
    # Emitted from the probe's thread; queued to the GUI thread, where this object lives.
    arrived = Signal(object)


class ProbePage(WorkPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(self.tr("Testing the relay from this network"))
        self._generation = 0
        self._asked: tuple[PortSpec, ...] = ()
        self._arrived: dict[int, PortResult] = {}
        self._settled: Recommendation | None = None
        self._rows = _Rows(self)
        self._rows.arrived.connect(self._on_row)

        self.table = PortTable()
        self.table.currentItemChanged.connect(self._on_select)
        self.spinner = QProgressBar()
        self.spinner.setObjectName("busy")
        self.spinner.setAccessibleName(self.tr("Testing in progress"))
        self.spinner.setRange(0, 0)  # "busy", no percentage: ports answer in any order
        self.spinner.setTextVisible(False)
        self.spinner.setMaximumHeight(8)
        self._keep_place(self.spinner)
        self.verdict = message_label("verdict")
        self.verdict.setAccessibleName(self.tr("Result of the test"))
        self.downgrade = message_label("downgrade")
        self.downgrade.setAccessibleName(self.tr("Downgrade warning"))
        self.downgrade.setStyleSheet(
            "QLabel { background: #fff3cd; border: 1px solid #e0a000; padding: 6px; }"
        )
        self.again = QPushButton(self.tr("Test &again"))
        self.again.setObjectName("again")
        self.again.setAccessibleName(self.tr("Test again"))
        self.again.clicked.connect(self.start_probe)
        self.show_details = QPushButton(self.tr("&Details"))
        self.show_details.setObjectName("show_details")
        self.show_details.setAccessibleName(self.tr("Details"))
        self.show_details.setCheckable(True)
        self.details = QPlainTextEdit()
        self.details.setObjectName("details")
        self.details.setAccessibleName(self.tr("Details of the selected port"))
        self.details.setReadOnly(True)
        self.details.setMinimumHeight(self.fontMetrics().lineSpacing() * 10)
        self.details.setVisible(False)
        self.show_details.toggled.connect(self.details.setVisible)

        self.pin_box = QGroupBox(self.tr("Certificate not verified"))
        self.pin_box.setObjectName("pin_box")
        self.pin_box.setAccessibleName(self.tr("Certificate not verified"))
        self.pin_text = message_label("pin_text")
        self.pin_text.setAccessibleName(self.tr("The certificate and its fingerprint"))
        self.pin_confirm = QCheckBox(self.tr("I have &compared the fingerprint"))
        self.pin_confirm.setObjectName("pin_confirm")
        self.pin_confirm.setAccessibleName(
            self.tr("I have compared this fingerprint with the one my IT department gave me")
        )
        self.pin_accept = QPushButton(self.tr("&Trust this certificate"))
        self.pin_accept.setObjectName("pin_accept")
        self.pin_accept.setAccessibleName(self.tr("Trust this certificate"))
        self.pin_accept.setEnabled(False)
        self.pin_confirm.toggled.connect(self.pin_accept.setEnabled)
        self.pin_accept.clicked.connect(self._accept_pin)
        pin_layout = QVBoxLayout(self.pin_box)
        pin_layout.addWidget(self.pin_text)
        pin_layout.addWidget(self.pin_confirm)
        self.choose_ca = QPushButton(self.tr("C&hoose CA file…"))
        self.choose_ca.setObjectName("choose_ca")
        self.choose_ca.setAccessibleName(self.tr("Choose CA file"))
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
        self.content = QWidget()
        self.content.setObjectName("probe_content")
        layout = QVBoxLayout(self.content)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.spinner)
        layout.addWidget(self.table)
        layout.addWidget(self.verdict)
        layout.addWidget(self.downgrade)
        layout.addLayout(buttons)
        layout.addWidget(self.details)
        # Last: when the certificate box appears, nothing above it moves.
        layout.addWidget(self.pin_box)
        layout.addStretch(1)
        # A small window scrolls the page up and down, never sideways.
        self.scroll_area = QScrollArea()
        self.scroll_area.setObjectName("probe_scroll")
        self.scroll_area.setAccessibleName(self.tr("Test results"))
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area.setWidget(self.content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.scroll_area)

    @staticmethod
    def _keep_place(widget: QWidget) -> None:
        """Hidden, it still takes its room: what is below does not move."""
        policy = widget.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        widget.setSizePolicy(policy)

    # -- the probe ------------------------------------------------------------------------------
    def initializePage(self) -> None:
        self.start_probe()

    def show_stopping(self) -> None:
        self.verdict.setText(self.tr("Stopping…"))

    def validatePage(self) -> bool:
        """Next once the recommendation is settled: the ports still being tried are not needed
        any more; stop them (their rows then read "cancelled")."""
        if self._token is not None:
            self._token.cancel()
            self._token = None  # over for the user: Cancel on the next page closes at once
            waiting = ", ".join(self._still_waiting())
            self.state.log.append(f"probe: went on without waiting for {waiting}")
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
        self._asked, self._arrived, self._settled = ports, {}, None
        self.table.start(ports, math.ceil(self.config.deadline))
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
            resolver=self.config.address_resolver(),
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
        self._arrived[result.port] = result
        item = self.table.fill(result)
        if item is self.table.currentItem():
            self._on_select(item)  # the selected row was waiting: show what came
        if result.status is PortStatus.STARTTLS_MISSING:
            self._warn_downgrade(result)
        if self._token is not None and self._settled is None:
            self._try_to_settle()

    def _try_to_settle(self) -> None:
        """Next as soon as no port still being tried could give a better recommendation."""
        profile: Profile | None = self.state.prefill.profile
        found = settled(self._arrived, self._asked, auth=profile.auth if profile else None)
        if found is None:
            return
        self._settled = found
        current = result_in(self.table.currentItem())
        row = self.table.item_for(found.port)
        if row is not None and (current is None or not current.usable_for_login):
            self.table.setCurrentItem(row)
        waiting = self._still_waiting()
        if waiting:
            self.verdict.setText(
                self.tr(
                    "Port %1 works: you can go on now. Still trying port %2; it could not "
                    "give a better choice."
                )
                .replace("%1", str(found.port))
                .replace("%2", ", ".join(waiting))
            )
        self.completeChanged.emit()

    def _still_waiting(self) -> list[str]:
        return [str(p.port) for p in self._asked if p.port not in self._arrived]

    def _on_report(self, generation: int, outcome: Outcome) -> None:
        if generation != self._generation:
            return
        self._token = None
        self.spinner.setVisible(False)
        self.again.setEnabled(True)
        if not outcome.ok:
            self.verdict.setText(self.tr("The test failed: %1").replace("%1", str(outcome.error)))
            self.setSubTitle(self.tr("The test of %1 failed.").replace("%1", self.state.host))
            self.completeChanged.emit()
            return
        report: ProbeReport = outcome.value
        self.state.report = report
        for result in report.ports:  # rows the stream may not have delivered yet
            self._on_row((generation, result))
        self.setSubTitle(self._subtitle_after(report))
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
        verdict = (
            self.tr("Recommended: %1.").replace("%1", meaning)
            if report.recommended
            else meaning[:1].upper() + meaning[1:] + "."
        )
        if report.network.blocked or report.network.intercepted:
            # What this network does to mail, before the rows say it port by port.
            advice = words.say(network_advice_text(report))
            verdict = f"{advice[:1].upper()}{advice[1:]}\n{verdict}"
        self.verdict.setText(verdict)
        self.state.log.append(f"probe: {report.verdict.value}")
        current = self.table.currentItem()
        kept = result_in(current)
        if kept is not None and kept.usable_for_login:
            self._on_select(current)  # chosen while the probe ran: it stays chosen
        else:
            self._select_preferred(report)
        self.completeChanged.emit()

    def _select_preferred(self, report: ProbeReport) -> None:
        preferred = report.recommended.port if report.recommended else None
        if preferred is None:  # nothing usable: show the certificate to pin, if any
            preferred = next(
                (r.port for r in report.ports if r.status is PortStatus.CERTIFICATE), None
            )
        item = self.table.item_for(preferred) if preferred is not None else None
        item = item or self.table.topLevelItem(0)
        if item is not None:
            self.table.setCurrentItem(item)

    def _subtitle_after(self, report: ProbeReport) -> str:
        """What the probe found, in a line, once it has ended."""
        host = report.host
        seconds = QLocale().toString(report.elapsed_ms / 1000, "f", 1)
        if report.ports and all(r.status is PortStatus.DNS_FAILED for r in report.ports):
            return self.tr("There is no server named %1.").replace("%1", host)
        if report.recommended is not None:
            return (
                self.tr("Tested %1 in %2 s: port %3 works, with encryption.")
                .replace("%1", host)
                .replace("%2", seconds)
                .replace("%3", str(report.recommended.port))
            )
        if report.verdict is Verdict.CANCELLED:
            return self.tr("The test of %1 was stopped.").replace("%1", host)
        return (
            self.tr("Tested %1 in %2 s: no port can be used safely.")
            .replace("%1", host)
            .replace("%2", seconds)
        )

    # -- rows -----------------------------------------------------------------------------------
    def result_of(self, port: int) -> PortResult | None:
        return self.table.result_of(port)

    def _on_select(self, item: QTreeWidgetItem | None, _previous: object = None) -> None:
        result = result_in(item)
        self.details.setPlainText(
            "\n".join(
                port_details(result, words.tr, status=self.table.status_text, when=local_date)
            )
            if result
            else ""
        )
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
            # Groups of four bytes with spaces between: a narrow window wraps between groups.
            fingerprint = " ".join(grouped_fingerprint(cert.sha256))
            self.pin_text.setText(
                self.tr(
                    "The certificate of port %1 cannot be verified: %2.<br>"
                    "Accept it only if its SHA-256 fingerprint is exactly the one your IT "
                    "department gave you:<br><tt><b>%3</b></tt><br>Subject: %4<br>Issuer: %5"
                    "<br>Valid until: %6"
                )
                .replace("%1", str(result.port))
                .replace("%2", html.escape(words.port_meaning(result)))
                .replace("%3", fingerprint)
                .replace("%4", html.escape(cert.subject))
                .replace("%5", html.escape(cert.issuer))
                .replace("%6", html.escape(local_date(cert.not_after)))
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
        result = result_in(self.table.currentItem())
        if not self.pin_confirm.isChecked() or result is None or result.certificate is None:
            return
        # Probe again with the pin: the core then checks it is still this very certificate.
        self.state.pin_sha256 = result.certificate.sha256
        self.state.log.append(f"pinned certificate {result.certificate.sha256}")
        self.start_probe()

    def isComplete(self) -> bool:
        done = self._token is None or self._settled is not None
        return done and self.state.chosen is not None
