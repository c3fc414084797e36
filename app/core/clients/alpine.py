"""Alpine: the `smtp-server` list of its pinerc, the From address (a `From:` item of its
`customized-hdrs` list), and the private CA in the certificate file Alpine 2.24+ trusts
(`~/.alpine-certs/certs.pem`). Alpine asks for the password itself."""

from __future__ import annotations

import email.utils
import ipaddress
import os
import re
import shutil
import subprocess
from pathlib import Path

from ..results import TlsMode
from ..settings import RelaySetting
from ..text import QT_TRANSLATE_NOOP, Remedy, Text
from ..values import control_character
from . import pinerc
from .base import (
    ClientError,
    ClientInfo,
    ClientSettings,
    ConfigParseError,
    FileChange,
    Plan,
    home_dir,
    note,
    read_existing,
)

NAME = "alpine"
VARIABLE = "smtp-server"
HEADERS_VARIABLE = "customized-hdrs"  # Alpine's documented way to set the whole From address
CERTS_VARIABLE = "user-certs-file"  # Alpine's own name for the file of certificates it trusts
_AUTH = {"PLAIN": "plain", "LOGIN": "login", "CRAM-MD5": "cram-md5"}
_ATOMS = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~ -]+")  # a display name needing no quotes
_ADDRESS = re.compile(r'[^\s@<>()\[\],;:\\"]+@[^\s@<>()\[\],;:\\"]+')  # nothing to quote
_HOST = re.compile(r"[A-Za-z0-9.-]+")  # what smtp-server can carry as a host, unquoted
_USER_REFUSED = '"\\,{}'  # no escape that both c-client's /user= and pinerc's lists read alike
_PEM = re.compile(rb"-----BEGIN CERTIFICATE-----(.+?)-----END CERTIFICATE-----", re.DOTALL)


def pinerc_path(home: Path | None = None, config: Path | None = None) -> Path:
    """`--config`, else $PINERC (only for the real user), else ~/.pinerc."""
    if config is not None:
        return config
    if home is None and os.environ.get("PINERC"):
        return Path(os.environ["PINERC"])
    return home_dir(home) / ".pinerc"


def _host_of(entry: str) -> str:
    """The host of an smtp-server item: `host[:port][/switch...]`, IPv6 in brackets."""
    address = entry.strip().strip("{}").split("/", 1)[0]
    if address.startswith("["):
        return address[1 : address.find("]")].lower()
    return address.rsplit(":", 1)[0].lower()


def smtp_entry(relay: RelaySetting) -> str:
    """Our smtp-server item: host:port, /tls (STARTTLS) or /ssl (implicit TLS), /user=."""
    host = relay.host.strip()
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        pass
    else:
        raise ClientError(
            Text.of(
                "clients",
                QT_TRANSLATE_NOOP(
                    "clients",
                    "{host} is an IP address: Alpine checks the relay's certificate against the "
                    "host NAME and fails on an address (even one the certificate lists); give the "
                    "relay's DNS name",
                ),
                host=host,
            )
        )
    if not _HOST.fullmatch(host):
        # `/novalidate-cert`, `:port`, `}` or `,` in a host would be switches, another port or
        # another server to Alpine (the host validator refuses them first; this is the backstop).
        raise ClientError(f"{host!r} cannot go into Alpine's smtp-server: not a plain host name")
    if relay.tls is TlsMode.NONE:
        raise ClientError(
            Text(
                "clients",
                QT_TRANSLATE_NOOP(
                    "clients", "Alpine is only set up for TLS (implicit or STARTTLS)"
                ),
            )
        )
    if any(c in relay.user for c in _USER_REFUSED) or control_character(relay.user):
        raise ClientError(
            "a user name with quotes, backslashes, commas, braces or control characters cannot "
            f"go in pinerc: {relay.user!r}"
        )
    # c-client ends an unquoted /user= value at `/` or `:`; quoted, it runs to the next quote.
    user = f'"{relay.user}"' if any(c in relay.user for c in "/:= ") else relay.user
    switch = "ssl" if relay.tls is TlsMode.IMPLICIT else "tls"
    entry = f"{host}:{relay.port}/{switch}/user={user}"
    if relay.auth:
        mechanism = _AUTH.get(relay.auth.upper())
        if mechanism is None:
            raise ClientError(
                note(
                    QT_TRANSLATE_NOOP("clients", "Alpine cannot use the AUTH mechanism {auth}"),
                    auth=relay.auth,
                )
            )
        entry += f"/auth={mechanism}"
    return entry


def _header(item: str) -> tuple[str, str]:
    """A customized-hdrs item `Tag: value` as (lower-case tag, value)."""
    tag, _, value = item.partition(":")
    return tag.strip().lower(), value.strip()


def _display_name(name: str) -> str | None:
    """A name as it can stand before <address> in a pinerc list item: Alpine splits its lists
    at every comma and has no escape, so a name with a comma, quote or backslash is left out."""
    name = name.strip()
    if not name or any(c in name for c in ',"\\') or not name.isprintable():
        return None
    return name if _ATOMS.fullmatch(name) else f'"{name}"'


def from_item(sender: str, name: str | None = None) -> str:
    """The `From:` item of customized-hdrs: `From: Name <sender>`, or `From: sender`."""
    if not _ADDRESS.fullmatch(sender):
        raise ClientError(f"Alpine cannot send From {sender!r}: not a plain e-mail address")
    shown = _display_name(name) if name else None
    return f"From: {shown} <{sender}>" if shown else f"From: {sender}"


def merge_headers(
    items: tuple[str, ...], sender: str, personal_name: str | None = None
) -> tuple[str, ...]:
    """customized-hdrs with a From of `sender`; the user's other headers stay, in order.
    A From already of this address stays as the user wrote it. Another From (a relay checking
    the sender against the login refuses it) is replaced in its place, keeping its display
    name; with no From, ours goes first, named by pinerc's personal-name."""
    froms = [i for i, item in enumerate(items) if _header(item)[0] == "from"]
    if not froms:
        return (from_item(sender, personal_name), *items)
    name, address = email.utils.parseaddr(_header(items[froms[0]])[1])
    if address.lower() == sender.lower():
        return items  # Alpine uses the first From; any later one is the user's business
    ours = from_item(sender, name or personal_name)
    return tuple(
        ours if i == froms[0] else item for i, item in enumerate(items) if i not in froms[1:]
    )


def _sends_as(relay: RelaySetting) -> str | None:
    """The address to send From, if the setting has one (a bare login name is not)."""
    return relay.sender if "@" in relay.sender else None


def merge_pinerc(text: str, relay: RelaySetting) -> str:
    """Our relay first in smtp-server (Alpine tries the items in order); other items of the same
    host are dropped (they are older settings of this relay), other hosts' items kept after it.
    And From the relay setting's sender: Alpine's own default (Unix user @ user-domain) is not
    an address a relay checking the sender against the login accepts."""
    ours = smtp_entry(relay)
    host = _host_of(ours)
    variables = pinerc.parse(text)
    existing = pinerc.current(variables, VARIABLE)
    rest = tuple(item for item in existing if _host_of(item) != host)
    text = pinerc.set_list(text, VARIABLE, (ours, *rest))
    sender = _sends_as(relay)
    if sender is None:
        return text  # Alpine keeps its own From (the plan says so)
    names = pinerc.current(variables, "personal-name")
    headers = merge_headers(
        pinerc.current(variables, HEADERS_VARIABLE),
        sender,
        names[0] if len(names) == 1 else None,  # more items: the name held a comma
    )
    return pinerc.set_list(text, HEADERS_VARIABLE, headers)


def merge_certs(bundle: bytes | None, ca_pem: bytes) -> bytes:
    """The certificate file with the CA added, unless it already holds it (same base64)."""

    def blocks(data: bytes) -> set[bytes]:
        return {re.sub(rb"\s+", b"", m.group(1)) for m in _PEM.finditer(data)}

    new_blocks = blocks(ca_pem)
    if not new_blocks:
        raise ClientError("the CA file holds no PEM certificate")
    old = bundle or b""
    if new_blocks <= blocks(old):
        return old
    separator = b"" if not old or old.endswith(b"\n") else b"\n"
    return old + separator + ca_pem.strip() + b"\n"


def certs_path(variables: list[pinerc.Variable], home: Path | None) -> Path:
    """Alpine reads the first existing file of `user-certs-file`, default ~/.alpine-certs/..."""
    for item in pinerc.current(variables, CERTS_VARIABLE):
        path = Path(os.path.expanduser(item.strip('"'))) if home is None else Path(item)
        if path.exists():
            return path
    return home_dir(home) / ".alpine-certs" / "certs.pem"


