"""DNS lookups for discovery (SRV, MX, addresses) through dnspython, against the system's
resolver or one named server (`--resolver`, like `dig @server`). Every lookup ends by the
Deadline, whatever the server does; failures come out as DnsFailure with a short reason."""

from __future__ import annotations

import ipaddress
import re
import socket
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

import dns.exception
import dns.flags
import dns.name
import dns.rcode
import dns.rdatatype
import dns.resolver

from .. import values
from ..text import QT_TRANSLATE_NOOP, Text
from .model import as_text

if TYPE_CHECKING:
    from ..deadline import Deadline

QUERY_TIMEOUT = 3.0  # seconds for one query (retries included), capped by the deadline
_EDNS_PAYLOAD = 1232  # the DNS flag day's size: no fragments, TCP for anything larger
_ADDRESS_TYPES = (dns.rdatatype.A, dns.rdatatype.AAAA)  # IPv4 first, as documented
_T = TypeVar("_T")
_SERVICE_LABEL = re.compile(r"_[A-Za-z0-9-]{1,62}")


class DnsFailure(Exception):
    """A lookup that gave nothing; `reason` is short ("NXDOMAIN", "no answer", "timeout",
    "SERVFAIL", ...) and `name` is what was asked."""

    def __init__(self, name: str, reason: str | Text) -> None:
        super().__init__(f"{name}: {reason}")
        self.name = name
        self.reason = str(reason)
        self.text = as_text(reason)


@dataclass(frozen=True)
class Nameserver:
    """One DNS server to send every lookup to."""

    address: str  # an IP address, IPv6 without brackets
    port: int = 53

    @classmethod
    def parse(cls, text: str) -> Nameserver:
        """ "IP", "IP:PORT", "[IPv6]:PORT", "[IPv6]" or a bare "IPv6"; InvalidValue otherwise."""
        role = "resolver"
        if not isinstance(text, str) or not text.strip():
            raise values.InvalidValue(
                role, text, Text.of("values", QT_TRANSLATE_NOOP("values", "is empty"))
            )
        given = text.strip()
        host, port_text = given, None
        if given.startswith("["):
            inside, bracket, rest = given[1:].partition("]")
            if not bracket or (rest and not rest.startswith(":")):
                raise values.InvalidValue(
                    role,
                    text,
                    Text.of(
                        "values",
                        QT_TRANSLATE_NOOP("values", "write an IPv6 address as [ADDRESS]:PORT"),
                    ),
                )
            host, port_text = inside, rest[1:] if rest else None
        elif given.count(":") == 1:
            host, _, port_text = given.partition(":")
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            raise values.InvalidValue(
                role,
                text,
                Text.of(
                    "values",
                    QT_TRANSLATE_NOOP(
                        "values", "is not an IP address (IP, IP:PORT or [IPv6]:PORT)"
                    ),
                ),
            ) from None
        if isinstance(address, ipaddress.IPv6Address) and address.scope_id:
            raise values.InvalidValue(
                role,
                text,
                Text.of(
                    "values", QT_TRANSLATE_NOOP("values", "an IPv6 zone (%...) is not supported")
                ),
            )
        port = 53 if port_text is None else values.port(port_text, "resolver port")
        return cls(str(address), port)

    def __str__(self) -> str:
        shown = f"[{self.address}]" if ":" in self.address else self.address
        return shown if self.port == 53 else f"{shown}:{self.port}"


@dataclass(frozen=True)
class SrvRecord:
    priority: int
    weight: int
    port: int
    target: str  # ASCII, lower case, no trailing dot; "." means "no service here" (RFC 2782)

    @property
    def offers_service(self) -> bool:
        return self.target != "."


def _domain(name: str, role: str) -> str:
    """A DNS name to ask about: leading service labels (_submission._tcp) kept, the rest
    through values.host (IDNA); an IP address is not a domain."""
    labels = name.split(".")
    service = [label for label in labels[:2] if label.startswith("_")]
    rest = ".".join(labels[len(service) :])
    checked = values.host(rest, role)
    if ":" in checked or checked.replace(".", "").isdigit():
        raise values.InvalidValue(
            role,
            name,
            Text.of("values", QT_TRANSLATE_NOOP("values", "is an IP address, not a domain name")),
        )
    if not all(_SERVICE_LABEL.fullmatch(label) for label in service):
        raise values.InvalidValue(
            role,
            name,
            Text.of("values", QT_TRANSLATE_NOOP("values", "not a valid service label (_name)")),
        )
    return ".".join([*(label.lower() for label in service), checked])


def _name_out(name: dns.name.Name) -> str:
    text = name.to_text(omit_final_dot=True).lower()
    return text or "."


