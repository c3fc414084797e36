"""DNS SRV (RFC 6186, RFC 8314): `_submissions._tcp.DOMAIN` (implicit TLS) and
`_submission._tcp.DOMAIN` (STARTTLS), asked at once.

Order: implicit TLS records before STARTTLS ones (RFC 8314 §5.1 prefers implicit TLS), and
within each the lowest priority first (RFC 2782). Within one priority RFC 2782 draws at random,
weighted; here the highest weight comes first (then the name and port), so the same answer
gives the same order on every run: every candidate is probed anyway, the order only breaks ties.
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING

from .. import values
from ..results import TlsMode
from ..text import QT_TRANSLATE_NOOP, Text
from .dns import DnsFailure, SrvRecord
from .model import (
    Candidate,
    Origin,
    SourceFailure,
    SourceOutcome,
    as_text,
    bad_record,
    lookup_failed,
)

if TYPE_CHECKING:
    from ..deadline import Deadline
    from .dns import DnsClient

SERVICES = (("_submissions", TlsMode.IMPLICIT), ("_submission", TlsMode.STARTTLS))
NOT_OFFERED = QT_TRANSLATE_NOOP("discover", "service explicitly not offered")


def srv_order(records: list[SrvRecord]) -> list[SrvRecord]:
    """Lowest priority first; within a priority the highest weight first (deterministic)."""
    return sorted(records, key=lambda r: (r.priority, -r.weight, r.target, r.port))


def srv_outcome(domain: str, dns: DnsClient, deadline: Deadline) -> SourceOutcome:
    """Candidates from both SRV names; never raises: what went wrong is in the failures."""
    started = time.monotonic()
    names = [(f"{service}._tcp.{domain}", tls) for service, tls in SERVICES]
    answers: dict[str, tuple[list[SrvRecord], bool] | Text] = {}

    def ask(name: str) -> None:
        try:
            answers[name] = dns.srv(name, deadline)
        except DnsFailure as exc:
            answers[name] = exc.text
        except values.InvalidValue as exc:
            answers[name] = exc.why_text
        except Exception as exc:  # a source never takes the search down with it
            answers[name] = lookup_failed(exc)

    other = threading.Thread(target=ask, args=(names[1][0],), daemon=True)
    other.start()
    ask(names[0][0])
    other.join()

    candidates: list[Candidate] = []
    failures: list[SourceFailure] = []
    for name, tls in names:
        answer = answers[name]
        if isinstance(answer, Text):
            failures.append(SourceFailure(Origin.SRV, name, answer))
            continue
        records, authenticated = answer
        offered = [r for r in records if r.offers_service]
        if not offered:  # only "." (RFC 2782: decidedly not available at this domain)
            failures.append(SourceFailure(Origin.SRV, name, as_text(NOT_OFFERED)))
            continue
        for record in srv_order(offered):
            try:
                host = values.host(record.target, "SRV target")
                if record.port == 0:
                    raise values.InvalidValue(
                        "SRV target",
                        record.target,
                        Text.of("values", QT_TRANSLATE_NOOP("values", "port 0")),
                    )
            except values.InvalidValue as exc:
                failures.append(SourceFailure(Origin.SRV, name, bad_record(exc)))
                continue
            candidates.append(
                Candidate(
                    host=host,
                    origin=Origin.SRV,
                    port=record.port,
                    tls=tls,
                    authenticated=authenticated,
                    detail=f"{name}, priority {record.priority} weight {record.weight}"
                    + (", DNSSEC" if authenticated else ""),
                    order=len(candidates),
                )
            )
    return SourceOutcome(
        Origin.SRV,
        tuple(candidates),
        tuple(failures),
        int((time.monotonic() - started) * 1000),
    )
