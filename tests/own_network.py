"""A network namespace of the test's own, entered by this test's thread (so the servers it
starts, the probe's threads and the programs it runs all live there), with nftables rules that
make a port filtered (dropped) or refused (RST) the way a hotel network does. Nothing leaves the
namespace: it has only its own loopback."""

from __future__ import annotations

import ctypes
import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

CLONE_NEWNET = 0x40000000
TABLE = "relay_setup_test"


def _setns(fd: int) -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.setns(fd, CLONE_NEWNET) != 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))


class Network:
    """The namespace's firewall: rules on its output hook (loopback traffic passes it)."""

    def __init__(self) -> None:
        self._nft(f"add table inet {TABLE}")
        self._nft(f"add chain inet {TABLE} out {{ type filter hook output priority 0 ; }}")

    @staticmethod
    def _nft(rule: str) -> None:
        subprocess.run(["nft", rule], check=True, capture_output=True, timeout=10)

    def drop(self, port: int) -> None:
        """No answer at all: a connect waits for its timeout (filtered)."""
        self._nft(f"add rule inet {TABLE} out tcp dport {port} drop")

    def reject(self, port: int) -> None:
        """An RST at once (refused)."""
        self._nft(f"add rule inet {TABLE} out tcp dport {port} reject with tcp reset")

    def open_all(self) -> None:
        self._nft(f"flush chain inet {TABLE} out")


@contextmanager
def own_network() -> Iterator[Network]:
    """Enter a fresh namespace (loopback up) for the duration; skip without root, ip or nft."""
    if os.geteuid() != 0 or not shutil.which("ip") or not shutil.which("nft"):
        pytest.skip("needs root, `ip` and `nft` for a network namespace with nftables rules")
    name = f"rs-check-{os.getpid()}"
    subprocess.run(["ip", "netns", "add", name], check=True, timeout=10)
    home_fd = os.open("/proc/thread-self/ns/net", os.O_RDONLY)
    try:
        ns_fd = os.open(f"/run/netns/{name}", os.O_RDONLY)
        try:
            _setns(ns_fd)
        finally:
            os.close(ns_fd)
        try:
            subprocess.run(["ip", "link", "set", "lo", "up"], check=True, timeout=10)
            yield Network()
        finally:
            _setns(home_fd)
    finally:
        os.close(home_fd)
        subprocess.run(["ip", "netns", "delete", name], check=False, timeout=10)
