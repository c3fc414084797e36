"""Finding your relay: every source (profile, drop-in, DNS SRV, autoconfig, MX, guesses) shown as
it answers, each candidate host's ports as they are probed, then the chosen relay. A host that
only an unauthenticated source named, outside the address's domain, is used only once the user
confirms it (RFC 6186 section 6): nothing goes further until then."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
)

from ...core.cafile import check_ca_file
from ...core.deadline import CancelToken
from ...core.discover.model import Origin, SourceOutcome
from ...core.results import PortResult, PortSpec, PortStatus, TlsMode, Verdict
from .. import words
from ..icons import icon, status_icon_name
from ..tasks import Outcome, post
from .base import WorkPage, choose_ca_file, message_label

if TYPE_CHECKING:
    from ...core.discover.report import DiscoveryReport, HostResult


class _Lines(QObject):
    # Emitted from the search's threads; queued to the GUI thread, where this object lives.
    source = Signal(int, object)  # (generation, SourceOutcome)
    port = Signal(int, str, object)  # (generation, host, PortResult)


class DiscoverPage(WorkPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(self.tr("Finding your relay"))
        self._generation = 0
        self.report: DiscoveryReport | None = None
        # Each candidate host's line in `answers`, and its ports' results so far.
        self._hosts: dict[str, tuple[QListWidgetItem, dict[int, PortResult]]] = {}
        # What each source named, each line waiting for its host's probe to say how it went.
        self._named: list[tuple[QListWidgetItem, str]] = []
        self._lines = _Lines(self)
        self._lines.source.connect(self._on_source)
        self._lines.port.connect(self._on_port)

        self.answers = QListWidget()
        self.answers.setObjectName("answers")
        self.answers.setAccessibleName(self.tr("What each source answered"))
        self.answers.setWordWrap(True)
        self.spinner = QProgressBar()
        self.spinner.setObjectName("busy")
        self.spinner.setRange(0, 0)
        self.spinner.setTextVisible(False)
        self.spinner.setMaximumHeight(8)
        self.spinner.setAccessibleName(self.tr("Searching"))
        self.result = message_label("discovered")

        self.confirm_box = QGroupBox(self.tr("Confirm your relay"))
        self.confirm_box.setObjectName("confirm_box")
        self.confirm_text = message_label("confirm_text")
        self.confirm = QCheckBox()
        self.confirm.setObjectName("confirm_host")
        self.confirm.toggled.connect(self._confirmed)
        confirm_layout = QVBoxLayout(self.confirm_box)
        confirm_layout.addWidget(self.confirm_text)
        confirm_layout.addWidget(self.confirm)
        self.confirm_box.setVisible(False)

        self.again = QPushButton(self.tr("Search &again"))
        self.again.setObjectName("search_again")
        self.again.clicked.connect(self.start_search)
        self.enter_host = QPushButton(self.tr("I &know my relay's name"))
        self.enter_host.setObjectName("enter_host")
        self.enter_host.setToolTip(self.tr("Go back and type the relay's name yourself"))
        self.enter_host.clicked.connect(self._enter_host)
        self.choose_ca = QPushButton(self.tr("C&hoose CA file…"))
        self.choose_ca.setObjectName("choose_ca")
        self.choose_ca.setToolTip(
            self.tr("The organisation's CA certificate, if your IT department gave you one")
        )
        self.choose_ca.clicked.connect(lambda: choose_ca_file(self, self._use_ca_file))
        # Two short rows, not one long one: in German the three buttons need more than 600 px.
        buttons = QHBoxLayout()
        buttons.addWidget(self.again)
        buttons.addWidget(self.choose_ca)
        buttons.addStretch(1)
        own_name = QHBoxLayout()
        own_name.addWidget(self.enter_host)
        own_name.addStretch(1)

        layout = QVBoxLayout(self)
        layout.addWidget(self.spinner)
        layout.addWidget(self.answers, 1)
        layout.addWidget(self.result)
        layout.addWidget(self.confirm_box)
        layout.addLayout(buttons)
        layout.addLayout(own_name)

    # -- the search -----------------------------------------------------------------------------
    def initializePage(self) -> None:
        self.start_search()

    def show_stopping(self) -> None:
        self.result.setText(self.tr("Stopping…"))

    def start_search(self) -> None:
        self.cancel_work()
        state = self.state
        email = state.email
        domain = email.rpartition("@")[2]
        self.setSubTitle(
            self.tr("Asking where the mail relay of %1 is, and testing each answer.").replace(
                "%1", domain
            )
        )
        self._generation += 1
        generation = self._generation
        token = self._token = CancelToken()
        self.report = None
        self.answers.clear()
        self._hosts.clear()
        self._named.clear()
        self.result.setText(self.tr("Waiting for the answers…"))
        self.confirm_box.setVisible(False)
        self.confirm.setChecked(False)
        self.spinner.setVisible(True)
        self.again.setEnabled(False)
        self.enter_host.setVisible(False)
        self.choose_ca.setVisible(False)
        self.completeChanged.emit()
        config, ca_file, profile = self.config, state.ca_file, state.prefill.profile
        lines = self._lines

        def work() -> DiscoveryReport:
            # DNS, HTTP and the public suffix list load here, on the first search, off the GUI
            # thread.
            from ...core.discover.search import DiscoverOptions, discover

            options = DiscoverOptions(
                timeout=config.timeout,
                deadline=config.deadline,
                nameserver=config.nameserver,
                ca_file=ca_file,
                profile=profile,
            )
            return discover(
                email,
                options,
                on_source=lambda outcome: post(lines.source, generation, outcome),
                on_port=lambda host, result: post(lines.port, generation, host, result),
                cancel=token,
            )

        self.runner.run_task(work, lambda outcome: self._on_report(generation, outcome))

    # -- lines as they arrive -------------------------------------------------------------------
    def source_name(self, origin: Origin) -> str:
        return {
            Origin.PROFILE: self.tr("Your organisation's profile"),
            Origin.DROP_IN: self.tr("Settings from IT on this computer"),
            Origin.AUTOCONFIG: self.tr("autoconfig"),
            Origin.SRV: self.tr("DNS SRV"),
            Origin.AUTOCONFIG_HTTP: self.tr("autoconfig over plain http (not trusted)"),
            Origin.MX: self.tr("MX record"),
            Origin.GUESS: self.tr("a guess"),
        }[origin]

    def _on_source(self, generation: int, outcome: SourceOutcome) -> None:
        if generation != self._generation:
            return  # a search the user has already left behind
        for candidate in outcome.candidates:
            text = (
                self.tr("%1: %2, port %3").replace("%3", str(candidate.port))
                if candidate.port
                else self.tr("%1: %2")
            )
            name = self.source_name(candidate.origin)
            named = self._add(text.replace("%1", name).replace("%2", candidate.host), "pending")
            self._named.append((named, candidate.host))
        for failure in outcome.failures:
            # A DNS name asked (_submissions._tcp.D) tells two answers of one source apart; a
            # URL is too long for a line, and its host is in the reason already.
            asked = failure.asked
            if failure.reason == "not found":  # the drop-in file: nothing more to say
                text = self.tr("%1: %2 not found")
            elif "://" in asked or asked in failure.reason:
                text = self.tr("%1: not found (%3)")
            else:
                text = self.tr("%1: %2 not found (%3)")
            self._add(
                text.replace("%1", self.source_name(failure.origin))
                .replace("%2", asked)
                .replace("%3", words.say(failure.why)),
                "blocked",
            )

    def _on_port(self, generation: int, host: str, result: PortResult) -> None:
        """One line per candidate host, its ports in order, updated as each answers."""
        if generation != self._generation or result.status is PortStatus.CANCELLED:
            return  # a port the search stopped waiting for says nothing about the relay
        item, ports = self._hosts.get(host) or (self._add("", "pending"), {})
        self._hosts[host] = (item, ports)
        ports[result.port] = result
        results = [ports[port] for port in sorted(ports)]
        if all(r.status is PortStatus.DNS_FAILED for r in results):
            item.setText(self.tr("%1: no such name").replace("%1", host))
            item.setIcon(icon("error"))
            return
        said = []
        for r in results:
            status = words.status_label(r.status)
            if r.status is PortStatus.OK:
                status = f"{status} ({words.tls_label(r.tls)})"
            said.append(self.tr("port %1 %2").replace("%1", str(r.port)).replace("%2", status))
        item.setText(self.tr("%1: %2").replace("%1", host).replace("%2", "; ".join(said)))
        best = next((r for r in results if r.usable_for_login), results[0])
        item.setIcon(icon(status_icon_name(best)))

    def _add(self, text: str, icon_name: str) -> QListWidgetItem:
        item = QListWidgetItem(icon(icon_name), text)
        self.answers.addItem(item)
        self.answers.scrollToItem(item)
        return item

    # -- the answer -----------------------------------------------------------------------------
    def _on_report(self, generation: int, outcome: Outcome) -> None:
        if generation != self._generation:
            return
        self._token = None
        self.spinner.setVisible(False)
        self.again.setEnabled(True)
        for named, name in self._named:  # no clock left once the search is over
            probed = self._hosts.get(name)
            named.setIcon(probed[0].icon() if probed is not None else icon("blocked"))
        if not outcome.ok:
            self.result.setText(
                self.tr("The search failed: %1").replace("%1", html.escape(str(outcome.error)))
            )
            self.enter_host.setVisible(True)
            self.completeChanged.emit()
            return
        report: DiscoveryReport = outcome.value
        self.report = report
        chosen = report.chosen
        self.state.log.append(
            f"discovery: {report.verdict.value}"
            + (f", {chosen.host} port {chosen.port} from {chosen.origin.value}" if chosen else "")
        )
        if chosen is None and report.verdict is Verdict.CANCELLED:
            self.result.setText(
                self.tr("Stopped. Search again, or give the relay's name yourself.")
            )
            self.enter_host.setVisible(True)
            self.completeChanged.emit()
            return
        if chosen is None:
            self.result.setText(self._nothing_found(report))
            self.enter_host.setVisible(True)
            self.choose_ca.setVisible(
                self._unknown_certificate(report) and "ca_file" not in self.state.prefill.locked
            )
            self.completeChanged.emit()
            return
        host = self._host_result(report, chosen.host)
        source = self.source_name(chosen.origin)
        text = (
            self.tr("Your relay: <b>%1</b>, port %2 (%3), found through %4.")
            .replace("%1", html.escape(chosen.host))
            .replace("%2", str(chosen.port))
            .replace("%3", words.tls_label(chosen.tls))
            .replace("%4", html.escape(source))
        )
        if host is not None and host.disagreements:
            notes = "<br>".join(html.escape(words.say(d)) for d in host.disagreements)
            text += "<br>" + self.tr("Note: %1").replace("%1", notes)
        self.result.setText(text)
        if report.needs_confirmation:
            self.confirm_text.setText(
                self.tr(
                    "Your relay appears to be <b>%1</b>, found only through %2, which anyone "
                    "between you and the internet could have forged; it is not a name of %3. "
                    "Use it only if your IT department says this is your relay. Use it?"
                )
                .replace("%1", html.escape(chosen.host))
                .replace("%2", html.escape(self._only_through(chosen.origin)))
                .replace("%3", html.escape(report.domain))
            )
            self.confirm.setText(self.tr("&Yes, %1 is my relay").replace("%1", chosen.host))
            self.confirm.setAccessibleName(self.tr("Yes, this is my relay"))
            self.confirm_box.setVisible(True)
            self.enter_host.setVisible(True)
        self.completeChanged.emit()

    def _only_through(self, origin: Origin) -> str:
        return {
            Origin.SRV: self.tr("DNS SRV records without DNSSEC"),
            Origin.AUTOCONFIG_HTTP: self.tr("autoconfig over plain http"),
            Origin.MX: self.tr("the domain's MX record"),
            Origin.GUESS: self.tr("a guess"),
        }.get(origin, self.source_name(origin))

    @staticmethod
    def _unknown_certificate(report: DiscoveryReport) -> bool:
        """A candidate answered with TLS, but its certificate did not verify (a private CA?)."""
        return any(
            r.status is PortStatus.CERTIFICATE
            for host in report.hosts
            if host.probe is not None
            for r in host.probe.ports
        )

    def _nothing_found(self, report: DiscoveryReport) -> str:
        if self._unknown_certificate(report):
            return self.tr(
                "A relay for %1 answered, but its certificate cannot be verified. If your IT "
                "department gave you the organisation's CA file, choose it; or give the "
                "relay's name yourself."
            ).replace("%1", html.escape(report.domain))
        answered = any(
            r.reachable for host in report.hosts if host.probe is not None for r in host.probe.ports
        )
        if answered:
            return self.tr(
                "A server for %1 answered, but none offered encryption and a password login "
                "from this network. If you know your relay's name, give it yourself."
            ).replace("%1", html.escape(report.domain))
        return self.tr(
            "Found no relay for %1: no DNS record or autoconfig names one, and none of the "
            "usual names answers. Check the address for a typo, or, if you know your "
            "relay's name, give it yourself."
        ).replace("%1", html.escape(report.domain))

    @staticmethod
    def _host_result(report: DiscoveryReport, host: str) -> HostResult | None:
        return next((h for h in report.hosts if h.host == host), None)

    def _use_ca_file(self, path: str) -> None:
        """A CA file chosen here: checked as on the first page, then the search runs again."""
        trouble = check_ca_file(path)
        if trouble:
            self.result.setText(html.escape(trouble))
            return
        state = self.state
        state.ca_file, state.pin_sha256 = path, state.prefill.pin_sha256
        self.relay_wizard.start_page.ca_file.setText(path)  # Back shows it too
        state.log.append("CA file chosen on the discovery page")
        self.start_search()

    def _confirmed(self, _checked: bool) -> None:
        self.completeChanged.emit()

    def _enter_host(self) -> None:
        """Back to the first page with "I know my relay's name" ticked."""
        self.cancel_work()
        wizard = self.relay_wizard
        wizard.back()
        start = wizard.start_page
        start.know_host.setChecked(True)
        start.host.setFocus()

    def isComplete(self) -> bool:
        report = self.report
        if self._token is not None or report is None or report.chosen is None:
            return False
        return not report.needs_confirmation or self.confirm.isChecked()

    def validatePage(self) -> bool:
        report = self.report
        if report is None or report.chosen is None or not self.isComplete():
            return False
        chosen, state = report.chosen, self.state
        if chosen.host != state.host:
            state.report = None  # what was seen before was another relay's
        state.host = chosen.host
        state.ports = self.ports_of(report)
        state.pin_sha256 = chosen.pinned_sha256 or state.prefill.pin_sha256
        if report.needs_confirmation:
            state.log.append(f"relay {chosen.host} confirmed by the user")
        return True

    @staticmethod
    def ports_of(report: DiscoveryReport) -> tuple[PortSpec, ...]:
        """The ports the probe page tries: the chosen one first, then the others of that host
        that took a password over TLS; each must speak TLS again (it did here)."""
        chosen = report.chosen
        assert chosen is not None
        found: list[Any] = [(chosen.port, chosen.tls)]
        probe = report.chosen_probe
        if probe is not None:
            found += [(r.port, r.tls) for r in probe.ports if r.usable_for_login]
        specs: dict[int, PortSpec] = {}
        for port, tls in found:
            specs.setdefault(
                port, PortSpec(port, implicit=tls is TlsMode.IMPLICIT, require_tls=True)
            )
        return tuple(specs.values())
