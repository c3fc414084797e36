"""The organisation's private CA, copied into the app's data folder: the mail clients reference
that copy, which outlives a profile in a temporary or installer folder."""

from __future__ import annotations

from pathlib import Path

from ..appdirs import ca_destination, install_ca_bytes
from ..cafile import CaFileError, check_ca_pem, read_ca_file
from ..clients.base import ClientError
from ..failures import Failure
from .steps import StepReport, StepStatus, failed


def install_ca_pem(pem: str, data: Path | None = None) -> Path:
    """A CA given as PEM text (a profile's) into the data folder; raises CaFileError, OSError."""
    return install_ca_bytes(_checked(pem), data)


def _checked(pem: str) -> bytes:
    data = pem.encode("utf-8")
    check_ca_pem(data, "of the profile")
    return data


def ca_step(
    pem: str | None, source: Path | None, data: Path | None = None
) -> tuple[Path, StepReport]:
    """The CA (a profile's PEM text, or a file) into the data folder: the copy, and whether it
    was there already."""
    try:
        content = read_ca_file(source) if source is not None else _checked(pem or "")
        dest = ca_destination(content, data)
        before = dest.exists() and dest.read_bytes() == content
        copy = install_ca_bytes(content, data)
    except CaFileError as exc:
        raise failed("ca", Failure.USAGE, str(exc)) from None
    except (OSError, ClientError) as exc:
        raise failed("ca", Failure.CONFIG, f"cannot copy the CA: {exc}") from None
    status = StepStatus.UNCHANGED if before else StepStatus.CHANGED
    return copy, StepReport("ca", status, str(copy), {"path": str(copy)})
