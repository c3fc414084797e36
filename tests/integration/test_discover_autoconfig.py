"""Mozilla autoconfig over the network and from the drop-in folder, against real HTTPS/HTTP
servers on a fresh 127.x.y.z (tests/autoconfigserver.py) whose names only the test DNS server
knows: every fetch goes through --resolver, with SNI and the certificate check for the name."""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from autoconfigserver import (
    AUTOCONFIG_PATH,
    WELL_KNOWN,
    AutoconfigServer,
    Reply,
    config_xml,
    drip,
    oversized,
    redirect,
    xml_reply,
)
from dnsserver import DnsServer
from loopback import fresh_loopback_address
from servers import Pki

from app.core.deadline import Deadline
from app.core.discover.autoconfig_fetch import MAX_BODY, autoconfig_outcome
from app.core.discover.dns import DnsClient
from app.core.discover.dropin import dropin_outcome
from app.core.discover.model import Origin, SourceOutcome
from app.core.discover.srv import srv_outcome
from app.core.results import TlsMode

EMAIL = "alice@example.test"
SSL_465 = {"hostname": "smtp.%EMAILDOMAIN%", "port": "465", "socketType": "SSL"}
STARTTLS_587 = {"hostname": "relay.example.test", "port": "587", "socketType": "STARTTLS"}
DTD = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]>'
    "<clientConfig><emailProvider><outgoingServer type='smtp'><hostname>&lol;.test</hostname>"
    "</outgoingServer></emailProvider></clientConfig>"
)

Start = Callable[..., AutoconfigServer]


@pytest.fixture
def site(autoconfig_server: Start, dns_server: DnsServer) -> AutoconfigServer:
    """autoconfig.example.test and example.test on one fresh address, HTTPS and HTTP."""
    return autoconfig_server("example.test", dns_server)


def fetch(
    dns_server: DnsServer, pki: Pki, seconds: float = 10, *, ca: bool = True, **kwargs: float
) -> SourceOutcome:
    return autoconfig_outcome(
        EMAIL,
        DnsClient(dns_server.nameserver),
        Deadline(seconds),
        ca_file=pki.ca_file if ca else None,
        **kwargs,
    )


def summary(outcome: SourceOutcome) -> list[tuple[str, int | None, TlsMode | None, bool]]:
    return [(c.host, c.port, c.tls, c.authenticated) for c in outcome.candidates]


def reasons(outcome: SourceOutcome) -> list[str]:
    return [f.reason for f in outcome.failures]


def test_https_autoconfig_host_with_placeholders(
    site: AutoconfigServer, dns_server: DnsServer, pki: Pki
) -> None:
    username = {"username": "%EMAILLOCALPART%"}
    site.https[AUTOCONFIG_PATH] = xml_reply(config_xml({**SSL_465, **username}, STARTTLS_587))
    outcome = fetch(dns_server, pki)
    assert outcome.origin is Origin.AUTOCONFIG
    assert summary(outcome) == [
        ("smtp.example.test", 465, TlsMode.IMPLICIT, True),
        ("relay.example.test", 587, TlsMode.STARTTLS, True),
    ]
    assert all(c.origin is Origin.AUTOCONFIG for c in outcome.candidates)
    assert [c.order for c in outcome.candidates] == [0, 1]
    assert "username alice" in outcome.candidates[0].detail
    assert "https://autoconfig.example.test/mail/config-v1.1.xml" in outcome.candidates[0].detail
    [first] = [r for r in site.requests if r.path.startswith(AUTOCONFIG_PATH)]
    assert (first.scheme, first.host, first.sni) == (
        "https",
        "autoconfig.example.test",
        "autoconfig.example.test",
    )
    assert first.path == f"{AUTOCONFIG_PATH}?emailaddress=alice%40example.test"
    assert site.paths("http") == []  # the address never went out in the clear
    assert outcome.failures == ()


