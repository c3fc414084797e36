"""Thunderbird: an outgoing server in the profile's prefs.js (made the default when there is
none, attached to the identity with the user's address), and the private CA in the profile's
NSS database (certutil) or, without certutil, an enterprise-policy snippet to hand to IT.
Thunderbird keeps the password in its own store: it asks on the first send."""

from __future__ import annotations

import configparser
import json
import re
import shutil
import subprocess
from pathlib import Path

from ..results import TlsMode
from ..settings import RelaySetting
from ..text import QT_TRANSLATE_NOOP, Text
from . import mozprofiles, prefsjs
from .base import (
    ClientBusy,
    ClientError,
    ClientInfo,
    ClientSettings,
    Command,
    ConfigParseError,
    FileChange,
    Plan,
    note,
    read_existing,
)

NAME = "thunderbird"
HEADER = "// Mozilla User Preferences\n\n"  # what Thunderbird starts a prefs.js with
TRY_SSL = {TlsMode.STARTTLS: 2, TlsMode.IMPLICIT: 3}
AUTH_NORMAL_PASSWORD, AUTH_ENCRYPTED_PASSWORD = 3, 4  # PLAIN/LOGIN, CRAM-MD5
NSS_DATABASE = "NSS Certificate DB"  # certutil -D needs the token name for a profile's database
_SERVER_KEY = re.compile(r"mail\.smtpserver\.smtp(\d+)\.")
_IDENTITY_EMAIL = re.compile(r"mail\.identity\.([^.]+)\.useremail")


def version() -> str | None:
    """From application.ini beside the program (running `thunderbird --version` is slow)."""
    program = shutil.which("thunderbird")
    if program is None:
        return None
    for folder in (Path(program).resolve().parent, Path("/usr/lib/thunderbird")):
        ini = configparser.ConfigParser(interpolation=None, strict=False)
        try:
            ini.read(folder / "application.ini", encoding="utf-8")
        except (configparser.Error, UnicodeDecodeError):
            continue
        found = ini.get("App", "Version", fallback=None)
        if found:
            return str(found)
    return None


def profile_dir(
    home: Path | None = None, config: Path | None = None, profile: str | None = None
) -> Path:
    """`--config` (a profile folder, or its prefs.js), else the named or default profile."""
    if config is not None:
        return config.parent if config.name == "prefs.js" else config
    return mozprofiles.find_profile(mozprofiles.find_root(home), profile).path


def server_prefs(
    prefs: prefsjs.Prefs, relay: RelaySetting
) -> tuple[str, dict[str, prefsjs.PrefValue]]:
    """Our server's key (smtpN: the existing one for this host and user, else a new one) and
    the preferences to set."""
    if relay.tls not in TRY_SSL:
        raise ClientError(
            Text(
                "clients",
                QT_TRANSLATE_NOOP(
                    "clients", "Thunderbird is only set up for TLS (implicit or STARTTLS)"
                ),
            )
        )
    servers = [s.strip() for s in prefs.text("mail.smtpservers").split(",") if s.strip()]
    key = next(
        (
            s
            for s in servers
            if prefs.text(f"mail.smtpserver.{s}.hostname").lower() == relay.host.lower()
            and prefs.text(f"mail.smtpserver.{s}.username") == relay.user
        ),
        None,
    )
    if key is None:
        used = [int(m.group(1)) for n in prefs.values if (m := _SERVER_KEY.match(n))]
        used += [int(s[4:]) for s in servers if s.startswith("smtp") and s[4:].isdigit()]
        key = f"smtp{max(used, default=0) + 1}"
    auth = (relay.auth or "").upper()
    base = f"mail.smtpserver.{key}."
    changes: dict[str, prefsjs.PrefValue] = {
        base + "hostname": relay.host,
        base + "port": relay.port,
        base + "try_ssl": TRY_SSL[relay.tls],
        base + "authMethod": AUTH_ENCRYPTED_PASSWORD
        if auth == "CRAM-MD5"
        else AUTH_NORMAL_PASSWORD,
        base + "username": relay.user,
        base + "type": "smtp",
    }
    if prefs.get(base + "description") is None:  # the user's own name for it stays
        changes[base + "description"] = f"{relay.host} (Relay Setup)"
    if key not in servers:
        changes["mail.smtpservers"] = ",".join([*servers, key])
    if prefs.text("mail.smtp.defaultserver") not in servers:
        changes["mail.smtp.defaultserver"] = key
    for name, value in prefs.values.items():
        match = _IDENTITY_EMAIL.fullmatch(name)
        if match and isinstance(value, str) and value.lower() == relay.sender.lower():
            changes[f"mail.identity.{match.group(1)}.smtpServer"] = key
    return key, changes


def merge_prefs(text: str, relay: RelaySetting) -> str:
    return prefsjs.merge(text, server_prefs(prefsjs.parse(text), relay)[1])


def ca_nickname(relay: RelaySetting) -> str:
    return f"Relay Setup CA for {relay.host}"


