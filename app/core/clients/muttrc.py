"""NeoMutt and Mutt: our settings in one marked block of the muttrc the program reads first.

Checked against the sources (NeoMutt 20220429 init.c, Mutt 2.2.12 init.c): inside '...' nothing
is interpreted; inside "..." backslashes, $VARS and `commands` are; a `command` inside "..." gives
its first output line verbatim (outside quotes the output would be parsed as more config). So
every value is written single-quoted, and only smtp_pass is "`secret-tool lookup ...`": NeoMutt
re-reads the text between the backticks ($var, backslash escapes), Mutt hands it to sh as it is,
so the user and host there may hold neither `, $ nor backslash. The block is appended at the end
of the file, after any `source`, so it wins; sourced files are never opened.
"""

from __future__ import annotations

import re
import shutil
import urllib.parse
from pathlib import Path

from ..results import TlsMode
from ..text import QT_TRANSLATE_NOOP, Text
from .base import (
    ClientInfo,
    ClientSettings,
    ConfigParseError,
    FileChange,
    Plan,
    note,
    program_version,
    read_existing,
    refuse_options,
)
from .lines import newline_of
from .passcmd import check_relay, keyring_lookup

BEGIN = "# >>> relay-setup: the SMTP relay; the password comes from the OS keyring"
END = "# <<< relay-setup"
# Variables our block sets: the same set elsewhere in the file after our block would win.
MANAGED = (
    "smtp_url",
    "ssl_force_tls",
    "ssl_starttls",
    "ssl_ca_certificates_file",
    "smtp_authenticators",
    "from",
    "smtp_pass",
)
SET_LINE = re.compile(r"\s*set\s+(?:no|inv)?([a-z_]+)")
SOURCE_LINE = re.compile(r"\s*source\s")


def quote(value: str) -> str:
    """A muttrc token that reads back as `value`, nothing expanded: '...', each ' as '"'"'."""
    return "'" + value.replace("'", "'\"'\"'") + "'"


def render(client: str, settings: ClientSettings, nl: str = "\n") -> str:
    """Our block, markers included, each line ending with `nl`."""
    relay = settings.relay
    check_relay(client, relay, user_forbidden="`$\\")  # the user goes into the password command
    user = urllib.parse.quote(relay.user, safe="")
    scheme = "smtps" if relay.tls is TlsMode.IMPLICIT else "smtp"
    lines = [
        BEGIN,
        f"set smtp_url={quote(f'{scheme}://{user}@{relay.host}:{relay.port}/')}",
        "set ssl_force_tls=yes",
        "set ssl_starttls=yes",
    ]
    if settings.ca_file is not None:
        lines.append(f"set ssl_ca_certificates_file={quote(str(settings.ca_file))}")
    if relay.auth:
        lines.append(f"set smtp_authenticators={quote(relay.auth.lower())}")
    lines += [
        f"set from={quote(relay.sender)}",
        f'set smtp_pass="`{keyring_lookup(relay.host, relay.user)}`"',
        END,
    ]
    return "".join(line + nl for line in lines)


def merge(
    path: Path, old: bytes | None, client: str, settings: ClientSettings
) -> tuple[bytes, tuple[Text, ...]]:
    """The file with our block replaced (or appended), every other byte kept; notes for the user
    about lines that would still override the block or hold a password."""
    text = (old or b"").decode("utf-8", "surrogateescape")
    lines = text.splitlines(keepends=True)
    nl = newline_of(lines)
    begin, end = _block(path, lines)
    block = render(client, settings, nl)
    if begin is None or end is None:
        out = list(lines)
        if out and not out[-1].endswith("\n"):
            out[-1] += nl
        if out and out[-1].strip():
            out.append(nl)
        out.append(block)
        after: list[tuple[int, str]] = []
    else:
        out = [*lines[:begin], block, *lines[end + 1 :]]
        after = list(enumerate(lines[end + 1 :], start=end + 2))
    notes: list[Text] = []
    for number, line in [*enumerate(lines[: begin or len(lines)], start=1), *after]:
        found = SET_LINE.match(line)
        if found and found.group(1) == "smtp_pass" and "`" not in line:
            notes.append(
                note(
                    QT_TRANSLATE_NOOP(
                        "clients",
                        "{path}, line {number} keeps a password in the file (smtp_pass): remove it",
                    ),
                    path=str(path),
                    number=str(number),
                )
            )
    for number, line in after:
        found = SET_LINE.match(line)
        if found and found.group(1) in MANAGED:
            notes.append(
                note(
                    QT_TRANSLATE_NOOP(
                        "clients",
                        "{path}, line {number} sets {variable} after the relay-setup block and "
                        "overrides it",
                    ),
                    path=str(path),
                    number=str(number),
                    variable=found.group(1),
                )
            )
        elif SOURCE_LINE.match(line):
            notes.append(
                note(
                    QT_TRANSLATE_NOOP(
                        "clients",
                        "{path}, line {number} sources a file after the relay-setup block: what it "
                        "sets wins (the block is best kept last)",
                    ),
                    path=str(path),
                    number=str(number),
                )
            )
    return "".join(out).encode("utf-8", "surrogateescape"), tuple(notes)


