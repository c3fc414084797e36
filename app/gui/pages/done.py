"""Done: a summary, and a password-free diagnostics report to copy for IT."""

from __future__ import annotations

import html

from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QHBoxLayout, QPlainTextEdit, QPushButton, QVBoxLayout

from ..diagnostics import report_text
from ..hooks_offer import HooksOffer
from ..words import tls_label
from .base import Page, message_label


class DonePage(Page):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(self.tr("Done"))
        self.summary = message_label("summary")
        self.copy = QPushButton(self.tr("&Copy diagnostics"))
        self.copy.setObjectName("copy_diagnostics")
        self.copy.setToolTip(self.tr("A report of everything found, without your password"))
        self.copy.clicked.connect(self.copy_diagnostics)
        self.copied = message_label("copied")
        self.report = QPlainTextEdit()
        self.report.setObjectName("diagnostics")
        self.report.setAccessibleName(self.tr("Diagnostics report"))
        self.report.setReadOnly(True)
        self.report.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        row = QHBoxLayout()
        row.addWidget(self.copy)
        row.addWidget(self.copied, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(row)
        layout.addWidget(self.report, 1)
        layout.addWidget(HooksOffer(lambda: self.runner))

    def initializePage(self) -> None:
        state = self.state
        lines = []
        if state.chosen is not None:
            s = state.setting()
            mode = tls_label(s.tls)
            lines.append(
                self.tr("Relay <b>%1</b>, port %2 with %3, as %4.")
                .replace("%1", html.escape(s.host))
                .replace("%2", str(s.port))
                .replace("%3", mode)
                .replace("%4", html.escape(s.user))
            )
            if s.pin_sha256:
                lines.append(self.tr("Certificate pinned: %1").replace("%1", s.pin_sha256))
        lines.append(
            self.tr("Password kept in your keyring.")
            if state.remembered
            else self.tr("Password not kept: your mail programs will ask for it.")
        )
        if state.sent is not None:
            lines.append(
                self.tr("Test message accepted (queue id %1).").replace(
                    "%1", html.escape(state.sent.queue_id or "-")
                )
            )
        else:
            lines.append(self.tr("No test message sent."))
        names = sorted({name for name, _ in state.written})
        lines.append(
            self.tr("Set up: %1.").replace("%1", ", ".join(names))
            if names
            else self.tr("No mail program was changed.")
        )
        self.summary.setText("<br>".join(lines))
        self.report.setPlainText(report_text(state))
        self.copied.clear()

    def copy_diagnostics(self) -> None:
        text = report_text(self.state)
        self.report.setPlainText(text)
        QGuiApplication.clipboard().setText(text)
        self.copied.setText(self.tr("Copied: paste it into a message to your IT department."))
