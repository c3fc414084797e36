"""Mail clients: those installed here, each with a preview of its change as a diff; write
(backups made, listed), and undo."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
)

from ...core.setup.clients import Found, remember_written, survey, undo_clients, write_plans
from ..tasks import Outcome
from ..words import say, say_error
from .base import Page, StatusLine

_NAME = Qt.ItemDataRole.UserRole


def _problem(found: Found) -> str:
    return say(found.problem_text) if found.problem_text else found.problem


class ClientsPage(Page):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(self.tr("Your mail programs"))
        self.setSubTitle(
            self.tr(
                "Tick the programs to set up. Every change is shown first and can be undone; "
                "no password goes into a file."
            )
        )
        self.list = QListWidget()
        self.list.setObjectName("clients")
        self.list.setAccessibleName(self.tr("Mail programs found on this computer"))
        self.list.currentItemChanged.connect(self._show_plan)
        self.list.itemChanged.connect(self._ticks_changed)
        self.diff = QPlainTextEdit()
        self.diff.setObjectName("diff")
        self.diff.setAccessibleName(self.tr("The change, as a diff"))
        self.diff.setReadOnly(True)
        self.diff.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.diff.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.write_button = QPushButton(self.tr("&Write settings"))
        self.write_button.setObjectName("write")
        self.write_button.clicked.connect(self.write_settings)
        self.undo_button = QPushButton(self.tr("&Undo"))
        self.undo_button.setObjectName("undo")
        self.undo_button.setEnabled(False)
        self.undo_button.clicked.connect(lambda: self.undo_settings())
        self.status = StatusLine("clients_status")
        # Why a program cannot be set up, and its notes: wrapped in full under the list (the
        # diff beside it is monospace and does not wrap).
        self.about = StatusLine("client_about")
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.list)
        split.addWidget(self.diff)
        split.setStretchFactor(1, 1)
        split.setSizes([240, 480])
        buttons = QHBoxLayout()
        buttons.addWidget(self.write_button)
        buttons.addWidget(self.undo_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(split, 1)
        layout.addWidget(self.about)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        self._found: dict[str, Found] = {}
        self._written: list[str] = []
        self._unticked: set[str] = set()
        self._next_after_write = False  # Next pressed with programs ticked: write, then go on
        self._validating = False  # validatePage is on the stack (work done at once)
        self._answer = False
        self._working = False
        self._after_undo: Callable[[str], None] | None = None
        self._undone = ""  # what the last undo put back, for _after_undo

    def initializePage(self) -> None:
        self._survey("")

    def _survey(self, note: str, then_go_on: bool = False, kind: str = "") -> None:
        """Detect and plan again; `note` (what was just done; its icon: `kind`) stays above
        the count."""
        ticked = set(self.checked())
        self._unticked = {f.name for f in self._to_write(everything=True) if f.name not in ticked}
        self.list.clear()
        self.diff.clear()
        self.status.setText(self.tr("Looking for mail programs…"), "pending")
        relay, home = self.state.setting(), self.config.home
        self._set_working(True)
        self.runner.run_task(
            lambda: survey(relay, home), lambda o: self._on_survey(o, note, then_go_on, kind)
        )

    def busy(self) -> bool:
        return self._working

    def action_button(self) -> QPushButton:
        return self.write_button

    def isComplete(self) -> bool:
        return not self._working

    def validatePage(self) -> bool:
        """Next writes what is ticked (as Write does) and goes on once it is all written."""
        if self._working:
            return False
        if not self._to_write():
            return True
        self._next_after_write, self._answer, self._validating = True, False, True
        try:
            self.write_settings()
        finally:
            self._validating = False
        return self._answer

    def _go_on_after_write(self, all_written: bool) -> None:
        if not self._next_after_write:
            return
        self._next_after_write = False
        if not all_written:
            return  # the reason is shown; the user decides
        if self._validating:
            self._answer = True  # validatePage is still on the stack: it answers
        elif self.relay_wizard.currentPage() is self:
            self.relay_wizard.next()

    def _ticks_changed(self, _item: QListWidgetItem) -> None:
        self._set_working(self._working)  # Write follows what is ticked

    def _set_working(self, working: bool) -> None:
        self._working = working
        self.write_button.setEnabled(not working and bool(self._to_write()))
        self.undo_button.setEnabled(not working and bool(self._written))
        self.completeChanged.emit()

    def _on_survey(
        self, outcome: Outcome, note: str = "", then_go_on: bool = False, kind: str = ""
    ) -> None:
        self._found = {}
        try:
            self._show_survey(outcome, note, then_go_on, kind)
        finally:
            then, self._after_undo = self._after_undo, None
            if then is not None:
                then(self._undone)

    def _show_survey(self, outcome: Outcome, note: str, then_go_on: bool, kind: str) -> None:
        if not outcome.ok:
            self._set_working(False)
            error = html.escape(say_error(outcome.error))
            self.status.setText(f"{note}<br>{error}" if note else error, "error")
            self._go_on_after_write(then_go_on)
            return
        for found in outcome.value:
            self._found[found.name] = found
            if found.info is not None and found.info.installed:
                self.state.client_versions[found.name] = found.info.version
            item = QListWidgetItem(self._label(found), self.list)
            item.setData(_NAME, found.name)
            usable = found.plan is not None
            if not usable:
                item.setToolTip(self.why_not(found))  # also shown in full below the list
            flags = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled
            item.setFlags(flags | Qt.ItemFlag.ItemIsUserCheckable if usable else flags)
            if usable:
                # One already set up, or one the user unticked, stays unticked.
                changed = found.plan is not None and found.plan.changed
                ticked = changed and found.name not in self._unticked
                item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
        installed = [f for f in self._found.values() if f.plan is not None]
        count = (
            self.tr("Found %1 of %2 mail programs.")
            .replace("%1", str(len(installed)))
            .replace("%2", str(len(self._found)))
        )
        self.status.setText(f"{note}<br>{count}" if note else count, kind)
        self._set_working(False)
        if self.list.count():
            self.list.setCurrentRow(0)
        self._go_on_after_write(then_go_on)

    def _label(self, found: Found) -> str:
        info = found.info
        if info is None:
            return self.tr("%1 (cannot be set up)").replace("%1", found.name)
        if not info.installed:
            return self.tr("%1 (not installed)").replace("%1", found.name)
        version = f" {info.version}" if info.version else ""
        same = "" if found.plan is None or found.plan.changed else self.tr(" — already set up")
        return f"{found.name}{version}{same}"

    def names(self) -> list[str]:
        return [self.list.item(i).data(_NAME) for i in range(self.list.count())]

    def checked(self) -> list[str]:
        names = []
        for i in range(self.list.count()):
            item = self.list.item(i)
            if item.checkState() is Qt.CheckState.Checked:
                names.append(item.data(_NAME))
        return names

    def set_checked(self, name: str, on: bool) -> None:
        for i in range(self.list.count()):
            item = self.list.item(i)
            if item.data(_NAME) == name:
                item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def _show_plan(self, item: QListWidgetItem | None, _previous: object = None) -> None:
        found = self._found.get(item.data(_NAME)) if item else None
        if found is None:
            self.diff.clear()
            self.about.clear()
            return
        lines = []
        notes = list(found.info.notes) if found.info is not None else []
        if found.info is not None and found.info.config_path:
            lines.append(
                "# " + self.tr("Settings file: %1").replace("%1", str(found.info.config_path))
            )
        if found.plan is not None:
            notes += found.plan.notes
            runs = self.tr("then runs: %1")  # lupdate cannot read tr() inside an f-string
            lines += ["# " + runs.replace("%1", " ".join(a.argv)) for a in found.plan.actions]
            lines.append(found.plan.diff() or self.tr("(no change needed)"))
        self.diff.setPlainText("\n".join(lines))
        told = "<br>".join(html.escape(say(note)) for note in notes)
        if found.plan is None:
            why = html.escape(self.why_not(found))
            self.about.setText(f"{why}<br>{told}" if told else why, "error")
        else:
            self.about.setText(told)

    def why_not(self, found: Found, *, named: bool = True) -> str:
        """Why a program is not offered: not installed, or the problem its module reported."""
        if found.problem:
            said = self.tr("%1 cannot be set up: %2") if named else "%2"
            return said.replace("%1", found.name).replace("%2", _problem(found))
        if not named:
            return self.tr("not installed on this computer")
        return self.tr("%1 is not installed on this computer.").replace("%1", found.name)

    def skipped(self) -> list[tuple[str, str]]:
        """The programs of the last survey that this pass leaves as they were, and why."""
        ticked = set(self.checked())
        out = []
        for found in self._found.values():
            if found.plan is None:
                out.append((found.name, self.why_not(found, named=False)))
            elif not found.plan.changed:
                out.append((found.name, self.tr("already set up: nothing to change")))
            elif found.name not in ticked:
                out.append((found.name, self.tr("not ticked")))
            else:
                out.append((found.name, self.tr("ticked but not written")))
        return out

    def _to_write(self, *, everything: bool = False) -> list[Found]:
        """The ticked programs whose files would change (everything: ticked or not)."""
        chosen = self._found.values() if everything else map(self._found.get, self.checked())
        return [f for f in chosen if f is not None and f.plan is not None and f.plan.changed]

    def write_settings(self) -> None:
        chosen = self._to_write()
        if not chosen:
            self.status.setText(
                self.tr("Nothing to write: tick a mail program that is not set up yet."), "warning"
            )
            return
        self._set_working(True)
        self.status.setText(self.tr("Writing…"), "pending")
        setting, report = self.state.setting(), self.state.report

        def write() -> list[tuple[str, Any]]:
            results = write_plans(chosen)
            remember_written(setting, report, results)  # for `relay-setup check` later
            return results

        self.runner.run_task(write, self._on_written)

    def _on_written(self, outcome: Outcome) -> None:
        if not outcome.ok:
            self._set_working(False)
            self.status.setText(html.escape(say_error(outcome.error)), "error")
            self._go_on_after_write(False)
            return
        lines = []
        all_written = True
        for name, result in outcome.value:
            if isinstance(result, Exception):
                all_written = False
                lines.append(
                    self.tr("%1: not written: %2")
                    .replace("%1", name)
                    .replace("%2", html.escape(say_error(result)))
                )
                continue
            self._written.append(name)
            self.state.written.append((name, result))
            self.state.log.append(f"wrote {name}")
            files = ", ".join(html.escape(str(w.path)) for w in result.written) or self.tr(
                "nothing to change"
            )
            backups = ", ".join(html.escape(str(b)) for b in result.backups) or self.tr("none")
            lines.append(
                self.tr("%1: wrote %2; backups: %3")
                .replace("%1", name)
                .replace("%2", files)
                .replace("%3", backups)
            )
        self._set_working(False)
        # Read the files again: what was written now shows as set up, and the next write
        # compares with the files as they are, not as they were before ours.
        self._survey("<br>".join(lines), all_written, "ok" if all_written else "error")

    def undo_settings(self, *, then: Callable[[str], None] | None = None) -> None:
        """Undo what this wizard wrote; `then` gets what was put back, in words."""
        self._after_undo = then
        names = list(dict.fromkeys(reversed(self._written)))
        self._set_working(True)
        self.runner.run_task(lambda: undo_clients(names), self._on_undone)

    def _on_undone(self, outcome: Outcome) -> None:
        lines = []
        kind = "ok" if outcome.ok else "error"
        for name, result in outcome.value if outcome.ok else []:
            if isinstance(result, Exception):
                lines.append(f"{name}: {html.escape(say_error(result))}")
                kind = "error"
                continue
            restored = [*result.restored, *result.removed]
            lines.append(
                self.tr("%1: put back %2")
                .replace("%1", name)
                .replace("%2", ", ".join(html.escape(str(p)) for p in restored) or "-")
            )
            self.state.log.append(f"undid {name}")
            self.state.written = [w for w in self.state.written if w[0] != name]
        self._written.clear()
        self._set_working(False)
        said = "<br>".join(lines) or html.escape(say_error(outcome.error))
        self._undone = said
        self._survey(said, kind=kind)  # diffs against the files now; then tells `then`
