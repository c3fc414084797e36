"""The wizard window: six pages, Back/Next/Cancel; Cancel stops work in progress at once."""

from __future__ import annotations

from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QWidget, QWizard

from .icons import icon
from .pages.account import AccountPage
from .pages.base import Page
from .pages.clients import ClientsPage
from .pages.done import DonePage
from .pages.message import MessagePage
from .pages.probe import ProbePage
from .pages.start import StartPage
from .state import Prefill, WizardOptions, WizardState
from .tasks import Runner, ThreadRunner


class RelayWizard(QWizard):
    START, PROBE, ACCOUNT, MESSAGE, CLIENTS, DONE = range(6)

    def __init__(
        self,
        prefill: Prefill | None = None,
        options: WizardOptions | None = None,
        runner: Runner | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.state = WizardState.start(prefill or Prefill())
        self.config = options or WizardOptions()
        self.runner: Runner = runner or ThreadRunner(self)
        self.setWindowTitle(self.tr("Relay Setup"))
        self.setWindowIcon(icon("relay-setup"))
        self.setObjectName("relay_wizard")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setPixmap(QWizard.WizardPixmap.LogoPixmap, icon("relay-setup").pixmap(48, 48))
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.start_page = StartPage()
        self.probe_page = ProbePage()
        self.account_page = AccountPage()
        self.message_page = MessagePage()
        self.clients_page = ClientsPage()
        self.done_page = DonePage()
        for number, page in enumerate(
            (
                self.start_page,
                self.probe_page,
                self.account_page,
                self.message_page,
                self.clients_page,
                self.done_page,
            )
        ):
            self.setPage(number, page)
        self._closing = False
        self.resize(760, 600)

    def _pages(self) -> list[Page]:
        return [p for p in (self.page(i) for i in self.pageIds()) if isinstance(p, Page)]

    def busy(self) -> bool:
        return any(page.busy() for page in self._pages())

    def reject(self) -> None:
        """Cancel (or Escape): first stop work in progress, at once, and stay; with nothing
        running, close. Closing the window stops the work and closes."""
        stopped = [page.cancel_work() for page in self._pages()]
        if not any(stopped) or self._closing:
            super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._closing = True  # QDialog's closeEvent goes through reject()
        try:
            super().closeEvent(event)
        finally:
            self._closing = False
