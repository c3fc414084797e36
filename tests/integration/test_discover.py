"""Discovery end to end on loopback: a real DNS server (dnslib), real HTTPS autoconfig servers
and real TLS SMTP relays (aiosmtpd, trustme certificates for the candidate names) on fresh
127.x.y.z addresses at the real ports. Each source alone, sources disagreeing with the live
server, a host outside the domain (confirmation, and no AUTH sent), dead and dripping sources
under the deadline, the command's words, JSON and exit statuses."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from autoconfigserver import AutoconfigServer, config_xml, drip, xml_reply
from dnsserver import DnsServer
from servers import Pki, SmtpServer

from app import exitcodes
from app.core import values
from app.core.discover.model import Origin
from app.core.discover.search import DiscoverOptions, discover
from app.core.results import PortSpec, TlsMode, Verdict

DOMAIN = "example.test"
EMAIL = f"ann@{DOMAIN}"
WELL_KNOWN = "/.well-known/autoconfig/mail/config-v1.1.xml"
AUTOCONFIG = "/mail/config-v1.1.xml"


def starttls_587(host: str) -> str:
    """An autoconfig document naming `host`, STARTTLS on 587."""
    return config_xml({"hostname": host, "port": "587", "socketType": "STARTTLS"})


def run_discover(
    cli: Callable[..., tuple[int, str, str]], dns: DnsServer, email: str, *extra: str
) -> tuple[int, str, str]:
    """The command through the test's DNS server, with short timeouts."""
    resolver = ["--resolver", str(dns.nameserver), "--timeout", "2", "--deadline", "8"]
    return cli("discover", email, *resolver, *extra)


@pytest.fixture
def options(dns_server: DnsServer, pki: Pki, tmp_path: Path) -> DiscoverOptions:
    return DiscoverOptions(
        nameserver=dns_server.nameserver,
        ca_file=pki.ca_file,
        timeout=2.0,
        deadline=10.0,
        dropin_folder=tmp_path,  # empty: this machine's /etc never counts
    )


def test_srv_alone_finds_the_relay(
    dns_server: DnsServer, named_relay: Callable[..., SmtpServer], options: DiscoverOptions
) -> None:
    server = named_relay("submit.example.test", 465, "implicit")
    dns_server.add(f"_submissions._tcp.{DOMAIN}. SRV 0 1 465 submit.example.test.")

    report = discover(EMAIL, options)

    assert report.verdict is Verdict.RECOMMENDED
    assert report.chosen is not None
    assert (report.chosen.host, report.chosen.port) == ("submit.example.test", 465)
    assert report.chosen.tls is TlsMode.IMPLICIT and report.chosen.origin is Origin.SRV
    assert not report.needs_confirmation
    assert report.chosen_probe is not None and report.chosen_probe.host == "submit.example.test"
    assert server.auth_seen == []  # discovery never logs in


@pytest.mark.parametrize("path", [AUTOCONFIG, WELL_KNOWN])
def test_autoconfig_alone_finds_the_relay(
    path: str,
    dns_server: DnsServer,
    named_relay: Callable[..., SmtpServer],
    options: DiscoverOptions,
    autoconfig_server: Callable[..., AutoconfigServer],
) -> None:
    named_relay("out.example.test", 587)
    web = autoconfig_server(DOMAIN, dns_server)
    web.https[path] = xml_reply(starttls_587("out.example.test"))

    report = discover(EMAIL, options)

    assert report.chosen is not None, report.to_json()
    assert report.chosen.host == "out.example.test"
    assert report.chosen.origin is Origin.AUTOCONFIG
    assert (report.chosen.port, report.chosen.tls) == (587, TlsMode.STARTTLS)


def test_guesses_alone_find_the_relay(
    named_relay: Callable[..., SmtpServer], options: DiscoverOptions
) -> None:
    named_relay(f"mail.{DOMAIN}", 587)

    report = discover(EMAIL, options)

    assert report.chosen is not None
    assert report.chosen.host == f"mail.{DOMAIN}" and report.chosen.origin is Origin.GUESS
    assert not report.needs_confirmation  # a guess is always inside the domain
    smtp = next(h for h in report.hosts if h.host == f"smtp.{DOMAIN}")
    assert not smtp.chosen and "not used" in smtp.why


