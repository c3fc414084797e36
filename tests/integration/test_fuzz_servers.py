"""Property test: a real TLS SMTP server on 127.0.0.1 whose replies hypothesis makes up (codes,
continuation lines, Unicode, overlong lines, base64 garbage, echoes of what we sent, early
close, TLS close_notify). Whatever it says, the probe and the login end within their deadline
with a documented class (never the internal-error status), one JSON object from the command
line, no form of the password in anything shown, and no AUTH unless TLS is up and verified."""

from __future__ import annotations

import json
import ssl
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import trustme
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from leakscan import forms_of
from servers import Action, HangUp, Pki, Say, scripted_smtp

from app import exitcodes
from app.core.deadline import Deadline
from app.core.probe.port import ProbeOptions, probe_port
from app.core.results import PortSpec, PortStatus, TlsMode
from app.core.settings import Password, RelaySetting
from app.core.submit import SubmitError, SubmitErrorKind, check_login, send_test_message

HOST = "localhost"
USER = "alice"
PASSWORD = "S3cr3t-PW-Ünï"
TIMEOUT, DEADLINE = 0.4, 1.5
SLACK = 0.6  # thread start, TLS set-up and QUIT after the deadline's timer fired
DOCUMENTED = {2, 3, 4, 5, 6, 7, 8, 9, 130}  # the README's failure statuses, less 1 (a bug)

CODES = [220, 221, 235, 250, 334, 354, 421, 451, 454, 500, 501, 502, 503, 530, 535, 550, 554]
ECHOES = [b"{line}", b"{decoded}", b"{url}", b"{shifted}"]

texts = st.one_of(
    st.text(max_size=30).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.binary(max_size=30),
    st.sampled_from([b"SIZE \xb2\xb3", "SIZE ²³".encode(), b"AUTH PLAIN LOGIN", b"STARTTLS"]),
    st.sampled_from(ECHOES),
)


def _line(code: int, sep: bytes, text: bytes) -> bytes:
    return str(code).encode() + sep + text.replace(b"\r", b"").replace(b"\n", b"") + b"\r\n"


replies = st.one_of(
    # well-formed codes, maybe several lines, maybe with continuation marks that lie
    st.lists(st.tuples(st.sampled_from(CODES), texts), min_size=1, max_size=4).map(
        lambda lines: b"".join(
            _line(code, b"-" if i < len(lines) - 1 else b" ", text)
            for i, (code, text) in enumerate(lines)
        )
    ),
    st.binary(max_size=60).map(lambda b: b + b"\r\n"),  # garbage
    st.just(b"250 " + b"x" * 9000 + b"\r\n"),  # over smtplib's 8 KB line limit
    st.binary(min_size=1, max_size=20).map(lambda b: b"334 " + b.hex().encode()[:-1] + b"\r\n"),
    st.sampled_from(ECHOES).map(lambda echo: b"535 5.7.8 no: " + echo + b"\r\n"),
)
actions: st.SearchStrategy[Action] = st.one_of(
    replies.map(Say),
    st.binary(max_size=12).map(HangUp),  # part of a reply, then close (close_notify on TLS)
)
# Steps: 0 greeting, EHLO, STARTTLS, EHLO, AUTH, (AUTH's next line,) MAIL, RCPT, DATA, the message.
scripts = st.dictionaries(st.integers(0, 9), actions, max_size=3)


@pytest.fixture(scope="module")
def contexts(pki: Pki, tmp_path_factory: pytest.TempPathFactory) -> dict[bool, ssl.SSLContext]:
    """The server's TLS: a certificate the client trusts (the session CA), or one it does not."""
    stranger = Pki(trustme.CA(), tmp_path_factory.mktemp("stranger"))
    return {True: pki.server_context(), False: stranger.server_context()}


def shown_secret(text: str) -> list[str]:
    return [form for form in forms_of(USER, PASSWORD) if form in text]


def check_server_saw_no_auth_before_trusted_tls(lines: list[tuple[bytes, bool]], trusted: bool):
    auth = [(line, tls) for line, tls in lines if line.upper().startswith(b"AUTH")]
    assert all(tls for _, tls in auth), auth
    if not trusted:
        assert auth == []


