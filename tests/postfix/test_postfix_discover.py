"""Discovery against the real Postfix: DNS SRV (a dnslib server on loopback, through --resolver)
names the relay; `discover` proves it live, and `apply` with a profile that names no host finds
it, holds it to the confirmation rule and logs in to Postfix through it."""

from __future__ import annotations

import json
from pathlib import Path

from dnsserver import DnsServer
from postfix_program import relay_setup
from postfix_relay import Relay

from app import exitcodes

DOMAIN = "example.test"


def _srv(dns_server: DnsServer, relay: Relay) -> None:
    dns_server.add(
        f"_submissions._tcp.{DOMAIN}. SRV 0 1 {relay.implicit_port} localhost.\n"
        f"_submission._tcp.{DOMAIN}. SRV 0 1 {relay.starttls_port} localhost.\n"
        "localhost. A 127.0.0.1"
    )


def test_discover_finds_postfix_by_srv(
    relay: Relay, env: dict[str, str], dns_server: DnsServer
) -> None:
    _srv(dns_server, relay)
    user = relay.users[0]
    before = relay.log_offset()

    done = relay_setup(
        env,
        "discover",
        f"{user.name}@{DOMAIN}",
        "--resolver",
        str(dns_server.nameserver),
        "--ca",
        relay.ca_file,
        "--timeout",
        "3",
        "--json",
    )

    assert done.returncode == exitcodes.OK, done.stderr
    report = json.loads(done.stdout)
    assert report["chosen"]["host"] == "localhost"
    assert report["chosen"]["source"] == "srv"
    assert report["chosen"]["port"] == relay.implicit_port
    assert report["needs_confirmation"] is True  # localhost is not under example.test
    relay.log_offset()  # every session of the probe logged
    seen = relay.maillog[before:]
    assert "ehlo=" in seen  # Postfix's per-session command counts: it spoke to us ...
    assert "auth=" not in seen  # ... and was never sent AUTH


def test_apply_without_host_discovers_postfix_and_logs_in(
    relay: Relay, env: dict[str, str], dns_server: DnsServer, tmp_path: Path
) -> None:
    _srv(dns_server, relay)
    user = relay.users[1]
    profile = tmp_path / "org.toml"
    profile.write_text(
        '[organisation]\nname = "Postfix test"\n[relay]\n'
        f'ports = ["{relay.implicit_port}/implicit", "{relay.starttls_port}/starttls"]\n'
        '[identity]\nusername = "%EMAILLOCALPART%"\n'
    )
    argv = ["apply", "--json", "--profile", str(profile), "--email", f"{user.name}@{DOMAIN}"]
    argv += ["--password-stdin", "--ca", relay.ca_file, "--clients", "msmtp"]
    argv += ["--resolver", str(dns_server.nameserver), "--timeout", "3"]

    refused = relay_setup(env, *argv, stdin=user.password + "\n")
    assert refused.returncode == exitcodes.USAGE, refused.stdout
    assert "--accept-host localhost" in json.loads(refused.stdout)["message"]

    done = relay_setup(env, *argv, "--accept-host", "localhost", stdin=user.password + "\n")
    assert done.returncode == exitcodes.OK, done.stdout + done.stderr
    report = json.loads(done.stdout)
    assert report["setting"]["host"] == "localhost"
    assert report["setting"]["port"] == relay.implicit_port
    steps = {s["step"]: s["status"] for s in report["steps"]}
    assert steps["discover"] == "ok" and steps["login"] == "ok"
