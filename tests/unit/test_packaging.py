"""The README's main command installs a wheel: every module of the tree, and the wizard's icons,
translations and desktop entry, must be in it."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _source_copy(tmp_path: Path) -> Path:
    source = tmp_path / "src"  # build from a copy: setuptools writes build/ beside the sources
    skip = shutil.ignore_patterns("__pycache__", "screenshots", "*.qm")  # the build makes .qm
    for folder in ("app", "resources"):
        shutil.copytree(ROOT / folder, source / folder, ignore=skip)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    return source


def test_wheel_carries_every_module(tmp_path: Path) -> None:
    source = _source_copy(tmp_path)
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q"]
    subprocess.run([*command, "-w", str(tmp_path), str(source)], check=True, capture_output=True)
    (wheel,) = tmp_path.glob("relay_setup-*.whl")
    packed = set(zipfile.ZipFile(wheel).namelist())
    tree = {p.relative_to(ROOT).as_posix() for p in (ROOT / "app").rglob("*.py")}
    assert len(tree) > 20
    assert tree - packed == set()
    assert any(name.endswith("entry_points.txt") for name in packed)
    # The wizard's icons and the desktop entry travel as data files (share/...).
    data = {name.split(".data/data/", 1)[1] for name in packed if ".data/data/" in name}
    icons = {f"share/relay-setup/icons/{p.name}" for p in (ROOT / "resources/icons").glob("*.svg")}
    assert icons and icons <= data
    assert "share/applications/relay-setup.desktop" in data
    # The translations, compiled by the build (the .qm files are not in the source tree).
    catalogues = {p.stem for p in (ROOT / "resources/translations").glob("relay_setup_*.ts")}
    assert "relay_setup_de" in catalogues
    assert {f"share/relay-setup/translations/{name}.qm" for name in catalogues} <= data


def test_a_wheel_built_from_the_sdist_carries_the_translations(tmp_path: Path) -> None:
    """`python -m build` makes the wheel from the sdist: the build backend and the catalogues'
    sources must travel in it."""
    source = _source_copy(tmp_path)
    backend = "import sys; sys.path.insert(0, 'resources/translations'); import qmbuild; "
    make_sdist = f"{backend}print(qmbuild.build_sdist({str(tmp_path / 'sdist')!r}))"
    done = subprocess.run(
        [sys.executable, "-c", make_sdist], cwd=source, check=True, capture_output=True, text=True
    )
    sdist = tmp_path / "sdist" / done.stdout.split()[-1]
    assert not (source / "MANIFEST.in").exists()  # written for the sdist's build only
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path)]
    subprocess.run([*command, str(sdist)], check=True, capture_output=True)
    (wheel,) = tmp_path.glob("relay_setup-*.whl")
    packed = zipfile.ZipFile(wheel).namelist()
    assert any(name.endswith("share/relay-setup/translations/relay_setup_de.qm") for name in packed)
