"""The unattended apply: probe, login check, keyring, optional test message, client settings,
with no questions, for MDM, Ansible and login scripts. Safe to run again: a second run finds
the keyring entry and every client file as wanted and changes nothing.

Each step ends in a StepReport; the first failure stops the run and names its class, which the
command line turns into its exit status.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..failures import FOR_VERDICT, Failure
from ..org.profiles import Identity, InvalidEmail, Profile, probe_profile
from ..results import ProbeReport
from ..secrets import SecretStore
from ..settings import Password, RelaySetting
from .ca import ca_step
from .setting import profile_setting
from .steps import (
    StepFailed,
    StepReport,
    StepStatus,
    configure_client,
    failed,
    judge_probe,
    keep_password,
    login,
    send_test,
)

if TYPE_CHECKING:
    from ..discover.dns import Nameserver
    from ..discover.report import DiscoveryReport
    from ..probe.connection import AddressResolver


@dataclass(frozen=True)
class ApplyOptions:
    clients: tuple[str, ...] | None = None  # None: the profile's list
    send_test: bool = False
    test_to: str | None = None  # default: the user's own address
    extra_ca: Path | None = None  # --ca: only where the profile has none
    timeout: float = 5.0
    deadline: float = 15.0
    home: Path | None = None  # stands in for the home folder (tests)
    data: Path | None = None  # the app's data folder (default: platformdirs)
    nameserver: Nameserver | None = None  # --resolver: every lookup there (None: the system's)
    accept_hosts: tuple[str, ...] = ()  # discovered hosts the user confirmed (--accept-host)


@dataclass(frozen=True)
class ApplyReport:
    profile: Profile
    email: str
    identity: Identity | None
    setting: RelaySetting | None
    steps: tuple[StepReport, ...]
    failure: Failure | None
    message: str  # what went wrong (or a summary), in words
    probe: ProbeReport | None = None
    elapsed_ms: int = 0
    discovery: DiscoveryReport | None = None  # when the profile names no host

    @property
    def ok(self) -> bool:
        return self.failure is None

    @property
    def changed(self) -> bool:
        return any(s.status is StepStatus.CHANGED for s in self.steps)

    def step(self, name: str) -> StepReport:
        return next(s for s in self.steps if s.step == name)

    def to_json(self) -> dict[str, Any]:
        setting = self.setting
        return {
            "ok": self.ok,
            "changed": self.changed,
            "failure": self.failure.value if self.failure else None,
            "message": self.message,
            "profile": {
                "organisation": self.profile.organisation,
                "source": self.profile.source,
                "help_url": self.profile.help_url,
                "help_email": self.profile.help_email,
            },
            "email": self.email,
            "setting": None
            if setting is None
            else {
                "host": setting.host,
                "port": setting.port,
                "tls": setting.tls.value,
                "user": setting.user,
                "from": setting.sender,
                "auth": setting.auth,
                "ca_file": setting.ca_file,
                "pin_sha256": setting.pin_sha256,
            },
            "steps": [{**s.to_json(), **s.facts} for s in self.steps],
            "probe": self.probe.to_json() if self.probe else None,
            **({"discovery": self.discovery.to_json()} if self.discovery else {}),
            "elapsed_ms": self.elapsed_ms,
        }


class _Run:
    """One apply: the steps done so far, so a failure can still report them."""

    def __init__(
        self,
        profile: Profile,
        email: str,
        options: ApplyOptions,
        on_step: Callable[[StepReport], None] | None,
    ) -> None:
        self.profile = profile
        self.email = email
        self.options = options
        self.on_step = on_step
        self.steps: list[StepReport] = []
        self.identity: Identity | None = None
        self.setting: RelaySetting | None = None
        self.probe: ProbeReport | None = None
        self.ca_copy: Path | None = None
        self.discovery: DiscoveryReport | None = None
        self.resolver: AddressResolver | None = None
        if options.nameserver is not None:
            from ..discover.dns import DnsClient

            self.resolver = DnsClient(options.nameserver)

    def record(self, step: StepReport) -> None:
        self.steps.append(step)
        if self.on_step is not None:
            self.on_step(step)

    def check_request(self) -> tuple[str, ...]:
        try:
            self.identity = self.profile.identity(self.email)
        except InvalidEmail as exc:
            raise failed("request", Failure.USAGE, str(exc)) from None
        clients = self.options.clients
        if clients is None:
            return self.profile.clients
        if "clients" in self.profile.locked and not set(clients) <= set(self.profile.clients):
            allowed = ", ".join(self.profile.clients)
            raise failed(
                "request", Failure.USAGE, f"the profile allows only these clients: {allowed}"
            )
        return clients

    def install_ca(self) -> None:
        extra = self.options.extra_ca
        if self.profile.ca_pem is not None and extra is not None:
            raise failed(
                "ca", Failure.USAGE, "the profile brings its own CA: --ca is only for one without"
            )
        if self.profile.ca_pem is None and extra is None:
            return
        self.ca_copy, report = ca_step(self.profile.ca_pem, extra, self.options.data)
        self.record(report)

    def probe_relay(self) -> RelaySetting:
        assert self.identity is not None
        ca = str(self.ca_copy) if self.ca_copy else None
        host = self.profile.host or self.discover_relay(ca)
        if self.probe is None:
            self.probe = probe_profile(
                self.profile, ca, timeout=self.options.timeout, deadline=self.options.deadline
            )
        chosen, report = judge_probe(self.probe)
        self.setting = profile_setting(self.profile, self.identity, chosen, ca, host=host)
        self.record(report)
        return self.setting

    def discover_relay(self, ca: str | None) -> str:
        """The profile names no host: find it from the address, held to the profile's ports,
        CA, pin and mechanism. A host that needs the user's yes (outside the domain, named only
        by an unauthenticated source) is refused unless --accept-host names it."""
        from ..discover.search import DiscoverOptions, discover
        from ..explain import VERDICT_TEXT

        opts = self.options
        found = self.discovery = discover(
            self.email,
            DiscoverOptions(
                nameserver=opts.nameserver,
                ca_file=ca,
                timeout=opts.timeout,
                deadline=opts.deadline,
                profile=self.profile,
                ports=self.profile.ports,
                accept_hosts=opts.accept_hosts,
            ),
        )
        chosen = found.chosen
        if chosen is None:
            raise failed(
                "discover",
                FOR_VERDICT.get(found.verdict, Failure.ERROR),
                f"no relay found for {found.domain}: {VERDICT_TEXT[found.verdict]}",
            )
        if found.needs_confirmation:
            raise failed(
                "discover",
                Failure.USAGE,
                f"the relay found, {chosen.host}, is outside {found.domain} and no "
                f"authenticated source named it: confirm it with --accept-host {chosen.host} "
                "(or name it in the profile)",
            )
        self.probe = found.chosen_probe
        facts = {"host": chosen.host, "source": chosen.origin.value}
        self.record(
            StepReport(
                "discover", StepStatus.OK, f"{chosen.host} (from {chosen.origin.value})", facts
            )
        )
        return chosen.host

    def send(self, setting: RelaySetting, password: Password) -> None:
        if not self.options.send_test:
            self.record(StepReport("send", StepStatus.SKIPPED, "no --send-test"))
            return
        _, report = send_test(
            setting,
            password,
            to=self.options.test_to,
            timeout=self.options.timeout,
            resolver=self.resolver,
        )
        self.record(report)

    def configure(self, setting: RelaySetting, names: tuple[str, ...]) -> None:
        """Every client is tried; one that fails does not stop the others, but fails the run.
        A client the profile lists but this machine lacks is skipped; one asked for is not."""
        problems: list[str] = []
        for name in names:
            report = configure_client(
                name,
                setting,
                self.ca_copy,
                home=self.options.home,
                data=self.options.data,
                asked_for=self.options.clients is not None,
            )
            self.record(report)
            if report.status is StepStatus.FAILED:
                problems.append(f"{name}: {report.detail}")
        if problems:
            raise StepFailed(Failure.CONFIG, "; ".join(problems))


def apply_profile(
    profile: Profile,
    email: str,
    password: Password,
    options: ApplyOptions | None = None,
    *,
    store: SecretStore | None = None,
    on_step: Callable[[StepReport], None] | None = None,
) -> ApplyReport:
    """Set the user up by the profile, with no questions. Never raises for a failure of the
    relay, the keyring or a client: the report says which step failed and why."""
    opts = options or ApplyOptions()
    run = _Run(profile, email, opts, on_step)
    started = time.monotonic()
    failure: Failure | None = None
    message = ""
    try:
        clients = run.check_request()
        run.install_ca()
        setting = run.probe_relay()
        run.record(login(setting, password, timeout=opts.timeout, resolver=run.resolver)[1])
        run.record(keep_password(setting, password, store))
        run.send(setting, password)
        run.configure(setting, clients)
        message = f"{run.identity.email if run.identity else email} can send through {setting.host}"
    except StepFailed as stop:
        if stop.report is not None:
            run.record(stop.report)
        failure, message = stop.failure, stop.message
    except KeyboardInterrupt:
        failure, message = Failure.CANCELLED, "interrupted"
    return ApplyReport(
        profile=profile,
        email=email,
        identity=run.identity,
        setting=run.setting,
        steps=tuple(run.steps),
        failure=failure,
        message=message,
        probe=run.probe,
        elapsed_ms=int((time.monotonic() - started) * 1000),
        discovery=run.discovery,
    )
