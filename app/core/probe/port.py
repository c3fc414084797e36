"""Probe one port of a relay: connect, greeting, EHLO, TLS (implicit or STARTTLS), EHLO again,
the certificate. What `openssl s_client -starttls smtp` shows an admin, as typed values."""

from __future__ import annotations

import smtplib
import ssl
import threading
import time
from dataclasses import dataclass, field, replace

from ..deadline import Deadline, DeadlineExceeded
from ..results import CertificateInfo, PortResult, PortSpec, PortStatus, TlsMode
from .connection import AddressResolver, GuardedSMTP, PortFailure, classify, decode_reply
from .tcp import ConnectPace
from .tls import (
    classify_verify_error,
    describe_certificate,
    inspecting_context,
    verifying_context,
)

_FEATURES_OF_INTEREST = (
    "8BITMIME",
    "SMTPUTF8",
    "PIPELINING",
    "CHUNKING",
    "DSN",
    "ENHANCEDSTATUSCODES",
)
# What we send to a port that accepted the connection but never greeted: a web server answers it.
_POKE = "EHLO relay-setup.invalid"
# The STARTTLS ports by standard (RFC 8314): there a TLS hello sent before the greeting is what
# Postfix logs as "improper command pipelining" and postscreen punishes (its pregreet test), so
# implicit TLS is tried only after the plain connection heard nothing.
_STARTTLS_PORTS = frozenset({25, 587})


@dataclass(frozen=True)
class ProbeOptions:
    timeout: float = 5.0  # connect, and each read
    deadline: float = 15.0  # the whole probe, all ports
    ca_file: str | None = None  # the organisation's private CA (PEM)
    pin_sha256: str | None = None  # an explicitly accepted certificate fingerprint
    resolver: AddressResolver | None = None  # --resolver's DNS server; None: the system's


@dataclass
class _Findings:
    """What we learnt so far; turned into a PortResult whatever the outcome."""

    spec: PortSpec
    started: float = field(default_factory=time.monotonic)
    tls: TlsMode = TlsMode.NONE
    greeting: str = ""
    starttls_offered: bool = False
    ehlo_before: tuple[str, ...] = ()
    ehlo_after: tuple[str, ...] = ()
    auth_before: tuple[str, ...] = ()
    auth_after: tuple[str, ...] = ()
    size_limit: int | None = None
    features: tuple[str, ...] = ()
    tls_version: str = ""
    cipher: str = ""
    certificate: CertificateInfo | None = None
    implicit_fallback: bool = False
    pace: ConnectPace | None = None  # shared by the ports of one host
    conn: GuardedSMTP | None = None  # the connection in use: its phase names a failure
    abandoned: bool = False  # set from another thread: this attempt lost a race

    def abandon(self) -> None:
        self.abandoned = True
        if self.conn is not None:
            self.conn.abandon()

    def result(self, status: PortStatus, detail: str = "") -> PortResult:
        return PortResult(
            port=self.spec.port,
            status=status,
            tls=self.tls,
            detail=detail,
            greeting=self.greeting,
            starttls_offered=self.starttls_offered,
            ehlo_before_tls=self.ehlo_before,
            ehlo_after_tls=self.ehlo_after,
            auth_before_tls=self.auth_before,
            auth_after_tls=self.auth_after,
            size_limit=self.size_limit,
            features=self.features,
            tls_version=self.tls_version,
            cipher=self.cipher,
            certificate=self.certificate,
            implicit_fallback=self.implicit_fallback,
            elapsed_ms=int((time.monotonic() - self.started) * 1000),
        )


