"""aerc: the outgoing settings of the account that sends as the user, in accounts.conf read the
way aerc's go-ini does (inline comments, backtick and triple-quoted values, continuations), every
other byte kept; what aerc cannot do is refused with what to do instead."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from unchecked import unchecked_relay

from app.core.clients import aerc
from app.core.clients.base import ClientError, ClientSettings, ConfigParseError
from app.core.results import TlsMode
from app.core.settings import RelaySetting

RELAY = RelaySetting("mail.example.org", 587, TlsMode.STARTTLS, "jo@example.org")
WORK = b"[Work]\nsource = maildir://~/Mail\nfrom = Jo <jo@example.org>\ncopy-to = Sent\n"


def merged(old: bytes | None, relay: RelaySetting = RELAY) -> bytes:
    return aerc.merge(Path("accounts.conf"), old, ClientSettings.for_relay(relay))


def values(text: bytes, section: str) -> dict[str, str]:
    lines = aerc.split_lines(text.decode())
    return {
        e.key: e.value
        for e in aerc.parse(Path("accounts.conf"), lines)
        if e.section == section and e.key is not None
    }


def test_the_account_sending_as_the_user_gets_the_outgoing_lines_and_keeps_its_from() -> None:
    new = merged(WORK + b"\n[Other]\nsource = imaps://o@x\nfrom = o@example.net\n")
    assert new == (
        b"[Work]\nsource = maildir://~/Mail\nfrom = Jo <jo@example.org>\ncopy-to = Sent\n"
        b"outgoing = smtp://jo%40example.org@mail.example.org:587\n"
        b"outgoing-cred-cmd = `secret-tool lookup host mail.example.org service smtp user "
        b"jo@example.org`\n"
        b"smtp-starttls = yes\n"
        b"\n[Other]\nsource = imaps://o@x\nfrom = o@example.net\n"
    )
    assert merged(new) == new


def test_implicit_tls_drops_starttls_and_a_forced_login_is_the_scheme_suffix() -> None:
    first = merged(WORK)
    relay = RelaySetting("mail.example.org", 465, TlsMode.IMPLICIT, "jo", "jo@example.org", "LOGIN")
    new = values(merged(first, relay), "Work")
    assert new["outgoing"] == "smtps+login://jo@mail.example.org:465"
    assert "smtp-starttls" not in new
    assert new["from"] == "Jo <jo@example.org>"


def test_an_old_password_in_the_url_is_replaced_and_repeated_keys_go() -> None:
    old = WORK + b"outgoing = smtps://jo:hunter2@old.example.org\noutgoing = smtp://x\n"
    new = merged(old)
    assert b"hunter2" not in new and new.count(b"outgoing =") == 1


def test_without_an_account_of_the_user_nothing_is_invented() -> None:
    with pytest.raises(ClientError, match="add the account in aerc first"):
        merged(b"[Other]\nsource = maildir://~/x\nfrom = o@example.net\n")
    with pytest.raises(ClientError, match="add the account in aerc first"):
        merged(None)


@pytest.mark.parametrize(
    ("relay", "why"),
    [
        (RelaySetting("mail.example.org", 587, TlsMode.STARTTLS, "jo", auth="CRAM-MD5"), "CRAM"),
        (RelaySetting("mail.example.org", 465, TlsMode.IMPLICIT, "jo", pin_sha256="AA"), "pin"),
        (RelaySetting("mail.example.org", 25, TlsMode.NONE, "jo"), "without TLS"),
        (RelaySetting("::1", 465, TlsMode.IMPLICIT, "jo"), "DNS name"),
        (RelaySetting("mail.example.org", 465, TlsMode.IMPLICIT, "a`id`"), "'`'"),
    ],
)
def test_what_aerc_cannot_do_is_refused(relay: RelaySetting, why: str) -> None:
    with pytest.raises(ClientError, match=why):
        merged(WORK, relay)


@pytest.mark.parametrize(
    "user", ["a;b@example.org", "a#b", "$(touch PWNED)", "o'brien", 'say "x"', "x\\", " y"]
)
def test_hostile_users_stay_one_value_of_one_line(user: str) -> None:
    # Unchecked: the value gate refuses some of these; the writer must hold on its own.
    relay = unchecked_relay(port=465, tls=TlsMode.IMPLICIT, user=user, mail_from="jo@example.org")
    new = merged(WORK, relay)
    assert new.count(b"\n") == WORK.count(b"\n") + 2
    got = values(new, "Work")
    assert got["outgoing-cred-cmd"] == aerc.keyring_lookup("mail.example.org", user)
    assert got["outgoing"].startswith("smtps://") and got["outgoing"].endswith(
        "@mail.example.org:465"
    )


def test_the_user_from_is_written_when_the_account_is_found_by_the_relays_name() -> None:
    old = b"[mail.example.org]\nsource = maildir://~/M\nfrom = old@example.org\n"
    # An address the value check refuses; the writer must still carry it as one ini value.
    relay = unchecked_relay(user="jo", mail_from="jo;#x@example.org")
    assert values(merged(old, relay), "mail.example.org")["from"] == "jo;#x@example.org"


@pytest.mark.parametrize(
    ("text", "line", "why"),
    [
        (b"[Work\nsource = x\n", 1, "unclosed section"),
        (WORK + b"just words\n", 5, "no `=`"),
        (WORK + b'"key = x\n', 5, "closing key quote"),
        (WORK + b"outgoing = `smtp://x\n", 5, "no closing"),
    ],
)
def test_a_file_aerc_refuses_is_left_alone_naming_the_line(
    text: bytes, line: int, why: str
) -> None:
    with pytest.raises(ConfigParseError, match=why) as caught:
        merged(text)
    assert caught.value.line_number == line


def test_go_ini_values_read_as_aerc_reads_them() -> None:
    text = (
        b"[A]\nsource = `x;y#z`\nfrom = 'a@b' ; c\nlong = one \\\n two\n"
        b'multi = """first\nsecond"""\nk: v\n'
    )
    got = values(text, "A")
    assert got == {
        "source": "x;y#z",
        "from": "a@b",
        "long": "one two",
        "multi": "first\nsecond",
        "k": "v",
    }


def test_plan_notes_the_ca_and_a_file_others_can_read(tmp_path: Path) -> None:
    path = tmp_path / "accounts.conf"
    path.write_bytes(WORK)
    path.chmod(0o644)
    settings = ClientSettings.for_relay(RELAY, ca_file=tmp_path / "ca.pem")
    plan = aerc.plan(settings, config=path)
    assert any(f"SSL_CERT_FILE={tmp_path / 'ca.pem'} aerc" in n for n in map(str, plan.notes))
    assert any(f"chmod 600 {path}" in n for n in map(str, plan.notes))
    assert aerc.config_path(tmp_path) == tmp_path / ".config" / "aerc" / "accounts.conf"


# -- property: every other account and line kept, idempotent -------------------------------------

keys = st.from_regex(r"[a-z][a-z0-9-]{0,12}", fullmatch=True).filter(
    lambda k: k not in aerc.MANAGED
)
plain = st.from_regex(r"[A-Za-z0-9@./:<> _-]{0,30}", fullmatch=True).map(str.strip)


@st.composite
def accounts_files(draw: st.DrawFn) -> tuple[bytes, dict[str, dict[str, str]]]:
    """Accounts (ours somewhere among them), comments and blanks; LF or CRLF."""
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    names = draw(
        st.lists(st.from_regex(r"[A-Z][a-z]{0,8}", fullmatch=True), max_size=4, unique=True).filter(
            lambda n: "Work" not in n
        )
    )
    names.insert(draw(st.integers(0, len(names))), "Work")
    lines: list[str] = []
    expected: dict[str, dict[str, str]] = {}
    for name in names:
        lines.append(f"[{name}]")
        body = {
            "source": "maildir://~/" + name,
            "from": "jo@example.org" if name == "Work" else "x@example.net",
        }
        body |= draw(st.dictionaries(keys, plain, max_size=4))
        for key, value in body.items():
            lines.append(f"{key}{draw(st.sampled_from([' = ', '=', ': ']))}{value}")
            if draw(st.booleans()):
                lines.append(draw(st.sampled_from(["", "# note", "; other"])))
        expected[name] = body
    return newline.join(lines).encode() + newline.encode(), expected


@settings(max_examples=150, deadline=None)
@given(accounts_files())
def test_merging_keeps_the_other_lines_and_accounts_and_is_idempotent(
    case: tuple[bytes, dict[str, dict[str, str]]],
) -> None:
    old, expected = case
    new = merged(old)
    assert merged(new) == new
    for name, body in expected.items():
        got = values(new, name)
        for key, value in body.items():
            assert got[key] == value
        if name == "Work":
            assert got["outgoing"] == "smtp://jo%40example.org@mail.example.org:587"
        else:
            assert "outgoing" not in got
    kept = [line for line in new.splitlines() if not line.startswith((b"outgoing", b"smtp-"))]
    assert kept == old.splitlines()
