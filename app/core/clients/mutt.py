"""Mutt: our block in the first muttrc it reads (Mutt 2.2.12 init.c mutt_find_cfg), see
muttrc.py for what is written and why."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from . import muttrc
from .base import ClientInfo, ClientSettings, Plan, home_dir, program_version, xdg_config_home

NAME = "mutt"
VERSION = re.compile(r"Mutt (\S+)")


def config_path(home: Path | None = None, config: Path | None = None) -> Path:
    """~/.muttrc-VERSION, ~/.muttrc, ~/.mutt/muttrc-VERSION, ~/.mutt/muttrc, $XDG/mutt/muttrc-
    VERSION, $XDG/mutt/muttrc; a new configuration goes to ~/.muttrc."""
    if config is not None:
        return config
    base = home_dir(home)
    folders = [
        (base, ".muttrc"),
        (base / ".mutt", "muttrc"),
        (xdg_config_home(home) / "mutt", "muttrc"),
    ]
    version = _version() if any(f.glob(f"{n}-*") for f, n in folders if f.is_dir()) else None
    names = [f"-{version}", ""] if version else [""]
    candidates = [folder / f"{name}{suffix}" for folder, name in folders for suffix in names]
    return muttrc.first_existing(candidates, base / ".muttrc")


def _version() -> str | None:
    exe = shutil.which(NAME)
    found = VERSION.search(program_version(exe)) if exe else None
    return found.group(1) if found else None


def detect(home: Path | None = None, config: Path | None = None) -> ClientInfo:
    return muttrc.detect_program(
        NAME, config_path(home, config), re.compile(r"\+USE_SMTP\b"), VERSION
    )


def plan(
    settings: ClientSettings,
    config: Path | None = None,
    home: Path | None = None,
    **options: str | None,
) -> Plan:
    return muttrc.plan_file(NAME, config_path(home, config), settings, options)