class _EndProbe(Exception):
    """Ends the probe of a port with a classified outcome."""

    def __init__(self, status: PortStatus, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


def _read_ehlo(smtp: GuardedSMTP) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """EHLO; returns (extension lines, AUTH mechanisms)."""
    smtp.step("ehlo")
    code, message = smtp.ehlo()
    if code != 250:
        raise _EndProbe(PortStatus.PROTOCOL_ERROR, f"EHLO refused: {code} {decode_reply(message)}")
    lines = tuple(line.strip() for line in decode_reply(message).split("\n")[1:] if line.strip())
    mechanisms = tuple(dict.fromkeys(smtp.esmtp_features.get("auth", "").upper().split()))
    return lines, mechanisms


def _record_capabilities(f: _Findings, smtp: GuardedSMTP) -> None:
    features = smtp.esmtp_features
    size = features.get("size", "").strip()
    # isdigit() alone lets "²³" through, which int() refuses: ASCII digits only.
    f.size_limit = int(size) if size.isascii() and size.isdigit() else None
    f.features = tuple(name for name in _FEATURES_OF_INTEREST if name.lower() in features)


def _open(
    f: _Findings, host: str, opts: ProbeOptions, deadline: Deadline, context: ssl.SSLContext | None
) -> tuple[GuardedSMTP, int, str]:
    if f.conn is not None:
        f.conn.close()
    smtp = f.conn = GuardedSMTP(
        deadline, opts.timeout, implicit_context=context, resolver=opts.resolver, pace=f.pace
    )
    if f.abandoned:  # (after f.conn is set: abandon() from the other thread sees one or the other)
        smtp.abandon()
    code, message = smtp.connect(host, f.spec.port)
    return smtp, code, decode_reply(message)


def _check_greeting(f: _Findings, smtp: GuardedSMTP, code: int, text: str) -> None:
    f.greeting = f"{code} {text}".strip() if code > 0 else text
    if code == -1:
        smtp.close()
        raise _EndProbe(
            PortStatus.NOT_SMTP, f"the server answered {text[:80]!r}, not an SMTP greeting"
        )
    if code != 220:
        smtp.close()
        raise _EndProbe(PortStatus.SERVICE_REFUSED, f.greeting)


def _take_tls_facts(
    f: _Findings,
    smtp: GuardedSMTP,
    verified: bool,
    cert_error: ssl.SSLCertVerificationError | None,
    opts: ProbeOptions,
) -> None:
    facts = smtp.tls_facts
    if facts is None:
        return
    f.tls_version, f.cipher, der = facts.version, facts.cipher, facts.certificate_der
    if der:
        f.certificate = describe_certificate(
            der,
            verified=verified,
            error=classify_verify_error(cert_error) if cert_error else None,
            error_detail=(cert_error.verify_message or str(cert_error)) if cert_error else "",
            pin=opts.pin_sha256,
        )


def _implicit(f: _Findings, host: str, opts: ProbeOptions, deadline: Deadline) -> PortResult:
    cert_error: ssl.SSLCertVerificationError | None = None
    try:
        smtp, code, text = _open(f, host, opts, deadline, verifying_context(opts.ca_file))
    except ssl.SSLCertVerificationError as exc:
        # Look again without verifying, only to show the certificate and what lies behind it.
        cert_error = exc
        smtp, code, text = _open(f, host, opts, deadline, inspecting_context())
    f.tls = TlsMode.IMPLICIT
    try:
        _take_tls_facts(f, smtp, cert_error is None, cert_error, opts)
        _check_greeting(f, smtp, code, text)
        f.ehlo_after, f.auth_after = _read_ehlo(smtp)
        _record_capabilities(f, smtp)
    finally:
        smtp.quit_quietly()
    return _finish(f, cert_error)


def _starttls(
    f: _Findings,
    host: str,
    opts: ProbeOptions,
    deadline: Deadline,
    smtp: GuardedSMTP,
    code: int,
    text: str,
) -> PortResult:
    try:
        _check_greeting(f, smtp, code, text)
        f.ehlo_before, f.auth_before = _read_ehlo(smtp)
        f.starttls_offered = smtp.has_extn("starttls")
        _record_capabilities(f, smtp)
        if not f.starttls_offered:
            if f.spec.require_tls:
                raise _EndProbe(
                    PortStatus.STARTTLS_MISSING,
                    "TLS was expected here but the server does not offer STARTTLS",
                )
            return f.result(PortStatus.OK, "no TLS offered: a password would travel in clear")
        cert_error: ssl.SSLCertVerificationError | None = None
        try:
            smtp.starttls(context=verifying_context(opts.ca_file))
        except ssl.SSLCertVerificationError as exc:
            cert_error = exc
            smtp, code, text = _open(f, host, opts, deadline, None)
            _check_greeting(f, smtp, code, text)
            smtp.step("ehlo")
            smtp.ehlo()
            smtp.starttls(context=inspecting_context())
        f.tls = TlsMode.STARTTLS
        _take_tls_facts(f, smtp, cert_error is None, cert_error, opts)
        f.ehlo_after, f.auth_after = _read_ehlo(smtp)
        _record_capabilities(f, smtp)
    finally:
        smtp.quit_quietly()
    return _finish(f, cert_error)


def _finish(f: _Findings, cert_error: ssl.SSLCertVerificationError | None) -> PortResult:
    if cert_error is None:
        return f.result(PortStatus.OK)
    if f.certificate is not None and f.certificate.pinned:
        return f.result(PortStatus.OK, "certificate not verifiable, but it matches the pin")
    return f.result(PortStatus.CERTIFICATE, cert_error.verify_message or str(cert_error))


def _poke(f: _Findings, host: str, opts: ProbeOptions, deadline: Deadline) -> str | None:
    """Say something to a port that never greeted. Returns its answer if it said anything."""
    if f.conn is not None:
        f.conn.close()
    smtp = f.conn = GuardedSMTP(
        deadline, min(2.0, opts.timeout), resolver=opts.resolver, pace=f.pace
    )
    try:
        smtp.open_without_greeting(host, f.spec.port)
        assert smtp.sock is not None
        smtp.sock.sendall(_POKE.encode() + b"\r\n")
        answer = b""
        while b"\n" not in answer and len(answer) < 200:
            chunk = smtp.sock.recv(200)
            if not chunk:
                break
            answer += chunk
        return answer.split(b"\n")[0].decode("utf-8", "replace").strip() or None
    except (OSError, smtplib.SMTPException, DeadlineExceeded):
        return None
    finally:
        smtp.close()


def _never_greeted(
    f: _Findings,
    host: str,
    opts: ProbeOptions,
    deadline: Deadline,
    implicit_tried: PortResult | None = None,
) -> PortResult:
    answer = _poke(f, host, opts, deadline)
    if answer:
        if answer.startswith("HTTP/") or "<" in answer:
            # A web page on a mail port: a captive portal catching every port, not the relay.
            return f.result(
                PortStatus.INTERCEPTED,
                f"no greeting; a web server answered {answer[:80]!r} (a captive portal?)",
            )
        return f.result(PortStatus.NOT_SMTP, f"no greeting; answered {answer[:80]!r} (not SMTP)")
    # A TLS-only port on an unusual number waits silently for our TLS hello: try that.
    result = implicit_tried or _probe_implicit_fallback(f, host, opts, deadline)
    if result.status in (PortStatus.TLS_FAILED, PortStatus.CLOSED, PortStatus.SILENT):
        return replace(
            result,
            status=PortStatus.SILENT,
            tls=TlsMode.NONE,
            implicit_fallback=False,
            detail="accepted the connection but sent no greeting, and did not speak TLS either",
        )
    return result


def _probe_implicit_fallback(
    f: _Findings, host: str, opts: ProbeOptions, deadline: Deadline, fork: _Findings | None = None
) -> PortResult:
    implicit = fork or _Findings(f.spec, started=f.started, implicit_fallback=True, pace=f.pace)
    return probe_port(f.spec, host, opts, deadline, _findings=implicit, _implicit_only=True)


def _spoke_tls(result: PortResult) -> bool:
    return result.tls is TlsMode.IMPLICIT


def _race(f: _Findings, host: str, opts: ProbeOptions, deadline: Deadline) -> PortResult:
    """A port that does not say what it speaks: wait for a greeting in clear and try implicit
    TLS at once, on two connections; the first to answer wins and the other is abandoned."""
    fork = _Findings(f.spec, started=f.started, implicit_fallback=True, pace=f.pace)
    lock = threading.Lock()
    winner: list[str] = []

    def claim(side: str) -> bool:
        with lock:
            if not winner:
                winner.append(side)
            return winner[0] == side

    implicit: list[PortResult] = []

    def implicit_side() -> None:
        result = _probe_implicit_fallback(f, host, opts, deadline, fork)
        implicit.append(result)
        if _spoke_tls(result) and claim("implicit"):
            f.abandon()

    helper = threading.Thread(target=implicit_side, daemon=True, name=f"probe-{f.spec}-tls")
    helper.start()
    try:
        try:
            smtp, code, text = _open(f, host, opts, deadline, None)
        except (OSError, smtplib.SMTPException, DeadlineExceeded) as exc:
            helper.join()
            if implicit and _spoke_tls(implicit[0]):
                return implicit[0]
            never_greeted = (
                isinstance(exc, TimeoutError)
                and f.conn is not None
                and f.conn.phase == "greeting"
                and not deadline.ran_out()
            )
            if not never_greeted:
                raise
            return _never_greeted(f, host, opts, deadline, implicit[0] if implicit else None)
        if not claim("plain"):  # TLS answered on the other connection first
            helper.join()
            return implicit[0]
        fork.abandon()
        helper.join()
        return _starttls(f, host, opts, deadline, smtp, code, text)
    finally:
        fork.abandon()
        helper.join()


def probe_port(
    spec: PortSpec,
    host: str,
    opts: ProbeOptions,
    deadline: Deadline,
    *,
    pace: ConnectPace | None = None,
    _findings: _Findings | None = None,
    _implicit_only: bool = False,
) -> PortResult:
    """Probe one port within `deadline`. Never raises: every outcome is a PortResult. `pace`,
    shared by the ports of one host, lets a connect the network drops end early."""
    f = _findings or _Findings(spec, pace=pace)
    try:
        if spec.implicit or _implicit_only:
            return _implicit(f, host, opts, deadline)
        if not spec.require_tls and spec.port not in _STARTTLS_PORTS:
            return _race(f, host, opts, deadline)
        try:
            smtp, code, text = _open(f, host, opts, deadline, None)
        except TimeoutError:
            if f.conn is None or f.conn.phase != "greeting" or deadline.ran_out():
                raise
            return _never_greeted(f, host, opts, deadline)
        return _starttls(f, host, opts, deadline, smtp, code, text)
    except _EndProbe as stop:
        return f.result(stop.status, stop.detail)
    except (OSError, smtplib.SMTPException, DeadlineExceeded, UnicodeError) as exc:
        failure: PortFailure = classify(exc, f.conn.phase if f.conn else "connect", deadline)
        return f.result(failure.status, failure.detail)
    except Exception as exc:  # a bug, or input no check foresaw: this port's result, at once
        return f.result(PortStatus.ERROR, f"{type(exc).__name__}: {exc}")
    finally:
        if f.conn is not None:
            f.conn.close()


__all__ = ["ProbeOptions", "probe_port"]
