"""The wizard window: seven pages, Back/Next/Cancel; Cancel stops work in progress at once.
The relay is found from the email address (the discovery page) unless the user names it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QMessageBox, QWidget, QWizard

from .icons import icon
from .pages.base import Page
from .pages.start import StartPage
from .state import Prefill, WizardOptions, WizardState
from .tasks import Runner, ThreadRunner

if TYPE_CHECKING:
    from .pages.account import AccountPage
    from .pages.clients import ClientsPage
    from .pages.discover import DiscoverPage
    from .pages.done import DonePage
    from .pages.message import MessagePage
    from .pages.probe import ProbePage


class RelayWizard(QWizard):
    START, DISCOVER, PROBE, ACCOUNT, MESSAGE, CLIENTS, DONE = range(7)
    # Built by add_later_pages (at once, or just after the first paint).
    discover_page: DiscoverPage
    probe_page: ProbePage
    account_page: AccountPage
    message_page: MessagePage
    clients_page: ClientsPage
    done_page: DonePage

    def __init__(
        self,
        prefill: Prefill | None = None,
        options: WizardOptions | None = None,
        runner: Runner | None = None,
        parent: QWidget | None = None,
        *,
        defer_pages: bool = False,
    ) -> None:
        """defer_pages: paint the start page first and build the other pages (and import the
        mail, keyring and client modules they need) just after, for a quick first window."""
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
        self.setPage(self.START, self.start_page)
        self._all_pages = False
        self._closing = False
        self._leave_asked = False  # the user answered "Close" to the question below
        self.resize(760, 600)
        if defer_pages:
            self.installEventFilter(self)  # see eventFilter: the first paint
        else:
            self.add_later_pages()

    def add_later_pages(self) -> None:
        """The pages after the start page (once)."""
        if self._all_pages:
            return
        self._all_pages = True
        from .pages.account import AccountPage
        from .pages.clients import ClientsPage
        from .pages.discover import DiscoverPage
        from .pages.done import DonePage
        from .pages.message import MessagePage
        from .pages.probe import ProbePage

        self.discover_page = DiscoverPage()
        self.setPage(self.DISCOVER, self.discover_page)
        self.probe_page = ProbePage()
        self.account_page = AccountPage()
        self.message_page = MessagePage()
        self.clients_page = ClientsPage()
        self.done_page = DonePage()
        for number, page in enumerate(
            (self.probe_page, self.account_page, self.message_page, self.clients_page),
            start=self.PROBE,
        ):
            self.setPage(number, page)
            # After QWizard's own handler, which makes Next the default button each time.
            page.completeChanged.connect(self._default_to_page_action)
        self.setPage(self.DONE, self.done_page)
        self.currentIdChanged.connect(self._default_to_page_action)

    def _default_to_page_action(self) -> None:
        """Enter does the page's own action (Send, Write) while it can; else Next."""
        page = self.currentPage()
        action = page.action_button() if isinstance(page, Page) else None
        if action is not None and action.isEnabled():
            action.setDefault(True)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self and event.type() == QEvent.Type.Paint:
            self.removeEventFilter(self)
            QTimer.singleShot(0, self.add_later_pages)  # once the first paint is on screen
        return super().eventFilter(watched, event)

    def nextId(self) -> int:
        # Until the later pages exist, the start page still leads on (a Next, not a Finish).
        return super().nextId() if self._all_pages else self.PROBE

    def validateCurrentPage(self) -> bool:
        self.add_later_pages()  # Next pressed before they were built: build them now
        return super().validateCurrentPage()

    def _pages(self) -> list[Page]:
        return [p for p in (self.page(i) for i in self.pageIds()) if isinstance(p, Page)]

    def busy(self) -> bool:
        return any(page.busy() for page in self._pages())

    def reject(self) -> None:
        """Cancel (or Escape): first stop work in progress, at once, and stay; with nothing
        running, close. Closing the window stops the work and closes."""
        stopped = [page.cancel_work() for page in self._pages()]
        if any(stopped) and not self._closing:
            return
        if self.state.written and self.currentId() != self.DONE and not self._leave_asked:
            self._ask_before_leaving()  # files were changed: Cancel must not look like undo
            return
        super().reject()

    def _ask_before_leaving(self) -> None:
        names = ", ".join(dict.fromkeys(name for name, _ in self.state.written))
        question = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Close Relay Setup?"),
            self.tr(
                "The settings of %1 were written, and closing keeps them. To put the old files "
                "back, press Undo on the mail programs page, or later type relay-setup undo in "
                "a terminal."
            ).replace("%1", names),
            QMessageBox.StandardButton.NoButton,
            self,
        )
        question.setObjectName("confirm_close")
        leave = question.addButton(self.tr("&Close"), QMessageBox.ButtonRole.AcceptRole)
        stay = question.addButton(self.tr("&Stay"), QMessageBox.ButtonRole.RejectRole)
        question.setDefaultButton(stay)
        question.setEscapeButton(stay)

        def answered() -> None:
            chosen = question.clickedButton()
            question.deleteLater()
            if chosen is leave:
                self._leave_asked = True
                self.reject()

        question.finished.connect(answered)
        question.open()  # window-modal, without a nested event loop

    def closeEvent(self, event: QCloseEvent) -> None:
        self._closing = True  # QDialog's closeEvent goes through reject()
        try:
            super().closeEvent(event)
        finally:
            self._closing = False
