"""The core's plain words, through Qt's translation machinery."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from ..core.explain import explain_port, explain_report
from ..core.results import CertError, PortResult, PortStatus, ProbeReport, TlsMode


def tr(text: str) -> str:
    return QCoreApplication.translate("explain", text)


def status_label(status: PortStatus) -> str:
    labels = {
        PortStatus.OK: QCoreApplication.translate("explain", "answers"),
        PortStatus.DNS_FAILED: QCoreApplication.translate("explain", "unknown name"),
        PortStatus.REFUSED: QCoreApplication.translate("explain", "refused"),
        PortStatus.TIMEOUT: QCoreApplication.translate("explain", "blocked by this network?"),
        PortStatus.SILENT: QCoreApplication.translate("explain", "silent"),
        PortStatus.NOT_SMTP: QCoreApplication.translate("explain", "not a mail server"),
        PortStatus.INTERCEPTED: QCoreApplication.translate("explain", "someone else answers"),
        PortStatus.SERVICE_REFUSED: QCoreApplication.translate("explain", "refuses service"),
        PortStatus.STARTTLS_FAILED: QCoreApplication.translate("explain", "encryption failed"),
        PortStatus.STARTTLS_MISSING: QCoreApplication.translate("explain", "possible downgrade"),
        PortStatus.TLS_FAILED: QCoreApplication.translate("explain", "encryption failed"),
        PortStatus.CERTIFICATE: QCoreApplication.translate("explain", "certificate problem"),
        PortStatus.CLOSED: QCoreApplication.translate("explain", "hung up"),
        PortStatus.PROTOCOL_ERROR: QCoreApplication.translate("explain", "broken replies"),
        PortStatus.DEADLINE: QCoreApplication.translate("explain", "too slow"),
        PortStatus.CANCELLED: QCoreApplication.translate("explain", "cancelled"),
        PortStatus.ERROR: QCoreApplication.translate("explain", "error"),
    }
    return labels[status]


def tls_label(mode: TlsMode) -> str:
    return {
        TlsMode.IMPLICIT: QCoreApplication.translate("explain", "TLS"),
        TlsMode.STARTTLS: QCoreApplication.translate("explain", "STARTTLS"),
        TlsMode.NONE: QCoreApplication.translate("explain", "none"),
    }[mode]


def port_meaning(result: PortResult) -> str:
    cert = result.certificate
    if result.status is PortStatus.CERTIFICATE and cert and cert.error is CertError.UNKNOWN_ISSUER:
        # The core's words name the CLI's --ca; here the CA is chosen on the first page.
        return QCoreApplication.translate(
            "explain",
            "certificate issued by an authority this computer does not know (a private CA? "
            "choose its certificate on the first page)",
        )
    return tr(explain_port(result))


def report_meaning(report: ProbeReport) -> str:
    return tr(explain_report(report))
