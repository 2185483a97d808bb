"""The page kit: the plumbing every screen shares, written once.

* :func:`error_text` — the one way to turn a failure into a sentence for the user.
* :class:`RowListModel` / :class:`RowTableModel` — item models over a list of rows
  (dicts or objects) with ``set_rows``, guarded ``rowCount`` / ``data`` and a role map.
* :func:`list_view` — a list view set up with its model, delegate and pick handler;
  :func:`search_box` and :func:`page_title`, the two pieces of chrome every page has.
* :class:`DebouncedSearch` — a search box that emits its query once typing pauses.
* :class:`PageWork` — how a page runs blocking work: over
  :func:`office_app.tasks.run_in_background`, answers dropped once the page is gone,
  failures reported in words.

Everything here is GUI-thread only (models, widgets, timers, and starting work); only the
functions handed to :meth:`PageWork.run` run on a pool thread, and they must not touch
widgets or models.
"""

from __future__ import annotations

import inspect
import weakref
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractListModel,
    QAbstractTableModel,
    QByteArray,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import QAbstractItemDelegate, QLabel, QLineEdit, QListView, QWidget

from modules.common.errors import DomainError
from office_app import i18n, icons, theme
from office_app.tasks import Task, run_in_background
from office_app.widgets import text_label

Index = QModelIndex | QPersistentModelIndex
Row = TypeVar("Row")

#: Role carrying the whole row (the dict or object) of every kit model.
ROW_ROLE = Qt.ItemDataRole.UserRole + 1
#: Role carrying the row's id (``row["id"]`` or ``row.id``).
ID_ROLE = Qt.ItemDataRole.UserRole + 2
#: First role number free for a model's own roles.
FIRST_FREE_ROLE = Qt.ItemDataRole.UserRole + 3

_ROOT = QModelIndex()


# --------------------------------------------------------------------------- errors

def error_text(exc: BaseException, lang: str | None = None) -> str:
    """The sentence to show for ``exc``, in ``lang`` (default: the interface language).

    An expected error (:class:`DomainError`) gives its own message — a server error
    already names the server's request id there. Anything else is a bug: "internal
    error" with the server's request id when the exception carries one, else "-" (the
    bug itself is logged by the task runner). Any thread; pure.
    """
    lang = lang or i18n.current_lang()
    if isinstance(exc, DomainError):
        return exc.message(lang)
    from modules.common.messages import render

    request_id = str(getattr(exc, "request_id", "") or "-")
    return render("internal_error", lang, {"request_id": request_id})


# --------------------------------------------------------------------------- models

def row_id(row: Any) -> Any:
    """The id of a row: ``row["id"]`` for a dict, else ``row.id`` (None when absent)."""
    if isinstance(row, dict):
        return row.get("id")
    return getattr(row, "id", None)


