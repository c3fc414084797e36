"""Alpine: the smtp-server item, merging into a pinerc, the CA file, and a real Alpine (under
tmux) sending through a local TLS relay with the settings we wrote."""

from __future__ import annotations

import email
import email.policy
import os
import shutil
import time
from pathlib import Path

import pytest
from clients.tmux import Tmux
from servers import Pki

from app.core.appdirs import install_ca
from app.core.clients import alpine, pinerc
from app.core.clients.base import ClientError, ClientSettings, ConfigParseError
from app.core.clients.safewrite import apply
from app.core.demo_relay import DemoRelay
from app.core.results import TlsMode
from app.core.settings import RelaySetting
from app.core.values import InvalidValue

RELAY = RelaySetting("mail.example.org", 587, TlsMode.STARTTLS, "jo@example.org")

EXISTING = (
    "# Updated by Alpine 2.26, copyright 2013-2022 Eduardo Chappa,\n"
    "# on Mon Nov 23 10:00:00 2026\n"
    "\n"
    "# Your full name\n"
    "personal-name=Jo Bloggs\n"
    "\n"
    "# List of SMTP servers for sending mail.\n"
    "smtp-server=mail.example.org/novalidate-cert,\n"
    "\tbackup.example.net:25/tls\n"
    "\n"
    "feature-list=quit-without-confirm,\n"
    "\tenable-full-header-cmd\n"
    "\n"
    "# end of file\n"
)


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
    merged = alpine.merge_pinerc(EXISTING, RELAY)
    assert merged == EXISTING.replace(
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
    (home / ".pinerc").write_text(EXISTING)
    os.chmod(home / ".pinerc", 0o640)
    plan = alpine.plan(settings_for(RELAY), home=home)
    assert "+smtp-server=mail.example.org:587/tls/user=jo@example.org," in plan.diff()
    assert any("password" in note for note in plan.notes)
    apply(plan, data=tmp_path / "data")
    assert (home / ".pinerc").read_text() == alpine.merge_pinerc(EXISTING, RELAY)
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
    assert any("No From address" in note and "--from" in note for note in plan.notes)


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
    assert any(str(certs) in note for note in plan.notes)
    assert alpine.merge_certs(bundle.new, ca_pem) == bundle.new


def test_a_pin_without_ca_is_refused(tmp_path: Path) -> None:
    pinned = RelaySetting("mail.example.org", 587, TlsMode.STARTTLS, "jo", pin_sha256="AB:CD")
    with pytest.raises(ClientError, match="fingerprint"):
        alpine.plan(settings_for(pinned), home=tmp_path)


# -- the real Alpine ---------------------------------------------------------------------------


def send_one(tmux: Tmux, password: str, subject: str, timeout: float = 45.0) -> None:
    """Compose (Alpine was started with a recipient), send, answer its questions; returns when
    Alpine has exited."""
    tmux.wait_for("COMPOSE MESSAGE")
    tmux.keys("Down", "Down", "Down")
    tmux.keys(subject, literal=True)
    tmux.keys("Down")
    tmux.keys("Sent by Alpine with the settings Relay Setup wrote.", literal=True)
    tmux.keys("C-x")
    answers = {
        "Send message?": ["y"],
        "Create?": ["y"],  # the sent-mail folder
        "ENTER PASSWORD": [password, "Enter"],
        "Preserve password": ["n"],
    }
    end = time.monotonic() + timeout
    while tmux.alive():
        screen = tmux.screen()
        if "validating" in screen or "Continue anyway" in screen:
            raise AssertionError(f"Alpine did not trust the relay's certificate:\n{screen}")
        for prompt, keys in answers.items():
            if prompt in screen:
                tmux.keys(keys[0], literal=prompt == "ENTER PASSWORD")
                for key in keys[1:]:
                    tmux.keys(key)
                # Wait for the question to go, so it is answered only once.
                while tmux.alive() and prompt in tmux.screen() and time.monotonic() < end:
                    time.sleep(0.1)
                break
        if time.monotonic() > end:
            raise AssertionError(f"Alpine did not finish sending; the screen was:\n{screen}")
        time.sleep(0.1)


@pytest.mark.clients
@pytest.mark.skipif(shutil.which("alpine") is None, reason="alpine is not installed")
@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
@pytest.mark.parametrize("tls", [TlsMode.STARTTLS, TlsMode.IMPLICIT])
def test_real_alpine_sends_through_the_relay_with_what_we_wrote(
    tmp_path: Path, tls: TlsMode
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    inbox = home / "inbox"
    inbox.touch()
    (home / ".pinerc").write_text(EXISTING + f"inbox-path={inbox}\nuser-domain=example.org\n")
    # The relay refuses a sender other than the login, as Postfix's
    # reject_sender_login_mismatch does: Alpine's own default From would be root@example.org.
    with DemoRelay(users={"demo@example.org": "s3cret"}, enforce_sender_login=True) as relay:
        port = relay.starttls_port if tls is TlsMode.STARTTLS else relay.implicit_port
        setting = RelaySetting("localhost", port, tls, "demo@example.org")
        ca = install_ca(Path(relay.ca_file), data=tmp_path / "data")
        plan = alpine.plan(settings_for(setting, ca), home=home)
        apply(plan, data=tmp_path / "data")
        env = {
            "HOME": str(home),
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "LANG": "C.UTF-8",
        }
        tmux = Tmux(tmp_path / "tmux.sock", env)
        try:
            tmux.start("alpine", "-p", str(home / ".pinerc"), "someone@example.org")
            tmux.wait_for("COMPOSE MESSAGE")
            assert alpine.detect(home=home).running  # Alpine runs: a write would only warn
            assert any(
                "Alpine is running" in n
                for n in alpine.plan(settings_for(setting, ca), home=home).notes
            )
            send_one(tmux, "s3cret", f"Relay Setup test {tls.value}")
        finally:
            tmux.close()
        (message,) = relay.received
    assert message.login == "demo@example.org" and message.tls
    assert message.mail_from == "demo@example.org"
    sent = email.message_from_bytes(message.content, policy=email.policy.default)
    assert sent["From"].addresses[0].addr_spec == "demo@example.org"
    assert sent["From"].addresses[0].display_name == "Jo Bloggs"  # pinerc's personal-name
    assert message.rcpt_tos == ("someone@example.org",)
    assert f"Relay Setup test {tls.value}".encode() in message.content
    # Alpine kept our setting first, the user's other relays after it, and their comments.
    after = (home / ".pinerc").read_text()
    assert pinerc.current(pinerc.parse(after), "smtp-server") == (
        alpine.smtp_entry(setting),
        "mail.example.org/novalidate-cert",
        "backup.example.net:25/tls",
    )
    assert "# end of file\n" in after and "# Your full name\n" in after
    # ...and our From: after Alpine rewrote its pinerc, there is nothing left to change.
    assert pinerc.current(pinerc.parse(after), "customized-hdrs") == (
        "From: Jo Bloggs <demo@example.org>",
    )
    assert not alpine.plan(settings_for(setting, ca), home=home).changed


@pytest.mark.clients
@pytest.mark.skipif(shutil.which("alpine") is None, reason="alpine is not installed")
@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
@pytest.mark.parametrize("user", ["example/demo:x", "a=b c"])  # the demo relay lowercases logins
def test_real_alpine_logs_in_as_a_user_that_needs_quoting(tmp_path: Path, user: str) -> None:
    """`/`, `:`, `=` and a blank would end an unquoted /user= (c-client reads switches there):
    quoted, the real Alpine logs in with the whole name."""
    home = tmp_path / "home"
    home.mkdir()
    inbox = home / "inbox"
    inbox.touch()
    (home / ".pinerc").write_text(f"inbox-path={inbox}\nuser-domain=example.org\n")
    with DemoRelay(users={user: "s3cret"}, enforce_sender_login=False) as relay:
        setting = RelaySetting(
            "localhost", relay.starttls_port, TlsMode.STARTTLS, user, "demo@example.org"
        )
        ca = install_ca(Path(relay.ca_file), data=tmp_path / "data")
        apply(alpine.plan(settings_for(setting, ca), home=home), data=tmp_path / "data")
        written = pinerc.current(pinerc.parse((home / ".pinerc").read_text()), "smtp-server")
        assert written == (f'localhost:{relay.starttls_port}/tls/user="{user}"',)
        env = {"HOME": str(home), "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
        tmux = Tmux(tmp_path / "tmux.sock", env | {"LANG": "C.UTF-8"})
        try:
            tmux.start("alpine", "-p", str(home / ".pinerc"), "someone@example.org")
            send_one(tmux, "s3cret", "Relay Setup quoted user")
        finally:
            tmux.close()
        (message,) = relay.received
    assert message.login == user and message.tls