def _has_certificate(profile: Path, nickname: str) -> bool:
    try:
        result = subprocess.run(
            ["certutil", "-L", "-d", f"sql:{profile}", "-n", nickname],
            capture_output=True,
            timeout=20,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return result.returncode == 0


def policy_snippet(ca_file: Path) -> str:
    """The enterprise policy (policies.json) that installs the CA, for IT to deploy."""
    return json.dumps({"policies": {"Certificates": {"Install": [str(ca_file)]}}}, indent=2)


def _ca_steps(settings: ClientSettings, profile: Path) -> tuple[list[Command], list[Text]]:
    ca = settings.ca_file
    if ca is None:
        return [], []
    nickname = ca_nickname(settings.relay)
    if shutil.which("certutil") is None:
        return [], [
            note(
                QT_TRANSLATE_NOOP(
                    "clients",
                    "certutil (libnss3-tools) is not installed, so the organisation's CA was not "
                    "added to the profile. Install certutil and run this again, or have IT deploy "
                    "this Thunderbird policy (policies.json):\n{policy}",
                ),
                policy=policy_snippet(ca),
            )
        ]
    if _has_certificate(profile, nickname):
        return [], [
            note(
                QT_TRANSLATE_NOOP(
                    "clients",
                    "The organisation's CA is already trusted in this profile ({nickname}).",
                ),
                nickname=nickname,
            )
        ]
    database = f"sql:{profile}"
    command = Command(
        argv=("certutil", "-A", "-d", database, "-n", nickname, "-t", "C,,", "-i", str(ca)),
        why=f"trust the organisation's CA for mail servers in profile {profile.name}",
        undo_argv=("certutil", "-D", "-d", database, "-n", f"{NSS_DATABASE}:{nickname}"),
    )
    return [command], []


def detect(home: Path | None = None, config: Path | None = None) -> ClientInfo:
    notes: list[Text] = []
    path: Path | None = None
    busy = False
    try:
        folder = profile_dir(home, config)
    except ClientError as exc:
        notes.append(exc.text)
    else:
        path = folder / "prefs.js"
        holder = mozprofiles.lock_holder(folder)
        busy = holder is not None
        if holder:
            notes.append(
                note(
                    QT_TRANSLATE_NOOP(
                        "clients", "Thunderbird is running ({holder}): quit it before writing"
                    ),
                    holder=holder,
                )
            )
    found = version()
    return ClientInfo(
        name=NAME,
        installed=shutil.which("thunderbird") is not None,
        version=found,
        config_path=path,
        running=busy,
        notes=tuple(notes),
    )


def plan(
    settings: ClientSettings,
    config: Path | None = None,
    home: Path | None = None,
    **options: str | None,
) -> Plan:
    relay = settings.relay
    folder = profile_dir(home, config, options.get("profile"))
    if not folder.is_dir():
        raise ClientError(
            Text.of(
                "clients",
                QT_TRANSLATE_NOOP("clients", "no Thunderbird profile folder at {folder}"),
                folder=str(folder),
            )
        )
    holder = mozprofiles.lock_holder(folder)
    if holder is not None:
        raise ClientBusy(
            NAME,
            Text.of(
                "clients",
                QT_TRANSLATE_NOOP(
                    "clients", "{holder}; quit Thunderbird first (it rewrites prefs.js on exit)"
                ),
                holder=holder,
            ),
        )
    path = folder / "prefs.js"
    old = read_existing(path)
    try:
        text = old.decode("utf-8") if old is not None else HEADER
        prefs = prefsjs.parse(text)
    except UnicodeDecodeError as exc:
        line = (old or b"")[: exc.start].count(b"\n") + 1
        raise ConfigParseError(path, line, "not UTF-8 text") from None
    except prefsjs.PrefsSyntaxError as exc:
        raise ConfigParseError(path, exc.line, exc.why) from None
    key, wanted = server_prefs(prefs, relay)
    try:
        new = prefsjs.merge(text, wanted)
    except ValueError as exc:  # a value prefs.js cannot carry
        raise ClientError(f"{path}: {exc}") from None
    notes = [
        note(
            QT_TRANSLATE_NOOP(
                "clients",
                "Thunderbird sends through {host}:{port} (outgoing server {key}); it asks for the "
                "password on the first send and can remember it in its own password manager.",
            ),
            host=relay.host,
            port=str(relay.port),
            key=key,
        )
    ]
    if not any(n.startswith("mail.identity.") and n.endswith(".smtpServer") for n in wanted):
        notes.append(
            note(
                QT_TRANSLATE_NOOP(
                    "clients",
                    "No Thunderbird identity has the address {sender}: choose the outgoing "
                    "server in that account's settings.",
                ),
                sender=relay.sender,
            )
        )
    if relay.pin_sha256 and settings.ca_file is None:
        notes.append(
            note(
                QT_TRANSLATE_NOOP(
                    "clients",
                    "Thunderbird cannot be given a fingerprint: on the first send it shows the "
                    "relay's certificate; confirm the exception only if its SHA-256 is {pin}.",
                ),
                pin=relay.pin_sha256,
            )
        )
    actions, ca_notes = _ca_steps(settings, folder)
    return Plan(
        client=NAME,
        changes=(FileChange(path, old, new.encode("utf-8"), mode=0o600),),
        notes=(*notes, *ca_notes),
        actions=tuple(actions),
    )
