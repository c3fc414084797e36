"""`relay-setup check --fix` with the real Postfix, started inside a network namespace of the
test's own: set up through STARTTLS while that network refuses implicit TLS, then move to a
network that drops the STARTTLS port; the fix moves msmtp, and msmtp sends through Postfix."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from checks import assert_held, new_queue_id
from own_network import own_network
from postfix_program import relay_setup
from postfix_relay import missing_requirements, running_relay

from app import exitcodes

FAST = ("--timeout", "1.5", "--deadline", "4")


def test_check_fix_moves_msmtp_to_the_port_this_network_lets_through(
    pki: Any, home: Path, env: dict[str, str]
) -> None:
    problem = missing_requirements()
    if problem:
        pytest.skip(f"real Postfix suite: {problem}")
    if shutil.which("msmtp") is None:
        pytest.skip("msmtp is not installed (tests/setup.sh installs it)")
    with own_network() as net, running_relay(pki.ca) as relay:
        user = relay.users[0]
        address = f"{user.name}@example.org"
        profile = home / "org.toml"
        profile.write_text(
            '[organisation]\nname = "Roaming"\n\n[relay]\nhost = "localhost"\n'
            f'ports = ["{relay.implicit_port}/implicit", "{relay.starttls_port}/starttls"]\n'
            f'ca_file = "{relay.ca_file}"\n\n[identity]\nusername = "%EMAILLOCALPART%"\n\n'
            '[clients]\nconfigure = ["msmtp"]\n'
        )
        net.reject(relay.implicit_port)
        set_up = relay_setup(
            env, "apply", "--profile", str(profile), "--email", address, "--password-stdin",
            "--json", *FAST, stdin=user.password + "\n",
        )  # fmt: skip
        try:
            assert set_up.returncode == exitcodes.OK, set_up.stdout + set_up.stderr
            assert json.loads(set_up.stdout)["setting"]["port"] == relay.starttls_port

            net.open_all()
            net.drop(relay.starttls_port)
            fixed = relay_setup(env, "check", "--fix", "--json", *FAST)
            assert fixed.returncode == exitcodes.OK, fixed.stdout + fixed.stderr
            report = json.loads(fixed.stdout)
            assert report["status"] == "port_blocked"
            assert [(f["client"], f["old_port"], f["new_port"]) for f in report["fixed"]] == [
                ("msmtp", relay.starttls_port, relay.implicit_port)
            ]

            rcpt, subject = "colleague@example.net", "after check --fix"
            before = relay.held_queue_ids()
            sent = subprocess.run(
                ["msmtp", "--read-envelope-from", rcpt],
                input=f"From: {address}\nTo: {rcpt}\nSubject: {subject}\n\nHello.\n",
                capture_output=True,
                text=True,
                env=env,
                timeout=60,
                check=False,
            )
            assert sent.returncode == 0, sent.stderr
            queue_id = new_queue_id(relay, before)
            assert_held(relay, queue_id, user, rcpt, subject, sender=address)
        finally:
            relay_setup(env, "password", "delete", "--host", "localhost", "--user", user.name)
