"""Compile the Qt catalogues (relay_setup_*.ts) into the .qm files the wizard loads.

The .qm files are generated, never committed: a wheel's build makes them (this module is also
the project's PEP 517 build backend, setuptools' own with this one step first), the one-file
installer's spec calls compile_catalogues(), and a developer runs
    python3 resources/translations/qmbuild.py        (or bash resources/translations/update.sh)
Qt's own lrelease (from PySide6, a build requirement) does the compiling."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from setuptools import build_meta as _setuptools
from setuptools.build_meta import (  # noqa: F401  (the hooks we leave as they are)
    get_requires_for_build_editable,
    get_requires_for_build_sdist,
    get_requires_for_build_wheel,
    prepare_metadata_for_build_editable,
    prepare_metadata_for_build_wheel,
)

HERE = Path(__file__).resolve().parent
# The system libraries Qt's lrelease loads that a minimal Debian lacks (README: On a fresh machine).
NEEDS = "libglib2.0-0 libbrotli1 libgssapi-krb5-2"


def lrelease() -> str:
    import PySide6  # the build requirement (or the installed program's dependency)

    folder = Path(PySide6.__file__).parent
    for name in ("lrelease", "lrelease.exe"):
        if (folder / name).is_file():
            return str(folder / name)
    raise RuntimeError(f"no lrelease in {folder}")


def compile_catalogues(out: Path = HERE) -> list[Path]:
    """Every relay_setup_*.ts beside this file as a .qm in `out`."""
    out.mkdir(parents=True, exist_ok=True)
    made = []
    for ts in sorted(HERE.glob("relay_setup_*.ts")):
        qm = out / ts.with_suffix(".qm").name
        done = subprocess.run(
            [lrelease(), "-silent", str(ts), "-qm", str(qm)], capture_output=True, text=True
        )
        if done.returncode != 0:
            # On a bare Linux, Qt's lrelease lacks shared libraries PySide6 does not bundle.
            raise RuntimeError(
                f"Qt's lrelease could not compile {ts.name} (exit {done.returncode}): "
                f"{done.stderr.strip()}\nOn Debian or Ubuntu: apt-get install {NEEDS}"
            )
        made.append(qm)
    if not made:
        raise RuntimeError(f"no catalogue (relay_setup_*.ts) in {HERE}")
    return made


def build_wheel(
    wheel_directory: str,
    config_settings: dict[str, object] | None = None,
    metadata_directory: str | None = None,
) -> str:
    compile_catalogues()  # before setuptools reads the data files (pyproject.toml) that list them
    return str(_setuptools.build_wheel(wheel_directory, config_settings, metadata_directory))


def build_editable(
    wheel_directory: str,
    config_settings: dict[str, object] | None = None,
    metadata_directory: str | None = None,
) -> str:
    compile_catalogues()  # an editable install reads them from resources/ in the source tree
    return str(_setuptools.build_editable(wheel_directory, config_settings, metadata_directory))


# What a wheel built from the sdist needs besides what setuptools takes by itself: this backend
# and the catalogues' sources. The top level holds no MANIFEST.in of its own, so one is written
# for the sdist's build only.
SDIST_MANIFEST = "include resources/translations/*.py resources/translations/*.ts\n"


def build_sdist(sdist_directory: str, config_settings: dict[str, object] | None = None) -> str:
    manifest = Path("MANIFEST.in")  # the hooks run in the project's folder
    if manifest.exists():
        return str(_setuptools.build_sdist(sdist_directory, config_settings))
    manifest.write_text(SDIST_MANIFEST, "utf-8")
    try:
        return str(_setuptools.build_sdist(sdist_directory, config_settings))
    finally:
        manifest.unlink()


if __name__ == "__main__":
    for path in compile_catalogues(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE):
        print(path)