def test_well_known_when_the_autoconfig_host_has_none(
    site: AutoconfigServer, dns_server: DnsServer, pki: Pki
) -> None:
    site.https[WELL_KNOWN] = xml_reply(config_xml(STARTTLS_587))
    outcome = fetch(dns_server, pki)
    assert summary(outcome) == [("relay.example.test", 587, TlsMode.STARTTLS, True)]
    assert [(f.asked.split("?")[0], f.reason) for f in outcome.failures] == [
        ("https://autoconfig.example.test/mail/config-v1.1.xml", "HTTP 404")
    ]
    assert ("example.test", "example.test") in [(r.host, r.sni) for r in site.requests]


def test_autoconfig_host_wins_when_both_answer(
    site: AutoconfigServer, dns_server: DnsServer, pki: Pki
) -> None:
    site.https[AUTOCONFIG_PATH] = xml_reply(config_xml(SSL_465))
    site.https[WELL_KNOWN] = xml_reply(config_xml(STARTTLS_587))
    assert [c.host for c in fetch(dns_server, pki).candidates] == ["smtp.example.test"]


def test_http_only_is_marked_untrusted(
    site: AutoconfigServer, dns_server: DnsServer, pki: Pki
) -> None:
    site.http[WELL_KNOWN] = xml_reply(config_xml({**STARTTLS_587, "socketType": "plain"}))
    outcome = fetch(dns_server, pki)
    assert outcome.origin is Origin.AUTOCONFIG_HTTP
    # "plain" is kept, so the search can say that autoconfig says plain
    assert summary(outcome) == [("relay.example.test", 587, TlsMode.NONE, False)]
    assert outcome.candidates[0].origin is Origin.AUTOCONFIG_HTTP
    assert reasons(outcome) == ["HTTP 404"] * 3
    assert [f.origin for f in outcome.failures] == [
        Origin.AUTOCONFIG,
        Origin.AUTOCONFIG,
        Origin.AUTOCONFIG_HTTP,
    ]


def test_redirect_to_http_refused(site: AutoconfigServer, dns_server: DnsServer, pki: Pki) -> None:
    site.https[AUTOCONFIG_PATH] = redirect("http://autoconfig.example.test/plain.xml")
    site.http["/plain.xml"] = xml_reply(config_xml(SSL_465))
    outcome = fetch(dns_server, pki)
    assert outcome.candidates == ()
    assert "redirect to http refused" in reasons(outcome)
    assert "/plain.xml" not in site.paths()


@pytest.mark.parametrize(("hops", "found"), [(1, True), (3, True), (4, False)])
def test_redirects_within_https_at_most_three(
    site: AutoconfigServer, dns_server: DnsServer, pki: Pki, hops: int, found: bool
) -> None:
    chain = [AUTOCONFIG_PATH] + [f"/hop{i}.xml" for i in range(1, hops + 1)]
    for here, there in itertools.pairwise(chain):
        site.https[here] = redirect(there, status=301)
    site.https[chain[-1]] = xml_reply(config_xml(SSL_465))
    outcome = fetch(dns_server, pki)
    assert bool(outcome.candidates) is found
    if not found:
        assert "more than 3 redirects" in reasons(outcome)


@pytest.mark.parametrize("send_length", [True, False])
def test_oversized_body_refused(
    site: AutoconfigServer, dns_server: DnsServer, pki: Pki, send_length: bool
) -> None:
    site.https[AUTOCONFIG_PATH] = oversized(4 * MAX_BODY, send_length=send_length)
    outcome = fetch(dns_server, pki)
    assert f"larger than {MAX_BODY} bytes" in reasons(outcome)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (DTD, "has a document type or entity declaration: refused"),
        ("<clientConfig><emailProvider>", "not well-formed XML: "),
        ("<html><body>hello</body></html>", "not a Mozilla autoconfig file"),
        (config_xml({"hostname": "bad host", "port": "465"}), "not a valid host name"),
        (config_xml({**SSL_465, "port": "99999"}), "out of range"),
        (config_xml({**SSL_465, "socketType": "TLS1"}), "is not SSL, STARTTLS or plain"),
        (config_xml(), "no outgoing SMTP server in the file"),
    ],
)
def test_bad_documents_say_why(
    site: AutoconfigServer, dns_server: DnsServer, pki: Pki, body: str, reason: str
) -> None:
    site.https[AUTOCONFIG_PATH] = xml_reply(body)
    outcome = fetch(dns_server, pki)
    assert outcome.candidates == ()
    assert any(reason in r for r in reasons(outcome)), reasons(outcome)


