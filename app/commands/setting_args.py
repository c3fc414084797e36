"""The relay setting typed on the command line (login, send-test, write), made by the core's
one construction; kept apart from credentials.py so `write` does not load the keyring."""

from __future__ import annotations

import argparse

from ..core.results import TlsMode
from ..core.settings import RelaySetting
from ..core.setup.setting import typed_setting


def setting_from(args: argparse.Namespace) -> RelaySetting:
    return typed_setting(
        args.host,
        args.user,
        port=args.port,
        tls=TlsMode(args.tls) if args.tls else None,
        mail_from=getattr(args, "mail_from", None),
        auth=args.auth,
        ca_file=str(args.ca) if args.ca else None,
        pin_sha256=args.pin,
    )
