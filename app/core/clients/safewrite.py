"""Writing a plan without ever losing a byte: back up each original into the app's data folder,
journal what is about to change, then per file a temp file in the same folder, fsync, rename
(so a crash at any instant leaves the old or the new file, never a torn one), fsync the folder.
`undo` restores the last write session from the journal.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..appdirs import data_dir
from ..atomicfile import atomic_write, private_dir, writable_target
from ..text import QT_TRANSLATE_NOOP, Remedy, Text
from .base import ClientError, Command, FileChange, Plan, read_existing
from .journal import load_sessions

JOURNAL = "journal.json"
ACTION_TIMEOUT = 60.0


def _sha256(data: bytes | None) -> str | None:
    return None if data is None else hashlib.sha256(data).hexdigest()


# -- results -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Written:
    path: Path
    backup: Path | None  # None: the file did not exist before (undo removes it)


@dataclass(frozen=True)
class ActionResult:
    command: Command
    returncode: int
    output: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0


@dataclass(frozen=True)
class ApplyResult:
    plan: Plan
    dry_run: bool
    written: tuple[Written, ...] = ()
    actions: tuple[ActionResult, ...] = ()

    @property
    def backups(self) -> tuple[Path, ...]:
        return tuple(w.backup for w in self.written if w.backup is not None)


@dataclass(frozen=True)
class UndoResult:
    session: str
    client: str
    dry_run: bool
    restored: tuple[Path, ...] = ()  # put back from a backup
    removed: tuple[Path, ...] = ()  # we had created it
    unchanged: tuple[Path, ...] = ()  # already held its old content
    saved: tuple[Path, ...] = ()  # with force: the overwritten content, kept here
    actions: tuple[ActionResult, ...] = ()


# -- the journal -------------------------------------------------------------------------------


_held = threading.local()  # the data folders whose lock this thread holds


@contextlib.contextmanager
def writer_lock(data: Path | None = None) -> Iterator[None]:
    """One writer at a time per user: two relay-setup runs must not interleave journals, and a
    caller that plans inside it (`relay-setup write`) plans on what the previous writer left,
    so it never calls a file "up to date" that another run is changing. Re-entrant per thread."""
    data = data or data_dir()
    held: set[Path] = _held.__dict__.setdefault("folders", set())
    if data in held or os.name != "posix":
        yield
        return
    import fcntl

    try:
        private_dir(data)
        (data / ".lock").touch()
    except OSError as exc:
        raise ClientError(f"cannot use the data folder {data}: {exc.strerror or exc}") from None
    with open(data / ".lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        held.add(data)
        try:
            yield
        finally:
            held.discard(data)


def _load(data: Path) -> list[dict[str, Any]]:
    return load_sessions(data / JOURNAL)


def _save(data: Path, sessions: list[dict[str, Any]]) -> None:
    text = json.dumps({"version": 1, "sessions": sessions}, indent=1)
    atomic_write(data / JOURNAL, text.encode() + b"\n")


# -- apply -------------------------------------------------------------------------------------


def apply(plan: Plan, dry_run: bool = False, data: Path | None = None) -> ApplyResult:
    """Write the plan's changed files, then run its actions. With dry_run, write nothing (the
    caller shows `plan.diff()`). A file that changed since the plan read it is refused."""
    changes = [c for c in plan.changes if c.changed]
    if dry_run or not (changes or plan.actions):
        return ApplyResult(plan, dry_run)
    data = data or data_dir()
    with writer_lock(data):
        for change in changes:
            if read_existing(change.path) != change.old:
                raise ClientError(
                    Text.of(
                        "clients",
                        QT_TRANSLATE_NOOP(
                            "clients", "{path} changed since it was read; nothing was written"
                        ),
                        path=str(change.path),
                    )
                )
            writable_target(change.path)  # refused now, before anything is backed up or journaled
        sessions = _load(data)  # a damaged journal stops us before any backup is made
        now = dt.datetime.now(dt.UTC)
        session = f"{now:%Y%m%dT%H%M%S%fZ}-{plan.client}"
        folder = data / "backups" / session
        written: list[Written] = []
        for n, change in enumerate(changes):
            backup = None
            if change.old is not None:
                backup = private_dir(folder) / f"{n}-{change.path.name}"
                atomic_write(backup, change.old, mode=0o600)
            written.append(Written(change.path, backup))
        sessions.append(
            {
                "id": session,
                "client": plan.client,
                "time": now.isoformat(timespec="seconds"),
                "files": [
                    {
                        "path": str(w.path.absolute()),
                        "backup": str(w.backup) if w.backup else None,
                        "old_sha256": _sha256(c.old),
                        "new_sha256": _sha256(c.new),
                    }
                    for w, c in zip(written, changes, strict=True)
                ],
                "actions": [
                    {"argv": list(a.argv), "why": a.why, "undo_argv": _list(a.undo_argv)}
                    for a in plan.actions
                ],
            }
        )
        _save(data, sessions)  # before the files change, so undo always knows what happened
        _write_all(changes, data, sessions)
    return ApplyResult(plan, False, tuple(written), tuple(_run(a.argv, a) for a in plan.actions))


def _write_all(changes: list[FileChange], data: Path, sessions: list[dict[str, Any]]) -> None:
    """Write each file; if one fails, put back those already written and take the session out
    of the journal again: it records only writes that happened."""
    done: list[FileChange] = []
    try:
        for change in changes:
            atomic_write(change.path, change.new, change.mode)
            done.append(change)
    except ClientError:
        for change in reversed(done):
            with contextlib.suppress(ClientError, OSError):
                if change.old is None:
                    change.path.unlink()
                else:
                    atomic_write(change.path, change.old)
        sessions.pop()
        _save(data, sessions)
        raise


def _list(argv: tuple[str, ...] | None) -> list[str] | None:
    return None if argv is None else list(argv)


def _run(argv: tuple[str, ...], command: Command) -> ActionResult:
    try:
        done = subprocess.run(
            argv,
            capture_output=True,
            text=True,
            timeout=ACTION_TIMEOUT,
            stdin=subprocess.DEVNULL,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return ActionResult(command, -1, str(exc))
    return ActionResult(command, done.returncode, (done.stdout + done.stderr).strip())


# -- undo --------------------------------------------------------------------------------------


def history(data: Path | None = None) -> tuple[tuple[str, str, str], ...]:
    """The write sessions undo can reverse, oldest first: (id, client, time)."""
    return tuple((s["id"], s["client"], s["time"]) for s in _load(data or data_dir()))


def undo(
    client: str | None = None,
    *,
    force: bool = False,
    dry_run: bool = False,
    data: Path | None = None,
) -> UndoResult:
    """Reverse the last write session (of `client`, if given): each file back to its backup (or
    removed, if we created it). A file changed since we wrote it is refused unless `force`, which
    saves its current content first. The session leaves the journal, so undo again goes further
    back."""
    data = data or data_dir()
    with writer_lock(data):
        sessions = _load(data)
        index = next(
            (i for i in reversed(range(len(sessions))) if client in (None, sessions[i]["client"])),
            None,
        )
        if index is None:
            raise ClientError(f"nothing to undo{f' for {client}' if client else ''}")
        session = sessions[index]
        steps = [_undo_step(entry, force) for entry in reversed(session["files"])]
        result = UndoResult(
            session["id"],
            session["client"],
            dry_run,
            restored=tuple(s.path for s in steps if s.how == "restore"),
            removed=tuple(s.path for s in steps if s.how == "remove"),
            unchanged=tuple(s.path for s in steps if s.how == "same"),
        )
        if dry_run:
            return result
        saved: list[Path] = []
        for n, step in enumerate(steps):
            if step.edited and step.current is not None:
                # Changed since our write (forced): it may be the user's newer work, keep it.
                keep = (
                    private_dir(data / "backups" / f"{session['id']}-undone")
                    / f"{n}-{step.path.name}"
                )
                atomic_write(keep, step.current, mode=0o600)
                saved.append(keep)
        for step in steps:
            if step.how == "restore" and step.backup is not None:
                atomic_write(step.path, step.backup.read_bytes())
            elif step.how == "remove":
                step.path.unlink()
        actions = tuple(
            _run(tuple(a["undo_argv"]), Command(tuple(a["undo_argv"]), f"undo: {a['why']}"))
            for a in reversed(session["actions"])
            if a["undo_argv"]
        )
        del sessions[index]
        _save(data, sessions)
    return replace(result, dry_run=False, saved=tuple(saved), actions=actions)


@dataclass(frozen=True)
class _UndoStep:
    path: Path
    how: str  # restore | remove | same
    current: bytes | None = field(repr=False)  # the user's file
    backup: Path | None
    edited: bool  # changed by someone else since our write


def _undo_step(entry: dict[str, Any], force: bool) -> _UndoStep:
    """What undo does to one journaled file."""
    path = Path(entry["path"])
    current = read_existing(path)
    sha = _sha256(current)
    backup = Path(entry["backup"]) if entry["backup"] else None
    if sha == entry["old_sha256"]:
        return _UndoStep(path, "same", current, backup, edited=False)
    edited = sha != entry["new_sha256"]
    if edited and not force:
        raise ClientError(
            Text.of(
                "clients",
                QT_TRANSLATE_NOOP(
                    "clients",
                    "{path} changed since relay-setup wrote it; nothing was undone ({force})",
                ),
                path=str(path),
                force=Remedy.FORCE_UNDO,
            )
        )
    if backup is not None and not backup.is_file():
        raise ClientError(f"the backup of {path} is missing ({backup}); nothing was undone")
    return _UndoStep(path, "restore" if backup else "remove", current, backup, edited)
