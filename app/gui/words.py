"""The core's plain words, through Qt's translation machinery, with the window's own words for
what to do next (the core names a Remedy; the CLI says "--ca", a window names its button)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from ..core.explain import port_text, report_text
from ..core.results import PortResult, PortStatus, ProbeReport, TlsMode
from ..core.setup.steps import relay_error
from ..core.submit import SubmitError
from ..core.text import Remedy, Text


def tr(text: str) -> str:
    """A label of diagnostics.port_details, translated."""
    return QCoreApplication.translate("diagnostics", text)


def remedy(what: Remedy) -> str:
    words = {
        Remedy.CHOOSE_CA: QCoreApplication.translate(
            "remedy",
            "choose the organisation's CA file with “Choose CA file…” or on the first page",
        ),
        Remedy.OTHER_LOGIN_METHOD: QCoreApplication.translate(
            "remedy", "ask your IT department which login method the relay takes"
        ),
        Remedy.NAME_CONFIG: QCoreApplication.translate(
            "remedy", "set the mail program up with the Relay Setup command instead"
        ),
        Remedy.GIVE_FROM: QCoreApplication.translate(
            "remedy", "type your email address on the first page"
        ),
        Remedy.FORCE_UNDO: QCoreApplication.translate(
            "remedy", "put the backup back by hand if you want the old file"
        ),
        Remedy.CONVERT_DER: QCoreApplication.translate(
            "remedy", "ask your IT department for the PEM (text) form"
        ),
    }
    return words[what]


def say(text: Text) -> str:
    """A core text in the window's words, translated."""
    return text.render(QCoreApplication.translate, remedy)


def say_error(error: BaseException | None) -> str:
    """An error the core raised, in the window's words where it carries a Text; a failed login
    or message: its plain words, then the detail and the server's own words."""
    if error is not None:
        error = relay_error(error)  # a failed step says what the relay's error says
    if isinstance(error, SubmitError):
        said = f"{error.code} {error.text}".strip() if error.code is not None else error.text
        server = QCoreApplication.translate("explain", "server said: %1").replace("%1", said)
        extra = "; ".join(part for part in (error.detail, server if said else "") if part)
        words = say(error.explanation_text)
        return f"{words} ({extra})" if extra else words
    text = getattr(error, "text", None)
    return say(text) if isinstance(text, Text) else str(error)


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
    return say(port_text(result))


def report_meaning(report: ProbeReport) -> str:
    return say(report_text(report))
