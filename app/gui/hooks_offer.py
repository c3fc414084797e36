"""The Done page's offer: "Check my setup when the network changes" installs (or removes) the
hooks of `relay-setup check` (app/core/roaming/hooks.py), on the task pool, never on the GUI
thread (it runs systemctl)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QCheckBox, QVBoxLayout, QWidget

from ..core.roaming.hooks import SERVICE, HooksResult, install_hooks, remove_hooks, user_units_dir
from .pages.base import message_label
from .tasks import Outcome, Runner


class HooksOffer(QWidget):
    def __init__(self, runner: Callable[[], Runner], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._runner = runner  # the wizard's, known only once the page is in it
        self.box = QCheckBox(self.tr("Check my setup when the &network changes"))
        self.box.setObjectName("check_on_network_change")
        self.box.setToolTip(
            self.tr("On a new network, test that mail still goes through, and tell me if not")
        )
        self.box.setChecked((user_units_dir() / SERVICE).is_file())  # a stat: quick
        self.box.toggled.connect(self._toggled)
        self.said = message_label("hooks_result")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.box)
        layout.addWidget(self.said)

    def _toggled(self, on: bool) -> None:
        self.box.setEnabled(False)
        self.said.setText(self.tr("Working…"))
        self._runner().run_task(install_hooks if on else remove_hooks, self._done)

    def _done(self, outcome: Outcome) -> None:
        self.box.setEnabled(True)
        on = self.box.isChecked()
        if not outcome.ok:
            self.box.blockSignals(True)
            self.box.setChecked(not on)  # as it really is
            self.box.blockSignals(False)
            self.said.setText(self.tr("Not changed: %1").replace("%1", str(outcome.error)))
            return
        result: HooksResult = outcome.value
        if not on:
            self.said.setText(self.tr("Off."))
        elif result.enabled:
            self.said.setText(self.tr("On: your setup is checked whenever the network changes."))
        else:
            self.said.setText(
                self.tr(
                    "Saved, but your system's service manager did not answer, so it is not on "
                    "yet. It needs a desktop session with systemd."
                )
            )
