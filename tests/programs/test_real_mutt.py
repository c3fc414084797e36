"""The real NeoMutt and Mutt reading the block we wrote back as data, whatever the values."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from urllib.parse import quote

import pytest
from unchecked import unchecked_relay

from app.core.clients import muttrc
from app.core.clients.base import ClientSettings
from app.core.results import TlsMode

HOSTILE = [
    ("o'brien@example.org", "o'brien@example.org"),
    ('say "hi"@example.org', "jo@example.org"),
    ("a;set record='/tmp/x'@example.org", "jo@example.org"),
    ("x@example.org' ; set record='/tmp/pwned", "x@example.org' ; set record='/tmp/pwned"),
    ("jo#not-a-comment@example.org", "jo@example.org"),
    ("jo@example.org", "$(touch PWNED)`touch PWNED2`@example.org"),
]


@pytest.mark.parametrize("program", ["neomutt", "mutt"])
@pytest.mark.parametrize(("user", "sender"), HOSTILE)
def test_the_real_program_reads_hostile_values_back_as_data(
    tmp_path: Path, program: str, user: str, sender: str
) -> None:
    exe = shutil.which(program)
    if exe is None:
        pytest.skip(f"{program} is not installed (tests/setup.sh installs it)")
    # Unchecked: the value gate refuses some of these; the writer must hold on its own.
    relay = unchecked_relay(port=465, tls=TlsMode.IMPLICIT, user=user, mail_from=sender)
    rc = tmp_path / "rc"
    settings = ClientSettings.for_relay(relay, None)
    rc.write_bytes(muttrc.merge(rc, b"set record='~/sent'\n", "neomutt", settings)[0])
    text = rc.read_bytes()
    assert text.count(b"\n") == 9  # no value became a line of its own
    done = subprocess.run(
        [exe, "-n", "-F", str(rc), "-Q", "smtp_url", "-Q", "record", "-Q", "from"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "TERM": "dumb"},
        timeout=30,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    values = dict(
        line.removeprefix("set ").replace(" = ", "=").split("=", 1)
        for line in done.stdout.splitlines()
    )
    assert values["smtp_url"] == f'"smtps://{quote(user, safe="")}@mail.example.org:465/"'
    assert values["record"] in ('"~/sent"', f'"{tmp_path}/sent"')  # not set by a value
    assert not list(tmp_path.glob("PWNED*"))
