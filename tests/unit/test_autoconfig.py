"""Mozilla autoconfig import and export, hostile XML refused, and the profile commands."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app import exitcodes
from app.cli import main
from app.core.org.autoconfig import export_autoconfig, imports_autoconfig, parse_xml
from app.core.org.profiles import ProfileError, load_profile

PROFILES = Path(__file__).parents[2] / "profiles"

# What a provider publishes (Thunderbird's ISPDB style): IMAP in, three SMTP servers out.
PUBLISHED = b"""<?xml version="1.0" encoding="UTF-8"?>
<clientConfig version="1.1">
  <emailProvider id="example.net">
    <domain>example.net</domain>
    <domain>Example.COM</domain>
    <displayName>Example Net Mail</displayName>
    <incomingServer type="imap">
      <hostname>imap.example.net</hostname><port>993</port><socketType>SSL</socketType>
      <authentication>password-cleartext</authentication><username>%EMAILADDRESS%</username>
    </incomingServer>
    <outgoingServer type="smtp">
      <hostname>smtp.example.net</hostname><port>465</port><socketType>SSL</socketType>
      <authentication>password-cleartext</authentication>
      <username>%EMAILLOCALPART%</username>
    </outgoingServer>
    <outgoingServer type="smtp">
      <hostname>smtp.example.net</hostname><port>587</port><socketType>STARTTLS</socketType>
      <authentication>OAuth2</authentication>
      <authentication>password-cleartext</authentication>
      <username>%EMAILLOCALPART%</username>
    </outgoingServer>
    <outgoingServer type="smtp">
      <hostname>smtp.example.net</hostname><port>25</port><socketType>plain</socketType>
      <authentication>password-cleartext</authentication>
      <username>%EMAILLOCALPART%</username>
    </outgoingServer>
    <documentation url="https://help.example.net/mail"><descr lang="en">Help</descr></documentation>
  </emailProvider>