def test_certificate_not_trusted_is_a_failure_not_a_fallback(
    site: AutoconfigServer, dns_server: DnsServer, pki: Pki
) -> None:
    site.https[AUTOCONFIG_PATH] = xml_reply(config_xml(SSL_465))
    outcome = fetch(dns_server, pki, ca=False)
    assert outcome.candidates == ()
    https = [f.reason for f in outcome.failures if f.origin is Origin.AUTOCONFIG]
    assert https and all(r.startswith("certificate does not verify: ") for r in https), https


def test_certificate_checked_against_the_name_asked(
    autoconfig_server: Start, dns_server: DnsServer, pki: Pki
) -> None:
    # other.test's names lead to a server whose certificate names only example.test's
    server = autoconfig_server("example.test")
    server.https[WELL_KNOWN] = xml_reply(config_xml(SSL_465))
    dns_server.add(f"other.test. A {server.address}\nautoconfig.other.test. A {server.address}")
    outcome = autoconfig_outcome(
        "bob@other.test", DnsClient(dns_server.nameserver), Deadline(10), ca_file=pki.ca_file
    )
    assert outcome.candidates == ()
    https = [f.reason for f in outcome.failures if f.origin is Origin.AUTOCONFIG]
    assert len(https) == 2 and all("certificate does not verify" in r for r in https), https
    assert any("other.test" in r or "mismatch" in r.lower() for r in https), https


def test_names_unknown_to_the_resolver(dns_server: DnsServer, pki: Pki) -> None:
    """Said once each: a name with no address is not asked again for plain http."""
    outcome = fetch(dns_server, pki)
    assert reasons(outcome) == ["autoconfig.example.test: NXDOMAIN", "example.test: NXDOMAIN"]
    assert {f.origin for f in outcome.failures} == {Origin.AUTOCONFIG}


def test_drip_stops_at_the_deadline_while_srv_answers(
    site: AutoconfigServer, dns_server: DnsServer, pki: Pki
) -> None:
    site.https[AUTOCONFIG_PATH] = drip(config_xml(SSL_465), every=1.0)
    site.https[WELL_KNOWN] = drip(config_xml(SSL_465), every=1.0)
    dns_server.add("_submissions._tcp.example.test. SRV 0 0 465 relay.example.test.")
    deadline = Deadline(2.0)
    dns = DnsClient(dns_server.nameserver)
    srv: list[tuple[SourceOutcome, float]] = []
    start = time.monotonic()

    def run_srv() -> None:
        srv.append((srv_outcome("example.test", dns, deadline), time.monotonic() - start))

    other = threading.Thread(target=run_srv)
    other.start()
    outcome = autoconfig_outcome(EMAIL, dns, deadline, ca_file=pki.ca_file)
    took = time.monotonic() - start
    other.join()
    assert 1.9 <= took < 2.5, took
    assert outcome.candidates == ()
    assert reasons(outcome) == ["timeout", "timeout"]
    assert site.paths("http") == []  # no time was left for the plain-http fallback
    srv_result, srv_took = srv[0]
    assert [c.host for c in srv_result.candidates] == ["relay.example.test"]
    assert srv_took < 1.0


def test_per_fetch_timeout_then_http_fallback(
    site: AutoconfigServer, dns_server: DnsServer, pki: Pki
) -> None:
    site.https[AUTOCONFIG_PATH] = drip(config_xml(SSL_465), every=1.0)
    site.http[AUTOCONFIG_PATH] = xml_reply(config_xml(STARTTLS_587))
    start = time.monotonic()
    outcome = fetch(dns_server, pki, 20, timeout=1.5)
    assert time.monotonic() - start < 3.0
    assert outcome.origin is Origin.AUTOCONFIG_HTTP
    assert summary(outcome) == [("relay.example.test", 587, TlsMode.STARTTLS, False)]
    assert sorted(reasons(outcome)) == ["HTTP 404", "timeout"]