def _block(path: Path, lines: list[str]) -> tuple[int | None, int | None]:
    """Where our block is (indexes of its markers); a file Mutt itself would refuse (a line with
    mismatched backticks) or a damaged block is a ConfigParseError."""
    begin = end = None
    for index, line in enumerate(lines):
        number = index + 1
        body = line.rstrip("\r\n")
        if _backticks_mismatched(body):
            raise ConfigParseError(path, number, "mismatched backticks")
        if body == BEGIN:
            if begin is not None:
                raise ConfigParseError(path, number, "a second relay-setup block begins here")
            begin = index
        elif body == END:
            if begin is None or end is not None:
                raise ConfigParseError(path, number, "a relay-setup block ends without beginning")
            end = index
    if begin is not None and end is None:
        raise ConfigParseError(path, begin + 1, "the relay-setup block that begins here never ends")
    return begin, end


def _backticks_mismatched(line: str) -> bool:
    """Mutt's token reader: outside '...' and comments, a ` opens a command that must close."""
    quote_char = ""
    i = 0
    while i < len(line):
        ch = line[i]
        if quote_char == "'":
            quote_char = "" if ch == "'" else quote_char
        elif ch == "\\":
            i += 1
        elif ch == "#" and not quote_char:
            return False
        elif ch in "'\"" and not quote_char:
            quote_char = ch
        elif ch == '"' and quote_char == '"':
            quote_char = ""
        elif ch == "`":
            close = re.compile(r"(?:\\.|[^\\`])*`", re.DOTALL).match(line, i + 1)
            if close is None:
                return True
            i = close.end() - 1
        i += 1
    return False


# -- which file the program reads, and the module functions both share --------------------------


def first_existing(candidates: list[Path], new: Path) -> Path:
    return next((path for path in candidates if path.exists()), new)


def detect_program(
    name: str, path: Path, smtp_feature: re.Pattern[str], version_pattern: re.Pattern[str]
) -> ClientInfo:
    exe = shutil.which(name)
    if exe is None:
        return ClientInfo(name, installed=False, config_path=path)
    out = program_version(exe)
    version = version_pattern.search(out)
    notes: tuple[Text, ...] = ()
    if out and not smtp_feature.search(out):
        notes = (
            note(
                QT_TRANSLATE_NOOP(
                    "clients",
                    "this {name} was built without SMTP support: it cannot send through the relay",
                ),
                name=name,
            ),
        )
    return ClientInfo(
        name,
        installed=True,
        version=version.group(1) if version else None,
        config_path=path,
        notes=notes,
    )


def plan_file(
    name: str, path: Path, settings: ClientSettings, options: dict[str, str | None]
) -> Plan:
    refuse_options(name, options)
    old = read_existing(path)
    new, notes = merge(path, old, name, settings)
    relay = settings.relay
    told = (
        note(
            QT_TRANSLATE_NOOP(
                "clients",
                "{name} reads the password from the OS keyring when it starts (secret-tool "
                "lookup, host {host}, user {user}); with the keyring locked it asks for it",
            ),
            name=name,
            host=relay.host,
            user=relay.user,
        ),
        *notes,
    )
    if shutil.which(name) is None:
        told += (
            note(
                QT_TRANSLATE_NOOP(
                    "clients", "{name} is not installed: the configuration is ready for when it is"
                ),
                name=name,
            ),
        )
    return Plan(name, (FileChange(path, old, new, mode=0o600),), told)
