"""Alpine: the smtp-server item, merging into a pinerc, the CA file (the real Alpine:
programs/test_real_alpine.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from clientfiles import PINERC
from servers import Pki

from app.core.clients import alpine, pinerc
from app.core.clients.base import ClientError, ClientSettings, ConfigParseError
from app.core.clients.safewrite import apply
from app.core.results import TlsMode
from app.core.settings import RelaySetting
from app.core.values import InvalidValue

RELAY = RelaySetting("mail.example.org", 587, TlsMode.STARTTLS, "jo@example.org")


def settings_for(relay: RelaySetting, ca: Path | None = None) -> ClientSettings:
    return ClientSettings.for_relay(relay, ca_file=ca)


# -- the smtp-server item ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("relay", "entry"),
    [
        (RELAY, "mail.example.org:587/tls/user=jo@example.org"),
        (
            RelaySetting("mail.example.org", 465, TlsMode.IMPLICIT, "jo"),
            "mail.example.org:465/ssl/user=jo",
        ),
        (
            RelaySetting("mail.example.org", 587, TlsMode.STARTTLS, "EXAMPLE/jo", auth="CRAM-MD5"),
            'mail.example.org:587/tls/user="EXAMPLE/jo"/auth=cram-md5',
        ),
    ],
)
def test_smtp_entry_names_tls_port_and_user_and_never_skips_validation(
    relay: RelaySetting, entry: str
) -> None:
    assert alpine.smtp_entry(relay) == entry
    assert "novalidate" not in entry


@pytest.mark.parametrize("host", ["192.0.2.7", "::1", "[2001:db8::1]"])
def test_an_ip_address_is_refused_with_the_reason(host: str) -> None:
    with pytest.raises(ClientError, match="host NAME"):
        alpine.smtp_entry(RelaySetting(host, 587, TlsMode.STARTTLS, "jo"))


def test_no_tls_is_refused() -> None:
    with pytest.raises(ClientError, match="TLS"):
        alpine.smtp_entry(RelaySetting("mail.example.org", 25, TlsMode.NONE, "jo"))


# -- merging into a pinerc ---------------------------------------------------------------------


def test_merge_replaces_our_host_keeps_other_relays_and_every_other_line() -> None:
    merged = alpine.merge_pinerc(PINERC, RELAY)
    assert merged == PINERC.replace(
        "smtp-server=mail.example.org/novalidate-cert,\n",
        "smtp-server=mail.example.org:587/tls/user=jo@example.org,\n",
    ) + ("customized-hdrs=From: Jo Bloggs <jo@example.org>\n")
    assert alpine.merge_pinerc(merged, RELAY) == merged


def test_merge_appends_when_unset_and_keeps_crlf() -> None:
    text = "# mine\r\npersonal-name=Jo\r\nfeature-list=a,\r\n\tb"
    merged = alpine.merge_pinerc(text, RELAY)
    assert merged == text + (
        "\r\nsmtp-server=mail.example.org:587/tls/user=jo@example.org\r\n"
        "customized-hdrs=From: Jo <jo@example.org>\r\n"
    )
    assert pinerc.current(pinerc.parse(merged), "feature-list") == ("a", "b")


def test_an_empty_value_is_set() -> None:
    merged = alpine.merge_pinerc("smtp-server=\ncustomized-hdrs=\nnntp-server=\n", RELAY)
    assert merged == (
        "smtp-server=mail.example.org:587/tls/user=jo@example.org\n"
        "customized-hdrs=From: jo@example.org\n"
        "nntp-server=\n"
    )


def test_quoted_items_with_commas_stay_one_item() -> None:
    text = 'smtp-server=other.example.net/user="a,b"\n'
    assert pinerc.current(pinerc.parse(text), "smtp-server") == ('other.example.net/user="a,b"',)
    merged = alpine.merge_pinerc(text, RELAY)
    assert pinerc.current(pinerc.parse(merged), "smtp-server")[1] == 'other.example.net/user="a,b"'


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("personal-name=Jo\nthis is not a setting\n", 2),
        ("# comment\n\tcontinued from nothing\n", 2),
    ],
)
def test_a_pinerc_we_cannot_parse_is_left_alone_and_the_line_named(
    tmp_path: Path, text: str, line: int
) -> None:
    rc = tmp_path / ".pinerc"
    rc.write_text(text)
    with pytest.raises(ConfigParseError) as caught:
        alpine.plan(settings_for(RELAY), home=tmp_path)
    assert caught.value.line_number == line and str(rc) in str(caught.value)
    assert rc.read_text() == text


def test_plan_and_apply_write_the_pinerc_once(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / ".pinerc").write_text(PINERC)
    os.chmod(home / ".pinerc", 0o640)
    plan = alpine.plan(settings_for(RELAY), home=home)
    assert "+smtp-server=mail.example.org:587/tls/user=jo@example.org," in plan.diff()
    assert any("password" in note for note in map(str, plan.notes))
    apply(plan, data=tmp_path / "data")
    assert (home / ".pinerc").read_text() == alpine.merge_pinerc(PINERC, RELAY)
    assert (home / ".pinerc").stat().st_mode & 0o777 == 0o640
    assert not alpine.plan(settings_for(RELAY), home=home).changed


def test_config_option_and_new_file(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere" / "pinerc"
    plan = alpine.plan(settings_for(RELAY), config=target, home=tmp_path)
    (change,) = plan.changes
    assert change.path == target and change.old is None
    assert change.new == (
        b"smtp-server=mail.example.org:587/tls/user=jo@example.org\n"
        b"customized-hdrs=From: jo@example.org\n"
    )


# -- the From address: a From item of customized-hdrs ----------------------------------------


@pytest.mark.parametrize(
    ("before", "name", "after"),
    [
        ((), None, ("From: jo@example.org",)),
        ((), "Jo Bloggs", ("From: Jo Bloggs <jo@example.org>",)),
        ((), "Jo B. O'Neil", ('From: "Jo B. O\'Neil" <jo@example.org>',)),
        ((), "Bloggs\\Jo", ("From: jo@example.org",)),  # no escape in pinerc: no name
        # The user's other headers stay, in their order; From goes first.
        (
            ("Reply-To: team@example.org", "Organization: Example"),
            "Jo",
            ("From: Jo <jo@example.org>", "Reply-To: team@example.org", "Organization: Example"),
        ),
        # The user's From of this address stays as written (their name, their case).
        (
            ("X-A: 1", "From: Jo Q. <JO@Example.org>"),
            "Other",
            ("X-A: 1", "From: Jo Q. <JO@Example.org>"),
        ),
        # Another address is replaced in place, keeping its name; a second From goes.
        (
            ("X-A: 1", "from: Jo Bloggs <jo@home.example.net>", "X-B: 2", "From: x@y.example"),
            "Other",
            ("X-A: 1", "From: Jo Bloggs <jo@example.org>", "X-B: 2"),
        ),
        # A From tag with no value (there only to be edited) gets ours.
        (("From:", "Reply-To:"), "Jo", ("From: Jo <jo@example.org>", "Reply-To:")),
    ],
)
def test_from_goes_into_customized_headers_keeping_the_users_own(
    before: tuple[str, ...], name: str | None, after: tuple[str, ...]
) -> None:
    assert alpine.merge_headers(before, "jo@example.org", name) == after
    assert alpine.merge_headers(after, "jo@example.org", name) == after


def test_from_merges_into_a_continued_customized_headers_list() -> None:
    text = (
        "personal-name=Jo Bloggs\n"
        "customized-hdrs=Reply-To: team@example.org,\n"
        "\tFrom: Jo Bloggs <jo@home.example.net>,\n"
        "\tOrganization: Example\n"
        "# after\n"
    )
    merged = alpine.merge_pinerc(text, RELAY)
    assert merged == (
        "personal-name=Jo Bloggs\n"
        "customized-hdrs=Reply-To: team@example.org,\n"
        "\tFrom: Jo Bloggs <jo@example.org>,\n"
        "\tOrganization: Example\n"
        "# after\n"
        "smtp-server=mail.example.org:587/tls/user=jo@example.org\n"
    )
    assert alpine.merge_pinerc(merged, RELAY) == merged


def test_the_from_address_is_the_setting_s_sender_not_the_login() -> None:
    relay = RelaySetting(
        "mail.example.org", 587, TlsMode.STARTTLS, "jo", mail_from="jo@example.org"
    )
    merged = alpine.merge_pinerc("", relay)
    assert pinerc.current(pinerc.parse(merged), "customized-hdrs") == ("From: jo@example.org",)


def test_without_a_from_address_alpine_keeps_its_own_and_the_plan_says_so(tmp_path: Path) -> None:
    relay = RelaySetting("mail.example.org", 465, TlsMode.IMPLICIT, "jo")
    plan = alpine.plan(settings_for(relay), home=tmp_path)
    assert plan.changes[0].new == b"smtp-server=mail.example.org:465/ssl/user=jo\n"
    assert any("No From address" in note and "--from" in note for note in map(str, plan.notes))


def test_a_from_that_is_not_a_plain_address_is_refused() -> None:
    with pytest.raises(InvalidValue, match="from address"):
        RelaySetting(
            "mail.example.org", 587, TlsMode.STARTTLS, "jo", mail_from="Jo <jo@example.org>"
        )
    # and the writer itself, should a value ever reach it some other way
    with pytest.raises(ClientError, match="not a plain e-mail address"):
        alpine.from_item("Jo <jo@example.org>")


# -- the private CA ----------------------------------------------------------------------------


def test_ca_goes_into_alpine_certs_once_keeping_other_certificates(
    tmp_path: Path, pki: Pki
) -> None:
    other = pki.ca.issue_cert("other.example.org").cert_chain_pems[0].bytes()
    certs = tmp_path / ".alpine-certs" / "certs.pem"
    certs.parent.mkdir()
    certs.write_bytes(other.rstrip(b"\n"))  # no final newline: still kept byte for byte
    plan = alpine.plan(settings_for(RELAY, Path(pki.ca_file)), home=tmp_path)
    bundle = next(c for c in plan.changes if c.path == certs)
    ca_pem = Path(pki.ca_file).read_bytes()
    assert bundle.new.startswith(other.rstrip(b"\n") + b"\n") and ca_pem.strip() in bundle.new
    assert any(str(certs) in note for note in map(str, plan.notes))
    assert alpine.merge_certs(bundle.new, ca_pem) == bundle.new


def test_a_pin_without_ca_is_refused(tmp_path: Path) -> None:
    pinned = RelaySetting("mail.example.org", 587, TlsMode.STARTTLS, "jo", pin_sha256="AB:CD")
    with pytest.raises(ClientError, match="fingerprint"):
        alpine.plan(settings_for(pinned), home=tmp_path)
