"""The discovery test servers themselves answer as documented (the other tests build on them)."""

from __future__ import annotations

import ssl
from collections.abc import Callable

import httpx
from autoconfigserver import WELL_KNOWN, AutoconfigServer, xml_reply
from dnsserver import DnsServer
from servers import Pki

from app.core.deadline import Deadline
from app.core.discover.dns import DnsClient


def test_dns_server_serves_the_zone_over_udp_and_tcp(dns_server: DnsServer) -> None:
    dns_server.add("a.example.test. A 127.3.4.5\nc.example.test. CNAME a.example.test.")
    client = DnsClient(dns_server.nameserver)
    assert client.addresses("c.example.test", Deadline(5)) == ["127.3.4.5"]
    import dns.message
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
