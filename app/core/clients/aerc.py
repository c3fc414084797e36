"""aerc: the outgoing settings of the user's aerc account in $XDG_CONFIG_HOME/aerc/accounts.conf.

Checked against aerc 0.14.0 (Debian 12; config/accounts.go, commands/compose/send.go) and the
go-ini 1.63.2 parser it uses:
- an account needs `source` and `from`, so we never invent one: we update the account that sends
  as the user's address (or the one named after the relay);
- `outgoing = smtps://USER@HOST:PORT` is implicit TLS; `smtp://...` does STARTTLS only with
  `smtp-starttls = yes` (and then refuses a server without it); `+login`/`+plain` after the
  scheme forces a mechanism (plain is the default; CRAM-MD5 is not offered);
- `outgoing-cred-cmd` runs through `sh -c`, its output trimmed, when the URL has no password;
- an unquoted value ends at the first `#` or `;` (an inline comment), so values we write that may
  hold them are wrapped in backticks (a raw value up to the last backtick);
- aerc refuses to start when accounts.conf is readable by group or others;
- TLS is Go's: the system store only (or SSL_CERT_FILE); no file of aerc's names a CA.
"""

from __future__ import annotations

import re
import shutil
import stat
import urllib.parse
from dataclasses import dataclass
from email.utils import parseaddr
from pathlib import Path

from ..results import TlsMode
from ..text import QT_TRANSLATE_NOOP, Text
from .base import (
    ClientError,
    ClientInfo,
    ClientSettings,
    ConfigParseError,
    FileChange,
    Plan,
    note,
    program_version,
    read_existing,
    refuse_options,
    xdg_config_home,
)
from .lines import newline_of, split_lines
from .passcmd import check_relay, keyring_lookup

NAME = "aerc"
SCHEME_AUTH = {None: "", "PLAIN": "+plain", "LOGIN": "+login"}
MANAGED = ("outgoing", "outgoing-cred-cmd", "smtp-starttls", "from")


def config_path(home: Path | None = None, config: Path | None = None) -> Path:
    if config is not None:
        return config
    return xdg_config_home(home) / "aerc" / "accounts.conf"


def detect(home: Path | None = None, config: Path | None = None) -> ClientInfo:
    """No accounts.conf yet means nothing to set up (we add to an account, never create one)."""
    path = config_path(home, config)
    exe = shutil.which(NAME)
    if exe is None:
        return ClientInfo(NAME, installed=False, config_path=path)
    version = re.search(r"aerc (\S+)", program_version(exe))
    found = path.exists()
    return ClientInfo(
        NAME,
        installed=True,
        version=version.group(1) if version else None,
        config_path=path if found else None,
        notes=()
        if found
        else (
            note(
                QT_TRANSLATE_NOOP(
                    "clients", "aerc has no {path} yet: set up an account in aerc first"
                ),
                path=str(path),
            ),
        ),
    )


# -- reading accounts.conf the way go-ini does ---------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """A key line (with the lines its value runs on to), or a section header (key None)."""

    first: int  # index of its first line
    last: int  # index of its last line
    section: str
    key: str | None
    value: str


def parse(path: Path, lines: list[str]) -> list[Entry]:
    """Sections and keys; a line aerc would refuse is a ConfigParseError naming it."""
    entries: list[Entry] = []
    section = "DEFAULT"
    i = 0
    while i < len(lines):
        line = lines[i].strip()
        first = i
        i += 1
        if not line or line[0] in "#;":
            continue
        if line[0] == "[":
            close = line.rfind("]")
            if close == -1:
                raise ConfigParseError(path, first + 1, "unclosed section (aerc refuses it)")
            section = line[1:close]
            entries.append(Entry(first, first, section, None, ""))
            continue
        key, offset = _key(path, first, line)
        value = line[offset:].strip()
        for quote in ('"""', "`"):
            if value.startswith(quote):
                body = value[len(quote) :]
                while quote not in body:  # a value running on to its closing quote
                    if i == len(lines):
                        raise ConfigParseError(path, first + 1, f"no closing {quote}")
                    body += "\n" + lines[i].rstrip("\r\n")
                    i += 1
                value = body[: body.rfind(quote)]
                break
        else:
            while value.endswith("\\") and i < len(lines):  # continuation lines
                value = value[:-1] + lines[i].strip()
                i += 1
            comment = re.search(r"[#;]", value)
            value = value[: comment.start()].strip() if comment else value
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                value = value[1:-1]
        entries.append(Entry(first, i - 1, section, key, value))
    return entries


def _key(path: Path, index: int, line: str) -> tuple[str, int]:
    quote = '"""' if line.startswith('"""') else line[0] if line[0] in '"`' else ""
    start = len(quote)
    end = line.find(quote, start) if quote else start
    if end == -1:
        raise ConfigParseError(path, index + 1, "missing closing key quote (aerc refuses it)")
    delimiter = re.search(r"[=:]", line[end + len(quote) :])
    if delimiter is None:
        raise ConfigParseError(path, index + 1, "no `=` in this line (aerc refuses it)")
    cut = end + len(quote) + delimiter.start()
    key = line[start:end] if quote else line[:cut]
    return key.strip(), cut + 1


