"""Benchmark: from the email address to a recommendation, against probing the known host alone.

    python3 tests/benchmarks/bench_discover.py [--rtt MS] [--rounds N] [--timeout S]

Runs as root (the real ports) on loopback only: a DNS server (dnslib), an HTTPS autoconfig
server and TLS SMTP relays on 127.x.y.z, each behind a delaying proxy of tests/delayproxy.py
(this kernel has no netem), so every DNS query, TCP connection, TLS flight and SMTP reply pays
--rtt as a relay some way off does. Closed ports are not proxied: refused at once, in both the
probe alone and discovery. Prints the median of --rounds runs of:
  1. the probe of the known host alone (its A/AAAA through the same DNS server, ports 465, 587
     and 25);
  2. discovery with SRV, autoconfig (https) and the guesses all answering
     (target: <= 2 x row 1);
  3. a DNS server that never answers SRV: (a) while autoconfig, more trusted, answers (not
     waited for), (b) while only a guess works (waited for, no longer than the DNS query's own
     3 s); 4. a tarpit autoconfig (one byte a second) while SRV answers: no longer than
     --timeout; 5. both dead at once: the longer of the two timeouts, not their sum.
Nothing leaves 127.0.0.0/8.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

HERE = Path(__file__).resolve()
sys.path[:0] = [str(HERE.parents[2]), str(HERE.parents[1])]

DOMAIN = "example.test"
EMAIL = f"ann@{DOMAIN}"


def median_ms(run: Callable[[], object], rounds: int) -> tuple[float, object]:
    times, last = [], None
    for _ in range(rounds):
        started = time.monotonic()
        last = run()
        times.append((time.monotonic() - started) * 1000)
    return statistics.median(times), last


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rtt", type=float, default=100.0, help="added round trip, ms")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=2.0, help="per-step timeout, s")
    args = parser.parse_args()
    rtt = args.rtt / 1000

    import trustme
    from autoconfigserver import AutoconfigServer, config_xml, drip, not_found, xml_reply
    from delayproxy import TcpDelay, UdpDelay
    from dnsserver import DnsServer
    from loopback import fresh_loopback_address
    from servers import Pki, smtp_server

    from app.core.discover.dns import DnsClient, Nameserver
    from app.core.discover.search import DiscoverOptions, discover
    from app.core.probe.port import ProbeOptions
    from app.core.probe.relay import probe_relay

    folder = Path(tempfile.mkdtemp(prefix="bench-discover-"))
    pki = Pki(trustme.CA(), folder)
    relay_host = f"relay.{DOMAIN}"
    with ExitStack() as stack:

        def delayed(front: str, back: str, port: int) -> None:
            stack.callback(TcpDelay((front, port), (back, port), rtt).stop)

        dns = stack.enter_context(DnsServer())
        dns_proxy = UdpDelay(("127.0.0.1", 0), ("127.0.0.1", dns.port), rtt)
        stack.callback(dns_proxy.stop)
        nameserver = Nameserver(*dns_proxy.address)
        for name, ports in ((relay_host, (465, 587)), (f"smtp.{DOMAIN}", (587,))):
            front, back = fresh_loopback_address(), fresh_loopback_address()
            dns.add(f"{name}. A {front}")
            for port in ports:
                mode = "implicit" if port == 465 else "starttls"
                stack.enter_context(
                    smtp_server(mode, pki.server_context(name), address=back, port=port)
                )
                delayed(front, back, port)
        dns.add(f"_submissions._tcp.{DOMAIN}. SRV 0 1 465 {relay_host}.")
        web = AutoconfigServer(
            fresh_loopback_address(),
            DOMAIN,
            pki.server_context(f"autoconfig.{DOMAIN}", DOMAIN),
        ).start()
        stack.callback(web.stop)
        web_front = fresh_loopback_address()
        for port in (443, 80):
            delayed(web_front, web.address, port)
        dns.add(f"autoconfig.{DOMAIN}. A {web_front}")
        body = config_xml({"hostname": relay_host, "port": "465", "socketType": "SSL"})
        answering = xml_reply(body)
        web.https["/mail/config-v1.1.xml"] = answering

        options = DiscoverOptions(
            nameserver=nameserver,
            ca_file=pki.ca_file,
            timeout=args.timeout,
            deadline=20.0,
            dropin_folder=folder,
        )
        probe_options = ProbeOptions(
            timeout=args.timeout, ca_file=pki.ca_file, resolver=DnsClient(nameserver)
        )
        srv_names = {f"_submissions._tcp.{DOMAIN}", f"_submission._tcp.{DOMAIN}"}

        def alone() -> object:
            report = probe_relay(relay_host, options=probe_options)
            assert report.recommended is not None, report
            return report

        def found() -> object:
            report = discover(EMAIL, options)
            assert report.chosen is not None, report.to_json()
            return report.chosen.host, report.chosen.origin.value

        def autoconfig(reply: object) -> None:
            web.https["/mail/config-v1.1.xml"] = reply  # type: ignore[assignment]

        def srv_dead(on: bool) -> None:
            dns.silent_names = set(srv_names) if on else set()

        rows: list[tuple[str, float, object]] = []
        took, what = median_ms(alone, args.rounds)
        rows.append(("1. probe of the known host alone", took, relay_host))
        base = took
        took, what = median_ms(found, args.rounds)
        rows.append(("2. discover: SRV + autoconfig + guesses answer", took, what))
        srv_dead(True)
        took, what = median_ms(found, args.rounds)
        rows.append(("3a. SRV silent, autoconfig answers (SRV less trusted)", took, what))
        autoconfig(not_found())
        took, what = median_ms(found, args.rounds)
        rows.append(("3b. SRV silent (DNS 3 s), autoconfig 404, guess", took, what))
        srv_dead(False)
        autoconfig(drip(body, every=1.0))
        took, what = median_ms(found, args.rounds)
        rows.append((f"4. autoconfig drips ({args.timeout:g} s), SRV answers", took, what))
        srv_dead(True)
        took, what = median_ms(found, args.rounds)
        rows.append(("5. autoconfig drips and SRV silent, guess", took, what))

    print(f"added round trip {args.rtt:g} ms (delaying proxies), median of {args.rounds} runs")
    for label, ms, what in rows:
        print(f"  {label:<54} {ms:7.0f} ms  {ms / base:4.1f} x   -> {what}")
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
