"""The keyring interface against a real Secret Service (gnome-keyring in tests/run.sh's private
D-Bus session), read back and written with msmtp's own tool, `secret-tool`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from keyringtools import secret_tool

from app.core.demo_relay import DemoRelay
from app.core.secrets import (
    MemoryStore,
    SecretStore,
)
from app.core.settings import Password


@pytest.fixture
def relay_host(secret_service: SecretStore) -> Iterator[str]:
    """A host name no other test uses, whose entries are removed afterwards."""
    host = f"relay-{uuid.uuid4().hex[:10]}.example.org"
    yield host
    for user in ("ann@example.org", "bob@example.org", "msmtp-user"):
        secret_service.delete(host, user)


pytestmark = pytest.mark.keyring


def test_stored_entry_is_found_by_msmtps_lookup(secret_service: SecretStore, relay_host: str):
    secret_service.set(relay_host, "ann@example.org", Password("correct horse 1"))
    found = secret_tool("lookup", "host", relay_host, "service", "smtp", "user", "ann@example.org")
    assert found.returncode == 0
    assert found.stdout == "correct horse 1"


def test_entry_written_by_secret_tool_is_read_and_then_replaced(
    secret_service: SecretStore, relay_host: str
):
    label = "--label=msmtp"
    stored = secret_tool(
        "store",
        label,
        "host",
        relay_host,
        "service",
        "smtp",
        "user",
        "msmtp-user",
        stdin="from-msmtp",
    )
    assert stored.returncode == 0, stored.stderr
    password = secret_service.get(relay_host, "msmtp-user")
    assert password is not None and password.reveal() == "from-msmtp"

    secret_service.set(relay_host, "msmtp-user", Password("ours now"))
    listing = secret_tool(
        "search", "--all", "host", relay_host, "service", "smtp", "user", "msmtp-user"
    )
    # One entry per (host, user): ours replaced msmtp's instead of sitting beside it.
    assert listing.stdout.count("secret = ") == 1
    found = secret_tool("lookup", "host", relay_host, "service", "smtp", "user", "msmtp-user")
    assert found.stdout == "ours now"


def test_several_relays_and_users_side_by_side(secret_service: SecretStore, relay_host: str):
    other_host = f"other-{relay_host}"
    entries = {
        (relay_host, "ann@example.org"): "ann-on-first",
        (relay_host, "bob@example.org"): "bob-on-first",
        (other_host, "ann@example.org"): "ann-on-other",
    }
    try:
        for (host, user), text in entries.items():
            secret_service.set(host, user, Password(text))
        for (host, user), text in entries.items():
            got = secret_service.get(host, user)
            assert got is not None and got.reveal() == text

        assert secret_service.delete(relay_host, "ann@example.org") is True
        assert secret_service.get(relay_host, "ann@example.org") is None
        assert secret_service.delete(relay_host, "ann@example.org") is False
        bob = secret_service.get(relay_host, "bob@example.org")
        other = secret_service.get(other_host, "ann@example.org")
        assert bob is not None and bob.reveal() == "bob-on-first"
        assert other is not None and other.reveal() == "ann-on-other"
    finally:
        secret_service.delete(other_host, "ann@example.org")


def test_non_ascii_password_round_trips(secret_service: SecretStore, relay_host: str):
    secret_service.set(relay_host, "ann@example.org", Password("Müller-Straße 2024 ✓"))
    got = secret_service.get(relay_host, "ann@example.org")
    assert got is not None and got.reveal() == "Müller-Straße 2024 ✓"
    found = secret_tool("lookup", "host", relay_host, "service", "smtp", "user", "ann@example.org")
    assert found.stdout == "Müller-Straße 2024 ✓"


def test_missing_entry_is_none(secret_service: SecretStore, relay_host: str):
    assert secret_service.get(relay_host, "nobody@example.org") is None
    assert secret_service.is_os_store is True


def test_msmtp_logs_in_with_the_password_we_stored(secret_service: SecretStore, tmp_path: Path):
    """The point of the attributes: msmtp, configured without any password, finds ours."""
    if shutil.which("msmtp") is None:
        pytest.skip("msmtp is not installed")
    user, password = f"m{uuid.uuid4().hex[:8]}@example.org", "Pässword-for-msmtp"
    with DemoRelay(users={user: password}) as relay:
        config = tmp_path / "msmtprc"
        config.write_text(
            f"account default\nhost 127.0.0.1\nport {relay.implicit_port}\ntls on\n"
            f"tls_starttls off\ntls_trust_file {relay.ca_file}\nauth plain\nuser {user}\n"
            f"from {user}\n"
        )
        config.chmod(0o600)
        try:
            secret_service.set("127.0.0.1", user, Password(password))
            sent = subprocess.run(
                ["msmtp", "-C", str(config), user],
                input=b"Subject: from msmtp\n\nhello\n",
                capture_output=True,
                env={**os.environ, "HOME": str(tmp_path)},
                timeout=30,
            )
        finally:
            secret_service.delete("127.0.0.1", user)
        assert sent.returncode == 0, sent.stderr
        assert [m.login for m in relay.received] == [user]


@pytest.mark.parametrize(
    "backend", ["keyring.backends.fail.Keyring", "keyring.backends.null.Keyring"]
)
def test_fail_and_null_backends_are_refused_with_advice(backend: str):
    # A fresh interpreter: keyring picks its backend once per process.
    code = (
        "from app.core.secrets import open_store, KeyringUnavailable\n"
        "try:\n    open_store()\nexcept KeyringUnavailable as e:\n    print('REFUSED', e)\n"
    )
    env = {**os.environ, "PYTHON_KEYRING_BACKEND": backend}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert out.stdout.startswith("REFUSED"), out.stdout + out.stderr
    assert "install and unlock" in out.stdout
    assert "plaintext" in out.stdout


def test_memory_store_has_the_same_interface_and_says_it_is_not_the_os_store():
    store: SecretStore = MemoryStore()
    assert store.is_os_store is False
    assert "demo only" in store.backend_name
    store.set("h", "u", Password("one"))
    store.set("h", "v", Password("two"))
    store.set("h", "u", Password("three"))
    got = store.get("h", "u")
    assert got is not None and got.reveal() == "three"
    assert store.delete("h", "u") is True
    assert store.delete("h", "u") is False
    assert store.get("h", "u") is None
    assert "two" not in repr(store.get("h", "v")) and "two" not in repr(vars(store))
