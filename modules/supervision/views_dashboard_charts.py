"""督办看数, the second half: the monthly trend (bars of due / closed / overdue per month),
the items by source (a pie), the drill-down list (the items behind a clicked bar or
slice; a click opens the item), the ranking table (考评) and the 通报 draft dialog.

Charts are QtCharts; a click emits ``picked(what, key, sub)`` in the terms of
:func:`modules.supervision.stats.drill`. GUI thread only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QPieSeries,
    QPieSlice,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPainter
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from modules.supervision import rules as R
from modules.supervision import stats as S
from office_app import i18n, theme
from office_app.kit import RowListModel, RowTableModel
from office_app.widgets import text_label

_TREND_THEME = {"due": "accent", "closed": "ok", "overdue": "danger"}
_PIE = ("#3b82f6", "#f59e0b", "#10b981", "#ef4444", "#8b5cf6", "#14b8a6", "#ec4899", "#6b7280")


def _zh_en(pair: tuple[str, str]) -> str:
    return pair[1] if i18n.current_lang() == "en" else pair[0]


def _colour(role: str, fallback: str) -> QColor:
    return QColor(theme.colors().get(role, fallback))


def _chart() -> QChart:
    chart = QChart()
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    chart.legend().setLabelColor(_colour("text", "#222"))
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.setBackgroundVisible(False)
    return chart


class TrendChart(QChartView):
    """The 12 months as grouped bars (due, closed, overdue). ``picked("month", "2026-10",
    "overdue")`` when a bar is clicked."""

    picked = Signal(str, str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("TrendChart")
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_ = _chart()
        self.setChart(self.chart_)
        self.setMinimumHeight(240)
        self.setMinimumWidth(0)
        self._months: list[str] = []
        self._sets: dict[int, str] = {}

    def set_trend(self, trend: list[S.Month], compact: bool = False) -> None:
        chart = self.chart_
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        shown = trend[-6:] if compact else trend  # phone width: the last six months
        self._months = [m.label() for m in shown]
        series = QBarSeries()
        self._sets = {}
        for kind in S.TREND_KINDS:
            bars = QBarSet(_zh_en(S.TREND_WORDS[kind]))
            bars.setColor(_colour(_TREND_THEME[kind], "#888"))
            bars.setBorderColor(_colour(_TREND_THEME[kind], "#888"))
            bars.append([float(len(getattr(m, kind))) for m in shown])
            bars.clicked.connect(lambda index, k=kind: self.pick(k, index))
            series.append(bars)
        chart.addSeries(series)
        months = QBarCategoryAxis()
        # "26-10"; at phone width the month alone
        months.append([str(m.first.month) if compact else m.label()[2:] for m in shown] or [""])
        months.setLabelsColor(_colour("text", "#222"))
        chart.addAxis(months, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(months)
        counts = QValueAxis()
        counts.setLabelFormat("%d")
        top = max((len(getattr(m, k)) for m in shown for k in S.TREND_KINDS), default=0)
        counts.setRange(0, max(top, 1))
        counts.setTickCount(min(max(top, 1), 4) + 1)
        counts.setLabelsColor(_colour("muted", "#666"))
        chart.addAxis(counts, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(counts)

    def months(self) -> list[str]:
        return list(self._months)

    def pick(self, kind: str, index: int) -> None:
        """As a click on month ``index``'s ``kind`` bar."""
        if 0 <= index < len(self._months):
            self.picked.emit("month", self._months[index], kind)


