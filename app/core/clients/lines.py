"""A configuration file's text as lines, and the newline it uses: split and detected one way
for every client, so a file's bytes survive a read and a write unchanged."""

from __future__ import annotations

from collections.abc import Sequence


def split_lines(text: str) -> list[str]:
    """Lines with their endings; only \\n ends a line (msmtp's fgets does the same, and
    str.splitlines would also split on \\x0b, \\x1c, \\u2028 ... and so change bytes on the way
    back)."""
    parts = text.split("\n")
    return [*(part + "\n" for part in parts[:-1]), *([parts[-1]] if parts[-1] else [])]


def newline_of(lines: Sequence[str]) -> str:
    """The file's newline, as its first line ends ("\\n" for an empty file): what we add
    matches what is there."""
    return "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
