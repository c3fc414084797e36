"""The probe against real servers on 127.0.0.1: every outcome is classified, and bounded."""

from __future__ import annotations

import threading
import time

import pytest
import trustme
from servers import (
    Pki,
    Refuses454OnStarttls,
    drips,
    free_port,
    greets_554,
    http_server,
    never_greets,
    raw_server,
    self_signed_context,
    smtp_server,
)

from app.core.deadline import Deadline
from app.core.probe.connection import classify
from app.core.probe.port import ProbeOptions
from app.core.probe.relay import CancelToken, probe_relay, recommend
from app.core.results import (
    CertError,
    CertificateInfo,
    PortResult,
    PortSpec,
    PortStatus,
    Recommendation,
    TlsMode,
    Verdict,
)

HOST = "localhost"
FAST = ProbeOptions(timeout=1.0, deadline=4.0)


def probe_one(spec: PortSpec, options: ProbeOptions = FAST):
    report = probe_relay(HOST, [spec], options)
    return report, report.ports[0]


def test_starttls_with_auth_only_after_tls(pki: Pki) -> None:
    with smtp_server("starttls", pki.server_context()) as server:
        report, r = probe_one(PortSpec(server.port), ProbeOptions(ca_file=pki.ca_file))
    assert r.status is PortStatus.OK
    assert r.tls is TlsMode.STARTTLS
    assert r.starttls_offered
    assert r.auth_before_tls == ()
    assert set(r.auth_after_tls) == {"PLAIN", "LOGIN"}
    assert r.auth_only_after_tls
    assert "STARTTLS" in r.ehlo_before_tls
    assert r.tls_version.startswith("TLSv1.")
    assert r.certificate is not None and r.certificate.verified
    assert r.certificate.error is None
    assert len(r.certificate.sha256) == 95
    assert "DNS:localhost" in r.certificate.san
    assert r.size_limit == 33554432  # aiosmtpd's default SIZE
    assert report.verdict is Verdict.RECOMMENDED
    assert report.recommended is not None
    assert report.recommended.port == server.port
    assert report.recommended.tls is TlsMode.STARTTLS
    assert report.recommended.auth[0] == "PLAIN"


def test_implicit_tls(pki: Pki) -> None:
    with smtp_server("implicit", pki.server_context()) as server:
        report, r = probe_one(
            PortSpec(server.port, implicit=True), ProbeOptions(ca_file=pki.ca_file)
        )
    assert r.status is PortStatus.OK
    assert r.tls is TlsMode.IMPLICIT
    assert not r.implicit_fallback
    assert set(r.auth_after_tls) == {"PLAIN", "LOGIN"}
    assert r.certificate is not None and r.certificate.verified
    assert report.recommended is not None and report.recommended.tls is TlsMode.IMPLICIT


def test_plaintext_only_is_reported_insecure_and_never_recommended() -> None:
    with smtp_server("plain") as server:
        report, r = probe_one(PortSpec(server.port))
    assert r.status is PortStatus.OK
    assert r.tls is TlsMode.NONE
    assert not r.secure
    assert not r.starttls_offered
    assert "PLAIN" in r.auth_before_tls  # the server would take a password in clear ...
    assert report.recommended is None  # ... and we never recommend it
    assert report.verdict is Verdict.NO_SECURE_OPTION


def test_certificate_for_another_name(pki: Pki) -> None:
    with smtp_server("starttls", pki.server_context("mail.example.org")) as server:
        report, r = probe_one(PortSpec(server.port), ProbeOptions(ca_file=pki.ca_file))
    assert r.status is PortStatus.CERTIFICATE
    assert r.certificate is not None
    assert r.certificate.error is CertError.HOSTNAME_MISMATCH
    assert r.certificate.san == ("DNS:mail.example.org",)
    # What lies behind the untrusted certificate is still shown, for the pin decision.
    assert set(r.auth_after_tls) == {"PLAIN", "LOGIN"}
    assert report.recommended is None
    assert report.verdict is Verdict.TLS_PROBLEM


def test_expired_certificate(pki: Pki) -> None:
    with smtp_server("implicit", pki.expired_context()) as server:
        _, r = probe_one(PortSpec(server.port, implicit=True), ProbeOptions(ca_file=pki.ca_file))
    assert r.status is PortStatus.CERTIFICATE
    assert r.certificate is not None
    assert r.certificate.error is CertError.EXPIRED
    assert r.certificate.not_after.startswith("2020-01-01")


