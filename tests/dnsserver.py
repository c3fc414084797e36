"""A real DNS server on 127.0.0.1 for the tests (dnslib; UDP and TCP on one random port).
Usage: `with DnsServer("a.example.test. A 127.9.8.7") as dns: DnsClient(dns.nameserver)`; or
the `dns_server` fixture, then `dns_server.add(zone_text)`. Unknown names get NXDOMAIN;
`silent = True` (or a name in `silent_names`) never answers; `authenticated` sets the AD bit."""

from __future__ import annotations

import threading
from typing import Any

from dnslib import QTYPE, RCODE, RR, DNSError, DNSLabel, DNSRecord
from dnslib.server import BaseResolver, DNSHandler, DNSLogger, DNSServer

from app.core.discover.dns import Nameserver

_MAX_CNAME_CHAIN = 8


class _Quiet(DNSLogger):
    def __init__(self) -> None:
        super().__init__(log="-recv,-send,-request,-reply,-truncated,-error,-data", prefix=False)


class _ZoneResolver(BaseResolver):  # type: ignore[misc]
    def __init__(self, server: DnsServer) -> None:
        self.server = server

    def resolve(self, request: DNSRecord, handler: DNSHandler) -> DNSRecord:
        question = request.q
        name, qtype = str(question.qname).lower(), QTYPE[question.qtype]
        with self.server.lock:
            self.server.queries.append((name.rstrip("."), qtype, handler.protocol))
            if self.server.silent or name.rstrip(".") in self.server.silent_names:
                raise DNSError("silent: no reply")  # dnslib's handler then sends nothing
            records = list(self.server.records)
            authenticated = self.server.authenticated
            servfail = name.rstrip(".") in self.server.servfail_names
        reply = request.reply()
        reply.header.ad = int(authenticated)
        if servfail:
            reply.header.rcode = RCODE.SERVFAIL
            return reply
        for _ in range(_MAX_CNAME_CHAIN):
            here = [rr for rr in records if str(rr.rname).lower() == name]
            wanted = [rr for rr in here if rr.rtype == question.qtype]
            cname = [rr for rr in here if rr.rtype == QTYPE.CNAME]
            if wanted or not cname or qtype == "CNAME":
                for rr in wanted:
                    reply.add_answer(rr)
                break
            reply.add_answer(cname[0])
            name = str(cname[0].rdata.label).lower()
        if not reply.rr and not _exists(name, records):
            reply.header.rcode = RCODE.NXDOMAIN
        return reply


def _exists(name: str, records: list[RR]) -> bool:
    """The name holds a record, or is an empty non-terminal (a name below it does)."""
    label = DNSLabel(name)
    return any(rr.rname == label or rr.rname.matchSuffix(label) for rr in records)


class DnsServer:
    """A zone the test gives, served on 127.0.0.1:random over UDP and TCP until stop()."""

    def __init__(self, zone: str = "", *, authenticated: bool = False) -> None:
        self.records: list[RR] = []
        self.authenticated = authenticated  # answers carry AD (as a validating resolver's)
        self.silent = False  # never answer anything (a dead server)
        self.silent_names: set[str] = set()  # names whose queries get no reply at all
        self.servfail_names: set[str] = set()
        self.queries: list[tuple[str, str, str]] = []  # (name, type, "udp"/"tcp")
        self.lock = threading.Lock()
        self._servers: list[DNSServer] = []
        if zone:
            self.add(zone)

    def add(self, zone: str, ttl: int = 60) -> None:
        """Records in zone-file syntax, one a line, names absolute: 'x.test. A 127.1.2.3'."""
        parsed = RR.fromZone(zone, ttl=ttl)
        with self.lock:
            self.records.extend(parsed)

    def asked(self, qtype: str | None = None) -> list[str]:
        with self.lock:
            return [name for name, kind, _ in self.queries if qtype in (None, kind)]

    @property
    def nameserver(self) -> Nameserver:
        return Nameserver("127.0.0.1", self.port)

    def start(self) -> DnsServer:
        resolver = _ZoneResolver(self)
        for _ in range(50):  # TCP on the port the kernel gave UDP: retry if that one is taken
            udp = DNSServer(resolver, address="127.0.0.1", port=0, logger=_Quiet())
            self.port: int = udp.server.server_address[1]
            try:
                tcp = DNSServer(
                    resolver, address="127.0.0.1", port=self.port, tcp=True, logger=_Quiet()
                )
            except OSError:
                udp.server.server_close()
                continue
            self._servers = [udp, tcp]
            for server in self._servers:  # a short poll: stop() returns at once
                threading.Thread(
                    target=server.server.serve_forever, args=(0.05,), daemon=True
                ).start()
            return self
        raise OSError("no port free for both UDP and TCP")

    def stop(self) -> None:
        for server in self._servers:
            server.stop()
            server.server.server_close()
        self._servers = []

    def __enter__(self) -> DnsServer:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"DnsServer(127.0.0.1:{getattr(self, 'port', '?')})"
