"""argparse types over the one value check (app.core.values): a bad host, port, user, address
or path is a usage error (exit 2) naming the option, before anything connects or writes."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from ..core import values

T = TypeVar("T")


def _checked(check: Callable[[str], T], name: str) -> Callable[[str], T]:
    def parse(text: str) -> T:
        try:
            return check(text)
        except values.InvalidValue as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    parse.__name__ = name
    return parse


host_name = _checked(values.host, "host")
port_number = _checked(values.port, "port")
user_name = _checked(values.user, "user")
address = _checked(values.address, "address")
path_text = _checked(values.path, "path")
file_path = _checked(lambda text: Path(values.path(text)), "path")
