"""Thunderbird: finding the profile, refusing while it runs, the outgoing server in prefs.js,
the private CA through certutil, and a real headless Thunderbird keeping what we wrote."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from clientfiles import PREFS_JS, listed, make_profile
from servers import Pki

from app.core.clients import mozprofiles, prefsjs
from app.core.clients import thunderbird as tb
from app.core.clients.base import ClientBusy, ClientError, ClientSettings, ConfigParseError
from app.core.clients.safewrite import apply, undo
from app.core.results import TlsMode
from app.core.settings import RelaySetting

RELAY = RelaySetting("mail.example.org", 587, TlsMode.STARTTLS, "jo@example.org")


def settings_for(relay: RelaySetting, ca: Path | None = None) -> ClientSettings:
    return ClientSettings.for_relay(relay, ca_file=ca)


# -- profiles ----------------------------------------------------------------------------------

PROFILES_INI = """\
[Profile1]
Name=work
IsRelative=1
Path=Profiles/work.x
Default=1

[Profile0]
Name=default-release
IsRelative=1
Path=Profiles/rel.y

[Profile2]
Name=external
IsRelative=0
Path={external}

[General]
StartWithLastProfile=1
"""


def test_install_default_wins_over_default_1(tmp_path: Path) -> None:
    (tmp_path / "profiles.ini").write_text(
        PROFILES_INI.format(external=tmp_path / "ext")
        + "\n[Install4F96D1932A9F858E]\nDefault=Profiles/rel.y\nLocked=1\n"
    )
    assert mozprofiles.find_profile(tmp_path).path == tmp_path / "Profiles" / "rel.y"


def test_installs_ini_then_default_1(tmp_path: Path) -> None:
    (tmp_path / "profiles.ini").write_text(PROFILES_INI.format(external=tmp_path / "ext"))
    assert mozprofiles.find_profile(tmp_path).name == "work"
    (tmp_path / "installs.ini").write_text("[4F96D1932A9F858E]\nDefault=Profiles/rel.y\n")
    assert mozprofiles.find_profile(tmp_path).name == "default-release"


def test_a_profile_by_name_or_folder_and_absolute_paths(tmp_path: Path) -> None:
    (tmp_path / "profiles.ini").write_text(PROFILES_INI.format(external=tmp_path / "ext"))
    assert mozprofiles.find_profile(tmp_path, "external").path == tmp_path / "ext"
    assert mozprofiles.find_profile(tmp_path, "rel.y").name == "default-release"
    with pytest.raises(ClientError, match="work, default-release, external"):
        mozprofiles.find_profile(tmp_path, "nope")


def test_no_profile_or_no_default(tmp_path: Path) -> None:
    with pytest.raises(ClientError, match="no Thunderbird profile"):
        mozprofiles.find_profile(tmp_path)
    (tmp_path / "profiles.ini").write_text(
        "[Profile0]\nName=a\nPath=a\n\n[Profile1]\nName=b\nPath=b\n"
    )
    with pytest.raises(ClientError, match="none is the default"):
        mozprofiles.find_profile(tmp_path)


def test_a_broken_profiles_ini_names_the_line(tmp_path: Path) -> None:
    (tmp_path / "profiles.ini").write_text("[Profile0]\nName=a\nnot an ini line\n")
    with pytest.raises(ConfigParseError) as caught:
        mozprofiles.find_profile(tmp_path)
    assert caught.value.line_number == 3


def test_roots_per_os(tmp_path: Path) -> None:
    assert mozprofiles.roots(tmp_path, "darwin") == (tmp_path / "Library" / "Thunderbird",)
    assert mozprofiles.roots(tmp_path, "win32") == (
        tmp_path / "AppData" / "Roaming" / "Thunderbird",
    )
    assert mozprofiles.roots(tmp_path, "linux")[0] == tmp_path / ".thunderbird"
    snap = tmp_path / "snap" / "thunderbird" / "common" / ".thunderbird"
    snap.mkdir(parents=True)
    (snap / "profiles.ini").write_text("[Profile0]\nName=a\nPath=a\nDefault=1\n")
    assert mozprofiles.find_root(tmp_path) == snap


# -- the outgoing server -----------------------------------------------------------------------


def test_a_new_server_becomes_smtp2_attached_to_the_matching_identity() -> None:
    key, wanted = tb.server_prefs(prefsjs.parse(PREFS_JS), RELAY)
    assert key == "smtp2"
    assert wanted == {
        "mail.smtpserver.smtp2.hostname": "mail.example.org",
        "mail.smtpserver.smtp2.port": 587,
        "mail.smtpserver.smtp2.try_ssl": 2,
        "mail.smtpserver.smtp2.authMethod": 3,
        "mail.smtpserver.smtp2.username": "jo@example.org",
        "mail.smtpserver.smtp2.type": "smtp",
        "mail.smtpserver.smtp2.description": "mail.example.org (Relay Setup)",
        "mail.smtpservers": "smtp1,smtp2",
        "mail.identity.id1.smtpServer": "smtp2",  # Jo@Example.org: addresses match caselessly
    }  # the user's default server stays the default


def test_an_empty_profile_gets_smtp1_as_default_and_implicit_tls_cram_md5() -> None:
    relay = RelaySetting("mail.example.org", 465, TlsMode.IMPLICIT, "jo", auth="CRAM-MD5")
    key, wanted = tb.server_prefs(prefsjs.parse(""), relay)
    assert key == "smtp1"
    assert wanted["mail.smtp.defaultserver"] == "smtp1"
    assert wanted["mail.smtpserver.smtp1.try_ssl"] == 3
    assert wanted["mail.smtpserver.smtp1.authMethod"] == 4


def test_our_existing_server_is_updated_in_place_keeping_its_description() -> None:
    text = (
        PREFS_JS
        + textwrap.dedent(
            """\
        user_pref("mail.smtpserver.smtp7.hostname", "MAIL.example.org");
        user_pref("mail.smtpserver.smtp7.username", "jo@example.org");
        user_pref("mail.smtpserver.smtp7.port", 25);
        user_pref("mail.smtpserver.smtp7.try_ssl", 0);
        user_pref("mail.smtpserver.smtp7.description", "Office");
        user_pref("mail.smtpserver.smtp9.hostname", "left.over.example");
        """
        )
    ).replace('"mail.smtpservers", "smtp1"', '"mail.smtpservers", "smtp1,smtp7"')
    key, wanted = tb.server_prefs(prefsjs.parse(text), RELAY)
    assert key == "smtp7" and "mail.smtpservers" not in wanted
    assert "mail.smtpserver.smtp7.description" not in wanted
    merged = prefsjs.parse(prefsjs.merge(text, wanted))
    assert merged.get("mail.smtpserver.smtp7.port") == 587
    assert merged.get("mail.smtpserver.smtp7.try_ssl") == 2
    # A new server never reuses a key that still has settings (smtp9 is not listed).
    other = RelaySetting("other.example.org", 587, TlsMode.STARTTLS, "jo@example.org")
    assert tb.server_prefs(prefsjs.parse(text), other)[0] == "smtp10"


def test_plan_apply_keeps_every_other_line_and_a_second_run_changes_nothing(
    tmp_path: Path,
) -> None:
    profile = make_profile(tmp_path)
    os.chmod(profile / "prefs.js", 0o644)
    plan = tb.plan(settings_for(RELAY), home=tmp_path)
    assert plan.changes[0].path == profile / "prefs.js"
    assert any("asks for the password" in n for n in map(str, plan.notes)) and not plan.actions
    apply(plan, data=tmp_path / "data")
    written = (profile / "prefs.js").read_text().splitlines(keepends=True)
    old = PREFS_JS.splitlines(keepends=True)
    changed = old.index('user_pref("mail.smtpservers", "smtp1");\n')
    assert written[changed] == 'user_pref("mail.smtpservers", "smtp1,smtp2");\n'  # in place
    del written[changed], old[changed]
    assert written[: len(old)] == old  # every other line as it was; ours appended after them
    assert (profile / "prefs.js").stat().st_mode & 0o777 == 0o644
    assert not tb.plan(settings_for(RELAY), home=tmp_path).changed


def test_notes_for_no_matching_identity_and_a_pinned_certificate(tmp_path: Path) -> None:
    make_profile(tmp_path, prefs=None)
    relay = RelaySetting("mail.example.org", 587, TlsMode.STARTTLS, "jo", pin_sha256="AB:CD:EF")
    plan = tb.plan(settings_for(relay), home=tmp_path, profile="default")
    assert plan.changes[0].old is None
    assert plan.changes[0].new.startswith(tb.HEADER.encode())
    notes = "\n".join(map(str, plan.notes))
    assert "No Thunderbird identity has the address jo" in notes and "AB:CD:EF" in notes


def test_a_prefs_js_we_cannot_parse_is_left_alone_and_the_line_named(tmp_path: Path) -> None:
    broken = PREFS_JS.replace('user_pref("zz.custom', 'user_pref("zz.custom"')
    profile = make_profile(tmp_path, prefs=broken)
    with pytest.raises(ConfigParseError) as caught:
        tb.plan(settings_for(RELAY), config=profile / "prefs.js")
    assert (
        caught.value.line_number
        == broken.splitlines().index(
            next(line for line in broken.splitlines() if "zz.custom" in line)
        )
        + 1
    )
    assert (profile / "prefs.js").read_text() == broken


# -- refusing while Thunderbird runs ------------------------------------------------------------

HOLD_LOCK = """
import fcntl, os, sys
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT)
fcntl.lockf(fd, fcntl.LOCK_EX)
print("locked", flush=True)
sys.stdin.read()
"""


def test_a_process_holding_parentlock_makes_the_plan_refuse(tmp_path: Path) -> None:
    profile = make_profile(tmp_path)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(profile / ".parentlock")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
        with pytest.raises(ClientBusy, match="parentlock"):
            tb.plan(settings_for(RELAY), home=tmp_path)
        assert tb.detect(home=tmp_path).running
    finally:
        holder.communicate("", timeout=10)
    assert tb.plan(settings_for(RELAY), home=tmp_path).changed  # free again


def test_the_lock_symlink_counts_only_while_its_process_lives(tmp_path: Path) -> None:
    profile = make_profile(tmp_path)
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    os.symlink(f"127.0.0.1:+{dead.stdout.strip()}", profile / "lock")
    assert mozprofiles.lock_holder(profile) is None  # left behind by a crash
    (profile / "lock").unlink()
    os.symlink(f"127.0.0.1:+{os.getpid()}", profile / "lock")
    with pytest.raises(ClientBusy, match="running process"):
        tb.plan(settings_for(RELAY), home=tmp_path)


# -- the private CA ----------------------------------------------------------------------------

needs_certutil = pytest.mark.skipif(
    shutil.which("certutil") is None, reason="certutil (libnss3-tools) is not installed"
)


@needs_certutil
def test_certutil_imports_the_ca_once_and_undo_removes_it(tmp_path: Path, pki: Pki) -> None:
    profile = make_profile(tmp_path)
    plan = tb.plan(settings_for(RELAY, Path(pki.ca_file)), home=tmp_path)
    (action,) = plan.actions
    assert action.argv[:2] == ("certutil", "-A") and "C,," in action.argv
    result = apply(plan, data=tmp_path / "data")
    assert all(a.ok for a in result.actions), result.actions
    nickname = tb.ca_nickname(RELAY)
    assert listed(profile, nickname)
    again = tb.plan(settings_for(RELAY, Path(pki.ca_file)), home=tmp_path)
    assert not again.actions and not again.changed
    undo(data=tmp_path / "data")
    assert not listed(profile, nickname)
    assert (profile / "prefs.js").read_text() == PREFS_JS


def test_without_certutil_the_policy_snippet_is_printed(
    tmp_path: Path, pki: Pki, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_profile(tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))  # a PATH where no certutil is found
    plan = tb.plan(settings_for(RELAY, Path(pki.ca_file)), home=tmp_path)
    assert not plan.actions
    note = next(n for n in map(str, plan.notes) if "policies.json" in n)
    snippet = json.loads(note[note.index("{") :])
    assert snippet == {"policies": {"Certificates": {"Install": [pki.ca_file]}}}
