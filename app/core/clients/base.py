"""What every mail-client module shares: the settings it renders, what it found, the plan of
file changes it proposes, and its typed errors.

A client module (msmtp, alpine, thunderbird) is a plain module exposing:

    NAME: str
    def detect(home: Path | None = None, config: Path | None = None) -> ClientInfo
    def plan(settings: ClientSettings, config: Path | None = None,
             home: Path | None = None, **options: str | None) -> Plan

`home` stands in for the user's home folder (tests), `config` is `--config PATH`. Extra keyword
options are client specific (thunderbird: `profile=NAME`); the write command passes an option
only when the user gave it. `plan` reads, never writes: `safewrite.apply(plan)` does the writing
(backup, temp file, fsync, rename, journal) and then runs the plan's actions.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import re
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from ..atomicfile import ClientError as ClientError  # defined beside the file tools that raise it
from ..atomicfile import read_regular
from ..settings import RelaySetting
from ..text import QT_TRANSLATE_NOOP, Remedy, Text
from ..values import control_character
from .masking import mask_line


def note(template: str, **fields: str | Text | Remedy) -> Text:
    """A note for the user; `template` marked with QT_TRANSLATE_NOOP("clients", ...)."""
    return Text.of("clients", template, **fields)


# -- input -------------------------------------------------------------------------------------


def account_name(host: str) -> str:
    """The name of our account/server entry in a client: the relay's host, in safe characters."""
    name = re.sub(r"[^a-z0-9._-]+", "-", host.strip().lower()).strip("-.")
    if not name:
        raise ClientError(f"no usable account name in host {host!r}")
    return name


@dataclass(frozen=True)
class ClientSettings:
    """What a client module renders: the verified relay setting (never a password), the account
    name, and the private CA already copied into the app's data folder (appdirs.install_ca)."""

    relay: RelaySetting
    account: str
    ca_file: Path | None = None  # the copy in the app data folder, never the user's original
    # The CA's checked PEM, when the copy may not exist yet (a dry run plans without copying).
    ca_pem: bytes | None = field(default=None, repr=False)

    @classmethod
    def for_relay(
        cls, relay: RelaySetting, ca_file: Path | None = None, ca_pem: bytes | None = None
    ) -> ClientSettings:
        # The relay's values were checked when it was made; the CA's copy lives in the data
        # folder, whose path comes from the environment (XDG_DATA_HOME): a newline there would
        # inject lines into a config file.
        if ca_file is not None and control_character(str(ca_file)):
            raise ClientError(f"the CA file's path holds a control character: {str(ca_file)!r}")
        return cls(relay=relay, account=account_name(relay.host), ca_file=ca_file, ca_pem=ca_pem)


# -- what a module finds -----------------------------------------------------------------------


@dataclass(frozen=True)
class ClientInfo:
    name: str
    installed: bool
    version: str | None = None
    config_path: Path | None = None  # where its configuration is (or would be created)
    running: bool = False
    notes: tuple[Text, ...] = ()  # str() is the command line's English, say() a window's


# -- what a module proposes --------------------------------------------------------------------


@dataclass(frozen=True, repr=False)
class FileChange:
    """One file's whole new content. `old` is what `plan` read (None: the file does not exist);
    apply refuses if the file no longer holds it. `mode` applies only to a file we create
    (an existing file keeps its own mode); None means 0600.

    `old` and `new` are whole user files, which may hold the user's other passwords: the repr
    names only their sizes and hashes, and diff() masks secret values."""

    path: Path
    old: bytes | None
    new: bytes
    mode: int | None = None

    @property
    def changed(self) -> bool:
        return self.old != self.new

    @property
    def old_sha256(self) -> str | None:
        return None if self.old is None else hashlib.sha256(self.old).hexdigest()

    @property
    def new_sha256(self) -> str:
        return hashlib.sha256(self.new).hexdigest()

    def __repr__(self) -> str:
        old = "absent" if self.old is None else f"{len(self.old)} bytes sha256 {self.old_sha256}"
        new = f"{len(self.new)} bytes sha256 {self.new_sha256}"
        return f"FileChange(path={str(self.path)!r}, old=<{old}>, new=<{new}>, mode={self.mode})"

    def diff(self) -> str:
        """A unified diff (old -> new) for showing: the values of secret-bearing lines are
        masked (masking.mask_line); bytes that are not UTF-8 show as replacement marks."""
        if not self.changed:
            return ""
        old = _shown_lines(self.old or b"")
        new = _shown_lines(self.new)
        lines = difflib.unified_diff(
            old,
            new,
            fromfile="/dev/null" if self.old is None else str(self.path),
            tofile=str(self.path),
        )
        marker = "\n\\ No newline at end of file\n"
        return "".join(line if line.endswith("\n") else line + marker for line in lines)


