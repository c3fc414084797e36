"""A RelaySetting that skipped its own checks, for testing what the writers still refuse."""

from __future__ import annotations

from app.core.results import TlsMode
from app.core.settings import RelaySetting


def unchecked_relay(**fields: object) -> RelaySetting:
    """A setting that bypassed the checks (object.__new__): what the writers must still refuse."""
    relay = object.__new__(RelaySetting)
    base = {
        "host": "mail.example.org",
        "port": 587,
        "tls": TlsMode.STARTTLS,
        "user": "alice",
        "mail_from": None,
        "auth": None,
        "ca_file": None,
        "pin_sha256": None,
    }
    for name, value in (base | fields).items():
        object.__setattr__(relay, name, value)
    return relay