def test_mx_outside_the_domain_needs_confirmation_and_gets_no_auth(
    dns_server: DnsServer, named_relay: Callable[..., SmtpServer], options: DiscoverOptions
) -> None:
    server = named_relay("mx.provider.test", 587)
    dns_server.add(f"{DOMAIN}. MX 10 mx.provider.test.")

    report = discover(EMAIL, options)

    assert report.chosen is not None and report.chosen.host == "mx.provider.test"
    assert report.chosen.origin is Origin.MX
    assert report.needs_confirmation
    assert report.to_json()["needs_confirmation"] is True
    assert server.auth_seen == []  # no AUTH before the user's yes (RFC 6186 section 6)

    from dataclasses import replace

    accepted = discover(EMAIL, replace(options, accept_hosts=("mx.provider.test",)))
    assert accepted.chosen is not None and not accepted.needs_confirmation


def test_a_more_trusted_source_wins_over_a_live_guess(
    dns_server: DnsServer, named_relay: Callable[..., SmtpServer], options: DiscoverOptions
) -> None:
    named_relay(f"smtp.{DOMAIN}", 587)
    named_relay("submit.example.test", 587)
    dns_server.add(f"_submission._tcp.{DOMAIN}. SRV 0 1 587 submit.example.test.")

    report = discover(EMAIL, options)

    assert report.chosen is not None and report.chosen.host == "submit.example.test"
    guess = next(h for h in report.hosts if h.host == f"smtp.{DOMAIN}")
    assert not guess.chosen and guess.why.startswith("works")


def test_srv_and_autoconfig_disagreeing_with_the_live_server_are_named(
    dns_server: DnsServer,
    named_relay: Callable[..., SmtpServer],
    options: DiscoverOptions,
    autoconfig_server: Callable[..., AutoconfigServer],
) -> None:
    named_relay("relay.example.test", 465, "implicit")  # only 465 works
    dns_server.add(f"_submission._tcp.{DOMAIN}. SRV 0 1 587 relay.example.test.")
    web = autoconfig_server(DOMAIN, dns_server)
    web.https[AUTOCONFIG] = xml_reply(
        config_xml(
            {"hostname": "relay.example.test", "port": "587", "socketType": "STARTTLS"},
            {"hostname": "relay.example.test", "port": "25", "socketType": "plain"},
        )
    )

    report = discover(EMAIL, options)

    assert report.chosen is not None
    assert (report.chosen.host, report.chosen.port) == ("relay.example.test", 465)
    assert report.chosen.origin is Origin.AUTOCONFIG
    host = next(h for h in report.hosts if h.host == "relay.example.test")
    said = " | ".join(map(str, host.disagreements))
    assert "autoconfig says STARTTLS on 587, but 587 is closed; 465 (implicit TLS) works" in said
    assert "DNS SRV says STARTTLS on 587, but 587 is closed" in said
    assert "plain" in said and "never used" in said


def test_a_dead_dns_answer_does_not_hold_a_more_trusted_answer(
    dns_server: DnsServer,
    named_relay: Callable[..., SmtpServer],
    options: DiscoverOptions,
    tmp_path: Path,
) -> None:
    """The drop-in (trusted) names a live relay; SRV never answers: the search stops as soon
    as the drop-in's relay is proven, without waiting for SRV's timeout."""
    named_relay("it.example.test", 587)
    (tmp_path / f"{DOMAIN}.xml").write_text(starttls_587("it.example.test"))
    dns_server.silent_names |= {f"_submissions._tcp.{DOMAIN}", f"_submission._tcp.{DOMAIN}"}

    started = time.monotonic()
    report = discover(EMAIL, options)
    took = time.monotonic() - started

    assert report.chosen is not None and report.chosen.origin is Origin.DROP_IN
    assert took < 2.0, f"waited {took:.1f} s for a source less trusted than the drop-in"