class SourceChart(QChartView):
    """The period's items by source as a pie. ``picked("source", key, "")`` on a click."""

    picked = Signal(str, str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SourceChart")
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_ = _chart()
        self.chart_.legend().setAlignment(Qt.AlignmentFlag.AlignRight)
        self.setChart(self.chart_)
        self.setMinimumHeight(240)
        self._keys: list[str] = []

    def set_sources(self, by_source: dict[str, int], compact: bool = False) -> None:
        chart = self.chart_
        chart.removeAllSeries()
        # on the right at both widths: a bottom legend cuts the names short on a phone
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignRight)
        series = QPieSeries()
        order = [k for k in R.SOURCES if by_source.get(k)]
        order += sorted(k for k in by_source if k not in R.SOURCES and by_source[k])
        self._keys = order
        for n, key in enumerate(order):
            count = by_source[key]
            piece = series.append(f"{_zh_en(R.SOURCES.get(key, (key, key)))} {count}",
                                  float(count))
            piece.setColor(QColor(_PIE[n % len(_PIE)]))
            piece.setLabelVisible(False)
            piece.clicked.connect(lambda k=key: self.picked.emit("source", k, ""))
        chart.addSeries(series)

    def keys(self) -> list[str]:
        return list(self._keys)

    def slices(self) -> list[QPieSlice]:
        series = self.chart_.series()
        return list(series[0].slices()) if series and isinstance(series[0], QPieSeries) else []


@dataclass
class DrillRow:
    """An item behind a clicked bar or slice."""

    item: dict[str, Any]
    deadline: str

    @property
    def id(self) -> str:
        return str(self.item.get("id"))


class DrillListModel(RowListModel[DrillRow]):
    """The drill-down: number and title, then the lead unit, the deadline and the state."""

    def value(self, row: DrillRow, role: int) -> Any:
        lang = i18n.current_lang()
        if role == Qt.ItemDataRole.DisplayRole:
            head = f"{row.item.get('number') or ''} {row.item.get('title', '')}".strip()
            state = R.state_words(str(row.item.get("state") or ""), lang)
            return f"{head}\n{row.item.get('lead_unit_name') or ''} · {row.deadline} · {state}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return str(row.item.get("title") or "")
        return super().value(row, role)


@dataclass
class RankRow:
    """A row of the ranking (考评排名)."""

    id: str
    place: int
    figures: S.Figures


class RankingModel(RowTableModel[RankRow]):
    """The ranking: place, unit, score, on-time rate, 签收 and 反馈 timeliness, overdue,
    average delay."""

    COLUMNS = ("place", "name", "score", "rate", "ack_rate", "feedback_rate", "overdue",
               "delay")
    _HEAD: ClassVar[dict[str, tuple[str, str]]] = {"place": ("名次", "Place"), "name": ("单位", "Unit"), "score": ("考评得分", "Score"),
             "rate": ("按期办结率", "On-time rate"),
             "ack_rate": ("签收及时率", "Acknowledged on time"),
             "feedback_rate": ("反馈及时率", "Feedback on time"), "overdue": ("逾期", "Overdue"),
             "delay": ("平均逾期（工作日）", "Average delay (working days)")}

    def header(self, key: str) -> str:
        return _zh_en(self._HEAD[key])

    def cell(self, row: RankRow, key: str, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return str(row.place) if key == "place" else str(S.cell(row.figures, key))
        if role == Qt.ItemDataRole.TextAlignmentRole and key != "name":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class BulletinDialog(QDialog):
    """The 通报 draft: the text to edit and copy, or to start a 通报 document from
    (``start_document`` with the text as it stands)."""

    start_document = Signal(str)

    def __init__(self, text: str, parent: QWidget | None = None, *,
                 may_draft: bool = True) -> None:
        super().__init__(parent)
        self.setObjectName("BulletinDialog")
        self.setWindowTitle(self.tr("Bulletin draft"))
        layout = QVBoxLayout(self)
        layout.addWidget(text_label(self.tr(
            "Generated from the statistics shown; edit it here, copy it, or start a "
            "bulletin document from it."), "muted", wrap=True))
        self.text = QPlainTextEdit(text)
        self.text.setObjectName("BulletinText")
        layout.addWidget(self.text, 1)
        buttons = QHBoxLayout()
        self.copy_button = QPushButton(self.tr("Copy"))
        self.copy_button.setObjectName("BulletinCopy")
        self.copy_button.clicked.connect(self.copy)
        self.draft_button = QPushButton(self.tr("Start a bulletin document"))
        self.draft_button.setObjectName("BulletinDraft")
        self.draft_button.setVisible(may_draft)
        self.draft_button.clicked.connect(lambda: self.start_document.emit(self.text.toPlainText()))
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.reject)
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.draft_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self.resize(640, 560)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.text.toPlainText())
