"""What a hotel's or café's network does to mail, named per port: in a network namespace of the
test's own, nftables drops a port (filtered: `timeout`), rejects one with a TCP reset
(`refused`), or redirects one to someone else's mail server or to a captive portal's web server
(`intercepted`). The probe runs there as the user runs it: `relay-setup probe`."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
import roaming_net
from roaming_net import PORTAL, PROXY_OWN_CA, PROXY_RELAY_CA, drop, redirect, reset

from app import exitcodes

pytestmark = pytest.mark.skipif(
    not roaming_net.available(), reason="needs root, `ip` and `nft` for a network namespace"
)

RELAY = "127.0.0.1"  # the relay's certificate holds this address: verified, as a name would be
PROBE = ("--port", "465", "--port", "587", "--port", "25", "--timeout", "3", "--deadline", "12")


def probe_in(rules: str, tmp_path: Path) -> tuple[dict[str, Any], str, int]:
    """Probe the relay through a network with `rules`: the JSON, the words, the exit status."""
    name = f"rs-roam-{os.getpid()}"
    with roaming_net.namespace(name), roaming_net.relay_in(name, tmp_path) as relay:
        roaming_net.load_rules(name, rules)
        ca = ("--ca", relay["ca_file"])
        as_json = roaming_net.run_in(name, "probe", RELAY, *PROBE, *ca, "--json")
        as_words = roaming_net.run_in(name, "probe", RELAY, *PROBE, *ca)
    assert as_json.returncode == as_words.returncode, as_words.stdout + as_words.stderr
    return json.loads(as_json.stdout), as_words.stdout, as_json.returncode


def status_of(report: dict[str, Any], port: int) -> str:
    return next(str(p["status"]) for p in report["ports"] if p["port"] == port)


def test_a_dropped_port_is_blocked_and_another_is_recommended(tmp_path: Path) -> None:
    report, words, code = probe_in(drop(587), tmp_path)
    assert status_of(report, 587) == "timeout"
    assert "other ports answered" in next(p["detail"] for p in report["ports"] if p["port"] == 587)
    assert report["network"] == {
        "blocked": [587],
        "intercepted": [],
        "advice": "This network blocks port 587 (no answer at all). Port 465 works: use it.",
    }
    assert report["recommended"]["port"] == 465 and code == exitcodes.OK
    assert "Network: This network blocks port 587 (no answer at all). Port 465 works" in words
    assert "probably blocks this port" in words


def test_a_port_rejected_with_a_reset_is_refused_not_blocked(tmp_path: Path) -> None:
    report, words, code = probe_in(reset(465), tmp_path)
    assert status_of(report, 465) == "refused"
    assert report["network"] == {
        "blocked": [],
        "intercepted": [],
        "advice": "Port 587 works: use it.",
    }
    assert report["recommended"]["port"] == 587 and code == exitcodes.OK
    assert "nothing listens on this port, or a firewall rejects it" in words
    assert "Network:" not in words  # nothing to say about this network


@pytest.mark.parametrize(
    ("proxy", "evidence"),
    [
        (PROXY_OWN_CA, "a certificate from"),  # its own CA: another issuer
        (PROXY_RELAY_CA, "a certificate made out for smtp.hotel.example"),  # the relay's CA
    ],
    ids=["own-ca", "relay-ca-other-name"],
)
def test_port_25_answered_by_a_hotel_smtp_proxy_is_intercepted(
    tmp_path: Path, proxy: int, evidence: str
) -> None:
    report, words, code = probe_in(redirect(25, proxy), tmp_path)
    port25 = next(p for p in report["ports"] if p["port"] == 25)
    assert port25["status"] == "intercepted"
    assert port25["greeting"].startswith("220 smtp.hotel.example")
    assert port25["detail"].startswith(evidence)
    assert report["network"] == {
        "blocked": [],
        "intercepted": [25],
        "advice": "Port 25 on this network is answered by someone else's mail server, not your "
        "relay. Port 465 works: use it.",
    }
    assert report["recommended"]["port"] == 465 and code == exitcodes.OK
    assert "answered by someone else's mail server, not your relay: no password goes there" in words


def test_a_captive_portal_on_587_is_intercepted(tmp_path: Path) -> None:
    rules = drop(465) + redirect(587, PORTAL)
    report, words, code = probe_in(rules, tmp_path)
    port587 = next(p for p in report["ports"] if p["port"] == 587)
    assert port587["status"] == "intercepted"
    assert "HTTP/1.1 302" in port587["detail"]
    assert report["network"]["blocked"] == [465]
    assert report["network"]["intercepted"] == [587]
    assert report["network"]["advice"].startswith(
        "This network blocks port 465 (no answer at all). Port 587 on this network answered "
        "with a web page: log in to the network in a web browser first"
    )
    assert report["recommended"]["port"] == 25 and code == exitcodes.OK
    assert "answered by a web page (a captive portal?), not your relay" in words


def test_only_someone_elses_server_answers(tmp_path: Path) -> None:
    """Nothing proves the relay here: 465 and 587 dropped, 25 redirected to a proxy. Without a
    port to compare with, 25 stays what it showed (a certificate problem), never a setting."""
    rules = drop(465) + drop(587)
    rules += redirect(25, PROXY_OWN_CA)
    report, _, code = probe_in(rules, tmp_path)
    assert status_of(report, 25) == "certificate"
    assert report["network"]["blocked"] == [465, 587]
    assert report["recommended"] is None and code == exitcodes.TLS_PROBLEM
