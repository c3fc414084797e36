"""From an email address to a relay proven live: every source started at once under one
deadline, every candidate host probed the moment it is named, and the best secure port of the
most trusted source that works recommended.

Sources, most trusted first (`Origin.rank`): the organisation's profile and IT's drop-in file,
Mozilla autoconfig over https, DNS SRV (RFC 6186 / RFC 8314), autoconfig over plain http, MX,
and the guesses smtp./mail./DOMAIN. No AUTH is ever sent here: the probe reads capabilities.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from .. import values
from ..deadline import CancelToken, Deadline
from ..explain import VERDICT_TEXT, explain_report
from ..org.profiles import Profile, bind_report
from ..probe.connection import AddressResolver
from ..probe.port import ProbeOptions, probe_port
from ..probe.relay import DEFAULT_PORTS, report_for, verdict_for
from ..probe.tcp import ConnectPace
from ..results import PortResult, PortSpec, PortStatus, ProbeReport, TlsMode, Verdict
from ..text import QT_TRANSLATE_NOOP, Text
from .guesses import guess_outcome
from .model import Candidate, Origin, SourceFailure, SourceOutcome, as_text
from .report import SOURCE_NAMES, Choice, DiscoveryReport, HostResult, disagreements, in_domain

if TYPE_CHECKING:
    from .dns import Nameserver

# After the deadline fires, probes and sources get this long to report what they had.
_GRACE = 0.5
_NOT_WAITED = QT_TRANSLATE_NOOP(
    "discover", "not waited for: a relay from a more trusted source was proven first"
)


@dataclass(frozen=True)
class DiscoverOptions:
    nameserver: Nameserver | None = None  # --resolver: every lookup goes there; None: the system's
    ca_file: str | None = None  # the organisation's private CA (PEM), for autoconfig and probes
    timeout: float = 5.0  # each connect / read / DNS query
    deadline: float = 20.0  # the whole discovery, sources and probes together
    profile: Profile | None = None
    dropin_folder: Path | None = None  # None: the platform's (/etc/relay-setup/autoconfig)
    ports: tuple[PortSpec, ...] = DEFAULT_PORTS  # tried on hosts whose source names no port
    accept_hosts: tuple[str, ...] = ()  # hosts the user confirmed (--accept-host)


@dataclass(frozen=True)
class _Source:
    origins: tuple[Origin, ...]  # what it can name (autoconfig: https and plain http)
    asked: str  # for a failure when it does not answer in time
    run: Callable[[], SourceOutcome]


@dataclass(frozen=True)
class _SourceDone:
    source: _Source
    outcome: SourceOutcome


@dataclass(frozen=True)
class _PortDone:
    host: str
    result: PortResult


def discover(
    email: str,
    options: DiscoverOptions | None = None,
    *,
    on_source: Callable[[SourceOutcome], None] | None = None,
    on_port: Callable[[str, PortResult], None] | None = None,
    cancel: CancelToken | None = None,
) -> DiscoveryReport:
    """Find and prove the relay for `email`. `on_source` and `on_port` are called in the calling
    thread, each the moment a source answers or a candidate's port is probed (the GUI marshals
    them to its own thread). Raises values.InvalidValue (a ValueError) for an address that is
    not name@domain, and org.profiles.InvalidEmail (a ValueError) for one outside the profile's
    domains; never raises for what the network does."""
    opts = options or DiscoverOptions()
    email = values.address(email, "email address")
    if opts.profile is not None:
        email = opts.profile.identity(email).email
    return _Search(email, opts, on_source, on_port).run(cancel)


class _Search:
    def __init__(
        self,
        email: str,
        opts: DiscoverOptions,
        on_source: Callable[[SourceOutcome], None] | None,
        on_port: Callable[[str, PortResult], None] | None,
    ) -> None:
        self.email = email
        self.domain = email.rpartition("@")[2]
        self.opts = opts
        self.on_source = on_source
        self.on_port = on_port
        self.started = time.monotonic()
        self.deadline = Deadline(opts.deadline)
        self.events: queue.Queue[_SourceDone | _PortDone] = queue.Queue()
        self.pending: list[_Source] = []
        self.failures: list[SourceFailure] = []
        self.candidates: dict[str, list[Candidate]] = {}  # by host, in the order first named
        self.specs: dict[str, dict[int, PortSpec]] = {}
        self.results: dict[str, dict[int, PortResult]] = {}
        self.paces: dict[str, ConnectPace] = {}
        profile = opts.profile
        self.profile_host = profile.host if profile is not None and profile.host else None
        self.resolver: AddressResolver | None = None

    # -- the sources ------------------------------------------------------------------------

    def _sources(self) -> list[_Source]:
        from .autoconfig_fetch import autoconfig_outcome
        from .dns import DnsClient
        from .dropin import dropin_outcome
        from .mx import mx_outcome
        from .srv import srv_outcome

        dns = DnsClient(self.opts.nameserver)
        if self.opts.nameserver is not None:
            self.resolver = dns  # candidates' addresses from the same server, like dig @server
        domain, email, deadline, opts = self.domain, self.email, self.deadline, self.opts
        profile = [_Source((Origin.PROFILE,), "the profile", self._profile_outcome)]
        return [
            *(profile if self.profile_host else []),
            _Source(
                (Origin.DROP_IN,),
                f"{domain}.xml",
                lambda: dropin_outcome(email, folder=opts.dropin_folder),
            ),
            _Source(
                (Origin.AUTOCONFIG, Origin.AUTOCONFIG_HTTP),
                f"autoconfig.{domain}",
                lambda: autoconfig_outcome(
                    email, dns, deadline, ca_file=opts.ca_file, timeout=opts.timeout
                ),
            ),
            _Source(
                (Origin.SRV,),
                f"_submissions._tcp.{domain}",
                lambda: srv_outcome(domain, dns, deadline),
            ),
            _Source((Origin.MX,), domain, lambda: mx_outcome(domain, dns, deadline)),
            _Source((Origin.GUESS,), domain, lambda: guess_outcome(domain)),
        ]

    def _profile_outcome(self) -> SourceOutcome:
        profile = self.opts.profile
        assert profile is not None and self.profile_host is not None
        return SourceOutcome(
            Origin.PROFILE,
            tuple(
                Candidate(
                    self.profile_host,
                    Origin.PROFILE,
                    port=spec.port,
                    tls=TlsMode.IMPLICIT if spec.implicit else TlsMode.STARTTLS,
                    authenticated=True,
                    detail=profile.source,
                    order=i,
                )
                for i, spec in enumerate(profile.ports)
            ),
        )

    def _run_source(self, source: _Source) -> None:
        started = time.monotonic()
        try:
            outcome = source.run()
        except Exception as exc:  # a source's bug is that source's failure, never the search's
            reason = Text("", f"{type(exc).__name__}: {exc}")
            outcome = SourceOutcome(
                source.origins[0],
                failures=(SourceFailure(source.origins[0], source.asked, reason),),
            )
        if not outcome.elapsed_ms:
            outcome = replace(outcome, elapsed_ms=int((time.monotonic() - started) * 1000))
        self.events.put(_SourceDone(source, outcome))

    # -- the probes -------------------------------------------------------------------------

    def _bound(self, host: str) -> bool:
        """The profile's security settings bind this host: the host it names, or every host
        when it names none (ports, pin, forced mechanism)."""
        return self.opts.profile is not None and self.profile_host in (None, host)

    def _wanted(self, candidate: Candidate) -> tuple[PortSpec, ...]:
        profile = self.opts.profile
        if profile is not None and self._bound(candidate.host):
            return profile.ports  # the only ports tried, each with TLS required
        if candidate.port is None:
            return self.opts.ports
        # The usual ports too: "autoconfig says 587, but 587 is closed; 465 works".
        if candidate.tls is None:
            return (PortSpec.default(candidate.port), *self.opts.ports)
        named = PortSpec(candidate.port, implicit=candidate.tls is TlsMode.IMPLICIT)
        return (named, *self.opts.ports)

    def _add(self, candidate: Candidate) -> None:
        host = candidate.host
        self.candidates.setdefault(host, []).append(candidate)
        specs = self.specs.setdefault(host, {})
        self.results.setdefault(host, {})
        self.paces.setdefault(host, ConnectPace())
        for spec in self._wanted(candidate):
            if spec.port in specs:
                continue
            specs[spec.port] = spec
            threading.Thread(
                target=self._probe, args=(host, spec), daemon=True, name=f"discover-{host}-{spec}"
            ).start()

    def _probe_options(self, host: str) -> ProbeOptions:
        profile = self.opts.profile
        pin = profile.pin_sha256 if profile is not None and self._bound(host) else None
        return ProbeOptions(
            timeout=self.opts.timeout,
            deadline=self.opts.deadline,
            ca_file=self.opts.ca_file,
            pin_sha256=pin,
            resolver=self.resolver,
        )

    def _probe(self, host: str, spec: PortSpec) -> None:
        try:
            pace = self.paces[host]  # its answering ports tell how long a dropped one may keep us
            result = probe_port(spec, host, self._probe_options(host), self.deadline, pace=pace)
        except Exception as exc:  # never a thread's traceback, never a wait for the deadline
            result = PortResult(spec.port, PortStatus.ERROR, detail=f"{type(exc).__name__}: {exc}")
        self.events.put(_PortDone(host, result))

    def _report(self, host: str, missing: PortResult | None = None) -> ProbeReport:
        """The host's probe so far; ports without a result yet get `missing` (or are left out)."""
        done = self.results[host]
        ports = tuple(
            done.get(port, replace(missing, port=port)) if missing else done[port]
            for port in self.specs[host]
            if port in done or missing
        )
        elapsed_ms = int((time.monotonic() - self.started) * 1000)
        report = report_for(host, ports, self._probe_options(host), elapsed_ms)
        if self.opts.profile is not None and self._bound(host):
            report = bind_report(self.opts.profile, report)
        return report

    # -- the choice -------------------------------------------------------------------------

    def _rank(self, host: str) -> tuple[int, int]:
        best = min(self.candidates[host], key=lambda c: (c.origin.rank, c.order))
        return best.origin.rank, best.order

    def _ranked_hosts(self) -> list[str]:
        order = list(self.candidates)
        return sorted(order, key=lambda h: (*self._rank(h), order.index(h)))

    def _settled(self) -> bool:
        """The best host that can still turn up is known, fully probed, and works."""
        pending_rank = min((o.rank for s in self.pending for o in s.origins), default=99)
        for host in self._ranked_hosts():
            if self._rank(host)[0] >= pending_rank:
                return False  # a more trusted source may still name a better host
            if len(self.results[host]) < len(self.specs[host]):
                return False
            if self._report(host).recommended is not None:
                return True
        return False

    def run(self, cancel: CancelToken | None) -> DiscoveryReport:
        if cancel is not None:
            cancel.bind(self.deadline)
        self.pending = self._sources()
        for source in self.pending:
            threading.Thread(target=self._run_source, args=(source,), daemon=True).start()
        hard_stop = self.started + self.opts.deadline + _GRACE
        cancel_stop = float("inf")
        settled = False
        try:
            while self.pending or any(
                len(self.results[h]) < len(self.specs[h]) for h in self.specs
            ):
                settled = self._settled()
                if settled:
                    break
                now = time.monotonic()
                if self.deadline.fired == "cancelled" and cancel_stop == float("inf"):
                    cancel_stop = now + _GRACE
                stop = min(hard_stop, cancel_stop)
                if now >= stop:
                    break
                try:
                    event = self.events.get(timeout=min(stop - now, 0.1))
                except queue.Empty:
                    continue
                self._handle(event)
        finally:
            # Whatever is still running is not needed: cut its sockets.
            if settled:
                self.deadline.fire("cancelled")
            else:
                self.deadline.close()
        return self._finish(settled)

    def _handle(self, event: _SourceDone | _PortDone) -> None:
        if isinstance(event, _PortDone):
            if event.result.port in self.results[event.host]:
                return
            self.results[event.host][event.result.port] = event.result
            if self.on_port is not None:
                self.on_port(event.host, event.result)
            return
        self.pending.remove(event.source)
        self.failures.extend(event.outcome.failures)
        if self.on_source is not None:
            self.on_source(event.outcome)
        for candidate in sorted(event.outcome.candidates, key=lambda c: c.order):
            self._add(candidate)

    def _finish(self, settled: bool) -> DiscoveryReport:
        cancelled = self.deadline.fired == "cancelled" and not settled
        elapsed = int((time.monotonic() - self.started) * 1000)
        if settled:
            missing = PortResult(0, PortStatus.CANCELLED, detail=_NOT_WAITED, elapsed_ms=elapsed)
        elif cancelled:
            missing = PortResult(
                0,
                PortStatus.CANCELLED,
                detail=QT_TRANSLATE_NOOP("discover", "cancelled"),
                elapsed_ms=elapsed,
            )
        else:
            missing = PortResult(
                0,
                PortStatus.DEADLINE,
                detail=QT_TRANSLATE_NOOP("discover", "no result before the overall time limit"),
                elapsed_ms=elapsed,
            )
        for source in self.pending:
            why = as_text(_NOT_WAITED if settled else missing.detail)
            self.failures.extend(SourceFailure(o, source.asked, why) for o in source.origins[:1])
        reports = {}
        for host in self._ranked_hosts():
            for port in self.specs[host]:
                if port not in self.results[host] and self.on_port is not None:
                    self.on_port(host, replace(missing, port=port))
            reports[host] = self._report(host, missing)
        chosen_host = next((h for h in reports if reports[h].recommended is not None), None)
        hosts = tuple(self._host_result(h, reports[h], chosen_host, settled) for h in reports)
        chosen, chosen_probe, needs_confirmation = None, None, False
        if chosen_host is not None:
            chosen_probe = reports[chosen_host]
            rec = chosen_probe.recommended
            assert rec is not None
            chosen_result = next(h for h in hosts if h.host == chosen_host)
            chosen = Choice(
                chosen_host, rec.port, rec.tls, rec.auth, chosen_result.origin, rec.pinned_sha256
            )
            needs_confirmation = self._needs_confirmation(chosen_result)
        all_ports = [r for report in reports.values() for r in report.ports]
        verdict = (
            Verdict.RECOMMENDED if chosen else verdict_for(all_ports, None, cancelled=cancelled)
        )
        return DiscoveryReport(
            email=self.email,
            domain=self.domain,
            chosen=chosen,
            chosen_probe=chosen_probe,
            hosts=hosts,
            failures=tuple(self.failures),
            needs_confirmation=needs_confirmation,
            verdict=verdict,
            elapsed_ms=elapsed,
        )

    def _needs_confirmation(self, host: HostResult) -> bool:
        """RFC 6186 section 6, RFC 7817: a host outside the domain that only unauthenticated
        sources named gets no password without the user's yes (or the profile's word)."""
        return not (
            in_domain(host.host, self.domain)
            or host.authenticated
            or host.host == self.profile_host
            or host.host in self.opts.accept_hosts
        )

    def _host_result(
        self, host: str, report: ProbeReport, chosen_host: str | None, settled: bool
    ) -> HostResult:
        candidates = tuple(self.candidates[host])
        result = HostResult(host, candidates, report, chosen=host == chosen_host, why="")
        if host == chosen_host:
            why = (
                f"chosen: the most trusted source that proved itself live "
                f"({SOURCE_NAMES[result.origin]}): {explain_report(report)}"
            )
        elif report.recommended is not None:
            assert chosen_host is not None
            why = (
                f"works ({explain_report(report)}), but {chosen_host} came first "
                "(a more trusted source, or earlier in the same source's order)"
            )
        elif settled and any(r.detail == _NOT_WAITED for r in report.ports):
            why = _NOT_WAITED
        elif report.ports and all(r.status is PortStatus.DNS_FAILED for r in report.ports):
            why = f"not used: the name does not resolve ({report.ports[0].detail})"
        else:
            why = f"not used: {VERDICT_TEXT[report.verdict]}"
        return replace(result, why=why, disagreements=disagreements(candidates, report))