# The findings of the first fuzzing run (issue 10), always among the examples.
EHLO_WITH = b"250-relay.test\r\n250-SIZE \xb2\xb3\r\n250 STARTTLS\r\n"  # isdigit(), not int()
FINDINGS: list[dict[int, Action]] = [
    {1: Say(EHLO_WITH)},
    {1: Say(b"2x0 relay.test\r\n")},
    {1: Say(b"502 5.5.2 Error: command not recognized\r\n")},
    {1: Say(b"250 " + b"x" * 9000 + b"\r\n")},
    {4: Say(b"334 !!!notbase64\r\n")},
    {4: Say(b"535 5.7.8 no: {line}\r\n")},
    {4: Say(b"235 2.7.0 welcome {decoded} {shifted}\r\n")},  # echoed in success
    {0: HangUp(b"220 rel")},
]


def with_findings(test: Callable[..., None]) -> Callable[..., None]:
    for script in FINDINGS:
        test = example(script=script, later=None, implicit=False, trusted=True, send=False)(test)
    found = {"script": {0: HangUp(b"220 rel")}, "later": None}
    return example(**found, implicit=True, trusted=True, send=False)(test)


@settings(
    max_examples=100,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    script=scripts,
    later=st.none() | scripts,  # what it says from the second connection on
    implicit=st.booleans(),
    trusted=st.booleans(),
    send=st.booleans(),
)
@with_findings
def test_probe_and_login_against_made_up_replies(
    pki: Pki,
    contexts: dict[bool, ssl.SSLContext],
    script: dict[int, Action],
    later: dict[int, Action] | None,
    implicit: bool,
    trusted: bool,
    send: bool,
) -> None:
    tls = TlsMode.IMPLICIT if implicit else TlsMode.STARTTLS
    with scripted_smtp(contexts[trusted], script, implicit=implicit, later=later) as (port, server):
        started = time.monotonic()
        deadline = Deadline(DEADLINE)
        result = probe_port(
            PortSpec(port, implicit=implicit),
            HOST,
            ProbeOptions(TIMEOUT, DEADLINE, pki.ca_file),
            deadline,
        )
        deadline.close()
        assert time.monotonic() - started < DEADLINE + SLACK
        assert result.status is not PortStatus.ERROR, result.detail  # every case has a class
        json.dumps(result.to_json())

        setting = RelaySetting(HOST, port, tls, USER, "alice@relay.test", ca_file=pki.ca_file)
        started = time.monotonic()
        limits = {"timeout": TIMEOUT, "deadline": DEADLINE}
        try:
            if send:
                sent = send_test_message(setting, Password(PASSWORD), **limits)
                shown = json.dumps(sent.to_json(), ensure_ascii=False)
            else:
                login = check_login(setting, Password(PASSWORD), **limits)
                shown = json.dumps(login.to_json(), ensure_ascii=False)
        except SubmitError as error:
            assert error.kind is not SubmitErrorKind.ERROR, error.message
            assert error.code != -1, error.message  # smtplib's "no code" is not the server's
            shown = " ".join([error.message, json.dumps(error.to_json(), ensure_ascii=False)])
        assert time.monotonic() - started < DEADLINE + SLACK
        assert shown_secret(shown) == []
        check_server_saw_no_auth_before_trusted_tls(server.lines, trusted)


@settings(
    max_examples=3,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(script=scripts, implicit=st.booleans())
def test_the_command_line_against_made_up_replies(
    pki: Pki, contexts: dict[bool, ssl.SSLContext], script: dict[int, Action], implicit: bool
) -> None:
    with scripted_smtp(contexts[True], script, implicit=implicit) as (port, server):
        done = subprocess.run(
            [
                *(sys.executable, "-m", "app", "login", "--host", HOST, "--port", str(port)),
                *("--tls", "implicit" if implicit else "starttls", "--user", USER),
                *("--ca", pki.ca_file, "--password-stdin", "--json"),
                *("--timeout", str(TIMEOUT), "--deadline", str(DEADLINE)),
            ],
            input=PASSWORD + "\n",
            capture_output=True,
            text=True,
            timeout=30,
            cwd=Path(__file__).parents[2],
        )
        check_server_saw_no_auth_before_trusted_tls(server.lines, True)
    assert done.returncode in DOCUMENTED | {exitcodes.OK}, done.stderr
    assert "Traceback" not in done.stderr
    answer = json.loads(done.stdout)  # exactly one object
    assert isinstance(answer, dict) and answer["ok"] is (done.returncode == exitcodes.OK)
    assert shown_secret(done.stdout + done.stderr) == []