def test_cancel_stops_a_drip_at_once(
    site: AutoconfigServer, dns_server: DnsServer, pki: Pki
) -> None:
    site.https[AUTOCONFIG_PATH] = drip(config_xml(SSL_465), every=1.0)
    deadline = Deadline(30)
    threading.Timer(0.5, deadline.cancel).start()
    start = time.monotonic()
    dns = DnsClient(dns_server.nameserver)
    outcome = autoconfig_outcome(EMAIL, dns, deadline, ca_file=pki.ca_file)
    assert time.monotonic() - start < 1.2
    assert "cancelled" in reasons(outcome)
    assert outcome.candidates == ()


def test_next_address_when_the_first_refuses(
    autoconfig_server: Start, dns_server: DnsServer, pki: Pki
) -> None:
    server = autoconfig_server("example.test")
    server.https[AUTOCONFIG_PATH] = xml_reply(config_xml(SSL_465))
    dead = fresh_loopback_address()  # nothing listens there: refused at once
    dns_server.add(
        f"autoconfig.example.test. A {dead}\nautoconfig.example.test. A {server.address}"
    )
    outcome = fetch(dns_server, pki)
    assert [c.host for c in outcome.candidates] == ["smtp.example.test"]


def test_compressed_body_refused(site: AutoconfigServer, dns_server: DnsServer, pki: Pki) -> None:
    import gzip

    body = gzip.compress(config_xml(SSL_465).encode())
    site.https[AUTOCONFIG_PATH] = Reply(body=body, headers=(("Content-Encoding", "gzip"),))
    assert "compressed body refused" in reasons(fetch(dns_server, pki))


def test_bad_email_is_a_failure(dns_server: DnsServer, pki: Pki) -> None:
    outcome = autoconfig_outcome("no-at-sign", DnsClient(dns_server.nameserver), Deadline(5))
    assert outcome.candidates == () and "not an e-mail address" in reasons(outcome)[0]
    assert dns_server.queries == []


# --- the drop-in folder ---------------------------------------------------------------------


def test_dropin_read_and_trusted(tmp_path: Path) -> None:
    (tmp_path / "example.test.xml").write_text(
        config_xml({**SSL_465, "username": "%EMAILADDRESS%"})
    )
    outcome = dropin_outcome("Alice@Example.TEST", tmp_path)
    assert outcome.origin is Origin.DROP_IN
    assert summary(outcome) == [("smtp.example.test", 465, TlsMode.IMPLICIT, True)]
    assert outcome.candidates[0].origin is Origin.DROP_IN
    assert "username Alice@example.test" in outcome.candidates[0].detail
    assert str(tmp_path / "example.test.xml") in outcome.candidates[0].detail


def test_dropin_idn_domain_by_its_ascii_name(tmp_path: Path) -> None:
    (tmp_path / "xn--bcher-kva.test.xml").write_text(config_xml(STARTTLS_587))
    assert [c.host for c in dropin_outcome("anna@bücher.test", tmp_path).candidates] == [
        "relay.example.test"
    ]


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda p: p.mkdir(), "is a folder"),
        (lambda p: p.write_text(DTD), "has a document type or entity declaration: refused"),
        (lambda p: p.write_bytes(b"<" * (2 << 20)), "is larger than 1 MiB"),
    ],
)
def test_dropin_problems_are_failures(
    tmp_path: Path, make: Callable[[Path], object], reason: str
) -> None:
    make(tmp_path / "example.test.xml")
    outcome = dropin_outcome(EMAIL, tmp_path)
    assert outcome.candidates == ()
    assert [f.reason for f in outcome.failures] == [reason]


def test_no_dropin_file_is_no_answer_not_a_failure(tmp_path: Path) -> None:
    """IT put nothing there, as on most machines: the search does not list it as failed."""
    outcome = dropin_outcome(EMAIL, tmp_path)
    assert (outcome.candidates, outcome.failures) == ((), ())


def test_dropin_default_folder_is_etc_on_linux() -> None:
    import sys

    from app.core.discover.dropin import dropin_folder

    if sys.platform.startswith("linux"):
        assert dropin_folder() == Path("/etc/relay-setup/autoconfig")
