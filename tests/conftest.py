"""Fixtures shared by the whole suite (pytest finds them here; test modules never import each
other). Helpers that are not fixtures live in helper modules beside this file (servers.py,
localinput.py, leakscan.py, keyringtools.py ...), imported as top-level modules."""

from __future__ import annotations

import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import trustme

sys.path.insert(0, str(Path(__file__).parent))

from autoconfigserver import AutoconfigServer
from dnsserver import DnsServer
from keyringtools import secret_service_or_skip
from localinput import Cli, in_process_cli
from loopback import fresh_loopback_address
from servers import Pki

from app.core.demo_relay import DemoRelay
from app.core.secrets import KeyringUnavailable, SecretStore, open_store


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    """One private CA for the session (like an organisation's)."""
    return Pki(trustme.CA(organization_name="Test Org private CA"), tmp_path_factory.mktemp("pki"))


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
def secret_service() -> SecretStore:
    """The real Secret Service, or a skip saying why there is none."""
    return secret_service_or_skip()


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Cli:
    """The command line in this process (fast), or with isolated=True in its own (for input
    that would hang or exhaust memory should a check regress)."""
    return in_process_cli(monkeypatch, capsys)


@pytest.fixture(scope="module")
def relay_users() -> dict[str, str]:
    """The demo relay's fixed users (user -> password); a module overrides this to have some."""
    return {}


@pytest.fixture(scope="module")
def relay(relay_users: dict[str, str]) -> Iterator[DemoRelay]:
    """The embedded demo relay on 127.0.0.1 (implicit TLS and STARTTLS, its own CA), one per
    test module."""
    with DemoRelay(users=dict(relay_users)) as demo:
        yield demo


@pytest.fixture
def account(relay: DemoRelay) -> tuple[str, str]:
    """A user and password of the demo relay that no other test (or parallel run) shares, so no
    two tests share a keyring entry."""
    tag = uuid.uuid4().hex[:10]
    user, password = f"user-{tag}@example.org", f"pw-{tag}-correct horse"
    relay.users[user] = password
    return user, password


@pytest.fixture
def store(request: pytest.FixtureRequest) -> Iterator[SecretStore]:
    """The real OS keyring (tests/run.sh gives a private, unlocked gnome-keyring), or a skip
    saying why there is none. Afterwards the demo relay's users' entries for localhost go."""
    try:
        keyring = open_store()
        keyring.get("localhost", "probe@example.org")
    except KeyringUnavailable as exc:
        pytest.skip(f"no usable OS keyring (run through tests/run.sh): {exc}")
    except Exception as exc:  # D-Bus not there, keyring locked
        pytest.skip(f"the OS keyring does not answer (run through tests/run.sh): {exc}")
    yield keyring
    if "relay" in request.fixturenames:
        relay: DemoRelay = request.getfixturevalue("relay")
        for user in list(relay.users):
            keyring.delete("localhost", user)


@pytest.fixture
def dns_server() -> Iterator[DnsServer]:
    """A real DNS server on 127.0.0.1 (UDP and TCP, random port) with an empty zone: the test
    adds records (`dns_server.add("x.test. A 127.1.2.3")`) and passes `dns_server.nameserver`."""
    with DnsServer() as server:
        yield server


@pytest.fixture
def autoconfig_server(pki: Pki) -> Iterator[Callable[..., AutoconfigServer]]:
    """Factory: `autoconfig_server(domain, dns_server)` starts HTTPS (:443, certificate from
    `pki` for autoconfig.DOMAIN and DOMAIN) and HTTP (:80) on a fresh 127.x.y.z, and with a
    DnsServer given, points autoconfig.DOMAIN and DOMAIN there. All stop at teardown."""
    started: list[AutoconfigServer] = []

    def start(domain: str, dns: DnsServer | None = None) -> AutoconfigServer:
        address = fresh_loopback_address()
        context = pki.server_context(f"autoconfig.{domain}", domain)
        server = AutoconfigServer(address, domain, context).start()
        started.append(server)
        if dns is not None:
            dns.add(f"autoconfig.{domain}. A {address}\n{domain}. A {address}")
        return server

    yield start
    for server in started:
        server.stop()
