"""What discovery works with: candidate relays, where each came from, and what each source
failed to give. Shared by the sources (DNS SRV and MX, autoconfig, drop-in, profile, guesses)
and by the search that probes them all."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from ..results import TlsMode
from ..text import QT_TRANSLATE_NOOP, Text


class Origin(enum.Enum):
    """Where a candidate came from, most trusted first (`rank`)."""

    PROFILE = "profile"  # the organisation's profile (embedded or --profile)
    DROP_IN = "drop_in"  # /etc/relay-setup/autoconfig/DOMAIN.xml, put there by IT
    AUTOCONFIG = "autoconfig"  # Mozilla autoconfig over https, certificate verified
    SRV = "srv"  # RFC 6186 / RFC 8314 DNS SRV
    AUTOCONFIG_HTTP = "autoconfig_http"  # plain http: anyone on the path can forge it
    MX = "mx"  # the domain's MX host, and smtp./mail. of its registrable domain
    GUESS = "guess"  # smtp.DOMAIN, mail.DOMAIN, DOMAIN

    @property
    def rank(self) -> int:
        return list(Origin).index(self)


@dataclass(frozen=True)
class Candidate:
    """A relay host a source named, with the port and TLS mode it said, if it said one."""

    host: str  # ASCII, lower case, no trailing dot
    origin: Origin
    port: int | None = None  # None: the source names only a host; the usual ports are tried
    tls: TlsMode | None = None  # what the source claims (None: it did not say)
    # The answer itself is authenticated: a profile or drop-in, https with a verified
    # certificate, SRV with DNSSEC (the AD bit). MX, plain http and guesses never are.
    authenticated: bool = False
    detail: str = ""  # for a person: "_submissions._tcp.example.org, priority 0 weight 5"
    order: int = 0  # position within its source (SRV priority/weight order), best first


def said(template: str, **fields: str | Text) -> Text:
    """A reason or note of discovery; `template` marked QT_TRANSLATE_NOOP("discover", ...)."""
    return Text.of("discover", template, **fields)


def as_text(reason: str | Text) -> Text:
    """A reason as a Text: one already worded, or a fixed word (marked where it was written;
    an unmarked one, such as a library's message, shows as it is)."""
    return reason if isinstance(reason, Text) else Text("discover", reason)


def lookup_failed(exc: BaseException) -> Text:
    """A source's lookup that raised what nobody expected."""
    return said(QT_TRANSLATE_NOOP("discover", "lookup failed: {error}"), error=str(exc))


def bad_record(exc: Exception) -> Text:
    """A record refused (an InvalidValue: its own words, translated too)."""
    why = getattr(exc, "text", None)
    return said(
        QT_TRANSLATE_NOOP("discover", "bad record: {why}"),
        why=why if isinstance(why, Text) else str(exc),
    )


@dataclass(frozen=True)
class SourceFailure:
    """A source that gave nothing, and why: NXDOMAIN, timeout, HTTP 404, bad XML, ..."""

    origin: Origin
    asked: str  # the name or URL asked
    why: Text  # for a window to word (app/core/text.py)

    @property
    def reason(self) -> str:
        """The English words (the command line's and JSON's)."""
        return str(self.why)


@dataclass(frozen=True)
class SourceOutcome:
    """Everything one source gave: its candidates and its failures (both may be non-empty)."""

    origin: Origin
    candidates: tuple[Candidate, ...] = ()
    failures: tuple[SourceFailure, ...] = ()
    elapsed_ms: int = 0
