"""What a discovery found: each candidate host with the sources that named it, its probe, why it
was or was not chosen, and where a source and the live server disagree; its JSON form."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..results import PortResult, PortStatus, ProbeReport, TlsMode, Verdict
from .model import Candidate, Origin, SourceFailure

# How a person names each source in a sentence ("autoconfig says STARTTLS on 587 ...").
SOURCE_NAMES = {
    Origin.PROFILE: "the profile",
    Origin.DROP_IN: "the local drop-in file",
    Origin.AUTOCONFIG: "autoconfig",
    Origin.SRV: "DNS SRV",
    Origin.AUTOCONFIG_HTTP: "autoconfig over plain http",
    Origin.MX: "the MX record",
    Origin.GUESS: "a guess",
}
_TLS_WORDS = {TlsMode.IMPLICIT: "implicit TLS", TlsMode.STARTTLS: "STARTTLS", TlsMode.NONE: "plain"}


@dataclass(frozen=True)
class Choice:
    """The recommended relay setting, and the source it came from."""

    host: str
    port: int
    tls: TlsMode
    mechanisms: tuple[str, ...]
    origin: Origin
    pinned_sha256: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "host": self.host,
            "port": self.port,
            "tls": self.tls.value,
            "auth": list(self.mechanisms),
            "source": self.origin.value,
            "pinned_sha256": self.pinned_sha256,
        }


@dataclass(frozen=True)
class HostResult:
    """One candidate host: every source that named it, its probe, and the verdict on it."""

    host: str
    candidates: tuple[Candidate, ...]
    probe: ProbeReport | None
    chosen: bool
    why: str  # why chosen / not chosen, for a person
    disagreements: tuple[str, ...] = ()

    @property
    def origin(self) -> Origin:
        """The most trusted source that named this host."""
        return min((c.origin for c in self.candidates), key=lambda o: o.rank)

    @property
    def authenticated(self) -> bool:
        return any(c.authenticated for c in self.candidates)

    def to_json(self) -> dict[str, Any]:
        return {
            "host": self.host,
            "sources": [
                {
                    "source": c.origin.value,
                    "port": c.port,
                    "tls": c.tls.value if c.tls else None,
                    "authenticated": c.authenticated,
                    "detail": c.detail or None,
                }
                for c in self.candidates
            ],
            "chosen": self.chosen,
            "why": self.why,
            "disagreements": list(self.disagreements),
            "probe": self.probe.to_json() if self.probe else None,
        }


@dataclass(frozen=True)
class DiscoveryReport:
    email: str
    domain: str
    chosen: Choice | None
    # The chosen host's probe: the wizard carries on from it as from a normal probe.
    chosen_probe: ProbeReport | None
    hosts: tuple[HostResult, ...]
    failures: tuple[SourceFailure, ...]
    # The chosen host lies outside the email's domain and only unauthenticated sources named it
    # (RFC 6186 section 6, RFC 7817): no password goes to it without the user's yes.
    needs_confirmation: bool
    verdict: Verdict
    elapsed_ms: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "email": self.email,
            "domain": self.domain,
            "verdict": self.verdict.value,
            "chosen": self.chosen.to_json() if self.chosen else None,
            "needs_confirmation": self.needs_confirmation,
            "candidates": [h.to_json() for h in self.hosts],
            "failures": [
                {"source": f.origin.value, "asked": f.asked, "reason": f.reason}
                for f in self.failures
            ],
            "elapsed_ms": self.elapsed_ms,
        }


def in_domain(host: str, domain: str) -> bool:
    """The host is the email's domain or a name under it."""
    return host == domain or host.endswith("." + domain)


def _port_words(result: PortResult) -> str:
    """What a port did, to follow "but 587 ..."."""
    if result.status is PortStatus.REFUSED:
        return "is closed"
    if result.status is PortStatus.TIMEOUT:
        return "does not answer"
    if result.status is PortStatus.CERTIFICATE:
        return "has a certificate that does not verify"
    if result.status is PortStatus.STARTTLS_MISSING or (
        result.status is PortStatus.OK and result.tls is TlsMode.NONE
    ):
        return "offers no TLS"
    if result.status is PortStatus.OK and not result.usable_mechanisms:
        return "offers no password login after TLS"
    return f"fails ({result.status.value.replace('_', ' ')})"


def disagreements(candidates: tuple[Candidate, ...], probe: ProbeReport | None) -> tuple[str, ...]:
    """Where what a source said and what the live server does differ, in a person's words:
    "autoconfig says STARTTLS on 587, but 587 is closed; 465 works"."""
    said: list[str] = []
    works = ""
    if probe is not None and probe.recommended is not None:
        rec = probe.recommended
        works = f"; {rec.port} ({_TLS_WORDS[rec.tls]}) works"
    for c in candidates:
        who = SOURCE_NAMES[c.origin]
        if c.tls is TlsMode.NONE:
            said.append(f"{who} says plain{f' on {c.port}' if c.port else ''}: never used")
            continue
        if c.port is None or probe is None:
            continue
        result = next((r for r in probe.ports if r.port == c.port), None)
        if result is None or result.status in (PortStatus.CANCELLED, PortStatus.DEADLINE):
            continue
        claim = f"{who} says {_TLS_WORDS[c.tls] if c.tls else 'port'} on {c.port}"
        if result.usable_for_login:
            if c.tls is not None and result.tls is not c.tls:
                said.append(f"{claim}, but {c.port} speaks {_TLS_WORDS[result.tls]}")
            continue
        if result.status is PortStatus.DNS_FAILED:
            said.append(f"{claim}, but {c.host} does not resolve")
            continue
        other = works if probe.recommended and probe.recommended.port != c.port else ""
        said.append(f"{claim}, but {c.port} {_port_words(result)}{other}")
    return tuple(dict.fromkeys(said))
