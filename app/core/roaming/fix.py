"""--fix: move every mail program this program set up to the port that works from here, through
the one safe writer (setup.steps.configure_client: backup, journal, `relay-setup undo`)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..results import TlsMode
from .record import Record


@dataclass(frozen=True)
class Fixed:
    """One file --fix moved to the working port."""

    client: str
    file: str
    old_port: int
    new_port: int

    def to_json(self) -> dict[str, Any]:
        return {
            "client": self.client,
            "file": self.file,
            "old_port": self.old_port,
            "new_port": self.new_port,
        }


def fix_clients(
    record: Record,
    port: int,
    tls: TlsMode,
    *,
    home: Path | None = None,
    data: Path | None = None,
) -> tuple[tuple[Fixed, ...], tuple[str, ...]]:
    """Each recorded program re-planned for `port` and written; one that fails does not stop
    the others. The files written, and a problem per program that failed."""
    from ..setup.steps import StepStatus, configure_client

    setting = replace(record.setting, port=port, tls=tls)
    ca_copy = Path(setting.ca_file) if setting.ca_file else None
    fixed: list[Fixed] = []
    problems: list[str] = []
    for name in record.clients:
        report = configure_client(name, setting, ca_copy, home=home, data=data)
        if report.status is StepStatus.FAILED:
            problems.append(f"{name}: {report.detail}")
            continue
        for file in report.facts.get("files", ()):
            fixed.append(Fixed(name, file, record.setting.port, port))
    return tuple(fixed), tuple(problems)
