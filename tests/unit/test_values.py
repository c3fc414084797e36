"""The one check of hosts, ports, users, addresses and paths (app/core/values.py), and that every
way in uses it: a bad value is exit 2 with its role named, before anything connects or writes,
and never a traceback."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from servers import Pki
from unchecked import unchecked_relay

from app import exitcodes
from app.core import values
from app.core.clients import alpine, msmtp, prefsjs
from app.core.clients.base import ClientError, ClientSettings
from app.core.org.profiles import InvalidEmail, ProfileError, loads_profile
from app.core.results import PortSpec, TlsMode
from app.core.settings import RelaySetting

ROOT = Path(__file__).resolve().parents[2]

# Each refused host, and the reason the message gives.
BAD_HOSTS = [
    ("localhost/novalidate-cert", "'/' is not allowed"),  # an Alpine switch
    ("localhost:13000}", "':' is not allowed"),  # another port, the end of Alpine's {...}
    ("loc,alhost", "',' is not allowed"),  # two servers in Alpine's list
    ("mail example.org", "' ' is not allowed"),
    ("mail.example.org\npasswordeval x", "control character U+000A"),
    ("al\x85ice.example", "control character U+0085"),
    ("", "is empty"),
    ("   ", "is empty"),
    ("x" * 300, "longer than 253"),
    (".".join(["a" * 63] * 4), "longer than 253"),  # 255 characters once joined
    ("a" * 64 + ".example", "not a valid host name"),
    ("xn--ü.example", "not a valid host name"),
    ("xn--abc.example", "not a valid host name"),  # not valid punycode
    ("a..b", "not a valid host name"),
    ("-a.example", "not a valid host name"),
    ("ex_ample.org", "not allowed"),
    ("1.2.3", "neither an IP address nor a host name"),
    ("fe80::1%eth0", "zone"),
]


@pytest.mark.parametrize(("text", "why"), BAD_HOSTS)
def test_a_bad_host_is_refused_with_the_reason(text: str, why: str) -> None:
    with pytest.raises(values.InvalidValue, match="^relay host .*" + re.escape(why)):
        values.host(text, "relay host")


@pytest.mark.parametrize(
    ("text", "normal"),
    [
        ("mail.example.org", "mail.example.org"),
        ("Mail.Example.ORG.", "mail.example.org"),
        (" localhost ", "localhost"),
        ("Bücher.example", "xn--bcher-kva.example"),
        ("xn--bcher-kva.example", "xn--bcher-kva.example"),
        ("127.0.0.1", "127.0.0.1"),
        ("[::1]", "::1"),
        (".".join(["a" * 63] * 3) + "." + "b" * 61, ".".join(["a" * 63] * 3) + "." + "b" * 61),
    ],
)
def test_a_good_host_comes_back_in_its_ascii_form(text: str, normal: str) -> None:
    assert values.host(text) == normal


@pytest.mark.parametrize("text", ["١٠٥٨٧", "+587", " 587", "5_87", "0", "65536", "", "587.0", "²"])
def test_a_port_is_ascii_digits_from_1_to_65535(text: str) -> None:
    with pytest.raises(values.InvalidValue, match=r"^port "):
        values.port(text)
    with pytest.raises(ValueError):
        PortSpec.parse(text)


def test_good_ports() -> None:
    assert [values.port(p) for p in ("1", "587", "65535", 465)] == [1, 587, 65535, 465]
    assert PortSpec.parse("2465/implicit") == PortSpec(2465, implicit=True)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("", "is empty"),
        ("al\x85ice", "U+0085"),
        ("al\udc85ice", "U+DC85"),  # a byte that is not UTF-8, from argv
        ("alice\npasswordeval cat /etc/shadow", "U+000A"),
        ("alice\u2028x", "U+2028"),
        ("a\x7f", "U+007F"),
        (" alice", "blank"),
        ("u" * 256, "longer than 255"),
    ],
)
def test_a_bad_user_is_refused(text: str, why: str) -> None:
    with pytest.raises(values.InvalidValue, match="^user .*" + re.escape(why)):
        values.user(text)


@pytest.mark.parametrize(
    "text",
    ["alice", "alice@example.org", "DOMAIN\\alice", "a/b:c", "ålice", "u" * 255],
)
def test_good_users(text: str) -> None:
    assert values.user(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "Jo <jo@example.org>",
        "jo@example.org,eve@example.org",
        "jo@",
        "@example.org",
        "jo",
        "jo@1.2.3.4",
        "jo@exa mple.org",
        "j\no@example.org",
        "jo@loc/novalidate-cert",
        "j" * 250 + "@example.org",
    ],
)
def test_a_bad_address_is_refused(text: str) -> None:
    with pytest.raises(values.InvalidValue, match=r"^from "):
        values.address(text, "from")


def test_an_address_domain_is_idna_encoded() -> None:
    assert values.address("jo@Bücher.Example") == "jo@xn--bcher-kva.example"


def test_a_path_is_one_line() -> None:
    assert values.path("/tmp/d d/ca.pem") == "/tmp/d d/ca.pem"
    with pytest.raises(values.InvalidValue, match=r"U\+000A"):
        values.path("/tmp/d\npasswordeval echo injected")


# -- the last gate and the writers' own checks -------------------------------------------------


def test_a_relay_setting_is_the_last_gate() -> None:
    ok = RelaySetting("Mail.Example.org", 587, TlsMode.STARTTLS, "alice")
    assert ok.host == "mail.example.org"
    for bad in (
        {"host": "localhost/novalidate-cert"},
        {"port": 0},
        {"user": ""},
        {"mail_from": "a@b@c"},
        {"ca_file": "/tmp/x\ny"},
    ):
        fields = {"host": "mail.example.org", "port": 587, "user": "alice"} | bad
        with pytest.raises(values.InvalidValue):
            RelaySetting(tls=TlsMode.STARTTLS, **fields)  # type: ignore[arg-type]


@pytest.mark.parametrize("host", ["localhost/novalidate-cert", "localhost:13000}", "loc,alhost"])
def test_alpine_refuses_a_host_its_format_would_read_as_switches(host: str) -> None:
    with pytest.raises(ClientError, match="cannot go into Alpine's smtp-server"):
        alpine.smtp_entry(unchecked_relay(host=host))


@pytest.mark.parametrize(
    ("user", "written"),
    [
        ("alice", "mail.example.org:587/tls/user=alice"),
        ("DOM/alice", 'mail.example.org:587/tls/user="DOM/alice"'),
        ("a:b", 'mail.example.org:587/tls/user="a:b"'),
        ("a=b c", 'mail.example.org:587/tls/user="a=b c"'),
    ],
)
def test_alpine_quotes_a_user_with_separators(user: str, written: str) -> None:
    assert alpine.smtp_entry(RelaySetting("mail.example.org", 587, TlsMode.STARTTLS, user)) == (
        written
    )


@pytest.mark.parametrize("user", ['a"b', "a\\b", "a,b", "a}b", "a{b", "al\x85ice"])
def test_alpine_refuses_a_user_it_cannot_quote(user: str) -> None:
    with pytest.raises(ClientError, match="cannot go in pinerc"):
        alpine.smtp_entry(unchecked_relay(user=user))


def test_prefs_js_escapes_every_line_breaker() -> None:
    literal = prefsjs.escape('a\nb\rc\x85d\u2028e"f\\g')
    assert "\n" not in literal and "\x85" not in literal and "\u2028" not in literal
    assert prefsjs.unescape(literal) == 'a\nb\rc\x85d\u2028e"f\\g'
    with pytest.raises(ValueError, match="U\\+DC85"):
        prefsjs.escape("al\udc85ice")


def test_msmtp_refuses_a_control_character_in_any_value(tmp_path: Path) -> None:
    settings = ClientSettings(
        unchecked_relay(), "mail.example.org", Path("/tmp/d\npasswordeval echo injected/ca.pem")
    )
    with pytest.raises(ClientError, match="tls_trust_file cannot hold the control character"):
        msmtp.merge(tmp_path / "rc", None, settings)
    with pytest.raises(ClientError, match="path holds a control character"):
        ClientSettings.for_relay(
            unchecked_relay(), Path("/tmp/d\npasswordeval echo injected/ca.pem")
        )


def _msmtp_accepts(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["msmtp", "-C", str(path), "--pretend", "-a", "mail.example.org", "x@example.org"],
        capture_output=True,
        text=True,
        timeout=20,
        stdin=subprocess.DEVNULL,
    )


@pytest.mark.skipif(not any(
    os.access(os.path.join(d, "msmtp"), os.X_OK) for d in os.environ["PATH"].split(os.pathsep)
), reason="needs msmtp")  # fmt: skip
def test_no_line_msmtp_would_refuse_is_ever_written(tmp_path: Path) -> None:
    """msmtp refuses a whole file for one line of 500 bytes or more (checked with the real
    program), which breaks the user's other accounts too."""
    rc = tmp_path / "rc"
    longest = RelaySetting("mail.example.org", 587, TlsMode.STARTTLS, "u" * values.MAX_USER)
    rc.write_bytes(msmtp.merge(rc, None, ClientSettings.for_relay(longest))[0])
    rc.chmod(0o600)
    assert _msmtp_accepts(rc).returncode == 0, _msmtp_accepts(rc).stderr
    # a long host and a long user together would make the comment line too long: refused
    host = ".".join(["h" * 60] * 4)
    both = RelaySetting(host, 587, TlsMode.STARTTLS, "u" * values.MAX_USER)
    with pytest.raises(ClientError, match=f"at most {msmtp.MAX_LINE} bytes"):
        msmtp.merge(rc, None, ClientSettings.for_relay(both))
    # msmtp's own limit, as our parser knows it: 499 bytes pass, 500 do not
    for length, ok in ((499, True), (500, False)):
        rc.write_text(f"account a\nhost {'h' * (length - 5)}\n")
        assert ("line longer than 500" not in _msmtp_accepts(rc).stderr) is ok
        if ok:
            msmtp.parse(rc, rc.read_text())
        else:
            with pytest.raises(ClientError, match="longer than 500"):
                msmtp.parse(rc, rc.read_text())


