"""The wizard, offscreen, against real TLS relays on 127.0.0.1 and the real keyring."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6.QtWidgets", reason="PySide6 is not installed")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from wizard_helpers import MakeWizard

from app.core.demo_relay import DemoRelay
from app.gui.state import Prefill, WizardOptions
from app.gui.tasks import SyncRunner
from app.gui.wizard import RelayWizard

pytestmark = pytest.mark.gui


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A throwaway home: the mail clients' files, the app's data folder and backups go here."""
    home = tmp_path / "home"
    for sub in ("", ".config", ".local/share", ".cache"):
        (home / sub).mkdir(parents=True, exist_ok=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local/share"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    return home


@pytest.fixture
def account() -> tuple[str, str]:
    """A user and password of its own for each test, so parallel runs never share a keyring
    entry."""
    tag = uuid.uuid4().hex[:10]
    return f"user-{tag}@example.org", f"pw-{tag}-correct horse"


@pytest.fixture
def relay(account: tuple[str, str]) -> Iterator[DemoRelay]:
    user, password = account
    with DemoRelay(users={user: password}) as relay:
        yield relay


@pytest.fixture
def store(account: tuple[str, str]) -> Iterator[Any]:
    """The real OS keyring (tests/run.sh gives a private, unlocked gnome-keyring)."""
    from app.core.secrets import KeyringUnavailable, open_store

    try:
        secrets = open_store()
        secrets.get("localhost", account[0])
    except KeyringUnavailable as exc:
        pytest.skip(f"no usable OS keyring (run through tests/run.sh): {exc}")
    except Exception as exc:  # D-Bus not there, keyring locked
        pytest.skip(f"the OS keyring does not answer (run through tests/run.sh): {exc}")
    yield secrets
    secrets.delete("localhost", account[0])


@pytest.fixture
def make_wizard(qtbot: Any, home: Path) -> MakeWizard:
    def make(prefill: Prefill, threaded: bool = False, **options: Any) -> RelayWizard:
        """threaded: the real QThreadPool runner; else work runs at once, in the test."""
        opts = WizardOptions(**{"timeout": 2.0, "deadline": 6.0, "home": home, **options})
        wizard = RelayWizard(prefill, opts, None if threaded else SyncRunner())
        qtbot.addWidget(wizard)
        wizard.show()
        qtbot.waitExposed(wizard)
        return wizard

    return make
