"""Broken and hostile SMTP servers (a trusted certificate, replies chosen to hurt): every outcome
of the probe and the login is a documented class and status, within the deadline, with no
traceback and no form of the password in anything we show."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from leakscan import forms_of
from servers import (
    Action,
    HangUp,
    Pki,
    Say,
    free_port,
    never_greets,
    raw_server,
    scripted_smtp,
    self_signed_context,
)
from unchecked import unchecked_relay

from app import exitcodes
from app.core.probe.port import ProbeOptions
from app.core.probe.relay import probe_relay
from app.core.results import PortSpec, PortStatus, TlsMode
from app.core.settings import Password, RelaySetting
from app.core.submit import SubmitError, SubmitErrorKind, check_login

HOST = "localhost"
USER = "alice"
PASSWORD = "S3cr3t-PW"
TIMEOUT, DEADLINE = 1.0, 4.0
# The steps of a STARTTLS session: 0 greeting, 1 EHLO, 2 STARTTLS, 3 EHLO, 4 AUTH, 5 AUTH's
# next line; of an implicit TLS one: 0 greeting, 1 EHLO, 2 AUTH, 3 AUTH's next line.
EHLO, AUTH = 1, 4
LOGIN_CHALLENGE = Say(b"334 UGFzc3dvcmQ6\r\n")


def setting(port: int, pki: Pki, tls: TlsMode = TlsMode.STARTTLS, **kw: Any) -> RelaySetting:
    return RelaySetting(HOST, port, tls, USER, ca_file=pki.ca_file, **kw)


def login_error(setting: RelaySetting, password: str = PASSWORD, **kw: Any) -> SubmitError:
    with pytest.raises(SubmitError) as caught:
        check_login(setting, Password(password), timeout=TIMEOUT, deadline=DEADLINE, **kw)
    return caught.value


# -- each finding, reproduced ------------------------------------------------------------------

FINDINGS: list[tuple[str, dict[int, Action], PortStatus, SubmitErrorKind]] = [
    (
        "SIZE with Unicode digits",  # isdigit() is true for "²³" (latin-1 b2 b3), int() fails
        {EHLO: Say(b"250-relay.test\r\n250-SIZE \xb2\xb3\r\n250 STARTTLS\r\n")},
        PortStatus.OK,
        SubmitErrorKind.AUTH_FAILED,  # the login goes on; our server then refuses AUTH below
    ),
    (
        "EHLO refused",
        {EHLO: Say(b"502 5.5.2 Error: command not recognized\r\n")},
        PortStatus.PROTOCOL_ERROR,
        SubmitErrorKind.PROTOCOL_ERROR,
    ),
    (
        "EHLO garbled",
        {EHLO: Say(b"2x0 relay.test\r\n")},
        PortStatus.PROTOCOL_ERROR,
        SubmitErrorKind.PROTOCOL_ERROR,
    ),
    (
        "a reply over smtplib's 8 KB line limit",
        {EHLO: Say(b"250 " + b"x" * 9000 + b"\r\n")},
        PortStatus.PROTOCOL_ERROR,
        SubmitErrorKind.PROTOCOL_ERROR,
    ),
    (
        "an AUTH challenge that is not base64",
        {AUTH: Say(b"334 !!!notbase64\r\n")},
        PortStatus.OK,
        SubmitErrorKind.PROTOCOL_ERROR,
    ),
]


@pytest.mark.parametrize(
    ("script", "port_status", "kind"),
    [pytest.param(script, status, kind, id=name) for name, script, status, kind in FINDINGS],
)
def test_a_broken_server_gets_its_class_at_once(
    pki: Pki, script: dict[int, Action], port_status: PortStatus, kind: SubmitErrorKind
) -> None:
    if kind is SubmitErrorKind.AUTH_FAILED:
        script = {**script, AUTH: Say(b"535 5.7.8 Error: authentication failed\r\n")}
    with scripted_smtp(pki.server_context(), script) as (port, server):
        started = time.monotonic()
        report = probe_relay(HOST, [PortSpec(port)], ProbeOptions(TIMEOUT, DEADLINE, pki.ca_file))
        assert report.ports[0].status is port_status, report.ports[0].detail
        assert time.monotonic() - started < 1.0  # classified at once, not at the deadline
        error = login_error(setting(port, pki))
        assert error.kind is kind, error.message
        assert exitcodes.FOR_SUBMIT_ERROR[error.kind] != exitcodes.ERROR
        assert server.auth_in_clear() == []


def test_starttls_gone_on_the_second_look_at_an_untrusted_certificate(
    pki: Pki, tmp_path: Path
) -> None:
    """The probe connects again to show a certificate that does not verify; a server that then
    no longer offers STARTTLS is a STARTTLS failure, not an internal error."""
    no_starttls = {EHLO: Say(b"250-relay.test\r\n250 AUTH PLAIN\r\n")}
    context = self_signed_context(tmp_path)
    with scripted_smtp(context, {}, later=no_starttls) as (port, server):
        # Marked STARTTLS: an unmarked port is also tried with implicit TLS at once, on a
        # connection this script would count as its second.
        spec = PortSpec(port, require_tls=True)
        report = probe_relay(HOST, [spec], ProbeOptions(TIMEOUT, DEADLINE))
    assert server.connections == 2
    assert report.ports[0].status is PortStatus.STARTTLS_FAILED, report.ports[0].detail


@pytest.mark.parametrize("first", [b"", b"220 rel", b"220-relay.test\r\n", b"2"])
def test_implicit_tls_closed_early_with_close_notify(pki: Pki, first: bytes) -> None:
    """Part of a greeting, then the server ends the TLS session: a class, never a ValueError
    from the certificate of a half-closed connection."""
    with scripted_smtp(pki.server_context(), {0: HangUp(first)}, implicit=True) as (port, _):
        report = probe_relay(
            HOST, [PortSpec(port, implicit=True)], ProbeOptions(TIMEOUT, DEADLINE, pki.ca_file)
        )
        assert report.ports[0].status in (PortStatus.CLOSED, PortStatus.SERVICE_REFUSED)
        error = login_error(setting(port, pki, TlsMode.IMPLICIT))
        assert error.kind in (SubmitErrorKind.UNREACHABLE, SubmitErrorKind.SERVICE_REFUSED)


@pytest.mark.parametrize("host", ["a" * 300, "exa mple..org"])
def test_a_name_the_resolver_cannot_take_is_dns_failed_at_once(host: str) -> None:
    started = time.monotonic()
    report = probe_relay(host, options=ProbeOptions(TIMEOUT, DEADLINE))
    assert time.monotonic() - started < 1.0  # not the whole deadline
    assert {r.status for r in report.ports} == {PortStatus.DNS_FAILED}
    assert all("not a valid host name" in r.detail for r in report.ports)
    # RelaySetting refuses such a host itself; the login must hold without that gate too.
    error = login_error(unchecked_relay(host=host, port=465, tls=TlsMode.IMPLICIT, user=USER))
    assert exitcodes.FOR_SUBMIT_ERROR[error.kind] == exitcodes.UNREACHABLE


def test_any_exception_in_a_port_worker_is_that_ports_result_at_once() -> None:
    # A port number no socket takes (the CLI refuses it; the core must not hang on it).
    started = time.monotonic()
    ports = [PortSpec(2**70), PortSpec(free_port())]
    report = probe_relay(HOST, ports, ProbeOptions(1, DEADLINE))
    assert time.monotonic() - started < 1.0
    assert report.ports[0].status is PortStatus.ERROR
    assert report.ports[0].detail.startswith("OverflowError")
    assert report.ports[1].status is PortStatus.REFUSED  # the other port is unaffected


# -- the password echoed back ------------------------------------------------------------------

ECHOES = {
    "the AUTH line": b"{line}",
    "decoded": b"{decoded}",
    "URL-safe base64": b"{url}",
    "base64 at another alignment": b"{shifted}",
}


@pytest.mark.parametrize("echo", ECHOES.values(), ids=ECHOES.keys())
@pytest.mark.parametrize("mechanism", ["PLAIN", "LOGIN", "CRAM-MD5"])
@pytest.mark.parametrize("password", [PASSWORD, "Müller-2024 ☃"])
def test_an_echoed_password_is_masked_in_every_encoding(
    pki: Pki, echo: bytes, mechanism: str, password: str
) -> None:
    refusal = Say(b"535 5.7.8 Error: authentication failed: " + echo + b"\r\n")
    extra = "CRAM-MD5" if mechanism == "CRAM-MD5" else "PLAIN LOGIN"
    script: dict[int, Action] = {
        3: Say(b"250-relay.test\r\n250 AUTH " + extra.encode() + b"\r\n"),
        AUTH: refusal,
    }
    if mechanism == "LOGIN":
        script |= {AUTH: LOGIN_CHALLENGE, AUTH + 1: refusal}
    if mechanism == "CRAM-MD5":
        script |= {AUTH: Say(b"334 PDEyMzQ1QHJlbGF5LnRlc3Q+\r\n"), AUTH + 1: refusal}
    with scripted_smtp(pki.server_context(), script) as (port, _):
        error = login_error(setting(port, pki, auth=mechanism), password)
    assert error.kind is SubmitErrorKind.AUTH_FAILED
    assert "authentication failed" in error.text  # the echo arrived ...
    shown = " ".join([error.message, repr(error), json.dumps(error.to_json(), ensure_ascii=False)])
    for form in forms_of(USER, password):
        assert form not in shown  # ... without the password in any form we sent
    assert "****" in error.text


@pytest.mark.parametrize("password", ["PLAIN", "SIZE 10240000"])
def test_masking_does_not_touch_what_the_server_says_before_auth(pki: Pki, password: str) -> None:
    """A password that happens to be in the EHLO reply still leaves the capabilities whole."""
    with scripted_smtp(pki.server_context(), {}) as (port, _):
        login = check_login(
            setting(port, pki), Password(password), timeout=TIMEOUT, deadline=DEADLINE
        )
    assert login.mechanism == "PLAIN" and login.offered == ("PLAIN", "LOGIN")


# -- 465 means implicit TLS; another port without --tls is tried as probe does ----------------


def test_login_without_tls_option_on_an_implicit_port_falls_back_like_probe(pki: Pki) -> None:
    with scripted_smtp(pki.server_context(), {}, implicit=True) as (port, server):
        login = check_login(
            setting(port, pki),
            Password(PASSWORD),
            timeout=TIMEOUT,
            deadline=DEADLINE,
            implicit_fallback=True,
        )
        assert login.tls is TlsMode.IMPLICIT and login.implicit_fallback
        assert server.auth_in_clear() == [] and all(tls for _, tls in server.lines)
        # Without the fallback (--tls starttls given) it stays what was asked for: unreachable.
        error = login_error(setting(port, pki))
        assert error.kind is SubmitErrorKind.UNREACHABLE


def test_fallback_on_a_port_that_never_speaks_stays_unreachable(pki: Pki) -> None:
    with raw_server(never_greets) as port:
        error = login_error(setting(port, pki), implicit_fallback=True)
    assert error.kind is SubmitErrorKind.UNREACHABLE
    assert "did not speak TLS either" in error.detail


# -- through the command line: one JSON object, a documented status, no traceback -------------


def run_cli(*args: str, stdin: str = PASSWORD + "\n") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )


def login_args(port: int, pki: Pki, *extra: str) -> list[str]:
    return [
        "login",
        "--host",
        HOST,
        "--port",
        str(port),
        "--user",
        USER,
        "--ca",
        pki.ca_file,
        "--password-stdin",
        "--json",
        "--timeout",
        str(TIMEOUT),
        "--deadline",
        str(DEADLINE),
        *extra,
    ]


CLI_CASES = [
    ("not SMTP", {0: Say(b"HTTP/1.1 400 Bad Request\r\n")}, exitcodes.UNREACHABLE),
    ("EHLO garbled", {EHLO: Say(b"2x0 relay.test\r\n")}, exitcodes.NO_SECURE_OPTION),
    ("bad challenge", {AUTH: Say(b"334 !!!notbase64\r\n")}, exitcodes.NO_SECURE_OPTION),
    ("echo", {AUTH: Say(b"535 5.7.8 no: {line} {decoded}\r\n")}, exitcodes.AUTH_FAILED),
]


@pytest.mark.parametrize(
    ("script", "status"), [pytest.param(s, c, id=name) for name, s, c in CLI_CASES]
)
def test_login_json_on_a_broken_server(pki: Pki, script: dict[int, Action], status: int) -> None:
    with scripted_smtp(pki.server_context(), script) as (port, _):
        done = run_cli(*login_args(port, pki, "--tls", "starttls"))
    assert done.returncode == status, done.stderr
    assert "Traceback" not in done.stderr
    answer = json.loads(done.stdout)  # one object, nothing else on stdout
    assert answer["ok"] is False
    assert answer["error"]["code"] != -1  # smtplib's "no code": never shown as the server's
    for form in forms_of(USER, PASSWORD):
        assert form not in done.stdout + done.stderr


def test_login_port_without_tls_option_on_implicit_tls(pki: Pki) -> None:
    with scripted_smtp(pki.server_context(), {}, implicit=True) as (port, _):
        done = run_cli(*login_args(port, pki))
        assert done.returncode == exitcodes.OK, done.stderr
        answer = json.loads(done.stdout)
        assert answer["login"]["tls"] == "implicit" and answer["login"]["implicit_fallback"]
        plain = run_cli(*[a for a in login_args(port, pki) if a != "--json"])
    assert plain.returncode == exitcodes.OK, plain.stderr
    assert "use --tls implicit" in plain.stdout


def test_probe_json_names_protocol_error_with_its_status(pki: Pki) -> None:
    with scripted_smtp(pki.server_context(), {EHLO: Say(b"2x0 relay.test\r\n")}) as (port, _):
        done = run_cli(
            *("probe", HOST, "--port", str(port), "--ca", pki.ca_file, "--json"),
            *("--timeout", str(TIMEOUT), "--deadline", str(DEADLINE)),
        )
    assert done.returncode == exitcodes.NO_SECURE_OPTION, done.stderr
    report = json.loads(done.stdout)
    assert report["verdict"] == "no_secure_option"
    assert report["ports"][0]["status"] == "protocol_error"
