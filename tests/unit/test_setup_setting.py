"""app.core.setup.setting: the one construction of a RelaySetting. The CLI's port/TLS defaults,
the pin rule (a certificate accepted by fingerprint only; a profile's pin binds every
connection), a profile's forced mechanism, and one streamed port judged by the profile."""

from __future__ import annotations

import pytest

from app.core.org.profiles import loads_profile
from app.core.results import CertificateInfo, PortResult, PortStatus, TlsMode
from app.core.setup.setting import accepted_pin, held_to, probed_setting, typed_setting

SEEN = ":".join(["AB"] * 32)
PINNED = ":".join(["CD"] * 32)
PROFILE = f"""
[organisation]
name = "Example Org"
[relay]
host = "mail.example.org"
ports = ["465/implicit"]
pin_sha256 = "{PINNED}"
auth = "LOGIN"
"""


def _port(*, verified: bool, pinned: bool, sha256: str = SEEN) -> PortResult:
    cert = CertificateInfo(
        subject="CN=mail.example.org",
        issuer="CN=Example CA",
        san=("mail.example.org",),
        not_before="2026-01-01T00:00:00Z",
        not_after="2027-01-01T00:00:00Z",
        sha256=sha256,
        verified=verified,
        pinned=pinned,
    )
    return PortResult(
        465,
        PortStatus.OK,
        TlsMode.IMPLICIT,
        auth_after_tls=("PLAIN", "LOGIN"),
        certificate=cert,
    )


@pytest.mark.parametrize(
    ("port", "tls", "expected"),
    [
        (None, None, (465, TlsMode.IMPLICIT)),
        (465, None, (465, TlsMode.IMPLICIT)),
        (587, None, (587, TlsMode.STARTTLS)),
        (2525, None, (2525, TlsMode.STARTTLS)),
        (None, TlsMode.STARTTLS, (587, TlsMode.STARTTLS)),
        (None, TlsMode.IMPLICIT, (465, TlsMode.IMPLICIT)),
        (587, TlsMode.IMPLICIT, (587, TlsMode.IMPLICIT)),
    ],
)
def test_typed_setting_fills_port_and_tls_as_the_commands_say(
    port: int | None, tls: TlsMode | None, expected: tuple[int, TlsMode]
) -> None:
    setting = typed_setting("mail.example.org", "jane", port=port, tls=tls)
    assert (setting.port, setting.tls) == expected


def test_the_pin_is_the_certificate_accepted_by_fingerprint_only() -> None:
    assert accepted_pin(_port(verified=False, pinned=True)) == SEEN
    assert accepted_pin(_port(verified=True, pinned=False)) is None  # a CA vouches: no pin
    setting = probed_setting("mail.example.org", _port(verified=False, pinned=True), "jane")
    assert (setting.port, setting.tls, setting.pin_sha256) == (465, TlsMode.IMPLICIT, SEEN)
    assert setting.auth is None


def test_a_profile_binds_its_pin_and_mechanism_even_where_a_ca_vouches() -> None:
    profile = loads_profile(PROFILE)
    good = _port(verified=True, pinned=False, sha256=PINNED)
    setting = probed_setting("mail.example.org", good, "jane", profile=profile)
    assert (setting.pin_sha256, setting.auth) == (PINNED, "LOGIN")


def test_held_to_refuses_a_certificate_other_than_the_profiles_pin() -> None:
    profile = loads_profile(PROFILE)
    other = _port(verified=True, pinned=False)
    assert held_to(None, other) is other
    assert held_to(profile, other).status is PortStatus.CERTIFICATE
    same = _port(verified=True, pinned=False, sha256=PINNED)
    assert held_to(profile, same).status is PortStatus.OK
