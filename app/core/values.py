"""The one check of every value that goes into a setting: host names, ports, user names, e-mail
addresses and paths. Whatever the source (an option, a profile, autoconfig from the network, the
wizard), a value passes here before it reaches a connection or a configuration file, so nothing
a client's format gives meaning to (`/novalidate-cert`, `}`, `,`, a newline) gets through as
data. Ground floor: imports nothing of ours.
"""

from __future__ import annotations

import ipaddress
import re
from pathlib import PurePath

from .text import QT_TRANSLATE_NOOP, Text

MAX_HOST = 253  # RFC 1035: the whole name in its ASCII (A-label) form
MAX_LABEL = 63
MAX_USER = 255  # far above any real login, below what a client's line can carry
MAX_ADDRESS = 254  # RFC 5321's path limit, less the angle brackets
_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")
_PORT = re.compile(r"[0-9]{1,5}")
# What a mailbox's local part may hold here: printable, and none of the characters that need
# quoting in an address or that a client's list syntax splits at.
_LOCAL_PART = re.compile(r'[^\s@<>()\[\],;:\\"]+')
# Line and paragraph separators end a line for some readers (Python's splitlines, editors).
_SEPARATORS = frozenset("\x85\u2028\u2029")


class InvalidValue(ValueError):
    """A value refused at the entry: `role` names which one (host, port, user ...), `why` says
    what is wrong in words a person can act on; `text` is the message for a window to translate
    (app/core/text.py)."""

    def __init__(self, role: str, value: object, why: Text) -> None:
        self.role = role
        self.why = str(why)
        self.why_text = why
        shown = repr(value) if len(repr(value)) <= 80 else repr(value)[:77] + "..."
        self.text = Text.of(
            "values",
            QT_TRANSLATE_NOOP("values", "{role} {value}: {why}"),
            role=role,
            value=shown,
            why=why,
        )
        super().__init__(str(self.text))


def _why(template: str, **fields: str | Text) -> Text:
    return Text.of("values", template, **fields)


def _too_long(role: str, value: str, limit: int) -> InvalidValue:
    why = _why(QT_TRANSLATE_NOOP("values", "is longer than {limit} characters"), limit=str(limit))
    return InvalidValue(role, value, why)


def control_character(text: str) -> str | None:
    """The first character of `text` that could end or break a line in a file (C0/C1 controls,
    DEL, line/paragraph separators, lone surrogates from undecodable bytes), or None."""
    for ch in text:
        code = ord(ch)
        if code < 0x20 or 0x7F <= code <= 0x9F or ch in _SEPARATORS or 0xD800 <= code <= 0xDFFF:
            return ch
    return None


def _one_line(role: str, text: str) -> None:
    bad = control_character(text)
    if bad is not None:
        raise InvalidValue(
            role,
            text,
            _why(
                QT_TRANSLATE_NOOP("values", "holds the control character {code}"),
                code=f"U+{ord(bad):04X}",
            ),
        )


def _plain_ascii_name(name: str) -> bool:
    """A lower-case ASCII name that IDNA (UTS 46) returns unchanged: every label a letter-digit-
    hyphen label without "--" in 3rd-4th place (that would make it an A-label like xn--...)."""
    return name.isascii() and all(
        _LABEL.fullmatch(label) and label[2:4] != "--" for label in name.split(".")
    )


