"""git send-email: the sendemail settings written with git config itself (hostile values read
back by git as data), what is removed (smtpPass, an empty smtpSSLCertPath), a file git refuses,
and `relay-setup credential` answering git for the relay's URL only, from the real keyring."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from unchecked import unchecked_relay

import app
from app import exitcodes
from app.core.clients import gitsendemail
from app.core.clients.base import ClientError, ClientSettings, ConfigParseError
from app.core.results import TlsMode
from app.core.secrets import SecretStore
from app.core.settings import Password, RelaySetting

WORKTREE = str(Path(app.__file__).resolve().parent.parent)
RELAY = RelaySetting("mail.example.org", 587, TlsMode.STARTTLS, "jo@example.org")


def git_get(path: Path, *args: str) -> list[str]:
    done = subprocess.run(
        ["git", "config", "--file", str(path), "--null", *args],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    return done.stdout.split("\0")[:-1]


def write(tmp_path: Path, old: bytes | None, relay: RelaySetting, ca: Path | None = None) -> Path:
    path = tmp_path / "gitconfig"
    if old is not None:
        path.write_bytes(old)
    plan = gitsendemail.plan(ClientSettings.for_relay(relay, ca), config=path)
    (change,) = plan.changes
    path.write_bytes(change.new)
    return path


@pytest.mark.parametrize(
    "user",
    ['jo"quoted"@example.org', "back\\slash", "$(touch PWNED)", "a;b #c", "tick`id`"],
)
def test_hostile_values_are_read_back_by_git_as_the_same_text(tmp_path: Path, user: str) -> None:
    # The envelope sender is the user when no From is given: both carry the hostile text.
    relay = RelaySetting("mail.example.org", 465, TlsMode.IMPLICIT, user)
    path = write(tmp_path, b"[user]\n\tname = Jo\n", relay)
    assert git_get(path, "--get-all", "sendemail.smtpUser") == [user]
    assert git_get(path, "--get-all", "sendemail.envelopeSender") == [user]
    assert git_get(path, "--get-all", "user.name") == ["Jo"]
    keys = [line.split("\n")[0] for line in git_get(path, "--list")]
    assert sorted(keys) == sorted(
        [
            "user.name",
            "sendemail.smtpserver",
            "sendemail.smtpserverport",
            "sendemail.smtpencryption",
            "sendemail.smtpuser",
            "sendemail.envelopesender",
            "credential.smtp://mail.example.org:465.helper",
            "credential.smtp://mail.example.org:465.helper",
        ]
    )
    assert not list(tmp_path.glob("PWNED*"))


@pytest.mark.parametrize(
    ("relay", "why"),
    [
        (unchecked_relay(user="jo\nx"), "holds"),
        (RelaySetting("mail.example.org", 25, TlsMode.NONE, "jo"), "without TLS"),
        (RelaySetting("mail.example.org", 465, TlsMode.IMPLICIT, "jo", pin_sha256="AA:BB"), "pin"),
        (
            unchecked_relay(host="mail.example.org/x", port=465, tls=TlsMode.IMPLICIT, user="jo"),
            "DNS name",
        ),
    ],
)
def test_what_git_send_email_cannot_do_safely_is_refused(
    tmp_path: Path, relay: RelaySetting, why: str
) -> None:
    with pytest.raises(ClientError, match=why):
        if "\n" in relay.user:
            gitsendemail.render(ClientSettings(relay, "x"))
        write(tmp_path, None, relay)


def test_settings_the_relay_does_not_need_are_removed_and_the_ca_is_a_path(tmp_path: Path) -> None:
    old = (
        b"[sendemail]\n\tsmtpPass = hunter2\n\tsmtpsslcertpath =\n\tsmtpAuth = CRAM-MD5\n"
        b"[alias]\n\tst = status\n"
    )
    path = tmp_path / "gitconfig"
    path.write_bytes(old)
    plan = gitsendemail.plan(ClientSettings.for_relay(RELAY), config=path)
    new = plan.changes[0].new
    assert b"hunter2" not in new and b"smtpsslcertpath" not in new.lower()
    assert b"CRAM" not in new and b"\tst = status\n" in new
    assert any("smtpPass" in note for note in map(str, plan.notes))
    ca = tmp_path / "ca.pem"
    path = write(tmp_path, old, RELAY, ca)
    assert git_get(path, "--get-all", "sendemail.smtpSSLCertPath") == [str(ca)]


def test_a_second_plan_changes_nothing_and_other_bytes_stay(tmp_path: Path) -> None:
    old = b"# mine\n[core]\n\teditor = vi   ; comment\n[sendemail]\n\tsmtpserver=old.example.org\n"
    path = write(tmp_path, old, RELAY)
    new = path.read_bytes()
    assert new.startswith(b"# mine\n[core]\n\teditor = vi   ; comment\n[sendemail]\n")
    assert b"old.example.org" not in new
    again = gitsendemail.plan(ClientSettings.for_relay(RELAY), config=path)
    assert not again.changed


def test_a_file_git_refuses_is_left_untouched_naming_the_line(tmp_path: Path) -> None:
    path = tmp_path / "gitconfig"
    path.write_bytes(b"[user]\n\tname = Jo\n[broken\n")
    with pytest.raises(ConfigParseError) as caught:
        gitsendemail.plan(ClientSettings.for_relay(RELAY), config=path)
    assert caught.value.line_number == 3
    done = subprocess.run(
        [
            *(sys.executable, "-m", "app", "write", "git", "--config", str(path)),
            *("--host", "mail.example.org", "--port", "587", "--user", "jo"),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "HOME": str(tmp_path)},
        timeout=60,
        check=False,
    )
    assert done.returncode == exitcodes.CONFIG, done.stderr
    assert "line 3" in done.stderr
    assert path.read_bytes() == b"[user]\n\tname = Jo\n[broken\n"


def test_which_file_git_config_global_writes(tmp_path: Path) -> None:
    assert gitsendemail.config_path(tmp_path) == tmp_path / ".gitconfig"
    xdg = tmp_path / ".config" / "git" / "config"
    xdg.parent.mkdir(parents=True)
    xdg.write_text("")
    assert gitsendemail.config_path(tmp_path) == xdg
    (tmp_path / ".gitconfig").write_text("")
    assert gitsendemail.config_path(tmp_path) == tmp_path / ".gitconfig"


# -- relay-setup credential, with the real keyring and real git ----------------------------------


@pytest.fixture
def stored(secret_service: SecretStore) -> Iterator[tuple[str, str, str]]:
    host = f"relay-{uuid.uuid4().hex[:10]}.example.org"
    user, password = "jo@example.org", "s3cret pass;$(id)"
    secret_service.set(host, user, Password(password))
    yield host, user, password
    secret_service.delete(host, user)


def helper(action: str, request: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", "credential", action],
        input=request,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.keyring
def test_get_answers_smtp_requests_with_the_keyrings_password(
    stored: tuple[str, str, str],
) -> None:
    host, user, password = stored
    done = helper("get", f"protocol=smtp\nhost={host}:587\nusername={user}\n\n")
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"username={user}\npassword={password}\n"
    for other in (
        f"protocol=https\nhost={host}\nusername={user}\n",
        f"protocol=smtp\nhost={host}:587\n",
        f"protocol=smtp\nhost=other.example.org:587\nusername={user}\n",
    ):
        done = helper("get", other)
        assert (done.returncode, done.stdout) == (0, ""), other


@pytest.mark.keyring
def test_erase_keeps_the_shared_password_and_store_keeps_a_new_one(
    stored: tuple[str, str, str], secret_service: SecretStore
) -> None:
    host, user, password = stored
    done = helper(
        "erase", f"protocol=smtp\nhost={host}:587\nusername={user}\npassword={password}\n"
    )
    assert done.returncode == 0
    assert secret_service.get(host, user) == Password(password)
    done = helper("store", f"protocol=smtp\nhost={host}:465\nusername={user}\npassword=new one\n")
    assert done.returncode == 0, done.stderr
    assert secret_service.get(host, user) == Password("new one")


def test_a_malformed_request_is_refused_as_usage() -> None:
    assert helper("get", "protocol=smtp\nno equals sign\n").returncode == exitcodes.USAGE
    assert helper("get", "x=" + "y" * 70000 + "\n").returncode == exitcodes.USAGE


@pytest.mark.keyring
def test_git_itself_asks_our_helper_only_for_the_relays_url(
    stored: tuple[str, str, str], tmp_path: Path
) -> None:
    host, user, password = stored
    relay = RelaySetting(host, 587, TlsMode.STARTTLS, user)
    home = tmp_path / "home"
    home.mkdir()
    write(home, b"[credential]\n\thelper = store\n", relay).rename(home / ".gitconfig")
    env = {**os.environ, "HOME": str(home), "PYTHONPATH": WORKTREE, "GIT_TERMINAL_PROMPT": "0"}
    env.pop("XDG_CONFIG_HOME", None)

    def fill(port: int) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["git", "credential", "fill"],
            input=f"protocol=smtp\nhost={host}:{port}\nusername={user}\n\n",
            capture_output=True,
            text=True,
            env=env,
            cwd=home,
            timeout=60,
            check=False,
        )

    done = fill(587)
    assert done.returncode == 0, done.stderr
    assert f"password={password}\n" in done.stdout
    assert fill(2525).returncode != 0  # another URL: not ours, and `store` has nothing
    approve = subprocess.run(
        ["git", "credential", "approve"],
        input=done.stdout + "\n",
        capture_output=True,
        text=True,
        env=env,
        cwd=home,
        timeout=60,
        check=False,
    )
    assert approve.returncode == 0
    assert not (home / ".git-credentials").exists()  # the empty helper reset `store` for us


# -- property: git reads every other setting back unchanged; a second plan changes nothing -------

names = st.from_regex(r"[a-z][a-z0-9-]{0,8}", fullmatch=True).filter(
    lambda n: n not in ("sendemail", "credential")
)
values = st.from_regex(r"[A-Za-z0-9 ;#\"\\$'=@./:-]{0,20}", fullmatch=True)


def quoted(value: str) -> str:
    """The value as git config would read it back (quotes keep `;`, `#` and edge blanks)."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