def test_self_signed_certificate(tmp_path) -> None:
    with smtp_server("starttls", self_signed_context(tmp_path)) as server:
        report, r = probe_one(PortSpec(server.port))
    assert r.status is PortStatus.CERTIFICATE
    assert r.certificate is not None
    assert r.certificate.error is CertError.SELF_SIGNED
    assert r.certificate.subject == r.certificate.issuer == "CN=localhost"
    assert report.recommended is None


def test_private_ca_verifies_only_when_given(pki: Pki) -> None:
    with smtp_server("implicit", pki.server_context()) as server:
        spec = PortSpec(server.port, implicit=True)
        _, without = probe_one(spec)
        _, with_ca = probe_one(spec, ProbeOptions(ca_file=pki.ca_file))
    assert without.status is PortStatus.CERTIFICATE
    assert without.certificate is not None
    assert without.certificate.error is CertError.UNKNOWN_ISSUER
    assert "issuer" in without.certificate.error_detail
    assert with_ca.status is PortStatus.OK
    assert with_ca.certificate is not None and with_ca.certificate.verified


def test_pinned_certificate_is_accepted_and_travels_in_the_recommendation(tmp_path) -> None:
    with smtp_server("starttls", self_signed_context(tmp_path)) as server:
        _, first = probe_one(PortSpec(server.port))
        assert first.certificate is not None
        pin = first.certificate.sha256
        report, pinned = probe_one(PortSpec(server.port), ProbeOptions(pin_sha256=pin.lower()))
        _, wrong = probe_one(PortSpec(server.port), ProbeOptions(pin_sha256="00" * 32))
    assert pinned.status is PortStatus.OK
    assert pinned.certificate is not None
    assert pinned.certificate.pinned and not pinned.certificate.verified
    assert report.recommended is not None and report.recommended.pinned_sha256 == pin
    assert wrong.status is PortStatus.CERTIFICATE


def test_closed_port_is_refused() -> None:
    report, r = probe_one(PortSpec(free_port()))
    assert r.status is PortStatus.REFUSED
    assert report.verdict is Verdict.NOTHING_REACHABLE


def test_port_that_never_greets_is_silent_after_trying_implicit_tls() -> None:
    with raw_server(never_greets) as port:
        started = time.monotonic()
        report, r = probe_one(PortSpec(port), ProbeOptions(timeout=0.5, deadline=3.0))
        elapsed = time.monotonic() - started
    assert r.status in (PortStatus.SILENT, PortStatus.DEADLINE)
    assert r.status is PortStatus.SILENT, r.detail
    assert "TLS" in r.detail
    assert elapsed < 3.0 + 1.0  # bounded by the deadline (plus the grace to collect results)
    assert report.verdict is Verdict.NOTHING_REACHABLE


def test_dripping_server_is_cut_at_the_deadline() -> None:
    with raw_server(drips) as port:
        started = time.monotonic()
        _, r = probe_one(PortSpec(port), ProbeOptions(timeout=2.0, deadline=2.5))
        elapsed = time.monotonic() - started
    assert r.status is PortStatus.DEADLINE
    assert elapsed < 2.5 + 1.0


def test_http_server_on_a_mail_port_is_someone_else() -> None:
    """A web page on a mail port: a captive portal, say. Not the relay: intercepted."""
    with raw_server(http_server) as port:
        _, r = probe_one(PortSpec(port), ProbeOptions(timeout=0.5, deadline=3.0))
    assert r.status is PortStatus.INTERCEPTED
    assert "HTTP/1.1 400" in r.detail
    assert "web server" in r.detail


def test_starttls_offered_then_refused_with_454(pki: Pki) -> None:
    with smtp_server("starttls", pki.server_context(), smtp_class=Refuses454OnStarttls) as server:
        report, r = probe_one(PortSpec(server.port), ProbeOptions(ca_file=pki.ca_file))
    assert r.status is PortStatus.STARTTLS_FAILED
    assert r.starttls_offered
    assert r.detail.startswith("454")
    assert r.tls is TlsMode.NONE
    assert report.verdict is Verdict.TLS_PROBLEM


def test_greeting_554_is_service_refused() -> None:
    with raw_server(greets_554) as port:
        _, r = probe_one(PortSpec(port))
    assert r.status is PortStatus.SERVICE_REFUSED
    assert r.greeting.startswith("554 5.7.1")


