"""Mozilla prefs.js: read `user_pref("name", value);` lines and set some of them, keeping every
other byte of the file as it was (text in, text out; no file access here)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .lines import newline_of, split_lines
from .masking import mask_line

PrefValue = str | int | bool

_STRING = r'"(?:[^"\\\n]|\\.)*"'
_PREF_LINE = re.compile(
    r"\s*(?:user_pref|pref|sticky_pref)\s*\(\s*(?P<name>" + _STRING + r")\s*,\s*"
    r"(?P<value>" + _STRING + r"|-?\d+|true|false)\s*\)\s*;\s*(?://.*)?"
)
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"}
_UNESCAPE = re.compile(r"\\(?:u[0-9A-Fa-f]{4}|x[0-9A-Fa-f]{2}|.)", re.DOTALL)
_SIMPLE = {"n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}


class PrefsSyntaxError(ValueError):
    """A line we do not understand: the file is left alone."""

    def __init__(self, line: int, text: str) -> None:
        self.why = f"not a preference or a comment: {mask_line(text)[:80]!r}"  # may hold a secret
        super().__init__(f"line {line}: {self.why}")
        self.line = line


def escape(value: str) -> str:
    r"""A JS string literal the way Mozilla writes it (\\ \" \n \r escaped; other control
    characters, C1 controls and line separators as \uXXXX so that no reader splits a line)."""
    out = []
    for ch in value:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F or ch in "\u2028\u2029":
            out.append(f"\\u{ord(ch):04x}")
        elif 0xD800 <= ord(ch) <= 0xDFFF:  # a lone surrogate (undecodable bytes): no UTF-8 form
            raise ValueError(f"no character U+{ord(ch):04X} can be written to prefs.js")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def unescape(literal: str) -> str:
    """The text of a JS string literal as Mozilla's pref parser reads it."""

    def one(match: re.Match[str]) -> str:
        seq = match.group(0)[1:]
        if seq[0] in "ux" and len(seq) > 1:
            return chr(int(seq[1:], 16))
        return _SIMPLE.get(seq, seq)

    decoded = _UNESCAPE.sub(one, literal[1:-1])
    # \uD83D\uDE00 style surrogate pairs become the one character they stand for.
    return decoded.encode("utf-16", "surrogatepass").decode("utf-16", "surrogatepass")


def render_value(value: PrefValue) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return escape(value)


def _parse_value(text: str) -> PrefValue:
    if text.startswith('"'):
        return unescape(text)
    if text in ("true", "false"):
        return text == "true"
    return int(text)


@dataclass(frozen=True)
class Prefs:
    """A parsed prefs.js: its lines (with their endings) and where each preference is set."""

    lines: tuple[str, ...] = field(repr=False)  # the whole file: kept out of the repr
    values: dict[str, PrefValue] = field(repr=False)  # the last setting of each name wins
    where: dict[str, tuple[int, ...]]  # name -> indexes of the lines that set it
    newline: str

    def get(self, name: str) -> PrefValue | None:
        return self.values.get(name)

    def text(self, name: str) -> str:
        value = self.values.get(name)
        return value if isinstance(value, str) else ""


def parse(text: str) -> Prefs:
    lines = split_lines(text)
    values: dict[str, PrefValue] = {}
    where: dict[str, list[int]] = {}
    in_comment = False
    for index, line in enumerate(lines):
        body = line.rstrip("\r\n")
        stripped = body.strip()
        if in_comment:
            in_comment = "*/" not in stripped
            continue
        if not stripped or stripped.startswith(("//", "#")):
            continue
        if stripped.startswith("/*"):
            in_comment = "*/" not in stripped[2:]
            continue
        match = _PREF_LINE.fullmatch(body)
        if match is None:
            raise PrefsSyntaxError(index + 1, body)
        name = unescape(match.group("name"))
        values[name] = _parse_value(match.group("value"))
        where.setdefault(name, []).append(index)
    newline = newline_of(lines)
    return Prefs(tuple(lines), values, {k: tuple(v) for k, v in where.items()}, newline)


def pref_line(name: str, value: PrefValue, newline: str = "\n") -> str:
    return f"user_pref({escape(name)}, {render_value(value)});{newline}"


def merge(text: str, changes: dict[str, PrefValue]) -> str:
    """Set each preference in `changes`: a line that already sets it is rewritten in place (all
    of them, if the name repeats), a new one is appended; every other line stays byte-for-byte.
    A preference that already has the value is not touched, so a second merge changes nothing."""
    prefs = parse(text)
    lines = list(prefs.lines)
    appended = []
    for name, value in changes.items():
        current = prefs.values.get(name)
        same = current == value and type(current) is type(value)
        if name not in prefs.where:
            appended.append(pref_line(name, value, prefs.newline))
        elif not same:
            for index in prefs.where[name]:
                ending = lines[index][len(lines[index].rstrip("\r\n")) :]
                lines[index] = pref_line(name, value, ending)
    if appended and lines and not lines[-1].endswith("\n"):
        lines[-1] += prefs.newline
    return "".join(lines + appended)
