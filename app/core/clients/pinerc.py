"""Alpine's pinerc: `name=value` lines, list values continued on lines that start with a TAB
(or a space), `#` comments. Read variables and set one list, keeping every other byte of the
file as it was (text in, text out; no file access here)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .lines import newline_of, split_lines
from .masking import mask_line

_VARIABLE = re.compile(r"(?P<name>[A-Za-z0-9][A-Za-z0-9_.-]*)[ \t]*=(?P<value>.*)")


class PinercSyntaxError(ValueError):
    """A line we do not understand: the file is left alone."""

    def __init__(self, line: int, text: str, why: str) -> None:
        self.line = line
        self.why = f"{why}: {mask_line(text)[:80]!r}"  # the line may hold a secret
        super().__init__(f"line {line}: {self.why}")


@dataclass(frozen=True)
class Variable:
    name: str
    first: int  # index of its `name=` line
    last: int  # index of its last continuation line (== first when it has none)
    values: tuple[str, ...] = field(repr=False)  # the items (xoauth2-info's hold a secret)


def split_list(text: str) -> tuple[str, ...]:
    """Items of a pinerc list value: split at commas outside double quotes, trimmed."""
    items: list[str] = []
    current: list[str] = []
    quoted = False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        if ch == "," and not quoted:
            items.append("".join(current))
            current = []
        else:
            current.append(ch)
    items.append("".join(current))
    return tuple(item.strip() for item in items if item.strip())


def parse(text: str) -> list[Variable]:
    lines = split_lines(text)
    found: list[Variable] = []
    parts: list[str] = []
    open_var: tuple[str, int] | None = None  # the variable the next continuation line extends

    def close(last: int) -> None:
        if open_var is not None:
            found.append(Variable(open_var[0], open_var[1], last, split_list(",".join(parts))))

    for index, line in enumerate(lines):
        body = line.rstrip("\r\n")
        if body[:1] in (" ", "\t") and body.strip():
            if open_var is None:
                raise PinercSyntaxError(index + 1, body, "continuation line without a variable")
            parts.append(body)
            continue
        close(index - 1)
        open_var, parts = None, []
        if not body.strip() or body.lstrip().startswith("#"):
            continue
        match = _VARIABLE.fullmatch(body)
        if match is None:
            raise PinercSyntaxError(index + 1, body, "not a `name=value` line nor a comment")
        open_var, parts = (match.group("name"), index), [match.group("value")]
    close(len(lines) - 1)
    return found


def current(variables: list[Variable], name: str) -> tuple[str, ...]:
    """The value Alpine uses: the last setting of the name (empty when unset)."""
    matching = [v for v in variables if v.name == name]
    return matching[-1].values if matching else ()


def render(name: str, values: tuple[str, ...], newline: str = "\n") -> str:
    """A list the way Alpine writes it: one item a line, continuation lines start with a TAB."""
    return f"{name}=" + f",{newline}\t".join(values) + newline


def set_list(text: str, name: str, values: tuple[str, ...]) -> str:
    """Give variable `name` the list `values`: every line that sets it is replaced (so whichever
    one Alpine reads, it reads ours), or the variable is appended. Other lines are untouched;
    a variable that already has these values is left as written, so a second run changes
    nothing."""
    mine = [v for v in parse(text) if v.name == name]
    if mine and all(v.values == values for v in mine):
        return text
    lines = split_lines(text)
    newline = newline_of(lines)
    if not mine:
        prefix = "" if not lines or lines[-1].endswith("\n") else newline
        return text + prefix + render(name, values, newline)
    for var in reversed(mine):
        ending = lines[var.last][len(lines[var.last].rstrip("\r\n")) :]
        lines[var.first : var.last + 1] = [render(name, values, newline)[: -len(newline)] + ending]
    return "".join(lines)
