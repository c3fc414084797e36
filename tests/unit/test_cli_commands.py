"""The command line as a whole: what `--help` loads, the command table, and the options every
command shares (the pin)."""

from __future__ import annotations

import argparse
import subprocess
import sys

import pytest

from app.cli import COMMANDS, build_parser

# What `relay-setup --help` must not load: each costs start-up time (and Qt needs a display).
HEAVY = ("PySide6", "shiboken6", "keyring", "smtplib", "ssl", "_ssl", "cryptography", "aiosmtpd")


def modules_loaded_by(*argv: str) -> set[str]:
    code = (
        "import sys\n"
        "from app.cli import main\n"
        f"try:\n    main({list(argv)!r})\nexcept SystemExit:\n    pass\n"
        "print(' '.join(sorted(sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    return set(done.stdout.split("\n")[-2].split())


def heavy(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if m.split(".")[0] in HEAVY)


def test_help_loads_no_heavy_module_and_no_command() -> None:
    loaded = modules_loaded_by("--help")
    assert "argparse" in loaded  # the probe saw the parser run
    assert heavy(loaded) == []
    assert sorted(m for m in loaded if m.startswith("app.commands")) == []


def test_a_command_loads_only_its_own_module() -> None:
    loaded = modules_loaded_by("profile", "--help")
    assert "app.commands.profile" in loaded
    assert "app.commands.demo" not in loaded and "aiosmtpd" not in loaded


def subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_every_module_registers_exactly_the_commands_the_table_names() -> None:
    full = subcommands(build_parser())
    assert list(full) == list(COMMANDS)
    for name, (module, summary) in COMMANDS.items():
        alone = subcommands(build_parser(argv=[name]))
        assert list(alone) == list(COMMANDS)  # the listing is the same, loaded or not
        registered = {n for n, (m, _) in COMMANDS.items() if m == module}
        for other, parser in alone.items():
            # a registered command has its own options; a listed one only --help
            assert (len(parser._actions) > 1) == (other in registered), (name, other)
        assert summary


PIN = "ab" * 32
PIN_COMMANDS = [
    ["probe", "relay.example.org"],
    ["login", "--host", "relay.example.org", "--user", "u"],
    ["send-test", "--host", "relay.example.org", "--user", "u"],
    ["write", "msmtp", "--host", "relay.example.org", "--port", "465", "--user", "u"],
]


@pytest.mark.parametrize("argv", PIN_COMMANDS, ids=lambda argv: argv[0])
@pytest.mark.parametrize("option", ["--pin", "--fingerprint"])
def test_every_command_takes_a_pin_as_pin_and_fingerprint(argv: list[str], option: str) -> None:
    args = build_parser(argv=argv).parse_args([*argv, option, PIN])
    assert args.pin == ":".join(["AB"] * 32)


@pytest.mark.parametrize("argv", PIN_COMMANDS, ids=lambda argv: argv[0])
def test_help_shows_pin_and_hides_the_old_name(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        build_parser(argv=argv).parse_args([argv[0], "--help"])
    shown = capsys.readouterr().out
    assert "--pin SHA256" in shown and "--fingerprint" not in shown


def test_a_bad_pin_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        build_parser(argv=["probe"]).parse_args(["probe", "h", "--fingerprint", "zz"])
    assert stop.value.code == 2
    assert "64 hexadecimal digits" in capsys.readouterr().err
