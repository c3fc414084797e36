"""The real Thunderbird (headless) keeping the server we wrote after it rewrites prefs.js."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from clientfiles import PREFS_JS, listed, make_profile
from servers import Pki

from app.core.clients import mozprofiles, prefsjs
from app.core.clients import thunderbird as tb
from app.core.clients.base import ClientBusy, ClientSettings
from app.core.clients.safewrite import apply
from app.core.results import TlsMode
from app.core.settings import RelaySetting
from programs.headless import thunderbird, wait_until


@pytest.mark.clients
@pytest.mark.timeout(240)
@pytest.mark.skipif(shutil.which("thunderbird") is None, reason="thunderbird is not installed")
def test_real_thunderbird_keeps_our_server_after_rewriting_prefs(tmp_path: Path, pki: Pki) -> None:
    home = tmp_path / "home"
    profile = make_profile(home)
    ca = Path(pki.ca_file) if shutil.which("certutil") else None
    relay = RelaySetting("mail.example.org", 465, TlsMode.IMPLICIT, "jo@example.org")
    plan = tb.plan(ClientSettings.for_relay(relay, ca), home=home)
    apply(plan, data=tmp_path / "data")
    _, wanted = tb.server_prefs(prefsjs.parse(PREFS_JS), relay)

    def rewritten() -> bool:  # Thunderbird writes its own header and sorts the lines
        text = (profile / "prefs.js").read_text()
        return "If you make changes to this file while the application is running" in text

    with thunderbird(home, profile, tmp_path / "thunderbird.log") as process:
        wait_until(
            lambda: os.path.islink(profile / "lock") or process.poll() is not None,
            90,
            "Thunderbird to lock its profile",
        )
        assert process.poll() is None, (tmp_path / "thunderbird.log").read_text()[-2000:]
        with pytest.raises(ClientBusy):
            tb.plan(ClientSettings.for_relay(relay, ca), home=home)
        assert tb.detect(home=home).running
        wait_until(rewritten, 90, "Thunderbird to rewrite prefs.js")
    assert process.returncode is not None
    assert mozprofiles.lock_holder(profile) is None
    after = prefsjs.parse((profile / "prefs.js").read_text())
    for name, value in wanted.items():
        assert after.get(name) == value, name
    assert after.get("zz.custom.note") == 'keep "me"\n as I am'
    assert after.get("mail.smtp.defaultserver") == "smtp1"
    if ca is not None:
        assert listed(profile, tb.ca_nickname(relay))
    # Nothing left for us to change: Thunderbird kept every one of our values.
    assert not tb.plan(ClientSettings.for_relay(relay, ca), home=home).changed
