"""NeoMutt: our block in the first muttrc it reads (NeoMutt 20220429 init.c find_cfg), see
muttrc.py for what is written and why."""

from __future__ import annotations

import re
from pathlib import Path

from . import muttrc
from .base import ClientInfo, ClientSettings, Plan, home_dir, xdg_config_home

NAME = "neomutt"


def config_path(home: Path | None = None, config: Path | None = None) -> Path:
    """$XDG/neomutt, $XDG/mutt, ~/.neomutt/, ~/.mutt/ (neomuttrc, then muttrc in each), then
    ~/.neomuttrc, ~/.muttrc; a new configuration goes to $XDG/neomutt/neomuttrc."""
    if config is not None:
        return config
    base, xdg = home_dir(home), xdg_config_home(home)
    folders = [xdg / "neomutt", xdg / "mutt", base / ".neomutt", base / ".mutt"]
    candidates = [folder / name for folder in folders for name in ("neomuttrc", "muttrc")]
    candidates += [base / ".neomuttrc", base / ".muttrc"]
    return muttrc.first_existing(candidates, xdg / "neomutt" / "neomuttrc")


def detect(home: Path | None = None, config: Path | None = None) -> ClientInfo:
    return muttrc.detect_program(
        NAME,
        config_path(home, config),
        re.compile(r"\+smtp\b"),
        re.compile(r"NeoMutt (\S+)"),
    )


def plan(
    settings: ClientSettings,
    config: Path | None = None,
    home: Path | None = None,
    **options: str | None,
) -> Plan:
    return muttrc.plan_file(NAME, config_path(home, config), settings, options)
