"""What the wizard's pages hand to each other, and what the wizard depends on from outside.

Plain Python (no Qt): the pages fill a WizardState; WizardOptions lets tests choose the runner,
the home folder the mail clients live in, the keyring, and short probe timeouts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.probe.relay import DEFAULT_PORTS
from ..core.results import PortResult, PortSpec, ProbeReport
from ..core.settings import Password, RelaySetting
from ..core.setup.setting import probed_setting

if TYPE_CHECKING:  # typing only: the keyring and the writers load when a page needs them
    from ..core.clients.safewrite import ApplyResult
    from ..core.discover.dns import Nameserver
    from ..core.org.profiles import Profile
    from ..core.probe.connection import AddressResolver
    from ..core.secrets import SecretStore
    from ..core.submit import LoginResult, SendResult


@dataclass(frozen=True)
class Prefill:
    """What the wizard starts with: a bundled profile, the demo relay, or nothing."""

    host: str = ""
    email: str = ""
    user: str = ""
    ports: tuple[PortSpec, ...] = DEFAULT_PORTS
    ca_file: str | None = None
    pin_sha256: str | None = None
    title: str | None = None  # the organisation's (or the demo's) name, shown on the Start page
    locked: frozenset[str] = frozenset()  # fields the user may not change: host, ports, ca_file
    user_is_email: bool = True  # the username is the email address (the usual rule)
    profile: Profile | None = None  # its rule gives username and From


@dataclass
class WizardOptions:
    timeout: float = 5.0  # probe: connect / read, per step
    deadline: float = 15.0  # probe: all ports together
    home: Path | None = None  # where the mail clients' settings live (None: the real home)
    open_store: Callable[[], SecretStore] | None = None  # None: app.core.secrets.open_store
    nameserver: Nameserver | None = None  # wizard --resolver: every name lookup goes there

    def address_resolver(self) -> AddressResolver | None:
        """Relay names to addresses through `nameserver`; None: the system's resolver."""
        if self.nameserver is None:
            return None
        from ..core.discover.dns import DnsClient  # dnspython: only when a server is given

        return DnsClient(self.nameserver)


@dataclass(frozen=True)
class CheckFailure:
    """What the diagnostics may say about a login check or test message that did not work: the
    kind, and the server's code and words. Never the exception itself, whose text is not ours."""

    kind: str
    code: int | None = None
    text: str = ""

    @classmethod
    def of(cls, error: BaseException) -> CheckFailure:
        from ..core.setup.steps import relay_error
        from ..core.submit import SubmitError

        error = relay_error(error)
        if isinstance(error, SubmitError):
            return cls(error.kind.value, error.code, error.text)
        return cls(type(error).__name__)

    def __str__(self) -> str:
        said = " ".join(part for part in (str(self.code or ""), self.text) if part)
        return f"{self.kind} ({said})" if said else self.kind


@dataclass
class WizardState:
    prefill: Prefill = field(default_factory=Prefill)
    host: str = ""
    email: str = ""
    user: str = ""
    mail_from: str | None = None  # when a profile's rule makes it differ from the email
    ports: tuple[PortSpec, ...] = DEFAULT_PORTS
    ca_file: str | None = None
    pin_sha256: str | None = None  # set only after the user (or profile) accepted a fingerprint
    report: ProbeReport | None = None
    chosen: PortResult | None = None
    password: Password | None = None  # in memory only, for the test message of this session
    remembered: bool = False  # the password went into the keyring
    keyring_note: str = ""
    login: LoginResult | None = None
    login_failure: CheckFailure | None = None  # the last check that did not work
    sent: SendResult | None = None
    send_failure: CheckFailure | None = None
    sent_to: str = ""
    client_versions: dict[str, str | None] = field(default_factory=dict)  # as found installed
    written: list[tuple[str, ApplyResult]] = field(default_factory=list)  # (client name, result)
    log: list[str] = field(default_factory=list)  # plain-words events, for the diagnostics

    @classmethod
    def start(cls, prefill: Prefill) -> WizardState:
        return cls(
            prefill=prefill,
            host=prefill.host,
            email=prefill.email,
            user=prefill.user,
            ports=prefill.ports,
            ca_file=prefill.ca_file,
            pin_sha256=prefill.pin_sha256,
        )

    def setting(self) -> RelaySetting:
        """The relay setting of the chosen port (call only once a usable port is chosen)."""
        chosen = self.chosen
        if chosen is None:
            raise RuntimeError("no port chosen yet")
        sender = self.mail_from or self.email or (self.user if "@" in self.user else None)
        return probed_setting(
            self.host,
            chosen,
            self.user,
            mail_from=sender,
            ca_file=self.ca_file,
            profile=self.prefill.profile,
        )