# -- profiles and autoconfig --------------------------------------------------------------------


@pytest.mark.parametrize(
    "host", ["localhost/novalidate-cert", "loc,alhost", "xn--ü.example", "x" * 300, "10.0.0.1"]
)
def test_a_profile_host_is_checked_the_same_way(host: str) -> None:
    text = f'[organisation]\nname = "O"\n[relay]\nhost = "{host}"\nports = ["465/implicit"]\n'
    with pytest.raises(ProfileError, match=r"^p.toml: relay.host: "):
        loads_profile(text, "p.toml")


def test_an_autoconfig_host_is_checked_the_same_way() -> None:
    from app.core.org.autoconfig import imports_autoconfig

    xml = b"""<clientConfig version="1.1"><emailProvider id="example.org">
      <outgoingServer type="smtp"><hostname>mail.example.org/novalidate-cert</hostname>
      <port>465</port><socketType>SSL</socketType>
      <authentication>password-cleartext</authentication></outgoingServer>
    </emailProvider></clientConfig>"""
    with pytest.raises(ProfileError, match=r"relay.host: .*'/' is not allowed"):
        imports_autoconfig(xml, "config-v1.1.xml")


def test_what_a_profile_rule_makes_of_an_address_is_checked() -> None:
    text = (
        '[organisation]\nname = "O"\n[relay]\nhost = "mail.example.org"\n'
        'ports = ["465/implicit"]\n[identity]\nusername = "%EMAILLOCALPART%"\n'
    )
    profile = loads_profile(text, "p.toml")
    assert profile.identity("Ann@Example.org").user == "Ann"
    for bad in ("al\x85ice@example.org", "a,b@example.org", "ann@exa/mple.org"):
        with pytest.raises(InvalidEmail):
            profile.identity(bad)


