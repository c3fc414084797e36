"""The one place a RelaySetting is made: from a port the probe found (with the pin rule and a
profile's binds), or from what the user typed (with the port and TLS defaults)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..results import PortResult, TlsMode
from ..settings import RelaySetting

if TYPE_CHECKING:
    from ..org.profiles import Identity, Profile


def accepted_pin(result: PortResult, profile: Profile | None = None) -> str | None:
    """The fingerprint every later connection must see. A profile's pin binds every connection
    (the login and the mail clients accept that certificate only, even one a CA vouches for);
    otherwise the certificate accepted by its fingerprint, by the probe's own rule."""
    if profile is not None and profile.pin_sha256 is not None:
        return profile.pin_sha256
    from ..probe.relay import recommend  # here: a typed setting needs no probe code loaded

    chosen = recommend((result,))
    return chosen.pinned_sha256 if chosen is not None else None


def probed_setting(
    host: str,
    result: PortResult,
    user: str,
    *,
    mail_from: str | None = None,
    ca_file: str | None = None,
    profile: Profile | None = None,
) -> RelaySetting:
    """The setting for a port the probe found usable; a profile forces its mechanism and pin."""
    return RelaySetting(
        host=host,
        port=result.port,
        tls=result.tls,
        user=user,
        mail_from=mail_from,
        auth=profile.auth if profile is not None else None,
        ca_file=ca_file,
        pin_sha256=accepted_pin(result, profile),
    )


def typed_setting(
    host: str,
    user: str,
    *,
    port: int | None = None,
    tls: TlsMode | None = None,
    mail_from: str | None = None,
    auth: str | None = None,
    ca_file: str | None = None,
    pin_sha256: str | None = None,
) -> RelaySetting:
    """The setting the user typed: with no TLS mode, implicit TLS on 465 (or no port), else
    STARTTLS; with no port, 465 for implicit TLS, else 587."""
    if tls is None:
        tls = TlsMode.IMPLICIT if port in (None, 465) else TlsMode.STARTTLS
    if port is None:
        port = 465 if tls is TlsMode.IMPLICIT else 587
    return RelaySetting(
        host=host,
        port=port,
        tls=tls,
        user=user,
        mail_from=mail_from,
        auth=auth,
        ca_file=ca_file,
        pin_sha256=pin_sha256,
    )


def held_to(profile: Profile | None, result: PortResult) -> PortResult:
    """One port's result judged by the profile as the whole report is (a certificate other than
    the pinned one is refused), so a streamed row never shows "answers" for it."""
    if profile is None:
        return result
    from ..org.profiles import bind_port

    return bind_port(profile, result)


def profile_setting(
    profile: Profile,
    identity: Identity,
    result: PortResult,
    ca_file: str | None = None,
    *,
    host: str | None = None,
) -> RelaySetting:
    """The setting a profile gives this user on a port the probe found usable; `host` is the
    discovered relay where the profile names none."""
    host = host or profile.host
    if host is None:
        raise ValueError("no relay host: the profile names none and none was discovered")
    return probed_setting(
        host,
        result,
        identity.user,
        mail_from=identity.mail_from,
        ca_file=ca_file,
        profile=profile,
    )
