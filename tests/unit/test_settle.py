"""settled(): the recommendation as soon as no port still being probed could beat it."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from app.core.probe.relay import recommend
from app.core.probe.settle import settled
from app.core.results import CertificateInfo, PortResult, PortSpec, PortStatus, TlsMode

_CERT = CertificateInfo("CN=relay", "CN=ca", (), "", "", "AA", verified=True)  # verifies


def verified(port: int, tls: TlsMode, auth: tuple[str, ...] = ("PLAIN", "LOGIN")) -> PortResult:
    return PortResult(port, PortStatus.OK, tls=tls, auth_after_tls=auth, certificate=_CERT)


def timeout(port: int) -> PortResult:
    return PortResult(port, PortStatus.TIMEOUT)


IMPLICIT_465 = verified(465, TlsMode.IMPLICIT)
STARTTLS_587 = verified(587, TlsMode.STARTTLS)
STARTTLS_25 = verified(25, TlsMode.STARTTLS)
PLAIN_587 = PortResult(587, PortStatus.OK, tls=TlsMode.NONE, auth_after_tls=("PLAIN",))
DEFAULT = {s.port: s for s in (PortSpec(465, implicit=True), PortSpec(587), PortSpec(25))}


def pending(*ports: int) -> Sequence[PortSpec]:
    return [DEFAULT.get(p) or PortSpec(p) for p in ports]


@pytest.mark.parametrize(
    ("done", "waiting", "expected"),
    [
        # 465 verified is the best there is: nothing else is waited for
        ([IMPLICIT_465], pending(587, 25), 465),
        # a verified 587 leaves 25 nothing better to give ...
        ([timeout(465), STARTTLS_587], pending(25), 587),
        # ... but 465 could still beat it
        ([STARTTLS_587], pending(465, 25), None),
        # 25 verified: 587 (submission) could still come and is preferred
        ([timeout(465), STARTTLS_25], pending(587), None),
        ([timeout(465), timeout(587), STARTTLS_25], pending(), 25),
        # an unmarked unusual port may still turn out to speak implicit TLS: it is waited for
        ([timeout(465), STARTTLS_587], [PortSpec(2525)], None),
        # ... unless an implicit port is verified already (a tie is not better)
        ([verified(2465, TlsMode.IMPLICIT)], [PortSpec(2525)], 2465),
        # a port forced to STARTTLS elsewhere than 587/25 still falls back to implicit TLS
        ([STARTTLS_587], [PortSpec(2587, require_tls=True)], None),
        # no usable port yet: nothing settled, whatever is pending
        ([PLAIN_587], pending(25), None),
        ([timeout(465)], pending(587, 25), None),
        ([], pending(465, 587, 25), None),
        # everything in: the same as recommend()
        ([timeout(465), PLAIN_587, STARTTLS_25], pending(), 25),
        # a result for a port also listed as pending counts as done
        ([IMPLICIT_465, STARTTLS_587], pending(465, 587, 25), 465),
    ],
)
def test_settled(done: list[PortResult], waiting: Sequence[PortSpec], expected: int | None) -> None:
    found = settled({r.port: r for r in done}, waiting)
    assert (found.port if found else None) == expected
    if found is not None:
        assert found == recommend(done)  # the settled recommendation is recommend()'s own


def test_settled_is_the_final_recommendation_whatever_the_pending_ports_give() -> None:
    """Whatever each pending port of the default three ends with, once settled() has spoken the
    final recommendation is no better than what it said."""
    outcomes = {
        465: [IMPLICIT_465, timeout(465)],
        587: [STARTTLS_587, timeout(587), PLAIN_587],
        25: [STARTTLS_25, timeout(25)],
    }
    for first in (465, 587, 25):
        for early in outcomes[first]:
            early_pick = settled({first: early}, pending(*(p for p in DEFAULT if p != first)))
            if early_pick is None:
                continue
            rest = [p for p in DEFAULT if p != first]
            for a in outcomes[rest[0]]:
                for b in outcomes[rest[1]]:
                    final = recommend([early, a, b])
                    assert final is not None and final.port == early_pick.port


def test_a_forced_mechanism_counts_only_ports_offering_it() -> None:
    cram_only = verified(465, TlsMode.IMPLICIT, auth=("CRAM-MD5",))
    assert settled({465: cram_only, 587: STARTTLS_587}, pending(25)) is not None
    found = settled({465: cram_only, 587: STARTTLS_587}, pending(25), auth="PLAIN")
    assert found is not None and found.port == 587 and found.auth == ("PLAIN",)
    assert settled({465: cram_only}, pending(587, 25), auth="PLAIN") is None
