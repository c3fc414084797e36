"""The last-good record of `relay-setup check` (app/core/roaming/record.py): written and read
back, refused when damaged, and rebuilt from the msmtp account of a setup made before it."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.clients import msmtp
from app.core.clients.base import ClientSettings
from app.core.clients.safewrite import apply
from app.core.results import PortSpec, TlsMode
from app.core.roaming import record
from app.core.roaming.check import port_specs
from app.core.settings import RelaySetting

SETTING = RelaySetting(
    "mail.example.org", 587, TlsMode.STARTTLS, "ann", "ann@example.org", ca_file="/data/ca.pem"
)
IMPLICIT = record.KnownPort(465, TlsMode.IMPLICIT)


def test_remember_writes_once_and_reads_back(home: Path) -> None:
    assert record.load() is None
    assert record.remember(SETTING, ("msmtp",), ports=(IMPLICIT,), certificate_sha256="AA:BB")
    kept = record.load()
    assert kept == record.Record(
        SETTING, ("msmtp",), (record.KnownPort(587, TlsMode.STARTTLS), IMPLICIT), "AA:BB"
    )
    assert record.record_path().stat().st_mode & 0o777 == 0o600
    assert not record.remember(SETTING, ("msmtp",))  # the same again: nothing written


def test_a_later_setup_of_the_same_relay_adds_its_programs(home: Path) -> None:
    record.remember(SETTING, ("msmtp",), ports=(IMPLICIT,))
    record.remember(SETTING, ("alpine", "msmtp"))
    kept = record.load()
    assert kept is not None and kept.clients == ("msmtp", "alpine")
    assert IMPLICIT in kept.ports  # not forgotten by a setup that knew no other ports


@pytest.mark.parametrize(
    "damage",
    [
        b"\xff\xfe",
        b'{"version": 2}',
        b'{"version": 1, "host": "mail.example.org", "port": "587"}',
        b"folder",
    ],
    ids=["not_utf8", "other_version", "port_as_text", "a_folder"],
)
def test_a_damaged_record_is_named_and_never_overwritten(home: Path, damage: bytes) -> None:
    path = record.record_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    if damage == b"folder":
        path.mkdir()
    else:
        path.write_bytes(damage)
    with pytest.raises(record.RecordDamaged, match=str(path)):
        record.load()
    with pytest.raises(record.RecordDamaged):
        record.remember(SETTING, ("msmtp",))
    assert path.is_dir() if damage == b"folder" else path.read_bytes() == damage


def test_a_setup_from_before_the_record_is_read_from_our_msmtp_account(home: Path) -> None:
    pinned = RelaySetting(
        "mail.example.org", 465, TlsMode.IMPLICIT, "ann", "ann@example.org", pin_sha256="AB:CD"
    )
    apply(msmtp.plan(ClientSettings.for_relay(pinned)))
    found = record.from_client_files()
    assert found is not None
    assert found.setting == pinned and found.clients == ("msmtp",)


def test_someone_elses_msmtp_account_is_not_taken_for_ours(home: Path) -> None:
    (home / ".msmtprc").write_text("account work\nhost smtp.work.example\nport 587\nuser me\n")
    assert record.from_client_files() is None


def test_the_configured_port_is_probed_first_with_tls_required() -> None:
    known = record.Record(SETTING, ("msmtp",), (record.KnownPort(587, TlsMode.STARTTLS),))
    assert port_specs(known) == (
        PortSpec(587, implicit=False, require_tls=True),
        PortSpec(465, implicit=True, require_tls=True),  # the usual ports, when none are known
    )
    moved = record.moved(known, 465, TlsMode.IMPLICIT, "AA")
    assert moved.setting.port == 465 and moved.ports[0] == IMPLICIT
    assert port_specs(moved)[0] == PortSpec(465, implicit=True, require_tls=True)