def test_missing_starttls_where_required_is_a_downgrade() -> None:
    with smtp_server("plain") as server:
        report, r = probe_one(PortSpec.parse(f"{server.port}/starttls"))
    assert r.status is PortStatus.STARTTLS_MISSING
    assert report.verdict is Verdict.TLS_PROBLEM


def test_tls_only_port_on_an_unusual_number_is_found(pki: Pki) -> None:
    with smtp_server("implicit", pki.server_context()) as server:
        # Probed as a plain port: it never greets in clear, so implicit TLS is tried.
        report, r = probe_one(
            PortSpec(server.port), ProbeOptions(timeout=0.5, deadline=4.0, ca_file=pki.ca_file)
        )
    assert r.status is PortStatus.OK
    assert r.tls is TlsMode.IMPLICIT
    assert r.implicit_fallback
    assert report.recommended is not None and report.recommended.tls is TlsMode.IMPLICIT


def test_plain_smtp_on_an_implicit_port_is_a_tls_failure() -> None:
    with smtp_server("plain") as server:
        _, r = probe_one(PortSpec(server.port, implicit=True))
    assert r.status is PortStatus.TLS_FAILED
    assert r.tls is TlsMode.NONE


def test_results_stream_fast_ports_before_slow_ones(pki: Pki) -> None:
    arrivals: list[tuple[int, PortStatus]] = []
    with (
        raw_server(never_greets) as silent,
        smtp_server("implicit", pki.server_context()) as good,
    ):
        specs = [PortSpec(silent), PortSpec(good.port, implicit=True), PortSpec(free_port())]
        report = probe_relay(
            HOST,
            specs,
            ProbeOptions(timeout=0.5, deadline=3.0, ca_file=pki.ca_file),
            on_result=lambda r: arrivals.append((r.port, r.status)),
        )
    assert len(arrivals) == 3
    assert arrivals[-1] == (silent, PortStatus.SILENT)  # the slow one comes last ...
    assert [r.port for r in report.ports] == [s.port for s in specs]  # ... the report keeps order
    assert report.recommended is not None and report.recommended.port == good.port


def test_cancel_stops_a_slow_probe_at_once() -> None:
    token = CancelToken()
    with raw_server(never_greets) as port:
        timer = threading.Timer(0.3, token.cancel)
        timer.start()
        started = time.monotonic()
        report = probe_relay(
            HOST, [PortSpec(port)], ProbeOptions(timeout=5, deadline=20), cancel=token
        )
        elapsed = time.monotonic() - started
    assert report.ports[0].status is PortStatus.CANCELLED
    assert report.verdict is Verdict.CANCELLED
    assert elapsed < 5  # far less than the 5 s greeting timeout it would otherwise wait


def test_cancel_token_lives_with_the_deadline() -> None:
    from app.core import deadline
    from app.core.probe import relay

    assert relay.CancelToken is deadline.CancelToken  # the old import keeps working
    token = deadline.CancelToken()
    token.cancel()
    later = deadline.Deadline(60)
    token.bind(later)  # bound after the cancel: cancelled at once
    assert token.cancelled and later.fired == "cancelled"
    with pytest.raises(deadline.DeadlineExceeded):
        later.op_timeout(5)
    later.close()


@pytest.mark.parametrize(
    ("text", "port", "implicit", "require_tls"),
    [
        ("465", 465, True, False),
        ("587", 587, False, False),
        ("2465/implicit", 2465, True, False),
        ("587/starttls", 587, False, True),
    ],
)
def test_port_spec_parse(text: str, port: int, implicit: bool, require_tls: bool) -> None:
    spec = PortSpec.parse(text)
    assert (spec.port, spec.implicit, spec.require_tls) == (port, implicit, require_tls)


@pytest.mark.parametrize("text", ["0", "70000", "abc", "25/carrier-pigeon"])
def test_port_spec_rejects_nonsense(text: str) -> None:
    with pytest.raises(ValueError):
        PortSpec.parse(text)


def hangs_up(sock, stop) -> None:
    sock.close()


def test_server_that_hangs_up_is_closed() -> None:
    with raw_server(hangs_up) as port:
        _, r = probe_one(PortSpec(port))
    assert r.status is PortStatus.CLOSED
    assert "greeting" in r.detail


