"""`relay-setup write` and `relay-setup undo` end to end, on files under tmp_path."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from servers import Pki

from app import exitcodes
from app.cli import main

ARGS = ["--host", "mail.example.org", "--port", "587", "--user", "alice", "--from", "a@example.org"]


@pytest.fixture(autouse=True)
def private_dirs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """The data folder and HOME under tmp_path: the real ~ is never touched."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    return tmp_path / "xdg-data" / "relay-setup"


def write(rc: Path, *extra: str) -> int:
    return main(["write", "msmtp", "--config", str(rc), *ARGS, *extra])


def test_dry_run_prints_the_diff_and_writes_nothing(
    tmp_path: Path, private_dirs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rc = tmp_path / "msmtprc"
    assert write(rc, "--dry-run") == exitcodes.OK
    out = capsys.readouterr().out
    assert f"--- /dev/null\n+++ {rc}\n" in out
    assert "+account mail.example.org\n" in out and "+port 587\n" in out
    assert "dry run: nothing was written" in out
    assert not rc.exists() and not private_dirs.exists()


def test_write_then_again_changes_nothing_then_undo(
    tmp_path: Path, private_dirs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rc = tmp_path / "msmtprc"
    rc.write_bytes(b"# mine\naccount other\nhost other.example\n")
    rc.chmod(0o640)
    assert write(rc) == exitcodes.OK
    out = capsys.readouterr().out
    assert out.startswith("msmtp") and f": {rc}\n" in out.splitlines(keepends=True)[0]
    assert f"wrote {rc} (backup: {private_dirs}/backups/" in out
    assert "OS keyring" in out and "relay-setup undo" in out
    written = rc.read_bytes()
    assert written.startswith(b"# mine\naccount other\nhost other.example\n\n")
    assert rc.stat().st_mode & 0o777 == 0o640

    assert write(rc) == exitcodes.OK
    assert "already up to date; nothing written" in capsys.readouterr().out
    assert rc.read_bytes() == written

    assert main(["undo", "--list"]) == exitcodes.OK
    (listed,) = capsys.readouterr().out.splitlines()
    assert " msmtp " in listed
    assert main(["undo"]) == exitcodes.OK
    assert f"restore {rc}" in capsys.readouterr().out
    assert rc.read_bytes() == b"# mine\naccount other\nhost other.example\n"
    assert main(["undo"]) == exitcodes.CONFIG
    assert "nothing to undo" in capsys.readouterr().err


def test_a_private_ca_is_referenced_from_the_data_folder(
    tmp_path: Path, private_dirs: Path, pki: Pki
) -> None:
    rc = tmp_path / "msmtprc"
    assert write(rc, "--ca", pki.ca_file) == exitcodes.OK
    (copy,) = (private_dirs / "ca").iterdir()
    assert copy.read_bytes() == Path(pki.ca_file).read_bytes()
    assert f"tls_trust_file {copy}\n".encode() in rc.read_bytes()
    assert pki.ca_file.encode() not in rc.read_bytes()


def test_a_fingerprint_is_normalised_and_pinned(tmp_path: Path) -> None:
    rc = tmp_path / "msmtprc"
    assert write(rc, "--fingerprint", "ab" * 32, "--port", "465") == exitcodes.OK
    text = rc.read_bytes()
    assert f"tls_fingerprint {':'.join(['AB'] * 32)}\n".encode() in text
    assert b"tls_starttls off\n" in text and b"port 465\n" in text  # 465: implicit TLS


def test_bad_input_is_refused_before_anything_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rc = tmp_path / "msmtprc"
    junk = tmp_path / "junk.pem"
    junk.write_text("junk\n")
    assert write(rc, "--ca", str(junk)) == exitcodes.USAGE
    assert "not a PEM certificate" in capsys.readouterr().err
    with pytest.raises(SystemExit) as usage:
        write(rc, "--ca", str(junk), "--fingerprint", "ab" * 32)
    assert usage.value.code == exitcodes.USAGE
    with pytest.raises(SystemExit):
        main(
            ["write", "msmtp", "--config", str(rc), "--host", "h", "--port", "99999", "--user", "u"]
        )
    assert not rc.exists()


def test_an_unparsable_file_is_left_untouched_with_its_line_named(
    tmp_path: Path, private_dirs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rc = tmp_path / "msmtprc"
    broken = b"account a\nhost a\n\naccount a\n"
    rc.write_bytes(broken)
    assert write(rc) == exitcodes.CONFIG
    assert f"{rc}, line 4: account a was already defined" in capsys.readouterr().err
    assert rc.read_bytes() == broken and not (private_dirs / "backups").exists()


def test_the_default_path_is_under_home(tmp_path: Path) -> None:
    assert main(["write", "msmtp", *ARGS]) == exitcodes.OK
    rc = tmp_path / "home" / ".msmtprc"
    assert rc.stat().st_mode & 0o777 == 0o600
    assert main(["undo", "msmtp"]) == exitcodes.OK
    assert not rc.exists()


def test_the_installed_command_lists_write_and_undo() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "app", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert done.returncode == 0 and "write" in done.stdout and "undo" in done.stdout


def test_a_dry_run_with_a_ca_shows_alpines_bundle_and_copies_nothing(
    tmp_path: Path, private_dirs: Path, pki: Pki, capsys: pytest.CaptureFixture[str]
) -> None:
    # The dry run never copies the CA into the data folder: Alpine's plan must not need the copy.
    ca = pki.ca_file
    pinerc = tmp_path / "pinerc"
    argv = ["write", "alpine", "--config", str(pinerc), *ARGS, "--ca", ca, "--dry-run"]
    assert main(argv) == exitcodes.OK
    out = capsys.readouterr().out
    assert "+++ " + str(tmp_path / "home" / ".alpine-certs" / "certs.pem") in out
    assert "+-----BEGIN CERTIFICATE-----" in out
    assert not pinerc.exists() and not private_dirs.exists()
    assert not (tmp_path / "home" / ".alpine-certs").exists()
