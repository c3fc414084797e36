"""MX: the domain's mail exchangers (preference order), then `smtp.` and `mail.` of each MX
host's registrable domain (the Public Suffix List bundled with publicsuffixlist; no network).
An organisation whose mail is hosted elsewhere usually submits there too. Never authenticated:
an MX answer says where mail is delivered, not where this user may log in."""

from __future__ import annotations

import functools
import time
from typing import TYPE_CHECKING

from .. import values
from ..text import QT_TRANSLATE_NOOP
from .dns import DnsFailure
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
    from publicsuffixlist import PublicSuffixList

    from ..deadline import Deadline
    from .dns import DnsClient

NULL_MX = QT_TRANSLATE_NOOP("discover", "domain accepts no mail (null MX)")


@functools.cache
def _suffix_list() -> PublicSuffixList:
    from publicsuffixlist import PublicSuffixList  # parses the bundled list: once, on first use

    return PublicSuffixList()


def registrable_domain(host: str) -> str | None:
    """example.co.uk for mx1.mail.example.co.uk; None for a public suffix itself."""
    found = _suffix_list().privatesuffix(host)
    return str(found) if found else None


def mx_outcome(domain: str, dns: DnsClient, deadline: Deadline) -> SourceOutcome:
    """Candidates from the MX records of `domain`; never raises."""
    started = time.monotonic()
    asked = f"MX {domain}"
    candidates: list[Candidate] = []
    failures: list[SourceFailure] = []

    def elapsed() -> int:
        return int((time.monotonic() - started) * 1000)

    try:
        records = dns.mx(domain, deadline)
    except DnsFailure as exc:
        return SourceOutcome(Origin.MX, (), (SourceFailure(Origin.MX, asked, exc.text),), elapsed())
    except values.InvalidValue as exc:
        why = exc.why_text
        return SourceOutcome(Origin.MX, (), (SourceFailure(Origin.MX, asked, why),), elapsed())
    except Exception as exc:  # a source never takes the search down with it
        reason = lookup_failed(exc)
        return SourceOutcome(Origin.MX, (), (SourceFailure(Origin.MX, asked, reason),), elapsed())

    exchangers: list[tuple[int, str]] = []
    for preference, target in records:
        if target == ".":
            continue
        try:
            exchangers.append((preference, values.host(target, "MX host")))
        except values.InvalidValue as exc:
            failures.append(SourceFailure(Origin.MX, asked, bad_record(exc)))
    if not exchangers and any(target == "." for _, target in records):
        failures.append(SourceFailure(Origin.MX, asked, as_text(NULL_MX)))

    seen: set[str] = set()

    def add(host: str, detail: str) -> None:
        if host not in seen:
            seen.add(host)
            candidates.append(Candidate(host, Origin.MX, detail=detail, order=len(candidates)))

    for preference, host in exchangers:
        add(host, f"MX of {domain}, preference {preference}")
    for _, host in exchangers:
        parent = registrable_domain(host)
        if parent is None:
            continue
        for prefix in ("smtp", "mail"):
            add(f"{prefix}.{parent}", f"{prefix}. of {parent}, the registrable domain of MX {host}")
    return SourceOutcome(Origin.MX, tuple(candidates), tuple(failures), elapsed())
