"""Organisation profiles: one TOML file from IT that says which relay, which ports and TLS modes,
which CA or pinned certificate, and how the username and From address follow from the address.

`load_profile` is the one loader; every problem it finds names the file, the key and why.
"""

from __future__ import annotations

import ipaddress
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import tomli_w

from .. import values
from ..cafile import MAX_CA_BYTES, CaFileError, check_ca_pem
from ..clients import CLIENTS
from ..localfiles import MIB, LocalFileError, read_local_file
from ..probe.port import ProbeOptions
from ..probe.relay import CancelToken, probe_relay, recommend, verdict_for
from ..probe.tls import normalize_fingerprint
from ..results import USABLE_MECHANISMS, PortResult, PortSpec, PortStatus, ProbeReport
from ..text import QT_TRANSLATE_NOOP, Text

# Placeholders of Mozilla autoconfig, so IT can reuse what they already publish.
PLACEHOLDERS = ("%EMAILADDRESS%", "%EMAILLOCALPART%", "%EMAILDOMAIN%")
# Fields a profile may forbid the user to change (the wizard greys them out).
LOCKABLE = ("host", "ports", "ca", "pin", "auth", "username", "from", "clients")
MAX_PROFILE_BYTES = MIB

_SCHEMA: dict[str, dict[str, type | tuple[type, ...]]] = {
    "organisation": {"name": str, "help_url": str, "help_email": str},
    "relay": {
        "host": str,
        "ports": list,
        "ca_file": str,
        "ca_pem": str,
        "pin_sha256": str,
        "auth": str,
    },
    "identity": {"username": str, "from": str, "domains": list},
    "clients": {"configure": list, "locked": list},
}
_PLACEHOLDER = re.compile(r"%[A-Z]+%")
_EMAIL = re.compile(r"^[^@\s\x00-\x1f\x7f]+@[a-z0-9-]+(\.[a-z0-9-]+)*$", re.IGNORECASE)


class ProfileError(Exception):
    """A profile that cannot be used: which file, which key, and why."""

    def __init__(self, source: str, key: str | None, why: str | Text) -> None:
        self.source = source
        self.key = key
        self.why = str(why)
        self.why_text = why if isinstance(why, Text) else Text("", why)  # for a window
        super().__init__(f"{source}: {key}: {why}" if key else f"{source}: {why}")


class InvalidEmail(ValueError):
    """The address the user typed cannot give a username (or is outside the profile's domains);
    `text` is the message for a window to translate (app/core/text.py)."""

    def __init__(self, text: Text) -> None:
        self.text = text
        super().__init__(str(text))


@dataclass(frozen=True)
class Identity:
    email: str
    user: str
    mail_from: str


@dataclass(frozen=True)
class Profile:
    organisation: str
    host: str | None  # None: discovered from the user's address (`apply` discovers)
    ports: tuple[PortSpec, ...]  # allowed ports, every one with TLS required
    ca_pem: str | None = None  # the private CA's certificate(s), PEM text
    pin_sha256: str | None = None  # AA:BB:.. ; a certificate that does not match is refused
    auth: str | None = None  # a forced mechanism (PLAIN, LOGIN, CRAM-MD5)
    username: str = "%EMAILADDRESS%"
    mail_from: str = "%EMAILADDRESS%"
    domains: tuple[str, ...] = ()  # addresses allowed (empty: any)
    clients: tuple[str, ...] = tuple(CLIENTS)
    locked: frozenset[str] = frozenset()
    help_url: str | None = None
    help_email: str | None = None
    source: str = field(default="<profile>", compare=False)

    def identity(self, email: str) -> Identity:
        """The username and From address for `email`, by the profile's rule."""
        email = email.strip()
        if not _EMAIL.match(email):
            raise InvalidEmail(
                Text.of(
                    "values",
                    QT_TRANSLATE_NOOP("values", "not an email address: {email}"),
                    email=repr(email),
                )
            )
        local, _, domain = email.rpartition("@")
        domain = domain.lower()
        if self.domains and domain not in self.domains:
            raise InvalidEmail(
                Text.of(
                    "values",
                    QT_TRANSLATE_NOOP(
                        "values", "{email} is not an address of {organisation} ({domains})"
                    ),
                    email=email,
                    organisation=self.organisation,
                    domains=", ".join("@" + d for d in self.domains),
                )
            )
        fields = {
            "%EMAILADDRESS%": f"{local}@{domain}",
            "%EMAILLOCALPART%": local,
            "%EMAILDOMAIN%": domain,
        }
        try:  # what the rule makes goes into settings files: the same checks as typed values
            return Identity(
                email=values.address(fields["%EMAILADDRESS%"], "email address"),
                user=values.user(_expand(self.username, fields), "username"),
                mail_from=values.address(_expand(self.mail_from, fields), "from address"),
            )
        except values.InvalidValue as exc:
            raise InvalidEmail(exc.text) from None

    def to_json(self) -> dict[str, Any]:
        return {
            "organisation": self.organisation,
            "source": self.source,
            "host": self.host,
            "ports": [
                {"port": p.port, "tls": "implicit" if p.implicit else "starttls"}
                for p in self.ports
            ],
            "ca": self.ca_pem is not None,
            "pin_sha256": self.pin_sha256,
            "auth": self.auth,
            "username": self.username,
            "from": self.mail_from,
            "domains": list(self.domains),
            "clients": list(self.clients),
            "locked": [name for name in LOCKABLE if name in self.locked],
            "help_url": self.help_url,
            "help_email": self.help_email,
        }


