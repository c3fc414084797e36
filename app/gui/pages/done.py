"""Done: what was set up, each file changed and its backup, how to undo, the programs skipped
and why, what to do next per program; the password-free diagnostics report behind Details."""

from __future__ import annotations

import html

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ..certificate_text import grouped_fingerprint
from ..diagnostics import report_text
from ..hooks_offer import HooksOffer
from ..words import tls_label
from .base import Page, StatusLine, message_label


def _next_step(name: str) -> str:
    """What a person does next with a program just set up (facts: DESIGN.md, core/clients).
    Each string written out in full: pyside6-lupdate extracts only literal translate calls."""
    if name == "msmtp":
        return QCoreApplication.translate(
            "done", "msmtp takes the password from your keyring when it sends: nothing to restart."
        )
    if name == "alpine":
        return QCoreApplication.translate(
            "done", "Restart Alpine if it is open: it asks for the password on the first send."
        )
    if name == "thunderbird":
        return QCoreApplication.translate(
            "done",
            "Start Thunderbird: it asks for the password on the first send and can remember it.",
        )
    if name in ("neomutt", "mutt"):
        return QCoreApplication.translate(
            "done",
            "Restart %1 if it is open: it takes the password from your keyring when it starts.",
        ).replace("%1", {"neomutt": "NeoMutt", "mutt": "Mutt"}[name])
    if name == "aerc":
        return QCoreApplication.translate(
            "done",
            "Restart aerc if it is open: it takes the password from your keyring when it sends.",
        )
    if name == "git":
        return QCoreApplication.translate(
            "done", "git send-email takes the password from your keyring when it sends."
        )
    return QCoreApplication.translate("done", "Restart %1 if it is open.").replace("%1", name)


# The programs that read the password from the keyring (the others ask for it themselves).
_FROM_KEYRING = frozenset({"msmtp", "neomutt", "mutt", "aerc", "git"})


