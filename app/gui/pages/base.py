"""What every page shares: the wizard's state, its task runner, and a way to stop work."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QCoreApplication, QDir, Qt
from PySide6.QtGui import QTextDocumentFragment
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QWidget,
    QWizardPage,
)

from ...core.deadline import CancelToken
from ..icons import icon

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


class WorkPage(Page):
    """A page whose work (search, probe, login, message) runs off the GUI thread under a
    CancelToken: Cancel, or Back to the page before, stops it at once (its sockets are cut)."""

    def __init__(self) -> None:
        super().__init__()
        self._token: CancelToken | None = None  # the work in progress

    def busy(self) -> bool:
        return self._token is not None

    def cancel_work(self) -> bool:
        if self._token is None:
            return False
        self._token.cancel()
        self.show_stopping()
        return True

    def cleanupPage(self) -> None:  # Back: the work is of no use any more
        self.cancel_work()

    def show_stopping(self) -> None:
        """Say on the page that its work is stopping (in the page's own words)."""


def message_label(name: str) -> QLabel:
    """A wrapping, selectable label for results and errors, found by tests through its object
    name; screen readers read its text (an accessible name set here would hide it)."""
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class StatusLine(QWidget):
    """A result in words with an icon before it (never colour alone): ok, warning, error or
    pending; plain text (no kind) shows no icon. Read like a label: text(), setText(), clear()."""

    ICON_SIZE = 22

    def __init__(self, name: str, *, headline: bool = False) -> None:
        super().__init__()
        self.setObjectName(name)
        self.icon = QLabel()
        self.icon.setObjectName(f"{name}_icon")
        self.icon.setFixedSize(self.ICON_SIZE, self.ICON_SIZE)
        self.icon.hide()
        self.label = message_label(f"{name}_text")
        if headline:
            font = self.label.font()
            font.setBold(True)
            font.setPointSizeF(font.pointSizeF() * 1.15)
            self.label.setFont(font)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.label, 1)
        self.kind = ""

    def text(self) -> str:
        return self.label.text()

    def setText(self, text: str, kind: str = "") -> None:
        """kind: "ok", "warning", "error", "pending" (an icon from resources/icons), or ""."""
        self.kind = kind
        self.label.setText(text)
        if kind:
            self.icon.setPixmap(icon(kind).pixmap(self.ICON_SIZE, self.ICON_SIZE))
        self.icon.setVisible(bool(kind))
        self.updateGeometry()  # the page lays out the new height now, not one event later
        # A screen reader hears the kind in words, as the icon shows it, and no markup.
        words = QTextDocumentFragment.fromHtml(text).toPlainText() if "<" in text else text
        self.label.setAccessibleName(f"{_KIND_WORDS[kind]()}: {words}" if kind else words)

    def clear(self) -> None:
        self.setText("")


_KIND_WORDS = {
    "ok": lambda: QCoreApplication.translate("status", "Done"),
    "warning": lambda: QCoreApplication.translate("status", "Warning"),
    "error": lambda: QCoreApplication.translate("status", "Error"),
    "pending": lambda: QCoreApplication.translate("status", "Working"),
}


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
