"""The probe against the real Postfix, and the relay's own refusals (what the program builds on)."""

from __future__ import annotations

import json
import smtplib
import ssl
import subprocess

import pytest
from postfix_program import relay_setup
from postfix_relay import SWAKS, Relay


def probe(relay: Relay, env: dict[str, str], *extra: str) -> tuple[int, dict]:
    done = relay_setup(
        env,
        "probe",
        "localhost",
        "--port",
        f"{relay.starttls_port}/starttls",
        "--port",
        f"{relay.implicit_port}/implicit",
        "--port",
        str(relay.plain_port),
        "--json",
        *extra,
    )
    return done.returncode, json.loads(done.stdout)


def test_probe_sees_auth_only_after_starttls_and_the_ca_verified_certificate(
    relay: Relay, env: dict[str, str]
) -> None:
    status, report = probe(relay, env, "--ca", relay.ca_file)
    ports = {p["port"]: p for p in report["ports"]}

    sub = ports[relay.starttls_port]
    assert sub["status"] == "ok"
    assert sub["tls"] == "starttls"
    assert sub["greeting"] == "220 localhost ESMTP Postfix"
    assert sub["starttls_offered"] is True
    assert sub["auth_before_tls"] == []  # smtpd_tls_auth_only = yes
    assert sub["auth_after_tls"] == ["PLAIN", "LOGIN"]  # saslauthd: plaintext mechanisms only
    assert sub["auth_only_after_tls"] is True
    assert "STARTTLS" in sub["ehlo_before_tls"]
    assert "AUTH PLAIN LOGIN" in sub["ehlo_after_tls"]
    assert sub["size_limit"] == 10240000  # Postfix's message_size_limit
    assert sub["certificate"]["verified"] is True
    assert sub["certificate"]["san"] == ["DNS:localhost"]
    assert sub["secure"] is True

    wrapped = ports[relay.implicit_port]
    assert (wrapped["status"], wrapped["tls"], wrapped["secure"]) == ("ok", "implicit", True)
    assert wrapped["auth_after_tls"] == ["PLAIN", "LOGIN"]
    assert wrapped["certificate"]["sha256"] == sub["certificate"]["sha256"]

    plain = ports[relay.plain_port]
    assert (plain["status"], plain["tls"], plain["secure"]) == ("ok", "none", False)
    assert plain["starttls_offered"] is False
    assert plain["auth_before_tls"] == []  # no TLS, so no AUTH at all

    assert report["verdict"] == "recommended"
    assert report["recommended"] == {
        "port": relay.implicit_port,
        "tls": "implicit",
        "auth": ["PLAIN", "LOGIN"],
        "pinned_sha256": None,
    }
    assert status == 0


def test_probe_without_the_private_ca_reports_an_unknown_issuer(
    relay: Relay, env: dict[str, str]
) -> None:
    status, report = probe(relay, env)
    ports = {p["port"]: p for p in report["ports"]}
    for port in (relay.starttls_port, relay.implicit_port):
        assert ports[port]["status"] == "certificate"
        assert ports[port]["certificate"]["error"] == "unknown_issuer"
    assert report["verdict"] == "tls_problem"
    assert report["recommended"] is None
    assert status == 4


@pytest.mark.parametrize("tls", [True, False], ids=["after-starttls", "plain-port"])
def test_relaying_without_login_gets_postfixs_554(relay: Relay, tls: bool) -> None:
    port = relay.starttls_port if tls else relay.plain_port
    before, offset = relay.held_queue_ids(), relay.log_offset()
    done = subprocess.run(
        [SWAKS, "--server", "localhost", "--port", str(port)]
        + (["--tls", "--tls-ca-path", relay.ca_file, "--tls-verify"] if tls else [])
        + ["--from", "someone@example.com", "--to", "victim@example.net", "--quit-after", "RCPT"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert "554 5.7.1 <victim@example.net>: Relay access denied" in done.stdout, done.stdout
    assert done.returncode == 24  # swaks: the server refused every recipient
    assert relay.held_queue_ids() == before
    relay.log_after(offset, "NOQUEUE: reject: RCPT from localhost[127.0.0.1]: 554 5.7.1")


def test_no_auth_is_offered_before_tls_even_to_a_client_that_asks(relay: Relay) -> None:
    with smtplib.SMTP("localhost", relay.starttls_port, timeout=10) as smtp:
        smtp.ehlo()
        assert not smtp.has_extn("auth")
        code, reply = smtp.docmd("AUTH", "PLAIN AGFsaWNlAHg=")
        assert (code, reply) == (503, b"5.5.1 Error: authentication not enabled")
        smtp.starttls(context=ssl.create_default_context(cafile=relay.ca_file))
        smtp.ehlo()
        assert smtp.esmtp_features["auth"].split() == ["PLAIN", "LOGIN"]