</clientConfig>
"""


def test_import_takes_the_tls_servers_and_skips_plain_text() -> None:
    result = imports_autoconfig(PUBLISHED, "published.xml")
    profile = result.profile
    assert profile.organisation == "Example Net Mail"
    assert profile.host == "smtp.example.net"
    assert [(p.port, p.implicit, p.require_tls) for p in profile.ports] == [
        (465, True, False),
        (587, False, True),  # STARTTLS from autoconfig binds like any profile's
    ]
    assert profile.username == "%EMAILLOCALPART%"
    assert profile.domains == ("example.net", "example.com")
    assert profile.help_url == "https://help.example.net/mail"
    assert profile.auth is None
    assert len(result.skipped) == 1 and "plain" in result.skipped[0]
    assert profile.identity("ann@example.com").user == "ann"


def test_export_then_import_gives_back_the_relay_part() -> None:
    original = load_profile(PROFILES / "example-org.toml")
    xml = export_autoconfig(original)
    root = parse_xml(xml.encode(), "exported")
    servers = root.findall("emailProvider/outgoingServer")
    assert [s.findtext("socketType") for s in servers] == ["SSL", "STARTTLS"]
    assert {s.findtext("username") for s in servers} == {"%EMAILLOCALPART%"}
    again = imports_autoconfig(xml.encode()).profile
    for name in ("host", "ports", "username", "domains", "help_url", "auth", "organisation"):
        assert getattr(again, name) == getattr(original, name), name


def test_cram_md5_travels_as_password_encrypted() -> None:
    xml = PUBLISHED.replace(
        b"<authentication>password-cleartext</authentication>\n      <username>%EMAILLOCALPART%",
        b"<authentication>password-encrypted</authentication>\n      <username>%EMAILLOCALPART%",
        1,
    )
    profile = imports_autoconfig(xml).profile
    assert profile.auth == "CRAM-MD5"
    assert "<authentication>password-encrypted</authentication>" in export_autoconfig(profile)


@pytest.mark.parametrize(
    ("xml", "why"),
    [
        (  # billion laughs
            b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><clientConfig>&lol2;</clientConfig>',
            "document type or entity",
        ),
        (  # an external entity reading a local file
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
            b"<clientConfig><emailProvider><displayName>&xxe;</displayName>"
            b"</emailProvider></clientConfig>",
            "document type or entity",
        ),
        (b"<clientConfig>&undefined;</clientConfig>", "not well-formed"),
        (b"<clientConfig><emailProvider>", "not well-formed"),
        (b"<html><body>404</body></html>", "not a Mozilla autoconfig"),
        (b"<clientConfig/>", "no <emailProvider>"),
    ],
)
def test_hostile_or_wrong_xml_is_refused(xml: bytes, why: str) -> None:
    with pytest.raises(ProfileError, match=why) as caught:
        imports_autoconfig(xml, "evil.xml")
    assert caught.value.source == "evil.xml"


def test_no_usable_server_names_what_was_skipped() -> None:
    plain_only = PUBLISHED.replace(b"SSL</socketType>", b"plain</socketType>").replace(
        b"STARTTLS", b"plain"
    )
    with pytest.raises(ProfileError, match="no usable SMTP server") as caught:
        imports_autoconfig(plain_only)
    assert caught.value.key == "outgoingServer"
    assert "socketType plain" in caught.value.why


def test_commands_import_show_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "config-v1.1.xml"
    source.write_bytes(PUBLISHED)
    toml = tmp_path / "org.toml"
    assert main(["profile", "import-autoconfig", str(source), "-o", str(toml)]) == exitcodes.OK
    assert "skipped outgoingServer[2]" in capsys.readouterr().err
    assert load_profile(toml).host == "smtp.example.net"

    assert main(["profile", "show", str(toml)]) == exitcodes.OK
    assert "smtp.example.net, ports 465 (implicit TLS), 587 (STARTTLS)" in capsys.readouterr().out

    assert main(["profile", "export-autoconfig", str(toml)]) == exitcodes.OK
    exported = parse_xml(capsys.readouterr().out.encode(), "stdout")
    assert exported.findtext("emailProvider/outgoingServer/hostname") == "smtp.example.net"

    assert main(["profile", "import-autoconfig", str(source)]) == exitcodes.OK  # to stdout
    assert 'host = "smtp.example.net"' in capsys.readouterr().out


def test_commands_report_a_bad_profile_with_its_own_status(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[relay]\nhost = 'mail.example.org'\n")
    assert main(["profile", "show", str(bad)]) == exitcodes.PROFILE
    assert f"{bad}: organisation.name: missing" in capsys.readouterr().err
    assert main(["profile", "export-autoconfig", str(bad)]) == exitcodes.PROFILE
    evil = tmp_path / "evil.xml"
    evil.write_bytes(b'<!DOCTYPE x [<!ENTITY a "b">]><clientConfig/>')
    assert main(["profile", "import-autoconfig", str(evil)]) == exitcodes.PROFILE
    # Not frozen: no embedded profile to fall back on.
    assert main(["profile", "show"]) == exitcodes.PROFILE
    assert "none embedded" in capsys.readouterr().err


@given(
    organisation=st.text(
        st.characters(blacklist_categories=("Cs", "Cc", "Co", "Cn")), min_size=1, max_size=40
    ).filter(lambda t: t.strip() == t),
    auth=st.sampled_from([None, "CRAM-MD5"]),
)
def test_any_organisation_name_survives_export_and_import(
    organisation: str, auth: str | None
) -> None:
    base = load_profile(PROFILES / "demo.toml")
    profile = dataclasses.replace(base, organisation=organisation, auth=auth)
    again = imports_autoconfig(export_autoconfig(profile).encode()).profile
    assert (again.organisation, again.auth, again.ports) == (organisation, auth, profile.ports)