# -- our account -----------------------------------------------------------------------------


def render(settings: ClientSettings) -> dict[str, str]:
    """The lines we want in the account: key -> the text after `key = ` (already quoted)."""
    relay = settings.relay
    check_relay(NAME, relay, user_forbidden="`", sender_forbidden="`")
    if relay.auth not in SCHEME_AUTH:
        raise ClientError(
            note(
                QT_TRANSLATE_NOOP(
                    "clients", "aerc cannot log in with {auth}: it offers PLAIN and LOGIN"
                ),
                auth=str(relay.auth),
            )
        )
    user = urllib.parse.quote(relay.user, safe="")
    scheme = ("smtps" if relay.tls is TlsMode.IMPLICIT else "smtp") + SCHEME_AUTH[relay.auth]
    values = {
        "outgoing": f"{scheme}://{user}@{relay.host}:{relay.port}",
        "outgoing-cred-cmd": f"`{keyring_lookup(relay.host, relay.user)}`",
        "from": f"`{relay.sender}`",
    }
    if relay.tls is TlsMode.STARTTLS:
        values["smtp-starttls"] = "yes"
    return values


def _sends_as(entries: list[Entry], section: str, address: str) -> bool:
    return any(
        e.section == section and e.key == "from" and parseaddr(e.value)[1].lower() == address
        for e in entries
    )


def merge(path: Path, old: bytes | None, settings: ClientSettings) -> bytes:
    text = (old or b"").decode("utf-8", "surrogateescape")
    lines = split_lines(text)
    entries = parse(path, lines)
    wanted = render(settings)
    address = settings.relay.sender.lower()
    sections = [e.section for e in entries if e.key is None and e.section != "DEFAULT"]
    target = next((s for s in sections if _sends_as(entries, s, address)), None)
    if target is None and settings.account in sections:
        target = settings.account
    if target is None:
        raise ClientError(
            Text.of(
                "clients",
                QT_TRANSLATE_NOOP(
                    "clients",
                    "no aerc account in {path} sends as {sender}: add the account in aerc first "
                    "(aerc needs its incoming `source`), then run this again",
                ),
                path=str(path),
                sender=settings.relay.sender,
            )
        )
    managed = set(MANAGED)
    if _sends_as(entries, target, address):
        del wanted["from"]  # the user's own From (with their name) stays
        managed.discard("from")
    nl = newline_of(lines)
    ours = [e for e in entries if e.section == target]
    replace: dict[int, str | None] = {}  # first line index -> new text (None: drop)
    drop: set[int] = set()
    seen: set[str] = set()
    for e in ours:
        if e.key not in managed:
            continue
        drop.update(range(e.first + 1, e.last + 1))
        if e.key in seen or e.key not in wanted:
            replace[e.first] = None
        elif e.value == _unquoted(wanted[e.key]) and e.first == e.last:
            seen.add(e.key)
        else:
            seen.add(e.key)
            replace[e.first] = f"{e.key} = {wanted[e.key]}{nl}"
    missing = [f"{k} = {v}{nl}" for k, v in wanted.items() if k not in seen]
    last = max(e.last for e in ours)
    out: list[str] = []
    for index, line in enumerate(lines):
        if index in drop:
            continue
        new = replace.get(index, line)
        if new is not None:
            out.append(new)
        if index == last and missing:
            if not out[-1].endswith("\n"):
                out[-1] += nl
            out += missing
    return "".join(out).encode("utf-8", "surrogateescape")


def _unquoted(value: str) -> str:
    return value[1:-1] if value.startswith("`") and value.endswith("`") else value


def plan(
    settings: ClientSettings,
    config: Path | None = None,
    home: Path | None = None,
    **options: str | None,
) -> Plan:
    refuse_options("aerc", options)
    path = config_path(home, config)
    old = read_existing(path)
    new = merge(path, old, settings)
    relay = settings.relay
    notes = [
        note(
            QT_TRANSLATE_NOOP(
                "clients",
                "aerc reads the password from the OS keyring when it sends (secret-tool lookup, "
                "host {host}, user {user})",
            ),
            host=relay.host,
            user=relay.user,
        )
    ]
    if settings.ca_file is not None:
        notes.append(
            note(
                QT_TRANSLATE_NOOP(
                    "clients",
                    "aerc cannot be given a CA file (it trusts the system's certificate store): "
                    "start it as `SSL_CERT_FILE={ca} aerc`, or have the CA added to the system "
                    "store (Debian: copy it to /usr/local/share/ca-certificates/ as .crt and run "
                    "update-ca-certificates)",
                ),
                ca=str(settings.ca_file),
            )
        )
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        mode = 0o600
    if mode & 0o044:
        notes.append(
            note(
                QT_TRANSLATE_NOOP(
                    "clients",
                    "aerc refuses {path} while others can read it: run `chmod 600 {path}`",
                ),
                path=str(path),
            )
        )
    return Plan(NAME, (FileChange(path, old, new, mode=0o600),), tuple(notes))
