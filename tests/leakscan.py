"""Helpers for the leak tests: run the real command line while watching its whole process tree
(argv and environment, read from /proc), the forms a secret can leak in, and a scan of every file
a run left behind."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parent.parent  # the code under test


@dataclass
class Run:
    code: int
    out: str
    err: str
    processes: dict[int, tuple[bytes, bytes]] = field(default_factory=dict)  # argv, environ


def _parent(pid: str) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(stat.rpartition(")")[2].split()[1])


def _watch(root: int, seen: dict[int, tuple[bytes, bytes]], stop: threading.Event) -> None:
    """Record argv and environment of `root` and every descendant, until `stop`."""
    while not stop.is_set():
        tree = {root}
        for entry in os.listdir("/proc"):
            if entry.isdigit() and _parent(entry) in tree:
                tree.add(int(entry))
        for pid in tree:
            try:
                argv = Path(f"/proc/{pid}/cmdline").read_bytes()
                environ = Path(f"/proc/{pid}/environ").read_bytes()
            except OSError:
                continue
            old_argv, old_env = seen.get(pid, (b"", b""))
            seen[pid] = (old_argv + b"\n" + argv, old_env + b"\n" + environ)
        stop.wait(0.01)


def run_watched(args: list[str], env: dict[str, str], stdin: str) -> Run:
    """`python3 -m app ARGS` of this checkout (run from HOME, where `import app` would otherwise
    find whichever copy is installed), its process tree watched until it ends."""
    path = os.pathsep.join(p for p in (str(CHECKOUT), env.get("PYTHONPATH")) if p)
    proc = subprocess.Popen(
        [sys.executable, "-m", "app", *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**env, "PYTHONPATH": path},
        cwd=env["HOME"],
    )
    seen: dict[int, tuple[bytes, bytes]] = {}
    stop = threading.Event()
    watcher = threading.Thread(target=_watch, args=(proc.pid, seen, stop), daemon=True)
    watcher.start()
    try:
        out, err = proc.communicate(stdin.encode(), timeout=90)
    finally:
        stop.set()
        watcher.join()
    return Run(proc.returncode, out.decode(), err.decode(), seen)


def forms(password: str, user: str | None = None) -> list[bytes]:
    """A secret as it could leak: itself, base64 (AUTH LOGIN, a MIME part), and with a user as
    AUTH PLAIN puts it on the wire."""
    plain = password.encode()
    found = [plain, base64.b64encode(plain), base64.urlsafe_b64encode(plain)]
    if user is not None:
        found.append(base64.b64encode(b"\0" + user.encode() + b"\0" + plain))
    return found


def assert_no_leak(
    runs: list[Run],
    secrets: list[bytes],
    folder: Path,
    keep: Callable[[Path], bool] = lambda path: False,
) -> None:
    """None of `secrets` in any run's stdout/stderr, argv or environment, nor in any file under
    `folder` (but those `keep` names: byte copies of the user's own files, checked apart)."""
    for run in runs:
        assert run.processes, "the process tree was never seen: the watcher is broken"
        assert any(b"-m\0app" in argv for argv, _ in run.processes.values())
        for secret in secrets:
            text = secret.decode()
            assert text not in run.out, "the password is in stdout"
            assert text not in run.err, "the password is in stderr"
            for pid, (argv, environ) in run.processes.items():
                assert secret not in argv, f"the password is in the argv of process {pid}"
                assert secret not in environ, f"the password is in the environment of {pid}"
    assert files_holding(folder, secrets, keep) == []


def files_holding(
    folder: Path, secrets: list[bytes], keep: Callable[[Path], bool] = lambda path: False
) -> list[tuple[Path, bytes]]:
    """(file, secret) for each file under `folder` that holds one of `secrets`."""
    found = []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink() and not keep(path):
            content = path.read_bytes()
            found += [(path, secret) for secret in secrets if secret in content]
    return found


def forms_of(user: str, password: str) -> list[str]:
    """What a server could echo of an AUTH PLAIN it was sent: raw, and base64 of each piece and
    the whole."""
    secret = password.encode()
    blob = b"\0" + user.encode() + b"\0" + secret
    forms = [password]
    for data in (secret, blob):
        forms += [base64.b64encode(data).decode(), base64.b64encode(data).decode().rstrip("=")]
        forms.append(base64.urlsafe_b64encode(data).decode().rstrip("="))
    return forms
