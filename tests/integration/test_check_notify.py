"""`check --notify` against a real session bus (tests/run.sh's private one) with a small
freedesktop Notifications service of the test's own (jeepney) that records each call."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jeepney import HeaderFields, MessageType, message_bus, new_method_return
from jeepney.io.blocking import open_dbus_connection
from servers import free_port

from app import exitcodes
from app.core.appdirs import install_ca
from app.core.results import TlsMode
from app.core.roaming import record
from app.core.roaming.notify import BUS_NAME, notify
from app.core.settings import RelaySetting

pytestmark = pytest.mark.skipif(
    not os.environ.get("DBUS_SESSION_BUS_ADDRESS"), reason="needs a session bus: tests/run.sh"
)


class Notifications:
    """Owns org.freedesktop.Notifications on the session bus and answers Notify, keeping the
    (app_name, replaces_id, icon, summary, body, actions, hints, timeout) of each call."""

    def __init__(self) -> None:
        self.calls: list[tuple[Any, ...]] = []
        self.ready = threading.Event()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        with open_dbus_connection(bus="SESSION") as bus:
            owner = bus.send_and_get_reply(message_bus.RequestName(BUS_NAME, 4), timeout=5)
            assert owner.body[0] == 1, "another notification server owns the name"
            self.ready.set()
            while not self.stop.is_set():
                try:
                    msg = bus.receive(timeout=0.1)
                except TimeoutError:
                    continue
                header = msg.header
                if (
                    header.message_type is MessageType.method_call
                    and header.fields.get(HeaderFields.member) == "Notify"
                ):
                    self.calls.append(msg.body)
                    bus.send(new_method_return(msg, "u", (len(self.calls),)))


@pytest.fixture
def notifications() -> Iterator[Notifications]:
    service = Notifications()
    service.thread.start()
    assert service.ready.wait(5)
    yield service
    service.stop.set()
    service.thread.join(5)


def test_notify_reaches_the_notification_server(notifications: Notifications) -> None:
    shown = notify("Summary words", "Body words", urgent=True)
    assert shown.sent and shown.notification_id == 1
    (call,) = notifications.calls
    app, replaces, _icon, summary, body, actions, hints, _timeout = call
    assert (app, replaces, summary, body, actions) == ("Relay Setup", 0, "Summary words",
                                                      "Body words", [])  # fmt: skip
    assert hints["urgency"] == ("y", 2)


def test_no_server_on_the_bus_is_a_note_not_a_failure() -> None:
    shown = notify("nobody", "listens")
    assert not shown.sent and "no notification server" in shown.note


def test_check_notify_tells_the_desktop_when_the_relay_cannot_be_reached(
    home: Path, notifications: Notifications, cli: Any, pki: Any
) -> None:
    # Nothing listens on the recorded port (a port the test held and let go): unreachable.
    setting = RelaySetting(
        "localhost", free_port(), TlsMode.STARTTLS, "n@example.org",
        ca_file=str(install_ca(Path(pki.ca_file))),
    )  # fmt: skip
    record.remember(setting, ("msmtp",))
    code, out, _ = cli(
        "check", "--quiet", "--notify", "--json", "--timeout", "1", "--deadline", "3"
    )
    report = json.loads(out)
    assert code == exitcodes.UNREACHABLE and report["status"] == "unreachable"
    (call,) = notifications.calls
    assert call[3] == "Your mail relay cannot be reached from this network"
    assert "localhost" in call[4]
    assert report["notification"] is None


def test_check_notify_without_a_bus_still_checks_and_says_why(
    home: Path, cli: Any, pki: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    setting = RelaySetting("localhost", free_port(), TlsMode.STARTTLS, "n@example.org")
    record.remember(setting, ("msmtp",))
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS")
    code, out, _ = cli("check", "--notify", "--timeout", "1", "--deadline", "3")
    assert code == exitcodes.UNREACHABLE
    assert "note: no desktop notification: no desktop session bus" in out