def test_a_silent_dns_server_and_a_dripping_autoconfig_cost_their_timeout_only(
    dns_server: DnsServer,
    named_relay: Callable[..., SmtpServer],
    options: DiscoverOptions,
    autoconfig_server: Callable[..., AutoconfigServer],
) -> None:
    """SRV never answers and autoconfig drips one byte a second: both are more trusted than
    the guess that works, so the search waits for them, but no longer than their own
    timeout, and it still reports the guess."""
    named_relay(f"smtp.{DOMAIN}", 587)
    dns_server.silent_names |= {f"_submissions._tcp.{DOMAIN}", f"_submission._tcp.{DOMAIN}"}
    web = autoconfig_server(DOMAIN, dns_server)
    body = starttls_587("x.example.test")
    web.https[AUTOCONFIG] = drip(body, every=0.5)
    web.https[WELL_KNOWN] = drip(body, every=0.5)

    started = time.monotonic()
    report = discover(EMAIL, options)
    took = time.monotonic() - started

    assert report.chosen is not None and report.chosen.host == f"smtp.{DOMAIN}"
    failed = {f.origin for f in report.failures}
    assert Origin.SRV in failed and Origin.AUTOCONFIG in failed
    # The DNS query timeout (3 s) and autoconfig's (2 s) run side by side, not one after
    # the other, and far from the 10 s deadline.
    assert took < 5.0, f"took {took:.1f} s"


def test_nxdomain_everywhere_is_nothing_found(
    cli: Callable[..., tuple[int, str, str]], dns_server: DnsServer, tmp_path: Path
) -> None:
    code, out, err = run_discover(cli, dns_server, "ann@nowhere.test", "--json")

    assert code == exitcodes.UNREACHABLE, err
    report = json.loads(out)
    assert report["chosen"] is None and report["verdict"] == "nothing_reachable"
    reasons = " ".join(f["reason"] for f in report["failures"])
    assert "NXDOMAIN" in reasons
    assert {c["host"] for c in report["candidates"]} >= {"smtp.nowhere.test", "mail.nowhere.test"}


def test_the_json_names_the_choice_every_candidate_and_the_failed_sources(
    cli: Callable[..., tuple[int, str, str]],
    dns_server: DnsServer,
    named_relay: Callable[..., SmtpServer],
    pki: Pki,
) -> None:
    named_relay("submit.example.test", 465, "implicit")
    dns_server.add(f"_submissions._tcp.{DOMAIN}. SRV 0 1 465 submit.example.test.")

    code, out, err = run_discover(cli, dns_server, EMAIL, "--ca", pki.ca_file, "--json")

    assert code == exitcodes.OK, err
    report = json.loads(out)
    assert report["chosen"] == {
        "host": "submit.example.test",
        "port": 465,
        "tls": "implicit",
        "auth": ["PLAIN", "LOGIN"],
        "source": "srv",
        "pinned_sha256": None,
    }
    assert report["needs_confirmation"] is False
    assert report["email"] == EMAIL and report["domain"] == DOMAIN
    chosen = [c for c in report["candidates"] if c["chosen"]]
    assert [c["host"] for c in chosen] == ["submit.example.test"]
    assert chosen[0]["sources"][0]["source"] == "srv" and chosen[0]["why"].startswith("chosen")
    assert chosen[0]["probe"]["recommended"]["port"] == 465
    for candidate in report["candidates"]:
        assert set(candidate) == {"host", "sources", "chosen", "why", "disagreements", "probe"}
    assert all(set(f) == {"source", "asked", "reason"} for f in report["failures"])
    assert any(f["source"] == "autoconfig" for f in report["failures"])


def test_found_but_insecure_is_exit_5(
    cli: Callable[..., tuple[int, str, str]],
    dns_server: DnsServer,
    named_relay: Callable[..., SmtpServer],
) -> None:
    named_relay(f"smtp.{DOMAIN}", 587, "plain")

    code, out, _ = run_discover(cli, dns_server, EMAIL, "--json")

    assert code == exitcodes.NO_SECURE_OPTION
    assert json.loads(out)["verdict"] == "no_secure_option"


@pytest.mark.parametrize(
    "address",
    ["ann", "ann@", "@example.test", "a nn@example.test", "ann@exa mple.test", "", " "],
)
def test_a_bad_address_is_exit_2_with_a_clear_message(
    cli: Callable[..., tuple[int, str, str]], address: str
) -> None:
    code, _, err = cli("discover", address, "--resolver", "127.0.0.1:9")
    assert code == exitcodes.USAGE
    assert "email address" in err and "Traceback" not in err
    with pytest.raises(values.InvalidValue):
        discover(address)


@pytest.mark.parametrize("resolver", ["nameserver.test", "127.0.0.1:0", "1.2.3.4:99999", ""])
def test_a_bad_resolver_is_exit_2(cli: Callable[..., tuple[int, str, str]], resolver: str) -> None:
    code, _, err = cli("discover", EMAIL, "--resolver", resolver)
    assert code == exitcodes.USAGE
    assert "--resolver" in err


