"""Plain words for the core's enums, one table each (PortStatus, CertError, Verdict,
SubmitErrorKind), for the CLI and (through tr()) the GUI; tests/test_statuses.py checks that
every member has its words."""

from __future__ import annotations

from collections.abc import Sequence

from .failures import SubmitErrorKind
from .results import CertError, PortResult, PortStatus, ProbeReport, TlsMode, Verdict

STATUS_TEXT: dict[PortStatus, str] = {
    PortStatus.OK: "answers",
    PortStatus.DNS_FAILED: "the relay's name does not resolve: check its spelling",
    PortStatus.REFUSED: "connection refused: nothing listens on this port, or a firewall "
    "rejects it",
    PortStatus.TIMEOUT: "no answer at all: this network (hotel, café, mobile) probably blocks "
    "this port",
    PortStatus.SILENT: "accepted the connection but said nothing",
    PortStatus.NOT_SMTP: "something else answered: this is not a mail server port",
    PortStatus.INTERCEPTED: "answered by someone else's mail server, not your relay: "
    "no password goes there",
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
    if by_web_page(result):
        return "answered by a web page (a captive portal?), not your relay"
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


def by_web_page(result: PortResult) -> bool:
    """Intercepted by a web server (a captive portal): it never greeted nor showed a
    certificate, as another mail server would."""
    return (
        result.status is PortStatus.INTERCEPTED
        and not result.greeting
        and result.certificate is None
    )


def _ports(ports: Sequence[int]) -> str:
    numbers = [str(p) for p in ports]
    listed = numbers[0] if len(numbers) == 1 else f"{', '.join(numbers[:-1])} and {numbers[-1]}"
    return f"port{'s' if len(numbers) > 1 else ''} {listed}"


def network_advice(report: ProbeReport) -> str:
    """What this network does to mail, and what to do, for a person (the JSON's `advice`)."""
    network = report.network
    web = [r.port for r in report.ports if by_web_page(r)]
    mail = [p for p in network.intercepted if p not in web]
    said: list[str] = []
    if network.blocked:
        said.append(f"This network blocks {_ports(network.blocked)} (no answer at all).")
    if mail:
        verb = "is" if len(mail) == 1 else "are"
        said.append(
            f"{_ports(mail).capitalize()} on this network {verb} answered by someone else's "
            "mail server, not your relay."
        )
    if web:
        said.append(
            f"{_ports(web).capitalize()} on this network answered with a web page: log in to "
            "the network in a web browser first (a captive portal?)."
        )
    rec = report.recommended
    if rec is not None:
        said.append(f"Port {rec.port} works: use it.")
    elif said:
        said.append("No port of your relay can be used from here: try another network.")
    else:
        said.append(f"{VERDICT_TEXT[report.verdict].capitalize()}.")
    return " ".join(said)
