"""Plain words for the core's enums, one table each (PortStatus, CertError, Verdict,
SubmitErrorKind), for the CLI and (translated in the context "explain") the GUI;
tests/test_statuses.py checks that every member has its words. Every text is marked for
extraction (app/core/text.py); a `{ca}` or `{auth}` in it is a remedy, worded by each front end."""

from __future__ import annotations

from collections.abc import Sequence

from .failures import SubmitErrorKind
from .results import CertError, PortResult, PortStatus, ProbeReport, TlsMode, Verdict
from .text import QT_TRANSLATE_NOOP, Remedy, Text

CONTEXT = "explain"

STATUS_TEXT: dict[PortStatus, str] = {
    PortStatus.OK: QT_TRANSLATE_NOOP("explain", "answers"),
    PortStatus.DNS_FAILED: QT_TRANSLATE_NOOP(
        "explain", "the relay's name does not resolve: check its spelling"
    ),
    PortStatus.REFUSED: QT_TRANSLATE_NOOP(
        "explain", "connection refused: nothing listens on this port, or a firewall rejects it"
    ),
    PortStatus.TIMEOUT: QT_TRANSLATE_NOOP(
        "explain", "no answer at all: this network (hotel, café, mobile) probably blocks this port"
    ),
    PortStatus.SILENT: QT_TRANSLATE_NOOP("explain", "accepted the connection but said nothing"),
    PortStatus.NOT_SMTP: QT_TRANSLATE_NOOP(
        "explain", "something else answered: this is not a mail server port"
    ),
    PortStatus.INTERCEPTED: QT_TRANSLATE_NOOP(
        "explain",
        "answered by someone else's mail server, not your relay: no password goes there",
    ),
    PortStatus.SERVICE_REFUSED: QT_TRANSLATE_NOOP(
        "explain", "the server refuses service to this network"
    ),
    PortStatus.STARTTLS_FAILED: QT_TRANSLATE_NOOP(
        "explain", "offers encryption (STARTTLS) but it failed"
    ),
    PortStatus.STARTTLS_MISSING: QT_TRANSLATE_NOOP(
        "explain", "encryption was expected but is not offered: possible downgrade attack, refused"
    ),
    PortStatus.TLS_FAILED: QT_TRANSLATE_NOOP(
        "explain", "the encrypted connection (TLS) could not be set up"
    ),
    PortStatus.CERTIFICATE: QT_TRANSLATE_NOOP(
        "explain", "the server's certificate cannot be trusted"
    ),
    PortStatus.CLOSED: QT_TRANSLATE_NOOP("explain", "the server closed the connection"),
    PortStatus.PROTOCOL_ERROR: QT_TRANSLATE_NOOP(
        "explain",
        "the server broke the SMTP protocol (garbled or overlong replies, or it refused EHLO)",
    ),
    PortStatus.DEADLINE: QT_TRANSLATE_NOOP("explain", "too slow: the time limit ran out"),
    PortStatus.CANCELLED: QT_TRANSLATE_NOOP("explain", "cancelled"),
    PortStatus.ERROR: QT_TRANSLATE_NOOP("explain", "unexpected error"),
}

CERT_TEXT: dict[CertError, str] = {
    CertError.UNKNOWN_ISSUER: QT_TRANSLATE_NOOP(
        "explain", "issued by an authority this computer does not know (a private CA? {ca})"
    ),
    CertError.SELF_SIGNED: QT_TRANSLATE_NOOP("explain", "self-signed: nobody vouches for it"),
    CertError.HOSTNAME_MISMATCH: QT_TRANSLATE_NOOP(
        "explain", "made out for another name than the one you typed"
    ),
    CertError.EXPIRED: QT_TRANSLATE_NOOP("explain", "expired"),
    CertError.OTHER: QT_TRANSLATE_NOOP("explain", "not valid"),
}

VERDICT_TEXT: dict[Verdict, str] = {
    Verdict.RECOMMENDED: QT_TRANSLATE_NOOP("explain", "a secure setting was found"),
    Verdict.NOTHING_REACHABLE: QT_TRANSLATE_NOOP(
        "explain", "no port of the relay could be reached from this network"
    ),
    Verdict.TLS_PROBLEM: QT_TRANSLATE_NOOP(
        "explain", "the relay answers, but its encryption or certificate has a problem"
    ),
    Verdict.NO_SECURE_OPTION: QT_TRANSLATE_NOOP(
        "explain", "the relay answers, but offers no encrypted login"
    ),
    Verdict.CANCELLED: QT_TRANSLATE_NOOP("explain", "cancelled"),
}