# -- every command line entry ------------------------------------------------------------------


def relay_setup(
    *args: str | bytes, home: Path, timeout: float = 30
) -> subprocess.CompletedProcess[str]:
    env = os.environ | {
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
    }
    env.pop("PINERC", None)
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        capture_output=True,
        text=True,
        errors="replace",
        timeout=timeout,
        stdin=subprocess.DEVNULL,
        env=env,
        cwd=ROOT,
    )


WRITE = ["write", "--host", "mail.example.org", "--port", "587", "--user", "alice"]
CONNECT = ["--host", "localhost", "--user", "alice", "--password-stdin", "--timeout", "1"]
BAD_ARGUMENTS = [
    # the cases, each on the command it was seen with
    ("write", "alpine", "--host", "localhost/novalidate-cert", "--port", "13004", "--tls",
     "starttls", "--user", "alice", "--from", "alice@relay.test"),
    ("write", "alpine", "--host", "localhost:13000}", "--port", "13004", "--user", "alice"),
    ("write", "alpine", "--host", "loc,alhost", "--port", "13004", "--user", "alice"),
    (*WRITE[:-1], "u" * 440, "msmtp"),
    ("write", "msmtp", "--host", "x" * 300, "--port", "587", "--user", "alice"),
    ("write", "msmtp", "--host", "xn--ü.example", "--port", "587", "--user", "alice"),
    ("write", "msmtp", "--host", "", "--port", "587", "--user", "alice"),
    ("write", "msmtp", "--host", "mail.example.org", "--port", "١٠٥٨٧", "--user", "alice"),
    (*WRITE[:-1], b"al\x85ice", "alpine"),
    (*WRITE[:-1], b"al\x85ice", "thunderbird"),
    (*WRITE[:-1], "al\x85ice", "msmtp"),
    (*WRITE, "--from", "Jo <jo@example.org>", "alpine"),
    (*WRITE, "--config", "/tmp/x\ny", "msmtp"),
    ("probe", "x" * 300),
    ("probe", "xn--ü.example"),
    ("probe", ""),
    ("probe", "localhost", "--port", "١٠٥٨٧"),
    ("login", *CONNECT[:3], "", *CONNECT[4:]),
    ("login", "--host", "", *CONNECT[2:]),
    ("login", *CONNECT, "--port", "+587"),
    ("send-test", *CONNECT, "--to", "a@b@c"),
    ("password", "set", "--host", "", "--user", "", "--password-stdin"),
    ("password", "delete", "--host", "loc,alhost", "--user", "alice"),
]  # fmt: skip


