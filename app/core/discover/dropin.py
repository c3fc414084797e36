"""The drop-in folder IT can fill: one Mozilla autoconfig file per domain, `DOMAIN.xml`.
Linux and the BSDs: /etc/relay-setup/autoconfig/ (beside the other /etc configuration);
macOS: /Library/Application Support/relay-setup/autoconfig/; Windows:
C:\\ProgramData\\relay-setup\\autoconfig\\ (platformdirs' site_config_dir). Only an
administrator can write there, so what it says is trusted like a profile."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from .. import values
from ..localfiles import LocalFileError, read_local_file_if_exists
from ..org.autoconfig import MAX_XML_BYTES
from .model import Candidate, Origin, SourceFailure, SourceOutcome, as_text
from .xmlconfig import XmlConfigError, candidates_from_xml


def dropin_folder() -> Path:
    if sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        # platformdirs says /etc/xdg here (XDG_CONFIG_DIRS): /etc/NAME is where IT looks.
        return Path("/etc/relay-setup/autoconfig")
    from platformdirs import site_config_dir

    return Path(site_config_dir("relay-setup", appauthor=False)) / "autoconfig"


def dropin_outcome(email: str, folder: Path | None = None) -> SourceOutcome:
    """Candidates from FOLDER/DOMAIN.xml (the domain in its ASCII form); never raises."""
    started = time.monotonic()
    folder = dropin_folder() if folder is None else folder

    def outcome(
        candidates: tuple[Candidate, ...] = (), failures: tuple[SourceFailure, ...] = ()
    ) -> SourceOutcome:
        elapsed = int((time.monotonic() - started) * 1000)
        return SourceOutcome(Origin.DROP_IN, candidates, failures, elapsed)

    try:
        email = values.address(email, "email address")
    except values.InvalidValue as exc:
        return outcome(failures=(SourceFailure(Origin.DROP_IN, str(email), exc.why_text),))
    # values.address leaves only [a-z0-9.-] in non-empty labels: no way out of the folder.
    path = folder / f"{email.rpartition('@')[2]}.xml"
    try:
        data = read_local_file_if_exists(path, MAX_XML_BYTES)
        if data is None:  # the usual case (IT put nothing there): no answer, not a failure
            return outcome()
        found = candidates_from_xml(data, email, Origin.DROP_IN, str(path), authenticated=True)
    except LocalFileError as exc:
        return outcome(failures=(SourceFailure(Origin.DROP_IN, str(path), as_text(exc.why)),))
    except XmlConfigError as exc:
        return outcome(failures=(SourceFailure(Origin.DROP_IN, str(path), exc.text),))
    return outcome(found.candidates, found.failures)
