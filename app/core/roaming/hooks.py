"""Install or remove what runs `relay-setup check --quiet --notify` when the network changes:
systemd user units (service + path + timer) in the user's own unit folder, enabled when the
user's systemd answers; and, only when run as root, NetworkManager's dispatcher script, which
starts each logged-in user's service. Nothing system-wide without root.

The templates live in resources/hooks/; the service gets this program's own command line."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from ..appdirs import resources_dir
from ..atomicfile import ClientError, atomic_write, private_dir

SERVICE = "relay-setup-check.service"
TRIGGERS = ("relay-setup-check.path", "relay-setup-check.timer")
UNITS = (SERVICE, *TRIGGERS)
DISPATCHER = "90-relay-setup-check"
DISPATCHER_DIR = Path("/etc/NetworkManager/dispatcher.d")
SYSTEMCTL_TIMEOUT = 30.0


class HooksError(Exception):
    """The templates are missing (an unusual install) or a file cannot be written."""


@dataclass(frozen=True)
class HooksResult:
    written: tuple[Path, ...] = ()
    removed: tuple[Path, ...] = ()
    enabled: bool = False  # systemctl --user enable/disable worked
    notes: tuple[str, ...] = ()


def user_units_dir(home: Path | None = None) -> Path:
    """$XDG_CONFIG_HOME/systemd/user (for the real home), else HOME/.config/systemd/user."""
    xdg = os.environ.get("XDG_CONFIG_HOME") if home is None else None
    return (Path(xdg) if xdg else (home or Path.home()) / ".config") / "systemd" / "user"


def own_command() -> list[str]:
    """How a unit starts this very program: a frozen build is one executable; otherwise this
    Python with the package (a unit has no PATH of the user's to find `relay-setup`)."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    return [sys.executable, "-m", "app"]


def _unit_word(word: str) -> str:
    """One word of an ExecStart= line: `%` is a specifier, blanks and quotes need quoting."""
    word = word.replace("%", "%%")
    if any(c in word for c in " \t\"'\\;$"):
        return '"' + word.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return word


def render_unit(name: str) -> bytes:
    template = _template(name).decode("utf-8")
    command = " ".join(_unit_word(w) for w in own_command())
    return template.replace("@RELAY_SETUP@", command).encode("utf-8")


def _template(name: str) -> bytes:
    path = resources_dir() / "hooks" / name
    try:
        return path.read_bytes()
    except OSError as exc:
        raise HooksError(f"the hook template {path} is missing: {exc.strerror or exc}") from None


def _systemctl(*args: str) -> tuple[bool, str]:
    try:
        done = subprocess.run(
            ["systemctl", "--user", *args],
            capture_output=True,
            text=True,
            timeout=SYSTEMCTL_TIMEOUT,
            stdin=subprocess.DEVNULL,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return False, str(exc)
    return done.returncode == 0, (done.stderr or done.stdout).strip()


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def install_hooks(
    home: Path | None = None,
    *,
    dispatcher_dir: Path | None = DISPATCHER_DIR,
    enable: bool = True,
) -> HooksResult:
    """Write the units (each only if its content differs) and enable the path and timer units.
    As root, also the dispatcher script, where NetworkManager is installed."""
    folder = user_units_dir(home)
    written: list[Path] = []
    notes: list[str] = []
    try:
        private_dir(folder)
        for name in UNITS:
            content = render_unit(name)
            target = folder / name
            if not target.is_file() or target.read_bytes() != content:
                atomic_write(target, content, mode=0o644)
                written.append(target)
    except (OSError, ClientError) as exc:
        raise HooksError(f"cannot write into {folder}: {exc}") from None
    if dispatcher_dir is not None:
        written += _install_dispatcher(dispatcher_dir, notes)
    enabled = False
    if enable:
        ok, said = _systemctl("daemon-reload")
        if ok:
            ok, said = _systemctl("enable", "--now", *TRIGGERS)
        enabled = ok
        if not ok:
            notes.append(
                f"systemd's user manager did not take the units ({said or 'no answer'}): in your "
                f"desktop session run `systemctl --user enable --now {' '.join(TRIGGERS)}`"
            )
    return HooksResult(tuple(written), (), enabled, tuple(notes))


def _install_dispatcher(folder: Path, notes: list[str]) -> list[Path]:
    if not _is_root():
        notes.append(
            "NetworkManager's dispatcher script is system-wide: run "
            "`sudo relay-setup check --install-hooks` to add it (the user units work without it)"
        )
        return []
    if not folder.is_dir():
        notes.append(f"no NetworkManager here ({folder} does not exist): no dispatcher script")
        return []
    target = folder / DISPATCHER
    content = _template(DISPATCHER)
    if target.is_file() and target.read_bytes() == content:
        return []
    try:
        atomic_write(target, content, mode=0o755)
        target.chmod(0o755)  # NetworkManager runs only root-owned scripts not writable by others
    except (OSError, ClientError) as exc:
        raise HooksError(f"cannot write {target}: {exc}") from None
    return [target]


def remove_hooks(
    home: Path | None = None,
    *,
    dispatcher_dir: Path | None = DISPATCHER_DIR,
    disable: bool = True,
) -> HooksResult:
    """Disable and delete the units (and, as root, the dispatcher script); what is not there is
    not an error."""
    notes: list[str] = []
    enabled = False
    if disable:
        enabled, said = _systemctl("disable", "--now", *TRIGGERS)
        if not enabled:
            notes.append(f"systemd's user manager did not answer ({said or 'no answer'})")
    folder = user_units_dir(home)
    targets = [folder / name for name in UNITS]
    if dispatcher_dir is not None and _is_root():
        targets.append(dispatcher_dir / DISPATCHER)
    removed: list[Path] = []
    for target in targets:
        try:
            target.unlink()
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise HooksError(f"cannot remove {target}: {exc.strerror or exc}") from None
        removed.append(target)
    if disable and enabled:
        _systemctl("daemon-reload")
    return HooksResult((), tuple(removed), enabled, tuple(notes))
