"""Organisation profiles: every shipped one loads, a bad one is named by file, key and why, the
identity rule, and a profile's security binding against real TLS servers on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from servers import Pki, smtp_server

from app.core.org.profiles import (
    InvalidEmail,
    Profile,
    ProfileError,
    dumps_profile,
    load_profile,
    loads_profile,
    probe_profile,
)
from app.core.results import PortResult, PortSpec, PortStatus, TlsMode, Verdict
from app.core.setup.setting import profile_setting

PROFILES = sorted((Path(__file__).parents[2] / "profiles").glob("*.toml"))
MINIMAL = """
[organisation]
name = "Example Org"
[relay]
host = "mail.example.org"
ports = ["587/starttls"]
"""


@pytest.mark.parametrize("path", PROFILES, ids=lambda p: p.name)
def test_every_shipped_profile_loads_and_round_trips(path: Path) -> None:
    profile = load_profile(path)
    assert profile.ports and profile.organisation
    assert all(p.implicit or p.require_tls for p in profile.ports)  # TLS everywhere
    assert loads_profile(dumps_profile(profile)) == profile


def test_shipped_profiles_include_the_example_and_the_demo() -> None:
    names = {p.name for p in PROFILES}
    assert {"example-org.toml", "demo.toml"} <= names
    example = load_profile(Path(__file__).parents[2] / "profiles" / "example-org.toml")
    assert example.ca_pem is not None and "BEGIN CERTIFICATE" in example.ca_pem
    assert [(p.port, p.implicit) for p in example.ports] == [(465, True), (587, False)]


@pytest.mark.parametrize(
    ("change", "key", "why"),
    [
        ("[printer]\nname = 'x'", "printer", "unknown section"),
        ("[relay]\nhots = 'x'", "relay.hots", "unknown key"),
        ("[organisation]\nname = 3", "organisation.name", "must be a string"),
        ("[relay]\nhost = '192.0.2.1'", "relay.host", "not an IP address"),
        ("[relay]\nhost = 'bad_name!'", "relay.host", "not a valid host name"),
        ("[relay]\nports = []", "relay.ports", "missing"),
        ("[relay]\nports = ['587/plain']", "relay.ports[0]", "never allows a login without TLS"),
        ("[relay]\nports = ['587', '587/starttls']", "relay.ports[1]", "listed twice"),
        ("[relay]\nports = ['99999']", "relay.ports[0]", "out of range"),
        ("[relay]\npin_sha256 = 'abc'", "relay.pin_sha256", "64 hexadecimal digits"),
        ("[relay]\nauth = 'GSSAPI'", "relay.auth", "unsupported mechanism"),
        ("[relay]\nca_file = 'missing.pem'", "relay.ca_file", "cannot read"),
        ("[relay]\nca_pem = 'hello'", "relay.ca_pem", "not a PEM certificate"),
        ("[identity]\nusername = '%EMAILUSER%'", "identity.username", "unknown placeholder"),
        ("[identity]\nfrom = '%EMAILLOCALPART%'", "identity.from", "must give an address"),
        ("[identity]\ndomains = ['not a domain']", "identity.domains[0]", "not a mail domain"),
        ("[clients]\nconfigure = ['pine']", "clients.configure[0]", "unknown name 'pine'"),
        ("[clients]\nlocked = ['colour']", "clients.locked[0]", "unknown name 'colour'"),
        ("[organisation]\nhelp_url = 'ftp://x'", "organisation.help_url", "https://"),
    ],
)
def test_a_bad_profile_names_file_key_and_why(
    tmp_path: Path, change: str, key: str, why: str
) -> None:
    path = tmp_path / "org.toml"
    path.write_text(_merge(MINIMAL, change))
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    assert caught.value.source == str(path)
    assert caught.value.key == key
    assert why in caught.value.why
    assert str(path) in str(caught.value) and key in str(caught.value)


def test_not_toml_and_missing_file_are_named(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[relay\nhost=")
    with pytest.raises(ProfileError, match="not valid TOML"):
        load_profile(bad)
    with pytest.raises(ProfileError, match="cannot read the profile"):
        load_profile(tmp_path / "absent.toml")


def test_a_private_key_is_never_accepted_as_the_ca(tmp_path: Path, pki: Pki) -> None:
    leaf = pki.ca.issue_cert("mail.example.org")
    (tmp_path / "ca.pem").write_bytes(pki.ca.cert_pem.bytes() + leaf.private_key_pem.bytes())
    path = tmp_path / "org.toml"
    path.write_text(_merge(MINIMAL, "[relay]\nca_file = 'ca.pem'"))
    with pytest.raises(ProfileError, match="private key") as caught:
        load_profile(path)
    assert caught.value.key == "relay.ca_file"


def test_ca_beside_the_profile_and_inline_give_the_same_profile(tmp_path: Path, pki: Pki) -> None:
    pem = pki.ca.cert_pem.bytes().decode()
    (tmp_path / "ca.pem").write_text(pem)
    beside = tmp_path / "beside.toml"
    beside.write_text(_merge(MINIMAL, "[relay]\nca_file = 'ca.pem'"))
    inline = loads_profile(MINIMAL + f'ca_pem = """{pem}"""\n')  # [relay] is MINIMAL's last
    assert load_profile(beside).ca_pem == inline.ca_pem == pem.strip() + "\n"
    with pytest.raises(ProfileError, match="not both"):
        loads_profile(MINIMAL + f"ca_file = 'ca.pem'\nca_pem = '''{pem}'''\n")


def test_identity_follows_the_placeholders() -> None:
    profile = loads_profile(
        _merge(
            MINIMAL,
            "[identity]\nusername = 'smtp-%EMAILLOCALPART%'\n"
            "from = '%EMAILLOCALPART%@mail.%EMAILDOMAIN%'\ndomains = ['example.org']",
        )
    )
    identity = profile.identity(" Jane.Doe@Example.ORG ")
    assert identity.email == "Jane.Doe@example.org"
    assert identity.user == "smtp-Jane.Doe"
    assert identity.mail_from == "Jane.Doe@mail.example.org"
    setting = profile_setting(profile, identity, PortResult(587, PortStatus.OK, TlsMode.STARTTLS))
    assert (setting.user, setting.sender, setting.host) == (
        "smtp-Jane.Doe",
        "Jane.Doe@mail.example.org",
        "mail.example.org",
    )
    with pytest.raises(InvalidEmail, match="not an address of Example Org"):
        profile.identity("jane@elsewhere.net")
    for bad in ("jane", "jane@", "ja ne@example.org", "jane@example.org\nBcc: x@y.z"):
        with pytest.raises(InvalidEmail):
            profile.identity(bad)


def test_default_identity_is_the_address_and_all_clients() -> None:
    profile = loads_profile(MINIMAL)
    identity = profile.identity("bob@example.org")
    assert identity.user == identity.mail_from == "bob@example.org"
    assert profile.clients == ("msmtp", "alpine", "thunderbird", "neomutt", "mutt", "aerc", "git")
    assert profile.locked == frozenset()


# -- a profile's security binds (real servers on 127.0.0.1) -------------------------------------


def _profile_for(port: int, extra: str = "", mode: str = "starttls", pki: Pki | None = None) -> str:
    ca = f'ca_pem = """{pki.ca.cert_pem.bytes().decode()}"""\n' if pki else ""
    return (
        "[organisation]\nname = 'Test Org'\n[relay]\nhost = 'localhost'\n"
        f"ports = ['{port}/{mode}']\n{ca}{extra}"
    )


def test_a_relay_without_starttls_is_refused_as_a_downgrade() -> None:
    with smtp_server("plain") as server:  # no STARTTLS at all: what a stripping attacker shows
        profile = loads_profile(_profile_for(server.port))
        report = probe_profile(profile, timeout=2, deadline=5)
    assert report.verdict is Verdict.TLS_PROBLEM
    assert report.ports[0].status is PortStatus.STARTTLS_MISSING
    assert report.recommended is None


def test_the_profile_ca_verifies_the_relay(pki: Pki) -> None:
    with smtp_server("starttls", pki.server_context("localhost")) as server:
        profile = loads_profile(_profile_for(server.port, pki=pki))
        report = probe_profile(profile, pki.ca_file, timeout=2, deadline=5)
    assert report.verdict is Verdict.RECOMMENDED
    assert report.recommended is not None and report.recommended.tls is TlsMode.STARTTLS


def test_a_certificate_other_than_the_pinned_one_is_refused_even_if_a_ca_vouches(
    pki: Pki,
) -> None:
    wrong_pin = "pin_sha256 = '" + ":".join(["AB"] * 32) + "'\n"
    with smtp_server("implicit", pki.server_context("localhost")) as server:
        profile = loads_profile(_profile_for(server.port, wrong_pin, "implicit", pki))
        report = probe_profile(profile, pki.ca_file, timeout=2, deadline=5)
    assert report.ports[0].certificate is not None and report.ports[0].certificate.verified
    assert report.ports[0].status is PortStatus.CERTIFICATE
    assert "not the one the profile pins" in report.ports[0].detail
    assert report.verdict is Verdict.TLS_PROBLEM and report.recommended is None


def test_the_pinned_certificate_is_accepted_without_a_ca(pki: Pki) -> None:
    with smtp_server("implicit", pki.server_context("localhost")) as server:
        first = probe_profile(loads_profile(_profile_for(server.port, "", "implicit")))
        cert = first.ports[0].certificate
        assert cert is not None and not cert.verified  # no CA given: unknown issuer
        pin = f"pin_sha256 = '{cert.sha256}'\n"
        report = probe_profile(loads_profile(_profile_for(server.port, pin, "implicit")))
    assert first.verdict is Verdict.TLS_PROBLEM
    assert report.verdict is Verdict.RECOMMENDED
    assert report.recommended is not None and report.recommended.pinned_sha256 == cert.sha256


def test_a_forced_mechanism_the_relay_does_not_offer_is_no_secure_option(pki: Pki) -> None:
    with smtp_server("starttls", pki.server_context("localhost")) as server:
        forced = loads_profile(_profile_for(server.port, "auth = 'CRAM-MD5'\n", pki=pki))
        report = probe_profile(forced, pki.ca_file, timeout=2, deadline=5)
        plain = loads_profile(_profile_for(server.port, "auth = 'PLAIN'\n", pki=pki))
        chosen = probe_profile(plain, pki.ca_file, timeout=2, deadline=5)
    assert "CRAM-MD5" not in report.ports[0].auth_after_tls
    assert report.verdict is Verdict.NO_SECURE_OPTION
    assert chosen.recommended is not None and chosen.recommended.auth == ("PLAIN",)


def _merge(base: str, change: str) -> str:
    """Add `change` (a [section] and one-line keys) to `base`, replacing keys it sets again."""
    sections: dict[str, dict[str, str]] = {}
    for text in (base, change):
        current = ""
        for line in text.strip().splitlines():
            if line.startswith("["):
                current = line
                sections.setdefault(current, {})
            elif "=" in line:
                key = line.split("=", 1)[0].strip()
                sections[current][key] = line
    return "\n".join(f"{s}\n" + "\n".join(lines.values()) for s, lines in sections.items())


def test_a_placeholder_inside_the_address_is_not_expanded_again() -> None:
    profile = loads_profile(MINIMAL + "[identity]\nusername = '%EMAILLOCALPART%+%EMAILDOMAIN%'\n")
    identity = profile.identity("%EMAILDOMAIN%@example.org")
    assert identity.user == "%EMAILDOMAIN%+example.org"


_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40).filter(
    lambda t: t.strip() == t
)


@given(
    organisation=_TEXT,
    ports=st.lists(st.integers(1, 65535), min_size=1, max_size=4, unique=True),
    implicit=st.lists(st.booleans(), min_size=4, max_size=4),
    username=st.sampled_from(["%EMAILADDRESS%", "%EMAILLOCALPART%", "smtp-%EMAILLOCALPART%"]),
)
def test_any_valid_profile_survives_writing_and_reading(
    organisation: str, ports: list[int], implicit: list[bool], username: str
) -> None:
    profile = Profile(
        organisation=organisation,
        host="mail.example.org",
        ports=tuple(
            PortSpec(p, implicit=i, require_tls=not i)
            for p, i in zip(ports, implicit, strict=False)
        ),
        username=username,
    )
    assert loads_profile(dumps_profile(profile)) == profile
