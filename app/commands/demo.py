"""`relay-setup demo`: start the embedded relay on 127.0.0.1 and run the whole flow against it:
probe, password into the keyring, login check, test message, and the relay's proof of receipt."""

from __future__ import annotations

import argparse
import contextlib
import email
import email.policy
import secrets
import sys
from typing import Any, TextIO

from .. import exitcodes
from ..core.demo_relay import DEMO_HOST, DEMO_USER, DemoRelay, ReceivedMessage
from ..core.probe.port import ProbeOptions
from ..core.probe.relay import probe_relay
from ..core.results import PortSpec
from ..core.secrets import KeyringUnavailable, MemoryStore, SecretStore, open_store
from ..core.settings import Password
from ..core.setup import steps
from ..core.setup.setting import probed_setting
from .credentials import describe_setting, print_login, print_sent
from .output import print_json
from .probe import print_details, print_row


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "demo",
        description="Start a local relay that behaves like an organisation's Postfix "
        "(STARTTLS and implicit TLS, AUTH only after TLS, a throwaway private CA) and run "
        "Relay Setup against it: probe, password into the keyring, login check, test message.",
    )
    p.add_argument("--json", action="store_true", help="print one JSON object with every step")
    p.add_argument(
        "--gui", action="store_true", help="open the desktop wizard on the demo relay instead"
    )
    p.set_defaults(func=run)


def _store(say: Any, password: Password) -> SecretStore:
    """The OS keyring holding the demo password, or (said plainly) a store in memory."""
    try:
        store = open_store()
        store.set(DEMO_HOST, DEMO_USER, password)
    except KeyringUnavailable as exc:
        say(f"No OS keyring here: {exc}.")
        say("For this demo only, the password is kept in memory and forgotten at exit.")
        memory = MemoryStore()
        memory.set(DEMO_HOST, DEMO_USER, password)
        return memory
    say(f"The demo password went into {store.backend_name}, never into a file.")
    return store


def run(args: argparse.Namespace) -> int:
    out = sys.stdout
    quiet = args.json

    def say(text: str) -> None:
        if not quiet:
            print(text, file=out)

    demo_password = Password(f"demo-{secrets.token_urlsafe(9)}")
    with DemoRelay(users={DEMO_USER: demo_password.reveal()}) as relay:
        say(
            f"Demo relay on {DEMO_HOST}: implicit TLS on port {relay.implicit_port}, "
            f"STARTTLS on port {relay.starttls_port}, private CA {relay.ca_file}"
        )
        store = _store(say, demo_password)
        try:
            if args.gui:
                return _open_gui(relay, store)
            return _flow(relay, store, out, say, as_json=args.json)
        finally:
            with contextlib.suppress(KeyringUnavailable):
                store.delete(DEMO_HOST, DEMO_USER)  # a demo leaves nothing behind


def _open_gui(relay: DemoRelay, store: SecretStore) -> int:
    # The store goes along: when it fell back to memory, only it holds the demo password.
    try:
        from .wizard import open_demo_wizard
    except ImportError as exc:
        print(f"The desktop wizard is not available yet ({exc}).", file=sys.stderr)
        return exitcodes.ERROR
    return open_demo_wizard(relay, store=store)


def _flow(relay: DemoRelay, store: SecretStore, out: TextIO, say: Any, *, as_json: bool) -> int:
    result: dict[str, Any] = {
        "keyring": {"backend": store.backend_name, "os_store": store.is_os_store}
    }
    say(f"\nStep 1 - probe {DEMO_HOST}")
    report = probe_relay(
        DEMO_HOST,
        (PortSpec(relay.implicit_port, implicit=True), PortSpec(relay.starttls_port)),
        ProbeOptions(timeout=3.0, deadline=10.0, ca_file=relay.ca_file),
        on_result=None if as_json else (lambda r: print_row(r, out)),
    )
    result["probe"] = report.to_json()
    if not as_json:
        print_details(report, out, verbose=False)
    try:
        chosen, _ = steps.judge_probe(report)
    except steps.StepFailed:
        return _finish(result, out, as_json, exitcodes.FOR_VERDICT[report.verdict])
    setting = probed_setting(DEMO_HOST, chosen, DEMO_USER, ca_file=relay.ca_file)

    say(f"\nStep 2 - check the login: {describe_setting(setting)}")
    say(f"  with the password read back from {store.backend_name}")
    stored = store.get(DEMO_HOST, DEMO_USER)
    if stored is None:
        say("The keyring did not give the password back.")
        return _finish(result, out, as_json, exitcodes.KEYRING)
    try:
        login, _ = steps.login(setting, stored, timeout=3.0, deadline=10.0)
        result["login"] = login.to_json()
        if not as_json:
            print_login(login, out)
        say(f"\nStep 3 - send a test message to {DEMO_USER}")
        sent, _ = steps.send_test(setting, stored, timeout=3.0, deadline=10.0)
    except steps.StepFailed as stop:
        assert stop.cause is not None  # the relay's refusal
        result["error"] = stop.cause.to_json()
        say(f"Failed: {stop.cause}")
        return _finish(result, out, as_json, exitcodes.FOR_SUBMIT_ERROR[stop.cause.kind])
    result["sent"] = sent.to_json()
    if not as_json:
        print_sent(sent, out)

    say("\nStep 4 - what the demo relay received")
    received = relay.wait_for_message(sent.queue_id) if sent.queue_id else None
    if received is None:
        say("The demo relay has no message with that queue id.")
        return _finish(result, out, as_json, exitcodes.ERROR)
    message_id = _message_id(received)
    result["received"] = {
        "queue_id": received.queue_id,
        "message_id": message_id,
        "login": received.login,
        "tls": received.tls,
        "from": received.mail_from,
        "to": list(received.rcpt_tos),
    }
    say(
        f"Queue id {received.queue_id}: from {received.mail_from} to "
        f"{', '.join(received.rcpt_tos)}, logged in as {received.login}, "
        f"{'over TLS' if received.tls else 'WITHOUT TLS'}"
    )
    same = message_id == sent.message_id
    say(f"Message-ID {message_id}: {'the one we sent' if same else 'NOT the one we sent'}")
    say("\nDone: this is the evidence a real relay's log gives IT (queue id, Message-ID).")
    return _finish(result, out, as_json, exitcodes.OK if same else exitcodes.ERROR)


def _message_id(received: ReceivedMessage) -> str:
    parsed = email.message_from_bytes(received.content, policy=email.policy.default)
    return str(parsed.get("Message-ID", ""))


def _finish(result: dict[str, Any], out: TextIO, as_json: bool, status: int) -> int:
    if as_json:
        print_json(result | {"ok": status == exitcodes.OK}, out)
    return status
