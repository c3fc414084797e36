"""TLS contexts and certificate facts: what a careful admin reads off `openssl s_client`."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import ssl
import threading
from datetime import UTC

import certifi

from ..cafile import read_ca_file
from ..results import CertError, CertificateInfo

# OpenSSL's X509_V_ERR_* codes that matter to a person, mapped to what they can act on.
_VERIFY_CODES = {
    2: CertError.UNKNOWN_ISSUER,  # unable to get issuer certificate
    9: CertError.OTHER,  # not yet valid
    10: CertError.EXPIRED,
    18: CertError.SELF_SIGNED,  # depth zero self-signed
    19: CertError.UNKNOWN_ISSUER,  # self-signed root in chain that we do not trust
    20: CertError.UNKNOWN_ISSUER,  # unable to get local issuer certificate
    21: CertError.UNKNOWN_ISSUER,  # unable to verify the first certificate
    62: CertError.HOSTNAME_MISMATCH,
    64: CertError.HOSTNAME_MISMATCH,  # IP address mismatch
}


def verifying_context(ca_file: str | None = None) -> ssl.SSLContext:
    """certifi's roots plus the system's, plus the organisation's private CA when given.

    Cached: parsing a few hundred roots costs milliseconds of CPU per connection, and a context
    is safe to share between threads. A CA file that changes on disk gets a fresh context."""
    stamp = os.stat(ca_file).st_mtime_ns if ca_file else 0
    with _building:  # a second caller waits for the context in the making, not builds its own
        return _verifying_context(ca_file, stamp)


_building = threading.Lock()


def prepare_verifying_context(ca_file: str | None = None) -> None:
    """Start building the context in the background. OpenSSL reads the root bundles (~100 ms
    of CPU) without holding the GIL, so this overlaps the imports and the connect that come
    before the first handshake. A CA that cannot be read is left for the real call to report."""

    def build() -> None:
        # Whatever fails here fails again in the probe's own call, which reports it.
        with contextlib.suppress(Exception):
            verifying_context(ca_file)

    # Not a daemon: a thread still inside OpenSSL while the interpreter shuts down crashes it.
    threading.Thread(target=build, name="tls-context").start()


@functools.lru_cache(maxsize=8)
def _verifying_context(ca_file: str | None, _stamp: int) -> ssl.SSLContext:
    ctx = ssl.create_default_context(cafile=certifi.where())
    ctx.load_default_certs()
    if ca_file:
        # Read through the one CA check: OpenSSL's own open would hang on a FIFO.
        ctx.load_verify_locations(cadata=read_ca_file(ca_file).decode("utf-8"))
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    return ctx


@functools.cache
def inspecting_context() -> ssl.SSLContext:
    """Accepts any certificate so that we can show it. Never used to send a password
    unless the certificate's fingerprint matches an explicit pin."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    return ctx


def classify_verify_error(err: ssl.SSLCertVerificationError) -> CertError:
    return _VERIFY_CODES.get(err.verify_code, CertError.OTHER)


def sha256_fingerprint(der: bytes) -> str:
    digest = hashlib.sha256(der).hexdigest().upper()
    return ":".join(digest[i : i + 2] for i in range(0, len(digest), 2))


def normalize_fingerprint(text: str) -> str:
    """Accept `aa:bb..`, `AABB..` or `sha256:AA:BB..`; return the `AA:BB:..` form."""
    raw = text.strip().upper().removeprefix("SHA256:").removeprefix("SHA256=")
    hexdigits = raw.replace(":", "").replace(" ", "")
    if len(hexdigits) != 64 or any(c not in "0123456789ABCDEF" for c in hexdigits):
        raise ValueError("a SHA-256 fingerprint is 64 hexadecimal digits")
    return ":".join(hexdigits[i : i + 2] for i in range(0, 64, 2))


def describe_certificate(
    der: bytes,
    *,
    verified: bool,
    error: CertError | None = None,
    error_detail: str = "",
    pin: str | None = None,
) -> CertificateInfo:
    from cryptography import x509  # heavy: imported when the first certificate is read

    cert = x509.load_der_x509_certificate(der)
    try:
        ext = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        san = tuple(
            [f"DNS:{n}" for n in ext.get_values_for_type(x509.DNSName)]
            + [f"IP:{a}" for a in ext.get_values_for_type(x509.IPAddress)]
        )
    except x509.ExtensionNotFound:
        san = ()
    fingerprint = sha256_fingerprint(der)
    return CertificateInfo(
        subject=cert.subject.rfc4514_string(),
        issuer=cert.issuer.rfc4514_string(),
        san=san,
        not_before=cert.not_valid_before_utc.astimezone(UTC).isoformat(),
        not_after=cert.not_valid_after_utc.astimezone(UTC).isoformat(),
        sha256=fingerprint,
        verified=verified,
        error=None if verified else error,
        error_detail="" if verified else error_detail,
        pinned=not verified and pin is not None and normalize_fingerprint(pin) == fingerprint,
    )
