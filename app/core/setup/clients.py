"""The mail programs: survey (detect each and plan its change, reading only), write the chosen
plans (backed up, atomic), and undo the last write of each. Errors are per client: one that
fails never stops the others."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..clients import CLIENTS, get_client
from ..clients.base import ClientInfo, ClientSettings, Plan
from ..results import ProbeReport
from ..settings import RelaySetting
from ..text import Text

if TYPE_CHECKING:
    from ..clients.safewrite import ApplyResult, UndoResult


@dataclass(frozen=True)
class Found:
    """One client on this machine: what detect() saw and what plan() proposes (or why not)."""

    name: str
    info: ClientInfo | None
    plan: Plan | None
    problem: str = ""
    problem_text: Text | None = None  # the same, for a window to word (app/core/text.py)


def survey(relay: RelaySetting, home: Path | None) -> list[Found]:
    """Detect every known client and plan its change (reads only; runs off the GUI thread)."""
    from ..appdirs import install_ca

    # The copy in our own data folder, made now: the plans name it, and some read it.
    ca = install_ca(Path(relay.ca_file)) if relay.ca_file else None
    settings = ClientSettings.for_relay(relay, ca_file=ca)
    found = []
    for name in CLIENTS:
        try:
            module = get_client(name)
            info = module.detect(home=home)
            plan = module.plan(settings, home=home) if info.installed else None
        except Exception as exc:  # ClientError and friends: shown, the others go on
            text = getattr(exc, "text", None)
            found.append(
                Found(name, None, None, str(exc), text if isinstance(text, Text) else None)
            )
            continue
        found.append(Found(name, info, plan))
    return found


def write_plans(found: list[Found]) -> list[tuple[str, ApplyResult | Exception]]:
    """Apply each chosen plan; (name, ApplyResult or the error) per client."""
    from ..clients.safewrite import apply

    results: list[tuple[str, ApplyResult | Exception]] = []
    for item in found:
        assert item.plan is not None
        try:
            results.append((item.name, apply(item.plan)))
        except Exception as exc:  # ClientBusy, a file changed meanwhile ...: said per client
            results.append((item.name, exc))
    return results


def remember_written(
    setting: RelaySetting,
    report: ProbeReport | None,
    results: list[tuple[str, ApplyResult | Exception]],
    data: Path | None = None,
) -> bool:
    """After programs were written for a setting whose login worked: the last known good result
    that `relay-setup check` compares with (the secure ports the probe found, the certificate
    seen). False when nothing was written or it cannot be kept: a damaged record stays as it
    is, and `check` names it."""
    from ..atomicfile import ClientError
    from ..roaming.record import KnownPort, RecordDamaged, remember

    names = tuple(name for name, result in results if not isinstance(result, Exception))
    if not names:
        return False
    seen = {r.port: r for r in report.ports} if report is not None else {}
    ports = tuple(KnownPort(r.port, r.tls) for r in seen.values() if r.usable_for_login)
    chosen = seen.get(setting.port)
    cert = chosen.certificate if chosen is not None else None
    try:
        return remember(
            setting,
            names,
            ports=ports,
            certificate_sha256=cert.sha256 if cert is not None else None,
            data=data,
        )
    except (RecordDamaged, ClientError):
        return False


def undo_clients(names: list[str]) -> list[tuple[str, UndoResult | Exception]]:
    """Undo each client's last write; (name, UndoResult or the error) per client."""
    from ..clients.safewrite import undo as undo_last

    results: list[tuple[str, UndoResult | Exception]] = []
    for name in names:
        try:
            results.append((name, undo_last(name)))
        except Exception as exc:
            results.append((name, exc))
    return results
