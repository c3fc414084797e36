"""Words the core says to a person, in a form each front end can word and translate.

A `Text` is an English template with {named} fields, marked with `QT_TRANSLATE_NOOP(context,
template)` so that pyside6-lupdate extracts it although the core never imports Qt; the GUI
translates the template in its context when it shows it, the CLI prints the English. What the
person should do next is a `Remedy`, never an option name: the CLI says "--ca", the GUI names its
own button (app/gui/words.py), both from the same error."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum


def QT_TRANSLATE_NOOP(context: str, source: str) -> str:
    """Marks `source` for extraction in `context`; translating is the front end's job."""
    return source


class Remedy(Enum):
    """What to do next, worded by each front end its own way."""

    CHOOSE_CA = "ca"  # the organisation's CA certificate
    OTHER_LOGIN_METHOD = "auth"
    NAME_CONFIG = "config"  # which settings file or profile to write
    GIVE_FROM = "from"  # the From address
    FORCE_UNDO = "force"  # undo even over later edits
    CONVERT_DER = "der"  # a binary certificate to its PEM text


# The command line's words for a remedy (the GUI has its own in app/gui/words.py).
COMMAND_LINE: dict[Remedy, str] = {
    Remedy.CHOOSE_CA: "give the organisation's CA with --ca",
    Remedy.OTHER_LOGIN_METHOD: "try another with --auth",
    Remedy.NAME_CONFIG: "name the file or profile with --config",
    Remedy.GIVE_FROM: "give the address with --from",
    Remedy.CONVERT_DER: "`openssl x509 -inform der` converts it",
    Remedy.FORCE_UNDO: "--force restores the backup anyway, keeping the current file in the "
    "data folder",
}

Translate = Callable[[str, str], str]
Word = Callable[[Remedy], str]


def _english(_context: str, source: str) -> str:
    return source


@dataclass(frozen=True)
class Text:
    """An English template (marked with QT_TRANSLATE_NOOP), its context and its fields."""

    context: str
    template: str
    fields: tuple[tuple[str, str | Text | Remedy], ...] = ()

    @classmethod
    def of(cls, context: str, template: str, **fields: str | Text | Remedy) -> Text:
        return cls(context, template, tuple(fields.items()))

    def render(
        self, translate: Translate = _english, remedy: Word = COMMAND_LINE.__getitem__
    ) -> str:
        values = {
            name: value.render(translate, remedy)
            if isinstance(value, Text)
            else remedy(value)
            if isinstance(value, Remedy)
            else value
            for name, value in self.fields
        }
        template = translate(self.context, self.template) if self.context else self.template
        # A text without fields is never formatted: it may be a message with braces in a path.
        return template.format(**values) if values else template

    def __str__(self) -> str:
        return self.render()


def plain(context: str, source: str) -> Text:
    """A text without fields (the source already marked where it is written)."""
    return Text(context, source)


class WordedError(Exception):
    """An error a person reads: `str()` is the command line's English, `text` the same for a
    window to word its own way (a plain message becomes a Text that shows as it is)."""

    def __init__(self, message: str | Text) -> None:
        self.text = message if isinstance(message, Text) else Text("", message)
        super().__init__(str(message))
