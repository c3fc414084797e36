"""The one-click installer: build the PyInstaller executable once (with a profile for a demo relay
embedded) and smoke-test the frozen program: --version, probe, keyring backend, certifi's
bundle, the embedded profile selected by itself, and a whole apply with no --profile."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from dnsserver import DnsServer
from localinput import write_profile

from app import __version__, exitcodes
from app.core.clients import CLIENTS
from app.core.demo_relay import DemoRelay

ROOT = Path(__file__).parents[2]
SPEC = ROOT / "resources" / "relay-setup.spec"
USER = "ann@example.org"
PASSWORD = "Installer-Ünïcode-4k2p"

pytestmark = [
    pytest.mark.skipif(
        importlib.util.find_spec("PyInstaller") is None, reason="PyInstaller is not installed"
    ),
    pytest.mark.timeout(900),  # the one build takes a minute or more on 2 cores
]


@dataclass
class Installer:
    exe: Path
    relay: DemoRelay
    home: Path

    def run(self, *args: str, stdin: str = "", env: dict[str, str] | None = None) -> Any:
        return subprocess.run(
            [str(self.exe), *args],
            input=stdin,
            capture_output=True,
            text=True,
            timeout=120,
            cwd=self.home,  # far from the source tree: nothing may come from there
            env=env or self.env(),
            check=False,
        )

    def env(self) -> dict[str, str]:
        keep = ("PATH", "DBUS_SESSION_BUS_ADDRESS", "XDG_RUNTIME_DIR", "LANG", "TMPDIR")
        env = {k: v for k, v in os.environ.items() if k in keep}
        env.update(
            HOME=str(self.home),
            XDG_CONFIG_HOME=str(self.home / ".config"),
            XDG_DATA_HOME=str(self.home / ".local/share"),
        )
        return env


@pytest.fixture(scope="module")
def installer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installer]:
    """The only build of the session, with a profile for this module's demo relay embedded."""
    folder = tmp_path_factory.mktemp("installer")
    home = folder / "home"
    home.mkdir()
    with DemoRelay(users={USER: PASSWORD}) as relay:
        profile = write_profile(folder, relay.ports)
        env = {**os.environ, "PYINSTALLER_CONFIG_DIR": str(folder / "pyinstaller-cache")}
        build = subprocess.run(
            [
                *(sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN"),
                *("--distpath", str(folder / "dist"), "--workpath", str(folder / "build")),
                *(str(SPEC), "--", "--profile", str(profile)),
            ],
            capture_output=True,
            text=True,
            timeout=840,
            cwd=ROOT,
            env=env,
            check=False,
        )
        assert build.returncode == 0, build.stderr[-3000:]
        exe = folder / "dist" / "relay-setup"
        assert exe.is_file() and os.access(exe, os.X_OK)
        yield Installer(exe, relay, home)


def test_frozen_version(installer: Installer) -> None:
    done = installer.run("--version")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"relay-setup {__version__}"


def test_frozen_check_finds_profile_certifi_and_keyring(installer: Installer) -> None:
    done = installer.run("apply", "--check", "--json")
    found = json.loads(done.stdout)
    assert found["frozen"] is True
    assert found["clients"] == dict.fromkeys(CLIENTS, True)
    assert found["embedded_profile"] and "embedded-profile" in found["embedded_profile"]
    assert found["profile"]["valid"] and found["profile"]["organisation"] == "Relay Setup demo"
    assert found["profile"]["ports"][0]["port"] == installer.relay.implicit_port
    certifi_path = found["certifi"]["path"]
    assert found["certifi"]["found"] and "_MEI" in certifi_path  # the bundle's own copy
    if not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        assert done.returncode == exitcodes.KEYRING and not found["keyring"]["found"]
        pytest.skip("no D-Bus session here (run through tests/run.sh): keyring not checked")
    assert done.returncode == exitcodes.OK, found
    assert found["keyring"]["found"] and "Secret Service" in found["keyring"]["backend"]


def test_frozen_program_carries_the_translations(installer: Installer) -> None:
    """The German catalogue, compiled by the spec, and Qt's own for the standard buttons."""
    exe = installer.exe
    listing = subprocess.run(
        [*(sys.executable, "-m", "PyInstaller.utils.cliutils.archive_viewer"), "-lb", str(exe)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    assert "resources/translations/relay_setup_de.qm" in listing
    assert "qtbase_de.qm" in listing


def test_frozen_profile_show_selects_the_embedded_profile(installer: Installer) -> None:
    done = installer.run("profile", "show", "--json")
    assert done.returncode == 0, done.stderr
    profile = json.loads(done.stdout)
    assert profile["host"] == "localhost" and profile["source"].endswith("profile.toml")


def test_frozen_probe_against_the_local_relay(installer: Installer) -> None:
    relay = installer.relay
    done = installer.run(
        "probe",
        "localhost",
        "--port",
        f"{relay.implicit_port}/implicit",
        "--port",
        f"{relay.starttls_port}/starttls",
        "--ca",
        relay.ca_file,
        "--json",
    )
    assert done.returncode == exitcodes.OK, done.stdout + done.stderr
    report = json.loads(done.stdout)
    assert report["verdict"] == "recommended"
    assert report["recommended"]["port"] == relay.implicit_port
    assert {p["status"] for p in report["ports"]} == {"ok"}


@pytest.mark.keyring
@pytest.mark.skipif(
    not os.environ.get("DBUS_SESSION_BUS_ADDRESS"), reason="no D-Bus session (tests/run.sh)"
)
def test_frozen_apply_uses_the_embedded_profile_end_to_end(installer: Installer) -> None:
    relay = installer.relay
    args = ["apply", "--email", USER, "--password-stdin", "--ca", relay.ca_file]
    done = installer.run(*args, "--clients", "msmtp", "--send-test", "--json", stdin=PASSWORD)
    assert PASSWORD not in done.stdout + done.stderr
    report = json.loads(done.stdout)
    assert done.returncode == exitcodes.OK, (report["message"], report["steps"])
    assert "embedded-profile" in report["profile"]["source"]
    statuses = {s["step"]: s["status"] for s in report["steps"]}
    assert statuses["keyring"] in ("changed", "unchanged") and statuses["send"] == "ok"
    queue_id = next(s["queue_id"] for s in report["steps"] if s["step"] == "send")
    assert relay.wait_for_message(queue_id) is not None
    assert f"port {relay.implicit_port}" in (installer.home / ".msmtprc").read_text()
    from app.core.secrets import open_store

    open_store().delete("localhost", USER)


def test_a_bad_profile_stops_the_build_before_it_starts(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[organisation]\nname = 'X'\n[relay]\nhost = 'm.x.org'\nports = ['25/none']\n")
    done = subprocess.run(
        [
            *(sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "ERROR"),
            *("--distpath", str(tmp_path / "dist"), "--workpath", str(tmp_path / "build")),
            *(str(SPEC), "--", "--profile", str(bad)),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env={**os.environ, "PYINSTALLER_CONFIG_DIR": str(tmp_path / "cache")},
        check=False,
    )
    assert done.returncode != 0
    assert f"invalid profile: {bad}: relay.ports[0]: a profile never allows" in done.stderr
    assert not (tmp_path / "dist" / "relay-setup").exists()


def test_frozen_discover_starts_from_the_embedded_profile(
    installer: Installer, dns_server: DnsServer
) -> None:
    """The one-click installer's `discover` knows its organisation's relay without --profile;
    every name is asked of the test's own DNS server, which knows only localhost."""
    relay = installer.relay
    dns_server.add("localhost. A 127.0.0.1")
    resolver = str(dns_server.nameserver)
    done = installer.run("discover", USER, "--ca", relay.ca_file, "--resolver", resolver, "--json")
    assert done.returncode == exitcodes.OK, done.stdout + done.stderr
    chosen = json.loads(done.stdout)["chosen"]
    assert (chosen["host"], chosen["source"]) == ("localhost", "profile"), chosen
    assert chosen["port"] in (relay.implicit_port, relay.starttls_port)
