"""Exit statuses of the command line, one per failure class (documented in the README)."""

from __future__ import annotations

from .core.results import Verdict
from .core.submit import SubmitErrorKind

OK = 0
ERROR = 1  # unexpected internal error
USAGE = 2  # bad arguments (argparse's own code)
UNREACHABLE = 3  # no port of the relay answered
TLS_PROBLEM = 4  # TLS or certificate problem (includes a possible downgrade)
NO_SECURE_OPTION = 5  # reachable, but no encrypted login
AUTH_FAILED = 6  # wrong user or password (535), or mechanism refused
TEMPORARY = 7  # 4xx: try again later
SEND_REFUSED = 8  # the test message was refused (relay denied, sender not owned, size)
KEYRING = 9  # no usable OS keyring, or the entry is missing
CONFIG = 10  # a client configuration could not be read or written
PROFILE = 11  # an organisation profile is invalid
CANCELLED = 130  # interrupted (Ctrl-C), like a shell

FOR_VERDICT = {
    Verdict.RECOMMENDED: OK,
    Verdict.NOTHING_REACHABLE: UNREACHABLE,
    Verdict.TLS_PROBLEM: TLS_PROBLEM,
    Verdict.NO_SECURE_OPTION: NO_SECURE_OPTION,
    Verdict.CANCELLED: CANCELLED,
}

# The login check and test message (app.core.submit): each kind of failure to its status.
FOR_SUBMIT_ERROR = {
    SubmitErrorKind.UNREACHABLE: UNREACHABLE,
    SubmitErrorKind.SERVICE_REFUSED: UNREACHABLE,
    SubmitErrorKind.TIMEOUT: UNREACHABLE,
    SubmitErrorKind.TLS_FAILED: TLS_PROBLEM,
    SubmitErrorKind.CERTIFICATE: TLS_PROBLEM,
    SubmitErrorKind.DOWNGRADE: TLS_PROBLEM,
    SubmitErrorKind.TLS_REQUIRED: TLS_PROBLEM,
    SubmitErrorKind.NO_LOGIN: NO_SECURE_OPTION,
    SubmitErrorKind.MECHANISM: AUTH_FAILED,
    SubmitErrorKind.AUTH_FAILED: AUTH_FAILED,
    SubmitErrorKind.TEMPORARY: TEMPORARY,
    SubmitErrorKind.RELAY_DENIED: SEND_REFUSED,
    SubmitErrorKind.SENDER_REFUSED: SEND_REFUSED,
    SubmitErrorKind.RECIPIENT_REFUSED: SEND_REFUSED,
    SubmitErrorKind.TOO_LARGE: SEND_REFUSED,
    SubmitErrorKind.SEND_REFUSED: SEND_REFUSED,
    SubmitErrorKind.CANCELLED: CANCELLED,
    SubmitErrorKind.BAD_ADDRESS: USAGE,
    SubmitErrorKind.ERROR: ERROR,
}
