"""`relay-setup profile show|import-autoconfig|export-autoconfig`: check an organisation profile,
and convert to and from the Mozilla autoconfig IT may already publish."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .. import exitcodes
from ..core.org.profiles import Profile, ProfileError, dumps_profile, load_profile
from ..embedded import embedded_profile_path
from .output import print_json, refuse


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "profile",
        description="Organisation profiles (TOML): check one, or convert it to and from Mozilla "
        "autoconfig (config-v1.1.xml, its outgoingServer part).",
    )
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)

    show = actions.add_parser("show", help="validate a profile and show what it sets")
    show.add_argument("profile", nargs="?", help="the profile (default: the embedded one)")
    show.add_argument("--json", action="store_true", help="print one JSON object")
    show.set_defaults(func=run_show)

    imp = actions.add_parser("import-autoconfig", help="a profile from config-v1.1.xml")
    imp.add_argument("file", help="the autoconfig XML file")
    imp.add_argument("-o", "--output", metavar="PROFILE.toml", help="write here, not to stdout")
    imp.set_defaults(func=run_import)

    exp = actions.add_parser("export-autoconfig", help="config-v1.1.xml from a profile")
    exp.add_argument("profile", help="the profile (TOML)")
    exp.add_argument("-o", "--output", metavar="FILE", help="write here, not to stdout")
    exp.set_defaults(func=run_export)


def resolve_profile(path: str | None) -> Profile:
    """The named profile, else the one embedded in this build; ProfileError otherwise."""
    if path is None:
        embedded = embedded_profile_path()
        if embedded is None:
            raise ProfileError("<none>", None, "no profile given and none embedded in this build")
        path = str(embedded)
    return load_profile(path)


def profile_problem(args: argparse.Namespace, exc: ProfileError) -> int:
    return refuse(args, f"invalid profile: {exc}", exitcodes.PROFILE)


def write_output(text: str, output: str | None) -> int:
    if output is None:
        sys.stdout.write(text)
        return exitcodes.OK
    from ..core.atomicfile import atomic_write

    try:
        atomic_write(Path(output), text.encode("utf-8"), mode=0o644)
    except OSError as exc:
        print(f"relay-setup: cannot write {output}: {exc.strerror or exc}", file=sys.stderr)
        return exitcodes.CONFIG
    print(f"wrote {output}", file=sys.stderr)
    return exitcodes.OK


def run_show(args: argparse.Namespace) -> int:
    try:
        profile = resolve_profile(args.profile)
    except ProfileError as exc:
        return profile_problem(args, exc)
    if args.json:
        print_json(profile.to_json())
        return exitcodes.OK
    ports = ", ".join(
        f"{p.port} ({'implicit TLS' if p.implicit else 'STARTTLS'})" for p in profile.ports
    )
    lines = [
        f"Profile of {profile.organisation} ({profile.source}): valid",
        f"  relay:    {profile.host or '(discovered from the address)'}, ports {ports}",
        f"  trust:    {'private CA' if profile.ca_pem else 'public CAs'}"
        + (f", pinned {profile.pin_sha256}" if profile.pin_sha256 else ""),
        f"  login:    username {profile.username}, From {profile.mail_from}"
        + (f", AUTH {profile.auth}" if profile.auth else ""),
        f"  clients:  {', '.join(profile.clients)}",
    ]
    if profile.domains:
        lines.append(f"  domains:  {', '.join(profile.domains)}")
    if profile.locked:
        lines.append(f"  locked:   {', '.join(sorted(profile.locked))}")
    if profile.help_url or profile.help_email:
        lines.append(
            f"  help:     {' '.join(filter(None, (profile.help_url, profile.help_email)))}"
        )
    print("\n".join(lines))
    return exitcodes.OK


def run_import(args: argparse.Namespace) -> int:
    from ..core.org.autoconfig import import_autoconfig

    try:
        result = import_autoconfig(args.file)
    except ProfileError as exc:
        return profile_problem(args, exc)
    for note in result.skipped:
        print(f"relay-setup: skipped {note}", file=sys.stderr)
    return write_output(dumps_profile(result.profile), args.output)


def run_export(args: argparse.Namespace) -> int:
    from ..core.org.autoconfig import export_autoconfig

    try:
        profile = load_profile(args.profile)
    except ProfileError as exc:
        return profile_problem(args, exc)
    if profile.ca_pem or profile.pin_sha256:
        print(
            "relay-setup: note: autoconfig has no place for the private CA or the pin; "
            "hand those out with the profile",
            file=sys.stderr,
        )
    try:
        text = export_autoconfig(profile)
    except ValueError as exc:
        return refuse(args, f"{profile.source}: {exc}", exitcodes.PROFILE)
    return write_output(text, args.output)