def _shown_lines(data: bytes) -> list[str]:
    return [mask_line(line) for line in data.decode("utf-8", "replace").splitlines(keepends=True)]


@dataclass(frozen=True)
class Command:
    """A program to run after the files are written (e.g. certutil importing a CA), as data so
    a dry run can show it and undo can reverse it. `undo_argv` (if any) reverses it."""

    argv: tuple[str, ...]
    why: str
    undo_argv: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Plan:
    client: str
    changes: tuple[FileChange, ...] = ()
    notes: tuple[Text, ...] = ()  # for the user: "Thunderbird asks for the password on first send"
    actions: tuple[Command, ...] = field(default=())

    @property
    def changed(self) -> bool:
        return any(c.changed for c in self.changes)

    def diff(self) -> str:
        return "".join(c.diff() for c in self.changes)


# -- errors ------------------------------------------------------------------------------------


class ConfigParseError(ClientError):
    """A configuration file we cannot parse: left untouched, the line named."""

    def __init__(self, path: Path, line_number: int, why: str) -> None:
        self.path = path
        self.line_number = line_number
        self.why = why
        super().__init__(
            Text.of(
                "clients",
                QT_TRANSLATE_NOOP(
                    "clients", "{path}, line {line}: {why}; the file was left untouched"
                ),
                path=str(path),
                line=str(line_number),
                why=why,
            )
        )


class ClientBusy(ClientError):
    """The client is running and must not be touched (it would overwrite our change)."""

    def __init__(self, client: str, why: str | Text) -> None:
        self.client = client
        self.why = str(why)
        super().__init__(
            Text.of(
                "clients",
                QT_TRANSLATE_NOOP("clients", "{client} is running: {why}"),
                client=client,
                why=why,
            )
        )


# -- the module protocol -----------------------------------------------------------------------


class ClientModule(Protocol):
    NAME: str

    def detect(self, home: Path | None = None, config: Path | None = None) -> ClientInfo: ...

    def plan(
        self,
        settings: ClientSettings,
        config: Path | None = None,
        home: Path | None = None,
        **options: str | None,
    ) -> Plan: ...


def refuse_options(client: str, options: Mapping[str, str | None]) -> None:
    """For a client whose plan takes no option (Thunderbird's --profile is the only one)."""
    if any(value is not None for value in options.values()):
        raise ClientError(f"{client} takes no option {', '.join(options)}")


def read_existing(path: Path) -> bytes | None:
    """A config file's bytes, or None when it does not exist (any other failure is a
    ClientError naming the file). Only a regular file (or a link to one of ours) is read."""
    return read_regular(path)


def home_dir(home: Path | None) -> Path:
    return home if home is not None else Path.home()


def xdg_config_home(home: Path | None) -> Path:
    """$XDG_CONFIG_HOME (only for the real home), else HOME/.config."""
    xdg_home = os.environ.get("XDG_CONFIG_HOME") if home is None else None
    return Path(xdg_home) if xdg_home else home_dir(home) / ".config"


def program_version(exe: str) -> str:
    """What `PROGRAM -v` prints (name, version, build features), or "" when it cannot run."""
    try:
        out = subprocess.run(
            [exe, "-v"], capture_output=True, text=True, timeout=10, check=False
        ).stdout
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return out
