"""The wizard's survey finds NeoMutt, Mutt, aerc and git like the others, and says why one cannot
be set up (aerc without an account of the user's) instead of leaving it out."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.core.results import TlsMode
from app.core.settings import RelaySetting
from app.core.setup.clients import survey

RELAY = RelaySetting("mail.example.org", 465, TlsMode.IMPLICIT, "jo@example.org")


def test_the_survey_plans_the_new_clients_and_names_what_stops_aerc(tmp_path: Path) -> None:
    for program in ("neomutt", "mutt", "aerc"):
        if shutil.which(program) is None:
            pytest.skip(f"{program} is not installed (tests/setup.sh installs it)")
    accounts = tmp_path / ".config" / "aerc" / "accounts.conf"
    accounts.parent.mkdir(parents=True)
    accounts.write_text("[Home]\nsource = maildir://~/Mail\nfrom = me@home.example.net\n")
    found = {f.name: f for f in survey(RELAY, tmp_path)}
    assert {"neomutt", "mutt", "aerc", "git"} <= set(found)
    for name in ("neomutt", "mutt"):
        plan = found[name].plan
        assert plan is not None and plan.changed, found[name]
        assert "smtps://jo%40example.org@mail.example.org:465/" in plan.diff()
    assert found["aerc"].plan is None
    assert "no aerc account" in found["aerc"].problem
    assert "sends as jo@example.org" in found["aerc"].problem
    assert accounts.read_text().startswith("[Home]")  # a survey only reads