@st.composite
def gitconfig_files(draw: st.DrawFn) -> bytes:
    lines = []
    for _ in range(draw(st.integers(0, 5))):
        section = draw(st.one_of(names, st.just("sendemail")))
        lines.append(f"[{section}]")
        for _ in range(draw(st.integers(0, 4))):
            key = draw(st.one_of(names, st.sampled_from(["smtpserver", "smtpPass", "to"])))
            lines.append(f"\t{key} = {quoted(draw(values))}")
            if draw(st.booleans()):
                lines.append(draw(st.sampled_from(["", "# mine", "; also mine"])))
    return ("\n".join(lines) + ("\n" if lines else "")).encode()


def others(path: Path) -> list[str]:
    """Every setting outside the ones we own, as git lists them, in order."""
    owned = {k.lower() for k in gitsendemail.OWNED}
    return [
        entry
        for entry in git_get(path, "--list")
        if entry.split("\n")[0] not in owned and not entry.startswith("credential.smtp://")
    ]


@settings(max_examples=40, deadline=None)
@given(gitconfig_files())
def test_merging_keeps_every_other_setting_and_is_idempotent(old: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        before = Path(folder) / "before"
        before.write_bytes(old)
        after = write(Path(folder), old, RELAY)
        assert others(after) == others(before)
        assert git_get(after, "--get-all", "sendemail.smtpServer") == ["mail.example.org"]
        assert git_get(after, "--get-all", "sendemail.smtpPass") == []
        assert not gitsendemail.plan(ClientSettings.for_relay(RELAY), config=after).changed


def test_the_helper_runs_this_program_as_it_was_started(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = tmp_path / "bin dir" / "relay-setup"
    script.parent.mkdir()
    script.write_text("#!/bin/sh\n")
    monkeypatch.setattr(sys, "argv", [str(script), "write", "git"])
    assert gitsendemail.helper_command() == f"!'{script}' credential"
    monkeypatch.setattr(sys, "argv", ["/somewhere/app/__main__.py"])
    assert gitsendemail.helper_command() == f"!{sys.executable} -m app credential"
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert gitsendemail.helper_command() == f"!{sys.executable} credential"
