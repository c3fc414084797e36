"""The unattended apply: probe, login check, keyring, optional test message, client settings,
with no questions, for MDM, Ansible and login scripts. Safe to run again: a second run finds
the keyring entry and every client file as wanted and changes nothing.

Each step ends in a StepReport; the first failure stops the run and names its class, which the
command line turns into its exit status.
"""

from __future__ import annotations

import enum
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .appdirs import CaFileError, ca_destination, install_ca
from .clients import get_client
from .clients.base import ClientError, ClientSettings
from .clients.safewrite import apply as apply_plan
from .clients.safewrite import writer_lock
from .explain import explain_report
from .failures import FOR_SUBMIT_ERROR, FOR_VERDICT, Failure
from .org.profiles import Identity, InvalidEmail, Profile, probe_profile
from .results import ProbeReport
from .secrets import InvalidEntry, KeyringUnavailable, SecretStore, open_store
from .settings import Password, RelaySetting
from .setup.setting import profile_setting
from .submit import SubmitError, check_login, send_test_message


class StepStatus(enum.Enum):
    OK = "ok"  # checked, nothing to write
    CHANGED = "changed"  # wrote something (keyring entry, a client's file)
    UNCHANGED = "unchanged"  # already as wanted
    SKIPPED = "skipped"
    FAILED = "failed"


@dataclass(frozen=True)
class StepReport:
    step: str  # ca, probe, login, keyring, send, client:<name>
    status: StepStatus
    detail: str = ""
    facts: Mapping[str, Any] = field(default_factory=dict)  # JSON-able; never a password

    def to_json(self) -> dict[str, Any]:
        return {"step": self.step, "status": self.status.value, "detail": self.detail or None}


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
            "elapsed_ms": self.elapsed_ms,
        }


