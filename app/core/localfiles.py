"""Reading a file that a user or IT names (a profile, an autoconfig XML, a CA bundle,
Thunderbird's profiles.ini, our journal) without trusting it to be a small regular file:
a device such as /dev/zero would exhaust memory, a FIFO would block forever."""

from __future__ import annotations

import enum
import os
import stat
from pathlib import Path

KIB = 1024
MIB = 1024 * KIB


class Problem(enum.Enum):
    MISSING = "missing"
    NOT_REGULAR = "not_regular"  # a folder, device, FIFO or socket
    TOO_LARGE = "too_large"
    UNREADABLE = "unreadable"  # permissions, I/O error


class LocalFileError(Exception):
    """A named file we refuse to read; `why` is in words, without the path (callers add it)."""

    def __init__(self, path: Path, problem: Problem, why: str) -> None:
        super().__init__(f"{path}: {why}")
        self.path = path
        self.problem = problem
        self.why = why


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _size_words(limit: int) -> str:
    return f"{limit // MIB} MiB" if limit >= MIB else f"{limit // KIB} KiB"


def read_local_file(path: str | Path, limit: int) -> bytes:
    """The whole content of the regular file at `path` (a symlink to one is fine), at most
    `limit` bytes; LocalFileError otherwise. Nothing but a regular file is ever opened for
    reading past its type check, and that open cannot block."""
    path = Path(path)
    try:
        # stat before open: opening some devices has effects (a tape rewinds, a modem dials).
        mode = os.stat(path).st_mode
        if not stat.S_ISREG(mode):
            raise LocalFileError(path, Problem.NOT_REGULAR, f"is {_kind(mode)}")
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
        fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise LocalFileError(path, Problem.MISSING, "not found") from None
    except OSError as exc:
        raise LocalFileError(path, Problem.UNREADABLE, exc.strerror or str(exc)) from None
    with os.fdopen(fd, "rb") as f:
        try:
            mode = os.fstat(fd).st_mode
            if not stat.S_ISREG(mode):  # swapped between the stat and the open
                raise LocalFileError(path, Problem.NOT_REGULAR, f"is {_kind(mode)}")
            data = f.read(limit + 1)
        except OSError as exc:
            raise LocalFileError(path, Problem.UNREADABLE, exc.strerror or str(exc)) from None
    if len(data) > limit:
        raise LocalFileError(path, Problem.TOO_LARGE, f"is larger than {_size_words(limit)}")
    return data


def read_local_file_if_exists(path: str | Path, limit: int) -> bytes | None:
    """As read_local_file, but None when there is no such file (nothing written yet)."""
    try:
        return read_local_file(path, limit)
    except LocalFileError as exc:
        if exc.problem is Problem.MISSING:
            return None
        raise