def host(text: str, role: str = "host") -> str:
    """A DNS name (IDNA-encoded to its ASCII form, lower case, no trailing dot) or an IP address
    literal (IPv6 with or without brackets; returned without them)."""
    if not isinstance(text, str):
        raise InvalidValue(role, text, _why(QT_TRANSLATE_NOOP("values", "is not text")))
    name = text.strip()
    if not name:
        raise InvalidValue(role, text, _why(QT_TRANSLATE_NOOP("values", "is empty")))
    _one_line(role, name)
    if len(name) > MAX_HOST + 2:  # before any decoding work: nothing this long is a host
        raise _too_long(role, text, MAX_HOST)
    literal = name[1:-1] if name.startswith("[") and name.endswith("]") else name
    try:
        address = ipaddress.ip_address(literal)
    except ValueError:
        pass
    else:
        if isinstance(address, ipaddress.IPv6Address) and address.scope_id:
            raise InvalidValue(
                role,
                text,
                _why(QT_TRANSLATE_NOOP("values", "an IPv6 zone (%...) is not supported")),
            )
        return str(address)
    name = name.removesuffix(".")
    if len(name) > MAX_HOST:
        raise _too_long(role, text, MAX_HOST)
    odd = next((ch for ch in name if ch.isascii() and not (ch.isalnum() or ch in ".-")), None)
    if odd is not None:
        raise InvalidValue(
            role,
            text,
            _why(
                QT_TRANSLATE_NOOP("values", "is not a valid host name: {char} is not allowed"),
                char=repr(odd),
            ),
        )
    ascii_name = name.lower()
    if not _plain_ascii_name(ascii_name):
        import idna  # tens of ms to import: only for names that need its rules

        try:
            ascii_name = idna.encode(name, uts46=True).decode("ascii")
        except (idna.IDNAError, UnicodeError, ValueError) as exc:
            raise InvalidValue(
                role,
                text,
                _why(
                    QT_TRANSLATE_NOOP("values", "is not a valid host name ({reason})"),
                    reason=str(exc),
                ),
            ) from None
    if len(ascii_name) > MAX_HOST:
        raise _too_long(role, text, MAX_HOST)
    labels = ascii_name.split(".")
    for label in labels:
        if not _LABEL.fullmatch(label):
            raise InvalidValue(
                role,
                text,
                _why(
                    QT_TRANSLATE_NOOP(
                        "values",
                        "is not a valid host name: each dot-separated part is 1 to {limit} "
                        "letters, digits or inner hyphens",
                    ),
                    limit=str(MAX_LABEL),
                ),
            )
    if labels[-1].isdigit():
        raise InvalidValue(
            role,
            text,
            _why(QT_TRANSLATE_NOOP("values", "is neither an IP address nor a host name")),
        )
    return ascii_name


def port(value: str | int, role: str = "port") -> int:
    """1 to 65535, written with ASCII digits only (int('١٠٥٨٧') would read 10587)."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise InvalidValue(role, value, _why(QT_TRANSLATE_NOOP("values", "is not a port number")))
    if isinstance(value, str):
        if not _PORT.fullmatch(value):
            raise InvalidValue(
                role, value, _why(QT_TRANSLATE_NOOP("values", "is not a port number (1 to 65535)"))
            )
        value = int(value)
    if not 0 < value < 65536:
        raise InvalidValue(
            role, value, _why(QT_TRANSLATE_NOOP("values", "is out of range (1 to 65535)"))
        )
    return value


def user(text: str, role: str = "user") -> str:
    """A login name: not empty, no control characters, no surrounding blanks, at most
    MAX_USER characters."""
    if not isinstance(text, str):
        raise InvalidValue(role, text, _why(QT_TRANSLATE_NOOP("values", "is not text")))
    if not text.strip():
        raise InvalidValue(role, text, _why(QT_TRANSLATE_NOOP("values", "is empty")))
    _one_line(role, text)
    if text != text.strip():
        raise InvalidValue(
            role, text, _why(QT_TRANSLATE_NOOP("values", "starts or ends with a blank"))
        )
    if len(text) > MAX_USER:
        raise _too_long(role, text, MAX_USER)
    return text


def address(text: str, role: str = "address") -> str:
    """An e-mail address `local@domain`: a plain local part (nothing that needs quoting) and a
    host name for the domain (returned in its ASCII form)."""
    if not isinstance(text, str):
        raise InvalidValue(role, text, _why(QT_TRANSLATE_NOOP("values", "is not text")))
    _one_line(role, text)
    local, at, domain = text.strip().rpartition("@")
    if not at or not local or not domain:
        raise InvalidValue(
            role, text, _why(QT_TRANSLATE_NOOP("values", "is not an e-mail address (name@domain)"))
        )
    if not _LOCAL_PART.fullmatch(local):
        raise InvalidValue(
            role,
            text,
            _why(QT_TRANSLATE_NOOP("values", "has blanks, quotes or <>()[],;:\\ before the @")),
        )
    try:
        domain = host(domain, role)
    except InvalidValue as exc:
        raise InvalidValue(
            role, text, _why(QT_TRANSLATE_NOOP("values", "its domain {why}"), why=exc.why_text)
        ) from None
    if ":" in domain or domain.replace(".", "").isdigit():
        raise InvalidValue(
            role,
            text,
            _why(QT_TRANSLATE_NOOP("values", "its domain must be a name, not an IP address")),
        )
    full = f"{local}@{domain}"
    if len(full) > MAX_ADDRESS:
        raise _too_long(role, text, MAX_ADDRESS)
    return full


def path(value: str | PurePath, role: str = "path") -> str:
    """A file path that can be written into a configuration file: one line of text."""
    text = str(value)
    if not text:
        raise InvalidValue(role, text, _why(QT_TRANSLATE_NOOP("values", "is empty")))
    _one_line(role, text)
    return text