ERROR_TEXT: dict[SubmitErrorKind, str] = {
    SubmitErrorKind.UNREACHABLE: QT_TRANSLATE_NOOP(
        "explain", "the relay could not be reached on this port from this network"
    ),
    SubmitErrorKind.SERVICE_REFUSED: QT_TRANSLATE_NOOP(
        "explain", "the server at this address will not serve mail to us"
    ),
    SubmitErrorKind.TLS_FAILED: QT_TRANSLATE_NOOP(
        "explain", "the encrypted connection (TLS) could not be set up"
    ),
    SubmitErrorKind.CERTIFICATE: QT_TRANSLATE_NOOP(
        "explain", "the server's certificate cannot be trusted: no password was sent"
    ),
    SubmitErrorKind.DOWNGRADE: QT_TRANSLATE_NOOP(
        "explain",
        "encryption was expected but the server does not offer it: possibly someone in between "
        "removed it (a downgrade attack). No password was sent",
    ),
    SubmitErrorKind.TLS_REQUIRED: QT_TRANSLATE_NOOP(
        "explain", "the server says encryption is required first"
    ),
    SubmitErrorKind.NO_LOGIN: QT_TRANSLATE_NOOP(
        "explain", "the server offers no password login after encryption"
    ),
    SubmitErrorKind.MECHANISM: QT_TRANSLATE_NOOP(
        "explain", "the server refused this login method: {auth}"
    ),
    SubmitErrorKind.AUTH_FAILED: QT_TRANSLATE_NOOP("explain", "wrong user name or password"),
    SubmitErrorKind.TEMPORARY: QT_TRANSLATE_NOOP(
        "explain", "a temporary problem at the server: try again in a few minutes"
    ),
    SubmitErrorKind.RELAY_DENIED: QT_TRANSLATE_NOOP(
        "explain",
        "the relay refused to pass the message on: it does not consider you logged in as expected",
    ),
    SubmitErrorKind.SENDER_REFUSED: QT_TRANSLATE_NOOP(
        "explain", "the From address is not one this login may send as"
    ),
    SubmitErrorKind.RECIPIENT_REFUSED: QT_TRANSLATE_NOOP(
        "explain", "the recipient address was refused"
    ),
    SubmitErrorKind.TOO_LARGE: QT_TRANSLATE_NOOP(
        "explain", "the message is larger than the server accepts"
    ),
    SubmitErrorKind.SEND_REFUSED: QT_TRANSLATE_NOOP("explain", "the server refused the message"),
    SubmitErrorKind.PROTOCOL_ERROR: QT_TRANSLATE_NOOP(
        "explain",
        "the server broke the SMTP protocol (garbled or overlong replies, or it refused EHLO)",
    ),
    SubmitErrorKind.TIMEOUT: QT_TRANSLATE_NOOP(
        "explain", "the server was too slow: the time limit ran out"
    ),
    SubmitErrorKind.CANCELLED: QT_TRANSLATE_NOOP("explain", "cancelled"),
    SubmitErrorKind.BAD_ADDRESS: QT_TRANSLATE_NOOP("explain", "no usable e-mail address"),
    SubmitErrorKind.ERROR: QT_TRANSLATE_NOOP("explain", "an unexpected error"),
}

TLS_TEXT: dict[TlsMode, str] = {
    TlsMode.IMPLICIT: QT_TRANSLATE_NOOP("explain", "implicit TLS"),
    TlsMode.STARTTLS: QT_TRANSLATE_NOOP("explain", "STARTTLS"),
    TlsMode.NONE: QT_TRANSLATE_NOOP("explain", "no encryption"),
}

# The remedies a table's text may name, by their field in the template.
REMEDIES = {"ca": Remedy.CHOOSE_CA, "auth": Remedy.OTHER_LOGIN_METHOD}


def said(template: str, **fields: str | Text) -> Text:
    """A template of this module with its fields, and any remedy it names."""
    remedies = {name: r for name, r in REMEDIES.items() if "{" + name + "}" in template}
    return Text.of(CONTEXT, template, **fields, **remedies)


def error_text(kind: SubmitErrorKind) -> Text:
    return said(ERROR_TEXT[kind])


