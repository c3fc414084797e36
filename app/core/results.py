"""Typed results of a relay probe, and their JSON form (derived, never the source of truth)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from . import values
from .text import QT_TRANSLATE_NOOP, Text


class TlsMode(enum.Enum):
    IMPLICIT = "implicit"  # TLS from the first byte (port 465, "SSL/TLS")
    STARTTLS = "starttls"  # plain greeting, then STARTTLS
    NONE = "none"  # no TLS at all: never used for a login


class PortStatus(enum.Enum):
    OK = "ok"
    DNS_FAILED = "dns_failed"  # the name does not resolve
    REFUSED = "refused"  # connection refused: nothing listens there
    TIMEOUT = "timeout"  # no answer to the connect: a network (hotel, café) may block the port
    SILENT = "silent"  # accepted the connection, then neither greeted nor spoke TLS
    NOT_SMTP = "not_smtp"  # something else answered (not SMTP, not a web page)
    INTERCEPTED = "intercepted"  # answered, but not by the relay: another mail server, a portal
    SERVICE_REFUSED = "service_refused"  # greeting 554: the server will not serve us
    STARTTLS_FAILED = "starttls_failed"  # STARTTLS offered but refused (454) or broken
    STARTTLS_MISSING = "starttls_missing"  # TLS was required and is not offered: possible downgrade
    TLS_FAILED = "tls_failed"  # the TLS handshake failed
    CERTIFICATE = "certificate"  # TLS works but the certificate does not verify
    CLOSED = "closed"  # the server closed the connection
    PROTOCOL_ERROR = "protocol_error"  # replies that are not SMTP: garbled, overlong, EHLO refused
    DEADLINE = "deadline"  # the overall deadline ran out (a slow or dripping server)
    CANCELLED = "cancelled"
    ERROR = "error"  # anything else; the detail says what


class CertError(enum.Enum):
    UNKNOWN_ISSUER = "unknown_issuer"
    SELF_SIGNED = "self_signed"
    HOSTNAME_MISMATCH = "hostname_mismatch"
    EXPIRED = "expired"
    OTHER = "other"


REACHABLE_STATUSES = frozenset(
    {
        PortStatus.OK,
        PortStatus.SERVICE_REFUSED,
        PortStatus.STARTTLS_FAILED,
        PortStatus.STARTTLS_MISSING,
        PortStatus.TLS_FAILED,
        PortStatus.CERTIFICATE,
        PortStatus.PROTOCOL_ERROR,
    }
)
TLS_PROBLEM_STATUSES = frozenset(
    {
        PortStatus.STARTTLS_FAILED,
        PortStatus.STARTTLS_MISSING,
        PortStatus.TLS_FAILED,
        PortStatus.CERTIFICATE,
    }
)

# Mechanisms we can use for a password login, best first. CRAM-MD5 never sends the password,
# but over TLS PLAIN is as safe and universally supported; the order follows what Postfix offers.
USABLE_MECHANISMS = ("PLAIN", "LOGIN", "CRAM-MD5")


class PortModeError(ValueError):
    """A port's mode that is neither implicit nor starttls; `text` for a window to word."""

    def __init__(self, text: Text) -> None:
        self.text = text
        super().__init__(str(text))


@dataclass(frozen=True)
class PortSpec:
    """One port to probe; `implicit` forces TLS from the first byte."""

    port: int
    implicit: bool = False
    require_tls: bool = False  # TLS was expected (profile, or seen before): its absence is refused

    @classmethod
    def default(cls, port: int) -> PortSpec:
        return cls(port, implicit=port == 465)

    @classmethod
    def parse(cls, text: str) -> PortSpec:
        """`587`, `465`, `2465/implicit`, `587/starttls` (the CLI's --port)."""
        number, _, mode = text.partition("/")
        port = values.port(number)  # an InvalidValue, which is a ValueError
        if mode in ("", "auto"):
            return cls.default(port)
        if mode in ("implicit", "ssl", "tls"):
            return cls(port, implicit=True)
        if mode == "starttls":
            return cls(port, implicit=False, require_tls=True)
        raise PortModeError(
            Text.of(
                "values",
                QT_TRANSLATE_NOOP("values", "unknown port mode {mode} (use implicit or starttls)"),
                mode=repr(mode),
            )
        )

    def __str__(self) -> str:
        return f"{self.port}/implicit" if self.implicit and self.port != 465 else str(self.port)


@dataclass(frozen=True)
class CertificateInfo:
    subject: str
    issuer: str
    san: tuple[str, ...]
    not_before: str  # ISO 8601, UTC
    not_after: str
    sha256: str  # AA:BB:... (the form msmtp's tls_fingerprint takes)
    verified: bool  # chain and host name check out against the trusted roots
    error: CertError | None = None
    error_detail: str = ""  # OpenSSL's own words
    pinned: bool = False  # not verified, but matches the fingerprint the user or profile pinned

    @property
    def trusted(self) -> bool:
        return self.verified or self.pinned

    def to_json(self) -> dict[str, Any]:
        return {
            "verified": self.verified,
            "pinned": self.pinned,
            "error": self.error.value if self.error else None,
            "error_detail": self.error_detail or None,
            "subject": self.subject,
            "issuer": self.issuer,
            "san": list(self.san),
            "not_before": self.not_before,
            "not_after": self.not_after,
            "sha256": self.sha256,
        }


