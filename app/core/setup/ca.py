"""The organisation's private CA, copied into the app's data folder: the mail clients reference
that copy, which outlives a profile in a temporary or installer folder."""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ..appdirs import CaFileError, ca_destination, install_ca
from ..clients.base import ClientError
from ..failures import Failure
from .steps import StepReport, StepStatus, failed


@contextlib.contextmanager
def _as_file(pem: str) -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="relay-setup-ca-") as folder:
        source = Path(folder) / "profile-ca.pem"
        source.write_text(pem, "utf-8")
        yield source


def install_ca_pem(pem: str, data: Path | None = None) -> Path:
    """A CA given as PEM text (a profile's) into the data folder; raises CaFileError, OSError."""
    with _as_file(pem) as source:
        return install_ca(source, data)


def ca_step(
    pem: str | None, source: Path | None, data: Path | None = None
) -> tuple[Path, StepReport]:
    """The CA (a profile's PEM text, or a file) into the data folder: the copy, and whether it
    was there already."""
    try:
        with contextlib.ExitStack() as stack:
            if source is None:
                source = stack.enter_context(_as_file(pem or ""))
            dest = ca_destination(source, data)
            before = dest.exists() and dest.read_bytes() == source.read_bytes()
            copy = install_ca(source, data)
    except CaFileError as exc:
        raise failed("ca", Failure.USAGE, str(exc)) from None
    except (OSError, ClientError) as exc:
        raise failed("ca", Failure.CONFIG, f"cannot copy the CA: {exc}") from None
    status = StepStatus.UNCHANGED if before else StepStatus.CHANGED
    return copy, StepReport("ca", status, str(copy), {"path": str(copy)})
