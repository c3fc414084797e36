"""The shared safe writer: backups, atomic replace, modes, journal, undo, actions; the CA copy."""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path

import pytest
from servers import Pki

from app.core.appdirs import CaFileError, install_ca
from app.core.atomicfile import atomic_write
from app.core.clients import get_client
from app.core.clients.base import ClientError, Command, FileChange, Plan
from app.core.clients.safewrite import apply, history, undo


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def plan_for(path: Path, new: bytes, client: str = "msmtp", **kw: object) -> Plan:
    old = path.read_bytes() if path.exists() else None
    return Plan(client, (FileChange(path, old, new),), **kw)  # type: ignore[arg-type]


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return tmp_path / "data"


def test_atomic_write_keeps_an_existing_mode_and_gives_a_new_file_0600(tmp_path: Path) -> None:
    old = tmp_path / "old"
    old.write_bytes(b"a")
    old.chmod(0o640)
    atomic_write(old, b"b")
    assert (old.read_bytes(), mode_of(old)) == (b"b", 0o640)
    new = tmp_path / "sub" / "new"
    atomic_write(new, b"c")
    assert (new.read_bytes(), mode_of(new)) == (b"c", 0o600)
    assert mode_of(new.parent) == 0o700
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["new", "old", "sub"]  # no temp left


def test_atomic_write_replaces_a_symlinks_target_not_the_link(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))  # a link is followed only inside the home folder
    real = tmp_path / "dotfiles" / "msmtprc"
    real.parent.mkdir()
    real.write_bytes(b"old")
    link = tmp_path / ".msmtprc"
    link.symlink_to(real)
    atomic_write(link, b"new")
    assert link.is_symlink() and real.read_bytes() == b"new"


def test_apply_backs_up_journals_then_writes(tmp_path: Path, data: Path) -> None:
    target = tmp_path / "rc"
    target.write_bytes(b"user's years of config\n")
    target.chmod(0o644)
    result = apply(plan_for(target, b"user's years of config\nours\n"), data=data)
    assert target.read_bytes() == b"user's years of config\nours\n"
    assert mode_of(target) == 0o644
    (backup,) = result.backups
    assert backup.read_bytes() == b"user's years of config\n" and mode_of(backup) == 0o600
    assert data in backup.parents
    (session,) = json.loads((data / "journal.json").read_text())["sessions"]
    assert session["client"] == "msmtp"
    assert session["files"][0]["path"] == str(target) and session["files"][0]["backup"] == str(
        backup
    )


def test_dry_run_and_an_unchanged_plan_write_nothing(tmp_path: Path, data: Path) -> None:
    target = tmp_path / "rc"
    assert apply(plan_for(target, b"new\n"), dry_run=True, data=data).written == ()
    assert not target.exists() and not data.exists()
    target.write_bytes(b"same\n")
    assert apply(plan_for(target, b"same\n"), data=data).written == ()
    assert not data.exists()  # no backup, no journal entry


def test_a_file_changed_after_planning_is_refused(tmp_path: Path, data: Path) -> None:
    target = tmp_path / "rc"
    target.write_bytes(b"v1\n")
    plan = plan_for(target, b"v1\nours\n")
    target.write_bytes(b"v2 written by the client meanwhile\n")
    with pytest.raises(ClientError, match="changed since it was read"):
        apply(plan, data=data)
    assert target.read_bytes() == b"v2 written by the client meanwhile\n"
    assert history(data) == ()


def test_undo_restores_the_backup_then_removes_a_created_file(tmp_path: Path, data: Path) -> None:
    created = tmp_path / "created"
    apply(plan_for(created, b"first\n"), data=data)
    apply(plan_for(created, b"second\n"), data=data)
    assert len(history(data)) == 2
    first = undo(data=data)
    assert first.restored == (created,) and created.read_bytes() == b"first\n"
    second = undo(data=data)
    assert second.removed == (created,) and not created.exists()
    with pytest.raises(ClientError, match="nothing to undo"):
        undo(data=data)


