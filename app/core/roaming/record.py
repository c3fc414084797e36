"""The last known good result of a setup, kept in the data folder as `last-good.json`.

This record, not the mail programs' files, is the source of truth for `check`: it holds what
was *proved* (the login worked on that port, with that certificate, for those programs), while
a client's file says only what it was told and may have been edited since. The setup flow
writes it after a successful login and write (setup/apply.py); `check` rewrites it after each
check that proved the setup again. A setup made before the record existed (or by `write`, or by
the wizard) has none: then the msmtp account this program wrote is read back instead
(`from_client_files`), and the first check that proves it writes the record.

A record that is not the shape we write is refused with its name (RecordDamaged), never
half-used and never overwritten: the user moves it away to start again.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..appdirs import data_dir
from ..atomicfile import ClientError, atomic_write, private_dir
from ..localfiles import KIB, LocalFileError, read_local_file_if_exists
from ..results import TlsMode
from ..settings import RelaySetting
from ..values import InvalidValue

RECORD = "last-good.json"
MAX_RECORD_BYTES = 64 * KIB
VERSION = 1


class RecordDamaged(Exception):
    """The record exists but cannot be used; the message names the file."""


@dataclass(frozen=True)
class KnownPort:
    """A port of the relay that spoke TLS when the setup was proved."""

    port: int
    tls: TlsMode

    def to_json(self) -> dict[str, Any]:
        return {"port": self.port, "tls": self.tls.value}


@dataclass(frozen=True)
class Record:
    setting: RelaySetting
    clients: tuple[str, ...]  # the mail programs this program set up for the relay
    ports: tuple[KnownPort, ...] = ()  # the relay's secure ports, the configured one first
    certificate_sha256: str | None = None  # the certificate seen on the configured port

    def to_json(self) -> dict[str, Any]:
        s = self.setting
        return {
            "version": VERSION,
            "host": s.host,
            "port": s.port,
            "tls": s.tls.value,
            "user": s.user,
            "from": s.mail_from,
            "auth": s.auth,
            "ca_file": s.ca_file,
            "pin_sha256": s.pin_sha256,
            "ports": [p.to_json() for p in self.ports],
            "certificate_sha256": self.certificate_sha256,
            "clients": list(self.clients),
        }


def record_path(data: Path | None = None) -> Path:
    return (data or data_dir()) / RECORD


def load(data: Path | None = None) -> Record | None:
    """The record, or None when there is none yet; RecordDamaged when it cannot be used."""
    path = record_path(data)
    damaged = f"the record of the last good check {path} is damaged; it was left as it is"
    try:
        raw = read_local_file_if_exists(path, MAX_RECORD_BYTES)
    except LocalFileError as exc:
        raise RecordDamaged(f"cannot read {path}: {exc.why}") from None
    if raw is None:
        return None
    try:
        return _parse(json.loads(raw))
    except (ValueError, KeyError, TypeError, RecursionError) as exc:  # InvalidValue too
        why = f": {exc}" if isinstance(exc, InvalidValue) else ""
        raise RecordDamaged(f"{damaged}{why} (move it away to start a new one)") from None


def _text(doc: dict[str, Any], key: str, optional: bool = False) -> Any:
    value = doc[key]
    if not (isinstance(value, str) or (optional and value is None)):
        raise TypeError(key)
    return value


def _number(value: Any) -> int:
    if type(value) is not int:
        raise TypeError("port")
    return value


def _tls(value: Any) -> TlsMode:
    mode = TlsMode(value)
    if mode is TlsMode.NONE:
        raise ValueError("a port without TLS is never recorded")
    return mode


def _parse(doc: Any) -> Record:
    from ..clients import CLIENTS

    if not isinstance(doc, dict) or doc.get("version") != VERSION:
        raise ValueError("not a record of this version")
    setting = RelaySetting(
        host=_text(doc, "host"),
        port=_number(doc["port"]),
        tls=_tls(doc["tls"]),
        user=_text(doc, "user"),
        mail_from=_text(doc, "from", optional=True),
        auth=_text(doc, "auth", optional=True),
        ca_file=_text(doc, "ca_file", optional=True),
        pin_sha256=_text(doc, "pin_sha256", optional=True),
    )
    ports, clients = doc["ports"], doc["clients"]
    if not isinstance(ports, list) or not isinstance(clients, list):
        raise TypeError("ports, clients")
    if not all(isinstance(p, dict) for p in ports):
        raise TypeError("ports")
    if not all(isinstance(c, str) and c in CLIENTS for c in clients):
        raise ValueError("clients")
    return Record(
        setting=setting,
        clients=tuple(clients),
        ports=tuple(KnownPort(_number(p["port"]), _tls(p["tls"])) for p in ports),
        certificate_sha256=_text(doc, "certificate_sha256", optional=True),
    )


def save(record: Record, data: Path | None = None) -> bool:
    """Write the record (0600) unless it already holds this; True when it changed. A damaged
    record stays (RecordDamaged); a folder we cannot write is a ClientError."""
    data = data or data_dir()
    if load(data) == record:
        return False
    private_dir(data)
    text = json.dumps(record.to_json(), indent=1) + "\n"
    atomic_write(record_path(data), text.encode(), mode=0o600)
    return True


def remember(
    setting: RelaySetting,
    clients: tuple[str, ...],
    *,
    ports: tuple[KnownPort, ...] = (),
    certificate_sha256: str | None = None,
    data: Path | None = None,
) -> bool:
    """After a proved setup: this relay setting, and the programs set up for it (added to those
    of an earlier record of the same relay and user). True when the record changed."""
    old = load(data)
    if old is not None and (old.setting.host, old.setting.user) == (setting.host, setting.user):
        clients = old.clients + tuple(c for c in clients if c not in old.clients)
        ports = ports or old.ports
        certificate_sha256 = certificate_sha256 or old.certificate_sha256
    configured = KnownPort(setting.port, setting.tls)
    ports = (configured, *(p for p in ports if p.port != setting.port))
    return save(Record(setting, clients, ports, certificate_sha256), data)


def moved(record: Record, port: int, tls: TlsMode, certificate_sha256: str | None) -> Record:
    """The record after the clients moved to another port (or the certificate changed)."""
    setting = replace(record.setting, port=port, tls=tls)
    known = (KnownPort(port, tls), *(p for p in record.ports if p.port != port))
    return replace(record, setting=setting, ports=known, certificate_sha256=certificate_sha256)


def from_client_files(home: Path | None = None) -> Record | None:
    """A setup made before the record existed: the msmtp account this program wrote (marked by
    our comment line above it), the one format whose every field we can read back. Only msmtp
    is then moved by --fix: the journal names the other programs we wrote, but not for which
    relay. None when there is no such account."""
    from ..clients import msmtp
    from ..clients.base import read_existing

    path = msmtp.config_path(home)
    try:
        old = read_existing(path)
        parsed = msmtp.parse(path, (old or b"").decode("utf-8", "surrogateescape"))
    except ClientError:
        return None
    for section in parsed.sections:
        keys = {
            line.command: line.argument
            for line in parsed.lines[section.header + 1 : section.end]
            if line.command
        }
        marked = section.header > 0 and "Relay Setup" in parsed.lines[section.header - 1].raw
        if section.name is None or not marked or "host" not in keys or "user" not in keys:
            continue
        tls = TlsMode.IMPLICIT if keys.get("tls_starttls") == "off" else TlsMode.STARTTLS
        try:
            setting = RelaySetting(
                host=keys["host"],
                port=int(keys.get("port", "465" if tls is TlsMode.IMPLICIT else "587")),
                tls=tls,
                user=keys["user"],
                mail_from=keys.get("from"),
                auth=_AUTH.get(keys.get("auth", "on")),
                ca_file=keys.get("tls_trust_file"),
                pin_sha256=keys.get("tls_fingerprint"),
            )
        except ValueError:
            continue
        return Record(setting, ("msmtp",), (KnownPort(setting.port, tls),))
    return None


_AUTH = {"plain": "PLAIN", "login": "LOGIN", "cram-md5": "CRAM-MD5"}
