"""git send-email: the `sendemail.*` settings in ~/.gitconfig (or $XDG_CONFIG_HOME/git/config when
only that exists, as `git config --global` chooses), and `relay-setup credential` as the git
credential helper for this relay's URL only, so git finds the password in the OS keyring.

git itself reads and edits the file (`git config --file` on a copy, in a temporary folder), so
quoting is git's own and every other byte stays; a file git refuses is left untouched with its
line. From git-send-email(1) and git 2.39's sources: smtpEncryption `ssl` is implicit TLS, `tls`
STARTTLS; an empty smtpSSLCertPath turns certificate checks off (so it is never written: without a
private CA the setting is removed and the system store is used); with smtpUser and no smtpPass,
git asks `git credential fill` with protocol=smtp, host=HOST:PORT. An empty `helper` value first
resets the helpers git would otherwise also ask (and `store` would write the password to a file).
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..results import TlsMode
from ..text import QT_TRANSLATE_NOOP
from .base import (
    ClientError,
    ClientInfo,
    ClientSettings,
    ConfigParseError,
    FileChange,
    Plan,
    home_dir,
    note,
    read_existing,
    refuse_options,
    xdg_config_home,
)
from .passcmd import check_relay, self_command

NAME = "git"
GIT_TIMEOUT = 30.0
# sendemail keys we own: removed when our setting has no value for them. smtpPass (a secret
# kept in a file) is always removed.
OWNED = (
    "sendemail.smtpServer",
    "sendemail.smtpServerPort",
    "sendemail.smtpEncryption",
    "sendemail.smtpUser",
    "sendemail.smtpAuth",
    "sendemail.smtpSSLCertPath",
    "sendemail.envelopeSender",
    "sendemail.smtpPass",
)
BAD_LINE = re.compile(r"bad config line (\d+)")


def config_path(home: Path | None = None, config: Path | None = None) -> Path:
    if config is not None:
        return config
    gitconfig = home_dir(home) / ".gitconfig"
    xdg = xdg_config_home(home) / "git" / "config"
    return xdg if not gitconfig.exists() and xdg.exists() else gitconfig


def detect(home: Path | None = None, config: Path | None = None) -> ClientInfo:
    """Installed means git send-email is (Debian ships it apart, in git-email): plain git alone
    is on every developer's machine and does not send mail."""
    path = config_path(home, config)
    exe = shutil.which("git")
    if exe is None:
        return ClientInfo(NAME, installed=False, config_path=path)
    version = re.search(r"git version (\S+)", _run([exe, "--version"]).stdout)
    exec_path = Path(_run([exe, "--exec-path"]).stdout.strip() or ".")
    sends = (exec_path / "git-send-email").is_file()
    return ClientInfo(
        NAME,
        installed=sends,
        version=version.group(1) if version else None,
        config_path=path,
        notes=()
        if sends
        else (
            note(
                QT_TRANSLATE_NOOP(
                    "clients", "git send-email is not installed (Debian: the git-email package)"
                )
            ),
        ),
    )


def helper_key(settings: ClientSettings) -> str:
    return f"credential.smtp://{settings.relay.host}:{settings.relay.port}.helper"


def helper_command() -> str:
    """git runs a helper starting with `!` through the shell, the action appended."""
    return "!" + shlex.join((*self_command(), "credential"))


def render(settings: ClientSettings) -> dict[str, str]:
    """Our values: key -> value (OWNED keys absent here are removed)."""
    relay = settings.relay
    check_relay("git send-email", relay)
    values = {
        "sendemail.smtpServer": relay.host,
        "sendemail.smtpServerPort": str(relay.port),
        "sendemail.smtpEncryption": "ssl" if relay.tls is TlsMode.IMPLICIT else "tls",
        "sendemail.smtpUser": relay.user,
        "sendemail.envelopeSender": relay.sender,
    }
    if relay.auth:
        values["sendemail.smtpAuth"] = relay.auth.upper()
    if settings.ca_file is not None:
        values["sendemail.smtpSSLCertPath"] = str(settings.ca_file)
    return values


def plan(
    settings: ClientSettings,
    config: Path | None = None,
    home: Path | None = None,
    **options: str | None,
) -> Plan:
    refuse_options("git", options)
    wanted = render(settings)
    exe = shutil.which("git")
    if exe is None:
        raise ClientError(
            note(
                QT_TRANSLATE_NOOP(
                    "clients", "git is not installed: it is needed to edit its configuration"
                )
            )
        )
    path = config_path(home, config)
    old = read_existing(path)
    notes = [
        note(
            QT_TRANSLATE_NOOP(
                "clients",
                "git send-email asks `relay-setup credential` for the password of "
                "smtp://{host}:{port}: it comes from the OS keyring",
            ),
            host=settings.relay.host,
            port=str(settings.relay.port),
        )
    ]
    with tempfile.TemporaryDirectory(prefix="relay-setup-git-") as folder:
        copy = Path(folder) / "config"
        copy.write_bytes(old or b"")
        edit = _Editor(exe, copy, path, folder)
        edit.check()
        for key in OWNED:
            if key in wanted:
                edit.set(key, [wanted[key]])
            elif edit.get(key):
                edit.set(key, [])
                if key == "sendemail.smtpPass":
                    notes.append(
                        note(
                            QT_TRANSLATE_NOOP(
                                "clients",
                                "removed sendemail.smtpPass: a password does not belong in a file",
                            )
                        )
                    )
        edit.set(helper_key(settings), ["", helper_command()])
        new = copy.read_bytes()
    if old is None and not new.endswith(b"\n"):
        new += b"\n"
    return Plan(NAME, (FileChange(path, old, new, mode=0o600),), tuple(notes))


class _Editor:
    """`git config --file COPY` with nothing else read (no system or global file)."""

    def __init__(self, exe: str, copy: Path, shown: Path, home: str) -> None:
        self.exe = exe
        self.copy = copy
        self.shown = shown
        self.env = {
            **os.environ,
            "HOME": home,
            "XDG_CONFIG_HOME": home,
            "GIT_CONFIG_NOSYSTEM": "1",
            "LC_ALL": "C",
        }
        self.env.pop("GIT_CONFIG", None)
        self.env.pop("GIT_CONFIG_GLOBAL", None)

    def _git(self, *args: str) -> subprocess.CompletedProcess[str]:
        done = _run([self.exe, "config", "--file", str(self.copy), *args], self.env)
        found = BAD_LINE.search(done.stderr)
        if found:
            raise ConfigParseError(self.shown, int(found.group(1)), "git cannot read this line")
        return done

    def check(self) -> None:
        done = self._git("--list")
        if done.returncode != 0:
            raise ClientError(f"git cannot read {self.shown}: {done.stderr.strip()}")

    def get(self, key: str) -> list[str]:
        done = self._git("--null", "--get-all", key)
        return done.stdout.split("\0")[:-1] if done.returncode == 0 else []

    def set(self, key: str, values: list[str]) -> None:
        """Make `key` hold exactly `values` (in order); untouched when it already does."""
        if self.get(key) == values:
            return
        if self.get(key):
            self._must("--unset-all", key)
        for value in values:
            self._must("--add", key, value)

    def _must(self, *args: str) -> None:
        done = self._git(*args)
        if done.returncode != 0:
            raise ClientError(f"git config {args[0]} failed on {self.shown}: {done.stderr.strip()}")


def _run(argv: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            argv,
            capture_output=True,
            text=True,
            env=env,
            timeout=GIT_TIMEOUT,
            stdin=subprocess.DEVNULL,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ClientError(f"cannot run {argv[0]}: {exc}") from None
