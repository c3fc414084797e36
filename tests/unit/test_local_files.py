"""Files a user or IT names: profiles, autoconfig XML, CA files, Thunderbird's profiles.ini and
the undo journal. Each is read only when it is a regular file and only up to a limit; a bad one
ends with its documented exit status and words, never a traceback, a hang or lost data."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from localinput import (
    CA_WHY,
    CONTENT_KINDS,
    DEMO_PROFILE,
    FILE_KINDS,
    ISOLATED,
    SPECIAL_FILES,
    SPECIAL_WHY,
    Cli,
    assert_nothing_written,
    bad_ca_file,
    one_json_object,
)
from servers import Pki

from app import exitcodes
from app.cli import main
from app.core.cafile import CaFileError, check_ca_pem, read_ca_file
from app.core.localfiles import MIB, LocalFileError, Problem, read_local_file

# -- the one reader -----------------------------------------------------------------------------


@pytest.mark.timeout(20)  # a FIFO opened for reading without O_NONBLOCK would block here
@pytest.mark.parametrize("kind", SPECIAL_FILES)
def test_the_reader_refuses_what_is_not_a_small_regular_file(tmp_path: Path, kind: str) -> None:
    with pytest.raises(LocalFileError) as caught:
        read_local_file(SPECIAL_FILES[kind](tmp_path), MIB)
    assert SPECIAL_WHY[kind] in caught.value.why
    expected = {"missing": Problem.MISSING, "too large": Problem.TOO_LARGE}
    assert caught.value.problem is expected.get(kind, Problem.NOT_REGULAR)


def test_the_reader_reads_a_regular_file_through_a_symlink_up_to_the_limit(tmp_path: Path) -> None:
    target = tmp_path / "target"
    target.write_bytes(b"x" * MIB)
    link = tmp_path / "link"
    link.symlink_to(target)
    assert read_local_file(link, MIB) == b"x" * MIB


@pytest.mark.timeout(20)
@pytest.mark.parametrize("kind", SPECIAL_FILES)
def test_profile_show_refuses_a_special_file_with_status_11(
    tmp_path: Path, home: Path, cli: Cli, kind: str
) -> None:
    path = SPECIAL_FILES[kind](tmp_path)
    code, out, err = cli("profile", "show", str(path), "--json", isolated=kind in ISOLATED)
    assert code == exitcodes.PROFILE, err
    report = one_json_object(out)
    assert report["failure"] == "profile" and SPECIAL_WHY[kind] in str(report["message"])
    assert "Traceback" not in err


@pytest.mark.timeout(20)
@pytest.mark.parametrize("kind", ["device", "fifo", "too large"])
def test_import_autoconfig_refuses_a_special_file_with_status_11(
    tmp_path: Path, home: Path, cli: Cli, kind: str
) -> None:
    path = SPECIAL_FILES[kind](tmp_path)
    code, _, err = cli("profile", "import-autoconfig", str(path), isolated=kind in ISOLATED)
    assert code == exitcodes.PROFILE and SPECIAL_WHY[kind] in err and "Traceback" not in err


# -- profiles and autoconfig ------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    ["[" * 5000 + "]" * 5000, "{a = " * 5000 + "}" * 5000, "[{a = [" * 2000 + "]}]" * 2000],
    ids=["arrays", "inline tables", "mixed"],
)
def test_a_deeply_nested_profile_is_invalid_not_a_crash(
    tmp_path: Path, home: Path, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    path = tmp_path / "deep.toml"
    path.write_text(f"x = {value}\n")
    assert main(["profile", "show", str(path)]) == exitcodes.PROFILE
    assert f"{path}: too deeply nested" in capsys.readouterr().err


AUTOCONFIG = """<clientConfig version="1.1"><emailProvider id="example.org">
<domain>example.org</domain>{servers}</emailProvider></clientConfig>"""
SERVER = """<outgoingServer type="smtp"><hostname>mail.example.org</hostname><port>{port}</port>
<socketType>{socket}</socketType><authentication>password-cleartext</authentication>
</outgoingServer>"""


@pytest.mark.parametrize("port", ["abc", "0", "99999", "-1", "٤٦٥", ""])
def test_an_autoconfig_port_that_is_no_port_is_named(
    tmp_path: Path, home: Path, capsys: pytest.CaptureFixture[str], port: str
) -> None:
    xml = tmp_path / "config-v1.1.xml"
    xml.write_text(AUTOCONFIG.format(servers=SERVER.format(port=port, socket="SSL")))
    assert main(["profile", "import-autoconfig", str(xml)]) == exitcodes.PROFILE
    err = capsys.readouterr().err
    assert "no usable SMTP server" in err and "outgoingServer[0]" in err
    assert (f"port {port!r}" if port else "no hostname or port") in err
    # Beside a good server, the bad one is skipped with the same note.
    servers = SERVER.format(port=port, socket="SSL") + SERVER.format(port=587, socket="STARTTLS")
    xml.write_text(AUTOCONFIG.format(servers=servers))
    assert main(["profile", "import-autoconfig", str(xml)]) == exitcodes.OK
    out, err = capsys.readouterr()
    assert '"587/starttls"' in out and "implicit" not in out
    assert "skipped outgoingServer[0]" in err


# -- one CA check -------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", CONTENT_KINDS)
def test_the_ca_check_names_what_is_wrong_with_the_content(
    tmp_path: Path, pki: Pki, kind: str
) -> None:
    path = bad_ca_file(kind, tmp_path, pki)
    with pytest.raises(CaFileError) as caught:
        read_ca_file(path)
    assert CA_WHY[kind] in caught.value.why and str(path) in str(caught.value)
    with pytest.raises(CaFileError):
        check_ca_pem(path.read_bytes())  # the same check for inline PEM (a profile's ca_pem)


def test_the_ca_check_takes_a_bundle_with_explanatory_text(tmp_path: Path, pki: Pki) -> None:
    other = Pki(type(pki.ca)(), tmp_path)
    bundle = b"Subject: Test Org CA\n" + pki.ca.cert_pem.bytes() + other.ca.cert_pem.bytes()
    path = tmp_path / "bundle.pem"
    path.write_bytes(bundle)
    assert read_ca_file(path) == bundle


@pytest.mark.timeout(20)
@pytest.mark.parametrize("kind", [*FILE_KINDS, *CONTENT_KINDS])
@pytest.mark.parametrize("client", ["msmtp", "alpine", "thunderbird"])
def test_write_refuses_a_bad_ca_with_status_2_and_writes_nothing(
    tmp_path: Path, home: Path, pki: Pki, cli: Cli, kind: str, client: str
) -> None:
    """msmtp would fail on an empty trust file; Alpine would get the CA appended to
    ~/.alpine-certs/certs.pem (0644), a private key with it; Thunderbird would import it."""
    ca = bad_ca_file(kind, tmp_path, pki)
    args = ("--host", "mail.example.org", "--port", "465", "--user", "ann", "--ca", str(ca))
    code, out, err = cli("write", client, *args, isolated=kind in ISOLATED)
    assert code == exitcodes.USAGE, out + err
    assert CA_WHY[kind] in err and "Traceback" not in err
    assert_nothing_written(home)


@pytest.mark.timeout(20)
@pytest.mark.parametrize("kind", [*FILE_KINDS, *CONTENT_KINDS])
def test_a_profile_naming_a_bad_ca_file_is_invalid(
    tmp_path: Path, home: Path, pki: Pki, cli: Cli, kind: str
) -> None:
    ca = bad_ca_file(kind, tmp_path, pki)
    profile = tmp_path / "org.toml"
    text = DEMO_PROFILE.read_text().replace("[identity]", f"ca_file = '{ca}'\n\n[identity]")
    profile.write_text(text)
    code, out, err = cli("profile", "show", str(profile), "--json", isolated=kind in ISOLATED)
    assert code == exitcodes.PROFILE, out + err
    message = str(one_json_object(out)["message"])
    assert f"{profile}: relay.ca_file:" in message and CA_WHY[kind] in message


# -- Thunderbird's profiles.ini and the undo journal --------------------------------------------


@pytest.mark.timeout(20)
@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b"garbage\n", "line 1: a line before any [section] header"),
        (b"\xff\xfe[Profile0]\n", "not UTF-8"),
        (b"[Profile0]\nPath\n", "line 2: not an INI line"),
        (None, "is a FIFO"),
    ],
    ids=["no section header", "not UTF-8", "no key=value", "fifo"],
)
def test_a_broken_profiles_ini_exits_10_naming_it(
    home: Path, cli: Cli, content: bytes | None, why: str
) -> None:
    root = home / ".thunderbird"
    root.mkdir()
    ini = root / "profiles.ini"
    if content is None:
        os.mkfifo(ini)
    else:
        ini.write_bytes(content)
    args = ("--host", "mail.example.org", "--port", "465", "--user", "ann")
    code, out, err = cli("write", "thunderbird", *args)
    assert code == exitcodes.CONFIG, out + err
    assert f"{ini}" in err and why in err and "Traceback" not in err
    if content is not None:
        assert ini.read_bytes() == content


@pytest.mark.parametrize(
    "journal",
    [
        b'{"sessions":[1]}',
        b'{"sessions":{}}',
        b"[]",
        b'{"sessions":[{"id":"x","client":"msmtp","time":"t","files":[1],"actions":[]}]}',
        b'{"sessions":[{"id":"x","client":"msmtp","time":"t","files":[],"actions":[{}]}]}',
        b"not json",
        b"[" * 100_000,
        b"\xff",
    ],
    ids=[
        "int session",
        "sessions dict",
        "list",
        "int file",
        "empty action",
        "text",
        "deep",
        "bytes",
    ],
)
def test_a_damaged_journal_exits_10_and_is_kept(home: Path, cli: Cli, journal: bytes) -> None:
    data = home / ".local/share/relay-setup"
    data.mkdir(parents=True)
    (data / "journal.json").write_bytes(journal)
    mine = b"account other\nhost other.example\n"
    (home / ".msmtprc").write_bytes(mine)  # an existing file: a backup would be made first
    write = ("write", "msmtp", "--host", "mail.example.org", "--port", "465", "--user", "ann")
    for argv in (("undo",), ("undo", "--list"), write):
        code, out, err = cli(*argv)
        assert code == exitcodes.CONFIG, (argv, out, err)
        assert "undo journal" in err and "damaged" in err and "Traceback" not in err
    assert (data / "journal.json").read_bytes() == journal  # never overwritten
    assert (home / ".msmtprc").read_bytes() == mine  # nothing written that undo could not undo
    assert not (data / "backups").exists()  # nor a backup left behind for it
