"""The real msmtp sending through a local TLS relay with the password from the real keyring, and
reading a merged file back as we meant it."""

from __future__ import annotations

import hashlib
import os
import shutil
import ssl
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from clientfiles import MSMTPRC
from servers import Pki, self_signed_context, smtp_server

from app.core.appdirs import install_ca
from app.core.clients import msmtp
from app.core.clients.base import ClientSettings
from app.core.clients.safewrite import apply
from app.core.results import TlsMode
from app.core.secrets import SecretStore
from app.core.settings import Password, RelaySetting

HOST = "mail.example.org"
USER = "alice@example.org"


@pytest.fixture
def msmtp_keyring(store: SecretStore) -> Iterator[SecretStore]:
    """Relay Setup's own keyring store (on Linux: a Secret Service item with the attributes
    msmtp's libsecret lookup searches), holding USER's first password."""
    if shutil.which("msmtp") is None:
        pytest.skip("needs msmtp (Debian: msmtp)")
    if not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        pytest.skip("needs a D-Bus session with gnome-keyring: run through tests/run.sh")
    store.set("localhost", USER, Password("pw-one"))
    yield store
    store.delete("localhost", USER)


def send(rc: Path, home: Path, subject: str) -> subprocess.CompletedProcess[str]:
    message = f"To: bob@example.net\nSubject: {subject}\n\nhello from msmtp\n"
    env = {**os.environ, "HOME": str(home), "LC_ALL": "C"}
    return subprocess.run(
        ["msmtp", "-C", str(rc), "-t"],
        input=message,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


@pytest.mark.clients
@pytest.mark.keyring
@pytest.mark.parametrize("mode", ["starttls", "implicit", "pinned"])
def test_real_msmtp_sends_with_the_written_config_and_the_keyring_password(
    pki: Pki, tmp_path: Path, msmtp_keyring: SecretStore, mode: str
) -> None:
    users = {USER: "pw-one"}
    ca: Path | None = None
    pin: str | None = None
    if mode == "pinned":  # a self-signed certificate, accepted by its SHA-256 fingerprint
        context = self_signed_context(tmp_path, "localhost")
        der = ssl.PEM_cert_to_DER_cert((tmp_path / "self.pem").read_text())
        pin = ":".join(f"{b:02X}" for b in hashlib.sha256(der).digest())
    else:
        context = pki.server_context("localhost")
        ca = install_ca(Path(pki.ca_file), tmp_path / "data")
    tls = TlsMode.IMPLICIT if mode == "implicit" else TlsMode.STARTTLS
    with smtp_server(tls.value, context, users=users) as server:
        relay = RelaySetting("localhost", server.port, tls, USER, USER, pin_sha256=pin)
        rc = tmp_path / "msmtprc"
        apply(msmtp.plan(ClientSettings.for_relay(relay, ca), config=rc), data=tmp_path / "data")
        assert b"pw-one" not in rc.read_bytes()

        first = send(rc, tmp_path, "first")
        assert first.returncode == 0, first.stderr
        assert server.handler.messages[-1][0] == USER
        assert b"Subject: first" in server.handler.messages[-1][2]

        # The password changes at the relay: msmtp fails until Relay Setup stores the new one.
        users[USER] = "pw-two"
        refused = send(rc, tmp_path, "refused")
        assert refused.returncode != 0 and len(server.handler.messages) == 1
        msmtp_keyring.set("localhost", USER, Password("pw-two"))
        second = send(rc, tmp_path, "second")
        assert second.returncode == 0, second.stderr
        assert b"Subject: second" in server.handler.messages[-1][2]
        assert not any(p.name.startswith(".") for p in tmp_path.iterdir())  # HOME untouched
        if pin:
            assert f"tls_fingerprint {pin}".encode() in rc.read_bytes()


@pytest.mark.clients
def test_real_msmtp_reads_the_merged_file_as_we_meant_it(tmp_path: Path) -> None:
    if shutil.which("msmtp") is None:
        pytest.skip("needs msmtp (Debian: msmtp)")
    rc = tmp_path / "msmtprc"
    rc.write_bytes(MSMTPRC)
    rc.chmod(0o600)  # msmtp insists when a file holds a password (the `work` account's)
    ca = tmp_path / "Application Support" / "ca.pem"  # a space, as on macOS
    apply(
        msmtp.plan(
            ClientSettings.for_relay(
                RelaySetting(HOST, 465, TlsMode.IMPLICIT, "alice", "alice@example.org"), ca
            ),
            config=rc,
        ),
        data=tmp_path / "d",
    )
    done = subprocess.run(
        ["msmtp", "-C", str(rc), "--pretend", "-a", HOST],
        capture_output=True,
        text=True,
        timeout=30,
        env={**os.environ, "HOME": str(tmp_path), "LC_ALL": "C"},
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, done.stderr
    shown = dict(line.split(" = ", 1) for line in done.stdout.splitlines() if " = " in line)
    assert shown["host"] == HOST and shown["port"] == "465"
    assert (shown["tls"], shown["tls_starttls"], shown["tls_certcheck"]) == ("on", "off", "on")
    assert shown["tls_trust_file"] == str(ca)
    assert shown["user"] == "alice" and shown["from"] == "alice@example.org"
    assert shown["password"] == "(not set)" and shown["passwordeval"] == "(not set)"
