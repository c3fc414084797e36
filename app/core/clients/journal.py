"""Reading the undo journal (safewrite writes it): checked against the shape safewrite writes,
so a damaged or foreign file is refused with its name, never half-used, and never overwritten
(every write and undo loads it first, and stops here)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..localfiles import MIB, LocalFileError, read_local_file_if_exists
from .base import ClientError

MAX_JOURNAL_BYTES = 16 * MIB  # about 1 KB per write session

_OPTIONAL_TEXT = (str, type(None))
# Each entry's keys and the types their values may have.
_SESSION = {"id": (str,), "client": (str,), "time": (str,), "files": (list,), "actions": (list,)}
_FILE = {
    "path": (str,),
    "backup": _OPTIONAL_TEXT,
    "old_sha256": _OPTIONAL_TEXT,
    "new_sha256": _OPTIONAL_TEXT,
}
_ACTION = {"argv": (list,), "why": (str,), "undo_argv": (list, type(None))}


def _fits(value: Any, shape: Mapping[str, tuple[type, ...]]) -> bool:
    return isinstance(value, dict) and all(
        isinstance(value.get(key, ...), types) for key, types in shape.items()
    )


def _argv(value: list[Any] | None) -> bool:
    return value is None or (bool(value) and all(isinstance(a, str) for a in value))


def _session_ok(session: Any) -> bool:
    return (
        _fits(session, _SESSION)
        and all(_fits(f, _FILE) for f in session["files"])
        and all(
            _fits(a, _ACTION) and _argv(a["argv"]) and _argv(a["undo_argv"])
            for a in session["actions"]
        )
    )


def load_sessions(path: Path) -> list[dict[str, Any]]:
    """The journal's write sessions, oldest first ([] when there is no journal yet)."""
    damaged = (
        f"the undo journal {path} is damaged; it was left as it is "
        "(move it away to start a new one)"
    )
    try:
        raw = read_local_file_if_exists(path, MAX_JOURNAL_BYTES)
    except LocalFileError as exc:
        raise ClientError(f"cannot read the undo journal {path}: {exc.why}") from None
    if raw is None:
        return []
    try:
        document = json.loads(raw)
    except (ValueError, RecursionError):  # also not UTF-8, or nested beyond reason
        raise ClientError(damaged) from None
    sessions = document.get("sessions") if isinstance(document, dict) else None
    if not isinstance(sessions, list) or not all(_session_ok(s) for s in sessions):
        raise ClientError(damaged)
    return sessions
