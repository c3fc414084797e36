"""A desktop notification through the freedesktop Notifications interface on the session bus
(jeepney: pure Python, already installed with keyring). No daemon of ours: the desktop's own
notification server shows it; without a session bus or one, the caller gets a note instead."""

from __future__ import annotations

from dataclasses import dataclass

BUS_NAME = "org.freedesktop.Notifications"
OBJECT_PATH = "/org/freedesktop/Notifications"
APP_NAME = "Relay Setup"
TIMEOUT = 5.0  # seconds for the bus to answer


@dataclass(frozen=True)
class Notified:
    sent: bool
    note: str = ""  # why not, in words
    notification_id: int = 0


def notify(summary: str, body: str, *, urgent: bool = False) -> Notified:
    """Show a notification; never raises for a missing bus or notification server."""
    from jeepney import DBusAddress, new_method_call
    from jeepney.io.blocking import open_dbus_connection
    from jeepney.wrappers import DBusErrorResponse, unwrap_msg

    address = DBusAddress(OBJECT_PATH, bus_name=BUS_NAME, interface=BUS_NAME)
    hints = {"urgency": ("y", 2 if urgent else 1), "category": ("s", "network")}
    message = new_method_call(
        address,
        "Notify",
        "susssasa{sv}i",
        (APP_NAME, 0, "mail-send", summary, body, [], hints, -1),
    )
    try:
        with open_dbus_connection(bus="SESSION") as bus:
            # An error reply (no server owns the name) is returned, not raised: unwrap it.
            body = unwrap_msg(bus.send_and_get_reply(message, timeout=TIMEOUT))
    except KeyError:  # jeepney: no DBUS_SESSION_BUS_ADDRESS
        return Notified(False, "no desktop session bus (DBUS_SESSION_BUS_ADDRESS is not set)")
    except DBusErrorResponse as exc:
        return Notified(False, f"no notification server answered on the session bus ({exc.name})")
    except (OSError, TimeoutError, ValueError) as exc:
        return Notified(False, f"the session bus cannot be used: {exc}")
    return Notified(True, notification_id=int(body[0]))
