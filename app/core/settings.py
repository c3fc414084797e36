"""The value objects the steps hand to each other: a relay setting, and a password that never
shows itself."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from . import values
from .results import TlsMode

MAX_PASSWORD_BYTES = 4096  # a line from stdin longer than this is not a password


class InvalidPassword(ValueError):
    """A password we will neither send nor keep; the message never contains it."""


class Password:
    """A password that no repr, str, f-string, log line or JSON dump reveals.

    Only `reveal()` gives the text, at the one place it goes on the wire or into the keyring.
    """

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        if not isinstance(value, str):
            raise TypeError("a password is text")
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __bool__(self) -> bool:
        return bool(self._value)

    def __repr__(self) -> str:
        return "Password(****)"

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        return repr(self)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Password) and other._value == self._value

    def __hash__(self) -> int:
        return hash(("Password", self._value))

    def __reduce__(self) -> tuple[object, ...]:
        raise TypeError("a Password is not pickled")


def checked_password(password: Password) -> Password:
    """The password, unless it is empty or holds control characters (a NUL ends the secret
    early in C programs such as msmtp and libsecret, and splits SASL PLAIN; the others are
    typing accidents) or bytes that were not UTF-8 (decoded to lone surrogates)."""
    text = password.reveal()
    if not text:
        raise InvalidPassword("the password is empty")
    categories = {unicodedata.category(c) for c in text}
    if "Cs" in categories:
        raise InvalidPassword("the password is not valid UTF-8 text")
    if "Cc" in categories:
        raise InvalidPassword("the password holds a control character (such as NUL): refused")
    return password


def password_from_line(raw: bytes) -> Password:
    """The password on one line read as bytes (stdin): UTF-8, its line end dropped."""
    if len(raw) > MAX_PASSWORD_BYTES:
        raise InvalidPassword(f"the first line is longer than {MAX_PASSWORD_BYTES} bytes")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidPassword("the password is not valid UTF-8 text") from None
    return checked_password(Password(text.removesuffix("\n").removesuffix("\r")))


@dataclass(frozen=True)
class RelaySetting:
    """How to reach and log in to the relay: the result of a probe (plus the user), the input of
    the login check, the test message and the client writers. Never holds the password."""

    host: str
    port: int
    tls: TlsMode  # IMPLICIT or STARTTLS; NONE is refused for any login
    user: str
    mail_from: str | None = None  # the From address; defaults to user when that is an address
    auth: str | None = None  # a forced mechanism (PLAIN, LOGIN, CRAM-MD5); None: best offered
    ca_file: str | None = None  # the organisation's private CA (PEM)
    pin_sha256: str | None = None  # an explicitly accepted certificate fingerprint (AA:BB:..)

    def __post_init__(self) -> None:
        """The last gate (every entry checks first, with its own words): a setting holds only
        values a connection or a client's file can carry; the host in its normal (ASCII) form.
        Raises values.InvalidValue."""
        object.__setattr__(self, "host", values.host(self.host))
        values.port(self.port)
        values.user(self.user)
        if self.mail_from is not None:
            object.__setattr__(self, "mail_from", values.address(self.mail_from, "from address"))
        if self.ca_file is not None:
            values.path(self.ca_file, "CA file")

    @property
    def sender(self) -> str:
        return self.mail_from or self.user
