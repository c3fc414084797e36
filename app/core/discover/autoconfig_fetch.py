"""Mozilla autoconfig from the network (httpx; certifi, the system's roots and `--ca`).

Asked in Thunderbird's order: `https://autoconfig.DOMAIN/mail/config-v1.1.xml?emailaddress=ADDR`
and `https://DOMAIN/.well-known/autoconfig/mail/config-v1.1.xml` at once (the first listed wins
when both answer); the same two over plain http only when no https answer came, so the address
goes out in the clear only as the last resort, and what comes back is marked untrusted.

Names resolve through the DnsClient (so `--resolver` holds here too); the connection goes to the
address with the Host header, SNI and the certificate check all for the name. Each fetch is
capped by `timeout` and the Deadline: its socket is shut the instant either ends, so a server
dripping one byte a second holds nothing past it.
"""

from __future__ import annotations

import threading
import time
import urllib.parse
from collections.abc import Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .. import values
from ..deadline import Deadline
from ..localfiles import KIB
from ..text import QT_TRANSLATE_NOOP, Text
from .dns import DnsFailure
from .model import Candidate, Origin, SourceFailure, SourceOutcome, as_text, said
from .xmlconfig import XmlConfigError, candidates_from_xml

if TYPE_CHECKING:
    import ssl

    import httpx

    from .dns import DnsClient

MAX_BODY = 256 * KIB  # real files are a few KiB; org/autoconfig.py's MAX_XML_BYTES is 1 MiB
MAX_REDIRECTS = 3
_WAIT_SLICE = 0.1  # how often a waiting caller looks at the outer deadline (a GUI Cancel)


class FetchFailure(Exception):
    def __init__(self, url: str, reason: str | Text, *, unresolved: bool = False) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = str(reason)
        self.text = as_text(reason)
        self.unresolved = unresolved  # the URL's host name has no address: no scheme will do


@dataclass(frozen=True)
class Fetched:
    url: str  # where the document finally came from (after redirects)
    body: bytes


def autoconfig_urls(email: str, scheme: str) -> tuple[str, str]:
    domain = email.rpartition("@")[2]
    query = urllib.parse.urlencode({"emailaddress": email})
    return (
        f"{scheme}://autoconfig.{domain}/mail/config-v1.1.xml?{query}",
        f"{scheme}://{domain}/.well-known/autoconfig/mail/config-v1.1.xml",
    )


def autoconfig_outcome(
    email: str,
    dns: DnsClient,
    deadline: Deadline,
    *,
    ca_file: str | None = None,
    timeout: float = 5.0,
) -> SourceOutcome:
    """Candidates from the first autoconfig document that answers; never raises. The outcome's
    origin is AUTOCONFIG_HTTP when its candidates came over plain http, else AUTOCONFIG."""
    started = time.monotonic()
    failures: list[SourceFailure] = []

    def outcome(origin: Origin, candidates: tuple[Candidate, ...] = ()) -> SourceOutcome:
        elapsed = int((time.monotonic() - started) * 1000)
        return SourceOutcome(origin, candidates, tuple(failures), elapsed)

    try:
        email = values.address(email, "email address")
    except values.InvalidValue as exc:
        failures.append(SourceFailure(Origin.AUTOCONFIG, str(email), exc.why_text))
        return outcome(Origin.AUTOCONFIG)
    try:
        from ..probe.tls import verifying_context

        context = verifying_context(ca_file)
    except Exception as exc:  # an unreadable --ca: said once, and nothing fetched without it
        why = said(QT_TRANSLATE_NOOP("discover", "CA file: {error}"), error=str(exc))
        failures.append(SourceFailure(Origin.AUTOCONFIG, str(ca_file), why))
        return outcome(Origin.AUTOCONFIG)

    # A host name with no address fails over http as it did over https: asked once, said once.
    unresolved: set[str | None] = set()
    for scheme, origin in (("https", Origin.AUTOCONFIG), ("http", Origin.AUTOCONFIG_HTTP)):
        urls = [
            url
            for url in autoconfig_urls(email, scheme)
            if urllib.parse.urlsplit(url).hostname not in unresolved
        ]
        fetches = [_start(url, dns, deadline, context, timeout) for url in urls]
        try:
            for url, (result, limit) in zip(urls, fetches, strict=True):
                try:
                    fetched = _wait(result, limit, deadline)
                    found = candidates_from_xml(
                        fetched.body, email, origin, fetched.url, authenticated=scheme == "https"
                    )
                except (FetchFailure, XmlConfigError) as exc:
                    failures.append(SourceFailure(origin, url, exc.text))
                    if isinstance(exc, FetchFailure) and exc.unresolved:
                        unresolved.add(urllib.parse.urlsplit(url).hostname)
                    continue
                except Exception as exc:  # a source never takes the search down with it
                    why = said(QT_TRANSLATE_NOOP("discover", "failed: {error}"), error=str(exc))
                    failures.append(SourceFailure(origin, url, why))
                    continue
                failures.extend(found.failures)
                if found.candidates:
                    return outcome(origin, found.candidates)
        finally:
            for _, limit in fetches:
                limit.fire("cancelled")  # the one not waited for stops now
                limit.close()
        if deadline.ran_out():
            break
    return outcome(Origin.AUTOCONFIG)


