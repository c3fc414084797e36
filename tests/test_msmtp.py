"""msmtp: rendering, merging into existing files (property tests), refusals, and the real
/usr/bin/msmtp sending through a local TLS relay with the password from the real keyring."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import ssl
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from servers import Pki, self_signed_context, smtp_server

from app.core.appdirs import install_ca
from app.core.clients import msmtp
from app.core.clients.base import ClientError, ClientSettings, ConfigParseError
from app.core.clients.safewrite import apply
from app.core.results import TlsMode
from app.core.secrets import KeyringUnavailable, SecretStore, open_store
from app.core.settings import Password, RelaySetting
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

EXISTING = b"""# my mail
defaults
logfile ~/.msmtp.log

account work
host   smtp.work.example
port   587
password kept-because-it-is-not-ours

account mail.example.org
host   old.example.org
port   25
tls_certcheck off
password hunter2
user alice
# about the next account

account default : work
"""


def test_our_existing_account_is_updated_in_place_and_nothing_else_moves() -> None:
    text, notes = msmtp.merge(Path("rc"), EXISTING, settings_for())
    lines = text.decode().splitlines()
    assert lines[:9] == EXISTING.decode().splitlines()[:9]  # up to our account, untouched
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
    assert any("removed `password` (line 14)" in n for n in notes)
    assert text.count(b"account default") == 1
    assert merged(text) == text


def test_a_default_from_commands_before_any_account_counts() -> None:
    # msmtp 1.2 compatibility: commands before any account form the account "default"
    assert b"account default" not in merged(b"host legacy.example\nport 25\n")


def test_a_password_in_defaults_is_named_because_it_would_beat_the_keyring() -> None:
    _, notes = msmtp.merge(Path("rc"), b"defaults\npasswordeval pass mail\n", settings_for())
    assert any("line 2" in n and "passwordeval" in n for n in notes)


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


# -- the real msmtp, the real keyring ---------------------------------------------------------


@pytest.fixture
def store() -> Iterator[SecretStore]:
    """Relay Setup's own keyring store (on Linux: a Secret Service item with the attributes
    msmtp's libsecret lookup searches)."""
    if shutil.which("msmtp") is None:
        pytest.skip("needs msmtp (Debian: msmtp)")
    if not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        pytest.skip("needs a D-Bus session with gnome-keyring: run through tests/run.sh")
    try:
        keyring = open_store()
        keyring.set("localhost", USER, Password("pw-one"))
    except KeyringUnavailable as exc:
        pytest.skip(f"no usable Secret Service: {exc}")
    yield keyring
    keyring.delete("localhost", USER)


def send(rc: Path, home: Path, subject: str) -> subprocess.CompletedProcess[str]:
    message = f"To: bob@example.net\nSubject: {subject}\n\nhello from msmtp\n"
    env = {**os.environ, "HOME": str(home), "LC_ALL": "C"}
    return subprocess.run(
        ["msmtp", "-C", str(rc), "-t"],
        input=message,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


@pytest.mark.clients
@pytest.mark.keyring
@pytest.mark.parametrize("mode", ["starttls", "implicit", "pinned"])
def test_real_msmtp_sends_with_the_written_config_and_the_keyring_password(
    pki: Pki, tmp_path: Path, store: SecretStore, mode: str
) -> None:
    users = {USER: "pw-one"}
    ca: Path | None = None
    pin: str | None = None
    if mode == "pinned":  # a self-signed certificate, accepted by its SHA-256 fingerprint
        context = self_signed_context(tmp_path, "localhost")
        der = ssl.PEM_cert_to_DER_cert((tmp_path / "self.pem").read_text())
        pin = ":".join(f"{b:02X}" for b in hashlib.sha256(der).digest())
    else:
        context = pki.server_context("localhost")
        ca = install_ca(Path(pki.ca_file), tmp_path / "data")
    tls = TlsMode.IMPLICIT if mode == "implicit" else TlsMode.STARTTLS
    with smtp_server(tls.value, context, users=users) as server:
        relay = RelaySetting("localhost", server.port, tls, USER, USER, pin_sha256=pin)
        rc = tmp_path / "msmtprc"
        apply(msmtp.plan(ClientSettings.for_relay(relay, ca), config=rc), data=tmp_path / "data")
        assert b"pw-one" not in rc.read_bytes()

        first = send(rc, tmp_path, "first")
        assert first.returncode == 0, first.stderr
        assert server.handler.messages[-1][0] == USER
        assert b"Subject: first" in server.handler.messages[-1][2]

        # The password changes at the relay: msmtp fails until Relay Setup stores the new one.
        users[USER] = "pw-two"
        refused = send(rc, tmp_path, "refused")
        assert refused.returncode != 0 and len(server.handler.messages) == 1
        store.set("localhost", USER, Password("pw-two"))
        second = send(rc, tmp_path, "second")
        assert second.returncode == 0, second.stderr
        assert b"Subject: second" in server.handler.messages[-1][2]
        assert not any(p.name.startswith(".") for p in tmp_path.iterdir())  # HOME untouched
        if pin:
            assert f"tls_fingerprint {pin}".encode() in rc.read_bytes()


@pytest.mark.clients
def test_real_msmtp_reads_the_merged_file_as_we_meant_it(tmp_path: Path) -> None:
    if shutil.which("msmtp") is None:
        pytest.skip("needs msmtp (Debian: msmtp)")
    rc = tmp_path / "msmtprc"
    rc.write_bytes(EXISTING)
    rc.chmod(0o600)  # msmtp insists when a file holds a password (the `work` account's)
    ca = tmp_path / "Application Support" / "ca.pem"  # a space, as on macOS
    apply(msmtp.plan(settings_for(TlsMode.IMPLICIT, 465, ca=ca), config=rc), data=tmp_path / "d")
    done = subprocess.run(
        ["msmtp", "-C", str(rc), "--pretend", "-a", HOST],
        capture_output=True,
        text=True,
        timeout=30,
        env={**os.environ, "HOME": str(tmp_path), "LC_ALL": "C"},
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, done.stderr
    shown = dict(line.split(" = ", 1) for line in done.stdout.splitlines() if " = " in line)
    assert shown["host"] == HOST and shown["port"] == "465"
    assert (shown["tls"], shown["tls_starttls"], shown["tls_certcheck"]) == ("on", "off", "on")
    assert shown["tls_trust_file"] == str(ca)
    assert shown["user"] == "alice" and shown["from"] == "alice@example.org"
    assert shown["password"] == "(not set)" and shown["passwordeval"] == "(not set)"
