"""Prove the setup again from this network: probe the relay's known ports, compare with the
last known good record, log in with the keyring's password, and decide (CheckStatus).

The password goes out only on a port whose certificate verifies (or matches the recorded pin):
a certificate that does not, or a pin that no longer matches, is a possible interception and
stops the check before any AUTH.
"""

from __future__ import annotations

import enum
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..failures import Failure
from ..results import TLS_PROBLEM_STATUSES, PortResult, PortSpec, ProbeReport, TlsMode
from .fix import Fixed, fix_clients
from .record import KnownPort, Record, RecordDamaged, moved, save

if TYPE_CHECKING:
    from ..secrets import SecretStore

# The relay's usual secure ports, tried beside the configured one when the record knows no
# others (a setup made before the record existed).
USUAL_PORTS = (KnownPort(465, TlsMode.IMPLICIT), KnownPort(587, TlsMode.STARTTLS))


class CheckStatus(enum.Enum):
    OK = "ok"
    PORT_BLOCKED = "port_blocked"  # the configured port does not answer here; another works
    CERTIFICATE_CHANGED = "certificate_changed"  # a new certificate, valid for the name
    CERTIFICATE_UNTRUSTED = "certificate_untrusted"  # invalid, or not the pinned one: no AUTH
    LOGIN_FAILED = "login_failed"  # the password in the keyring is refused (or missing)
    UNREACHABLE = "unreachable"  # no secure port of the relay answers from here


@dataclass(frozen=True)
class CheckReport:
    status: CheckStatus
    record: Record  # as the mail programs are set up after this check (moved, with --fix)
    message: str  # one sentence for a person
    probe: ProbeReport | None = None
    failure: Failure | None = None  # the exit status's class; None: all is well (or fixed)
    working: PortResult | None = None  # the port that proved itself
    notes: tuple[str, ...] = ()
    login_error: dict[str, Any] | None = None  # the relay's error (SubmitError.to_json())
    fixed: tuple[Fixed, ...] | None = None  # None: --fix not asked for
    fix_problems: tuple[str, ...] = ()
    elapsed_ms: int = 0

    @property
    def ok(self) -> bool:
        return self.failure is None

    @property
    def needs_attention(self) -> bool:
        """Something a notification should say: a problem, or a change --fix made."""
        return not self.ok or bool(self.fixed) or self.status is not CheckStatus.OK

    def to_json(self) -> dict[str, Any]:
        s = self.record.setting
        doc: dict[str, Any] = {
            "ok": self.ok,
            "status": self.status.value,
            "failure": self.failure.value if self.failure else None,
            "message": self.message,
            "relay": {"host": s.host, "port": s.port, "tls": s.tls.value},
            "user": s.user,
            "clients": list(self.record.clients),
            "working": None
            if self.working is None
            else {"port": self.working.port, "tls": self.working.tls.value},
            "notes": list(self.notes),
            "login_error": self.login_error,
            "probe": self.probe.to_json() if self.probe else None,
            "elapsed_ms": self.elapsed_ms,
        }
        if self.fixed is not None:
            doc["fixed"] = [f.to_json() for f in self.fixed]
            doc["fix_problems"] = list(self.fix_problems)
        return doc


@dataclass(frozen=True)
class CheckOptions:
    fix: bool = False
    timeout: float = 5.0
    deadline: float = 15.0
    home: Path | None = None  # stands in for the home folder (tests)
    data: Path | None = None  # the app's data folder (default: platformdirs)


def port_specs(record: Record) -> tuple[PortSpec, ...]:
    """The configured port first (TLS required: it spoke TLS before), then the other known
    secure ports, each in the TLS mode it had."""
    setting = record.setting
    known = record.ports if len(record.ports) > 1 else (*record.ports, *USUAL_PORTS)
    first: dict[int, KnownPort] = {}
    for known_port in (KnownPort(setting.port, setting.tls), *known):
        first.setdefault(known_port.port, known_port)
    return tuple(
        PortSpec(p.port, implicit=p.tls is TlsMode.IMPLICIT, require_tls=True)
        for p in first.values()
    )


@dataclass
class _Check:
    record: Record
    options: CheckOptions
    notes: list[str] = field(default_factory=list)

    def done(self, status: CheckStatus, message: str, **kw: Any) -> CheckReport:
        return CheckReport(status, self.record, message, notes=tuple(self.notes), **kw)


def _same_fingerprint(a: str | None, b: str | None) -> bool:
    return (
        a is not None and b is not None and a.replace(":", "").upper() == b.replace(":", "").upper()
    )


def _untrusted(result: PortResult, pin: str | None) -> str | None:
    """Why this port's TLS must not be trusted with the password, or None."""
    cert = result.certificate
    if result.status in TLS_PROBLEM_STATUSES:
        return result.detail or result.status.value
    if pin is not None and cert is not None and not _same_fingerprint(cert.sha256, pin):
        return f"its certificate ({cert.sha256}) is not the pinned one ({pin})"
    return None


def check_setup(
    record: Record,
    options: CheckOptions | None = None,
    *,
    store: SecretStore | None = None,
    on_result: Callable[[PortResult], None] | None = None,
) -> CheckReport:
    """Probe, compare, log in and (with options.fix) move the mail programs. Never raises for
    the relay, the keyring or a client: the report says what was found and done."""
    from ..probe.port import ProbeOptions
    from ..probe.relay import probe_relay

    opts = options or CheckOptions()
    started = time.monotonic()
    run = _Check(record, opts)
    setting = record.setting
    probe = probe_relay(
        setting.host,
        port_specs(record),
        ProbeOptions(
            timeout=opts.timeout,
            deadline=opts.deadline,
            ca_file=setting.ca_file,
            pin_sha256=setting.pin_sha256,
        ),
        on_result=on_result,
    )
    report = _decide(run, probe, store)
    fixed = () if opts.fix and report.fixed is None else report.fixed  # asked: always a list
    elapsed_ms = int((time.monotonic() - started) * 1000)
    return replace(report, probe=probe, fixed=fixed, elapsed_ms=elapsed_ms)