class DonePage(Page):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(self.tr("Done"))
        self.headline = StatusLine("done_headline", headline=True)
        self.summary = message_label("summary")
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.skipped = message_label("skipped")
        self.skipped.setTextFormat(Qt.TextFormat.RichText)
        self.undo = QPushButton(self.tr("&Undo these changes"))
        self.undo.setObjectName("done_undo")
        self.undo.clicked.connect(self.undo_changes)
        self.undo_note = message_label("undo_note")
        undo_row = QHBoxLayout()
        undo_row.addWidget(self.undo, 0, Qt.AlignmentFlag.AlignTop)
        undo_row.addWidget(self.undo_note, 1)
        # Offers below the summary: checking again when the network changes.
        self.offers = QVBoxLayout()
        self.offers.setContentsMargins(0, 0, 0, 0)
        body = QWidget()
        body.setObjectName("done_body")
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.headline)
        column.addWidget(self.summary)
        column.addLayout(undo_row)
        column.addWidget(self.skipped)
        column.addLayout(self.offers)
        column.addStretch(1)
        self.body_scroll = QScrollArea()
        self.body_scroll.setObjectName("done_scroll")
        self.body_scroll.setWidget(body)
        self.body_scroll.setWidgetResizable(True)
        self.body_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.body_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        self.details = QPushButton(self.tr("&Details"))
        self.details.setObjectName("details")
        self.details.setCheckable(True)
        self.details.setToolTip(self.tr("Show the diagnostics report for your IT department"))
        self.details.toggled.connect(self._show_details)
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
        self.report.hide()
        row = QHBoxLayout()
        row.addWidget(self.details)
        row.addWidget(self.copy)
        row.addWidget(self.copied, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.body_scroll, 1)
        layout.addLayout(row)
        layout.addWidget(self.report, 1)
        self.add_offer(HooksOffer(lambda: self.runner))

    def add_offer(self, widget: QWidget) -> None:
        """A line of its own under the summary (e.g. checking again when the network changes)."""
        self.offers.addWidget(widget)

    def initializePage(self) -> None:
        self.details.setChecked(False)
        self.copied.clear()
        self.undo_note.clear()
        self._refresh()

    def _refresh(self) -> None:
        state = self.state
        names = list(dict.fromkeys(name for name, _ in state.written))
        if names:
            self.headline.setText(
                self.tr("Set up: %1.").replace("%1", ", ".join(names)),
                "ok",
            )
        else:
            self.headline.setText(self.tr("No mail program was changed."), "warning")
        self.summary.setText(self._relay_lines() + self._written_lines())
        self.skipped.setText(self._skipped_lines())
        self.undo.setVisible(bool(names))
        if names and not self.undo_note.text():
            self.undo_note.setText(
                self.tr(
                    "This puts the old files back. Later, in a terminal, type "
                    "<tt>relay-setup undo</tt> and the program's name."
                )
            )
        self.undo_note.setVisible(bool(self.undo_note.text()))  # after an undo: what it did
        self.report.setPlainText(report_text(state))

    def _relay_lines(self) -> str:
        state = self.state
        lines = []
        if state.chosen is not None:
            s = state.setting()
            lines.append(
                self.tr("Relay <b>%1</b>, port %2 with %3, as %4.")
                .replace("%1", html.escape(s.host))
                .replace("%2", str(s.port))
                .replace("%3", tls_label(s.tls))
                .replace("%4", html.escape(s.user))
            )
            if s.pin_sha256:
                lines.append(
                    self.tr("Certificate pinned: %1").replace(
                        "%1", " ".join(grouped_fingerprint(s.pin_sha256))
                    )
                )
        lines.append(
            self.tr("Password kept in your keyring.")
            if state.remembered
            else self.tr("Password not kept: your mail programs will ask for it.")
        )
        if state.sent is not None:  # sent on this pass: the message page forgets older ones
            lines.append(
                self.tr("Test message accepted (queue id %1).").replace(
                    "%1", html.escape(state.sent.queue_id or "-")
                )
            )
        else:
            lines.append(self.tr("No test message sent."))
        return "<p>" + "<br>".join(lines) + "</p>"

    def _written_lines(self) -> str:
        state = self.state
        out = []
        for name, applied in state.written:
            files = []
            for written in applied.written:
                path = html.escape(str(written.path))
                files.append(
                    self.tr("%1 (backup: %2)")
                    .replace("%1", path)
                    .replace("%2", html.escape(str(written.backup)))
                    if written.backup is not None
                    else self.tr("%1 (a new file: undo removes it)").replace("%1", path)
                )
            step = _next_step(name)
            if name in _FROM_KEYRING and not state.remembered:
                step += " " + self.tr(
                    "Your password is not in the keyring: go back to Your account and tick "
                    "Remember."
                )
            out.append(
                f"<p><b>{html.escape(name)}</b><br>"
                + "".join(f"• {f}<br>" for f in files)
                + self.tr("Next: %1").replace("%1", html.escape(step))
                + "</p>"
            )
        return "".join(out)

    def _skipped_lines(self) -> str:
        written = {name for name, _ in self.state.written}
        skipped = [
            (n, why) for n, why in self.relay_wizard.clients_page.skipped() if n not in written
        ]
        if not skipped:
            return ""
        items = "".join(f"• {html.escape(name)}: {html.escape(why)}<br>" for name, why in skipped)
        heading = self.tr("Not set up")
        return f"<p><b>{heading}</b><br>{items}</p>"

    def _show_details(self, shown: bool) -> None:
        self.report.setVisible(shown)

    def undo_changes(self) -> None:
        self.undo.setEnabled(False)
        self.undo_note.setText(self.tr("Putting the old files back…"))
        self.relay_wizard.clients_page.undo_settings(then=self._on_undone)

    def _on_undone(self, said: str) -> None:
        self.undo.setEnabled(True)
        self.undo_note.setText(said)
        self._refresh()

    def copy_diagnostics(self) -> None:
        text = report_text(self.state)
        self.report.setPlainText(text)
        QGuiApplication.clipboard().setText(text)
        self.copied.setText(self.tr("Copied: paste it into a message to your IT department."))
