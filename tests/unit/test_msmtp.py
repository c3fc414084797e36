"""msmtp: rendering, merging into existing files (property tests), refusals (the real msmtp:
programs/test_real_msmtp.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from clientfiles import MSMTPRC
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from app.core.clients import msmtp
from app.core.clients.base import ClientError, ClientSettings, ConfigParseError
from app.core.clients.safewrite import apply
from app.core.results import TlsMode
from app.core.settings import RelaySetting
from app.core.values import InvalidValue

HOST = "mail.example.org"
PIN = ":".join(["AB"] * 32)
USER = "alice@example.org"


def settings_for(
    tls: TlsMode = TlsMode.STARTTLS,
    port: int = 587,
    ca: Path | None = None,
    pin: str | None = None,
    auth: str | None = None,
    host: str = HOST,
    user: str = "alice",
) -> ClientSettings:
    relay = RelaySetting(host, port, tls, user, "alice@example.org", auth, None, pin)
    return ClientSettings.for_relay(relay, ca)


def merged(old: bytes | None, s: ClientSettings | None = None) -> bytes:
    return msmtp.merge(Path("rc"), old, s or settings_for())[0]


def block(text: bytes, account: str = HOST) -> list[str]:
    """The command lines of one account block."""
    lines = text.decode().splitlines()
    start = lines.index(f"account {account}") + 1
    out = []
    for line in lines[start:]:
        if line.startswith(("account ", "defaults")):
            break
        if line.strip() and not line.startswith("#"):
            out.append(line)
    return out


# -- rendering ---------------------------------------------------------------------------------


def test_a_new_file_gets_our_account_and_the_default() -> None:
    text = merged(None)
    assert block(text) == [
        f"host {HOST}",
        "port 587",
        "tls on",
        "tls_starttls on",
        "tls_certcheck on",
        "auth on",
        "user alice",
        "from alice@example.org",
    ]
    assert text.endswith(f"\naccount default : {HOST}\n".encode())
    assert b"password" not in text.replace(b"the password is in the OS keyring", b"")


def test_implicit_tls_ca_fingerprint_and_cram_md5() -> None:
    ca = Path("/home/a/.local/share/relay-setup/ca/ca-1.pem")
    implicit = block(merged(None, settings_for(TlsMode.IMPLICIT, 465, ca=ca)))
    assert {"port 465", "tls_starttls off", f"tls_trust_file {ca}"} <= set(implicit)
    pinned = block(merged(None, settings_for(pin=PIN, ca=ca)))
    assert f"tls_fingerprint {PIN}" in pinned and not any("trust_file" in x for x in pinned)
    assert "auth cram-md5" in block(merged(None, settings_for(auth="CRAM-MD5")))
    assert "auth plain" in block(merged(None, settings_for(auth="PLAIN")))


def test_a_value_with_blanks_at_its_edges_is_quoted_so_msmtp_reads_it_back() -> None:
    assert msmtp.quote("/Library/Application Support/ca.pem") == (
        "/Library/Application Support/ca.pem"
    )
    assert msmtp.unquote(msmtp.quote('"x"')) == '"x"'
    assert msmtp.unquote(msmtp.quote(" x ")) == " x "


def test_no_tls_and_injected_lines_are_refused() -> None:
    with pytest.raises(ClientError, match="without TLS"):
        merged(None, settings_for(TlsMode.NONE, 25))
    with pytest.raises(InvalidValue, match="control character"):
        settings_for(user="alice\npasswordeval cat /etc/shadow")


# -- merging -----------------------------------------------------------------------------------


def test_our_existing_account_is_updated_in_place_and_nothing_else_moves() -> None:
    text, notes = msmtp.merge(Path("rc"), MSMTPRC, settings_for())
    lines = text.decode().splitlines()
    assert lines[:9] == MSMTPRC.decode().splitlines()[:9]  # up to our account, untouched
    assert lines[-3:] == ["# about the next account", "", "account default : work"]
    assert block(text) == [
        f"host   {HOST}",  # the file's column alignment kept
        "port   587",
        "tls_certcheck on",  # in place of `off`
        "user alice",
        "tls on",
        "tls_starttls on",
        "auth on",
        "from alice@example.org",
    ]
    assert b"hunter2" not in text and b"kept-because-it-is-not-ours" in text
    assert any("removed `password` (line 14)" in n for n in map(str, notes))
    assert text.count(b"account default") == 1
    assert merged(text) == text


def test_a_default_from_commands_before_any_account_counts() -> None:
    # msmtp 1.2 compatibility: commands before any account form the account "default"
    assert b"account default" not in merged(b"host legacy.example\nport 25\n")


def test_a_password_in_defaults_is_named_because_it_would_beat_the_keyring() -> None:
    _, notes = msmtp.merge(Path("rc"), b"defaults\npasswordeval pass mail\n", settings_for())
    assert any("line 2" in n and "passwordeval" in n for n in map(str, notes))


def test_crlf_files_keep_crlf_and_a_last_line_without_newline_is_kept() -> None:
    text = merged(b"account a\r\nhost a\r\n")
    assert text.startswith(b"account a\r\nhost a\r\n\r\n")
    assert all(line.endswith(b"\r") for line in text.split(b"\n")[:-1])
    assert merged(b"# no newline at end").startswith(b"# no newline at end\n\n")


@pytest.mark.parametrize(
    ("text", "line", "why"),
    [
        (b"account a\nhost a\naccount a\n", 3, "account a was already defined"),
        (b"# x\naccount\n", 2, "missing account name"),
        (b"account b : nosuch\n", 1, "nosuch is not (yet) defined"),
        (b"defaults now\n", 1, "defaults takes no argument"),
        (b"host " + b"x" * 600 + b"\n", 1, "longer than 500"),
    ],
)
def test_a_file_msmtp_would_refuse_is_left_alone_naming_the_line(
    tmp_path: Path, text: bytes, line: int, why: str
) -> None:
    rc = tmp_path / ".msmtprc"
    rc.write_bytes(text)
    with pytest.raises(ConfigParseError, match=re.escape(why)) as caught:
        msmtp.plan(settings_for(), config=rc)
    assert caught.value.line_number == line and caught.value.path == rc
    assert f"line {line}" in str(caught.value)
    assert rc.read_bytes() == text


def test_where_the_config_is(tmp_path: Path) -> None:
    assert msmtp.config_path(home=tmp_path) == tmp_path / ".msmtprc"
    xdg = tmp_path / ".config" / "msmtp" / "config"
    xdg.parent.mkdir(parents=True)
    xdg.write_text("# xdg\n")
    assert msmtp.config_path(home=tmp_path) == xdg
    (tmp_path / ".msmtprc").write_text("# home\n")
    assert msmtp.config_path(home=tmp_path) == tmp_path / ".msmtprc"
    assert msmtp.config_path(home=tmp_path, config=tmp_path / "x") == tmp_path / "x"


def test_native_windows_msmtp_reads_msmtprc_txt(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr("sys.platform", "win32")
    monkeypatch.delenv("HOME", raising=False)
    monkeypatch.setenv("APPDATA", str(tmp_path / "AppData"))
    assert msmtp.config_path() == tmp_path / "AppData" / "msmtprc.txt"


def test_plan_creates_0600_and_a_second_plan_changes_nothing(tmp_path: Path) -> None:
    plan = msmtp.plan(settings_for(), home=tmp_path)
    assert plan.changes[0].mode == 0o600 and plan.changed
    apply(plan, data=tmp_path / "data")
    rc = tmp_path / ".msmtprc"
    assert rc.stat().st_mode & 0o777 == 0o600
    assert not msmtp.plan(settings_for(), home=tmp_path).changed


# -- property tests ----------------------------------------------------------------------------

LINE = st.one_of(
    st.sampled_from(
        [
            "",
            "# comment",
            "  # indented comment",
            "defaults",
            "logfile ~/.msmtp.log",
            "host other.example",
            "\tport 25",
            "password secret",
            "tls off",
            "account default : a1",
        ]
    ),
    st.builds("account a{}".format, st.integers(0, 5)),
    st.text(st.characters(blacklist_characters="\n", blacklist_categories=("Cs",)), max_size=30),
).map(lambda s: s.encode())
RAW = st.binary(max_size=30).filter(lambda b: b"\n" not in b)


def parses(data: bytes) -> bool:
    try:
        msmtp.parse(Path("rc"), data.decode("utf-8", "surrogateescape"))
    except ConfigParseError:
        return False
    return True


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(
    st.lists(st.one_of(LINE, RAW), max_size=25),
    st.sampled_from([b"\n", b"\r\n"]),
    st.booleans(),
)
def test_merging_keeps_every_unrelated_line_and_is_idempotent(
    lines: list[bytes], nl: bytes, final_newline: bool
) -> None:
    old = nl.join(lines) + (nl if final_newline and lines else b"")
    assume(parses(old) and f"account {HOST}".encode() not in old)
    new = merged(old)
    assert new.startswith(old)  # every old byte, in place; ours only appended
    if old and not old.endswith(b"\n"):
        assert new[len(old) : len(old) + 1] in (b"\r", b"\n")  # after a line ending
    assert merged(new) == new


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(
    st.lists(st.one_of(LINE, RAW), max_size=10),
    st.lists(
        st.one_of(
            st.sampled_from([b"host x", b"port 25", b"tls off", b"auth login", b"user bob"]),
            st.sampled_from([b"password pw", b"# ours", b"", b"keepbcc on", b"logfile -"]),
        ),
        max_size=10,
    ),
    st.lists(st.one_of(LINE, RAW), max_size=10),
)
def test_updating_our_account_keeps_everything_around_it(
    before: list[bytes], ours: list[bytes], after: list[bytes]
) -> None:
    head = b"".join(line + b"\n" for line in before)
    body = b"".join(line + b"\n" for line in [f"account {HOST}".encode(), *ours])
    tail = b"".join(line + b"\n" for line in [b"account zz", *after])
    old = head + body + tail
    assume(parses(old))
    new = merged(old)
    assert new.startswith(head + f"account {HOST}\n".encode())
    assert tail in new  # everything after our block, byte for byte
    # Our block keeps its unmanaged lines, loses password lines, gains the managed ones.
    for unmanaged in (b"keepbcc on", b"logfile -", b"# ours"):
        assert new.count(unmanaged + b"\n") >= old.count(unmanaged + b"\n")
    assert b"password" not in new[len(head) : new.rindex(tail)]
    assert merged(new) == new