@dataclass(frozen=True)
class PortResult:
    port: int
    status: PortStatus
    tls: TlsMode = TlsMode.NONE
    detail: str = ""  # technical detail (the server's words, the OS error)
    greeting: str = ""
    starttls_offered: bool = False
    ehlo_before_tls: tuple[str, ...] = ()  # extension lines as the server wrote them
    ehlo_after_tls: tuple[str, ...] = ()
    auth_before_tls: tuple[str, ...] = ()
    auth_after_tls: tuple[str, ...] = ()
    size_limit: int | None = None
    features: tuple[str, ...] = ()  # 8BITMIME, SMTPUTF8, PIPELINING ... as last seen
    tls_version: str = ""
    cipher: str = ""
    certificate: CertificateInfo | None = None
    implicit_fallback: bool = False  # never greeted in plain text, then spoke implicit TLS
    elapsed_ms: int = 0

    @property
    def reachable(self) -> bool:
        return self.status in REACHABLE_STATUSES

    @property
    def secure(self) -> bool:
        """TLS established with a certificate that verifies or is pinned."""
        return (
            self.status is PortStatus.OK
            and self.tls is not TlsMode.NONE
            and self.certificate is not None
            and self.certificate.trusted
        )

    @property
    def usable_mechanisms(self) -> tuple[str, ...]:
        offered = set(self.auth_after_tls)
        return tuple(m for m in USABLE_MECHANISMS if m in offered)

    @property
    def auth_only_after_tls(self) -> bool:
        """The good case: a Postfix with smtpd_tls_auth_only = yes."""
        return bool(self.auth_after_tls) and not self.auth_before_tls

    @property
    def usable_for_login(self) -> bool:
        return self.secure and bool(self.usable_mechanisms)

    def to_json(self) -> dict[str, Any]:
        return {
            "port": self.port,
            "status": self.status.value,
            "tls": self.tls.value,
            "secure": self.secure,
            "detail": self.detail or None,
            "greeting": self.greeting or None,
            "starttls_offered": self.starttls_offered,
            "implicit_fallback": self.implicit_fallback,
            "auth_before_tls": list(self.auth_before_tls),
            "auth_after_tls": list(self.auth_after_tls),
            "auth_only_after_tls": self.auth_only_after_tls,
            "ehlo_before_tls": list(self.ehlo_before_tls),
            "ehlo_after_tls": list(self.ehlo_after_tls),
            "size_limit": self.size_limit,
            "features": list(self.features),
            "tls_version": self.tls_version or None,
            "cipher": self.cipher or None,
            "certificate": self.certificate.to_json() if self.certificate else None,
            "elapsed_ms": self.elapsed_ms,
        }


@dataclass(frozen=True)
class Recommendation:
    port: int
    tls: TlsMode
    auth: tuple[str, ...]  # usable mechanisms after TLS, best first
    pinned_sha256: str | None = None  # set when the certificate is trusted by pin only

    def to_json(self) -> dict[str, Any]:
        return {
            "port": self.port,
            "tls": self.tls.value,
            "auth": list(self.auth),
            "pinned_sha256": self.pinned_sha256,
        }


class Verdict(enum.Enum):
    """The probe's conclusion; each maps to its own CLI exit status."""

    RECOMMENDED = "recommended"
    NOTHING_REACHABLE = "nothing_reachable"
    TLS_PROBLEM = "tls_problem"
    NO_SECURE_OPTION = "no_secure_option"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class NetworkSummary:
    """What the network between us and the relay does: ports it drops, ports someone else
    answers."""

    blocked: tuple[int, ...]  # no answer at all to the connect (status timeout)
    intercepted: tuple[int, ...]


@dataclass(frozen=True)
class ProbeReport:
    host: str
    ports: tuple[PortResult, ...]
    recommended: Recommendation | None
    verdict: Verdict
    elapsed_ms: int = 0
    ca_file: str | None = None
    advice: str = ""  # what this network does and what to do, for a person (explain.py's words)

    def result(self, port: int) -> PortResult:
        for r in self.ports:
            if r.port == port:
                return r
        raise KeyError(port)

    @property
    def network(self) -> NetworkSummary:
        def having(status: PortStatus) -> tuple[int, ...]:
            return tuple(r.port for r in self.ports if r.status is status)

        return NetworkSummary(having(PortStatus.TIMEOUT), having(PortStatus.INTERCEPTED))

    def to_json(self) -> dict[str, Any]:
        network = self.network
        return {
            "host": self.host,
            "ports": [r.to_json() for r in self.ports],
            "recommended": self.recommended.to_json() if self.recommended else None,
            "verdict": self.verdict.value,
            "network": {
                "blocked": list(network.blocked),
                "intercepted": list(network.intercepted),
                "advice": self.advice or None,
            },
            "ca_file": self.ca_file,
            "elapsed_ms": self.elapsed_ms,
        }
