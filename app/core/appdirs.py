"""The app's own data folder (platformdirs: per OS, per user), and the private CA copied there so
client configurations reference a file we control, not wherever the user had it."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import platformdirs

from .atomicfile import atomic_write, private_dir
from .cafile import CaFileError, read_ca_file

APP_NAME = "relay-setup"


def data_dir() -> Path:
    """Backups, the undo journal and copied CA files live here (XDG_DATA_HOME on Linux)."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def resources_dir() -> Path:
    """resources/ (icons, desktop hooks): beside the source tree, unpacked by a frozen build,
    or installed with a wheel under share/relay-setup."""
    frozen = getattr(sys, "_MEIPASS", None)  # PyInstaller unpacks data files here
    if frozen:
        return Path(frozen) / "resources"
    source_tree = Path(__file__).resolve().parents[2] / "resources"
    if source_tree.is_dir():
        return source_tree
    return Path(sys.prefix) / "share" / "relay-setup"  # an installed wheel's data files


def ca_destination(pem: bytes, data: Path | None = None) -> Path:
    """Where a CA goes: named by its content's hash, so installing the same CA twice changes
    nothing and two different CAs never overwrite each other."""
    return (data or data_dir()) / "ca" / f"ca-{hashlib.sha256(pem).hexdigest()[:16]}.pem"


def install_ca_bytes(pem: bytes, data: Path | None = None, *, dry_run: bool = False) -> Path:
    """Copy a CA's PEM bytes, already accepted by cafile (read_ca_file / check_ca_pem), into the
    data folder; returns the copy's path. With dry_run, only the path it would have."""
    dest = ca_destination(pem, data)
    if not dry_run and (not dest.exists() or dest.read_bytes() != pem):
        private_dir(dest.parent.parent)
        atomic_write(dest, pem, mode=0o644)  # a certificate is public
    return dest


def install_ca(source: Path, data: Path | None = None, *, dry_run: bool = False) -> Path:
    """Copy a private CA file (PEM) into the data folder; returns the copy's path."""
    # read_ca_file checks it: a private key never gets here
    return install_ca_bytes(read_ca_file(source), data, dry_run=dry_run)


__all__ = [
    "CaFileError",
    "ca_destination",
    "data_dir",
    "install_ca",
    "install_ca_bytes",
    "private_dir",
    "resources_dir",
]
