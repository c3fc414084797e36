"""Keep what we sent in AUTH out of what a server says back.

A broken or hostile server may repeat the AUTH line in its refusal: the password raw, or the
base64 we sent (of `\\0user\\0password` for PLAIN, of the password alone for LOGIN). Every
server reply passes through one Redactor (app.core.probe.connection) before it becomes a value of
ours, so no error text, detail, JSON or log can carry any of these forms.
"""

from __future__ import annotations

import base64
import threading

MASK = b"****"
# A base64 run this short matches ordinary words too often to be worth masking.
_MIN_BASE64_RUN = 4


def _base64_runs(secret: bytes) -> set[bytes]:
    """The base64 characters that `secret` alone determines, wherever it sits in an encoded
    stream (three alignments), in the standard and URL-safe alphabets. With the whole secret
    encoded from offset 0 the run is the full encoding without its padding."""
    runs: set[bytes] = set()
    for offset in range(3):
        encoded = base64.b64encode(b"\0" * offset + secret + b"\0\0")
        first = -(-8 * offset // 6)  # the first character with no bit of the prefix
        last = 8 * (offset + len(secret)) // 6  # the first character with a bit of the suffix
        run = encoded[first:last]
        if len(run) >= _MIN_BASE64_RUN:
            runs.add(run)
            runs.add(run.translate(bytes.maketrans(b"+/", b"-_")))
    runs.add(base64.b64encode(secret))
    return runs


class Redactor:
    """Replaces every known form of the secrets given to `add` with ****."""

    def __init__(self) -> None:
        self._forms: set[bytes] = set()
        self._lock = threading.Lock()

    def add(self, secret: bytes | str) -> None:
        """Mask `secret` (and its base64 forms) from now on; call it before it is sent."""
        raw = secret.encode("utf-8") if isinstance(secret, str) else secret
        if not raw:
            return
        forms = {raw, *_base64_runs(raw)}
        with self._lock:
            self._forms |= forms

    def bytes(self, data: bytes) -> bytes:
        with self._lock:
            forms = sorted(self._forms, key=len, reverse=True)  # longest first: no half masks
        for form in forms:
            data = data.replace(form, MASK)
        return data

    def text(self, text: str) -> str:
        if not self._forms:
            return text
        return self.bytes(text.encode("utf-8", "surrogatepass")).decode("utf-8", "surrogatepass")
