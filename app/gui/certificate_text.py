"""A certificate's facts as a person reads them: the fingerprint in groups that wrap without
clipping, the dates as the user's locale writes them."""

from __future__ import annotations

from PySide6.QtCore import QDateTime, QLocale, Qt


def grouped_fingerprint(sha256: str, per_group: int = 4) -> tuple[str, ...]:
    """`AA:BB:CC:DD:EE:...` as groups of `per_group` bytes (`AA:BB:CC:DD`), to be shown with a
    space between them so a narrow window wraps between groups, never inside one."""
    digits = sha256.replace(":", "").upper()
    octets = [digits[i : i + 2] for i in range(0, len(digits), 2)]
    return tuple(":".join(octets[i : i + per_group]) for i in range(0, len(octets), per_group))


def local_date(iso: str, locale: QLocale | None = None) -> str:
    """An ISO 8601 time (as the core gives it) as the user's locale writes the date, in their
    time zone (a validity date needs no seconds); the ISO text itself if it does not parse."""
    moment = QDateTime.fromString(iso, Qt.DateFormat.ISODate)
    if not moment.isValid():
        return iso
    return (locale or QLocale()).toString(
        moment.toLocalTime().date(), QLocale.FormatType.LongFormat
    )
