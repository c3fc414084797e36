"""Local input that may be hostile (special files, bad CA files, bad bytes on stdin) and running
the command line on it; used by test_local_files.py, test_early_errors.py and the GUI's CA test."""

from __future__ import annotations

import io
import json
import os
import resource
import select
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from servers import Pki

from app.cli import main
from app.core.localfiles import MIB

ROOT = Path(__file__).parent.parent
DEMO_PROFILE = ROOT / "profiles" / "demo.toml"


def _limit_memory() -> None:
    # A regression that reads /dev/zero whole must fail this one process, not the machine.
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))


def relay_setup(
    *args: str, stdin: bytes = b"", env: dict[str, str] | None = None
) -> tuple[int, str, str]:
    """The real command line in its own process (a hang or a memory blow-up stays there)."""
    done = subprocess.run(
        [sys.executable, "-m", "app", *args],
        input=stdin,
        capture_output=True,
        timeout=60,
        cwd=ROOT,
        env=env,
        preexec_fn=_limit_memory,
        check=False,
    )
    return done.returncode, done.stdout.decode(), done.stderr.decode()


Cli = Callable[..., tuple[int, str, str]]


def in_process_cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Cli:
    """The command line in this process (fast), or with isolated=True in its own (for input
    that would hang or exhaust memory should a check regress)."""

    def run(*args: str, stdin: bytes = b"", isolated: bool = False) -> tuple[int, str, str]:
        if isolated:
            return relay_setup(*args, stdin=stdin)
        wrapper = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8", errors="surrogateescape")
        monkeypatch.setattr(sys, "stdin", wrapper)  # bytes underneath, like a real pipe
        try:
            code = main(list(args))
        except SystemExit as exit_:  # argparse's usage errors
            code = int(str(exit_.code))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def write_profile(folder: Path, relay_ports: tuple[int, int], extra: str = "") -> Path:
    """The shipped demo profile, pointed at this run's ephemeral ports."""
    implicit, starttls = relay_ports
    text = DEMO_PROFILE.read_text()
    shipped = 'ports = ["2465/implicit", "2587/starttls"]'
    assert shipped in text
    text = text.replace(shipped, f'ports = ["{implicit}/implicit", "{starttls}/starttls"]')
    path = folder / "profile.toml"
    path.write_text(text.replace("[identity]\n", f"{extra}[identity]\n", 1))
    return path


def read_until(fd: int, marker: bytes, seen: bytearray) -> None:
    """Read a terminal (a pty) into `seen` until the program has written `marker`."""
    while marker not in seen:
        ready, _, _ = select.select([fd], [], [], 30)
        assert ready, f"no {marker!r} from the program; it said {bytes(seen)!r}"
        try:
            chunk = os.read(fd, 1024)
        except OSError:  # EIO: the program exited
            chunk = b""
        assert chunk, f"the program ended before {marker!r}; it said {bytes(seen)!r}"
        seen += chunk


# /dev/zero, read whole by a regression, would exhaust memory: in a process of its own. (A FIFO
# would only block: the tests with one have a timeout.)
ISOLATED = ("device",)


def one_json_object(out: str) -> dict[str, object]:
    """stdout holds exactly one JSON object (json.loads refuses anything after it)."""
    data = json.loads(out)
    assert isinstance(data, dict)
    return data


# -- special files and bad CA files ------------------------------------------------------------


def _fifo(folder: Path) -> Path:
    path = folder / "fifo"
    os.mkfifo(path)
    return path


def _large(folder: Path) -> Path:
    path = folder / "large"
    path.write_bytes(b"#" * (MIB + 1))
    return path


SPECIAL_FILES: dict[str, Callable[[Path], Path]] = {
    "device": lambda _: Path("/dev/zero"),
    "fifo": _fifo,
    "folder": lambda folder: folder,
    "too large": _large,
    "missing": lambda folder: folder / "absent",
}
SPECIAL_WHY = {
    "device": "is a device",
    "fifo": "is a FIFO",
    "folder": "is a folder",
    "too large": "larger than 1 MiB",
    "missing": "not found",
}


def bad_ca_file(kind: str, folder: Path, pki: Pki) -> Path:
    """A file handed over as the organisation's CA that must be refused."""
    if kind in SPECIAL_FILES:
        return SPECIAL_FILES[kind](folder)
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    cert = pki.ca.cert_pem.bytes()
    key = pki.ca.issue_cert("mail.example.org").private_key_pem.bytes()
    der = x509.load_pem_x509_certificate(cert).public_bytes(Encoding.DER)
    content = {
        "empty": b"",
        "blank lines": b"\n\n",
        "key only": key,
        "certificate and key": cert + key,
        "DER": der,
        "junk": b"this is not a certificate\n",
        "damaged base64": b"-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n",
    }[kind]
    path = folder / f"{kind.replace(' ', '-')}.pem"
    path.write_bytes(content)
    return path


CA_WHY = {
    **SPECIAL_WHY,
    "empty": "is empty",
    "blank lines": "is empty",
    "key only": "private key",
    "certificate and key": "private key",
    "DER": "not PEM text",
    "junk": "not a PEM certificate",
    "damaged base64": "not a readable PEM certificate",
}
FILE_KINDS = ("device", "fifo", "folder", "too large", "missing")
CONTENT_KINDS = tuple(k for k in CA_WHY if k not in FILE_KINDS)


def assert_nothing_written(home: Path) -> None:
    assert not (home / ".alpine-certs").exists()
    assert not (home / ".pinerc").exists() and not (home / ".msmtprc").exists()
    assert not (home / ".local/share/relay-setup/ca").exists()
