"""Mozilla autoconfig (config-v1.1.xml) to and from a profile: only the `outgoingServer` part,
so IT can reuse what they already publish for Thunderbird.

The XML comes from outside: a document type or entity declaration is refused outright
(billion laughs, external entities), and so is anything over a size no real file reaches.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from xml.parsers import expat

from ..localfiles import MIB, LocalFileError, read_local_file
from ..results import PortSpec
from ..text import QT_TRANSLATE_NOOP, Text
from .profiles import Profile, ProfileError, dumps_profile, loads_profile

MAX_XML_BYTES = MIB
# socketType -> implicit TLS?  ("plain" is never imported: no password without TLS)
_SOCKET_TYPES = {"SSL": True, "STARTTLS": False}
# authentication -> forced mechanism (None: any password mechanism, over TLS)
_AUTHENTICATIONS = {"password-cleartext": None, "plain": None, "password-encrypted": "CRAM-MD5"}


@dataclass(frozen=True)
class ImportResult:
    profile: Profile
    skipped: tuple[str, ...]  # outgoing servers left out, and why


def parse_xml(data: bytes, source: str) -> ET.Element:
    """Parse untrusted XML with expat directly, refusing DTDs and entity declarations."""
    if len(data) > MAX_XML_BYTES:
        raise ProfileError(source, None, "too large for an autoconfig file")
    builder = ET.TreeBuilder()
    parser = expat.ParserCreate()

    def refuse(*_: object) -> None:
        raise ProfileError(source, None, "has a document type or entity declaration: refused")

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse  # type: ignore[assignment]
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartElementHandler = builder.start
    parser.EndElementHandler = builder.end
    parser.CharacterDataHandler = builder.data
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        why = Text.of(
            "discover",
            QT_TRANSLATE_NOOP("discover", "not well-formed XML: {error}"),
            error=str(exc),
        )
        raise ProfileError(source, None, why) from None
    return builder.close()


def _text(element: ET.Element, tag: str) -> str | None:
    child = element.find(tag)
    if child is None or child.text is None:
        return None
    return child.text.strip() or None


def _is_port(text: str) -> bool:
    return text.isascii() and text.isdigit() and 0 < int(text) < 65536


def import_autoconfig(path: str | Path) -> ImportResult:
    try:
        data = read_local_file(path, MAX_XML_BYTES)
    except LocalFileError as exc:
        raise ProfileError(str(path), None, f"cannot read: {exc.why}") from None
    return imports_autoconfig(data, str(path))


def imports_autoconfig(data: bytes, source: str = "<autoconfig>") -> ImportResult:
    """A profile from config-v1.1.xml: its SMTP servers with TLS, their host, the username rule,
    the domains and the documentation link."""
    root = parse_xml(data, source)
    if root.tag != "clientConfig":
        raise ProfileError(source, root.tag, "not a Mozilla autoconfig file (no <clientConfig>)")
    provider = root.find("emailProvider")
    if provider is None:
        raise ProfileError(source, "clientConfig", "no <emailProvider>")
    host: str | None = None
    username: str | None = None
    auth: str | None = None
    ports: list[str] = []
    skipped: list[str] = []
    for i, server in enumerate(provider.findall("outgoingServer")):
        where = f"outgoingServer[{i}]"
        hostname = (_text(server, "hostname") or "").lower()
        port = _text(server, "port")
        socket_type = _text(server, "socketType") or ""
        mechanisms = [(e.text or "").strip() for e in server.findall("authentication")]
        usable = [m for m in mechanisms if m in _AUTHENTICATIONS]
        if server.get("type", "smtp") != "smtp":
            skipped.append(f"{where}: type {server.get('type')!r} is not smtp")
        elif not hostname or not port:
            skipped.append(f"{where}: no hostname or port")
        elif not _is_port(port):
            skipped.append(f"{where}: port {port!r} is not a port number (1-65535)")
        elif socket_type not in _SOCKET_TYPES:
            skipped.append(f"{where}: socketType {socket_type or 'missing'}: no TLS, never used")
        elif not usable:
            skipped.append(f"{where}: no password authentication ({', '.join(mechanisms)})")
        elif host is not None and hostname != host:
            skipped.append(f"{where}: another host ({hostname}); a profile has one relay")
        else:
            host = hostname
            username = username or _text(server, "username")
            auth = auth if ports else _AUTHENTICATIONS[usable[0]]
            ports.append(f"{port}/{'implicit' if _SOCKET_TYPES[socket_type] else 'starttls'}")
    if host is None:
        detail = "; ".join(skipped) or "none listed"
        raise ProfileError(source, "outgoingServer", f"no usable SMTP server ({detail})")
    domains = [d.text.strip().lower() for d in provider.findall("domain") if d.text]
    name = _text(provider, "displayName") or provider.get("id") or host
    docs = provider.find("documentation")
    help_url = docs.get("url") if docs is not None else None
    # Built as TOML and read back by the one loader, so an import is validated like any profile.
    draft = Profile(
        organisation=name,
        host=host,
        ports=tuple(PortSpec.parse(p) for p in ports),
        auth=auth,
        username=username or "%EMAILADDRESS%",
        domains=tuple(domains),
        help_url=help_url,
    )
    profile = loads_profile(dumps_profile(draft), source)
    return ImportResult(profile, tuple(skipped))


def export_autoconfig(profile: Profile) -> str:
    """config-v1.1.xml with one `outgoingServer` per allowed port, best first. Raises
    ValueError for a profile that names no host (autoconfig needs one)."""
    if profile.host is None:
        raise ValueError("the profile names no relay host: autoconfig needs one")
    domains = profile.domains or (profile.host.partition(".")[2] or profile.host,)
    root = ET.Element("clientConfig", version="1.1")
    provider = ET.SubElement(root, "emailProvider", id=domains[0])
    for domain in domains:
        ET.SubElement(provider, "domain").text = domain
    ET.SubElement(provider, "displayName").text = profile.organisation
    for spec in sorted(profile.ports, key=lambda s: not s.implicit):
        server = ET.SubElement(provider, "outgoingServer", type="smtp")
        ET.SubElement(server, "hostname").text = profile.host
        ET.SubElement(server, "port").text = str(spec.port)
        ET.SubElement(server, "socketType").text = "SSL" if spec.implicit else "STARTTLS"
        method = "password-encrypted" if profile.auth == "CRAM-MD5" else "password-cleartext"
        ET.SubElement(server, "authentication").text = method
        ET.SubElement(server, "username").text = profile.username
    if profile.help_url:
        docs = ET.SubElement(provider, "documentation", url=profile.help_url)
        ET.SubElement(docs, "descr", lang="en").text = f"{profile.organisation}: mail help"
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"
