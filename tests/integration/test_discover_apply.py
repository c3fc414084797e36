"""`apply` with a profile that names no relay host: it discovers the relay from the address
(through --resolver, on loopback), logs in and sends through the name it found, and refuses a
host outside the domain that only an unauthenticated source named, unless --accept-host."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from dnsserver import DnsServer
from servers import Pki, SmtpServer

from app import exitcodes
from app.cli import main
from app.core.failures import Failure
from app.core.org.profiles import load_profile
from app.core.secrets import MemoryStore, SecretStore
from app.core.settings import Password
from app.core.setup.apply import ApplyOptions, apply_profile
from app.core.setup.steps import StepStatus

DOMAIN = "example.test"
EMAIL = f"ann@{DOMAIN}"
PASSWORD = "Discover-Ünïcode-9k2w"
PROFILE = """[organisation]
name = "Example Test"

[relay]
ports = ["465/implicit", "587/starttls"]

[identity]
domains = ["example.test"]
"""


@pytest.fixture
def profile_path(tmp_path: Path) -> Path:
    path = tmp_path / "org.toml"
    path.write_text(PROFILE)
    return path


def options(dns_server: DnsServer, pki: Pki, **kwargs: object) -> ApplyOptions:
    return ApplyOptions(
        clients=("msmtp",),
        send_test=True,
        extra_ca=Path(pki.ca_file),
        timeout=2,
        deadline=8,
        nameserver=dns_server.nameserver,
        **kwargs,  # type: ignore[arg-type]
    )


def test_a_profile_without_host_loads_and_says_so(profile_path: Path) -> None:
    profile = load_profile(profile_path)
    assert profile.host is None
    assert profile.to_json()["host"] is None


def test_apply_discovers_logs_in_and_sends_through_the_name_it_found(
    dns_server: DnsServer,
    named_relay: Callable[..., SmtpServer],
    pki: Pki,
    profile_path: Path,
    home: Path,
) -> None:
    server = named_relay("submit.example.test", 465, "implicit", users={EMAIL: PASSWORD})
    dns_server.add(f"_submissions._tcp.{DOMAIN}. SRV 0 1 465 submit.example.test.")

    report = apply_profile(
        load_profile(profile_path),
        EMAIL,
        Password(PASSWORD),
        options(dns_server, pki),
        store=MemoryStore(),
    )

    assert report.failure is None, report.message
    assert report.setting is not None and report.setting.host == "submit.example.test"
    assert report.step("discover").status is StepStatus.OK
    assert report.step("login").status is StepStatus.OK
    assert report.step("send").status is StepStatus.OK
    # The name resolves only through the test's DNS server: the login and the test message
    # went through --resolver too.
    assert server.auth_seen and len(server.handler.messages) == 1
    assert (
        report.discovery is not None and report.to_json()["discovery"]["chosen"]["source"] == "srv"
    )
    assert "host submit.example.test" in (home / ".msmtprc").read_text()


def test_apply_refuses_a_host_that_needs_confirmation_before_any_auth(
    dns_server: DnsServer,
    named_relay: Callable[..., SmtpServer],
    pki: Pki,
    profile_path: Path,
    home: Path,
) -> None:
    server = named_relay("mx.provider.test", 587, users={EMAIL: PASSWORD})
    dns_server.add(f"{DOMAIN}. MX 10 mx.provider.test.")

    refused = apply_profile(
        load_profile(profile_path),
        EMAIL,
        Password(PASSWORD),
        options(dns_server, pki),
        store=MemoryStore(),
    )

    assert refused.failure is Failure.USAGE
    assert refused.step("discover").status is StepStatus.FAILED
    assert "--accept-host mx.provider.test" in refused.message
    assert server.auth_seen == []  # the password never went there
    assert not (home / ".msmtprc").exists()

    accepted = apply_profile(
        load_profile(profile_path),
        EMAIL,
        Password(PASSWORD),
        options(dns_server, pki, accept_hosts=("mx.provider.test",)),
        store=MemoryStore(),
    )

    assert accepted.failure is None, accepted.message
    assert accepted.setting is not None and accepted.setting.host == "mx.provider.test"
    assert server.auth_seen


@pytest.mark.keyring
def test_apply_command_takes_resolver_and_accept_host(
    store: SecretStore,
    dns_server: DnsServer,
    named_relay: Callable[..., SmtpServer],
    pki: Pki,
    profile_path: Path,
    home: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    named_relay("mx.provider.test", 587, users={EMAIL: PASSWORD})
    dns_server.add(f"{DOMAIN}. MX 10 mx.provider.test.")
    argv = ["apply", "--json", "--profile", str(profile_path), "--email", EMAIL]
    argv += ["--password-stdin", "--ca", pki.ca_file, "--clients", "msmtp", "--timeout", "2"]
    argv += ["--resolver", str(dns_server.nameserver)]

    def run(*extra: str) -> tuple[int, dict[str, object]]:
        monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
        code = main([*argv, *extra])
        out, _ = capsys.readouterr()
        return code, json.loads(out)

    code, report = run()
    assert code == exitcodes.USAGE and report["failure"] == "usage"
    code, report = run("--accept-host", "mx.provider.test")
    assert code == exitcodes.OK, report
    assert report["setting"]["host"] == "mx.provider.test"  # type: ignore[index]
    store.delete("mx.provider.test", EMAIL)


def test_apply_with_nothing_found_is_exit_3(
    dns_server: DnsServer, pki: Pki, profile_path: Path, home: Path
) -> None:
    report = apply_profile(
        load_profile(profile_path),
        EMAIL,
        Password(PASSWORD),
        options(dns_server, pki),
        store=MemoryStore(),
    )
    assert report.failure is Failure.UNREACHABLE
    assert exitcodes.FOR_FAILURE[report.failure] == 3
    assert report.step("discover").status is StepStatus.FAILED
