"""Test message: sent through the relay, to the user's own address by default; the server's
answer and queue id are the evidence."""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
)

from ...core.deadline import CancelToken
from ...core.setup import steps
from ...core.submit import SendResult
from ..state import CheckFailure
from ..tasks import Outcome
from .account import explain_error, was_cancelled
from .base import StatusLine, WorkPage


class MessagePage(WorkPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(self.tr("A test message"))
        self.setSubTitle(
            self.tr("Send a short message through the relay to see that mail really goes out.")
        )
        self.to = QLineEdit()
        self.to.setObjectName("to")
        self.to.setAccessibleName(self.tr("Send the test message to"))
        self.to.installEventFilter(self)  # Enter here sends (see eventFilter)
        self.send = QPushButton(self.tr("&Send test message"))
        self.send.setObjectName("send")
        self.send.clicked.connect(self.send_message)
        self.result = StatusLine("send_result")
        form = QFormLayout()
        form.addRow(self.tr("&To:"), self.to)
        row = QHBoxLayout()
        row.addWidget(self.send)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(row)
        layout.addWidget(self.result)
        layout.addStretch(1)
        self._sent_now = False  # a message accepted since this page was entered
        self._skip_asked = False  # the user chose to go on without a test message

    def initializePage(self) -> None:
        state = self.state
        self.to.setText(state.sent_to or state.setting().sender)
        self.result.clear()
        self._sent_now = self._skip_asked = False
        # A new pass: a message sent on an earlier one (maybe through another relay) is not
        # evidence for this one, and the Done page must not report it.
        state.sent = state.send_failure = None

    def action_button(self) -> QPushButton:
        return self.send

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Enter in the address field sends, rather than reaching the wizard's Next.
        if watched is self.to and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if self.send.isEnabled():
                    self.send_message()
                return True
        return super().eventFilter(watched, event)

    def validatePage(self) -> bool:
        """Next: go on once a message went out (or the user chose to skip it); else ask."""
        if self._sent_now or self._skip_asked:
            return True
        question = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("No test message sent"),
            self.tr(
                "No test message was sent. A test shows that mail really goes out through "
                "the relay. Go on without one?"
            ),
            QMessageBox.StandardButton.NoButton,
            self,
        )
        question.setObjectName("skip_test_message")
        send = question.addButton(self.tr("&Send it now"), QMessageBox.ButtonRole.AcceptRole)
        skip = question.addButton(self.tr("&Go on without"), QMessageBox.ButtonRole.DestructiveRole)
        question.addButton(QMessageBox.StandardButton.Cancel)
        question.setDefaultButton(send)

        def answered() -> None:
            chosen = question.clickedButton()
            question.deleteLater()
            if chosen is send:
                self.send_message()
            elif chosen is skip and self.relay_wizard.currentPage() is self:
                self._skip_asked = True
                self.relay_wizard.next()

        question.finished.connect(answered)
        question.open()  # window-modal, without a nested event loop
        return False

    def show_stopping(self) -> None:
        self.result.setText(self.tr("Stopping…"), "pending")

    def isComplete(self) -> bool:
        return self._token is None

    def send_message(self) -> None:
        state = self.state
        password, setting, to = state.password, state.setting(), self.to.text().strip()
        if password is None:
            self.result.setText(self.tr("Go back and check your login first."), "error")
            return
        token = self._token = CancelToken()
        self.send.setEnabled(False)
        self.result.setText(self.tr("Sending…"), "pending")
        self.completeChanged.emit()
        timeout, config = self.config.timeout, self.config

        def work() -> SendResult:
            sent, _ = steps.send_test(
                setting,
                password,
                to=to or None,
                timeout=timeout,
                cancel=token,
                resolver=config.address_resolver(),
            )
            return sent

        self.runner.run_task(work, lambda outcome: self._on_sent(outcome, to))

    def _on_sent(self, outcome: Outcome, to: str) -> None:
        self._token = None
        self.send.setEnabled(True)
        self.completeChanged.emit()
        if was_cancelled(outcome.error):
            self.result.setText(
                self.tr(
                    "Stopped before the relay confirmed the message (if it was already on its "
                    "way, it may still arrive)."
                ),
                "warning",
            )
            self.state.log.append("test message cancelled")
            return
        if not outcome.ok:
            assert outcome.error is not None
            self.result.setText(
                self.tr("The message was not accepted: %1").replace(
                    "%1", explain_error(outcome.error)
                ),
                "error",
            )
            self.state.send_failure = CheckFailure.of(outcome.error)
            self.state.log.append(f"test message failed: {self.state.send_failure.kind}")
            return
        sent = outcome.value
        self.state.sent, self.state.sent_to, self.state.send_failure = sent, sent.to, None
        self._sent_now = True
        self.state.log.append(f"test message queued as {sent.queue_id}")
        self.result.setText(
            self.tr(
                "Sent to %1. The relay answered: <tt>%2</tt><br>Queue id: <b>%3</b>, "
                "Message-ID: <tt>%4</tt>"
            )
            .replace("%1", html.escape(sent.to))
            .replace("%2", html.escape(sent.reply))
            .replace("%3", html.escape(sent.queue_id or self.tr("none given")))
            .replace("%4", html.escape(sent.message_id)),
            "ok",
        )
