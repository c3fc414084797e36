"""When the probe's recommendation is settled: no port still being probed could beat it.

The wizard's Next (and anything else that streams results) need not wait for a filtered port's
timeout once a port as good as any that could still answer has been verified: implicit TLS on 465
is the best there is, and a verified 587 leaves port 25 nothing better to give.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from ..results import PortResult, PortSpec, PortStatus, Recommendation, TlsMode
from .relay import port_preference, recommend

# Ports whose service speaks STARTTLS by assignment (RFC 6409 submission, RFC 5321 SMTP): an
# implicit-TLS listener there is a misconfiguration that the recommendation does not wait for.
STARTTLS_PORTS = frozenset({587, 25})


def best_possible(spec: PortSpec) -> tuple[int, int]:
    """The best preference (lower is better) a port still being probed could end with."""
    # An unmarked port that never greets in clear is tried with implicit TLS (port.py).
    could_be_implicit = spec.implicit or spec.port not in STARTTLS_PORTS
    tls = TlsMode.IMPLICIT if could_be_implicit else TlsMode.STARTTLS
    return port_preference(PortResult(spec.port, PortStatus.OK, tls=tls))


def settled(
    results: Mapping[int, PortResult],
    pending: Sequence[PortSpec],
    *,
    auth: str | None = None,
) -> Recommendation | None:
    """The recommendation from `results` (by port number) if none of the `pending` ports could
    still give a better one; else None. `auth`: only ports offering this mechanism count (a
    profile that forces one), and it is the one recommended.

    A pending port that could only tie keeps nothing waiting; ties between finished ports are
    broken as `recommend` breaks them."""
    candidates = [r for r in results.values() if auth is None or auth in r.usable_mechanisms]
    recommendation = recommend(candidates)
    if recommendation is None:
        return None
    chosen = results[recommendation.port]
    waiting = [spec for spec in pending if spec.port not in results]
    if any(best_possible(spec) < port_preference(chosen) for spec in waiting):
        return None
    return recommendation if auth is None else replace(recommendation, auth=(auth,))


__all__ = ["STARTTLS_PORTS", "best_possible", "settled"]