def _start(
    url: str, dns: DnsClient, outer: Deadline, context: ssl.SSLContext, timeout: float
) -> tuple[Future[Fetched], Deadline]:
    """The fetch on its own thread, under its own Deadline: `timeout`, capped by the outer."""
    limit = Deadline(min(timeout, outer.remaining()))
    result: Future[Fetched] = Future()

    def run() -> None:
        try:
            result.set_result(_fetch(url, dns, limit, context))
        except BaseException as exc:
            result.set_exception(exc)

    threading.Thread(target=run, name="autoconfig-fetch", daemon=True).start()
    return result, limit


def _wait(result: Future[Fetched], limit: Deadline, outer: Deadline) -> Fetched:
    """The fetch's result, or FetchFailure("timeout") the moment its time or the outer
    deadline (or a Cancel) ends, whatever its thread is still blocked in."""
    while True:
        if outer.fired:
            limit.fire(outer.fired)
        try:
            return result.result(timeout=_WAIT_SLICE)
        except TimeoutError:
            if limit.fired or limit.remaining() <= 0:
                limit.fire()
                raise FetchFailure("", _stopped(limit)) from None


def _fetch(url: str, dns: DnsClient, limit: Deadline, context: ssl.SSLContext) -> Fetched:
    import httpx

    per_step = max(limit.remaining(), 0.001)
    with httpx.Client(
        verify=context, timeout=httpx.Timeout(per_step), follow_redirects=False, trust_env=False
    ) as client:
        for _ in range(MAX_REDIRECTS + 1):
            with _response(client, url, dns, limit) as response:
                if not response.is_redirect:
                    if response.status_code != 200:
                        status = str(response.status_code)
                        raise FetchFailure(
                            url, said(QT_TRANSLATE_NOOP("discover", "HTTP {status}"), status=status)
                        )
                    return Fetched(url, _body(response, url, limit))
                location = response.headers["location"]
            target = urllib.parse.urljoin(url, location)
            scheme = urllib.parse.urlsplit(target).scheme
            if url.startswith("https:") and scheme == "http":
                raise FetchFailure(url, QT_TRANSLATE_NOOP("discover", "redirect to http refused"))
            if scheme not in ("http", "https"):
                raise FetchFailure(
                    url,
                    said(
                        QT_TRANSLATE_NOOP("discover", "redirect to {scheme} refused"),
                        scheme=scheme or "nowhere",
                    ),
                )
            url = target
        raise FetchFailure(
            url,
            said(
                QT_TRANSLATE_NOOP("discover", "more than {count} redirects"),
                count=str(MAX_REDIRECTS),
            ),
        )


