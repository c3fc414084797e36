"""The real Secret Service for the keyring tests (tests/run.sh gives a private, unlocked
gnome-keyring), and `secret-tool`, the tool msmtp's own lookup matches."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from app.core.secrets import KeyringUnavailable, SecretServiceStore, SecretStore, open_store


def secret_service_or_skip() -> SecretStore:
    try:
        store = open_store()
    except KeyringUnavailable as exc:
        pytest.skip(f"no Secret Service reachable (run through tests/run.sh): {exc}")
    if not isinstance(store, SecretServiceStore):
        pytest.skip(f"the OS keyring here is {store.backend_name}, not a Secret Service")
    return store


def secret_tool(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    if shutil.which("secret-tool") is None:
        pytest.skip("secret-tool (Debian package libsecret-tools) is not installed")
    return subprocess.run(
        ["secret-tool", *args], input=stdin, capture_output=True, text=True, timeout=20
    )