def _decide(run: _Check, probe: ProbeReport, store: SecretStore | None) -> CheckReport:
    setting = run.record.setting
    configured = probe.result(setting.port)
    pin = setting.pin_sha256
    untrusted = [(r, why) for r in probe.ports if (why := _untrusted(r, pin)) is not None]
    if untrusted:  # on any port: someone may be between us and the relay
        where = "; ".join(f"port {r.port}: {why}" for r, why in untrusted)
        return run.done(
            CheckStatus.CERTIFICATE_UNTRUSTED,
            f"WARNING: the network may be intercepting mail: {setting.host} did not prove "
            f"itself ({where}). No password was sent. Do not send mail from this network.",
            failure=Failure.TLS_PROBLEM,
        )
    rec = probe.recommended
    working = configured if configured.usable_for_login else None
    if working is None:
        working = next((r for r in probe.ports if rec and r.port == rec.port), None)
        if working is None:
            return run.done(
                CheckStatus.UNREACHABLE,
                f"{setting.host} cannot be reached securely from this network "
                f"(port {setting.port}: {configured.status.value}; no other secure port works).",
                failure=Failure.UNREACHABLE,
            )
    return _login(run, working, store)


def _login(run: _Check, working: PortResult, store: SecretStore | None) -> CheckReport:
    from ..secrets import KeyringUnavailable, open_store
    from ..setup.steps import StepFailed, login

    record = run.record
    setting = replace(record.setting, port=working.port, tls=working.tls)
    try:
        kept = (store or open_store()).get(setting.host, setting.user)
    except KeyringUnavailable as exc:
        return run.done(CheckStatus.LOGIN_FAILED, str(exc), failure=Failure.KEYRING)
    if kept is None:
        return run.done(
            CheckStatus.LOGIN_FAILED,
            f"no password for {setting.user} on {setting.host} in the OS keyring: "
            f"`relay-setup password set --host {setting.host} --user {setting.user}` keeps it",
            failure=Failure.KEYRING,
            working=working,
        )
    try:
        login(setting, kept, timeout=run.options.timeout)
    except StepFailed as exc:
        error = exc.cause.to_json() if exc.cause is not None else None
        if exc.failure is Failure.AUTH_FAILED:
            return run.done(
                CheckStatus.LOGIN_FAILED,
                f"{setting.host} refused the password of {setting.user} (was it changed?): "
                f"`relay-setup password set --host {setting.host} --user {setting.user}` "
                f"keeps the new one. {exc.message}",
                failure=exc.failure,
                working=working,
                login_error=error,
            )
        status = (
            CheckStatus.CERTIFICATE_UNTRUSTED
            if exc.failure is Failure.TLS_PROBLEM
            else CheckStatus.UNREACHABLE
        )
        return run.done(status, exc.message, failure=exc.failure, login_error=error)
    return _proved(run, working)


def _proved(run: _Check, working: PortResult) -> CheckReport:
    """The login works on `working`: note a new certificate, move the clients if asked."""
    record = run.record
    setting = record.setting
    cert = working.certificate
    seen = cert.sha256 if cert is not None else None
    status = CheckStatus.OK
    if record.certificate_sha256 is not None and not _same_fingerprint(
        seen, record.certificate_sha256
    ):
        status = CheckStatus.CERTIFICATE_CHANGED
        run.notes.append(
            f"{setting.host} has a new certificate ({seen}, was {record.certificate_sha256}); "
            "it is valid for the name and from a trusted CA, so it is remembered"
        )
    if working.port == setting.port:
        _keep(replace(record, certificate_sha256=seen), run)
        message = f"{setting.user} can send through {setting.host} port {setting.port}"
        if status is CheckStatus.CERTIFICATE_CHANGED:
            message += " (the relay's certificate changed: see the note)"
        return run.done(status, message, working=working)
    blocked = (
        f"This network blocks port {setting.port} of {setting.host}; "
        f"port {working.port} ({working.tls.value} TLS) works"
    )
    if not run.options.fix:
        return run.done(
            CheckStatus.PORT_BLOCKED,
            f"{blocked}: `relay-setup check --fix` moves your mail programs to it.",
            failure=Failure.UNREACHABLE,
            working=working,
        )
    fixed, problems = fix_clients(
        record, working.port, working.tls, home=run.options.home, data=run.options.data
    )
    if problems:
        return run.done(
            CheckStatus.PORT_BLOCKED,
            f"{blocked}, but not every mail program could be moved: {'; '.join(problems)}",
            failure=Failure.CONFIG,
            working=working,
            fixed=fixed,
            fix_problems=problems,
        )
    run.record = moved(record, working.port, working.tls, seen)
    _keep(run.record, run)
    moved_names = ", ".join(dict.fromkeys(f.client for f in fixed)) or "no file needed it"
    return run.done(
        CheckStatus.PORT_BLOCKED,
        f"{blocked}: moved to it ({moved_names}); `relay-setup undo` puts a program back.",
        working=working,
        fixed=fixed,
    )


def _keep(record: Record, run: _Check) -> None:
    """Remember the proved result; a record we cannot write is a note, not a failed check."""
    from ..atomicfile import ClientError

    try:
        save(record, run.options.data)
    except (RecordDamaged, ClientError) as exc:
        run.notes.append(f"the result was not remembered: {exc}")