def _body(response: httpx.Response, url: str, limit: Deadline) -> bytes:
    """The body, at most MAX_BODY bytes, the time limit looked at between chunks."""
    import httpx

    if response.headers.get("content-encoding", "identity") != "identity":
        # We asked for identity: a compressed body's size says nothing of what it unpacks to.
        raise FetchFailure(url, QT_TRANSLATE_NOOP("discover", "compressed body refused"))
    too_large = said(QT_TRANSLATE_NOOP("discover", "larger than {size} bytes"), size=str(MAX_BODY))
    announced = response.headers.get("content-length", "")
    if announced.isdigit() and int(announced) > MAX_BODY:
        raise FetchFailure(url, too_large)
    body = bytearray()
    try:
        for chunk in response.iter_raw():
            body += chunk
            if len(body) > MAX_BODY:
                raise FetchFailure(url, too_large)
            if limit.fired or limit.remaining() <= 0:
                raise FetchFailure(url, QT_TRANSLATE_NOOP("discover", "timeout"))
    except httpx.HTTPError as exc:
        raise FetchFailure(url, _reason(exc, limit)) from None
    return bytes(body)


@contextmanager
def _response(
    client: httpx.Client, url: str, dns: DnsClient, limit: Deadline
) -> Iterator[httpx.Response]:
    """GET `url` streamed, connected to the address `dns` gives for its host; the socket is
    handed to `limit` as soon as it exists, so its end shuts it whatever the server does."""
    import httpx

    parts = urllib.parse.urlsplit(url)
    try:
        host = values.host(parts.hostname or "", "URL host")
        addresses = dns.addresses(host, limit)
    except DnsFailure as exc:
        raise FetchFailure(
            url, Text.of("", "{host}: {reason}", host=host, reason=exc.text), unresolved=True
        ) from None
    except values.InvalidValue as exc:
        raise FetchFailure(url, exc.why_text) from None
    port = f":{parts.port}" if parts.port else ""

    def trace(event: str, info: dict[str, Any]) -> None:
        if event == "connection.connect_tcp.complete":
            sock = info["return_value"].get_extra_info("socket")
            if sock is not None:
                limit.attach(sock)

    extensions: dict[str, Any] = {"trace": trace}
    if parts.scheme == "https":
        extensions["sni_hostname"] = host  # and the certificate is checked for this name
    headers = {"Host": host + port, "Accept-Encoding": "identity"}
    for i, address in enumerate(addresses):
        netloc = (f"[{address}]" if ":" in address else address) + port
        direct = parts._replace(netloc=netloc).geturl()
        request = client.build_request("GET", direct, headers=headers, extensions=extensions)
        try:
            response = client.send(request, stream=True)
        except httpx.ConnectError as exc:
            reason = _reason(exc, limit)
            if str(reason).startswith("certificate") or limit.fired or i == len(addresses) - 1:
                raise FetchFailure(url, reason) from None
            continue  # the next address of the name, as a browser would
        except httpx.HTTPError as exc:
            raise FetchFailure(url, _reason(exc, limit)) from None
        try:
            yield response
        finally:
            response.close()
        return


def _stopped(limit: Deadline) -> str:
    if limit.fired == "cancelled":
        return QT_TRANSLATE_NOOP("discover", "cancelled")
    return QT_TRANSLATE_NOOP("discover", "timeout")


def _reason(exc: BaseException, limit: Deadline) -> Text:
    """Words for what went wrong: a certificate's verdict, a timeout, a refusal."""
    import ssl

    import httpx

    if limit.fired or isinstance(exc, httpx.TimeoutException):
        return as_text(_stopped(limit))
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, ssl.SSLCertVerificationError):
            return said(
                QT_TRANSLATE_NOOP("discover", "certificate does not verify: {why}"),
                why=str(cause.verify_message),
            )
        if isinstance(cause, ConnectionRefusedError):
            return as_text(QT_TRANSLATE_NOOP("discover", "connection refused"))
        cause = cause.__cause__ or cause.__context__
    return Text("", str(exc) or type(exc).__name__)
