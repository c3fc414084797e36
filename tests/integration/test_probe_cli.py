"""`relay-setup probe` as a user or a script sees it: the table, the JSON, the exit status."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from servers import Pki, free_port, self_signed_context, smtp_server

from app import exitcodes


def relay_setup(*args: str, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


def test_json_report_has_the_documented_shape(pki: Pki) -> None:
    with (
        smtp_server("implicit", pki.server_context()) as implicit,
        smtp_server("starttls", pki.server_context()) as submission,
    ):
        closed = free_port()
        done = relay_setup(
            "probe", "localhost", "--port", f"{implicit.port}/implicit",
            "--port", str(submission.port), "--port", str(closed),
            "--ca", pki.ca_file, "--json", "--timeout", "2",
        )  # fmt: skip
    assert done.returncode == exitcodes.OK, done.stderr
    report = json.loads(done.stdout)
    assert report["host"] == "localhost"
    assert report["recommended"] == {
        "port": implicit.port,
        "tls": "implicit",
        "auth": ["PLAIN", "LOGIN"],
        "pinned_sha256": None,
    }
    ports = {p["port"]: p for p in report["ports"]}
    assert [p["port"] for p in report["ports"]] == [implicit.port, submission.port, closed]
    for key in ("port", "status", "tls", "starttls_offered", "auth_before_tls", "auth_after_tls",
                "certificate", "elapsed_ms"):  # fmt: skip
        assert all(key in p for p in report["ports"]), key
    sub = ports[submission.port]
    assert sub["status"] == "ok" and sub["tls"] == "starttls" and sub["starttls_offered"]
    assert sub["auth_before_tls"] == [] and sorted(sub["auth_after_tls"]) == ["LOGIN", "PLAIN"]
    cert = sub["certificate"]
    assert cert["verified"] is True and cert["error"] is None
    assert {"subject", "issuer", "not_after", "sha256"} <= cert.keys()
    assert ports[closed]["status"] == "refused" and ports[closed]["certificate"] is None


def test_exit_status_nothing_reachable() -> None:
    done = relay_setup("probe", "localhost", "--port", str(free_port()), "--json")
    assert done.returncode == exitcodes.UNREACHABLE
    assert json.loads(done.stdout)["verdict"] == "nothing_reachable"


def test_exit_status_certificate_problem_names_the_reason(tmp_path) -> None:
    with smtp_server("starttls", self_signed_context(tmp_path)) as server:
        done = relay_setup("probe", "localhost", "--port", str(server.port))
    assert done.returncode == exitcodes.TLS_PROBLEM
    assert "self-signed" in done.stdout
    assert "NOT verified" in done.stdout
    assert "SHA-256:" in done.stdout  # the fingerprint a user would pin


def test_exit_status_no_secure_option_for_plaintext_only() -> None:
    with smtp_server("plain") as server:
        done = relay_setup("probe", "localhost", "--port", str(server.port))
    assert done.returncode == exitcodes.NO_SECURE_OPTION
    assert "WITHOUT encryption" in done.stdout
    assert "offers no encrypted login" in done.stdout


def test_table_shows_auth_only_after_tls_as_the_good_case(pki: Pki) -> None:
    with smtp_server("starttls", pki.server_context()) as server:
        done = relay_setup("probe", "localhost", "--port", str(server.port), "--ca", pki.ca_file)
    assert done.returncode == exitcodes.OK
    assert "login only after encryption: good" in done.stdout
    assert "before TLS: STARTTLS yes, AUTH none" in done.stdout
    assert f"use port {server.port} with STARTTLS" in done.stdout


def test_bad_arguments_get_a_clear_message(tmp_path) -> None:
    bad_port = relay_setup("probe", "localhost", "--port", "99999")
    assert bad_port.returncode == exitcodes.USAGE
    assert "out of range" in bad_port.stderr
    missing_ca = relay_setup("probe", "localhost", "--ca", str(tmp_path / "nope.pem"))
    assert missing_ca.returncode == exitcodes.USAGE
    assert "nope.pem: not found" in missing_ca.stderr
    not_pem = tmp_path / "junk.pem"
    not_pem.write_text("this is not a certificate\n")
    junk_ca = relay_setup("probe", "localhost", "--ca", str(not_pem))
    assert junk_ca.returncode == exitcodes.USAGE
    assert "not a PEM certificate" in junk_ca.stderr


def test_command_line_imports_no_qt() -> None:
    code = (
        "import sys\n"
        "from app.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip().endswith("[]")
    assert "probe" in done.stdout


@pytest.fixture
def namespace_without_dns(tmp_path):
    """A network namespace of our own whose resolver is 127.0.0.1, where nothing answers: a
    name lookup fails there without a packet leaving the namespace's loopback."""
    if os.geteuid() != 0 or not shutil.which("ip"):
        pytest.skip("needs root and `ip` for a network namespace")
    name = f"rs-dns-{os.getpid()}"
    etc = Path("/etc/netns") / name  # `ip netns exec` mounts this over /etc
    etc.mkdir(parents=True)
    (etc / "resolv.conf").write_text("nameserver 127.0.0.1\noptions timeout:1 attempts:1\n")
    subprocess.run(["ip", "netns", "add", name], check=True)
    try:
        subprocess.run(["ip", "netns", "exec", name, "ip", "link", "set", "lo", "up"], check=True)
        yield name
    finally:
        subprocess.run(["ip", "netns", "delete", name], check=False)
        shutil.rmtree(etc, ignore_errors=True)


def test_name_that_does_not_resolve(namespace_without_dns: str) -> None:
    done = subprocess.run(
        [
            "ip",
            "netns",
            "exec",
            namespace_without_dns,
            sys.executable,
            "-m",
            "app",
            "probe",
            "relay.example.invalid",
            "--port",
            "587",
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=30,
        cwd=Path(__file__).parents[2],
    )
    assert done.returncode == exitcodes.UNREACHABLE, done.stderr
    assert json.loads(done.stdout)["ports"][0]["status"] == "dns_failed"
