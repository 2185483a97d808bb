"""Address book (通讯录) views: org tree, people list, person detail, search.

Data comes through a small query interface,
:class:`modules.directory.service.DirectoryReads` (blocking calls over the local cache),
which the page only ever calls through its :class:`office_app.kit.PageWork` — never on
the GUI thread. Search matches names,
full pinyin and initials (张伟 ← "张", "zhangwei", "zw") using the ranking of
:mod:`modules.directory.pinyin`.

Layout: wide = three panes (tree + search | people | detail); phone width = one pane at a
time with back navigation (the window's back button calls ``go_back``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QGuiApplication, QPainter, QPen
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from modules.directory.service import BODY, PERSON, DirectoryReads
from office_app import icons, theme
from office_app.bus import touches
from office_app.devices import DevicesService, PersonDevicesSection, holds_security_role
from office_app.kit import (
    FIRST_FREE_ROLE,
    ID_ROLE,
    DebouncedSearch,
    PageWork,
    RowListModel,
    list_view,
    page_title,
    search_box,
)
from office_app.navigation import register_page
from office_app.widgets import (
    TOUCH_TARGET,
    AdaptiveSplit,
    EmptyState,
    icon_button,
    repolish,
    scaled_font,
    set_touch,
    text_label,
)

if TYPE_CHECKING:
    from office_app.context import AppContext

ENTITIES = (BODY, PERSON)


# --------------------------------------------------------------------------- models

@dataclass
class _Node:
    id: str
    name: str
    kind: str
    parent: _Node | None = None
    children: list[_Node] = field(default_factory=list)

    def row(self) -> int:
        if self.parent is None:
            return 0
        return self.parent.children.index(self)


class OrgTreeModel(QAbstractItemModel):
    """Tree of bodies and departments (机关 / 内设机构). ``IdRole`` carries the body id."""

    IdRole = Qt.ItemDataRole.UserRole + 1
    KindRole = Qt.ItemDataRole.UserRole + 2

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._root = _Node("", "", "root")

    def set_bodies(self, bodies: list[dict[str, Any]]) -> None:
        """Replace the tree; bodies whose parent is unknown become top-level rows."""
        self.beginResetModel()
        root = _Node("", "", "root")
        nodes = {str(b["id"]): _Node(str(b["id"]), str(b.get("name", "")),
                                     str(b.get("kind", "body"))) for b in bodies}
        for b in bodies:
            node = nodes[str(b["id"])]
            parent = nodes.get(str(b.get("parent_id") or ""), root)
            if parent is node:
                parent = root
            node.parent = parent
            parent.children.append(node)
        self._root = root
        self.endResetModel()

    def _node(self, index: QModelIndex | QPersistentModelIndex) -> _Node:
        if index.isValid():
            return index.internalPointer()  # type: ignore[no-any-return]
        return self._root

    def index(self, row: int, column: int,
              parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if column != 0 or row < 0:
            return QModelIndex()
        node = self._node(parent)
        if row >= len(node.children):
            return QModelIndex()
        return self.createIndex(row, 0, node.children[row])

    def parent(self, index: QModelIndex | QPersistentModelIndex = QModelIndex()  # type: ignore[override]  # noqa: B008
               ) -> QModelIndex:
        if not index.isValid():
            return QModelIndex()
        node: _Node = index.internalPointer()
        parent = node.parent
        if parent is None or parent is self._root:
            return QModelIndex()
        return self.createIndex(parent.row(), 0, parent)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._node(parent).children)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 1

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        node: _Node = index.internalPointer()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return node.name
        if role == self.IdRole:
            return node.id
        if role == self.KindRole:
            return node.kind
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def index_of(self, body_id: str) -> QModelIndex:
        """The index of ``body_id`` (invalid if absent)."""
        stack = [self._root]
        while stack:
            node = stack.pop()
            for child in node.children:
                if child.id == body_id:
                    return self.createIndex(child.row(), 0, child)
                stack.append(child)
        return QModelIndex()


class PeopleModel(RowListModel[dict[str, Any]]):
    """Flat list of people rows (dicts with id, name, title, body_name)."""

    IdRole = ID_ROLE
    SubtitleRole = FIRST_FREE_ROLE

    def value(self, row: dict[str, Any], role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return str(row.get("name", ""))
        if role == self.SubtitleRole:
            return " · ".join(str(x) for x in (row.get("title"), row.get("body_name")) if x)
        if role == self.IdRole:
            return str(row.get("id", ""))
        if role == Qt.ItemDataRole.ToolTipRole:
            return " · ".join(str(x) for x in (row.get("name"), row.get("title"),
                                                row.get("body_name")) if x)
        return super().value(row, role)


_AVATAR_COLOURS = ("#3b7ddd", "#2e9e6a", "#c6782b", "#8a5cc7", "#cf4d6f", "#3a9bb0")


def avatar_colour(key: str) -> QColor:
    """A stable colour per person (by id) for the initial-letter avatar."""
    return QColor(_AVATAR_COLOURS[sum(map(ord, key)) % len(_AVATAR_COLOURS)])


def paint_avatar(painter: QPainter, rect: QRect, name: str, key: str, font: QFont) -> None:
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(avatar_colour(key))
    painter.drawEllipse(rect)
    glyph = name[-2:] if len(name) >= 2 else name
    f = QFont(font)
    f.setPixelSize(max(10, int(rect.height() * (0.34 if len(glyph) > 1 else 0.45))))
    f.setWeight(QFont.Weight.DemiBold)
    painter.setFont(f)
    painter.setPen(QColor("#ffffff"))
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, glyph)


class PersonDelegate(QStyledItemDelegate):
    """Avatar, name and "title · body" on two lines."""

    ROW_HEIGHT = 60

    def sizeHint(self, option: QStyleOptionViewItem,
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        return QSize(max(160, option.rect.width()), self.ROW_HEIGHT)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        c = theme.colors()
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = option.rect.adjusted(2, 2, -2, -2)
        if option.state & QStyle.StateFlag.State_Selected:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(c["accent_soft"]))
            painter.drawRoundedRect(rect, 8, 8)
        elif option.state & QStyle.StateFlag.State_MouseOver:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(c["hover"]))
            painter.drawRoundedRect(rect, 8, 8)
        name = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        key = str(index.data(PeopleModel.IdRole) or name)
        size = 38
        avatar = QRect(rect.left() + 10, rect.center().y() - size // 2, size, size)
        paint_avatar(painter, avatar, name, key, option.font)
        x = avatar.right() + 12
        width = rect.right() - x - 8
        font = scaled_font(option.font, 1.0, bold=True)
        fm = QFontMetrics(font)
        painter.setFont(font)
        painter.setPen(QColor(c["text"]))
        painter.drawText(QRect(x, rect.top() + 8, width, fm.height()),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         fm.elidedText(name, Qt.TextElideMode.ElideRight, width))
        small = scaled_font(option.font, 0.88)
        sfm = QFontMetrics(small)
        painter.setFont(small)
        painter.setPen(QPen(QColor(c["muted"])))
        subtitle = str(index.data(PeopleModel.SubtitleRole) or "")
        painter.drawText(QRect(x, rect.bottom() - 8 - sfm.height(), width, sfm.height()),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         sfm.elidedText(subtitle, Qt.TextElideMode.ElideRight, width))
        painter.restore()


# --------------------------------------------------------------------------- widgets

class Avatar(QLabel):
    """A round avatar with the last two characters of the name."""

    def __init__(self, size: int = 64, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._size = size
        self._name = ""
        self._key = ""
        self.setFixedSize(size, size)

    def set_person(self, name: str, key: str) -> None:
        self._name, self._key = name, key
        self.update()

    def paintEvent(self, _event: object) -> None:
        if not self._name:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        paint_avatar(painter, self.rect(), self._name, self._key, self.font())
        painter.end()


class ContactRow(QFrame):
    """"icon  value  [copy]" — the copy button puts the value on the clipboard."""

    copied = Signal(str)

    def __init__(self, icon_name: str, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 4)
        layout.setSpacing(10)
        pic = QLabel()
        pic.setPixmap(icons.pixmap(icon_name, 20, theme.colors()["muted"],
                                   self.devicePixelRatioF()))
        layout.addWidget(pic)
        column = QVBoxLayout()
        column.setSpacing(0)
        column.addWidget(text_label(caption, "small"))
        self.value = text_label("", None, selectable=True, wrap=True)
        column.addWidget(self.value)
        layout.addLayout(column, 1)
        self.copy_button = icon_button("copy", self.tr("Copy %1").replace("%1", caption))
        self.copy_button.setFixedSize(36, 36)
        self.copy_button.clicked.connect(self.copy)
        layout.addWidget(self.copy_button)

    def set_value(self, value: str) -> None:
        self.value.setText(value)
        self.setVisible(bool(value))

    def copy(self) -> None:
        text = self.value.text()
        if text:
            QGuiApplication.clipboard().setText(text)
            self.copied.emit(text)

    def set_touch(self, touch: bool) -> None:
        side = TOUCH_TARGET if touch else 36
        self.copy_button.setFixedSize(side, side)


class PersonDetail(QWidget):
    """Person card: avatar, name, posts (职务), phone and email with copy buttons; for
    the security administrator (``devices``) the person's devices with revoke."""

    def __init__(self, parent: QWidget | None = None, *,
                 devices: DevicesService | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Page")
        self._stack = QStackedWidget(self)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self._stack)
        self.empty = EmptyState("user", self.tr("Choose a person to see the details."))
        self._stack.addWidget(self.empty)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        body.setObjectName("Page")
        scroll.setWidget(body)
        self._stack.addWidget(scroll)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(24, 24, 24, 24)
        layout.setSpacing(14)
        head = QHBoxLayout()
        head.setSpacing(16)
        self.avatar = Avatar(64)
        head.addWidget(self.avatar)
        names = QVBoxLayout()
        names.setSpacing(2)
        self.name = text_label("", "title", selectable=True)
        self.subtitle = text_label("", "muted", wrap=True)
        names.addWidget(self.name)
        names.addWidget(self.subtitle)
        head.addLayout(names, 1)
        layout.addLayout(head)

        self.card = QFrame()
        self.card.setProperty("card", True)
        card_layout = QVBoxLayout(self.card)
        card_layout.setContentsMargins(16, 12, 16, 12)
        card_layout.setSpacing(6)
        card_layout.addWidget(text_label(self.tr("Posts"), "heading"))
        self.posts = QVBoxLayout()
        self.posts.setSpacing(4)
        card_layout.addLayout(self.posts)
        layout.addWidget(self.card)

        contact = QFrame()
        contact.setProperty("card", True)
        contact_layout = QVBoxLayout(contact)
        contact_layout.setContentsMargins(16, 8, 16, 8)
        self.phone = ContactRow("phone", self.tr("Phone"))
        self.email = ContactRow("mail", self.tr("Email"))
        contact_layout.addWidget(self.phone)
        contact_layout.addWidget(self.email)
        self.contact = contact
        layout.addWidget(contact)
        self.copied_note = text_label("", "small")
        layout.addWidget(self.copied_note)
        for row in (self.phone, self.email):
            row.copied.connect(self._copied)
        self.devices: PersonDevicesSection | None = None
        if devices is not None:
            self.devices = PersonDevicesSection(devices, "", "")
            layout.addWidget(self.devices)
        layout.addStretch(1)
        self.person_id = ""

    def show_person(self, person: dict[str, Any] | None) -> None:
        if not person:
            self.person_id = ""
            self._stack.setCurrentIndex(0)
            return
        self.person_id = str(person.get("id", ""))
        name = str(person.get("name", ""))
        self.avatar.set_person(name, self.person_id or name)
        self.name.setText(name)
        posts = list(person.get("posts") or [])
        self.subtitle.setText(str(posts[0].get("title", "")) if posts else "")
        while self.posts.count():
            item = self.posts.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        for post in posts:
            text = " · ".join(str(x) for x in (post.get("body_name"), post.get("title")) if x)
            self.posts.addWidget(text_label(text, None, wrap=True, selectable=True))
        self.card.setVisible(bool(posts))
        self.phone.set_value(str(person.get("phone") or ""))
        self.email.set_value(str(person.get("email") or ""))
        self.contact.setVisible(bool(person.get("phone") or person.get("email")))
        self.copied_note.setText("")
        if self.devices is not None and self.devices.person_id != self.person_id:
            self.devices.person_id, self.devices.person_name = self.person_id, name
            self.devices.list.set_rows([])
            self.devices.load()
        self._stack.setCurrentIndex(1)

    def _copied(self, text: str) -> None:
        self.copied_note.setText(self.tr("Copied: %1").replace("%1", text))

    def set_compact(self, compact: bool) -> None:
        for row in (self.phone, self.email):
            row.set_touch(compact)
        if self.devices is not None:
            self.devices.set_compact(compact)