class _Rows(Generic[Row]):
    """What both kit models share: the rows, their lookups and ``set_rows`` (put before
    the Qt model class)."""

    _rows: list[Row]

    if TYPE_CHECKING:  # provided by the Qt model class
        def beginResetModel(self) -> None: ...
        def endResetModel(self) -> None: ...

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)  # type: ignore[call-arg]
        self._rows = []

    def set_rows(self, rows: Iterable[Row]) -> None:
        """Replace every row (one model reset)."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[Row]:
        """A copy of the rows, in display order."""
        return list(self._rows)

    def row_at(self, i: int) -> Row | None:
        """Row ``i``, or None when out of range."""
        return self._rows[i] if 0 <= i < len(self._rows) else None

    def row_of(self, wanted_id: Any) -> int:
        """The position of the row whose id is ``wanted_id``, -1 if none."""
        return next((i for i, r in enumerate(self._rows) if row_id(r) == wanted_id), -1)

    def _row_for(self, index: Index) -> Row | None:
        """The row of a valid top-level ``index`` of this model, else None (the guard)."""
        if not index.isValid() or index.parent().isValid():
            return None
        return self.row_at(index.row())

    def value(self, row: Row, role: int) -> Any:
        """The data of ``row`` for ``role`` — override; the base answers the row and id
        roles and nothing else. Call ``super().value(row, role)`` for the fallbacks."""
        if role == ROW_ROLE:
            return row
        if role == ID_ROLE:
            return row_id(row)
        return None


class RowListModel(_Rows[Row], QAbstractListModel):
    """A list model over rows. Subclasses override :meth:`value` (row, role) → data.

    GUI thread only. Rows are loaded in the background (:class:`PageWork`) and handed in
    with :meth:`set_rows`; the model keeps its own copy of the list (not of the rows).
    ``ROLE_NAMES`` maps each custom role to its name (``roleNames``).
    """

    RowRole = ROW_ROLE
    IdRole = ID_ROLE
    ROLE_NAMES: ClassVar[dict[int, bytes]] = {ROW_ROLE: b"row", ID_ROLE: b"id"}

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self._row_for(index)
        if row is None or index.column() != 0:
            return None
        return self.value(row, role)

    def roleNames(self) -> dict[int, QByteArray]:
        names = dict(super().roleNames())
        names.update({role: QByteArray(name) for role, name in self.ROLE_NAMES.items()})
        return names


class RowTableModel(_Rows[Row], QAbstractTableModel):
    """A table model over rows, one column per key of ``COLUMNS``.

    Subclasses set ``COLUMNS``, override :meth:`header` (key → title, in the interface
    language) and :meth:`cell` (row, key, role → data); :meth:`value` still answers the
    row and id roles in every column. GUI thread only; rows come in with :meth:`set_rows`.
    """

    COLUMNS: ClassVar[tuple[str, ...]] = ()
    RowRole = ROW_ROLE
    IdRole = ID_ROLE

    def header(self, key: str) -> str:
        """The title of column ``key`` — override."""
        return key

    def cell(self, row: Row, key: str, role: int) -> Any:
        """The data of column ``key`` of ``row`` for ``role`` — override."""
        return None

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal
                and 0 <= section < len(self.COLUMNS)):
            return self.header(self.COLUMNS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self._row_for(index)
        if row is None or not 0 <= index.column() < len(self.COLUMNS):
            return None
        found = self.cell(row, self.COLUMNS[index.column()], role)
        return self.value(row, role) if found is None else found


# --------------------------------------------------------------------------- views

def page_title(text: str) -> QLabel:
    """The page's title label (``PageTitle``: hidden at phone width, where the top bar
    shows the title). GUI thread only."""
    title = text_label(text, "title")
    title.setObjectName("PageTitle")
    return title


def search_box(placeholder: str, accessible_name: str = "") -> QLineEdit:
    """A search field: placeholder, clear button, search icon in front. Pair it with
    :class:`DebouncedSearch`. GUI thread only."""
    box = QLineEdit()
    box.setPlaceholderText(placeholder)
    box.setClearButtonEnabled(True)
    box.addAction(icons.icon("search", theme.colors()["muted"]),
                  QLineEdit.ActionPosition.LeadingPosition)
    if accessible_name:
        box.setAccessibleName(accessible_name)
    return box


def list_view(model: QAbstractListModel,
              delegate: Callable[[QListView], QAbstractItemDelegate] | None = None, *,
              name: str = "", on_pick: Callable[[QModelIndex], None] | None = None,
              uniform: bool = False, per_pixel: bool = False) -> QListView:
    """A list view over ``model``: single selection, ``delegate(view)`` painting the rows
    (with hover tracking), ``on_pick(index)`` on click and on Enter / double-click.
    ``uniform``: every row has the same height (faster on long lists); ``per_pixel``:
    smooth scrolling. GUI thread only."""
    view = QListView()
    if name:
        view.setObjectName(name)
    view.setModel(model)
    view.setSelectionMode(QListView.SelectionMode.SingleSelection)
    if delegate is not None:
        view.setItemDelegate(delegate(view))
        view.setMouseTracking(True)
    view.setUniformItemSizes(uniform)
    if per_pixel:
        view.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
    if on_pick is not None:
        view.clicked.connect(on_pick)
        view.activated.connect(on_pick)
    return view


class DebouncedSearch(QObject):
    """Watches a search box and emits ``query(text)`` (stripped) once typing has paused
    for ``delay_ms``; Return (``on_return``) or :meth:`flush` emit at once.

    A child of ``box``: it lives and dies with the box. GUI thread only. The receiver
    runs the search (usually through :class:`PageWork`, cancelling the previous one).
    """

    query = Signal(str)

    def __init__(self, box: QLineEdit, delay_ms: int = 180, *, on_return: bool = True) -> None:
        super().__init__(box)
        self.box = box
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self.flush)
        box.textChanged.connect(self._typed)
        if on_return:
            box.returnPressed.connect(self.flush)

    def _typed(self, _text: str) -> None:
        self._timer.start()

    def text(self) -> str:
        """The box's text, stripped."""
        return self.box.text().strip()

    def pending(self) -> bool:
        """True while a query waits for typing to pause."""
        return self._timer.isActive()

    def flush(self) -> None:
        """Emit the query now (a waiting one is not emitted again)."""
        self._timer.stop()
        self.query.emit(self.text())

    def set_text(self, text: str) -> None:
        """Put ``text`` in the box and emit it at once (no second, debounced emit)."""
        self.box.blockSignals(True)
        self.box.setText(text)
        self.box.blockSignals(False)
        self.flush()


