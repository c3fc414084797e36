"""Exit statuses of the command line, one per failure class (documented in the README)."""

from __future__ import annotations

from .core import failures
from .core.failures import Failure
from .core.results import Verdict

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

# Each failure class to its status; probe verdicts and login/send errors go through their class
# (app.core.failures holds the one table), so every command gives a failure the same status.
FOR_FAILURE = {
    Failure.USAGE: USAGE,
    Failure.UNREACHABLE: UNREACHABLE,
    Failure.TLS_PROBLEM: TLS_PROBLEM,
    Failure.NO_SECURE_OPTION: NO_SECURE_OPTION,
    Failure.AUTH_FAILED: AUTH_FAILED,
    Failure.TEMPORARY: TEMPORARY,
    Failure.SEND_REFUSED: SEND_REFUSED,
    Failure.KEYRING: KEYRING,
    Failure.CONFIG: CONFIG,
    Failure.CANCELLED: CANCELLED,
    Failure.ERROR: ERROR,
}
FOR_VERDICT = {
    Verdict.RECOMMENDED: OK,
    **{verdict: FOR_FAILURE[failure] for verdict, failure in failures.FOR_VERDICT.items()},
}
FOR_SUBMIT_ERROR = {
    kind: FOR_FAILURE[failure] for kind, failure in failures.FOR_SUBMIT_ERROR.items()
}
