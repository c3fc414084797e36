"""Discovery's DNS sources against a real DNS server on loopback (tests/dnsserver.py): SRV
(RFC 6186/8314) and MX, and the lookups under them. Every name exists only in that server,
so each test also shows that lookups go where --resolver says."""

from __future__ import annotations

import threading
import time

import pytest
from dnsserver import DnsServer

from app.core.deadline import Deadline
from app.core.discover.dns import DnsClient, DnsFailure, Nameserver
from app.core.discover.model import Origin
from app.core.discover.mx import NULL_MX, mx_outcome, registrable_domain
from app.core.discover.srv import NOT_OFFERED, srv_outcome
from app.core.results import TlsMode
from app.core.values import InvalidValue

SUBMISSIONS = "_submissions._tcp.example.test"
SUBMISSION = "_submission._tcp.example.test"


def client(server: DnsServer) -> DnsClient:
    return DnsClient(server.nameserver)


@pytest.mark.parametrize(
    ("text", "address", "port"),
    [
        ("127.0.0.1", "127.0.0.1", 53),
        ("127.0.0.1:5353", "127.0.0.1", 5353),
        (" 10.1.2.3:53 ", "10.1.2.3", 53),
        ("::1", "::1", 53),
        ("[::1]:5353", "::1", 5353),
        ("[2001:DB8::1]", "2001:db8::1", 53),
    ],
)
def test_nameserver_parse_accepts_ip_and_port(text: str, address: str, port: int) -> None:
    assert Nameserver.parse(text) == Nameserver(address, port)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("", "is empty"),
        ("   ", "is empty"),
        ("dns.example.org", "is not an IP address"),
        ("127.0.0.1:", "is not a port number"),
        ("127.0.0.1:0", "out of range"),
        ("127.0.0.1:65536", "out of range"),
        ("127.0.0.1:５３", "is not a port number"),
        ("127.0.0.1:53:53", "is not an IP address"),
        ("[::1", "[ADDRESS]:PORT"),
        ("[::1]5353", "[ADDRESS]:PORT"),
        ("[127.0.0.1]:53x", "is not a port number"),
        ("fe80::1%eth0", "zone"),
        ("999.1.1.1", "is not an IP address"),
    ],
)
def test_nameserver_parse_refuses_bad_input_clearly(text: str, why: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        Nameserver.parse(text)
    assert why in caught.value.why


def test_nameserver_shown_as_typed() -> None:
    assert [str(Nameserver.parse(t)) for t in ("127.0.0.1", "127.0.0.1:5353", "[::1]:5353")] == [
        "127.0.0.1",
        "127.0.0.1:5353",
        "[::1]:5353",
    ]


def test_srv_only_gives_implicit_tls_candidates(dns_server: DnsServer) -> None:
    dns_server.add(f"{SUBMISSIONS}. SRV 0 1 465 Relay.Example.TEST.")
    outcome = srv_outcome("example.test", client(dns_server), Deadline(5))
    assert [(c.host, c.port, c.tls, c.origin, c.authenticated) for c in outcome.candidates] == [
        ("relay.example.test", 465, TlsMode.IMPLICIT, Origin.SRV, False)
    ]
    assert "priority 0 weight 1" in outcome.candidates[0].detail
    assert [(f.asked, f.reason) for f in outcome.failures] == [(SUBMISSION, "NXDOMAIN")]
    assert {SUBMISSIONS, SUBMISSION} <= set(dns_server.asked("SRV"))


def test_srv_authenticated_only_with_the_ad_bit(dns_server: DnsServer) -> None:
    dns_server.add(f"{SUBMISSION}. SRV 0 0 587 relay.example.test.")
    dns_server.authenticated = True
    outcome = srv_outcome("example.test", client(dns_server), Deadline(5))
    assert [(c.port, c.tls, c.authenticated) for c in outcome.candidates] == [
        (587, TlsMode.STARTTLS, True)
    ]
    assert "DNSSEC" in outcome.candidates[0].detail


def test_srv_target_dot_means_no_service(dns_server: DnsServer) -> None:
    dns_server.add(f"{SUBMISSIONS}. SRV 0 0 0 .\n{SUBMISSION}. SRV 10 0 587 relay.example.test.")
    outcome = srv_outcome("example.test", client(dns_server), Deadline(5))
    assert [(c.host, c.port) for c in outcome.candidates] == [("relay.example.test", 587)]
    assert [(f.asked, f.reason) for f in outcome.failures] == [(SUBMISSIONS, NOT_OFFERED)]


@pytest.mark.parametrize(
    ("records", "expected"),
    [
        # lowest priority first, whatever order the server sends
        (["10 0 465 b.example.test.", "0 0 465 a.example.test."], ["a", "b"]),
        # within a priority the highest weight first; weight 0 last
        (
            ["5 0 465 z.example.test.", "5 60 465 y.example.test.", "5 30 465 x.example.test."],
            ["y", "x", "z"],
        ),
        # equal priority and weight: by name, so every run gives the same order
        (["1 10 465 n.example.test.", "1 10 465 m.example.test."], ["m", "n"]),
    ],
)
def test_srv_priority_and_weight_order(
    dns_server: DnsServer, records: list[str], expected: list[str]
) -> None:
    dns_server.add("\n".join(f"{SUBMISSIONS}. SRV {r}" for r in records))
    outcome = srv_outcome("example.test", client(dns_server), Deadline(5))
    assert [c.host.split(".")[0] for c in outcome.candidates] == expected
    assert [c.order for c in outcome.candidates] == list(range(len(expected)))


def test_srv_implicit_tls_before_starttls(dns_server: DnsServer) -> None:
    dns_server.add(
        f"{SUBMISSION}. SRV 0 0 587 relay.example.test.\n"
        f"{SUBMISSIONS}. SRV 5 0 465 relay.example.test."
    )
    outcome = srv_outcome("example.test", client(dns_server), Deadline(5))
    assert [(c.port, c.order) for c in outcome.candidates] == [(465, 0), (587, 1)]


def test_srv_bad_records_are_failures_not_candidates(dns_server: DnsServer) -> None:
    dns_server.add(
        f"{SUBMISSIONS}. SRV 0 0 465 bad_name.example.test.\n"
        f"{SUBMISSIONS}. SRV 0 0 0 relay.example.test.\n"
        f"{SUBMISSION}. SRV 0 0 587 good.example.test."
    )
    outcome = srv_outcome("example.test", client(dns_server), Deadline(5))
    assert [c.host for c in outcome.candidates] == ["good.example.test"]
    reasons = sorted(f.reason for f in outcome.failures)
    assert len(reasons) == 2 and all(r.startswith("bad record") for r in reasons)
    assert any("port 0" in r for r in reasons) and any("'_'" in r for r in reasons)


def test_unknown_domain_is_nxdomain_for_every_dns_source(dns_server: DnsServer) -> None:
    dns = client(dns_server)
    srv = srv_outcome("nowhere.test", dns, Deadline(5))
    mx = mx_outcome("nowhere.test", dns, Deadline(5))
    assert srv.candidates == () and mx.candidates == ()
    assert [f.reason for f in srv.failures] == ["NXDOMAIN", "NXDOMAIN"]
    assert [(f.asked, f.reason) for f in mx.failures] == [("MX nowhere.test", "NXDOMAIN")]


def test_servfail_is_named(dns_server: DnsServer) -> None:
    dns_server.servfail_names.add("example.test")
    outcome = mx_outcome("example.test", client(dns_server), Deadline(5))
    assert [f.reason for f in outcome.failures] == ["SERVFAIL"]


def test_silent_dns_server_the_deadline_holds(dns_server: DnsServer) -> None:
    dns_server.silent = True
    dns = client(dns_server)
    results: dict[str, object] = {}
    start = time.monotonic()
    deadline = Deadline(1.0)
    threads = [
        threading.Thread(
            target=lambda: results.update(srv=srv_outcome("example.test", dns, deadline))
        ),
        threading.Thread(
            target=lambda: results.update(mx=mx_outcome("example.test", dns, deadline))
        ),
    ]
    for t in threads:
        t.start()
    with pytest.raises(DnsFailure) as caught:
        dns.addresses("relay.example.test", deadline)
    for t in threads:
        t.join()
    took = time.monotonic() - start
    assert caught.value.reason == "timeout"
    assert 0.9 <= took < 1.4, took
    srv, mx = results["srv"], results["mx"]
    assert [f.reason for f in srv.failures] == ["timeout", "timeout"]  # type: ignore[attr-defined]
    assert [f.reason for f in mx.failures] == ["timeout"]  # type: ignore[attr-defined]
    assert len(dns_server.queries) >= 4  # it was asked; it never said anything


def test_per_query_timeout_below_the_deadline(dns_server: DnsServer) -> None:
    dns_server.silent_names.add("example.test")
    dns = DnsClient(dns_server.nameserver, query_timeout=0.3)
    start = time.monotonic()
    outcome = mx_outcome("example.test", dns, Deadline(10))
    assert [f.reason for f in outcome.failures] == ["timeout"]
    assert time.monotonic() - start < 0.8


def test_mx_outside_the_domain_adds_registrable_domain_guesses(dns_server: DnsServer) -> None:
    dns_server.add(
        "example.test. MX 20 mx2.example.test.\n"
        "example.test. MX 10 MX1.eu.Mailhost.CO.UK.\n"
        "example.test. MX 30 mx1.eu.mailhost.co.uk."  # the same host twice: once is enough
    )
    outcome = mx_outcome("example.test", client(dns_server), Deadline(5))
    assert [c.host for c in outcome.candidates] == [
        "mx1.eu.mailhost.co.uk",
        "mx2.example.test",
        "smtp.mailhost.co.uk",
        "mail.mailhost.co.uk",
        "smtp.example.test",
        "mail.example.test",
    ]
    assert all(c.origin is Origin.MX and not c.authenticated for c in outcome.candidates)
    assert all(c.port is None and c.tls is None for c in outcome.candidates)
    assert outcome.candidates[0].detail == "MX of example.test, preference 10"
    assert "registrable domain of MX mx1.eu.mailhost.co.uk" in outcome.candidates[2].detail
    assert outcome.failures == ()


def test_null_mx_says_so(dns_server: DnsServer) -> None:
    dns_server.add("example.test. MX 0 .")
    outcome = mx_outcome("example.test", client(dns_server), Deadline(5))
    assert outcome.candidates == ()
    assert [f.reason for f in outcome.failures] == [NULL_MX]


@pytest.mark.parametrize(
    ("host", "registrable"),
    [
        ("mx1.eu.mailhost.co.uk", "mailhost.co.uk"),
        ("aspmx.l.google.com", "google.com"),
        ("mx.example.test", "example.test"),  # an unknown TLD counts as one label
        ("co.uk", None),
    ],
)
def test_registrable_domain_from_the_public_suffix_list(host: str, registrable: str | None) -> None:
    assert registrable_domain(host) == registrable


def test_addresses_a_and_aaaa_through_the_nameserver(dns_server: DnsServer) -> None:
    dns_server.add(
        "relay.example.test. AAAA ::1\n"
        "relay.example.test. A 127.7.7.7\n"
        "alias.example.test. CNAME relay.example.test.\n"
        "v6only.example.test. AAAA ::1"
    )
    dns = client(dns_server)
    assert dns.addresses("Relay.Example.Test.", Deadline(5)) == ["127.7.7.7", "::1"]
    assert dns.addresses("alias.example.test", Deadline(5)) == ["127.7.7.7", "::1"]
    assert dns.addresses("v6only.example.test", Deadline(5)) == ["::1"]
    assert dns.addresses("127.0.0.9", Deadline(5)) == ["127.0.0.9"]  # nothing asked
    kinds = [(n, t) for n, t, _ in dns_server.queries if n == "relay.example.test"]
    assert sorted(kinds) == [("relay.example.test", "A"), ("relay.example.test", "AAAA")]
    with pytest.raises(DnsFailure) as caught:
        dns.addresses("missing.example.test", Deadline(5))
    assert caught.value.reason == "NXDOMAIN"


def test_addresses_without_nameserver_use_the_system_so_etc_hosts_counts() -> None:
    assert "127.0.0.1" in DnsClient().addresses("localhost", Deadline(5))


@pytest.mark.parametrize("name", ["bad name.test", "exa_mple.test", "", "127.0.0.1"])
def test_names_in_are_checked(dns_server: DnsServer, name: str) -> None:
    with pytest.raises(InvalidValue):
        client(dns_server).mx(name, Deadline(5))
    assert dns_server.queries == []