class DirectoryPage(QWidget):
    """The 通讯录 page. Signals ``people_loaded`` / ``search_finished`` / ``person_shown``
    fire after background results were applied (tests wait on them)."""

    navigation_changed = Signal()
    bodies_loaded = Signal()
    people_loaded = Signal()
    search_finished = Signal(str)
    person_shown = Signal(str)

    def __init__(self, context: AppContext, queries: DirectoryReads | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Page")
        self.context = context
        self.queries: DirectoryReads = queries or context.directory()
        self._body_id = ""

        # pane 0: search + (tree | results)
        left = QWidget()
        left.setObjectName("Page")
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(16, 16, 8, 16)
        left_layout.setSpacing(10)
        left_layout.addWidget(page_title(self.tr("Directory")))
        self.search_box = search_box(self.tr("Search name, pinyin or initials"),
                                     self.tr("Search the directory"))
        left_layout.addWidget(self.search_box)
        self._left_stack = QStackedWidget()
        self.tree_model = OrgTreeModel(self)
        self.tree = QTreeView()
        self.tree.setModel(self.tree_model)
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setAnimated(True)
        self.tree.setIndentation(16)
        self.tree.setObjectName("OrgTree")
        self.tree.selectionModel().currentChanged.connect(self._body_chosen)
        self.tree.clicked.connect(self._body_clicked)
        self._left_stack.addWidget(self.tree)
        self.results_model = PeopleModel(self)
        self.results = list_view(self.results_model, PersonDelegate, name="PeopleList",
                                 on_pick=self._person_clicked)
        self._left_stack.addWidget(self.results)
        self.no_results = EmptyState("search", self.tr("Nobody matches."))
        self._left_stack.addWidget(self.no_results)
        left_layout.addWidget(self._left_stack, 1)

        # pane 1: people of the chosen body
        middle = QWidget()
        middle.setObjectName("Page")
        middle_layout = QVBoxLayout(middle)
        middle_layout.setContentsMargins(8, 16, 8, 16)
        middle_layout.setSpacing(10)
        self.people_title = text_label("", "heading", wrap=True)
        middle_layout.addWidget(self.people_title)
        self.people_model = PeopleModel(self)
        self.people = list_view(self.people_model, PersonDelegate, name="PeopleList",
                                on_pick=self._person_clicked)
        self._people_stack = QStackedWidget()
        self._people_stack.addWidget(self.people)
        self.no_people = EmptyState("directory", self.tr("No one in this unit."))
        self._people_stack.addWidget(self.no_people)
        middle_layout.addWidget(self._people_stack, 1)

        # pane 2: detail
        self.detail = PersonDetail(devices=DevicesService.of(context)
                                   if holds_security_role(context.principal) else None)

        self.split = AdaptiveSplit([left, middle, self.detail], [3, 3, 4])
        self.split.set_sizes([320, 320, 460])
        self.split.navigation_changed.connect(self.navigation_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.split)

        self.work = PageWork(self, self.people_title.setText)
        self.searcher = DebouncedSearch(self.search_box, 180)
        self.searcher.query.connect(self._run_search)

        context.bus.changed.connect(self._on_changes)
        self.reload()

    # -- navigation hooks -----------------------------------------------------------
    def set_compact(self, compact: bool) -> None:
        self.split.set_compact(compact)
        self.detail.set_compact(compact)
        self.tree.setProperty("touch", compact)
        set_touch(compact, self.search_box)
        repolish(self.tree)

    def can_go_back(self) -> bool:
        return self.split.can_go_back()

    def go_back(self) -> None:
        self.split.go_back()

    def open_ref(self, person_id: str) -> None:
        self.show_person(person_id)

    # -- loading --------------------------------------------------------------------
    def reload(self) -> None:
        """Reload the org tree (and the current unit's people) in the background."""
        queries = self.queries
        self.work.run(queries.bodies, self._bodies_loaded)

    def _bodies_loaded(self, bodies: list[dict[str, Any]]) -> None:
        self.tree_model.set_bodies(bodies)
        for row in range(self.tree_model.rowCount()):
            self.tree.expand(self.tree_model.index(row, 0))
        target = self.tree_model.index_of(self._body_id) if self._body_id else QModelIndex()
        if not target.isValid() and self.tree_model.rowCount():
            target = self.tree_model.index(0, 0)
        if target.isValid():
            self.tree.setCurrentIndex(target)
        self.bodies_loaded.emit()

    def _body_clicked(self, index: QModelIndex) -> None:
        self._body_chosen(index)
        self.split.show_pane(1)

    def _body_chosen(self, index: QModelIndex, _previous: QModelIndex | None = None) -> None:
        if not index.isValid():
            return
        self._body_id = str(index.data(OrgTreeModel.IdRole))
        self.people_title.setText(str(index.data(Qt.ItemDataRole.DisplayRole)))
        self.load_people(self._body_id)

    def load_people(self, body_id: str) -> None:
        queries = self.queries
        self.work.run(lambda: queries.people_in(body_id), self._people_loaded, latest="people")

    def _people_loaded(self, rows: list[dict[str, Any]]) -> None:
        self.people_model.set_rows(rows)
        self._people_stack.setCurrentIndex(0 if rows else 1)
        self.people_loaded.emit()

    # -- search ---------------------------------------------------------------------
    def search(self, text: str) -> None:
        """Search now (the box debounces typing and ends up here)."""
        self.searcher.set_text(text)

    def _run_search(self, text: str) -> None:
        if not text:
            self.work.cancel("search")
            self._left_stack.setCurrentWidget(self.tree)
            self.results_model.set_rows([])
            self.search_finished.emit("")
            return
        queries = self.queries
        self.work.run(lambda: queries.search(text), lambda rows: self._searched(text, rows),
                      latest="search")

    def _searched(self, text: str, rows: list[dict[str, Any]]) -> None:
        self.results_model.set_rows(rows)
        self._left_stack.setCurrentWidget(self.results if rows else self.no_results)
        self.search_finished.emit(text)

    # -- detail ---------------------------------------------------------------------
    def _person_clicked(self, index: QModelIndex) -> None:
        person_id = index.data(PeopleModel.IdRole)
        if person_id:
            self.show_person(str(person_id))

    def show_person(self, person_id: str, *, bring_forward: bool = True) -> None:
        """Load and show one person; ``bring_forward`` moves to the detail pane."""
        queries = self.queries
        self.work.run(lambda: queries.person(person_id),
                      lambda person: self._person_loaded(person, bring_forward))

    def _person_loaded(self, person: dict[str, Any] | None, bring_forward: bool = True) -> None:
        self.detail.show_person(person)
        if bring_forward:
            self.split.show_pane(2)
        self.person_shown.emit(str((person or {}).get("id", "")))

    def _on_changes(self, changes: Any) -> None:
        if touches(changes, *ENTITIES):
            self.reload()
            if self.searcher.text():
                self.searcher.flush()
            if self.detail.person_id:
                self.show_person(self.detail.person_id, bring_forward=False)


def make_page(context: AppContext) -> DirectoryPage:
    return DirectoryPage(context)


register_page("directory", "通讯录", "directory", make_page)
