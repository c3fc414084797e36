"""`relay-setup password set|delete`, `login` and `send-test`: the password in the OS keyring,
the login check and the test message. The password is read from a no-echo prompt or stdin only."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from typing import Any, TextIO

from .. import exitcodes
from ..core.cafile import check_ca_file
from ..core.results import USABLE_MECHANISMS, TlsMode
from ..core.secrets import InvalidEntry, KeyringUnavailable, SecretStore, open_store
from ..core.settings import (
    MAX_PASSWORD_BYTES,
    InvalidPassword,
    Password,
    RelaySetting,
    checked_password,
    password_from_line,
)
from ..core.setup import steps
from ..core.submit import LoginResult, SendResult
from .argtypes import (
    add_pin,
    add_resolver,
    address,
    host_name,
    path_text,
    port_number,
    positive_seconds,
    user_name,
)
from .output import CommandError, print_json, refuse
from .setting_args import setting_from


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    pw = sub.add_parser(
        "password",
        description="Store or delete the password for a (relay, user) in the OS keyring.",
    )
    actions = pw.add_subparsers(dest="action", metavar="ACTION", required=True)
    p = actions.add_parser("set", help="store the password (asked without echo, or from stdin)")
    _add_identity(p)
    _add_password_stdin(p)
    p.set_defaults(func=_guarded(run_set))
    p = actions.add_parser("delete", help="remove the stored password")
    _add_identity(p)
    p.set_defaults(func=_guarded(run_delete))

    p = sub.add_parser(
        "login",
        description="Log in to the relay over TLS with the password from the keyring (or "
        "stdin) and log out again. Never sends the password without TLS.",
    )
    _add_connection(p)
    p.add_argument(
        "--save", action="store_true", help="store the password in the keyring if it works"
    )
    p.set_defaults(func=_guarded(run_login))

    p = sub.add_parser(
        "send-test",
        description="Log in as `login` does, then send a short test message and show the "
        "server's reply, the queue id and the Message-ID: the evidence to show IT.",
    )
    _add_connection(p)
    p.add_argument(
        "--from", dest="mail_from", type=address, metavar="ADDR", help="sender (default: --user)"
    )
    p.add_argument("--to", type=address, metavar="ADDR", help="recipient (default: the sender)")
    p.set_defaults(func=_guarded(run_send_test))


def _add_identity(p: argparse.ArgumentParser) -> None:
    p.add_argument("--host", required=True, type=host_name, help="the relay's host name")
    p.add_argument("--user", required=True, type=user_name, help="the login name at the relay")


def _add_password_stdin(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from the first line of standard input (for scripts)",
    )


def _add_connection(p: argparse.ArgumentParser) -> None:
    _add_identity(p)
    p.add_argument("--port", type=port_number, help="default 465 with implicit TLS, else 587")
    p.add_argument(
        "--tls",
        choices=[TlsMode.STARTTLS.value, TlsMode.IMPLICIT.value],
        help="starttls or implicit (default: implicit on 465, else starttls)",
    )
    p.add_argument(
        "--ca", type=path_text, metavar="FILE", help="the organisation's private CA (PEM)"
    )
    add_pin(p, help="accept exactly the certificate with this SHA-256 fingerprint (AA:BB:...)")
    p.add_argument(
        "--auth",
        type=str.upper,
        choices=USABLE_MECHANISMS,
        help="force a login mechanism (default: the best one offered after TLS)",
    )
    p.add_argument("--timeout", type=positive_seconds, default=5.0, metavar="S")
    p.add_argument("--deadline", type=positive_seconds, default=30.0, metavar="S")
    add_resolver(p)
    _add_password_stdin(p)
    p.add_argument("--json", action="store_true", help="print one JSON object")


def _guarded(command: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Turn the commands' expected failures into a message on stderr and an exit status."""

    def run(args: argparse.Namespace) -> int:
        try:
            return command(args)
        except CommandError as stop:
            return refuse(args, str(stop), stop.status)
        except KeyringUnavailable as exc:
            return refuse(args, str(exc), exitcodes.KEYRING)
        except (InvalidPassword, InvalidEntry) as exc:
            return refuse(args, str(exc), exitcodes.USAGE)

    return run


# -- the password -----------------------------------------------------------------------------


def _on_terminal() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def password_from_stdin() -> Password:
    """The first line of standard input, read as bytes so that bytes which are not UTF-8 are
    refused (InvalidPassword) rather than decoded by the locale's rules; one line only, capped."""
    stream = sys.stdin
    if stream is None:
        raw = b""
    elif (buffer := getattr(stream, "buffer", None)) is not None:
        raw = buffer.readline(MAX_PASSWORD_BYTES + 2)  # + the line end
    else:  # a text stream without bytes underneath (tests)
        raw = stream.readline(MAX_PASSWORD_BYTES + 2).encode("utf-8", "surrogateescape")
    if not raw.strip(b"\r\n"):
        raise InvalidPassword("no password on standard input")
    return password_from_line(raw)


def read_password(args: argparse.Namespace, *, confirm: bool = False) -> Password:
    """From stdin's first line (--password-stdin) or a no-echo prompt; never from argv/env."""
    if args.password_stdin:
        return password_from_stdin()
    if not _on_terminal():
        raise CommandError(
            "no terminal to ask for the password: use --password-stdin", exitcodes.USAGE
        )
    typed = _ask(f"Password for {args.user} at {args.host}: ")
    if not typed:
        raise CommandError("no password given", exitcodes.USAGE)
    if confirm and _ask("The same password again: ") != typed:
        raise CommandError("the two passwords differ: nothing stored", exitcodes.USAGE)
    return checked_password(typed)


def _ask(prompt: str) -> Password:
    try:
        return Password(getpass.getpass(prompt))
    except UnicodeDecodeError:  # the terminal sent bytes its encoding does not decode
        raise InvalidPassword("the password is not valid UTF-8 text") from None


def run_set(args: argparse.Namespace) -> int:
    store = open_store()  # first: no point asking for a password we cannot keep
    store.set(args.host, args.user, read_password(args, confirm=True))
    print(f"Stored the password for {args.user} at {args.host} in {store.backend_name}.")
    return exitcodes.OK


def run_delete(args: argparse.Namespace) -> int:
    store = open_store()
    if store.delete(args.host, args.user):
        print(f"Deleted the password for {args.user} at {args.host} from {store.backend_name}.")
    else:
        print(f"No password was stored for {args.user} at {args.host}: nothing to delete.")
    return exitcodes.OK


def _password_for(args: argparse.Namespace) -> tuple[Password, SecretStore | None]:
    """The password to log in with, and the store it came from (None: typed or piped)."""
    if args.password_stdin:
        return read_password(args), None
    try:
        store = open_store()
        stored = store.get(args.host, args.user)
    except KeyringUnavailable as exc:
        if not _on_terminal():
            raise CommandError(f"{exc}; or use --password-stdin", exitcodes.KEYRING) from None
        store, stored = None, None
    if stored is not None:
        return stored, store
    if not _on_terminal():
        raise CommandError(
            f"no password stored for {args.user} at {args.host}: run `relay-setup password "
            f"set --host {args.host} --user {args.user}` or use --password-stdin",
            exitcodes.KEYRING,
        )
    return read_password(args), None


# -- login and test message -------------------------------------------------------------------


def run_login(args: argparse.Namespace) -> int:
    return _submit(args, send=False)


def run_send_test(args: argparse.Namespace) -> int:
    return _submit(args, send=True)


def _submit(args: argparse.Namespace, *, send: bool) -> int:
    problem = check_ca_file(args.ca)
    if problem:
        raise CommandError(problem, exitcodes.USAGE)
    setting = setting_from(args)
    password, source = _password_for(args)
    out = sys.stdout
    if not args.json:
        print(f"Logging in to {describe_setting(setting)} ...", file=out)
    # No --tls on a port other than 465: STARTTLS, or implicit TLS if it never greets (as probe).
    fallback = args.tls is None and setting.tls is TlsMode.STARTTLS
    resolver = None
    if args.resolver is not None:
        from ..core.discover.dns import DnsClient

        resolver = DnsClient(args.resolver)
    try:
        if send:
            sent, _ = steps.send_test(
                setting,
                password,
                to=args.to,
                timeout=args.timeout,
                deadline=args.deadline,
                implicit_fallback=fallback,
                resolver=resolver,
            )
            login = sent.login
        else:
            login, _ = steps.login(
                setting,
                password,
                timeout=args.timeout,
                deadline=args.deadline,
                implicit_fallback=fallback,
                resolver=resolver,
            )
    except steps.StepFailed as stop:
        assert stop.cause is not None  # the relay's refusal
        if args.json:
            print_json({"ok": False, "error": stop.cause.to_json()}, out)
        else:
            print(
                f"relay-setup: {'sending' if send else 'login'} failed: {stop.cause}",
                file=sys.stderr,
            )
        return exitcodes.FOR_SUBMIT_ERROR[stop.cause.kind]
    # Only a password that was typed or piped is stored (--save), and only once it worked.
    save = getattr(args, "save", False) and source is None
    save_problem = ""
    if save:
        try:
            steps.keep_password(setting, password)
        except steps.StepFailed as stop:
            save_problem = stop.message
    if save_problem:
        save_problem = f"login works, but the password was not stored: {save_problem}"
    if args.json:
        result: dict[str, Any] = {"ok": True, "login": login.to_json()}
        if send:
            result["sent"] = sent.to_json()
        if save_problem:  # still one object: the login's evidence and why nothing was kept
            result |= {"ok": False, "failure": "keyring", "message": save_problem}
        print_json(result | {"saved": save and not save_problem}, out)
    else:
        print_login(login, out)
        if send:
            print_sent(sent, out)
        if save and not save_problem:
            print(f"Stored the password for {setting.user} at {setting.host} in the keyring.")
        if save_problem:
            print(f"relay-setup: {save_problem}", file=sys.stderr)
    return exitcodes.KEYRING if save_problem else exitcodes.OK


def describe_setting(setting: RelaySetting) -> str:
    mode = "implicit TLS" if setting.tls is TlsMode.IMPLICIT else "STARTTLS"
    return f"{setting.host} port {setting.port} ({mode}) as {setting.user}"


def print_login(login: LoginResult, out: TextIO) -> None:
    if login.implicit_fallback:
        print(
            f"Port {login.port} sent no greeting in clear but speaks implicit TLS: "
            "use --tls implicit with it.",
            file=out,
        )
    trust = "certificate pinned" if login.pinned else "certificate verified"
    print(
        f"Login accepted: {login.mechanism} over {login.tls_version} ({trust}); "
        f"the server said {login.reply}",
        file=out,
    )


def print_sent(sent: SendResult, out: TextIO) -> None:
    print(f"Test message sent from {sent.mail_from} to {sent.to}.", file=out)
    print(f"  server's reply: {sent.reply}", file=out)
    if sent.queue_id:
        print(f"  queue id:       {sent.queue_id}  (IT finds it in the relay's log)", file=out)
    print(f"  Message-ID:     {sent.message_id}", file=out)