def test_words_for_a_person(
    cli: Callable[..., tuple[int, str, str]],
    dns_server: DnsServer,
    named_relay: Callable[..., SmtpServer],
    pki: Pki,
) -> None:
    named_relay("mx.provider.test", 587)
    dns_server.add(f"{DOMAIN}. MX 10 mx.provider.test.")

    code, out, _ = run_discover(cli, dns_server, EMAIL, "--ca", pki.ca_file)

    assert code == exitcodes.OK, out
    assert "Result: use mx.provider.test port 587 with STARTTLS" in out
    assert "Confirm first: mx.provider.test is outside example.test" in out
    assert "--accept-host mx.provider.test" in out


def test_probe_ports_follow_the_options(
    named_relay: Callable[..., SmtpServer], options: DiscoverOptions
) -> None:
    from dataclasses import replace

    named_relay(f"smtp.{DOMAIN}", 587)
    report = discover(EMAIL, replace(options, ports=(PortSpec.default(587),)))
    assert report.chosen_probe is not None
    assert [r.port for r in report.chosen_probe.ports] == [587]


def test_http_only_autoconfig_outside_the_domain_needs_confirmation(
    dns_server: DnsServer,
    named_relay: Callable[..., SmtpServer],
    options: DiscoverOptions,
    autoconfig_server: Callable[..., AutoconfigServer],
) -> None:
    named_relay("smtp.hoster.test", 587)
    web = autoconfig_server(DOMAIN, dns_server)
    web.http[AUTOCONFIG] = xml_reply(starttls_587("smtp.hoster.test"))

    report = discover(EMAIL, options)

    assert report.chosen is not None and report.chosen.host == "smtp.hoster.test"
    assert report.chosen.origin is Origin.AUTOCONFIG_HTTP
    assert report.needs_confirmation  # anyone on the path could have written that answer


def test_the_profile_host_wins_at_once_and_only_its_ports_are_tried(
    dns_server: DnsServer,
    named_relay: Callable[..., SmtpServer],
    options: DiscoverOptions,
    pki: Pki,
) -> None:
    from dataclasses import replace

    from app.core.org.profiles import loads_profile

    named_relay("relay.corp.test", 587)
    named_relay(f"smtp.{DOMAIN}", 587)
    dns_server.silent_names |= {f"_submissions._tcp.{DOMAIN}", f"_submission._tcp.{DOMAIN}"}
    profile = loads_profile(
        '[organisation]\nname = "Corp"\n[relay]\nhost = "relay.corp.test"\n'
        'ports = ["587/starttls"]\n'
    )

    started = time.monotonic()
    report = discover(EMAIL, replace(options, profile=profile))
    took = time.monotonic() - started

    assert report.chosen is not None and report.chosen.host == "relay.corp.test"
    assert report.chosen.origin is Origin.PROFILE and not report.needs_confirmation
    assert report.chosen_probe is not None
    assert [r.port for r in report.chosen_probe.ports] == [587]
    assert took < 2.0  # the silent SRV is less trusted than the profile: not waited for


def test_cancel_stops_the_search_at_once(dns_server: DnsServer, options: DiscoverOptions) -> None:
    import threading

    from app.core.deadline import CancelToken

    dns_server.silent = True
    cancel = CancelToken()
    threading.Timer(0.3, cancel.cancel).start()

    started = time.monotonic()
    report = discover(EMAIL, options, cancel=cancel)

    assert report.verdict is Verdict.CANCELLED
    assert time.monotonic() - started < 1.5


def test_callbacks_arrive_in_the_calling_thread(
    named_relay: Callable[..., SmtpServer], options: DiscoverOptions
) -> None:
    import threading

    named_relay(f"smtp.{DOMAIN}", 587)
    seen: list[tuple[str, object]] = []
    caller = threading.get_ident()

    def note(kind: str, item: object) -> None:
        assert threading.get_ident() == caller
        seen.append((kind, item))

    report = discover(
        EMAIL,
        options,
        on_source=lambda outcome: note("source", outcome.origin),
        on_port=lambda host, result: note("port", (host, result.port)),
    )

    assert ("source", Origin.GUESS) in seen
    assert ("port", (f"smtp.{DOMAIN}", 587)) in seen
    assert report.chosen is not None
