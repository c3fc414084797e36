"""Why a run failed, in classes the command line gives one exit status each (app/exitcodes.py):
the one table from a probe's verdict and from a login/send error kind to its class, so `apply`,
the login check and the test message can never disagree. Ground floor (app/core/__init__.py):
the CLI imports it at start, so the error kinds live here, not beside smtplib in submit.py."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from types import MappingProxyType

from .results import PortStatus, Verdict


class SubmitErrorKind(enum.Enum):
    """Why a login check or a test message failed (app/core/submit.py classifies)."""

    UNREACHABLE = "unreachable"  # name, connection refused, no answer, closed
    SERVICE_REFUSED = "service_refused"  # greeting 554, or not an SMTP server
    TLS_FAILED = "tls_failed"  # handshake or STARTTLS failed
    CERTIFICATE = "certificate"  # the certificate does not verify / does not match the pin
    DOWNGRADE = "downgrade"  # TLS expected, not offered (or no TLS at all): AUTH never sent
    TLS_REQUIRED = "tls_required"  # 530: the server wants TLS (it should already have it)
    NO_LOGIN = "no_login"  # no password mechanism offered after TLS
    MECHANISM = "mechanism"  # 534/538/504: the mechanism was refused / not offered
    AUTH_FAILED = "auth_failed"  # 535: wrong user or password
    TEMPORARY = "temporary"  # 4xx: try later
    RELAY_DENIED = "relay_denied"  # 554/454 Relay access denied: not authenticated as expected
    SENDER_REFUSED = "sender_refused"  # 553/550 at MAIL FROM: sender not owned by this login
    RECIPIENT_REFUSED = "recipient_refused"  # 550 at RCPT: no such mailbox
    TOO_LARGE = "too_large"  # 552
    SEND_REFUSED = "send_refused"  # any other refusal of the message
    PROTOCOL_ERROR = "protocol_error"  # garbled or overlong replies, EHLO refused, bad base64
    TIMEOUT = "timeout"  # the overall deadline ran out
    CANCELLED = "cancelled"
    BAD_ADDRESS = "bad_address"  # no usable sender / recipient address
    ERROR = "error"


class Failure(enum.Enum):
    USAGE = "usage"  # a bad address, CA file or client list
    UNREACHABLE = "unreachable"  # nothing answered, or too slowly
    TLS_PROBLEM = "tls_problem"  # includes a possible downgrade and a pin mismatch
    NO_SECURE_OPTION = "no_secure_option"
    AUTH_FAILED = "auth_failed"
    TEMPORARY = "temporary"
    SEND_REFUSED = "send_refused"
    KEYRING = "keyring"
    CONFIG = "config"
    CANCELLED = "cancelled"
    ERROR = "error"


# Verdict.RECOMMENDED is success: no class.
FOR_VERDICT: Mapping[Verdict, Failure] = MappingProxyType(
    {
        Verdict.NOTHING_REACHABLE: Failure.UNREACHABLE,
        Verdict.TLS_PROBLEM: Failure.TLS_PROBLEM,
        Verdict.NO_SECURE_OPTION: Failure.NO_SECURE_OPTION,
        Verdict.CANCELLED: Failure.CANCELLED,
    }
)

FOR_SUBMIT_ERROR: Mapping[SubmitErrorKind, Failure] = MappingProxyType(
    {
        SubmitErrorKind.UNREACHABLE: Failure.UNREACHABLE,
        SubmitErrorKind.SERVICE_REFUSED: Failure.UNREACHABLE,
        SubmitErrorKind.TIMEOUT: Failure.UNREACHABLE,
        SubmitErrorKind.TLS_FAILED: Failure.TLS_PROBLEM,
        SubmitErrorKind.CERTIFICATE: Failure.TLS_PROBLEM,
        SubmitErrorKind.DOWNGRADE: Failure.TLS_PROBLEM,
        SubmitErrorKind.TLS_REQUIRED: Failure.TLS_PROBLEM,  # 530 although TLS is up
        SubmitErrorKind.NO_LOGIN: Failure.NO_SECURE_OPTION,
        # Reachable, but nothing secure can be done with a server whose replies we cannot read.
        SubmitErrorKind.PROTOCOL_ERROR: Failure.NO_SECURE_OPTION,
        SubmitErrorKind.MECHANISM: Failure.AUTH_FAILED,
        SubmitErrorKind.AUTH_FAILED: Failure.AUTH_FAILED,
        SubmitErrorKind.TEMPORARY: Failure.TEMPORARY,
        SubmitErrorKind.RELAY_DENIED: Failure.SEND_REFUSED,
        SubmitErrorKind.SENDER_REFUSED: Failure.SEND_REFUSED,
        SubmitErrorKind.RECIPIENT_REFUSED: Failure.SEND_REFUSED,
        SubmitErrorKind.TOO_LARGE: Failure.SEND_REFUSED,
        SubmitErrorKind.SEND_REFUSED: Failure.SEND_REFUSED,
        SubmitErrorKind.CANCELLED: Failure.CANCELLED,
        SubmitErrorKind.BAD_ADDRESS: Failure.USAGE,
        SubmitErrorKind.ERROR: Failure.ERROR,
    }
)

# A port's failed probe as a login/send error (PortStatus.OK is no error: no kind).
KIND_FOR_STATUS: Mapping[PortStatus, SubmitErrorKind] = MappingProxyType(
    {
        PortStatus.DNS_FAILED: SubmitErrorKind.UNREACHABLE,
        PortStatus.REFUSED: SubmitErrorKind.UNREACHABLE,
        PortStatus.TIMEOUT: SubmitErrorKind.UNREACHABLE,
        PortStatus.SILENT: SubmitErrorKind.UNREACHABLE,
        PortStatus.CLOSED: SubmitErrorKind.UNREACHABLE,
        PortStatus.NOT_SMTP: SubmitErrorKind.SERVICE_REFUSED,
        PortStatus.INTERCEPTED: SubmitErrorKind.UNREACHABLE,  # the relay itself was not reached
        PortStatus.SERVICE_REFUSED: SubmitErrorKind.SERVICE_REFUSED,
        PortStatus.STARTTLS_FAILED: SubmitErrorKind.TLS_FAILED,
        PortStatus.STARTTLS_MISSING: SubmitErrorKind.DOWNGRADE,
        PortStatus.TLS_FAILED: SubmitErrorKind.TLS_FAILED,
        PortStatus.CERTIFICATE: SubmitErrorKind.CERTIFICATE,
        PortStatus.PROTOCOL_ERROR: SubmitErrorKind.PROTOCOL_ERROR,
        PortStatus.DEADLINE: SubmitErrorKind.TIMEOUT,
        PortStatus.CANCELLED: SubmitErrorKind.CANCELLED,
        PortStatus.ERROR: SubmitErrorKind.ERROR,
    }
)
