"""What a discovery found: each candidate host with the sources that named it, its probe, why it
was or was not chosen, and where a source and the live server disagree; its JSON form."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..results import PortResult, PortStatus, ProbeReport, TlsMode, Verdict
from ..text import QT_TRANSLATE_NOOP, Text
from .model import Candidate, Origin, SourceFailure, said

# How a person names each source in a sentence ("autoconfig says STARTTLS on 587 ...").
SOURCE_NAMES = {
    Origin.PROFILE: QT_TRANSLATE_NOOP("discover", "the profile"),
    Origin.DROP_IN: QT_TRANSLATE_NOOP("discover", "the local drop-in file"),
    Origin.AUTOCONFIG: QT_TRANSLATE_NOOP("discover", "autoconfig"),
    Origin.SRV: QT_TRANSLATE_NOOP("discover", "DNS SRV"),
    Origin.AUTOCONFIG_HTTP: QT_TRANSLATE_NOOP("discover", "autoconfig over plain http"),
    Origin.MX: QT_TRANSLATE_NOOP("discover", "the MX record"),
    Origin.GUESS: QT_TRANSLATE_NOOP("discover", "a guess"),
}
_TLS_WORDS = {
    TlsMode.IMPLICIT: QT_TRANSLATE_NOOP("discover", "implicit TLS"),
    TlsMode.STARTTLS: QT_TRANSLATE_NOOP("discover", "STARTTLS"),
    TlsMode.NONE: QT_TRANSLATE_NOOP("discover", "plain"),
}


def _tls(mode: TlsMode) -> Text:
    return Text("discover", _TLS_WORDS[mode])


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
    disagreements: tuple[Text, ...] = ()  # str(): the English of the command line and JSON

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
            "disagreements": [str(d) for d in self.disagreements],
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


def _port_words(result: PortResult) -> Text:
    """What a port did, to follow "but 587 ..."."""
    if result.status is PortStatus.REFUSED:
        return said(QT_TRANSLATE_NOOP("discover", "is closed"))
    if result.status is PortStatus.TIMEOUT:
        return said(QT_TRANSLATE_NOOP("discover", "does not answer"))
    if result.status is PortStatus.CERTIFICATE:
        return said(QT_TRANSLATE_NOOP("discover", "has a certificate that does not verify"))
    if result.status is PortStatus.STARTTLS_MISSING or (
        result.status is PortStatus.OK and result.tls is TlsMode.NONE
    ):
        return said(QT_TRANSLATE_NOOP("discover", "offers no TLS"))
    if result.status is PortStatus.OK and not result.usable_mechanisms:
        return said(QT_TRANSLATE_NOOP("discover", "offers no password login after TLS"))
    return said(
        QT_TRANSLATE_NOOP("discover", "fails ({status})"),
        status=result.status.value.replace("_", " "),
    )


def disagreements(candidates: tuple[Candidate, ...], probe: ProbeReport | None) -> tuple[Text, ...]:
    """Where what a source said and what the live server does differ, in a person's words:
    "autoconfig says STARTTLS on 587, but 587 is closed; 465 works"."""
    found: list[Text] = []
    works: Text | None = None
    if probe is not None and probe.recommended is not None:
        rec = probe.recommended
        works = said(
            QT_TRANSLATE_NOOP("discover", "{port} ({tls}) works"),
            port=str(rec.port),
            tls=_tls(rec.tls),
        )
    for c in candidates:
        who = Text("discover", SOURCE_NAMES[c.origin])
        if c.tls is TlsMode.NONE:
            found.append(
                said(
                    QT_TRANSLATE_NOOP("discover", "{who} says plain on {port}: never used"),
                    who=who,
                    port=str(c.port),
                )
                if c.port
                else said(QT_TRANSLATE_NOOP("discover", "{who} says plain: never used"), who=who)
            )
            continue
        if c.port is None or probe is None:
            continue
        result = next((r for r in probe.ports if r.port == c.port), None)
        if result is None or result.status in (PortStatus.CANCELLED, PortStatus.DEADLINE):
            continue
        port = str(c.port)
        claim = (
            said(
                QT_TRANSLATE_NOOP("discover", "{who} says {tls} on {port}"),
                who=who,
                tls=_tls(c.tls),
                port=port,
            )
            if c.tls
            else said(
                QT_TRANSLATE_NOOP("discover", "{who} says port on {port}"), who=who, port=port
            )
        )
        if result.usable_for_login:
            if c.tls is not None and result.tls is not c.tls:
                found.append(
                    said(
                        QT_TRANSLATE_NOOP("discover", "{claim}, but {port} speaks {tls}"),
                        claim=claim,
                        port=port,
                        tls=_tls(result.tls),
                    )
                )
            continue
        if result.status is PortStatus.DNS_FAILED:
            found.append(
                said(
                    QT_TRANSLATE_NOOP("discover", "{claim}, but {host} does not resolve"),
                    claim=claim,
                    host=c.host,
                )
            )
            continue
        what = _port_words(result)
        if works is not None and probe.recommended and probe.recommended.port != c.port:
            found.append(
                said(
                    QT_TRANSLATE_NOOP("discover", "{claim}, but {port} {what}; {works}"),
                    claim=claim,
                    port=port,
                    what=what,
                    works=works,
                )
            )
        else:
            found.append(
                said(
                    QT_TRANSLATE_NOOP("discover", "{claim}, but {port} {what}"),
                    claim=claim,
                    port=port,
                    what=what,
                )
            )
    return tuple(dict.fromkeys(found))