# --------------------------------------------------------------------------- work

class PageWork:
    """How one page runs blocking work (cache, engine, network, files).

    ``run(fn, done, failed)`` calls ``fn()`` on the task pool; ``done(result)`` or
    ``failed(exc)`` then run on the GUI thread — unless ``owner`` (the page widget) was
    deleted meanwhile. Without ``failed``, the failure goes to ``report(text)`` in words
    (:func:`error_text`); bugs are logged with their traceback by the task runner.
    ``latest`` names a slot: starting work under a name cancels the previous work under
    that name, so only the newest answer arrives (searches, the open item).

    The page and a ``report`` that is one of its methods are held weakly: a page keeps
    its ``PageWork`` in an attribute, and a cycle back to the page would keep its
    Python wrapper alive after Qt deleted the widget.

    Create and call on the GUI thread only; ``fn`` must not touch widgets.
    """

    def __init__(self, owner: QWidget, report: Callable[[str], None]) -> None:
        self._owner = weakref.ref(owner)
        self._report: Callable[[], Callable[[str], None] | None] = (
            weakref.WeakMethod(report) if inspect.ismethod(report)
            else (lambda: report))
        self._latest: dict[str, Task] = {}

    @property
    def owner(self) -> QWidget | None:
        """The page (None once it is gone)."""
        return self._owner()

    def report(self, text: str) -> None:
        """Say ``text`` through the page's ``report`` (nothing once the page is gone)."""
        report = self._report()
        if report is not None:
            report(text)

    def run(self, fn: Callable[[], Any], done: Callable[[Any], None] | None = None,
            failed: Callable[[BaseException], None] | None = None, *,
            latest: str = "") -> Task:
        """Start ``fn`` in the background; returns its :class:`Task` (cancellable)."""
        if latest:
            self.cancel(latest)
        owner = self.owner
        if owner is None:  # the page is gone: nothing would receive the answer
            task = Task(getattr(fn, "__name__", "task"))
            task.cancel()
            return task
        task = run_in_background(fn, done, failed or self.fail, owner=owner)
        if latest:
            self._latest[latest] = task
        return task

    def cancel(self, latest: str) -> None:
        """Drop the answer of the work started under ``latest`` (if any is pending)."""
        task = self._latest.pop(latest, None)
        if task is not None:
            task.cancel()

    def fail(self, exc: BaseException) -> None:
        """Report ``exc`` in words (the default ``failed``)."""
        self.report(error_text(exc))

    @staticmethod
    def words(exc: BaseException) -> str:
        """``exc`` in words in the interface language (:func:`error_text`)."""
        return error_text(exc)