def version(timeout: float = 5.0) -> str | None:
    """`alpine -v` prints `Alpine 2.26 (...)` and exits without reading any file."""
    program = shutil.which("alpine")
    if program is None:
        return None
    try:
        out = subprocess.run(
            [program, "-v"],
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.search(r"Alpine\s+(\d+(?:\.\d+)+)", out)
    return match.group(1) if match else None


def running_pids() -> tuple[int, ...]:
    """Alpine processes of this user (Linux /proc; elsewhere none are seen)."""
    pids = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            if (entry / "comm").read_text().strip() == "alpine" and entry.stat().st_uid == (
                os.getuid()
            ):
                pids.append(int(entry.name))
        except OSError:
            continue
    return tuple(sorted(pids))


def _running_note(pids: tuple[int, ...]) -> tuple[Text, ...]:
    if not pids:
        return ()
    return (
        note(
            QT_TRANSLATE_NOOP(
                "clients",
                "Alpine is running (pid {pids}): it will not save its pinerc after we change it, "
                "and may overwrite our change. Quit Alpine, then start it again.",
            ),
            pids=", ".join(map(str, pids)),
        ),
    )


def detect(home: Path | None = None, config: Path | None = None) -> ClientInfo:
    found = version()
    pids = running_pids()
    notes = _running_note(pids)
    if found and tuple(int(p) for p in found.split(".")[:2]) < (2, 24):
        notes += (
            note(
                QT_TRANSLATE_NOOP(
                    "clients",
                    "Alpine {version} predates ~/.alpine-certs (2.24): use SSL_CERT_FILE for a CA",
                ),
                version=found,
            ),
        )
    return ClientInfo(
        name=NAME,
        installed=shutil.which("alpine") is not None,
        version=found,
        config_path=pinerc_path(home, config),
        running=bool(pids),
        notes=notes,
    )


def _utf8_text(path: Path, data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ConfigParseError(path, line, "not UTF-8 text") from None


def plan(
    settings: ClientSettings,
    config: Path | None = None,
    home: Path | None = None,
    **options: str | None,
) -> Plan:
    relay = settings.relay
    if relay.pin_sha256 and settings.ca_file is None:
        raise ClientError(
            Text.of(
                "clients",
                QT_TRANSLATE_NOOP(
                    "clients",
                    "Alpine cannot pin a certificate fingerprint: it needs the certificate to "
                    "verify ({ca})",
                ),
                ca=Remedy.CHOOSE_CA,
            )
        )
    path = pinerc_path(home, config)
    old = read_existing(path)
    text = _utf8_text(path, old) if old is not None else ""
    try:
        variables = pinerc.parse(text)
        new_text = merge_pinerc(text, relay)
    except pinerc.PinercSyntaxError as exc:
        raise ConfigParseError(path, exc.line, exc.why) from None
    changes = [FileChange(path, old, new_text.encode("utf-8"), mode=0o600)]
    notes = [
        note(
            QT_TRANSLATE_NOOP(
                "clients",
                "Alpine sends through {server}; it asks for the password on the first send.",
            ),
            server=smtp_entry(relay),
        ),
        (
            note(
                QT_TRANSLATE_NOOP(
                    "clients",
                    "Alpine sends From {sender} ({variable}); its roles may still set another "
                    "From.",
                ),
                sender=relay.sender,
                variable=HEADERS_VARIABLE,
            )
            if _sends_as(relay)
            else note(
                QT_TRANSLATE_NOOP(
                    "clients",
                    "No From address ({user} is not one): Alpine keeps its own From, which a "
                    "relay checking the sender against the login refuses; {sender}.",
                ),
                user=relay.user,
                sender=Remedy.GIVE_FROM,
            )
        ),
        *_running_note(running_pids()),
    ]
    if settings.ca_file is not None:
        target = certs_path(variables, home)
        bundle = read_existing(target)
        try:
            ca_pem = settings.ca_pem or settings.ca_file.read_bytes()
        except OSError as exc:
            raise ClientError(
                note(
                    QT_TRANSLATE_NOOP("clients", "cannot read the CA file {path}: {error}"),
                    path=str(settings.ca_file),
                    error=str(exc),
                )
            ) from None
        changes.append(FileChange(target, bundle, merge_certs(bundle, ca_pem), mode=0o644))
        notes.append(
            note(
                QT_TRANSLATE_NOOP(
                    "clients",
                    "The organisation's CA goes into {target}, which Alpine 2.24+ trusts; older "
                    "Alpine needs SSL_CERT_FILE={ca}.",
                ),
                target=str(target),
                ca=str(settings.ca_file),
            )
        )
    return Plan(client=NAME, changes=tuple(changes), notes=tuple(notes))
