"""Why a run failed, in classes the command line gives one exit status each (app/exitcodes.py):
the one table from a probe's verdict and from a login/send error to its class, so `apply`, the
login check and the test message can never disagree. Small on purpose: the CLI imports it at
start."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from types import MappingProxyType

from .results import Verdict
from .submit import SubmitErrorKind


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
