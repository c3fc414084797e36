"""The OS keyring behind one small interface: passwords per (relay host, user), never in a file.

On Linux the entry is a Secret Service item with the attributes msmtp's libsecret lookup searches
(`service=smtp host=H user=U`, what `secret-tool store --label=msmtp ...` writes), so msmtp finds
the same password without a `passwordeval`. Elsewhere, keyring's own API with the host in the
service name. File and "fail" backends are refused: a password never silently lands on disk.
"""

from __future__ import annotations

import sys
import threading
from contextlib import closing
from typing import Any, Protocol

import keyring
import keyring.errors

from .settings import InvalidPassword, Password, checked_password
from .text import QT_TRANSLATE_NOOP, Text, WordedError

APPLICATION = "relay-setup"

# Backends that are an operating system's own store (module of the backend class).
_OS_STORES = {
    "keyring.backends.SecretService": "Secret Service (GNOME Keyring, KeePassXC ...)",
    "keyring.backends.libsecret": "Secret Service (libsecret)",
    "keyring.backends.kwallet": "KDE Wallet",
    "keyring.backends.macOS": "macOS Keychain",
    "keyring.backends.Windows": "Windows Credential Manager",
}


class KeyringUnavailable(WordedError):
    """No usable OS keyring (missing, locked, or a file/plaintext backend); the message says what
    to install or unlock, `text` the same for a window to translate. Never carries a password."""


class InvalidEntry(WordedError, ValueError):
    """A keyring entry we refuse to touch: an empty host or user, or a password that is empty
    or holds control characters. Never carries the password."""


def _said(template: str, **fields: str | Text) -> Text:
    return Text.of("keyring", template, **fields)


def check_entry(host: str, user: str, password: Password | None = None) -> None:
    parts = (
        (QT_TRANSLATE_NOOP("keyring", "host"), host),
        (QT_TRANSLATE_NOOP("keyring", "user"), user),
    )
    for what, value in parts:
        if not value.strip() or not value.isprintable():
            raise InvalidEntry(
                _said(
                    QT_TRANSLATE_NOOP(
                        "keyring", "the keyring entry needs a {what}: one line of printable text"
                    ),
                    what=Text("keyring", what),
                )
            )
    if password is not None:
        try:
            checked_password(password)
        except InvalidPassword as exc:
            raise InvalidEntry(str(exc)) from None


class SecretStore(Protocol):
    backend_name: str
    is_os_store: bool

    def get(self, host: str, user: str) -> Password | None: ...

    def set(self, host: str, user: str, password: Password) -> None: ...

    def delete(self, host: str, user: str) -> bool: ...


def _what_to_do() -> Text:
    if sys.platform.startswith("linux"):
        return _said(
            QT_TRANSLATE_NOOP(
                "keyring",
                "install and unlock a Secret Service keyring (GNOME Keyring: the gnome-keyring "
                "package, or KWallet / KeePassXC with Secret Service enabled) and run from a "
                "desktop session, where D-Bus is available",
            )
        )
    return _said(
        QT_TRANSLATE_NOOP("keyring", "check that the system keychain is available and unlocked")
    )


def open_store() -> SecretStore:
    """The OS keyring, or KeyringUnavailable saying what to install or unlock."""
    try:
        backend: Any = keyring.get_keyring()
    except Exception as exc:
        # A backend forced by PYTHON_KEYRING_BACKEND that cannot start (no D-Bus session)
        # raises whatever it raises (RuntimeError, ...).
        raise KeyringUnavailable(
            _said(
                QT_TRANSLATE_NOOP("keyring", "no usable OS keyring ({error}): {todo}"),
                error=f"{type(exc).__name__}: {exc}",
                todo=_what_to_do(),
            )
        ) from None
    if type(backend).__module__ == "keyring.backends.chainer":
        chained = list(backend.backends)
        backend = chained[0] if chained else backend
    module = type(backend).__module__
    if module not in _OS_STORES:
        raise KeyringUnavailable(
            _said(
                QT_TRANSLATE_NOOP(
                    "keyring",
                    "no usable OS keyring (keyring chose {backend}, and a file or plaintext store "
                    "is never used for a password): {todo}",
                ),
                backend=f"{module}.{type(backend).__name__}",
                todo=_what_to_do(),
            )
        )
    if module in ("keyring.backends.SecretService", "keyring.backends.libsecret"):
        return SecretServiceStore(_OS_STORES[module])
    return KeyringStore(backend, _OS_STORES[module])


def _service(host: str) -> str:
    return f"{APPLICATION}:smtp:{host}"


