"""Probe a relay as a whole: every port at once, results streamed as they come, one deadline,
and a recommendation that never sends a password in clear."""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import replace

# CancelToken lives with Deadline; re-exported for the code that imports it from here.
from ..deadline import CancelToken as CancelToken
from ..deadline import Deadline
from ..explain import network_advice
from ..results import (
    TLS_PROBLEM_STATUSES,
    PortResult,
    PortSpec,
    PortStatus,
    ProbeReport,
    Recommendation,
    TlsMode,
    Verdict,
)
from .intercept import judge_interception
from .port import ProbeOptions, probe_port
from .tcp import ConnectPace

DEFAULT_PORTS: tuple[PortSpec, ...] = tuple(PortSpec.default(p) for p in (465, 587, 25))
# After the deadline fires, the workers' sockets are shut down; give them this long to report
# what they had before we write their result ourselves.
_GRACE = 0.5


def port_preference(result: PortResult) -> tuple[int, int]:
    """Implicit TLS before STARTTLS; among STARTTLS, 587 (submission) before 25, then others."""
    if result.tls is TlsMode.IMPLICIT:
        return (0, 0 if result.port == 465 else 1)
    order = {587: 0, 25: 1}
    return (1, order.get(result.port, 2))


def recommend(results: Sequence[PortResult]) -> Recommendation | None:
    candidates = sorted((r for r in results if r.usable_for_login), key=port_preference)
    if not candidates:
        return None
    best = candidates[0]
    cert = best.certificate
    pinned = cert.sha256 if cert is not None and not cert.verified and cert.pinned else None
    return Recommendation(best.port, best.tls, best.usable_mechanisms, pinned_sha256=pinned)


def verdict_for(
    results: Sequence[PortResult], recommendation: Recommendation | None, cancelled: bool = False
) -> Verdict:
    if recommendation is not None:
        return Verdict.RECOMMENDED
    if cancelled:
        return Verdict.CANCELLED
    if not any(r.reachable for r in results):
        return Verdict.NOTHING_REACHABLE
    if any(r.status in TLS_PROBLEM_STATUSES for r in results):
        return Verdict.TLS_PROBLEM
    return Verdict.NO_SECURE_OPTION


def _publish(
    results: dict[int, PortResult],
    shown: dict[int, PortResult],
    newest: int,
    on_result: Callable[[PortResult], None] | None,
) -> None:
    """Judge interception over the results so far and pass on what is new: the newest port,
    then any earlier port its evidence turns into another's (a relay's 465 proving that the
    certificate already seen on 25 is someone else's)."""
    judged = judge_interception(list(results.values()))
    for result in sorted(judged, key=lambda r: r.port != newest):
        if shown.get(result.port) != result:
            shown[result.port] = result
            if on_result is not None:
                on_result(result)


def probe_relay(
    host: str,
    ports: Sequence[PortSpec] = DEFAULT_PORTS,
    options: ProbeOptions | None = None,
    on_result: Callable[[PortResult], None] | None = None,
    cancel: CancelToken | None = None,
) -> ProbeReport:
    """Probe `ports` of `host` concurrently. `on_result` is called (in this thread) with each
    port's result the moment it is known, and again for a port that later results show to be
    answered by someone else (status intercepted); the report keeps the order of `ports`."""
    opts = options or ProbeOptions()
    ports = tuple({spec.port: spec for spec in ports}.values())  # one probe per port number
    started = time.monotonic()
    deadline = Deadline(opts.deadline)
    if cancel is not None:
        cancel.bind(deadline)
    inbox: queue.Queue[PortResult] = queue.Queue()
    pace = ConnectPace()  # the ports that answer tell how long a dropped one may keep us

    def work(spec: PortSpec) -> None:
        try:
            result = probe_port(spec, host, opts, deadline, pace=pace)
        except Exception as exc:  # never a thread's traceback, never a wait for the deadline
            result = PortResult(spec.port, PortStatus.ERROR, detail=f"{type(exc).__name__}: {exc}")
        inbox.put(result)

    # Daemon threads: a name lookup cannot be interrupted, and it must not hold the program.
    for spec in ports:
        threading.Thread(target=work, args=(spec,), daemon=True, name=f"probe-{spec}").start()

    results: dict[int, PortResult] = {}  # as the ports reported them
    shown: dict[int, PortResult] = {}  # as judged, and passed on
    hard_stop = started + opts.deadline + _GRACE
    cancel_stop = float("inf")
    try:
        while len(results) < len(ports):
            now = time.monotonic()
            if deadline.fired == "cancelled" and cancel_stop == float("inf"):
                cancel_stop = now + _GRACE
            stop = min(hard_stop, cancel_stop)
            if now >= stop:
                break
            try:
                result = inbox.get(timeout=min(stop - now, 0.1))
            except queue.Empty:
                continue
            if result.port not in results:
                results[result.port] = result
                _publish(results, shown, result.port, on_result)
    finally:
        deadline.close()

    cancelled = deadline.fired == "cancelled"
    missing_status = PortStatus.CANCELLED if cancelled else PortStatus.DEADLINE
    for spec in ports:
        if spec.port not in results:
            late = PortResult(
                spec.port,
                missing_status,
                detail="no result before the overall time limit" if not cancelled else "cancelled",
                elapsed_ms=int((time.monotonic() - started) * 1000),
            )
            results[spec.port] = late
            _publish(results, shown, spec.port, on_result)
    ordered = tuple(shown[spec.port] for spec in ports)
    elapsed_ms = int((time.monotonic() - started) * 1000)
    return report_for(host, ordered, opts, elapsed_ms, cancelled)


def report_for(
    host: str,
    results: Sequence[PortResult],
    opts: ProbeOptions,
    elapsed_ms: int,
    cancelled: bool = False,
) -> ProbeReport:
    """A host's report from its ports' results, in the order given: interception judged, the
    recommendation, the verdict and what the network does, in words."""
    judged = judge_interception(results)
    recommendation = recommend(judged)
    report = ProbeReport(
        host=host,
        ports=judged,
        recommended=recommendation,
        verdict=verdict_for(judged, recommendation, cancelled),
        elapsed_ms=elapsed_ms,
        ca_file=opts.ca_file,
    )
    return replace(report, advice=network_advice(report))
