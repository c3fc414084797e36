"""Secret-bearing lines of the user's files are masked wherever their text is shown (diffs,
parse errors, reprs), and kept byte for byte in what is written."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from app import exitcodes
from app.cli import main
from app.core.clients import msmtp, pinerc, prefsjs
from app.core.clients.base import FileChange, Plan
from app.core.clients.masking import MASK, mask_line, mask_text
from app.core.clients.safewrite import ApplyResult, apply

SECRET = "s3cr3t-Value"


@pytest.mark.parametrize(
    ("line", "shown"),
    [
        # msmtp
        (f"password {SECRET}\n", f"password {MASK}\n"),
        (f'  password\t"{SECRET} with spaces"', f"  password\t{MASK}"),
        # Thunderbird prefs.js (a line cut short, as a parse error quotes it, too)
        (
            f'user_pref("mail.smtpserver.smtp1.password", "{SECRET}");\r\n',
            f'user_pref("mail.smtpserver.smtp1.password", {MASK});\r\n',
        ),
        (
            f'user_pref("mail.server.server2.password", "{SECRET}"); // old',
            f'user_pref("mail.server.server2.password", {MASK}); // old',
        ),
        (f'user_pref("x.password", "{SECRET}', f'user_pref("x.password", {MASK}'),
        # Alpine: xoauth2-info holds the OAuth2 client secret (also on a continuation line)
        (
            f'xoauth2-info="Gmail" /Client-ID="123" /Client-Secret="{SECRET}" /Tenant="common",',
            f'xoauth2-info="Gmail" /Client-ID="123" /Client-Secret={MASK} /Tenant="common",',
        ),
        (f'\t"Outlook" /Client-Secret={SECRET}\n', f'\t"Outlook" /Client-Secret={MASK}\n'),
        # other clients' forms: NeoMutt, git config, aerc's URL
        (f'set smtp_pass = "{SECRET}"', f"set smtp_pass = {MASK}"),
        (f"\tsmtpPass = {SECRET}", f"\tsmtpPass = {MASK}"),
        (
            f"outgoing = smtps://bob%40example.org:{SECRET}@mail.example.org:465",
            f"outgoing = smtps://bob%40example.org:{MASK}@mail.example.org:465",
        ),
    ],
)
def test_secret_values_are_masked(line: str, shown: str) -> None:
    assert mask_line(line) == shown
    assert SECRET not in mask_text(f"first\n{line}\nlast\n")


@pytest.mark.parametrize(
    "line",
    [
        # a command, not a secret: the user sees what will run
        "passwordeval secret-tool lookup host mail.example.org service smtp user ann\n",
        "outgoing-cred-cmd = pass show mail/relay",
        "user ann@example.org",
        "smtp-server=mail.example.org:465/ssl/user=ann",
        'user_pref("mail.smtpserver.smtp1.username", "ann");',
        "# the password is asked for on the first send",
        "outgoing = smtps://ann@mail.example.org:465",
    ],
)
def test_lines_without_a_secret_are_shown_as_they_are(line: str) -> None:
    assert mask_line(line) == line


def test_a_diff_masks_secret_lines_and_the_write_keeps_them(tmp_path: Path) -> None:
    rc = tmp_path / ".msmtprc"
    old = f"account other\nhost a.example\npassword {SECRET}\n".encode()
    rc.write_bytes(old)
    new = old + b"\naccount relay\nhost relay.example\n"
    change = FileChange(rc, old, new)
    shown = Plan("msmtp", (change,)).diff()
    assert f" password {MASK}\n" in shown and "+host relay.example\n" in shown
    assert SECRET not in shown
    result = apply(Plan("msmtp", (change,)), data=tmp_path / "data")
    assert rc.read_bytes() == new  # byte for byte, secret line included
    assert result.backups and result.backups[0].read_bytes() == old


def test_reprs_of_results_never_hold_file_contents(tmp_path: Path) -> None:
    old = f"password {SECRET}\n".encode()
    change = FileChange(tmp_path / "f", old, old + b"host x\n")
    result = ApplyResult(Plan("msmtp", (change,)), dry_run=True)
    for text in (repr(change), repr(result), str(result)):
        assert SECRET not in text
    assert change.old_sha256 in repr(change) and f"{len(old)} bytes" in repr(change)
    parsed = msmtp.parse(tmp_path / "rc", f"account a\nhost h\npassword {SECRET}\n")
    prefs = prefsjs.parse(f'user_pref("a.password", "{SECRET}");\n')
    variables = pinerc.parse(f'xoauth2-info="G" /Client-Secret="{SECRET}"\n')
    for value in (parsed, prefs, variables):
        assert SECRET not in repr(value)


@pytest.mark.parametrize(
    ("parse", "text"),
    [
        (prefsjs.parse, f'user_pref("mail.smtpserver.smtp1.password", "{SECRET}"\n'),
        (pinerc.parse, f"password {SECRET}\n"),
    ],
)
def test_a_parse_error_quoting_a_secret_line_masks_it(parse: object, text: str) -> None:
    assert callable(parse)
    with pytest.raises(ValueError) as caught:
        parse(text)
    assert SECRET not in str(caught.value) and MASK in str(caught.value)


@pytest.mark.parametrize(
    ("client", "name", "text"),
    [
        ("alpine", ".pinerc", f"personal-name=Ann\npassword {SECRET}\n"),
        ("thunderbird", "prefs.js", f'user_pref("a", 1);\nuser_pref("b.password", "{SECRET}"\n'),
    ],
)
def test_write_names_a_broken_line_without_its_secret(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    client: str,
    name: str,
    text: str,
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    path = tmp_path / name
    path.write_text(text)
    argv = ["write", client, "--config", str(path), "--host", "mail.example.org"]
    code = main([*argv, "--port", "465", "--user", "ann", "--from", "ann@example.org"])
    out, err = capsys.readouterr()
    assert code == exitcodes.CONFIG, out + err
    assert "line 2" in err and MASK in err
    assert SECRET not in out + err
    assert path.read_text() == text


LONG = 100_000


@pytest.mark.parametrize(
    "line",
    [
        "a" * LONG,
        "pass" * (LONG // 4),
        "/password=" * (LONG // 10),
        "a=" * (LONG // 2),
        "a" * LONG + "://",
        "smtp://" + "a:" * (LONG // 2),
        "password a" + " " * LONG + "b",
        'user_pref("' + "password" * (LONG // 8) + '", ' + '"x' * (LONG // 4),
    ],
    ids=["letters", "pass", "inline", "a=", "scheme", "userinfo", "spaces", "pref"],
)
def test_a_very_long_line_is_masked_in_linear_time(line: str) -> None:
    """A user's file may hold any line: a pattern that backtracks over it took minutes."""
    started = time.perf_counter()
    mask_line(line)
    assert time.perf_counter() - started < 1.0
