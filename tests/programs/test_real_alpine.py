"""The real Alpine (under tmux) sending through a local TLS relay with the settings we wrote."""

from __future__ import annotations

import email
import email.policy
import os
import shutil
import time
from pathlib import Path

import pytest
from clientfiles import PINERC

from app.core.appdirs import install_ca
from app.core.clients import alpine, pinerc
from app.core.clients.base import ClientSettings
from app.core.clients.safewrite import apply
from app.core.demo_relay import DemoRelay
from app.core.results import TlsMode
from app.core.settings import RelaySetting
from programs.tmux import Tmux


def own_folders(home: Path, inbox: Path) -> str:
    """Settings that keep Alpine's folders in the test's HOME: Alpine takes their home from the
    password file (/root), not $HOME, so without them its sent copies land in the real ~/mail."""
    return f"inbox-path={inbox}\nuser-domain=example.org\nfolder-collections=Mail {home}/mail/[]\n"


def send_one(tmux: Tmux, password: str, subject: str, timeout: float = 45.0) -> None:
    """Compose (Alpine was started with a recipient), send, answer its questions; returns when
    Alpine has exited."""
    tmux.wait_for("COMPOSE MESSAGE")
    tmux.keys("Down", "Down", "Down")
    tmux.keys(subject, literal=True)
    tmux.keys("Down")
    tmux.keys("Sent by Alpine with the settings Relay Setup wrote.", literal=True)
    tmux.keys("C-x")
    answers = {
        "Send message?": ["y"],
        "Create?": ["y"],  # the sent-mail folder
        "ENTER PASSWORD": [password, "Enter"],
        "Preserve password": ["n"],
    }
    end = time.monotonic() + timeout
    while tmux.alive():
        screen = tmux.screen()
        if "validating" in screen or "Continue anyway" in screen:
            raise AssertionError(f"Alpine did not trust the relay's certificate:\n{screen}")
        for prompt, keys in answers.items():
            if prompt in screen:
                tmux.keys(keys[0], literal=prompt == "ENTER PASSWORD")
                for key in keys[1:]:
                    tmux.keys(key)
                # Wait for the question to go, so it is answered only once.
                while tmux.alive() and prompt in tmux.screen() and time.monotonic() < end:
                    time.sleep(0.1)
                break
        if time.monotonic() > end:
            raise AssertionError(f"Alpine did not finish sending; the screen was:\n{screen}")
        time.sleep(0.1)


@pytest.mark.clients
@pytest.mark.skipif(shutil.which("alpine") is None, reason="alpine is not installed")
@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
@pytest.mark.parametrize("tls", [TlsMode.STARTTLS, TlsMode.IMPLICIT])
def test_real_alpine_sends_through_the_relay_with_what_we_wrote(
    tmp_path: Path, tls: TlsMode
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    inbox = home / "inbox"
    inbox.touch()
    (home / ".pinerc").write_text(PINERC + own_folders(home, inbox))
    # The relay refuses a sender other than the login, as Postfix's
    # reject_sender_login_mismatch does: Alpine's own default From would be root@example.org.
    with DemoRelay(users={"demo@example.org": "s3cret"}, enforce_sender_login=True) as relay:
        port = relay.starttls_port if tls is TlsMode.STARTTLS else relay.implicit_port
        setting = RelaySetting("localhost", port, tls, "demo@example.org")
        ca = install_ca(Path(relay.ca_file), data=tmp_path / "data")
        plan = alpine.plan(ClientSettings.for_relay(setting, ca), home=home)
        apply(plan, data=tmp_path / "data")
        env = {
            "HOME": str(home),
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "LANG": "C.UTF-8",
        }
        tmux = Tmux(tmp_path / "tmux.sock", env)
        try:
            tmux.start("alpine", "-p", str(home / ".pinerc"), "someone@example.org")
            tmux.wait_for("COMPOSE MESSAGE")
            assert alpine.detect(home=home).running  # Alpine runs: a write would only warn
            assert any(
                "Alpine is running" in str(n)
                for n in alpine.plan(ClientSettings.for_relay(setting, ca), home=home).notes
            )
            send_one(tmux, "s3cret", f"Relay Setup test {tls.value}")
        finally:
            tmux.close()
        (message,) = relay.received
    assert message.login == "demo@example.org" and message.tls
    assert message.mail_from == "demo@example.org"
    sent = email.message_from_bytes(message.content, policy=email.policy.default)
    assert sent["From"].addresses[0].addr_spec == "demo@example.org"
    assert sent["From"].addresses[0].display_name == "Jo Bloggs"  # pinerc's personal-name
    assert message.rcpt_tos == ("someone@example.org",)
    assert f"Relay Setup test {tls.value}".encode() in message.content
    # Its sent copy is in the test's own folders, never the real ~/mail.
    assert f"Relay Setup test {tls.value}" in (home / "mail" / "sent-mail").read_text()
    # Alpine kept our setting first, the user's other relays after it, and their comments.
    after = (home / ".pinerc").read_text()
    assert pinerc.current(pinerc.parse(after), "smtp-server") == (
        alpine.smtp_entry(setting),
        "mail.example.org/novalidate-cert",
        "backup.example.net:25/tls",
    )
    assert "# end of file\n" in after and "# Your full name\n" in after
    # ...and our From: after Alpine rewrote its pinerc, there is nothing left to change.
    assert pinerc.current(pinerc.parse(after), "customized-hdrs") == (
        "From: Jo Bloggs <demo@example.org>",
    )
    assert not alpine.plan(ClientSettings.for_relay(setting, ca), home=home).changed


@pytest.mark.clients
@pytest.mark.skipif(shutil.which("alpine") is None, reason="alpine is not installed")
@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
@pytest.mark.parametrize("user", ["example/demo:x", "a=b c"])  # the demo relay lowercases logins
def test_real_alpine_logs_in_as_a_user_that_needs_quoting(tmp_path: Path, user: str) -> None:
    """`/`, `:`, `=` and a blank would end an unquoted /user= (c-client reads switches there):
    quoted, the real Alpine logs in with the whole name."""
    home = tmp_path / "home"
    home.mkdir()
    inbox = home / "inbox"
    inbox.touch()
    (home / ".pinerc").write_text(own_folders(home, inbox))
    with DemoRelay(users={user: "s3cret"}, enforce_sender_login=False) as relay:
        setting = RelaySetting(
            "localhost", relay.starttls_port, TlsMode.STARTTLS, user, "demo@example.org"
        )
        ca = install_ca(Path(relay.ca_file), data=tmp_path / "data")
        apply(alpine.plan(ClientSettings.for_relay(setting, ca), home=home), data=tmp_path / "data")
        written = pinerc.current(pinerc.parse((home / ".pinerc").read_text()), "smtp-server")
        assert written == (f'localhost:{relay.starttls_port}/tls/user="{user}"',)
        env = {"HOME": str(home), "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
        tmux = Tmux(tmp_path / "tmux.sock", env | {"LANG": "C.UTF-8"})
        try:
            tmux.start("alpine", "-p", str(home / ".pinerc"), "someone@example.org")
            send_one(tmux, "s3cret", "Relay Setup quoted user")
        finally:
            tmux.close()
        (message,) = relay.received
    assert message.login == user and message.tls
