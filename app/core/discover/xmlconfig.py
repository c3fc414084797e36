"""A Mozilla autoconfig document (config-v1.1.xml) to discovery candidates: one per
`outgoingServer type="smtp"`, placeholders expanded. Shared by the network fetch and the
drop-in folder; parsed by org/autoconfig.parse_xml (DTDs and entities refused)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, replace

from .. import values
from ..org.autoconfig import parse_xml
from ..org.profiles import ProfileError
from ..results import TlsMode
from ..text import QT_TRANSLATE_NOOP, Text
from .model import Candidate, Origin, SourceFailure, as_text, said

# socketType -> what the candidate says; "plain" is kept so the search can say "autoconfig
# says plain" (the probe decides what is used, never with a password in the clear).
SOCKET_TYPES = {"SSL": TlsMode.IMPLICIT, "STARTTLS": TlsMode.STARTTLS, "plain": TlsMode.NONE}


class XmlConfigError(Exception):
    """The document as a whole is unusable; `reason` is for a person."""

    def __init__(self, reason: str | Text) -> None:
        super().__init__(str(reason))
        self.reason = str(reason)
        self.text = as_text(reason)


@dataclass(frozen=True)
class XmlCandidates:
    candidates: tuple[Candidate, ...]
    failures: tuple[SourceFailure, ...]  # outgoing servers left out, and why


def expand(text: str, email: str) -> str:
    """%EMAILADDRESS%, %EMAILLOCALPART% and %EMAILDOMAIN% filled in from `email`."""
    local, _, domain = email.rpartition("@")
    return (
        text.replace("%EMAILADDRESS%", email)
        .replace("%EMAILLOCALPART%", local)
        .replace("%EMAILDOMAIN%", domain)
    )


def candidates_from_xml(
    data: bytes, email: str, origin: Origin, source: str, *, authenticated: bool
) -> XmlCandidates:
    """Candidates in document order; XmlConfigError when the document itself is refused."""
    try:
        root = parse_xml(data, source)
    except ProfileError as exc:
        raise XmlConfigError(exc.why_text) from None
    if root.tag != "clientConfig":
        raise XmlConfigError(
            said(
                QT_TRANSLATE_NOOP(
                    "discover", "not a Mozilla autoconfig file (<{tag}>, no <clientConfig>)"
                ),
                tag=root.tag,
            )
        )
    candidates: list[Candidate] = []
    failures: list[SourceFailure] = []
    servers = root.findall("emailProvider/outgoingServer")
    for i, server in enumerate(servers):
        if server.get("type", "smtp") != "smtp":
            continue
        where = f"outgoingServer[{i}]"
        try:
            candidates.append(_candidate(server, email, origin, source, authenticated))
        except values.InvalidValue as exc:
            why = Text.of("", "{where}: {why}", where=where, why=exc.text)
            failures.append(SourceFailure(origin, source, why))
    if not candidates and not failures:
        none = QT_TRANSLATE_NOOP("discover", "no outgoing SMTP server in the file")
        failures.append(SourceFailure(origin, source, as_text(none)))
    ordered = (replace(c, order=n) for n, c in enumerate(candidates))
    return XmlCandidates(tuple(ordered), tuple(failures))


def _candidate(
    server: ET.Element, email: str, origin: Origin, source: str, authenticated: bool
) -> Candidate:
    def text(tag: str) -> str | None:
        child = server.find(tag)
        return (child.text or "").strip() or None if child is not None else None

    hostname = text("hostname")
    if hostname is None:
        raise values.InvalidValue(
            "hostname", "", Text.of("values", QT_TRANSLATE_NOOP("values", "is missing"))
        )
    host = values.host(expand(hostname, email), "hostname")
    port_text = text("port")
    port = values.port(port_text, "port") if port_text is not None else None
    socket_type = text("socketType")
    if socket_type is not None and socket_type not in SOCKET_TYPES:
        raise values.InvalidValue(
            "socketType",
            socket_type,
            Text.of("values", QT_TRANSLATE_NOOP("values", "is not SSL, STARTTLS or plain")),
        )
    said = [f"socketType {socket_type}" if socket_type else "no socketType"]
    username = text("username")
    if username is not None:
        said.append(f"username {values.user(expand(username, email), 'username')}")
    mechanisms = [(e.text or "").strip() for e in server.findall("authentication")]
    if mechanisms:
        said.append(f"authentication {'/'.join(mechanisms)}")
    return Candidate(
        host=host,
        origin=origin,
        port=port,
        tls=SOCKET_TYPES[socket_type] if socket_type else None,
        authenticated=authenticated,
        detail=f"{source} ({', '.join(said)})",
    )