def port_text(result: PortResult) -> Text:
    """What this port's result means to a person."""
    if result.status is PortStatus.OK:
        if result.tls is TlsMode.NONE:
            return said(
                QT_TRANSLATE_NOOP(
                    "explain", "answers WITHOUT encryption: insecure, never used for a password"
                )
            )
        cert = result.certificate
        mode = (
            QT_TRANSLATE_NOOP("explain", "TLS from the first byte")
            if result.tls is TlsMode.IMPLICIT
            else QT_TRANSLATE_NOOP("explain", "STARTTLS")
        )
        trust = (
            QT_TRANSLATE_NOOP("explain", "certificate pinned by you")
            if cert and cert.pinned
            else QT_TRANSLATE_NOOP("explain", "certificate verified")
        )
        if not result.usable_mechanisms:
            return said(
                QT_TRANSLATE_NOOP(
                    "explain", "{mode}, {trust}, but no password login offered after encryption"
                ),
                mode=said(mode),
                trust=said(trust),
            )
        template = (
            QT_TRANSLATE_NOOP(
                "explain", "{mode}, {trust}, login {mechanisms} (login only after encryption: good)"
            )
            if result.auth_only_after_tls
            else QT_TRANSLATE_NOOP("explain", "{mode}, {trust}, login {mechanisms}")
        )
        mechanisms = "/".join(result.usable_mechanisms)
        return said(template, mode=said(mode), trust=said(trust), mechanisms=mechanisms)
    if result.status is PortStatus.CERTIFICATE and result.certificate and result.certificate.error:
        why = said(CERT_TEXT[result.certificate.error])
        return said(QT_TRANSLATE_NOOP("explain", "certificate {why}"), why=why)
    if by_web_page(result):
        return said(
            QT_TRANSLATE_NOOP(
                "explain", "answered by a web page (a captive portal?), not your relay"
            )
        )
    return said(STATUS_TEXT[result.status])


def report_text(report: ProbeReport) -> Text:
    rec = report.recommended
    if rec is None:
        return said(VERDICT_TEXT[report.verdict])
    mode = said(TLS_TEXT[rec.tls])
    template = (
        QT_TRANSLATE_NOOP(
            "explain", "use port {port} with {mode}, login {mechanism}, certificate pinned"
        )
        if rec.pinned_sha256
        else QT_TRANSLATE_NOOP("explain", "use port {port} with {mode}, login {mechanism}")
    )
    return Text.of(CONTEXT, template, port=str(rec.port), mode=mode, mechanism=rec.auth[0])


def explain_port(result: PortResult) -> str:
    """One line in the CLI's words."""
    return str(port_text(result))


def explain_report(report: ProbeReport) -> str:
    return str(report_text(report))


def by_web_page(result: PortResult) -> bool:
    """Intercepted by a web server (a captive portal): it never greeted nor showed a
    certificate, as another mail server would."""
    return (
        result.status is PortStatus.INTERCEPTED
        and not result.greeting
        and result.certificate is None
    )


def _numbers(ports: Sequence[int]) -> str:
    return ", ".join(str(p) for p in ports)


def network_advice_text(report: ProbeReport) -> Text:
    """What this network does to mail, and what to do, for a person (the JSON's `advice`)."""
    network = report.network
    web = [r.port for r in report.ports if by_web_page(r)]
    mail = [p for p in network.intercepted if p not in web]
    sentences: list[Text] = []
    if network.blocked:
        template = (
            QT_TRANSLATE_NOOP("explain", "This network blocks port {ports} (no answer at all).")
            if len(network.blocked) == 1
            else QT_TRANSLATE_NOOP(
                "explain", "This network blocks ports {ports} (no answer at all)."
            )
        )
        sentences.append(said(template, ports=_numbers(network.blocked)))
    if mail:
        template = (
            QT_TRANSLATE_NOOP(
                "explain",
                "Port {ports} on this network is answered by someone else's mail server, "
                "not your relay.",
            )
            if len(mail) == 1
            else QT_TRANSLATE_NOOP(
                "explain",
                "Ports {ports} on this network are answered by someone else's mail server, "
                "not your relay.",
            )
        )
        sentences.append(said(template, ports=_numbers(mail)))
    if web:
        template = (
            QT_TRANSLATE_NOOP(
                "explain",
                "Port {ports} on this network answered with a web page: log in to the network "
                "in a web browser first (a captive portal?).",
            )
            if len(web) == 1
            else QT_TRANSLATE_NOOP(
                "explain",
                "Ports {ports} on this network answered with a web page: log in to the network "
                "in a web browser first (a captive portal?).",
            )
        )
        sentences.append(said(template, ports=_numbers(web)))
    rec = report.recommended
    if rec is not None:
        works = QT_TRANSLATE_NOOP("explain", "Port {port} works: use it.")
        sentences.append(said(works, port=str(rec.port)))
    elif sentences:
        sentences.append(
            said(
                QT_TRANSLATE_NOOP(
                    "explain", "No port of your relay can be used from here: try another network."
                )
            )
        )
    else:
        sentence = QT_TRANSLATE_NOOP("explain", "{verdict}.")
        sentences.append(said(sentence, verdict=said(VERDICT_TEXT[report.verdict])))
    # The sentences side by side; the joining template holds only fields, nothing to translate.
    fields = {f"s{i}": text for i, text in enumerate(sentences)}
    return Text.of(CONTEXT, " ".join("{" + name + "}" for name in fields), **fields)


def network_advice(report: ProbeReport) -> str:
    """The advice in the command line's words."""
    text = str(network_advice_text(report))
    return text[:1].upper() + text[1:]
