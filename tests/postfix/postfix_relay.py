"""The seed's relay, for real: Postfix with Cyrus SASL (saslauthd) and TLS on 127.0.0.1.

Installs nothing: uses Debian's postfix, sasl2-bin and swaks. Everything it writes lives in one
private folder; it stops exactly the processes it started, by pid. Mail is accepted and put on
hold (never delivered anywhere): tests read it back with `postcat -q ID`.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import trustme

POSTFIX = "/usr/sbin/postfix"
POSTCAT = "/usr/sbin/postcat"
SASLAUTHD = "/usr/sbin/saslauthd"
SASLPASSWD2 = "/usr/sbin/saslpasswd2"
SWAKS = "/usr/bin/swaks"
UNSHARE = "/usr/bin/unshare"
# saslauthd's sasldb mechanism always opens this path (its -O option is ignored for sasldb), so
# saslauthd runs in its own mount namespace with our database bound over it: the machine's own
# /etc/sasldb2 is never read or written.
SYSTEM_SASLDB = Path("/etc/sasldb2")

HOSTNAME = "localhost"  # the certificate's name, and Postfix's myhostname


@dataclass(frozen=True)
class User:
    name: str
    password: str


def make_users() -> tuple[User, ...]:
    """Two users with names of their own, so no keyring entry is ever shared between runs."""
    tag = secrets.token_hex(3)
    return (User(f"alice{tag}", "correct horse battery"), User(f"bob{tag}", "tr0ub4dor&3 é"))


def missing_requirements() -> str | None:
    """Why this machine cannot run the relay, or None."""
    if os.geteuid() != 0:
        return "needs root (Postfix and saslauthd start as root)"
    for path in (POSTFIX, POSTCAT, SASLAUTHD, SASLPASSWD2, SWAKS, UNSHARE):
        if not os.access(path, os.X_OK):
            return f"{path} missing (Debian packages postfix, sasl2-bin, swaks: tests/setup.sh)"
    if not SYSTEM_SASLDB.exists():
        return f"{SYSTEM_SASLDB} missing (sasl2-bin creates it; saslauthd's mount point)"
    probe = subprocess.run(
        [UNSHARE, "--mount", "true"], capture_output=True, text=True, timeout=30, check=False
    )
    if probe.returncode != 0:
        return f"cannot make a mount namespace for saslauthd: {probe.stderr.strip()}"
    return None


def _free_ports(count: int) -> list[int]:
    """Distinct ports nothing listens on right now (held open together so they differ)."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [int(s.getsockname()[1]) for s in sockets]
    finally:
        for s in sockets:
            s.close()


def _main_cf(root: Path, tls: Path) -> str:
    # The first block is the seed's configuration, word for word; the rest makes it a private
    # instance on loopback that keeps every message.
    return f"""\
smtpd_sasl_auth_enable = yes
smtpd_sasl_security_options = noanonymous
smtpd_recipient_restrictions = permit_sasl_authenticated, permit_mynetworks,
    reject_unauth_destination
smtpd_tls_security_level = may
smtpd_tls_auth_only = yes
smtpd_tls_key_file = {tls}/server.key
smtpd_tls_cert_file = {tls}/server.pem
smtpd_tls_CAfile = {tls}/ca.pem
smtpd_tls_received_header = yes

# Postfix >= 2.10 would answer unauthenticated relaying from smtpd_relay_restrictions with a
# 454 (defer_unauth_destination); the seed's relay decides in its recipient restrictions (554).
smtpd_relay_restrictions =
# Never 127.0.0.1, or permit_mynetworks would let the tests relay without logging in.
mynetworks =
compatibility_level = 3.6
myhostname = {HOSTNAME}
mydestination =
relay_domains =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
queue_directory = {root}/queue
data_directory = {root}/data
maillog_file = {root}/maillog
maillog_file_prefixes = {root}
# Debian's Postfix reads $config_directory/sasl/smtpd.conf (it ignores this); upstream's reads
# smtpd.conf from here: both are the same folder.
cyrus_sasl_config_path = {root}/conf/sasl
smtpd_sasl_path = smtpd
alias_maps =
alias_database =
biff = no
# Keep every accepted message on hold: never delivered, found by `postcat -q ID`.
smtpd_end_of_data_restrictions = check_client_access static:HOLD
# Had anything left the hold queue, it would wait in the deferred queue, never connect out.
defer_transports = smtp
"""


