"""The last resort, as Thunderbird does it: smtp.DOMAIN, mail.DOMAIN and DOMAIN itself. The probe
tells which of them is a relay; a guess is never trusted with a password without the probe, and
never outside the domain (it cannot be: every guess is the domain or under it)."""

from __future__ import annotations

from .model import Candidate, Origin, SourceOutcome

GUESS_PREFIXES = ("smtp.", "mail.", "")


def guess_outcome(domain: str) -> SourceOutcome:
    candidates = tuple(
        Candidate(f"{prefix}{domain}", Origin.GUESS, detail="a guess from the domain", order=i)
        for i, prefix in enumerate(GUESS_PREFIXES)
    )
    return SourceOutcome(Origin.GUESS, candidates)