# -- a profile's security binds ------------------------------------------------------------------


def probe_profile(
    profile: Profile,
    ca_file: str | None = None,
    *,
    timeout: float = 5.0,
    deadline: float = 15.0,
    on_result: Callable[[PortResult], None] | None = None,
    cancel: CancelToken | None = None,
) -> ProbeReport:
    """Probe only the profile's ports, each with TLS required, and hold the result to it."""
    if profile.host is None:
        raise ValueError("the profile names no relay host: discover it from the address")
    options = ProbeOptions(
        timeout=timeout, deadline=deadline, ca_file=ca_file, pin_sha256=profile.pin_sha256
    )
    return bind_report(
        profile, probe_relay(profile.host, profile.ports, options, on_result, cancel)
    )


def bind_report(profile: Profile, report: ProbeReport) -> ProbeReport:
    """A port whose certificate is not the pinned one is refused even if a CA vouches for it
    (possible interception), and only a port offering the forced mechanism is recommended."""
    ports = tuple(bind_port(profile, r) for r in report.ports)
    candidates = [r for r in ports if profile.auth is None or profile.auth in r.usable_mechanisms]
    recommendation = recommend(candidates)
    if recommendation is not None and profile.auth is not None:
        recommendation = replace(recommendation, auth=(profile.auth,))
    cancelled = any(r.status is PortStatus.CANCELLED for r in ports)
    verdict = verdict_for(ports, recommendation, cancelled)
    return replace(report, ports=ports, recommended=recommendation, verdict=verdict)


def bind_port(profile: Profile, result: PortResult) -> PortResult:
    cert = result.certificate
    if (
        profile.pin_sha256 is None
        or result.status is not PortStatus.OK
        or cert is None
        or cert.sha256 == profile.pin_sha256
    ):
        return result
    return replace(
        result,
        status=PortStatus.CERTIFICATE,
        detail=f"the certificate ({cert.sha256}) is not the one the profile pins "
        f"({profile.pin_sha256}): possible interception, refused",
    )


def _expand(template: str, fields: Mapping[str, str]) -> str:
    # One pass: an address whose local part reads "%EMAILDOMAIN%" is not expanded again.
    return _PLACEHOLDER.sub(lambda m: fields.get(m.group(0), m.group(0)), template)


# -- loading -----------------------------------------------------------------------------------


