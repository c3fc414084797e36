"""msmtp: an account block named after the relay in ~/.msmtprc (or $XDG_CONFIG_HOME/msmtp/config).

The file is read the way msmtp reads it (lines split on LF, a trailing CR dropped, `#` comments,
`command argument` with the argument trimmed and one pair of enclosing quotes removed), and only
our own account's lines are touched; every other byte stays as it was. No password line is ever
written: msmtp's libsecret lookup (attributes host, service=smtp, user) finds the keyring item.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ..results import TlsMode
from ..text import QT_TRANSLATE_NOOP, Text
from ..values import control_character
from .base import (
    ClientError,
    ClientInfo,
    ClientSettings,
    ConfigParseError,
    FileChange,
    Plan,
    home_dir,
    note,
    read_existing,
    refuse_options,
)
from .lines import newline_of, split_lines

NAME = "msmtp"
# msmtp reads a line into a 501-byte buffer (fgets): 500 bytes with the line's LF, so at most 499
# before it (a CR of CRLF counts). Checked with msmtp 1.8.23: a 500-byte line is refused, with
# "line longer than 500 characters", and so is the whole file.
MAX_LINE = 499
# Our account's lines, in the order we write them. tls_certcheck on: a `defaults` section must
# never switch certificate checks off for us.
MANAGED = (
    "host",
    "port",
    "tls",
    "tls_starttls",
    "tls_certcheck",
    "tls_trust_file",
    "tls_fingerprint",
    "auth",
    "user",
    "from",
)
# Removed from our account: a password (or command) would be used instead of the keyring, and the
# 1.2-era spellings would override what we write.
DROPPED = ("password", "passwordeval", "tls_nocertcheck", "tls_nostarttls")
PASSWORD_KEYS = ("password", "passwordeval")


def config_path(home: Path | None = None, config: Path | None = None) -> Path:
    """msmtp's own search order: ~/.msmtprc if present, else the XDG file if present; a new
    configuration goes to ~/.msmtprc. Native Windows builds read msmtprc.txt in %HOME%, else in
    the AppData folder."""
    if config is not None:
        return config
    if sys.platform == "win32":
        folder = os.environ.get("HOME") or os.environ.get("APPDATA")
        return (home or (Path(folder) if folder else Path.home())) / "msmtprc.txt"
    base = home_dir(home)
    rc = base / ".msmtprc"
    xdg_home = os.environ.get("XDG_CONFIG_HOME") if home is None else None
    xdg = (Path(xdg_home) if xdg_home else base / ".config") / "msmtp" / "config"
    return xdg if not rc.exists() and xdg.exists() else rc


def detect(home: Path | None = None, config: Path | None = None) -> ClientInfo:
    path = config_path(home, config)
    exe = shutil.which("msmtp")
    if exe is None:
        return ClientInfo(NAME, installed=False, config_path=path)
    try:
        out = subprocess.run(
            [exe, "--version"], capture_output=True, text=True, timeout=10, check=False
        ).stdout
    except (OSError, subprocess.TimeoutExpired):
        out = ""
    version = re.search(r"msmtp version (\S+)", out)
    notes: tuple[Text, ...] = ()
    if re.search(r"Keyring support:\s*none", out, re.IGNORECASE):
        notes = (
            note(
                QT_TRANSLATE_NOOP(
                    "clients",
                    "this msmtp was built without keyring support: it cannot read the password",
                )
            ),
        )
    return ClientInfo(
        NAME,
        installed=True,
        version=version.group(1) if version else None,
        config_path=path,
        notes=notes,
    )


# -- reading the file the way msmtp does -------------------------------------------------------


@dataclass(frozen=True)
class Line:
    number: int  # 1-based, as msmtp and editors count
    # raw and argument may be a `password` line's secret: kept out of the repr
    raw: str = field(repr=False)  # with its line ending (undecodable bytes kept as surrogates)
    command: str | None  # None: blank or comment
    argument: str = field(repr=False)

    @property
    def indent(self) -> str:
        return self.raw[: len(self.raw) - len(self.raw.lstrip(" \t"))]

    @property
    def separator(self) -> str:
        """The blanks between command and argument (kept, so aligned columns stay aligned)."""
        found = re.match(r"[ \t]*\S+([ \t]+)\S", self.raw)
        return found.group(1) if found else " "

    @property
    def ending(self) -> str:
        return self.raw[len(self.raw.rstrip("\r\n")) :]


def parse_line(number: int, raw: str) -> Line:
    body = raw.rstrip("\n")
    body = body.removesuffix("\r")
    stripped = body.lstrip(" \t")
    if not stripped or stripped.startswith("#"):
        return Line(number, raw, None, "")
    command = re.split(r"[ \t]", stripped, maxsplit=1)[0]
    return Line(number, raw, command, unquote(stripped[len(command) :]))


def unquote(text: str) -> str:
    text = text.strip(" \t")
    return text[1:-1] if len(text) >= 2 and text[0] == text[-1] == '"' else text


def quote(value: str) -> str:
    """What msmtp reads back as `value` (it strips blanks and one pair of enclosing quotes)."""
    return f'"{value}"' if unquote(value) != value or not value else value


@dataclass(frozen=True)
class Section:
    """An account block (or `defaults`): its header line and the lines up to the next header."""

    name: str | None  # None: a `defaults` section
    header: int  # index into the lines
    end: int  # index after its last line


@dataclass(frozen=True)
class Parsed:
    lines: list[Line]
    sections: list[Section]
    has_default: bool


def parse(path: Path, text: str) -> Parsed:
    """The structure msmtp itself checks; anything it would refuse is a ConfigParseError."""
    lines = [parse_line(n, raw) for n, raw in enumerate(split_lines(text), start=1)]
    sections: list[Section] = []
    names: dict[str, int] = {}
    implicit_default = False
    for i, line in enumerate(lines):
        if _length(line.raw) > MAX_LINE:
            raise ConfigParseError(path, line.number, "line longer than 500 characters")
        if line.command is None:
            continue
        if line.command not in ("account", "defaults"):
            # msmtp 1.2 compatibility: commands before any account form the account "default"
            implicit_default = implicit_default or not sections
            continue
        if sections:
            sections[-1] = Section(sections[-1].name, sections[-1].header, i)
        if line.command == "defaults":
            if line.argument:
                raise ConfigParseError(path, line.number, "defaults takes no argument")
            sections.append(Section(None, i, len(lines)))
            continue
        name, _, parents = line.argument.partition(":")
        name = unquote(name)
        if not name:
            raise ConfigParseError(path, line.number, "missing account name")
        if "," in name:
            raise ConfigParseError(path, line.number, "an account name must not contain commas")
        if name in names or (name == "default" and implicit_default):
            raise ConfigParseError(
                path, line.number, f"account {name} was already defined (line {names.get(name, 1)})"
            )
        for parent in (unquote(p) for p in parents.split(",")) if parents else ():
            if parent not in names:
                raise ConfigParseError(path, line.number, f"account {parent} is not (yet) defined")
        names[name] = line.number
        sections.append(Section(name, i, len(lines)))
    return Parsed(lines, sections, implicit_default or "default" in names)


def _length(raw: str) -> int:
    """A line's length as msmtp counts it: bytes, without the LF (a CR before it counts)."""
    return len(raw.removesuffix("\n").encode("utf-8", "surrogateescape"))


