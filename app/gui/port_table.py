"""The probe's table of ports: a row for every port from the start, in the order the ports were
asked; each row an icon and words; the "Meaning" wrapped, never cut off with "…"; as tall as its
rows, so the page around it scrolls instead of the table hiding rows."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtWidgets import (
    QHeaderView,
    QSizePolicy,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from ..core.results import PortResult, PortSpec, PortStatus, TlsMode
from . import words
from .icons import icon, status_icon_name

_RESULT = Qt.ItemDataRole.UserRole
_PORT = Qt.ItemDataRole.UserRole + 1
MEANING = 3
# No connection was made: which encryption the port speaks is unknown, not "none".
_NEVER_CONTACTED = frozenset({PortStatus.DNS_FAILED, PortStatus.REFUSED, PortStatus.TIMEOUT})


class _WrappingDelegate(QStyledItemDelegate):
    """A row as tall as its text wrapped at the column's width: QTreeView asks its delegates
    for a height without saying the width, which makes wrapped text one line tall."""

    def __init__(self, view: QTreeWidget) -> None:
        super().__init__(view)
        self._view = view

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        hint = super().sizeHint(option, index)
        text = index.data(Qt.ItemDataRole.DisplayRole)
        style = self._view.style()
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, self._view) + 1
        width = self._view.header().sectionSize(index.column()) - 2 * margin
        if text and width > 0:
            flags = Qt.TextFlag.TextWordWrap
            needed = option.fontMetrics.boundingRect(QRect(0, 0, width, 1 << 20), flags, text)
            hint.setHeight(max(hint.height(), needed.height() + 2 * margin))
        return hint


class PortTable(QTreeWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ports")
        self.setAccessibleName(self.tr("Ports of the relay"))
        self.setRootIsDecorated(False)
        self.setWordWrap(True)
        self.setUniformRowHeights(False)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        # As tall as its rows (see sizeHint) and as wide as the page: no scroll bars of its own.
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setHeaderLabels(
            [self.tr("Port"), self.tr("Encryption"), self.tr("Result"), self.tr("Meaning")]
        )
        header = self.header()
        header.setAccessibleName(self.tr("Columns"))
        header.setStretchLastSection(True)
        header.setSectionsMovable(False)
        for column in range(MEANING):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.setItemDelegateForColumn(MEANING, _WrappingDelegate(self))
        header.sectionResized.connect(self._rows_changed)

    # -- size: every row shown ------------------------------------------------------------------
    def _rows_changed(self) -> None:
        self.doItemsLayout()  # the wrapped rows' heights, again, at the new width
        self.updateGeometry()

    def sizeHint(self) -> QSize:
        rows = sum(self.indexRowSizeHint(self.indexFromItem(item)) for item in self._items())
        frame = 2 * self.frameWidth()
        header = self.header().sizeHint().height() if not self.isHeaderHidden() else 0
        return QSize(super().sizeHint().width(), header + rows + frame)

    def minimumSizeHint(self) -> QSize:
        return QSize(super().minimumSizeHint().width(), self.sizeHint().height())

    # -- rows -----------------------------------------------------------------------------------
    def _items(self) -> list[QTreeWidgetItem]:
        found = (self.topLevelItem(i) for i in range(self.topLevelItemCount()))
        return [item for item in found if item is not None]

    def start(self, ports: Sequence[PortSpec], wait_s: int) -> None:
        """A waiting row for every port, in the order asked: results fill them in place."""
        self.clear()
        for spec in ports:
            item = QTreeWidgetItem(self)
            item.setData(0, _PORT, spec.port)
            item.setText(0, str(spec.port))
            item.setText(2, self.tr("testing…"))
            item.setIcon(2, icon("pending"))
            item.setText(MEANING, self.tr("waiting… up to %1 s").replace("%1", str(wait_s)))
        self._rows_changed()

    def item_for(self, port: int) -> QTreeWidgetItem | None:
        return next((item for item in self._items() if item.data(0, _PORT) == port), None)

    def result_of(self, port: int) -> PortResult | None:
        item = self.item_for(port)
        return result_in(item)

    def fill(self, result: PortResult) -> QTreeWidgetItem:
        item = self.item_for(result.port)
        if item is None:  # a port not asked for (never, today): a row of its own, at the end
            item = QTreeWidgetItem(self)
            item.setData(0, _PORT, result.port)
        item.setData(0, _RESULT, result)
        item.setText(0, str(result.port))
        unknown = result.status in _NEVER_CONTACTED
        item.setText(1, "" if unknown else words.tls_label(result.tls))
        item.setText(2, self.status_text(result))
        item.setIcon(2, icon(status_icon_name(result)))
        item.setText(MEANING, words.port_meaning(result))
        item.setToolTip(MEANING, result.detail)
        self._rows_changed()
        return item

    def status_text(self, result: PortResult) -> str:
        """The outcome in a word or two; a port that answers without TLS never reads "ok"."""
        if result.status is PortStatus.OK and result.tls is TlsMode.NONE:
            return self.tr("answers, but without encryption")
        return words.status_label(result.status)


def result_in(item: QTreeWidgetItem | None) -> PortResult | None:
    """The result a row holds; None for a row still waiting."""
    return item.data(0, _RESULT) if item is not None else None
