"""Writing one file safely. Which files may be read and replaced: regular files only. A
device or FIFO is refused before it is opened (reading a FIFO would hang; replacing a device
would destroy it), and a symlink is followed only to a regular file of this user inside the home
folder (dotfile managers link these files; a link to /etc/passwd must never be appended to).
Replacing one: a temp file in the same folder, fsync, rename (a crash at any instant leaves the
old or the new file, never a torn one), fsync the folder.

Ground floor (see app/core/__init__.py): the data folder, the writer and the clients use it."""

from __future__ import annotations

import contextlib
import glob
import os
import stat
import tempfile
import time
from pathlib import Path

from .text import QT_TRANSLATE_NOOP, Remedy, Text, WordedError

TEMP_SUFFIX = ".relay-setup-tmp"
STALE_TEMP_SECONDS = 600


class ClientError(WordedError):
    """A client's configuration could not be found, read or written (exit status CONFIG).
    Given a `Text`, `str()` is the command line's wording and `text` the one a window words its
    own way (app/core/text.py)."""


_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
)


class UnsafeTarget(ClientError):
    """A configuration path that is not a regular file we may replace (exit status CONFIG)."""


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def regular_target(path: Path, home: Path | None = None) -> tuple[Path, os.stat_result | None]:
    """The file `path` stands for (a symlink resolved) and its stat (None: it does not exist
    yet). Raises UnsafeTarget for anything but a regular file or an acceptable symlink."""
    try:
        link = os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return path, None
    except OSError as exc:
        raise UnsafeTarget(f"cannot look at {path}: {exc.strerror or exc}") from None
    if not stat.S_ISLNK(link.st_mode):
        if not stat.S_ISREG(link.st_mode):
            raise UnsafeTarget(f"{path} is {_kind(link.st_mode)}, not a regular file: refused")
        return path, link
    real = Path(os.path.realpath(path))
    try:
        st = os.stat(real)
    except OSError:
        raise UnsafeTarget(
            f"{path} is a symlink to {real}, which does not exist: refused"
        ) from None
    home_real = Path(os.path.realpath(home if home is not None else Path.home()))
    if not stat.S_ISREG(st.st_mode):
        raise UnsafeTarget(f"{path} is a symlink to {_kind(st.st_mode)} ({real}): refused")
    if st.st_uid != os.geteuid() or not _inside(real, home_real):
        raise UnsafeTarget(
            Text.of(
                "clients",
                QT_TRANSLATE_NOOP(
                    "clients",
                    "{path} is a symlink to {real}, which is not your own file inside {home}: "
                    "refused (replace the link with the file, or {config})",
                ),
                path=str(path),
                real=str(real),
                home=str(home_real),
                config=Remedy.NAME_CONFIG,
            )
        )
    return real, st


def read_regular(path: Path) -> bytes | None:
    """A configuration file's bytes, or None when it does not exist. Only a regular file is
    read (opened without blocking, and checked again once open, so a FIFO swapped in between
    neither hangs nor is read)."""
    real, st = regular_target(path)
    if st is None:
        return None
    try:
        fd = os.open(real, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ClientError(f"cannot read {path}: {exc.strerror or exc}") from None
    with os.fdopen(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
            raise UnsafeTarget(f"{path} is not a regular file: refused")
        try:
            return f.read()
        except OSError as exc:
            raise ClientError(f"cannot read {path}: {exc.strerror or exc}") from None


def writable_target(path: Path) -> tuple[Path, os.stat_result | None]:
    """Like regular_target, and refuses what cannot or should not be replaced: a read-only file
    (its owner made it so on purpose) or a folder we cannot create files in."""
    real, st = regular_target(path)
    if st is not None and not st.st_mode & stat.S_IWUSR:
        raise UnsafeTarget(
            Text.of(
                "clients",
                QT_TRANSLATE_NOOP(
                    "clients",
                    "{path} is read-only: nothing was written (make it writable to let Relay "
                    "Setup change it)",
                ),
                path=str(path),
            )
        )
    folder = real.parent
    while not os.path.lexists(folder) and folder != folder.parent:
        folder = folder.parent  # the folders we would create go into the first existing one
    if not folder.is_dir():
        raise UnsafeTarget(f"cannot write {path}: {folder} is not a folder")
    if os.name == "posix" and not os.access(folder, os.W_OK | os.X_OK):
        raise UnsafeTarget(f"cannot write {path}: the folder {folder} is not writable")
    return real, st


def private_dir(path: Path) -> Path:
    """Create a folder only its owner can read (backups may hold the user's old settings)."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def atomic_write(path: Path, data: bytes, mode: int | None = None) -> None:
    """Replace `path` with `data` atomically. An existing file keeps its mode (and owner, when we
    run as root); a new one gets `mode`, or 0600. A symlink is followed to its target only when
    that is a regular file of ours inside the home folder (dotfile managers link these files).
    Anything else, a read-only file or an unwritable folder is a ClientError; so is any failure
    to write, which leaves the old file as it was."""
    try:
        _atomic_write(path, data, mode)
    except OSError as exc:
        raise ClientError(f"cannot write {path}: {exc.strerror or exc}") from None


def _atomic_write(path: Path, data: bytes, mode: int | None) -> None:
    target, st = writable_target(path)
    private_dir(target.parent)
    keep = stat.S_IMODE(st.st_mode) if st else (0o600 if mode is None else mode)
    _remove_stale_temps(target)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=TEMP_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as f:
            if os.name == "posix":
                os.fchmod(f.fileno(), keep)
                if st is not None and os.geteuid() == 0:
                    os.fchown(f.fileno(), st.st_uid, st.st_gid)
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_dir(target.parent)


def _remove_stale_temps(target: Path) -> None:
    """Temp files a killed writer left beside the target (old enough that no live writer owns
    them): they hold a copy of some configuration and must not pile up."""
    cutoff = time.time() - STALE_TEMP_SECONDS
    for leftover in target.parent.glob(f".{glob.escape(target.name)}.*{TEMP_SUFFIX}"):
        with contextlib.suppress(OSError):
            if leftover.lstat().st_mtime < cutoff:
                leftover.unlink()


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable (POSIX; Windows has no directory handles for this)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
