"""`check --install-hooks` / `--remove-hooks` in a throwaway home: the systemd user units (and
the NetworkManager dispatcher, only as root and into a folder the test gives), checked with
`systemd-analyze verify` where it is installed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from app import exitcodes
from app.core.appdirs import resources_dir
from app.core.roaming.hooks import (
    DISPATCHER,
    DISPATCHER_DIR,
    SERVICE,
    UNITS,
    install_hooks,
    remove_hooks,
    user_units_dir,
)


def test_install_writes_the_units_running_this_program_and_remove_takes_them(
    home: Path, tmp_path: Path
) -> None:
    dispatcher = tmp_path / "dispatcher.d"
    dispatcher.mkdir()
    first = install_hooks(dispatcher_dir=dispatcher, enable=False)
    folder = home / ".config" / "systemd" / "user"
    assert user_units_dir() == folder
    assert set(first.written) >= {folder / name for name in UNITS}
    service = (folder / SERVICE).read_text()
    assert f"ExecStart={sys.executable} -m app check --quiet --notify\n" in service
    if os.geteuid() == 0:  # root: the system-wide script too, executable
        assert (dispatcher / DISPATCHER).stat().st_mode & 0o777 == 0o755
    else:
        assert not (dispatcher / DISPATCHER).exists()
        assert any("sudo relay-setup check --install-hooks" in n for n in first.notes)

    again = install_hooks(dispatcher_dir=dispatcher, enable=False)
    assert again.written == ()  # a second run changes nothing

    gone = remove_hooks(dispatcher_dir=dispatcher, disable=False)
    assert set(gone.removed) >= {folder / name for name in UNITS}
    assert not any(folder.iterdir()) and not any(dispatcher.iterdir())
    assert remove_hooks(dispatcher_dir=dispatcher, disable=False).removed == ()


def test_the_units_pass_systemd_analyze_verify(home: Path) -> None:
    if not shutil.which("systemd-analyze"):
        pytest.skip("needs systemd-analyze (Debian: systemd)")
    install_hooks(dispatcher_dir=None, enable=False)
    folder = user_units_dir()
    done = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *(str(folder / name) for name in UNITS)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "SYSTEMD_LOG_LEVEL": "warning"},
    )
    # verify also reports on the machine's own units; only lines about ours count.
    ours = [line for line in done.stderr.splitlines() if "relay-setup-check" in line]
    assert ours == [], done.stderr
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("event", ["up", "down", "connectivity-change"])
def test_the_dispatcher_script_is_valid_sh_and_never_fails_networkmanager(event: str) -> None:
    script = resources_dir() / "hooks" / DISPATCHER
    assert subprocess.run(["sh", "-n", str(script)], check=False).returncode == 0
    done = subprocess.run(
        ["sh", str(script), "wlan0", event], capture_output=True, text=True, timeout=30
    )
    assert done.returncode == 0, done.stderr


def test_the_command_installs_and_removes_for_the_user_and_says_what_to_do(
    home: Path, cli: Any
) -> None:
    if os.geteuid() == 0 and DISPATCHER_DIR.is_dir():
        pytest.skip("as root with NetworkManager here it would write the system-wide script")
    code, out, err = cli("check", "--install-hooks")
    assert code == exitcodes.OK, err
    folder = home / ".config" / "systemd" / "user"
    assert f"wrote {folder / SERVICE}" in out
    # No user manager answers in the test's session: the command says how to enable them.
    if "enabled with systemctl --user" not in out:
        assert "systemctl --user enable --now relay-setup-check.path" in out
    code, out, err = cli("check", "--remove-hooks", "--json")
    assert code == exitcodes.OK, err
    assert not (folder / SERVICE).exists()