class _Stop(Exception):
    def __init__(self, failure: Failure, message: str) -> None:
        super().__init__(message)
        self.failure = failure
        self.message = message


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

    def record(self, step: StepReport) -> None:
        self.steps.append(step)
        if self.on_step is not None:
            self.on_step(step)

    def stop(self, step: str, failure: Failure, message: str) -> _Stop:
        self.record(StepReport(step, StepStatus.FAILED, message, {"failure": failure.value}))
        return _Stop(failure, message)

    def submit_failure(self, step: str, exc: SubmitError) -> _Stop:
        self.record(StepReport(step, StepStatus.FAILED, exc.message, {"error": exc.to_json()}))
        return _Stop(FOR_SUBMIT_ERROR.get(exc.kind, Failure.ERROR), exc.message)

    # -- the steps ------------------------------------------------------------------------------

    def check_request(self) -> tuple[str, ...]:
        try:
            self.identity = self.profile.identity(self.email)
        except InvalidEmail as exc:
            raise self.stop("request", Failure.USAGE, str(exc)) from None
        clients = self.options.clients
        if clients is None:
            return self.profile.clients
        if "clients" in self.profile.locked and not set(clients) <= set(self.profile.clients):
            allowed = ", ".join(self.profile.clients)
            raise self.stop(
                "request", Failure.USAGE, f"the profile allows only these clients: {allowed}"
            )
        return clients

    def install_ca(self) -> None:
        """The CA goes into the app's data folder first: clients reference that copy, which
        outlives a profile in a temporary or installer folder."""
        extra = self.options.extra_ca
        if self.profile.ca_pem is not None and extra is not None:
            raise self.stop(
                "ca", Failure.USAGE, "the profile brings its own CA: --ca is only for one without"
            )
        if self.profile.ca_pem is None and extra is None:
            return
        try:
            with tempfile.TemporaryDirectory(prefix="relay-setup-ca-") as folder:
                source = extra
                if source is None:
                    source = Path(folder) / "profile-ca.pem"
                    source.write_text(self.profile.ca_pem or "", "utf-8")
                before = self.existing_ca(source)
                self.ca_copy = install_ca(source, self.options.data)
        except CaFileError as exc:
            raise self.stop("ca", Failure.USAGE, str(exc)) from None
        except (OSError, ClientError) as exc:
            raise self.stop("ca", Failure.CONFIG, f"cannot copy the CA: {exc}") from None
        status = StepStatus.UNCHANGED if before else StepStatus.CHANGED
        self.record(StepReport("ca", status, str(self.ca_copy), {"path": str(self.ca_copy)}))

    def existing_ca(self, source: Path) -> bool:
        dest = ca_destination(source, self.options.data)
        return dest.exists() and dest.read_bytes() == source.read_bytes()

    def probe_relay(self) -> RelaySetting:
        assert self.identity is not None
        ca = str(self.ca_copy) if self.ca_copy else None
        report = self.probe = probe_profile(
            self.profile, ca, timeout=self.options.timeout, deadline=self.options.deadline
        )
        rec = report.recommended
        if rec is None:
            failure = FOR_VERDICT.get(report.verdict, Failure.ERROR)
            raise self.stop("probe", failure, explain_report(report))
        chosen = next(r for r in report.ports if r.port == rec.port)
        self.setting = profile_setting(self.profile, self.identity, chosen, ca)
        facts = {"port": rec.port, "tls": rec.tls.value, "auth": list(rec.auth)}
        self.record(StepReport("probe", StepStatus.OK, explain_report(report), facts))
        return self.setting

    def login(self, setting: RelaySetting, password: Password) -> None:
        try:
            result = check_login(setting, password, timeout=self.options.timeout)
        except SubmitError as exc:
            raise self.submit_failure("login", exc) from None
        facts = {"mechanism": result.mechanism, "reply": result.reply}
        self.record(StepReport("login", StepStatus.OK, result.reply, facts))

    def keep_password(
        self, setting: RelaySetting, password: Password, store: SecretStore | None
    ) -> None:
        try:
            store = store or open_store()
            if store.get(setting.host, setting.user) == password:
                status = StepStatus.UNCHANGED
            else:
                store.set(setting.host, setting.user, password)
                status = StepStatus.CHANGED
        except KeyringUnavailable as exc:
            raise self.stop("keyring", Failure.KEYRING, str(exc)) from None
        except InvalidEntry as exc:
            raise self.stop("keyring", Failure.USAGE, str(exc)) from None
        detail = f"{store.backend_name}: {setting.user} on {setting.host}"
        self.record(StepReport("keyring", status, detail, {"backend": store.backend_name}))

    def send(self, setting: RelaySetting, password: Password) -> None:
        if not self.options.send_test:
            self.record(StepReport("send", StepStatus.SKIPPED, "no --send-test"))
            return
        try:
            result = send_test_message(
                setting, password, to=self.options.test_to, timeout=self.options.timeout
            )
        except SubmitError as exc:
            raise self.submit_failure("send", exc) from None
        facts = {"to": result.to, "queue_id": result.queue_id, "reply": result.reply}
        self.record(StepReport("send", StepStatus.OK, result.reply, facts))

    def configure(self, setting: RelaySetting, names: tuple[str, ...]) -> None:
        """Every client is tried; one that fails does not stop the others, but fails the run.
        A client the profile lists but this machine lacks is skipped; one asked for is not."""
        problems: list[str] = []
        for name in names:
            step = f"client:{name}"
            try:
                module = get_client(name)
                info = module.detect(home=self.options.home)
                if self.options.clients is None and not (info.installed and info.config_path):
                    why = "; ".join(info.notes) if info.installed else f"{name} is not installed"
                    self.record(StepReport(step, StepStatus.SKIPPED, why or "nothing to set up"))
                    continue
                settings = ClientSettings.for_relay(setting, self.ca_copy)
                with writer_lock(self.options.data):  # plan on what another writer left
                    plan = module.plan(settings, home=self.options.home)
                    result = apply_plan(plan, data=self.options.data)
            except ClientError as exc:
                self.record(StepReport(step, StepStatus.FAILED, str(exc)))
                problems.append(f"{name}: {exc}")
                continue
            failed = [a for a in result.actions if not a.ok]
            if failed:
                why = "; ".join(f"{' '.join(a.command.argv)}: {a.output.strip()}" for a in failed)
                self.record(StepReport(step, StepStatus.FAILED, why))
                problems.append(f"{name}: {why}")
                continue
            facts = {
                "files": [str(w.path) for w in result.written],
                "backups": [str(b) for b in result.backups],
                "notes": list(plan.notes),
            }
            status = (
                StepStatus.CHANGED if result.written or result.actions else StepStatus.UNCHANGED
            )
            where = ", ".join(str(c.path) for c in plan.changes) or name
            self.record(StepReport(step, status, where, facts))
        if problems:
            raise _Stop(Failure.CONFIG, "; ".join(problems))


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
        run.login(setting, password)
        run.keep_password(setting, password, store)
        run.send(setting, password)
        run.configure(setting, clients)
        message = f"{run.identity.email if run.identity else email} can send through {setting.host}"
    except _Stop as stop:
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
    )
