"""NeoMutt and Mutt: the marked block (what it says, where it goes, what it keeps), which file
each program reads, hostile values, and the real programs reading the block back (`-Q`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.clients import mutt, muttrc, neomutt
from app.core.clients.base import ClientError, ClientSettings, ConfigParseError
from app.core.results import TlsMode
from app.core.settings import RelaySetting

RELAY = RelaySetting("mail.example.org", 587, TlsMode.STARTTLS, "jo@example.org")


def ours(relay: RelaySetting = RELAY, ca: Path | None = None) -> ClientSettings:
    return ClientSettings.for_relay(relay, ca)


def merged(old: bytes | None, settings: ClientSettings | None = None) -> bytes:
    return muttrc.merge(Path("muttrc"), old, "neomutt", settings or ours())[0]


def test_a_new_file_is_just_our_block() -> None:
    text = merged(None, ours(ca=Path("/data/ca.pem"))).decode()
    assert text == (
        f"{muttrc.BEGIN}\n"
        "set smtp_url='smtp://jo%40example.org@mail.example.org:587/'\n"
        "set ssl_force_tls=yes\n"
        "set ssl_starttls=yes\n"
        "set ssl_ca_certificates_file='/data/ca.pem'\n"
        "set from='jo@example.org'\n"
        'set smtp_pass="`secret-tool lookup host mail.example.org service smtp user '
        'jo@example.org`"\n'
        f"{muttrc.END}\n"
    )


def test_implicit_tls_and_a_forced_mechanism() -> None:
    relay = RelaySetting("mail.example.org", 465, TlsMode.IMPLICIT, "jo", "jo@x.org", "LOGIN")
    text = merged(None, ours(relay)).decode()
    assert "set smtp_url='smtps://jo@mail.example.org:465/'\n" in text
    assert "set smtp_authenticators='login'\n" in text


@pytest.mark.parametrize(
    ("relay", "why"),
    [
        (RelaySetting("mail.example.org", 25, TlsMode.NONE, "jo"), "without TLS"),
        (RelaySetting("10::1", 465, TlsMode.IMPLICIT, "jo"), "DNS name"),
        (RelaySetting("mail.example.org", 465, TlsMode.IMPLICIT, "jo", pin_sha256="AA:BB"), "pin"),
        (RelaySetting("mail.example.org", 465, TlsMode.IMPLICIT, "a`id`"), "'`'"),
        (RelaySetting("mail.example.org", 465, TlsMode.IMPLICIT, "a$HOME"), r"'\$'"),
        (RelaySetting("mail.example.org", 465, TlsMode.IMPLICIT, "a\\b"), "'\\\\\\\\'"),
    ],
)
def test_what_the_block_cannot_carry_is_refused(relay: RelaySetting, why: str) -> None:
    with pytest.raises(ClientError, match=why):
        merged(b"set sort=threads\n", ours(relay))


def test_our_block_is_replaced_in_place_and_every_other_byte_stays() -> None:
    before = b"set a=1\r\n"
    first = merged(before + b"set b=2\r\n")
    assert first.startswith(b"set a=1\r\nset b=2\r\n\r\n" + muttrc.BEGIN.encode() + b"\r\n")
    moved = first.replace(b"set b=2\r\n", b"") + b"set c=3\r\n"
    changed = ours(RelaySetting("other.example.org", 465, TlsMode.IMPLICIT, "jo@example.org"))
    again = merged(moved, changed)
    assert again.startswith(b"set a=1\r\n\r\n" + muttrc.BEGIN.encode())
    assert again.endswith(muttrc.END.encode() + b"\r\nset c=3\r\n")
    assert b"other.example.org:465" in again and b"mail.example.org" not in again


def test_lines_after_the_block_that_override_it_or_hold_a_password_are_named() -> None:
    old = merged(b"set smtp_pass='hunter2'\n") + b"set smtp_url='smtp://x@y/'\nsource ~/.rc2\n"
    notes = [str(n) for n in muttrc.merge(Path("rc"), old, "neomutt", ours())[1]]
    assert any("line 11 sources a file after" in n for n in notes), notes
    assert any("line 1 keeps a password" in n for n in notes), notes
    assert any("sets smtp_url after the relay-setup block" in n for n in notes), notes


@pytest.mark.parametrize(
    ("text", "line", "why"),
    [
        (b"set a=1\nset editor=`vim\n", 2, "mismatched backticks"),
        (f"{muttrc.BEGIN}\nset a=1\n".encode(), 1, "never ends"),
        (f"set a=1\n{muttrc.END}\n".encode(), 2, "ends without beginning"),
        (f"{muttrc.BEGIN}\n{muttrc.BEGIN}\n{muttrc.END}\n".encode(), 2, "second"),
    ],
)
def test_a_file_the_program_would_refuse_or_a_damaged_block_names_the_line(
    text: bytes, line: int, why: str
) -> None:
    with pytest.raises(ConfigParseError, match=why) as caught:
        merged(text)
    assert caught.value.line_number == line


def test_quoting_and_backticks_that_mutt_accepts_are_not_mistaken_for_errors() -> None:
    text = b"set a='`'\nset b=\"`echo x`\" # `\nset c=\\`\n"
    assert merged(text).startswith(text)


def test_which_file_neomutt_and_mutt_read(tmp_path: Path) -> None:
    xdg = tmp_path / ".config"
    assert neomutt.config_path(tmp_path) == xdg / "neomutt" / "neomuttrc"
    assert mutt.config_path(tmp_path) == tmp_path / ".muttrc"
    (tmp_path / ".muttrc").write_text("")
    assert neomutt.config_path(tmp_path) == tmp_path / ".muttrc"
    (tmp_path / ".neomuttrc").write_text("")
    assert neomutt.config_path(tmp_path) == tmp_path / ".neomuttrc"
    (xdg / "mutt").mkdir(parents=True)
    (xdg / "mutt" / "muttrc").write_text("")
    assert neomutt.config_path(tmp_path) == xdg / "mutt" / "muttrc"
    assert mutt.config_path(tmp_path) == tmp_path / ".muttrc"  # mutt reads ~ first
    assert mutt.config_path(tmp_path, Path("/x/rc")) == Path("/x/rc")


# -- property: every other byte kept, a second merge changes nothing -----------------------------

plain_lines = st.from_regex(r"[^\n\r`\x00]{0,40}", fullmatch=True).filter(
    lambda line: line not in (muttrc.BEGIN, muttrc.END)
)


@st.composite
def muttrc_files(draw: st.DrawFn) -> bytes:
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    lines = draw(st.lists(plain_lines, max_size=12))
    text = newline.join(lines)
    if lines and draw(st.booleans()):
        text += newline
    return text.encode()


@settings(max_examples=150, deadline=None)
@given(muttrc_files())
def test_merging_keeps_the_users_bytes_as_a_prefix_and_is_idempotent(old: bytes) -> None:
    new = merged(old)
    assert new.startswith(old)
    assert new.count(muttrc.BEGIN.encode()) == 1
    assert merged(new) == new
    # what we added is a line ending (if the last line had none), a blank line, our block
    added = new[len(old) :].decode()
    assert added.lstrip("\r\n").startswith(muttrc.BEGIN)
    assert len(added) - len(added.lstrip("\r\n")) <= 4