def _usable(port: int, tls: TlsMode) -> PortResult:
    cert = CertificateInfo("CN=x", "CN=ca", (), "", "", "AA", verified=True)
    return PortResult(port, PortStatus.OK, tls=tls, auth_after_tls=("LOGIN", "PLAIN"),
                      certificate=cert)  # fmt: skip


def test_recommendation_prefers_implicit_then_submission_then_25() -> None:
    implicit = _usable(465, TlsMode.IMPLICIT)
    submission = _usable(587, TlsMode.STARTTLS)
    smtp = _usable(25, TlsMode.STARTTLS)
    plain = PortResult(2525, PortStatus.OK, tls=TlsMode.NONE, auth_before_tls=("PLAIN",))
    assert recommend([smtp, submission, implicit]) == Recommendation(
        465, TlsMode.IMPLICIT, ("PLAIN", "LOGIN")
    )
    assert recommend([smtp, submission, plain]).port == 587  # type: ignore[union-attr]
    assert recommend([smtp, plain]).port == 25  # type: ignore[union-attr]
    assert recommend([plain]) is None


def test_a_read_timeout_at_the_deadline_counts_as_the_deadline() -> None:
    # A read's timeout is capped to end when the deadline does; if it wins that race by a hair,
    # it is still the deadline that cut the server off, not a silent server.
    deadline = Deadline(0.04)
    try:
        failure = classify(TimeoutError("timed out"), "greeting", deadline)
    finally:
        deadline.close()
    assert failure.status is PortStatus.DEADLINE
    roomy = Deadline(30)
    try:
        assert classify(TimeoutError("timed out"), "greeting", roomy).status is PortStatus.SILENT
    finally:
        roomy.close()


def test_unmarked_implicit_tls_port_is_found_by_trying_both_at_once(pki: Pki) -> None:
    """Plain greeting and implicit TLS are tried at once: the TLS answer is taken without
    waiting for the greeting's timeout, which alone is longer than the whole deadline here."""
    with smtp_server("implicit", pki.server_context()) as server:
        report, r = probe_one(
            PortSpec(server.port), ProbeOptions(timeout=5.0, deadline=3.0, ca_file=pki.ca_file)
        )
    assert (r.status, r.tls, r.implicit_fallback) == (PortStatus.OK, TlsMode.IMPLICIT, True)
    assert report.recommended is not None and report.recommended.port == server.port
    # The abandoned plain connection's thread is gone too: nothing left behind.
    assert not [t for t in threading.enumerate() if t.name.startswith("probe-")]


def test_another_ca_beside_the_relays_proven_port_is_intercepted(pki: Pki, tmp_path) -> None:
    """A port showing a certificate from another issuer, beside a port whose certificate
    proves the relay: someone else answers there. Streamed: whatever that port said first, its
    last word is intercepted."""
    other = Pki(trustme.CA(), tmp_path)
    seen: list[PortResult] = []
    with (
        smtp_server("implicit", pki.server_context()) as relay,
        smtp_server("starttls", other.server_context()) as stranger,
    ):
        specs = [PortSpec(relay.port, implicit=True), PortSpec(stranger.port, require_tls=True)]
        report = probe_relay(HOST, specs, ProbeOptions(ca_file=pki.ca_file), on_result=seen.append)
    judged = report.result(stranger.port)
    assert judged.status is PortStatus.INTERCEPTED
    assert judged.detail.startswith("a certificate from")
    assert judged.certificate is not None and judged.certificate.issuer in judged.detail
    assert [r for r in seen if r.port == stranger.port][-1] == judged
    assert report.recommended is not None and report.recommended.port == relay.port
    assert report.network.intercepted == (stranger.port,)


def test_the_relays_own_expired_certificate_is_not_an_interception(pki: Pki) -> None:
    """Same issuer, same name, same greeting: the relay's own problem, named as such."""
    with (
        smtp_server("implicit", pki.server_context()) as relay,
        smtp_server("starttls", pki.expired_context()) as stale,
    ):
        specs = [PortSpec(relay.port, implicit=True), PortSpec(stale.port, require_tls=True)]
        report = probe_relay(HOST, specs, ProbeOptions(ca_file=pki.ca_file))
    r = report.result(stale.port)
    assert r.status is PortStatus.CERTIFICATE
    assert r.certificate is not None and r.certificate.error is CertError.EXPIRED
    assert report.network.intercepted == ()