def test_undo_of_one_client_leaves_the_others_writes(tmp_path: Path, data: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    apply(plan_for(a, b"a\n", client="msmtp"), data=data)
    apply(plan_for(b, b"b\n", client="alpine"), data=data)
    assert undo("msmtp", data=data).removed == (a,)
    assert b.read_bytes() == b"b\n" and [s[1] for s in history(data)] == ["alpine"]


def test_undo_dry_run_changes_nothing(tmp_path: Path, data: Path) -> None:
    target = tmp_path / "rc"
    apply(plan_for(target, b"x\n"), data=data)
    assert undo(dry_run=True, data=data).removed == (target,)
    assert target.exists() and len(history(data)) == 1


def test_undo_refuses_a_file_changed_since_unless_forced(tmp_path: Path, data: Path) -> None:
    target = tmp_path / "prefs.js"
    target.write_bytes(b"original\n")
    apply(plan_for(target, b"ours\n"), data=data)
    target.write_bytes(b"rewritten by the client on exit\n")
    with pytest.raises(ClientError, match="changed since relay-setup wrote it"):
        undo(data=data)
    assert target.read_bytes() == b"rewritten by the client on exit\n"
    result = undo(force=True, data=data)
    assert target.read_bytes() == b"original\n"
    (saved,) = result.saved
    assert saved.read_bytes() == b"rewritten by the client on exit\n"


def test_forced_undo_keeps_a_copy_only_of_content_someone_else_wrote(
    tmp_path: Path, data: Path
) -> None:
    target = tmp_path / "rc"
    target.write_bytes(b"old\n")
    apply(plan_for(target, b"ours\n"), data=data)
    result = undo(force=True, data=data)
    assert result.restored == (target,) and result.saved == ()


def test_undo_of_a_file_already_back_to_its_old_content_is_a_no_op(
    tmp_path: Path, data: Path
) -> None:
    target = tmp_path / "rc"
    target.write_bytes(b"old\n")
    apply(plan_for(target, b"new\n"), data=data)
    target.write_bytes(b"old\n")
    assert undo(data=data).unchanged == (target,)
    assert target.read_bytes() == b"old\n"


def test_actions_run_after_the_files_are_written_and_undo_reverses_them(
    tmp_path: Path, data: Path
) -> None:
    target, seen = tmp_path / "rc", tmp_path / "seen"
    copy = f"import shutil; shutil.copy({str(target)!r}, {str(seen)!r})"
    remove = f"import os; os.remove({str(seen)!r})"
    action = Command((sys.executable, "-c", copy), "copy", (sys.executable, "-c", remove))
    result = apply(plan_for(target, b"written first\n", actions=(action,)), data=data)
    assert result.actions[0].ok
    assert seen.read_bytes() == b"written first\n"  # the action saw the new file
    assert undo(data=data).actions[0].ok
    assert not seen.exists()


def test_a_failing_action_is_reported_not_hidden(tmp_path: Path, data: Path) -> None:
    fail = Command((sys.executable, "-c", "import sys; sys.exit('no certutil db')"), "import CA")
    result = apply(plan_for(tmp_path / "rc", b"x\n", actions=(fail,)), data=data)
    (ran,) = result.actions
    assert not ran.ok and "no certutil db" in ran.output


def test_diff_is_a_unified_diff() -> None:
    change = FileChange(Path("/h/.msmtprc"), b"a\nb\n", b"a\nc\n")
    assert change.diff().splitlines()[:2] == ["--- /h/.msmtprc", "+++ /h/.msmtprc"]
    assert "-b\n+c\n" in change.diff()
    assert FileChange(Path("/x"), None, b"new").diff().startswith("--- /dev/null")
    assert FileChange(Path("/x"), b"same", b"same").diff() == ""


def test_a_private_ca_is_copied_into_the_data_folder(pki: Pki, tmp_path: Path) -> None:
    source = Path(pki.ca_file)
    copy = install_ca(source, tmp_path / "data")
    assert copy.read_bytes() == source.read_bytes() and (tmp_path / "data") in copy.parents
    assert install_ca(source, tmp_path / "data") == copy  # same CA, same place
    junk = tmp_path / "junk.pem"
    junk.write_text("not a certificate\n")
    with pytest.raises(CaFileError, match="not a PEM certificate"):
        install_ca(junk, tmp_path / "data")
    with pytest.raises(CaFileError, match=r"missing\.pem: not found"):
        install_ca(tmp_path / "missing.pem", tmp_path / "data")


def test_the_registry_names_clients_and_refuses_unknown_ones() -> None:
    assert get_client("msmtp").NAME == "msmtp"
    with pytest.raises(ClientError, match="unknown mail client"):
        get_client("outlook")


def test_the_data_folder_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from app.core.appdirs import data_dir

    if os.name != "posix" or sys.platform == "darwin":
        pytest.skip("XDG_DATA_HOME is the Linux convention")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert data_dir() == tmp_path / "relay-setup"


def test_temp_files_a_killed_writer_left_are_cleaned_once_stale(tmp_path: Path) -> None:
    target = tmp_path / ".msmtprc"
    stale = tmp_path / "..msmtprc.abc123.relay-setup-tmp"  # ".{name}.{random}{suffix}"
    fresh = tmp_path / "..msmtprc.def456.relay-setup-tmp"  # maybe a live writer's
    other = tmp_path / "..pinerc.abc123.relay-setup-tmp"  # another file's
    for leftover in (stale, fresh, other):
        leftover.write_bytes(b"half a config")
    os.utime(stale, (1_000_000, 1_000_000))
    os.utime(other, (1_000_000, 1_000_000))
    atomic_write(target, b"new\n")
    assert not stale.exists() and fresh.exists() and other.exists()
