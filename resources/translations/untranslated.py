"""List the messages of Qt catalogues (.ts) that have no finished translation; exit 1 if any.

python3 resources/translations/untranslated.py resources/translations/relay_setup_*.ts
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET  # our own catalogue, not input from elsewhere
from pathlib import Path


def untranslated(ts: Path) -> list[tuple[str, str]]:
    """(context, source) of every message whose translation is missing or unfinished."""
    missing = []
    for context in ET.parse(ts).getroot().iter("context"):  # noqa: S314
        name = context.findtext("name", "")
        for message in context.iter("message"):
            translation = message.find("translation")
            kind = None if translation is None else translation.get("type")
            if kind in ("obsolete", "vanished"):
                continue  # no longer in the source
            text = "" if translation is None else (translation.text or "").strip()
            if kind == "unfinished" or not text:
                missing.append((name, message.findtext("source", "")))
    return missing


def main(paths: list[str]) -> int:
    status = 0
    for path in map(Path, paths):
        missing = untranslated(path)
        for context, source in missing:
            print(f"{path.name}: [{context}] {source!r}")
        print(f"{path.name}: {len(missing)} untranslated", file=sys.stderr)
        status |= bool(missing)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