# -- our account -------------------------------------------------------------------------------


AUTH_ARGUMENT = {None: "on", "PLAIN": "plain", "LOGIN": "login", "CRAM-MD5": "cram-md5"}


def render(settings: ClientSettings) -> dict[str, str]:
    """Our account's commands: key -> argument (MANAGED order; absent keys are removed)."""
    relay = settings.relay
    if relay.tls is TlsMode.NONE:
        raise ClientError(
            Text(
                "clients",
                QT_TRANSLATE_NOOP(
                    "clients",
                    "refusing an msmtp account without TLS: the password would go in clear",
                ),
            )
        )
    values = {
        "host": relay.host,
        "port": str(relay.port),  # always: msmtp's default depends on tls_starttls
        "tls": "on",
        "tls_starttls": "on" if relay.tls is TlsMode.STARTTLS else "off",
        "tls_certcheck": "on",
        "auth": AUTH_ARGUMENT.get(relay.auth, (relay.auth or "on").lower()),
        "user": relay.user,
        "from": relay.sender,
    }
    if relay.pin_sha256:
        values["tls_fingerprint"] = relay.pin_sha256
    elif settings.ca_file is not None:
        values["tls_trust_file"] = str(settings.ca_file)
    for key, value in values.items():
        # msmtp has no escapes: a line break would start a command of its own (passwordeval).
        bad = control_character(value)
        if bad is not None:
            raise ClientError(f"msmtp's {key} cannot hold the control character U+{ord(bad):04X}")
    return {key: values[key] for key in MANAGED if key in values}