def load_profile(path: str | Path) -> Profile:
    """Read and validate a profile; a CA file it names is read relative to it."""
    path = Path(path)
    source = str(path)
    try:
        raw = read_local_file(path, MAX_PROFILE_BYTES)
    except LocalFileError as exc:
        raise ProfileError(source, None, f"cannot read the profile: {exc.why}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ProfileError(source, None, "not UTF-8 text") from None
    return loads_profile(text, source, base_dir=path.parent)


def loads_profile(text: str, source: str = "<profile>", base_dir: Path | None = None) -> Profile:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(source, None, f"not valid TOML: {exc}") from None
    except RecursionError:  # tomllib recurses once per nested array or inline table
        raise ProfileError(source, None, "too deeply nested for a profile") from None
    return _ProfileReader(source, base_dir).profile(data)


class _ProfileReader:
    def __init__(self, source: str, base_dir: Path | None) -> None:
        self.source = source
        self.base_dir = base_dir

    def fail(self, key: str | None, why: str) -> ProfileError:
        return ProfileError(self.source, key, why)

    def profile(self, data: dict[str, Any]) -> Profile:
        for table, value in data.items():
            if table not in _SCHEMA:
                raise self.fail(table, f"unknown section (known: {', '.join(_SCHEMA)})")
            if not isinstance(value, dict):
                raise self.fail(table, "must be a [section]")
            for key, item in value.items():
                expected = _SCHEMA[table].get(key)
                if expected is None:
                    known = ", ".join(_SCHEMA[table])
                    raise self.fail(f"{table}.{key}", f"unknown key (known: {known})")
                if not isinstance(item, expected):
                    kind = "a list" if expected is list else "a string"
                    raise self.fail(f"{table}.{key}", f"must be {kind}")
        org = data.get("organisation", {})
        relay = data.get("relay", {})
        ident = data.get("identity", {})
        clients = data.get("clients", {})
        if "ca_file" in relay and "ca_pem" in relay:
            raise self.fail("relay.ca_pem", "give the CA either as ca_file or ca_pem, not both")
        locked = self.names("clients.locked", clients.get("locked", []), LOCKABLE)
        return Profile(
            organisation=self.text("organisation.name", org.get("name")),
            host=self.host(relay["host"]) if "host" in relay else None,
            ports=self.ports(relay.get("ports")),
            ca_pem=self.ca(relay),
            pin_sha256=self.pin(relay.get("pin_sha256")),
            auth=self.auth(relay.get("auth")),
            username=self.template("identity.username", ident.get("username", PLACEHOLDERS[0])),
            mail_from=self.mail_from(ident.get("from", PLACEHOLDERS[0])),
            domains=tuple(d.lower() for d in self.domains(ident.get("domains", []))),
            clients=self.names(
                "clients.configure", clients.get("configure", list(CLIENTS)), CLIENTS
            ),
            locked=frozenset(locked),
            help_url=self.url(org.get("help_url")),
            help_email=self.optional_email("organisation.help_email", org.get("help_email")),
            source=self.source,
        )

    def text(self, key: str, value: str | None) -> str:
        if value is None:
            raise self.fail(key, "missing (required)")
        value = value.strip()
        if not value or any(ord(c) < 0x20 for c in value):
            raise self.fail(key, "must be one line of text")
        return value

    def host(self, value: str) -> str:
        text = self.text("relay.host", value)
        try:
            host = values.host(text)
        except values.InvalidValue as exc:
            raise self.fail("relay.host", f"{text!r}: {exc.why}") from None
        if _is_ip_address(host):
            raise self.fail(
                "relay.host",
                "give the DNS name on the relay's certificate, not an IP address "
                "(Alpine checks the certificate against the name)",
            )
        return host

    def ports(self, value: list[Any] | None) -> tuple[PortSpec, ...]:
        if not value:
            raise self.fail("relay.ports", 'missing: list the allowed ports, e.g. ["587/starttls"]')
        specs: list[PortSpec] = []
        for i, item in enumerate(value):
            key = f"relay.ports[{i}]"
            if isinstance(item, int) and not isinstance(item, bool):
                item = str(item)
            if not isinstance(item, str):
                raise self.fail(key, 'must be like "587/starttls" or "465/implicit"')
            mode = item.partition("/")[2]
            if mode in ("none", "plain"):
                raise self.fail(key, "a profile never allows a login without TLS")
            # A port of a profile always requires TLS: a missing STARTTLS is a downgrade.
            try:
                spec = PortSpec.parse(item)
            except ValueError as exc:
                raise self.fail(key, str(exc)) from None
            if not spec.implicit:
                spec = PortSpec(spec.port, implicit=False, require_tls=True)
            if any(s.port == spec.port for s in specs):
                raise self.fail(key, f"port {spec.port} is listed twice")
            specs.append(spec)
        return tuple(specs)

    def ca(self, relay: dict[str, Any]) -> str | None:
        if "ca_pem" in relay:
            return self.pem("relay.ca_pem", relay["ca_pem"])
        if "ca_file" not in relay:
            return None
        path = Path(relay["ca_file"])
        if not path.is_absolute() and self.base_dir is not None:
            path = self.base_dir / path
        try:
            data = read_local_file(path, MAX_CA_BYTES)
        except LocalFileError as exc:
            raise self.fail("relay.ca_file", f"cannot read {path}: {exc.why}") from None
        return self.pem("relay.ca_file", data)

    def pem(self, key: str, data: str | bytes) -> str:
        try:
            return check_ca_pem(data.encode() if isinstance(data, str) else data)
        except CaFileError as exc:
            raise self.fail(key, exc.why) from None

    def pin(self, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            return normalize_fingerprint(value)
        except ValueError as exc:
            raise self.fail("relay.pin_sha256", str(exc)) from None

    def auth(self, value: str | None) -> str | None:
        if value is None:
            return None
        mechanism = value.strip().upper()
        if mechanism not in USABLE_MECHANISMS:
            known = ", ".join(USABLE_MECHANISMS)
            raise self.fail("relay.auth", f"unsupported mechanism {value!r} (use {known})")
        return mechanism

    def template(self, key: str, value: str) -> str:
        value = self.text(key, value)
        for name in _PLACEHOLDER.findall(value):
            if name not in PLACEHOLDERS:
                raise self.fail(key, f"unknown placeholder {name} (use {', '.join(PLACEHOLDERS)})")
        return value

    def mail_from(self, value: str) -> str:
        value = self.template("identity.from", value)
        if "@" not in value and "%EMAILADDRESS%" not in value:
            raise self.fail("identity.from", "must give an address (e.g. %EMAILADDRESS%)")
        return value

    def domains(self, value: list[Any]) -> list[str]:
        for i, item in enumerate(value):
            if not isinstance(item, str) or not _EMAIL.match(f"x@{item}"):
                raise self.fail(f"identity.domains[{i}]", f"not a mail domain: {item!r}")
        return value

    def names(
        self, key: str, value: list[Any], known: Mapping[str, str] | tuple[str, ...]
    ) -> tuple[str, ...]:
        names: list[str] = []
        for i, item in enumerate(value):
            if item not in known:
                raise self.fail(f"{key}[{i}]", f"unknown name {item!r} (known: {', '.join(known)})")
            if item not in names:
                names.append(item)
        return tuple(names)

    def url(self, value: str | None) -> str | None:
        if value is None:
            return None
        value = self.text("organisation.help_url", value)
        if not value.startswith(("https://", "http://")):
            raise self.fail("organisation.help_url", "must start with https:// or http://")
        return value

    def optional_email(self, key: str, value: str | None) -> str | None:
        if value is None:
            return None
        value = self.text(key, value)
        if not _EMAIL.match(value):
            raise self.fail(key, f"not an email address: {value!r}")
        return value


def _is_ip_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


# -- writing -------------------------------------------------------------------------------------


def dumps_profile(profile: Profile) -> str:
    """The profile as TOML that `loads_profile` reads back to an equal profile (CA inline)."""
    org: dict[str, Any] = {"name": profile.organisation}
    if profile.help_url:
        org["help_url"] = profile.help_url
    if profile.help_email:
        org["help_email"] = profile.help_email
    relay: dict[str, Any] = {
        **({"host": profile.host} if profile.host else {}),
        "ports": [f"{p.port}/{'implicit' if p.implicit else 'starttls'}" for p in profile.ports],
    }
    if profile.ca_pem:
        relay["ca_pem"] = profile.ca_pem
    if profile.pin_sha256:
        relay["pin_sha256"] = profile.pin_sha256
    if profile.auth:
        relay["auth"] = profile.auth
    identity: dict[str, Any] = {"username": profile.username, "from": profile.mail_from}
    if profile.domains:
        identity["domains"] = list(profile.domains)
    clients: dict[str, Any] = {
        "configure": list(profile.clients),
        "locked": [name for name in LOCKABLE if name in profile.locked],
    }
    header = "# Relay Setup organisation profile (see the README, section Profiles)\n"
    document = {"organisation": org, "relay": relay, "identity": identity, "clients": clients}
    return header + tomli_w.dumps(document, multiline_strings=True)