class DnsClient:
    """Lookups through one Nameserver, or the system's resolver when none is given."""

    def __init__(
        self, nameserver: Nameserver | None = None, query_timeout: float = QUERY_TIMEOUT
    ) -> None:
        self.nameserver = nameserver
        self.query_timeout = query_timeout
        if nameserver is None:
            try:
                resolver = dns.resolver.Resolver()
            except dns.resolver.NoResolverConfiguration:
                resolver = dns.resolver.Resolver(configure=False)
        else:
            resolver = dns.resolver.Resolver(configure=False)
            resolver.nameservers = [nameserver.address]
            resolver.port = nameserver.port
        # AD asks for the DNSSEC verdict (RFC 6840 §5.7); DO for resolvers that only tell then.
        resolver.flags = dns.flags.RD | dns.flags.AD
        resolver.use_edns(0, dns.flags.DO, _EDNS_PAYLOAD)
        resolver.cache = None
        self._resolver = resolver

    def _query(
        self, name: str, rdtype: dns.rdatatype.RdataType, deadline: Deadline
    ) -> dns.resolver.Answer:
        return _result(*self._start(name, rdtype, deadline))

    def _start(
        self, name: str, rdtype: dns.rdatatype.RdataType, deadline: Deadline
    ) -> tuple[Future[dns.resolver.Answer], float, str]:
        """The query on a thread of its own, and until when to wait for it: dnspython's
        resolver may sleep a back-off past its lifetime, the caller never does."""
        lifetime = min(self.query_timeout, deadline.remaining())
        if lifetime <= 0 or deadline.fired:
            raise DnsFailure(name, QT_TRANSLATE_NOOP("discover", "timeout"))

        def ask() -> dns.resolver.Answer:
            try:
                return self._resolver.resolve(
                    name, rdtype, lifetime=lifetime, search=False, raise_on_no_answer=True
                )
            except dns.resolver.NXDOMAIN:
                raise DnsFailure(name, "NXDOMAIN") from None
            except dns.resolver.NoAnswer:
                raise DnsFailure(name, QT_TRANSLATE_NOOP("discover", "no answer")) from None
            except dns.exception.Timeout:
                raise DnsFailure(name, QT_TRANSLATE_NOOP("discover", "timeout")) from None
            except dns.resolver.NoNameservers as exc:
                raise DnsFailure(name, _server_error(exc)) from None
            except dns.exception.DNSException as exc:
                raise DnsFailure(name, str(exc) or type(exc).__name__) from None

        return _in_background(ask), time.monotonic() + lifetime, name

    def srv(self, name: str, deadline: Deadline) -> tuple[list[SrvRecord], bool]:
        """The SRV records at `name` as the server gave them, and whether the answer was
        DNSSEC-authenticated (the resolver set the AD bit)."""
        asked = _domain(name, "SRV name")
        answer = self._query(asked, dns.rdatatype.SRV, deadline)
        records = [
            SrvRecord(rr.priority, rr.weight, rr.port, _name_out(rr.target))
            for rr in answer
            if rr.rdtype == dns.rdatatype.SRV
        ]
        return records, bool(answer.response.flags & dns.flags.AD)

    def mx(self, domain: str, deadline: Deadline) -> list[tuple[int, str]]:
        """(preference, host) lowest preference first; a host "." is a null MX (RFC 7505)."""
        asked = _domain(domain, "domain")
        answer = self._query(asked, dns.rdatatype.MX, deadline)
        found = [(rr.preference, _name_out(rr.exchange)) for rr in answer]
        return sorted(found)

    def addresses(self, host: str, deadline: Deadline) -> list[str]:
        """The IP addresses of `host`, IPv4 first, then IPv6. A and AAAA are asked at once
        through the nameserver; without one, getaddrinfo answers, so /etc/hosts counts."""
        name = values.host(host)
        if ":" in name or name.replace(".", "").isdigit():
            return [name]
        if self.nameserver is None:
            return _getaddrinfo(name, deadline)
        asked = [self._start(name, rdtype, deadline) for rdtype in _ADDRESS_TYPES]
        found: list[str] = []
        failures: set[str] = set()
        for (future, until, _), rdtype in zip(asked, _ADDRESS_TYPES, strict=True):
            try:
                answer = _result(future, until, name)
            except DnsFailure as exc:
                failures.add(exc.reason)
                continue
            found += [rr.address for rr in answer if rr.rdtype == rdtype]
        if found:
            return found
        for reason in ("timeout", "SERVFAIL", "NXDOMAIN"):
            if reason in failures:
                raise DnsFailure(name, reason)
        raise DnsFailure(name, QT_TRANSLATE_NOOP("discover", "no address"))


def _in_background(work: Callable[[], _T]) -> Future[_T]:
    done: Future[_T] = Future()

    def run() -> None:
        try:
            done.set_result(work())
        except BaseException as exc:
            done.set_exception(exc)

    threading.Thread(target=run, name="dns-lookup", daemon=True).start()
    return done


def _result(future: Future[_T], until: float, name: str) -> _T:
    """What the lookup gave, or DnsFailure("timeout") at `until` (its thread left behind)."""
    try:
        return future.result(timeout=max(0.0, until - time.monotonic()))
    except TimeoutError:
        raise DnsFailure(name, QT_TRANSLATE_NOOP("discover", "timeout")) from None


def _server_error(exc: dns.resolver.NoNameservers) -> str:
    """The rcode the server answered (SERVFAIL, REFUSED ...), from dnspython's error list."""
    for error in exc.kwargs.get("errors", []):
        response = error[-1] if isinstance(error, tuple) else None
        if response is not None and hasattr(response, "rcode"):
            return str(dns.rcode.to_text(response.rcode()))
    return QT_TRANSLATE_NOOP("discover", "no server answered")


def _getaddrinfo(name: str, deadline: Deadline) -> list[str]:
    """getaddrinfo has no timeout of its own: it runs on a daemon thread and is waited for
    only until the deadline (a hung lookup is left behind, never waited for)."""

    def lookup() -> list[str]:
        try:
            infos = socket.getaddrinfo(name, None, type=socket.SOCK_STREAM)
        except socket.gaierror as exc:
            reason = {
                socket.EAI_NONAME: "NXDOMAIN",
                socket.EAI_AGAIN: "timeout",
                getattr(socket, "EAI_NODATA", -5): "no address",
            }.get(exc.errno, exc.strerror or QT_TRANSLATE_NOOP("discover", "lookup failed"))
            raise DnsFailure(name, reason) from None
        found: list[str] = []
        for family in (socket.AF_INET, socket.AF_INET6):
            for info in infos:
                address = str(info[4][0])
                if info[0] == family and address not in found:
                    found.append(address)
        return found

    return _result(_in_background(lookup), time.monotonic() + deadline.remaining(), name)
