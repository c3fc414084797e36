"""`relay-setup credential get|store|erase`: a git credential helper over the keyring item the
program keeps (service=smtp host=H user=U), so `git send-email` finds the relay's password.

git writes `key=value` lines on standard input (protocol, host as HOST:PORT, username, and
perhaps password) ending with a blank line; `get` answers with `password=...`. Only protocol=smtp
with a username is answered; anything else gets no answer, which lets git go on to its next
helper or its prompt. The keyring is imported only when asked (so `--help` stays fast)."""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from .. import exitcodes

MAX_INPUT = 64 * 1024  # git's own requests are a few hundred bytes


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "credential",
        description="Speaks git's credential-helper protocol on standard input for "
        "protocol=smtp: `get` prints the password kept in the OS keyring, `store` keeps one "
        "that git confirmed; `erase` changes nothing (the password is shared with the "
        "other mail programs: `relay-setup password` changes it). "
        "`relay-setup write git` registers it for the relay's URL.",
    )
    p.add_argument("action", choices=("get", "store", "erase"), help="what git asks")
    p.set_defaults(func=run)


def parse_request(stream: TextIO) -> dict[str, str] | None:
    """git's request as a dict, or None when it is malformed (too long, a line without `=`)."""
    request: dict[str, str] = {}
    size = 0
    for line in stream:
        size += len(line)
        if size > MAX_INPUT:
            return None
        line = line.rstrip("\n")
        if not line:
            break
        key, sep, value = line.partition("=")
        if not sep or "\0" in line:
            return None
        request[key] = value
    return request


def split_host(host: str) -> str:
    """HOST:PORT (or [V6]:PORT) as git sends it -> the host name the keyring item has."""
    name, sep, port = host.rpartition(":")
    if sep and port.isdigit() and not name.endswith(":"):
        host = name
    return host[1:-1] if host.startswith("[") and host.endswith("]") else host


def run(args: argparse.Namespace, stdin: TextIO | None = None, out: TextIO | None = None) -> int:
    stdin = stdin or sys.stdin
    out = out or sys.stdout
    try:
        request = parse_request(stdin)
    except UnicodeDecodeError:
        request = None
    if request is None:
        print("relay-setup credential: malformed request on standard input", file=sys.stderr)
        return exitcodes.USAGE
    user = request.get("username", "")
    if request.get("protocol") != "smtp" or not user or not request.get("host"):
        return exitcodes.OK  # not ours: git asks its other helpers
    if args.action == "erase":
        # erase: left alone. The item is shared with every client set up (msmtp, mutt, aerc),
        # and git send-email rejects on any failed AUTH, even one that was not the password's
        # fault (its own TODO): `relay-setup password set|delete` changes it.
        return exitcodes.OK
    host = split_host(request["host"])

    from ..core.secrets import KeyringUnavailable, open_store
    from ..core.settings import Password

    try:
        store = open_store()
        stored = store.get(host, user)
        if args.action == "get":
            if stored is None:
                return exitcodes.OK
            if any(c in stored.reveal() for c in "\n\0"):
                print(
                    "relay-setup credential: the stored password holds a line break, "
                    "which git cannot take",
                    file=sys.stderr,
                )
                return exitcodes.KEYRING
            out.write(f"username={user}\npassword={stored.reveal()}\n")
        elif args.action == "store":
            given = Password(request.get("password", ""))
            if given and given != stored:
                store.set(host, user, given)
    except KeyringUnavailable as exc:
        print(f"relay-setup credential: {exc}", file=sys.stderr)
        return exitcodes.KEYRING
    return exitcodes.OK
