"""The value objects the steps hand to each other: a relay setting, and a password that never
shows itself."""

from __future__ import annotations

from dataclasses import dataclass

from . import values
from .results import TlsMode


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