def _master_cf(starttls: int, implicit: int, plain: int) -> str:
    # No chroot (column 5 "n"): the instance's files live outside any chroot.
    return f"""\
127.0.0.1:{starttls} inet n - n - - smtpd
127.0.0.1:{implicit} inet n - n - - smtpd -o smtpd_tls_wrappermode=yes
127.0.0.1:{plain} inet n - n - - smtpd -o smtpd_tls_security_level=none
cleanup   unix  n - n -    0 cleanup
qmgr      unix  n - n 300  1 qmgr
tlsmgr    unix  - - n 1000? 1 tlsmgr
rewrite   unix  - - n -    - trivial-rewrite
bounce    unix  - - n -    0 bounce
defer     unix  - - n -    0 bounce
trace     unix  - - n -    0 bounce
verify    unix  - - n -    1 verify
flush     unix  n - n 1000? 0 flush
proxymap  unix  - - n -    - proxymap
showq     unix  n - n -    - showq
error     unix  - - n -    - error
retry     unix  - - n -    - error
discard   unix  - - n -    - discard
anvil     unix  - - n -    1 anvil
scache    unix  - - n -    1 scache
postlog   unix-dgram n - n - 1 postlogd
"""


def _wait_for(what: str, ready: Callable[[], bool], limit: float = 20.0) -> None:
    end = time.monotonic() + limit
    while not ready():
        if time.monotonic() > end:
            raise RuntimeError(f"{what} did not come up within {limit:.0f} s")
        time.sleep(0.05)


