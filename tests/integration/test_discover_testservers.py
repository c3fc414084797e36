"""The discovery test servers themselves answer as documented (the other tests build on them)."""

from __future__ import annotations

import ssl
import time
from collections.abc import Callable

import httpx
from autoconfigserver import WELL_KNOWN, AutoconfigServer, Reply, xml_reply
from dnsserver import DnsServer
from servers import Pki

from app.core.deadline import Deadline
from app.core.discover.dns import DnsClient


def test_dns_server_serves_the_zone_over_udp_and_tcp(dns_server: DnsServer) -> None:
    dns_server.add("a.example.test. A 127.3.4.5\nc.example.test. CNAME a.example.test.")
    client = DnsClient(dns_server.nameserver)
    assert client.addresses("c.example.test", Deadline(5)) == ["127.3.4.5"]
    import dns.query

    query = dns.message.make_query("a.example.test", "A")
    answer = dns.query.tcp(query, "127.0.0.1", port=dns_server.port, timeout=5)
    assert [rr.address for rr in answer.answer[0]] == ["127.3.4.5"]
    assert ("a.example.test", "A", "tcp") in dns_server.queries


def test_autoconfig_server_answers_https_by_name_and_http(
    autoconfig_server: Callable[..., AutoconfigServer], dns_server: DnsServer, pki: Pki
) -> None:
    server = autoconfig_server("example.test", dns_server)
    server.https[WELL_KNOWN] = xml_reply("<clientConfig/>")
    context = ssl.create_default_context(cafile=pki.ca_file)
    with httpx.Client(verify=context) as client:
        url = f"https://{server.address}{WELL_KNOWN}"
        reply = client.get(
            url, headers={"Host": "example.test"}, extensions={"sni_hostname": "example.test"}
        )
        assert reply.status_code == 200 and reply.text == "<clientConfig/>"
        assert client.get(f"http://{server.address}{WELL_KNOWN}").status_code == 404
    assert [(r.scheme, r.host, r.sni) for r in server.requests] == [
        ("https", "example.test", "example.test"),
        ("http", server.address, None),
    ]


def test_dns_server_delay_holds_each_answer(dns_server: DnsServer) -> None:
    dns_server.add("a.example.test. A 127.3.4.5")
    dns_server.delay = 0.3
    start = time.monotonic()
    assert DnsClient(dns_server.nameserver).addresses("a.example.test", Deadline(5))
    assert 0.3 <= time.monotonic() - start < 1.0  # A and AAAA held at once, not one by one


def test_autoconfig_reply_delay(
    autoconfig_server: Callable[..., AutoconfigServer], dns_server: DnsServer, pki: Pki
) -> None:
    server = autoconfig_server("example.test", dns_server)
    server.http[WELL_KNOWN] = Reply(body=b"late", delay=0.3)
    start = time.monotonic()
    reply = httpx.get(f"http://{server.address}{WELL_KNOWN}", timeout=5)
    assert reply.text == "late" and time.monotonic() - start >= 0.3