def merge(
    path: Path, old: bytes | None, settings: ClientSettings
) -> tuple[bytes, tuple[Text, ...]]:
    """The file with our account added or updated (and `account default` if there is none),
    every other line kept byte for byte; with notes for the user."""
    text = (old or b"").decode("utf-8", "surrogateescape")
    parsed = parse(path, text)
    wanted = render(settings)
    nl = newline_of([line.raw for line in parsed.lines[:1]])
    ours = next((s for s in parsed.sections if s.name == settings.account), None)
    notes: list[Text] = []
    out = [line.raw for line in parsed.lines]

    def inherited(section_end: int) -> list[Line]:
        """Password lines in `defaults` sections above a point: msmtp would use them."""
        return [
            line
            for s in parsed.sections
            if s.name is None and s.header < section_end
            for line in parsed.lines[s.header : s.end]
            if line.command in PASSWORD_KEYS
        ]

    if ours is None:
        _new_paragraph(out, nl)
        relay = settings.relay
        out.append(
            f"# Relay Setup: the password is in the OS keyring "
            f"(service smtp, host {relay.host}, user {relay.user}){nl}"
        )
        out.append(f"account {settings.account}{nl}")
        out += [f"{key} {quote(value)}{nl}" for key, value in wanted.items()]
        shadowing = inherited(len(parsed.lines))
    else:
        out = _update_block(parsed, ours, wanted, nl, notes)
        shadowing = inherited(ours.header)
    if not parsed.has_default and settings.account != "default":
        _new_paragraph(out, nl)
        out.append(f"account default : {settings.account}{nl}")
    for line in shadowing:
        notes.append(
            note(
                QT_TRANSLATE_NOOP(
                    "clients",
                    "{path}, line {number}: `{command}` in a defaults section applies to "
                    "account {account} too, so msmtp will not read the keyring: remove it",
                ),
                path=str(path),
                number=str(line.number),
                command=str(line.command),
                account=settings.account,
            )
        )
    for raw in out:  # the file's own lines were checked by parse(): a long one is ours
        if _length(raw) > MAX_LINE:
            raise ClientError(
                f"msmtp accepts lines of at most {MAX_LINE} bytes, and would refuse the whole file "
                f"with this one ({_length(raw)} bytes): {raw[:60]}...; use a shorter value"
            )
    return "".join(out).encode("utf-8", "surrogateescape"), tuple(notes)


def _new_paragraph(out: list[str], nl: str) -> None:
    """End the last line (only if it has no ending) and add a blank line before what we append."""
    if out and not out[-1].endswith("\n"):
        out[-1] += nl
    if out and out[-1].strip():
        out.append(nl)


def _update_block(
    parsed: Parsed, ours: Section, wanted: dict[str, str], nl: str, notes: list[Text]
) -> list[str]:
    """Our existing account: each managed line set in place (untouched when already right),
    duplicates and password lines removed, missing lines added after the block's last command."""
    out: list[str] = [line.raw for line in parsed.lines[: ours.header + 1]]
    block = parsed.lines[ours.header + 1 : ours.end]
    seen: set[str] = set()
    last_command = -1
    body: list[str] = []
    for line in block:
        key = line.command
        if key in DROPPED or (key in MANAGED and (key in seen or key not in wanted)):
            if key in PASSWORD_KEYS:
                notes.append(
                    note(
                        QT_TRANSLATE_NOOP(
                            "clients",
                            "removed `{key}` (line {number}) from account {account}: "
                            "msmtp now reads the password from the OS keyring",
                        ),
                        key=key,
                        number=str(line.number),
                        account=str(ours.name),
                    )
                )
            continue
        if key in MANAGED:
            seen.add(key)
            value = wanted[key]
            if line.argument != value:
                raw = f"{line.indent}{key}{line.separator}{quote(value)}{line.ending or nl}"
                line = Line(line.number, raw, key, value)
        body.append(line.raw)
        if key is not None:
            last_command = len(body) - 1
    missing = [f"{key} {quote(value)}{nl}" for key, value in wanted.items() if key not in seen]
    if missing and last_command >= 0 and not body[last_command].endswith("\n"):
        body[last_command] += nl
    if missing and last_command < 0 and not out[-1].endswith("\n"):
        out[-1] += nl
    body[last_command + 1 : last_command + 1] = missing
    return out + body + [line.raw for line in parsed.lines[ours.end :]]


def plan(
    settings: ClientSettings,
    config: Path | None = None,
    home: Path | None = None,
    **options: str | None,
) -> Plan:
    refuse_options("msmtp", options)
    path = config_path(home, config)
    old = read_existing(path)
    new, notes = merge(path, old, settings)
    relay = settings.relay
    if sys.platform.startswith("linux"):
        keyring_note = note(
            QT_TRANSLATE_NOOP(
                "clients",
                "msmtp reads the password from the OS keyring (service smtp, host {host}, "
                "user {user}): changing it in Relay Setup is what msmtp uses next",
            ),
            host=relay.host,
            user=relay.user,
        )
    else:  # msmtp searches the macOS Keychain / Windows store under its own names
        keyring_note = note(
            QT_TRANSLATE_NOOP(
                "clients",
                "msmtp looks for the password in this system's keychain under host {host} "
                "and user {user}, which may not be where Relay Setup keeps it: see msmtp's "
                "manual (password management)",
            ),
            host=relay.host,
            user=relay.user,
        )
    told = (keyring_note, *notes)
    if shutil.which("msmtp") is None:
        told += (
            note(
                QT_TRANSLATE_NOOP(
                    "clients", "msmtp is not installed: the configuration is ready for when it is"
                )
            ),
        )
    return Plan(NAME, (FileChange(path, old, new, mode=0o600),), told)