def _listens(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    except OSError:
        return False
    return True


def _greets(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2) as s:
            s.settimeout(5)
            return s.recv(4).startswith(b"220")
    except OSError:
        return False


@dataclass(frozen=True)
class Relay:
    """A running Postfix + saslauthd; the ports, the CA file and the users a test needs."""

    root: Path
    starttls_port: int
    implicit_port: int
    plain_port: int
    ca_file: str
    users: tuple[User, ...]

    @property
    def config_dir(self) -> Path:
        return self.root / "conf"

    @property
    def maillog(self) -> str:
        path = self.root / "maillog"
        return path.read_text(errors="replace") if path.exists() else ""

    def log_offset(self) -> int:
        """Where the maillog ends once every earlier session is logged as over (postlogd
        writes a moment later), so what follows belongs to what a test does next."""

        def settled() -> bool:
            log = self.maillog
            return log.count(": connect from ") == log.count(": disconnect from ")

        _wait_for("earlier sessions in the log", settled)
        return len(self.maillog)

    def log_after(self, offset: int, line: str, limit: float = 10.0) -> str:
        """The maillog past `offset` once it holds `line` (postlogd writes it a moment later)."""
        _wait_for(f"log line {line!r}", lambda: line in self.maillog[offset:], limit)
        return self.maillog[offset:]

    def held_queue_ids(self) -> set[str]:
        hold = self.root / "queue" / "hold"
        return {p.name for p in hold.rglob("*") if p.is_file()} if hold.exists() else set()

    def _postcat(self, queue_id: str, *options: str) -> bytes:
        if not re.fullmatch(r"[0-9A-Za-z]+", queue_id):
            raise ValueError(f"not a queue id: {queue_id!r}")
        out = subprocess.run(
            [POSTCAT, "-c", str(self.config_dir), *options, "-q", queue_id],
            capture_output=True,
            timeout=30,
            check=True,
        )
        return out.stdout

    def envelope(self, queue_id: str) -> str:
        """The queue file's envelope records (sender, recipient, sasl_username ...)."""
        return self._postcat(queue_id, "-e").decode(errors="replace")

    def message(self, queue_id: str) -> bytes:
        """The message as Postfix stored it: headers (its Received: added) and body."""
        return self._postcat(queue_id, "-h", "-b")


def _write_users(root: Path, users: tuple[User, ...]) -> Path:
    db = root / "sasldb2"
    for user in users:
        # -p: the password comes on stdin, never in argv. No -u: smtpd sends saslauthd an empty
        # realm, which saslauthd reads as this machine's host name, saslpasswd2's default too.
        subprocess.run(
            [SASLPASSWD2, "-p", "-c", "-f", str(db), user.name],
            input=user.password,
            text=True,
            check=True,
            timeout=30,
        )
    return db


def _start_saslauthd(root: Path, db: Path) -> subprocess.Popen[bytes]:
    run = root / "saslauthd"
    run.mkdir(mode=0o755)
    log = (root / "saslauthd.log").open("wb")
    # unshare execs sh, which execs saslauthd: the pid we hold is saslauthd's (-d: foreground).
    script = 'mount --bind "$1" "$2" && exec "$3" -a sasldb -m "$4" -n 0 -d'
    namespace = [UNSHARE, "--mount", "--propagation", "private"]
    proc = subprocess.Popen(
        [*namespace, "sh", "-c", script, "sh", str(db), str(SYSTEM_SASLDB), SASLAUTHD, str(run)],
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        # On SIGTERM saslauthd signals its whole process group: let that group be its own.
        start_new_session=True,
    )
    log.close()
    try:
        _wait_for("saslauthd", lambda: proc.poll() is None and (run / "mux").exists())
    except RuntimeError:
        _terminate(proc)
        raise RuntimeError((root / "saslauthd.log").read_text(errors="replace")) from None
    return proc


def _terminate(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _stop(pid: int, limit: float = 15.0) -> None:
    """Stop a daemon that is not our child (Postfix's master detaches): TERM, wait, KILL."""
    with suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    end = time.monotonic() + limit
    while Path(f"/proc/{pid}").exists() and time.monotonic() < end:
        time.sleep(0.05)
    if Path(f"/proc/{pid}").exists():
        with suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def _master_pid(root: Path) -> int | None:
    pid_file = root / "queue" / "pid" / "master.pid"
    with suppress(OSError, ValueError):
        return int(pid_file.read_text().split()[0])
    return None


@contextmanager
def running_relay(ca: trustme.CA, users: tuple[User, ...] | None = None) -> Iterator[Relay]:
    users = users or make_users()
    # Postfix's unprivileged daemons must reach the queue, config and saslauthd's socket: a
    # folder of our own under /tmp, world-traversable (pytest's tmp_path is root-only).
    root = Path(tempfile.mkdtemp(prefix="relay-setup-postfix-"))
    root.chmod(0o755)
    saslauthd: subprocess.Popen[bytes] | None = None
    try:
        conf, tls = root / "conf", root / "tls"
        sasl = conf / "sasl"
        for folder in (conf, sasl, tls, root / "queue", root / "data"):
            folder.mkdir(mode=0o755)
        shutil.chown(root / "data", "postfix", "postfix")
        ca.cert_pem.write_to_path(str(tls / "ca.pem"))
        leaf = ca.issue_cert(HOSTNAME)
        leaf.cert_chain_pems[0].write_to_path(str(tls / "server.pem"))
        leaf.private_key_pem.write_to_path(str(tls / "server.key"))
        (tls / "server.key").chmod(0o600)

        starttls, implicit, plain = _free_ports(3)
        (conf / "main.cf").write_text(_main_cf(root, tls))
        (conf / "master.cf").write_text(_master_cf(starttls, implicit, plain))
        (sasl / "smtpd.conf").write_text(
            f"pwcheck_method: saslauthd\nsaslauthd_path: {root}/saslauthd/mux\n"
            "mech_list: PLAIN LOGIN\n"
        )
        saslauthd = _start_saslauthd(root, _write_users(root, users))

        started = subprocess.run(
            [POSTFIX, "-c", str(conf), "start"], capture_output=True, text=True, timeout=60
        )
        relay = Relay(root, starttls, implicit, plain, str(tls / "ca.pem"), users)
        if started.returncode != 0:  # Postfix says why in its log, not on stderr
            raise RuntimeError(f"postfix start failed: {started.stderr}\n{relay.maillog}")
        ready = lambda: _greets(starttls) and _greets(plain) and _listens(implicit)  # noqa: E731
        try:
            _wait_for("postfix", ready)
        except RuntimeError as exc:
            raise RuntimeError(f"{exc}\n{relay.maillog}") from None
        yield relay
    finally:
        pid = _master_pid(root)
        if pid is not None:
            _stop(pid)
        if saslauthd is not None:
            _terminate(saslauthd)
        shutil.rmtree(root, ignore_errors=True)
