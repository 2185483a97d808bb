"""What every tab of the 印章 screen shares: the page it lives on, its service, and
refilling its list while keeping the shown item.

GUI thread only; a panel's blocking work goes through the page's
:class:`~office_app.kit.PageWork` (``self.page.work``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QListView, QVBoxLayout, QWidget

from office_app.kit import ROW_ROLE, RowListModel, RowTableModel, list_view
from office_app.widgets import AdaptiveSplit, EmptyState

if TYPE_CHECKING:
    from modules.seals.service import SealService
    from modules.seals.views.page import SealsPage

#: Records as the seal tabs hold them (cache records, or a verification report's rows).
Rows = list[dict[str, Any]]


class Panel(QWidget):
    """Base of the tabs: ``page``, ``service``, and ``navigation_changed`` for the shell.

    A panel with a list sets ``model``, ``list`` and ``empty`` and keeps the shown row
    in ``current``; :meth:`refill` puts new rows in."""

    navigation_changed = Signal()

    model: RowListModel[dict[str, Any]] | RowTableModel[dict[str, Any]]
    list: QListView
    empty: EmptyState

    def __init__(self, page: SealsPage) -> None:
        super().__init__()
        self.page = page
        self.service: SealService | None = page.service
        self.current: dict[str, Any] | None = None

    @property
    def svc(self) -> SealService:
        """The service, for actions: a panel only acts on rows it loaded, and it loads
        nothing without a service."""
        if self.service is None:
            raise RuntimeError("the seals page has no service")
        return self.service

    def set_split(self, left: QWidget, detail: QWidget) -> None:
        """Lay the panel out as ``left`` (the list) beside ``detail`` — list → detail
        at phone width; ``self.split`` is what the shell's back button drives."""
        self.split = AdaptiveSplit([left, detail], [2, 3])
        self.split.set_sizes([420, 640])
        self.split.navigation_changed.connect(self.navigation_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.split)

    def refill(self, rows: Rows) -> int:
        """Show ``rows`` (or the empty state); the new position of the row shown before,
        -1 when none was shown or it is gone."""
        keep = self.current.get("id") if self.current else None
        self.model.set_rows(rows)
        self.list.setVisible(bool(rows))
        self.empty.setVisible(not rows)
        return self.model.row_of(keep) if keep else -1


def seal_list(model: RowListModel[dict[str, Any]],
              on_pick: Callable[[dict[str, Any]], None]) -> QListView:
    """The kit's list view as the seal tabs show it: rows of two wrapped lines, a little
    apart; ``on_pick(row)`` when a row is clicked or activated."""
    view = list_view(model, on_pick=lambda index: on_pick(index.data(ROW_ROLE)))
    view.setSpacing(2)
    view.setWordWrap(True)
    return view
