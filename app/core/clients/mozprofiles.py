"""Thunderbird's profiles: where they live on each OS, which one is the default
(profiles.ini / installs.ini), and whether a running Thunderbird holds one (its lock)."""

from __future__ import annotations

import configparser
import errno
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from ..localfiles import MIB, LocalFileError, read_local_file_if_exists
from ..text import QT_TRANSLATE_NOOP, Remedy, Text
from .base import ClientError, ConfigParseError, home_dir

MAX_INI_BYTES = MIB  # profiles.ini / installs.ini: a few hundred bytes per profile


@dataclass(frozen=True)
class MozProfile:
    name: str
    path: Path
    default: bool  # the one Thunderbird starts with


def roots(home: Path | None = None, platform: str = sys.platform) -> tuple[Path, ...]:
    """Where Thunderbird keeps profiles.ini, most usual first (Linux also snap and flatpak)."""
    base = home_dir(home)
    if platform == "darwin":
        return (base / "Library" / "Thunderbird",)
    if platform == "win32":
        appdata = os.environ.get("APPDATA") if home is None else None
        return ((Path(appdata) if appdata else base / "AppData" / "Roaming") / "Thunderbird",)
    return (
        base / ".thunderbird",
        base / "snap" / "thunderbird" / "common" / ".thunderbird",
        base / ".var" / "app" / "org.mozilla.Thunderbird" / ".thunderbird",
    )


def find_root(home: Path | None = None) -> Path:
    """The first root that holds a profiles.ini (else the usual one, which may not exist)."""
    candidates = roots(home)
    return next((r for r in candidates if (r / "profiles.ini").is_file()), candidates[0])


def _read_ini(path: Path) -> configparser.ConfigParser:
    ini = configparser.ConfigParser(interpolation=None, strict=False)
    ini.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    try:
        raw = read_local_file_if_exists(path, MAX_INI_BYTES)
        if raw is not None:
            ini.read_string(raw.decode("utf-8"), source=str(path))
    except LocalFileError as exc:
        raise ClientError(f"cannot read {path}: {exc.why}") from None
    except UnicodeDecodeError:
        raise ClientError(f"cannot read {path}: not UTF-8 text") from None
    except configparser.MissingSectionHeaderError as exc:
        raise ConfigParseError(path, exc.lineno, "a line before any [section] header") from None
    except configparser.ParsingError as exc:
        raise ConfigParseError(path, exc.errors[0][0], "not an INI line") from None
    except configparser.Error as exc:
        raise ConfigParseError(path, getattr(exc, "lineno", 0) or 0, exc.message) from None
    return ini


def _get(ini: configparser.ConfigParser, section: str, key: str, default: str = "") -> str:
    return str(ini.get(section, key, fallback=default))


def _install_default(root: Path) -> Path | None:
    """`[Install…] Default=` of profiles.ini, else of installs.ini (this wins over Default=1)."""
    for ini, prefix in (
        (_read_ini(root / "profiles.ini"), "Install"),
        (_read_ini(root / "installs.ini"), ""),
    ):
        for section in ini.sections():
            if section.startswith(prefix) and _get(ini, section, "Default", ""):
                return _resolve(root, _get(ini, section, "Default"), relative=True)
    return None


def _resolve(root: Path, path: str, relative: bool) -> Path:
    return root / path if relative else Path(path)


def profiles(root: Path) -> list[MozProfile]:
    ini = _read_ini(root / "profiles.ini")
    chosen = _install_default(root)
    found: list[tuple[str, Path, bool]] = []
    for section in ini.sections():
        if not section.startswith("Profile") or not _get(ini, section, "Path", ""):
            continue
        relative = _get(ini, section, "IsRelative", "1") != "0"
        path = _resolve(root, _get(ini, section, "Path"), relative)
        flagged = _get(ini, section, "Default", "0") == "1"
        found.append((_get(ini, section, "Name", path.name), path, flagged))
    if chosen is None:
        marked = [path for _, path, is_default in found if is_default]
        chosen = marked[0] if marked else (found[0][1] if len(found) == 1 else None)
    return [MozProfile(name, path, path == chosen) for name, path, _ in found]


def find_profile(root: Path, name: str | None = None) -> MozProfile:
    """The profile called `name` (or with that folder name), else the default one."""
    known = profiles(root)
    if name is not None:
        for profile in known:
            if name in (profile.name, profile.path.name):
                return profile
        names = ", ".join(p.name for p in known) or "none"
        raise ClientError(f"no Thunderbird profile named {name!r} in {root} (found: {names})")
    for profile in known:
        if profile.default:
            return profile
    if not known:
        raise ClientError(
            Text.of(
                "clients",
                QT_TRANSLATE_NOOP(
                    "clients",
                    "no Thunderbird profile in {root}: start Thunderbird once, or {config}",
                ),
                root=str(root),
                config=Remedy.NAME_CONFIG,
            )
        )
    names = ", ".join(p.name for p in known)
    raise ClientError(
        Text.of(
            "clients",
            QT_TRANSLATE_NOOP(
                "clients",
                "several Thunderbird profiles and none is the default: pick one of {names}",
            ),
            names=names,
        )
    )


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def lock_holder(profile_dir: Path) -> str | None:
    """Why the profile is in use by a running Thunderbird, or None when it is free."""
    if sys.platform == "win32":
        # Thunderbird keeps parent.lock open without sharing while it runs.
        try:
            os.close(os.open(profile_dir / "parent.lock", os.O_RDWR))
        except FileNotFoundError:
            return None
        except PermissionError:
            return f"{profile_dir / 'parent.lock'} is held open"
        return None
    return _posix_lock_holder(profile_dir)


def _posix_lock_holder(profile_dir: Path) -> str | None:
    """Thunderbird points the `lock` symlink at "IP:+PID" and holds an fcntl lock on
    `.parentlock`; a stale symlink left by a crash (dead PID, no fcntl lock) does not count."""
    import fcntl

    parentlock = profile_dir / ".parentlock"
    try:
        fd = os.open(parentlock, os.O_RDWR)
    except FileNotFoundError:
        fd = -1
    except OSError as exc:
        return f"cannot open {parentlock}: {exc.strerror}"
    if fd >= 0:
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno in (errno.EAGAIN, errno.EACCES):
                return f"a process holds the lock on {parentlock}"
            raise
        finally:
            os.close(fd)  # closing also drops the lock we may just have taken
    try:
        target = os.readlink(profile_dir / "lock")
    except OSError:
        return None
    _, _, pid = target.rpartition("+")
    if pid.isdigit() and _pid_alive(int(pid)):
        return f"{profile_dir / 'lock'} points at running process {pid}"
    return None
