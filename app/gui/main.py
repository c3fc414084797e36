"""Start the wizard: the QApplication, its translations and icon, and what to prefill."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from .. import exitcodes
from ..core.results import PortSpec
from .icons import icon, resources_dir
from .state import Prefill, WizardOptions
from .wizard import RelayWizard

if TYPE_CHECKING:
    from ..core.demo_relay import DemoRelay
    from ..core.org.profiles import Profile
    from ..core.secrets import SecretStore


def application() -> QApplication:
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    app = QApplication(sys.argv[:1])
    app.setApplicationName("Relay Setup")
    app.setDesktopFileName("relay-setup")  # matches resources/relay-setup.desktop
    app.setWindowIcon(icon("relay-setup"))
    install_translations(app, QLocale.system())
    return app


def install_translations(
    app: QCoreApplication, locale: QLocale, folder: Path | None = None
) -> list[QTranslator]:
    """Our catalogue (from `folder`, else resources/translations) and Qt's own for the first of
    the user's languages (LANGUAGE, LC_ALL, LC_MESSAGES, LANG) that has one; none, so English,
    when English comes first or none has."""
    ours = str(folder or resources_dir() / "translations")
    qt = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for language in locale.uiLanguages():
        tag = language.replace("-", "_")
        if tag.split("_")[0] in ("en", "C"):
            return []  # the source language
        translator = QTranslator(app)
        if not translator.load(f"relay_setup_{tag}", ours, "_"):
            continue
        installed = [translator]
        qt_words = QTranslator(app)  # the standard buttons (Next, Back, Cancel) and dialogs
        if qt_words.load(f"qtbase_{tag}", qt, "_"):
            installed.append(qt_words)
        for each in installed:
            app.installTranslator(each)
        return installed
    return []


def profile_prefill(profile: Profile, ca_file: str | None = None) -> Prefill:
    """What a bundled profile fixes; its CA (PEM text) is copied into the app's data folder."""
    if ca_file is None and profile.ca_pem:
        from ..core.setup.ca import install_ca_pem

        ca_file = str(install_ca_pem(profile.ca_pem))
    lock = {"host": "host", "ports": "ports", "ca": "ca_file", "username": "username"}
    return Prefill(
        host=profile.host or "",  # none: the user's address finds it
        ports=profile.ports,
        ca_file=ca_file,
        pin_sha256=profile.pin_sha256,
        title=profile.organisation,
        locked=frozenset(lock[k] for k in profile.locked if k in lock) | {"host", "ca_file"},
        profile=profile,
    )


def bundled_prefill() -> Prefill:
    from ..embedded import embedded_profile_path

    path = embedded_profile_path()
    if path is None:
        return Prefill()
    from ..core.org.profiles import load_profile

    return profile_prefill(load_profile(path))


def wizard_options(args: argparse.Namespace | None) -> WizardOptions:
    """`relay-setup wizard --resolver IP[:PORT]`: every name lookup goes to that server."""
    return WizardOptions(nameserver=getattr(args, "resolver", None))


def run_wizard(args: argparse.Namespace | None = None) -> int:
    app = application()
    wizard = RelayWizard(bundled_prefill(), wizard_options(args), defer_pages=True)
    wizard.show()
    app.exec()
    return exitcodes.OK


def demo_wizard(relay: DemoRelay, scratch: Path, store: SecretStore | None = None) -> RelayWizard:
    """The wizard on the embedded demo relay, prefilled; mail clients are set up in `scratch`,
    never in the user's own home. `store`: where the demo password is, if not the OS keyring."""
    from ..core.demo_relay import DEMO_HOST, DEMO_USER

    prefill = Prefill(
        host=DEMO_HOST,
        email=DEMO_USER,
        user=DEMO_USER,
        ports=(PortSpec(relay.implicit_port, implicit=True), PortSpec(relay.starttls_port)),
        ca_file=relay.ca_file,
        title=QApplication.translate("demo", "the Relay Setup demo relay on this computer"),
        locked=frozenset({"host", "ports", "ca_file"}),
    )
    options = WizardOptions(
        timeout=3.0,
        deadline=10.0,
        home=scratch,
        open_store=None if store is None else (lambda: store),
    )
    return RelayWizard(prefill, options)


def run_demo_wizard(relay: DemoRelay, store: SecretStore | None = None) -> int:
    app = application()
    with tempfile.TemporaryDirectory(prefix="relay-setup-demo-home-") as scratch:
        # The demo's backups, undo journal and CA copy stay in the scratch folder too.
        os.environ["XDG_DATA_HOME"] = str(Path(scratch) / "data")
        wizard = demo_wizard(relay, Path(scratch), store)
        wizard.show()
        app.exec()
    return exitcodes.OK