@pytest.mark.parametrize("argv", BAD_ARGUMENTS, ids=lambda a: " ".join(str(x)[:24] for x in a)[:80])
def test_every_entry_refuses_a_bad_value_with_exit_2(
    argv: tuple[str | bytes, ...], tmp_path: Path
) -> None:
    if argv[-1] in ("msmtp", "alpine", "thunderbird") and argv[0] == "write":
        argv = (argv[0], argv[-1], *argv[1:-1])  # the client goes first
    (tmp_path / ".thunderbird").mkdir()
    started = time.monotonic()
    done = relay_setup(*argv, home=tmp_path)
    assert done.returncode == exitcodes.USAGE, done.stderr
    assert "Traceback" not in done.stderr
    assert "error: argument" in done.stderr  # the option is named
    assert time.monotonic() - started < 10  # nothing was waited for
    assert sorted(p.name for p in tmp_path.iterdir()) == [".thunderbird"]  # nothing written


def test_a_data_folder_path_cannot_inject_an_msmtp_line(tmp_path: Path, pki: Pki) -> None:
    """XDG_DATA_HOME with a newline once put `passwordeval` into ~/.msmtprc through
    tls_trust_file (the CA's copy lives in the data folder)."""
    env = os.environ | {
        "HOME": str(tmp_path),
        "XDG_DATA_HOME": str(tmp_path / "d\npasswordeval echo injected"),
    }
    done = subprocess.run(
        [sys.executable, "-m", "app", *WRITE[:1], "msmtp", *WRITE[1:], "--ca", pki.ca_file],
        capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL, env=env, cwd=ROOT,
    )  # fmt: skip
    assert done.returncode == exitcodes.CONFIG, done.stderr
    assert "control character" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / ".msmtprc").exists()


# -- whatever comes in, nothing a format gives meaning to comes out ------------------------------

_HOSTISH = st.text(alphabet=st.sampled_from("aZ09.-_/:,{}[]% \n\x85ü\u2028"), max_size=40)


@given(st.one_of(_HOSTISH, st.text(max_size=300)))
def test_a_host_that_passes_is_plain_ascii_or_an_address(text: str) -> None:
    try:
        host = values.host(text)
    except values.InvalidValue:
        return
    assert re.fullmatch(r"[a-z0-9.-]{1,253}|[0-9a-f:.]+", host), host
    assert values.host(host) == host  # the normal form is stable


@given(st.text(max_size=300))
def test_a_user_that_passes_holds_no_line_breaker(text: str) -> None:
    try:
        user = values.user(text)
    except values.InvalidValue:
        return
    assert values.control_character(user) is None and len(user.splitlines()) == 1
    assert user.encode("utf-8")  # no lone surrogate


@given(st.text(max_size=80))
def test_a_port_that_passes_is_in_range(text: str) -> None:
    try:
        port = values.port(text)
    except values.InvalidValue:
        return
    assert text.isascii() and 0 < port < 65536


@given(st.text(alphabet=st.sampled_from("aBz09-."), min_size=1, max_size=70))
def test_an_ascii_host_reads_as_idna_reads_it(text: str) -> None:
    """The plain-ASCII short cut (no idna import) accepts and returns what IDNA would."""
    import idna

    try:
        expected: str | None = idna.encode(text.removesuffix("."), uts46=True).decode("ascii")
    except (idna.IDNAError, UnicodeError, ValueError):
        expected = None
    try:
        got: str | None = values.host(text)
    except values.InvalidValue:
        got = None
    if got is not None:
        assert got == expected
    elif expected is not None:  # refused for a rule of our own, never one idna would waive
        labels = expected.split(".")
        assert (
            len(expected) > values.MAX_HOST
            or labels[-1].isdigit()
            or not all(re.fullmatch(r"(?!-)[a-z0-9-]{1,63}(?<!-)", label) for label in labels)
        )
