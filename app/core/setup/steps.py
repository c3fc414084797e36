"""The steps of a setup, each a public function that does one thing and says how it went: a
StepReport when it worked, StepFailed (carrying the failed step's report and the failure class)
when it did not. The runners (apply.py; the `demo` command) call them in order and stop at the
first failure; the wizard's pages call the same functions one page at a time."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..failures import FOR_SUBMIT_ERROR, FOR_VERDICT, Failure

if TYPE_CHECKING:  # the steps load smtplib, the keyring and the writers only when they run
    from ..deadline import CancelToken
    from ..probe.connection import AddressResolver
    from ..results import PortResult, ProbeReport
    from ..secrets import SecretStore
    from ..settings import Password, RelaySetting
    from ..submit import LoginResult, SendResult, SubmitError


class StepStatus(enum.Enum):
    OK = "ok"  # checked, nothing to write
    CHANGED = "changed"  # wrote something (keyring entry, a client's file)
    UNCHANGED = "unchanged"  # already as wanted
    SKIPPED = "skipped"
    FAILED = "failed"


@dataclass(frozen=True)
class StepReport:
    step: str  # request, ca, probe, login, keyring, send, client:<name>
    status: StepStatus
    detail: str = ""
    facts: Mapping[str, Any] = field(default_factory=dict)  # JSON-able; never a password

    def to_json(self) -> dict[str, Any]:
        return {"step": self.step, "status": self.status.value, "detail": self.detail or None}


class StepFailed(Exception):
    """A step that did not work: its report (None when the steps already reported each part),
    the failure class (the exit status), and the error underneath, if it was the relay's."""

    def __init__(
        self,
        failure: Failure,
        message: str,
        report: StepReport | None = None,
        cause: SubmitError | None = None,
    ) -> None:
        super().__init__(message)
        self.failure = failure
        self.message = message
        self.report = report
        self.cause = cause


def relay_error(error: BaseException) -> BaseException:
    """The relay's own error under a failed step (its kind and words are what a page says),
    else the error itself."""
    if isinstance(error, StepFailed) and error.cause is not None:
        return error.cause
    return error


def failed(step: str, failure: Failure, message: str) -> StepFailed:
    return StepFailed(
        failure, message, StepReport(step, StepStatus.FAILED, message, {"failure": failure.value})
    )


def _relay_refused(step: str, exc: SubmitError) -> StepFailed:
    report = StepReport(step, StepStatus.FAILED, exc.message, {"error": exc.to_json()})
    return StepFailed(FOR_SUBMIT_ERROR.get(exc.kind, Failure.ERROR), exc.message, report, exc)


def judge_probe(report: ProbeReport) -> tuple[PortResult, StepReport]:
    """The port to use, as the probe recommends it; StepFailed by the verdict when none is."""
    from ..explain import explain_report

    rec = report.recommended
    if rec is None:
        raise failed(
            "probe", FOR_VERDICT.get(report.verdict, Failure.ERROR), explain_report(report)
        )
    chosen = next(r for r in report.ports if r.port == rec.port)
    facts = {"port": rec.port, "tls": rec.tls.value, "auth": list(rec.auth)}
    return chosen, StepReport("probe", StepStatus.OK, explain_report(report), facts)


def login(
    setting: RelaySetting,
    password: Password,
    *,
    timeout: float = 5.0,
    deadline: float = 20.0,
    cancel: CancelToken | None = None,
    implicit_fallback: bool = False,
    resolver: AddressResolver | None = None,
) -> tuple[LoginResult, StepReport]:
    """EHLO, TLS, AUTH, QUIT: the password works, and no message is sent."""
    from ..submit import SubmitError, check_login

    try:
        result = check_login(
            setting,
            password,
            timeout=timeout,
            deadline=deadline,
            cancel=cancel,
            implicit_fallback=implicit_fallback,
            resolver=resolver,
        )
    except SubmitError as exc:
        raise _relay_refused("login", exc) from None
    facts = {"mechanism": result.mechanism, "reply": result.reply}
    return result, StepReport("login", StepStatus.OK, result.reply, facts)


def keep_password(
    setting: RelaySetting, password: Password, store: SecretStore | None = None
) -> StepReport:
    """The password into the OS keyring (`store`, or the one open_store finds), unless it is
    there already."""
    from ..secrets import InvalidEntry, KeyringUnavailable, open_store

    try:
        store = store or open_store()
        if store.get(setting.host, setting.user) == password:
            status = StepStatus.UNCHANGED
        else:
            store.set(setting.host, setting.user, password)
            status = StepStatus.CHANGED
    except KeyringUnavailable as exc:
        raise failed("keyring", Failure.KEYRING, str(exc)) from None
    except InvalidEntry as exc:
        raise failed("keyring", Failure.USAGE, str(exc)) from None
    detail = f"{store.backend_name}: {setting.user} on {setting.host}"
    return StepReport("keyring", status, detail, {"backend": store.backend_name})


def send_test(
    setting: RelaySetting,
    password: Password,
    *,
    to: str | None = None,
    timeout: float = 5.0,
    deadline: float = 30.0,
    cancel: CancelToken | None = None,
    implicit_fallback: bool = False,
    resolver: AddressResolver | None = None,
) -> tuple[SendResult, StepReport]:
    """A test message through the relay; the report holds the evidence (reply, queue id)."""
    from ..submit import SubmitError, send_test_message

    try:
        result = send_test_message(
            setting,
            password,
            to=to,
            timeout=timeout,
            deadline=deadline,
            cancel=cancel,
            implicit_fallback=implicit_fallback,
            resolver=resolver,
        )
    except SubmitError as exc:
        raise _relay_refused("send", exc) from None
    facts = {"to": result.to, "queue_id": result.queue_id, "reply": result.reply}
    return result, StepReport("send", StepStatus.OK, result.reply, facts)


def configure_client(
    name: str,
    setting: RelaySetting,
    ca_copy: Path | None,
    *,
    home: Path | None = None,
    data: Path | None = None,
    asked_for: bool = True,
) -> StepReport:
    """One mail client's settings written (backed up, undoable). Never raises for the client:
    a FAILED report says why. A client not asked for by name but missing here is skipped."""
    from ..clients import get_client
    from ..clients.base import ClientError, ClientSettings
    from ..clients.safewrite import apply as apply_plan
    from ..clients.safewrite import writer_lock

    step = f"client:{name}"
    try:
        module = get_client(name)
        info = module.detect(home=home)
        if not asked_for and not (info.installed and info.config_path):
            why = "; ".join(map(str, info.notes)) if info.installed else f"{name} is not installed"
            return StepReport(step, StepStatus.SKIPPED, why or "nothing to set up")
        settings = ClientSettings.for_relay(setting, ca_copy)
        with writer_lock(data):  # plan on what another writer left
            plan = module.plan(settings, home=home)
            result = apply_plan(plan, data=data)
    except ClientError as exc:
        return StepReport(step, StepStatus.FAILED, str(exc))
    failures = [a for a in result.actions if not a.ok]
    if failures:
        why = "; ".join(f"{' '.join(a.command.argv)}: {a.output.strip()}" for a in failures)
        return StepReport(step, StepStatus.FAILED, why)
    facts = {
        "files": [str(w.path) for w in result.written],
        "backups": [str(b) for b in result.backups],
        "notes": [str(note) for note in plan.notes],
    }
    status = StepStatus.CHANGED if result.written or result.actions else StepStatus.UNCHANGED
    where = ", ".join(str(c.path) for c in plan.changes) or name
    return StepReport(step, status, where, facts)
