"""What the safe writer may touch: regular files only (a device is never replaced, a FIFO never
waited on), a symlink only to a regular file of ours inside HOME; a read-only file or an
unwritable folder is a clear refusal (exit 10) that writes and journals nothing; two writers one
after the other."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app import exitcodes
from app.core.clients.base import ClientError, FileChange, Plan
from app.core.clients.safewrite import apply, history, writer_lock

ROOT = Path(__file__).resolve().parents[2]
OLD = b"# mine\n"
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def environment(home: Path) -> dict[str, str]:
    env = os.environ | {
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
    }
    env.pop("PINERC", None)
    return env


def write_msmtp(
    home: Path, *extra: str, port: str = "587", dry_run: bool = False
) -> subprocess.CompletedProcess[str]:
    argv = ["write", "msmtp", "--host", "mail.example.org", "--port", port, "--user", "alice"]
    return subprocess.run(
        [sys.executable, "-m", "app", *argv, *extra, *(["--dry-run"] if dry_run else [])],
        capture_output=True,
        text=True,
        timeout=30,
        stdin=subprocess.DEVNULL,
        env=environment(home),
        cwd=ROOT,
    )


def journal(home: Path) -> list[object]:
    path = home / ".local" / "share" / "relay-setup" / "journal.json"
    return json.loads(path.read_text())["sessions"] if path.exists() else []


def _fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


def _char_device(path: Path) -> Path:
    if not IS_ROOT:
        pytest.skip("making a device node needs root")
    os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # what /dev/null is
    return path


def _folder(path: Path) -> Path:
    path.mkdir()
    return path


@pytest.mark.parametrize("dry_run", [False, True], ids=["write", "dry-run"])
@pytest.mark.parametrize(
    ("make", "kind"),
    [(_fifo, "FIFO"), (_char_device, "character device"), (_folder, "folder")],
    ids=["fifo", "char-device", "folder"],
)
def test_a_config_that_is_not_a_regular_file_is_refused_untouched(
    home: Path, make: object, kind: str, dry_run: bool
) -> None:
    target = make(home / "special")  # type: ignore[operator]
    before = os.lstat(target)
    done = write_msmtp(home, "--config", str(target), dry_run=dry_run)  # a FIFO must not hang
    assert done.returncode == exitcodes.CONFIG, done.stderr
    assert f"is a {kind}" in done.stderr and "Traceback" not in done.stderr
    after = os.lstat(target)
    assert (after.st_ino, after.st_mode) == (before.st_ino, before.st_mode)
    assert journal(home) == []


def _link_outside(home: Path) -> Path:
    outside = home.parent / "outside"
    outside.write_bytes(OLD)
    return outside


def _link_to_passwd(home: Path) -> Path:
    return Path("/etc/passwd")


def _link_to_another_users_file(home: Path) -> Path:
    if not IS_ROOT:
        pytest.skip("giving a file to another user needs root")
    theirs = home / "theirs"
    theirs.write_bytes(OLD)
    os.chown(theirs, 65534, 65534)
    return theirs


def _link_to_nothing(home: Path) -> Path:
    return home / "missing"


def _link_to_fifo(home: Path) -> Path:
    return _fifo(home / "fifo")


@pytest.mark.parametrize("dry_run", [False, True], ids=["write", "dry-run"])
@pytest.mark.parametrize(
    ("target_of", "why"),
    [
        (_link_outside, "not your own file inside"),
        (_link_to_passwd, "not your own file inside"),
        (_link_to_another_users_file, "not your own file inside"),
        (_link_to_nothing, "which does not exist"),
        (_link_to_fifo, "a symlink to a FIFO"),
    ],
    ids=["outside-home", "etc-passwd", "another-user", "dangling", "fifo"],
)
def test_a_symlink_is_followed_only_to_our_own_regular_file_in_home(
    home: Path, target_of: object, why: str, dry_run: bool
) -> None:
    target: Path = target_of(home)  # type: ignore[operator]
    before = target.read_bytes() if target.is_file() else None
    (home / ".msmtprc").symlink_to(target)
    done = write_msmtp(home, dry_run=dry_run)
    assert done.returncode == exitcodes.CONFIG, done.stderr
    assert why in done.stderr and "Traceback" not in done.stderr
    assert "account" not in done.stdout  # not even shown as a diff to append
    if before is not None:
        assert target.read_bytes() == before
    assert (home / ".msmtprc").is_symlink() and journal(home) == []


def test_a_symlink_to_our_own_file_in_home_is_written_through(home: Path) -> None:
    real = home / "dotfiles" / "msmtprc"
    real.parent.mkdir()
    real.write_bytes(OLD)
    (home / ".msmtprc").symlink_to(real)
    done = write_msmtp(home)
    assert done.returncode == exitcodes.OK, done.stderr
    assert (home / ".msmtprc").is_symlink()
    assert real.read_bytes().startswith(OLD) and b"host mail.example.org" in real.read_bytes()
    assert len(journal(home)) == 1


def test_a_read_only_config_is_refused_not_replaced(home: Path) -> None:
    rc = home / ".msmtprc"
    rc.write_bytes(OLD)
    rc.chmod(0o400)
    done = write_msmtp(home)
    assert done.returncode == exitcodes.CONFIG, done.stderr
    assert "is read-only" in done.stderr and "Traceback" not in done.stderr
    assert rc.read_bytes() == OLD and stat.S_IMODE(rc.stat().st_mode) == 0o400
    assert journal(home) == []
    assert not (home / ".local" / "share" / "relay-setup" / "backups").exists() or not any(
        (home / ".local" / "share" / "relay-setup" / "backups").iterdir()
    )


def test_a_config_folder_that_cannot_be_written_is_exit_10(home: Path) -> None:
    blocker = home / "not-a-folder"
    blocker.write_bytes(OLD)
    done = write_msmtp(home, "--config", str(blocker / "msmtprc"))
    assert done.returncode == exitcodes.CONFIG, done.stderr
    assert "is not a folder" in done.stderr and "Traceback" not in done.stderr
    assert blocker.read_bytes() == OLD and journal(home) == []


@pytest.mark.skipif(IS_ROOT, reason="root writes into any folder")
def test_a_folder_without_write_permission_is_exit_10(home: Path) -> None:
    folder = home / "locked"
    folder.mkdir(mode=0o555)
    done = write_msmtp(home, "--config", str(folder / "msmtprc"))
    assert done.returncode == exitcodes.CONFIG, done.stderr
    assert "is not writable" in done.stderr and "Traceback" not in done.stderr
    assert list(folder.iterdir()) == [] and journal(home) == []


@pytest.mark.skipif(not hasattr(signal, "SIGXFSZ"), reason="needs RLIMIT_FSIZE (POSIX)")
def test_the_journal_keeps_only_writes_that_happened(tmp_path: Path) -> None:
    """The second file of a plan cannot be written (the disk is full, here: the file size
    limit): the first is put back and the session leaves the journal again, so undo never
    "reverses" a write that did not happen."""
    import resource

    data, first, second = tmp_path / "data", tmp_path / "first", tmp_path / "certs.pem"
    first.write_bytes(OLD)
    plan = Plan(
        "alpine", (FileChange(first, OLD, b"new\n"), FileChange(second, None, b"x" * 65536))
    )
    limits = resource.getrlimit(resource.RLIMIT_FSIZE)
    handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of a kill
    resource.setrlimit(resource.RLIMIT_FSIZE, (16384, limits[1]))
    try:
        with pytest.raises(ClientError, match=r"cannot write .*certs\.pem: File too large"):
            apply(plan, data=data)
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, limits)
        signal.signal(signal.SIGXFSZ, handler)
    assert first.read_bytes() == OLD and not second.exists()
    assert history(data) == ()


def test_a_second_writer_plans_on_what_the_first_wrote(home: Path) -> None:
    """Two writes of different ports at once: the second waits for the first's lock and then
    sees its port, instead of calling the file "already up to date" while it holds the other's
    port."""
    assert write_msmtp(home, port="1111").returncode == exitcodes.OK
    data = home / ".local" / "share" / "relay-setup"
    rc = home / ".msmtprc"
    with writer_lock(data):
        second = subprocess.Popen(
            [sys.executable, "-m", "app", "write", "msmtp", "--host", "mail.example.org",
             "--port", "1111", "--user", "alice"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            stdin=subprocess.DEVNULL, env=environment(home), cwd=ROOT,
        )  # fmt: skip
        time.sleep(2.0)
        assert second.poll() is None, "the second writer did not wait for the lock"
        # meanwhile the first writer changes the port (as another write would, in the lock)
        rc.write_bytes(rc.read_bytes().replace(b"port 1111", b"port 2222"))
    out, err = second.communicate(timeout=30)
    assert second.returncode == exitcodes.OK, err
    assert "up to date" not in out and "wrote" in out
    assert b"port 1111" in rc.read_bytes() and b"port 2222" not in rc.read_bytes()
