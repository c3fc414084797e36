"""What every page shares: the wizard's state, its task runner, and a way to stop work."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QCoreApplication, QDir, Qt
from PySide6.QtWidgets import QFileDialog, QLabel, QPushButton, QWidget, QWizardPage

if TYPE_CHECKING:
    from ..state import WizardOptions, WizardState
    from ..tasks import Runner
    from ..wizard import RelayWizard


class Page(QWizardPage):
    @property
    def relay_wizard(self) -> RelayWizard:
        return cast("RelayWizard", self.wizard())

    @property
    def state(self) -> WizardState:
        return self.relay_wizard.state

    @property
    def config(self) -> WizardOptions:
        return self.relay_wizard.config

    @property
    def runner(self) -> Runner:
        return self.relay_wizard.runner

    def busy(self) -> bool:
        return False

    def action_button(self) -> QPushButton | None:
        """The page's own action (Send, Write): Enter presses it while it is enabled."""
        return None

    def cancel_work(self) -> bool:
        """Stop work in progress at once; True if there was some."""
        return False


def message_label(name: str) -> QLabel:
    """A wrapping, selectable label for results and errors, found by tests and screen readers."""
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAccessibleName(name)
    return label


def choose_ca_file(parent: QWidget, chosen: Callable[[str], None]) -> QFileDialog:
    """Open (without a nested event loop) a file dialog for the organisation's CA certificate,
    in the home folder, showing every name such a file has; `chosen` gets the path."""
    dialog = QFileDialog(
        parent, QCoreApplication.translate("ca_file", "The organisation's CA certificate")
    )
    dialog.setObjectName("ca_file_dialog")
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    dialog.setDirectory(QDir.homePath())
    dialog.setNameFilters(
        [
            QCoreApplication.translate("ca_file", "Certificates (*.pem *.crt *.cert *.cer)"),
            QCoreApplication.translate("ca_file", "All files (*)"),
        ]
    )
    dialog.fileSelected.connect(chosen)
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog
