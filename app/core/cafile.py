"""The one check of an organisation's private CA, wherever it comes from (`--ca`, a profile's
`ca_file` or `ca_pem`, the wizard): PEM text with at least one certificate that OpenSSL loads,
not empty, and never a private key (it would be copied, world-readable, into the data folder
and the mail clients' trust stores)."""

from __future__ import annotations

from pathlib import Path

from .localfiles import MIB, LocalFileError, read_local_file
from .text import QT_TRANSLATE_NOOP, Remedy, Text

MAX_CA_BYTES = MIB  # a bundle of every public root is about 220 KB


class CaFileError(ValueError):
    """A CA we cannot use; `why` says why without naming the source (the caller may); `text` is
    the whole message for a front end to word (app/core/text.py), str() the command line's."""

    def __init__(self, source: str | None, why: str | Text) -> None:
        self.source = source
        self.why = str(why)
        reason = why if isinstance(why, Text) else Text("", why)
        self.text = (
            Text.of(
                "cafile",
                QT_TRANSLATE_NOOP("cafile", "CA file {source}: {why}"),
                source=source,
                why=reason,
            )
            if source
            else Text.of("cafile", QT_TRANSLATE_NOOP("cafile", "CA: {why}"), why=reason)
        )
        super().__init__(str(self.text))


def _why(source: str, **fields: str | Remedy) -> Text:
    return Text.of("cafile", source, **fields)


def check_ca_pem(data: bytes, source: str | None = None) -> str:
    """The PEM text of a usable CA bundle, or CaFileError."""
    import ssl  # both heavy: loaded only when a CA is actually checked

    from cryptography import x509

    if not data.strip():
        raise CaFileError(source, _why(QT_TRANSLATE_NOOP("cafile", "is empty")))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise CaFileError(
            source,
            _why(
                QT_TRANSLATE_NOOP(
                    "cafile", "is not PEM text (a binary DER certificate? {convert})"
                ),
                convert=Remedy.CONVERT_DER,
            ),
        ) from None
    if "PRIVATE KEY" in text:
        raise CaFileError(
            source,
            _why(
                QT_TRANSLATE_NOOP(
                    "cafile", "holds a private key: only the CA's certificate may be used"
                )
            ),
        )
    if "-----BEGIN CERTIFICATE-----" not in text:
        raise CaFileError(
            source,
            _why(
                QT_TRANSLATE_NOOP("cafile", "is not a PEM certificate (no BEGIN CERTIFICATE line)")
            ),
        )
    try:
        x509.load_pem_x509_certificates(data)
        ssl.create_default_context(cadata=text)
    except (ValueError, ssl.SSLError):
        raise CaFileError(
            source,
            _why(
                QT_TRANSLATE_NOOP("cafile", "is not a readable PEM certificate (damaged base64?)")
            ),
        ) from None
    return text.strip() + "\n"


def read_ca_file(path: str | Path) -> bytes:
    """The content of a CA file that check_ca_pem accepts (a regular file of at most
    MAX_CA_BYTES), or CaFileError."""
    try:
        data = read_local_file(path, MAX_CA_BYTES)
    except LocalFileError as exc:
        raise CaFileError(str(path), exc.why) from None
    check_ca_pem(data, str(path))
    return data


def ca_file_problem(path: str | Path | None) -> Text | None:
    """Why a CA file cannot be used, for a front end to word (None: usable, or none given)."""
    if path is None:
        return None
    try:
        read_ca_file(path)
    except CaFileError as exc:
        return exc.text
    return None


def check_ca_file(path: str | Path | None) -> str | None:
    """A clear message for a CA file we cannot use, in the command line's words."""
    problem = ca_file_problem(path)
    return None if problem is None else str(problem)