class KeyringStore:
    """keyring's plain API (macOS, Windows, KWallet): one entry per (service with host, user)."""

    is_os_store = True

    def __init__(self, backend: Any, name: str) -> None:
        self._backend = backend
        self.backend_name = name

    def get(self, host: str, user: str) -> Password | None:
        check_entry(host, user)
        try:
            value = self._backend.get_password(_service(host), user)
        except keyring.errors.KeyringError as exc:
            raise _unavailable(exc) from None
        return None if value is None else Password(value)

    def set(self, host: str, user: str, password: Password) -> None:
        check_entry(host, user, password)
        try:
            self._backend.set_password(_service(host), user, password.reveal())
        except keyring.errors.KeyringError as exc:
            raise _unavailable(exc) from None

    def delete(self, host: str, user: str) -> bool:
        check_entry(host, user)
        try:
            self._backend.delete_password(_service(host), user)
        except keyring.errors.PasswordDeleteError:
            return False
        except keyring.errors.KeyringError as exc:
            raise _unavailable(exc) from None
        return True


class SecretServiceStore:
    """A Secret Service collection through secretstorage (keyring's own Linux dependency), with
    msmtp's attributes on every item."""

    is_os_store = True

    def __init__(self, name: str = _OS_STORES["keyring.backends.SecretService"]) -> None:
        self.backend_name = name

    def _collection(self) -> Any:
        # keyring's backend finds the default collection and unlocks it (or says it cannot).
        from keyring.backends import SecretService

        try:
            backend: Any = SecretService.Keyring  # untyped in keyring
            return backend().get_preferred_collection()
        except keyring.errors.KeyringError as exc:
            raise _unavailable(exc) from None

    @staticmethod
    def _query(host: str, user: str) -> dict[str, str]:
        return {"service": "smtp", "host": host, "user": user}

    def _items(self, collection: Any, host: str, user: str) -> list[Any]:
        items = list(collection.search_items(self._query(host, user)))
        for item in items:
            if item.is_locked():
                item.unlock()
                if item.is_locked():
                    raise KeyringUnavailable(
                        _said(
                            QT_TRANSLATE_NOOP(
                                "keyring", "the keyring entry is locked: unlock your keyring"
                            )
                        )
                    )
        return items

    def get(self, host: str, user: str) -> Password | None:
        check_entry(host, user)
        collection = self._collection()
        with closing(collection.connection):
            items = self._run(lambda: self._items(collection, host, user))
            if not items:
                return None
            secret: bytes = self._run(items[0].get_secret)
        return Password(secret.decode("utf-8"))

    def set(self, host: str, user: str, password: Password) -> None:
        check_entry(host, user, password)
        collection = self._collection()
        attributes = {**self._query(host, user), "application": APPLICATION}
        with closing(collection.connection):

            def store() -> None:
                # One entry per (host, user): replace what msmtp's secret-tool or we wrote before.
                for item in self._items(collection, host, user):
                    item.delete()
                collection.create_item(
                    f"SMTP password for {user} on {host} (relay-setup)",
                    attributes,
                    password.reveal().encode("utf-8"),
                    replace=True,
                )

            self._run(store)

    def delete(self, host: str, user: str) -> bool:
        check_entry(host, user)
        collection = self._collection()
        with closing(collection.connection):
            items = self._run(lambda: self._items(collection, host, user))
            for item in items:
                self._run(item.delete)
        return bool(items)

    @staticmethod
    def _run(step: Any) -> Any:
        """Run a D-Bus step; secretstorage's errors become KeyringUnavailable."""
        import secretstorage.exceptions

        try:
            return step()
        except secretstorage.exceptions.SecretStorageException as exc:
            raise _unavailable(exc) from None


def _unavailable(exc: BaseException) -> KeyringUnavailable:
    if isinstance(exc, keyring.errors.KeyringLocked):
        return KeyringUnavailable(
            _said(
                QT_TRANSLATE_NOOP(
                    "keyring", "the keyring is locked and was not unlocked: unlock it and retry"
                )
            )
        )
    return KeyringUnavailable(
        _said(
            QT_TRANSLATE_NOOP("keyring", "the OS keyring failed ({error}); {todo}"),
            error=f"{type(exc).__name__}: {exc}",
            todo=_what_to_do(),
        )
    )


class MemoryStore:
    """A keyring in this process's memory: for the demo only, when no OS keyring exists."""

    backend_name = "in-memory (demo only: forgotten when the program ends)"
    is_os_store = False

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: dict[tuple[str, str], Password] = {}

    def get(self, host: str, user: str) -> Password | None:
        with self._lock:
            return self._entries.get((host, user))

    def set(self, host: str, user: str, password: Password) -> None:
        check_entry(host, user, password)
        with self._lock:
            self._entries[(host, user)] = password

    def delete(self, host: str, user: str) -> bool:
        with self._lock:
            return self._entries.pop((host, user), None) is not None


__all__ = [
    "InvalidEntry",
    "KeyringStore",
    "KeyringUnavailable",
    "MemoryStore",
    "SecretServiceStore",
    "SecretStore",
    "open_store",
]
