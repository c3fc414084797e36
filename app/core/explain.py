"""Plain words for the core's enums, one table each (PortStatus, CertError, Verdict,
SubmitErrorKind), for the CLI and (through tr()) the GUI; tests/test_statuses.py checks that
every member has its words."""

from __future__ import annotations

from .failures import SubmitErrorKind
from .results import CertError, PortResult, PortStatus, ProbeReport, TlsMode, Verdict

STATUS_TEXT: dict[PortStatus, str] = {
    PortStatus.OK: "answers",
    PortStatus.DNS_FAILED: "the relay's name does not resolve: check its spelling",
    PortStatus.REFUSED: "connection refused: nothing listens on this port",
    PortStatus.TIMEOUT: "no answer in time: this network (hotel, café, mobile) may block this port",
    PortStatus.SILENT: "accepted the connection but said nothing",
    PortStatus.NOT_SMTP: "something else answered: this is not a mail server port",
    PortStatus.SERVICE_REFUSED: "the server refuses service to this network",
    PortStatus.STARTTLS_FAILED: "offers encryption (STARTTLS) but it failed",
    PortStatus.STARTTLS_MISSING: (
        "encryption was expected but is not offered: possible downgrade attack, refused"
    ),
    PortStatus.TLS_FAILED: "the encrypted connection (TLS) could not be set up",
    PortStatus.CERTIFICATE: "the server's certificate cannot be trusted",
    PortStatus.CLOSED: "the server closed the connection",
    PortStatus.PROTOCOL_ERROR: "the server broke the SMTP protocol (garbled or overlong replies, "
    "or it refused EHLO)",
    PortStatus.DEADLINE: "too slow: the time limit ran out",
    PortStatus.CANCELLED: "cancelled",
    PortStatus.ERROR: "unexpected error",
}

CERT_TEXT: dict[CertError, str] = {
    CertError.UNKNOWN_ISSUER: "issued by an authority this computer does not know "
    "(a private CA? give its certificate with --ca)",
    CertError.SELF_SIGNED: "self-signed: nobody vouches for it",
    CertError.HOSTNAME_MISMATCH: "made out for another name than the one you typed",
    CertError.EXPIRED: "expired",
    CertError.OTHER: "not valid",
}

VERDICT_TEXT: dict[Verdict, str] = {
    Verdict.RECOMMENDED: "a secure setting was found",
    Verdict.NOTHING_REACHABLE: "no port of the relay could be reached from this network",
    Verdict.TLS_PROBLEM: "the relay answers, but its encryption or certificate has a problem",
    Verdict.NO_SECURE_OPTION: "the relay answers, but offers no encrypted login",
    Verdict.CANCELLED: "cancelled",
}


ERROR_TEXT: dict[SubmitErrorKind, str] = {
    SubmitErrorKind.UNREACHABLE: "the relay could not be reached on this port from this network",
    SubmitErrorKind.SERVICE_REFUSED: "the server at this address will not serve mail to us",
    SubmitErrorKind.TLS_FAILED: "the encrypted connection (TLS) could not be set up",
    SubmitErrorKind.CERTIFICATE: "the server's certificate cannot be trusted: no password was sent",
    SubmitErrorKind.DOWNGRADE: "encryption was expected but the server does not offer it: "
    "possibly someone in between removed it (a downgrade attack). No password was sent",
    SubmitErrorKind.TLS_REQUIRED: "the server says encryption is required first",
    SubmitErrorKind.NO_LOGIN: "the server offers no password login after encryption",
    SubmitErrorKind.MECHANISM: "the server refused this login method: try another (--auth)",
    SubmitErrorKind.AUTH_FAILED: "wrong user name or password",
    SubmitErrorKind.TEMPORARY: "a temporary problem at the server: try again in a few minutes",
    SubmitErrorKind.RELAY_DENIED: "the relay refused to pass the message on: it does not "
    "consider you logged in as expected",
    SubmitErrorKind.SENDER_REFUSED: "the From address is not one this login may send as",
    SubmitErrorKind.RECIPIENT_REFUSED: "the recipient address was refused",
    SubmitErrorKind.TOO_LARGE: "the message is larger than the server accepts",
    SubmitErrorKind.SEND_REFUSED: "the server refused the message",
    SubmitErrorKind.PROTOCOL_ERROR: "the server broke the SMTP protocol (garbled or overlong "
    "replies, or it refused EHLO)",
    SubmitErrorKind.TIMEOUT: "the server was too slow: the time limit ran out",
    SubmitErrorKind.CANCELLED: "cancelled",
    SubmitErrorKind.BAD_ADDRESS: "no usable e-mail address",
    SubmitErrorKind.ERROR: "an unexpected error",
}

TLS_TEXT: dict[TlsMode, str] = {
    TlsMode.IMPLICIT: "implicit TLS",
    TlsMode.STARTTLS: "STARTTLS",
    TlsMode.NONE: "no encryption",
}


def explain_port(result: PortResult) -> str:
    """One line: what this port's result means to a person."""
    if result.status is PortStatus.OK:
        if result.tls is TlsMode.NONE:
            return "answers WITHOUT encryption: insecure, never used for a password"
        cert = result.certificate
        mode = "TLS from the first byte" if result.tls is TlsMode.IMPLICIT else "STARTTLS"
        trust = "certificate pinned by you" if cert and cert.pinned else "certificate verified"
        if not result.usable_mechanisms:
            return f"{mode}, {trust}, but no password login offered after encryption"
        good = " (login only after encryption: good)" if result.auth_only_after_tls else ""
        return f"{mode}, {trust}, login {'/'.join(result.usable_mechanisms)}{good}"
    text = STATUS_TEXT[result.status]
    if result.status is PortStatus.CERTIFICATE and result.certificate and result.certificate.error:
        text = f"certificate {CERT_TEXT[result.certificate.error]}"
    return text


def explain_report(report: ProbeReport) -> str:
    rec = report.recommended
    if rec is None:
        return VERDICT_TEXT[report.verdict]
    mode = TLS_TEXT[rec.tls]
    pin = ", certificate pinned" if rec.pinned_sha256 else ""
    return f"use port {rec.port} with {mode}, login {rec.auth[0]}{pin}"
