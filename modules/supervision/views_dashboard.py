"""督办看数: the leader's dashboard on the 督办 page.

Headline figures (items, red, yellow, overdue, due this week, on-time rate, 签收 and
反馈 timeliness, average delay, extension requests), a bar chart of each lead unit's items
by light (QtCharts; a click on a bar keeps that unit and lists its items of that light),
the monthly trend and the items by source (a click on a bar or a slice lists its items),
the drill-down list and the red and yellow items (a click opens the item on the list),
the statistics table per unit, the ranking (考评), with filters by period, unit and
source; exports: CSV, Excel (``stats_export.workbook_bytes``), a printable PDF
(``stats_export.render_pdf``: ReportLab with the documents' fonts, not a picture of the
widget, so it prints sharp and its text can be searched) and the 通报 draft (a dialog to
copy it or start a 通报 draft document). Figures come from :mod:`modules.supervision.stats`
over the local cache, computed in the page's background work; the "as of" time says when.

:class:`DashboardToggle` holds the 督办 page's list and the dashboard as two tabs; the
dashboard tab appears only for leaders and 督查室 staff (``policy.may_see_dashboard``,
decided in the background). Phone width: filters and buttons stacked, figures two a row,
every chart, list and table below each other (the trend shows its last six months); only
the tables scroll sideways, inside themselves. GUI thread only, except the functions run by PageWork.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QBoxLayout,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from modules.calendar.rules import HolidayTable
from modules.supervision import intents as I
from modules.supervision import policy
from modules.supervision import rules as R
from modules.supervision import stats as S
from modules.supervision import stats_export as X
from modules.supervision.service import SupervisionService
from modules.supervision.views_dashboard_charts import (
    BulletinDialog,
    DrillListModel,
    DrillRow,
    RankingModel,
    RankRow,
    SourceChart,
    TrendChart,
)
from office_app import i18n, theme
from office_app.bus import touches
from office_app.kit import PageWork, RowListModel, RowTableModel, list_view
from office_app.widgets import card, scrolled_body, set_touch, text_label

if TYPE_CHECKING:
    from office_app.context import AppContext

_LIGHT_THEME = {R.RED: "danger", R.YELLOW: "warn", R.GREEN: "ok", R.GREY: "muted"}


def _zh_en(pair: tuple[str, str]) -> str:
    return pair[1] if i18n.current_lang() == "en" else pair[0]


# --------------------------------------------------------------------------- data


@dataclass
class Dashboard:
    """One background load: the statistics, the alert items and the filter choices."""

    stats: S.Stats
    alerts: list[tuple[dict[str, Any], R.Light]] = field(default_factory=list)
    #: (id, name) of every lead unit of the period, for the unit filter
    units: list[tuple[str, str]] = field(default_factory=list)
    as_of: dt.datetime = field(default_factory=lambda: dt.datetime.now(R.CHINA))


def load_dashboard(context: AppContext, kind: str, unit_id: str = "", source: str = "",
                   today: dt.date | None = None) -> Dashboard:
    """Blocking (background only): the dashboard's figures over the cached items."""
    today = today or R.china_day(dt.datetime.now(dt.UTC))
    if context.cache is None:
        return Dashboard(S.compute([], today, HolidayTable(frozenset()), kind))
    svc = SupervisionService(context.cache, context.engine, context.principal)  # type: ignore[arg-type]
    table, items = svc.table(), svc.items()
    stats = S.compute(items, today, table, kind, unit_id=unit_id, source=source)
    everyone = S.compute(items, today, table, kind) if unit_id else stats
    by_id = {str(i["id"]): i for i in items}
    alerts = [(by_id[i], stats.lights[i]) for i in stats.total.alerts if i in by_id]
    # lead units only: a co-unit that leads nothing has figures (its 签收) but no items
    return Dashboard(stats, alerts, [(u.key, u.name) for u in everyone.units if u.items])


def may_see(context: AppContext) -> bool:
    """Blocking (background only): whether the signed-in user gets the dashboard."""
    if context.cache is None:
        return False
    svc = SupervisionService(context.cache, context.engine, context.principal)  # type: ignore[arg-type]
    return policy.may_see_dashboard(svc.facts())


def write_csv(path: Path, text: str) -> Path:
    """Blocking (background only): write the CSV text."""
    path.write_text(text, encoding="utf-8", newline="")
    return path


def body_name_of(stats: S.Stats) -> str:
    """The supervising body most of the period's items belong to (the 通报's signer)."""
    counts: dict[str, int] = {}
    for fact in stats.facts:
        name = str(fact.item.get("body_name") or "")
        if name:
            counts[name] = counts.get(name, 0) + 1
    return max(sorted(counts), key=lambda k: counts[k]) if counts else ""


def start_bulletin(context: AppContext, text: str, today: dt.date, body_name: str) -> str:
    """Blocking (background only): a 通报 draft document from the bulletin text; its id."""
    from modules.documents.service import DocumentService, new_document_id

    svc = DocumentService(context.cache, context.engine, context.principal)
    doc_id = new_document_id()
    body_id = next((p.get("body_id") for p in context.principal.get("posts") or []
                    if p.get("is_primary")), "")
    svc.create_draft(doc_id, X.bulletin_spec(text, today, body_name), body_id=str(body_id or ""))
    return doc_id


# --------------------------------------------------------------------------- models


_DOTS: dict[tuple[str, str], QIcon] = {}


def _dot(colour: str) -> QIcon:
    """The light's dot (one icon per colour and theme, drawn once)."""
    key = (colour, theme.colors()[_LIGHT_THEME.get(colour, "muted")])
    if key not in _DOTS:
        _DOTS[key] = _draw_dot(colour)
    return _DOTS[key]


def _draw_dot(colour: str) -> QIcon:
    pix = QPixmap(14, 14)
    pix.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pix)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(theme.color(_LIGHT_THEME.get(colour, "muted")))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawEllipse(1, 1, 12, 12)
    painter.end()
    return QIcon(pix)


@dataclass
class Alert:
    """A red or yellow item on the dashboard."""

    item: dict[str, Any]
    light: R.Light

    @property
    def id(self) -> str:
        return str(self.item["id"])


class AlertListModel(RowListModel[Alert]):
    """Red and yellow items: number and title, then the lead unit and why the light."""

    def value(self, row: Alert, role: int) -> Any:
        lang = i18n.current_lang()
        if role == Qt.ItemDataRole.DisplayRole:
            head = f"{row.item.get('number') or ''} {row.item.get('title', '')}".strip()
            return f"{head}\n{row.item.get('lead_unit_name') or ''} · {row.light.sentence(lang)}"
        if role == Qt.ItemDataRole.DecorationRole:
            return _dot(row.light.colour)
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.light.words(lang)
        return super().value(row, role)


@dataclass
class UnitRow:
    """A row of the statistics table (a unit, or the total)."""

    id: str
    figures: S.Figures
    total: bool = False


class StatsTableModel(RowTableModel[UnitRow]):
    """The statistics table: one row per lead unit and the total (bold)."""

    COLUMNS = tuple(c[0] for c in S.COLUMNS)

    def header(self, key: str) -> str:
        found = next(c for c in S.COLUMNS if c[0] == key)
        return found[2] if i18n.current_lang() == "en" else found[1]

    def cell(self, row: UnitRow, key: str, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if key == "name" and row.total:
                return "Total" if i18n.current_lang() == "en" else "合计"
            return str(S.cell(row.figures, key))
        if role == Qt.ItemDataRole.TextAlignmentRole and key != "name":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and row.total:
            font = QFont()
            font.setBold(True)
            return font
        return None


def _fit_columns(view: QTableView) -> None:
    """Each column as wide as its header or its widest text, measured once (Qt's
    resizeColumnsToContents asks the model for every role of every cell: 10× slower)."""
    model = view.model()
    bold_font = QFont(view.font())
    bold_font.setBold(True)  # the total row; never narrower than the plain rows
    bold = QFontMetrics(bold_font)
    header = view.horizontalHeader()
    head_metrics = header.fontMetrics()
    display = Qt.ItemDataRole.DisplayRole
    for col in range(model.columnCount()):
        texts = [str(model.data(model.index(row, col), display) or "")
                 for row in range(model.rowCount())]
        widest = max((bold.horizontalAdvance(t) for t in texts), default=0)
        head = str(model.headerData(col, Qt.Orientation.Horizontal, display) or "")
        header.resizeSection(col, max(widest, head_metrics.horizontalAdvance(head)) + 18)


# --------------------------------------------------------------------------- widgets


class Figure(QWidget):
    """One headline figure: a big number over its label."""

    def __init__(self, name: str, label: str, colour: str = "text",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"figure-{name}")
        self.frame = card()
        inner = QVBoxLayout(self.frame)
        inner.setContentsMargins(14, 10, 14, 10)
        self.number = QLabel("—")
        self.number.setObjectName("FigureNumber")
        self.number.setStyleSheet(
            f"font-size: 24px; font-weight: 700; color: {theme.colors()[colour]};")
        self.caption = text_label(label, "muted", wrap=True)  # narrow at phone width
        inner.addWidget(self.number)
        inner.addWidget(self.caption)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.frame)

    def set_value(self, text: str) -> None:
        self.number.setText(text)


class UnitChart(QChartView):
    """Each lead unit's items as a horizontal bar, stacked red / yellow / green / closed.
    ``unit_clicked(unit id)`` when a bar is clicked."""

    unit_clicked = Signal(str)
    #: (unit id, light colour) of the clicked segment
    segment_clicked = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("UnitChart")
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._keys: list[str] = []
        self.chart_ = QChart()
        self.chart_.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.chart_.setMargins(QMargins(4, 4, 4, 4))
        self.chart_.setBackgroundVisible(False)
        self.setChart(self.chart_)
        self.setMinimumHeight(220)

    def set_units(self, units: list[S.Figures]) -> None:
        chart = self.chart_
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        self._keys = [u.key for u in reversed(units)]  # the first unit at the top
        series = QHorizontalStackedBarSeries()
        for colour in S.LIGHTS:
            bars = QBarSet(_zh_en(R.LIGHT_WORDS[colour]))
            bars.setColor(QColor(theme.colors()[_LIGHT_THEME[colour]]))
            bars.setBorderColor(QColor(theme.colors()[_LIGHT_THEME[colour]]))
            bars.append([float(u.by_light.get(colour, 0)) for u in reversed(units)])
            series.append(bars)
        series.clicked.connect(self._clicked)
        chart.addSeries(series)
        names = QBarCategoryAxis()
        names.append([u.name for u in reversed(units)] or [""])
        names.setLabelsColor(QColor(theme.colors()["text"]))
        chart.addAxis(names, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(names)
        counts = QValueAxis()
        counts.setLabelFormat("%d")
        top = max((u.items for u in units), default=0)
        counts.setRange(0, max(top, 1))
        counts.setTickCount(min(max(top, 1), 5) + 1)
        counts.setLabelsColor(QColor(theme.colors()["muted"]))
        chart.addAxis(counts, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(counts)
        chart.legend().setLabelColor(QColor(theme.colors()["text"]))
        self.setFixedHeight(max(220, 90 + 40 * len(units)))

    def keys(self) -> list[str]:
        """The unit ids of the bars, bottom to top."""
        return list(self._keys)

    def _clicked(self, index: int, bars: QBarSet) -> None:
        if 0 <= index < len(self._keys):
            series = self.chart_.series()
            sets = list(series[0].barSets()) if series else []  # type: ignore[attr-defined]
            colour = next((c for c, b in zip(S.LIGHTS, sets, strict=False) if b is bars), "")
            self.segment_clicked.emit(self._keys[index], colour)
            self.unit_clicked.emit(self._keys[index])


class SupervisionDashboard(QWidget):
    """The dashboard. ``loaded`` after a background load was applied; ``open_item(id)``
    when a red or yellow item is clicked."""

    loaded = Signal()
    open_item = Signal(str)
    #: a 通报 draft document was created (its id)
    bulletin_started = Signal(str)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SupervisionDashboard")
        self.context = context
        self.data: Dashboard | None = None
        self.last_export: Path | None = None
        body = scrolled_body(self, "DashboardBody")
        layout = QVBoxLayout(body)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(12)

        self.period = QComboBox()
        self.period.setObjectName("DashboardPeriod")
        self.period.addItem(self.tr("This month"), S.MONTH)
        self.period.addItem(self.tr("This quarter"), S.QUARTER)
        self.period.addItem(self.tr("This year"), S.YEAR)
        self.unit = QComboBox()
        self.unit.setObjectName("DashboardUnit")
        self.unit.addItem(self.tr("All lead units"), "")
        self.source = QComboBox()
        self.source.setObjectName("DashboardSource")
        self.source.addItem(self.tr("All sources"), "")
        for key, words in R.SOURCES.items():
            self.source.addItem(_zh_en(words), key)
        self.export_button = QPushButton(self.tr("Export CSV"))
        self.export_button.setObjectName("DashboardExport")
        self.export_button.clicked.connect(self._export_clicked)
        self.excel_button = QPushButton(self.tr("Export Excel"))
        self.excel_button.setObjectName("DashboardExcel")
        self.excel_button.clicked.connect(self._excel_clicked)
        self.pdf_button = QPushButton(self.tr("Print PDF"))
        self.pdf_button.setObjectName("DashboardPdf")
        self.pdf_button.clicked.connect(self._pdf_clicked)
        self.bulletin_button = QPushButton(self.tr("Bulletin draft"))
        self.bulletin_button.setObjectName("DashboardBulletin")
        self.bulletin_button.clicked.connect(self.show_bulletin)
        for combo in (self.period, self.unit, self.source):
            combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.filters = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        for w in (self.period, self.unit, self.source):
            self.filters.addWidget(w)
        self.filters.addStretch(1)
        self.action_row = QGridLayout()
        self.action_row.setSpacing(6)
        self.action_buttons = (self.export_button, self.excel_button, self.pdf_button,
                               self.bulletin_button)
        self.head_row = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.head_row.addLayout(self.filters, 1)
        self.head_row.addLayout(self.action_row)
        layout.addLayout(self.head_row)
        self.as_of = text_label("", "muted", wrap=True)
        self.as_of.setObjectName("DashboardAsOf")
        layout.addWidget(self.as_of)

        self.figures = {
            "items": Figure("items", self.tr("Items")),
            "red": Figure("red", self.tr("Red"), "danger"),
            "yellow": Figure("yellow", self.tr("Yellow"), "warn"),
            "overdue": Figure("overdue", self.tr("Overdue"), "danger"),
            "week": Figure("week", self.tr("Due this week")),
            "rate": Figure("rate", self.tr("On-time rate"), "ok"),
            "ack": Figure("ack", self.tr("Acknowledged on time")),
            "feedback": Figure("feedback", self.tr("Feedback on time")),
            "delay": Figure("delay", self.tr("Average delay (working days)"), "warn"),
            "extensions": Figure("extensions", self.tr("Extension requests")),
        }
        self.figure_grid = QGridLayout()
        self.figure_grid.setSpacing(8)
        layout.addLayout(self.figure_grid)

        self.chart = UnitChart()
        self.chart.unit_clicked.connect(self.keep_unit)
        self.chart.segment_clicked.connect(lambda key, colour: self.drill("unit", key, colour))
        self.alert_model = AlertListModel(self)
        self.alerts = list_view(self.alert_model, name="DashboardAlerts", uniform=True,
                                on_pick=lambda index: self._alert_picked(index.row()))
        self.alerts.setMinimumHeight(180)
        self.alerts.setWordWrap(True)
        self.no_alerts = text_label(self.tr("No red or yellow items."), "muted")
        alerts_box = QWidget()
        alerts_layout = QVBoxLayout(alerts_box)
        alerts_layout.setContentsMargins(0, 0, 0, 0)
        alerts_layout.addWidget(text_label(self.tr("Red and yellow items"), "heading"))
        alerts_layout.addWidget(self.alerts, 1)
        alerts_layout.addWidget(self.no_alerts)
        chart_box = QWidget()
        chart_layout = QVBoxLayout(chart_box)
        chart_layout.setContentsMargins(0, 0, 0, 0)
        chart_layout.addWidget(text_label(self.tr("Items by lead unit"), "heading"))
        chart_layout.addWidget(self.chart, 1)
        self.middle = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.middle.addWidget(chart_box, 3)
        self.middle.addWidget(alerts_box, 2)
        layout.addLayout(self.middle)

        self.trend = TrendChart()
        self.trend.picked.connect(self.drill)
        self.sources = SourceChart()
        self.sources.picked.connect(self.drill)
        trend_box = QWidget()
        trend_layout = QVBoxLayout(trend_box)
        trend_layout.setContentsMargins(0, 0, 0, 0)
        trend_layout.addWidget(text_label(self.tr("Monthly trend"), "heading"))
        trend_layout.addWidget(self.trend, 1)
        source_box = QWidget()
        source_layout = QVBoxLayout(source_box)
        source_layout.setContentsMargins(0, 0, 0, 0)
        source_layout.addWidget(text_label(self.tr("Items by source"), "heading"))
        source_layout.addWidget(self.sources, 1)
        self.chart_row = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.chart_row.addWidget(trend_box, 3)
        self.chart_row.addWidget(source_box, 2)
        layout.addLayout(self.chart_row)

        self.drill_box = QWidget()
        self.drill_box.setObjectName("DashboardDrill")
        drill_layout = QVBoxLayout(self.drill_box)
        drill_layout.setContentsMargins(0, 0, 0, 0)
        drill_head = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.drill_title = text_label("", "heading", wrap=True)
        self.drill_title.setObjectName("DashboardDrillTitle")
        self.drill_close = QPushButton(self.tr("Hide"))
        self.drill_close.setObjectName("DashboardDrillClose")
        self.drill_close.clicked.connect(lambda: self.drill_box.hide())
        drill_head.addWidget(self.drill_title, 1)
        drill_head.addWidget(self.drill_close)
        drill_layout.addLayout(drill_head)
        self.drill_model = DrillListModel(self)
        self.drill_list = list_view(self.drill_model, name="DashboardDrillList", uniform=True,
                                    on_pick=lambda index: self._drill_picked(index.row()))
        self.drill_list.setMinimumHeight(180)
        drill_layout.addWidget(self.drill_list)
        self.drill_empty = text_label(self.tr("No items."), "muted")
        drill_layout.addWidget(self.drill_empty)
        self.drill_box.hide()
        layout.addWidget(self.drill_box)

        layout.addWidget(text_label(self.tr("By lead unit"), "heading"))
        self.table_model = StatsTableModel(self)
        self.table = QTableView()
        self.table.setObjectName("DashboardTable")
        self.table.setModel(self.table_model)
        self.table.verticalHeader().hide()
        # sized once per load (_apply): ResizeToContents asks every cell again on each layout
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.setMinimumHeight(160)
        layout.addWidget(self.table)
        layout.addWidget(text_label(self.tr("Ranking"), "heading"))
        self.ranking_note = text_label(self.tr(
            "Score: on-time rate (60%), acknowledged on time (20%) and feedback on time "
            "(20%), over the rates a unit has; ties go to fewer overdue items."),
            "muted", wrap=True)
        layout.addWidget(self.ranking_note)
        self.ranking_model = RankingModel(self)
        self.ranking = QTableView()
        self.ranking.setObjectName("DashboardRanking")
        self.ranking.setModel(self.ranking_model)
        self.ranking.verticalHeader().hide()
        self.ranking.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.ranking.setMinimumHeight(160)
        layout.addWidget(self.ranking)
        self.breakdown = text_label("", "muted", wrap=True)
        self.breakdown.setObjectName("DashboardBreakdown")
        layout.addWidget(self.breakdown)
        self.status = text_label("", "muted", wrap=True)
        layout.addWidget(self.status)
        layout.addStretch(1)

        self.work = PageWork(self, self.status.setText)
        self._compact = False
        for n, button in enumerate(self.action_buttons):
            self.action_row.addWidget(button, 0, n)
        self._drilled: tuple[str, str, str] | None = None
        self.last_pdf: Path | None = None
        self.last_excel: Path | None = None
        self.last_bulletin: BulletinDialog | None = None
        self._place_figures()
        context.bus.changed.connect(self._on_changes)

    # -- hooks ----------------------------------------------------------------------
    def set_compact(self, compact: bool) -> None:
        """Phone width: filters and figures stacked (two a row), the chart below them."""
        self._compact = compact
        self.filters.setDirection(QBoxLayout.Direction.TopToBottom if compact
                                  else QBoxLayout.Direction.LeftToRight)
        direction = (QBoxLayout.Direction.TopToBottom if compact
                     else QBoxLayout.Direction.LeftToRight)
        for box in (self.middle, self.chart_row, self.head_row):
            box.setDirection(direction)
        for n, button in enumerate(self.action_buttons):  # two a row at phone width
            self.action_row.removeWidget(button)
            self.action_row.addWidget(button, n // 2 if compact else 0, n % 2 if compact else n)
        set_touch(compact, self.period, self.unit, self.source, *self.action_buttons,
                  self.drill_close)
        self._place_figures()
        if self.data is not None:
            self.trend.set_trend(self.data.stats.trend, compact)
            self.sources.set_sources(self.data.stats.total.by_source, compact)

    def _place_figures(self) -> None:
        per_row = 2 if self._compact else 5
        for n, fig in enumerate(self.figures.values()):
            self.figure_grid.removeWidget(fig)
            self.figure_grid.addWidget(fig, n // per_row, n % per_row)

    # -- loading --------------------------------------------------------------------
    def reload(self) -> None:
        context = self.context
        kind = str(self.period.currentData())
        unit, source = str(self.unit.currentData() or ""), str(self.source.currentData() or "")
        self.work.run(lambda: load_dashboard(context, kind, unit, source), self._apply,
                      latest="load")

    def _on_changes(self, changes: Any) -> None:
        if self.data is not None and touches(changes, I.ITEM, "calendar.year"):
            self.reload()

    def _apply(self, data: Dashboard) -> None:
        self.data = data
        total = data.stats.total
        lang = i18n.current_lang()
        values = {"items": str(total.items), "red": str(total.by_light.get(R.RED, 0)),
                  "yellow": str(total.by_light.get(R.YELLOW, 0)), "overdue": str(total.overdue),
                  "week": str(total.due_this_week), "rate": total.rate_words(),
                  "ack": S.percent(total.ack_rate), "feedback": S.percent(total.feedback_rate),
                  "delay": S.days_words(total.average_delay),
                  "extensions": str(total.extensions)}
        for key, text in values.items():
            self.figures[key].set_value(text)
        self.figures["rate"].setToolTip(self.tr("%1 of %2 items due were done on time")
                                        .replace("%1", str(total.on_time))
                                        .replace("%2", str(total.due)))
        span = data.stats.span
        self.as_of.setText(self.tr("%1 (%2 to %3) · as of %4 on this device")
                           .replace("%1", _zh_en(S.PERIODS[span.kind]))
                           .replace("%2", span.first.isoformat())
                           .replace("%3", span.last.isoformat())
                           .replace("%4", data.as_of.strftime("%Y-%m-%d %H:%M")))
        self._fill_units(data.units)
        self.chart.set_units([u for u in data.stats.units if u.items])
        self.alert_model.set_rows([Alert(i, light) for i, light in data.alerts])
        self.alerts.setVisible(bool(data.alerts))
        self.no_alerts.setVisible(not data.alerts)
        self.table_model.set_rows([*(UnitRow(u.key, u) for u in data.stats.units),
                                   UnitRow("", total, total=True)])
        self.ranking_model.set_rows([RankRow(f.key, place, f)
                                     for place, f in S.ranking(data.stats)])
        _fit_columns(self.table)
        _fit_columns(self.ranking)
        self.trend.set_trend(data.stats.trend, self._compact)
        self.sources.set_sources(total.by_source, self._compact)
        if self.drill_box.isVisible() and self._drilled is not None:
            self.drill(*self._drilled)
        sep = ", " if lang == "en" else "、"
        sources = sep.join(f"{_zh_en(R.SOURCES.get(k, (k, k)))} {n}"
                           for k, n in sorted(total.by_source.items()))
        grades = sep.join(f"{_zh_en(R.GRADES.get(k, (k, k)))} {n}"
                          for k, n in sorted(total.by_grade.items()))
        states = sep.join(f"{R.state_words(k, lang)} {n}" for k, n in sorted(total.by_state.items()))
        self.breakdown.setText("\n".join((
            self.tr("By source: %1").replace("%1", sources or "—"),
            self.tr("By grade: %1").replace("%1", grades or "—"),
            self.tr("By state: %1").replace("%1", states or "—"))))
        self.loaded.emit()

    def _fill_units(self, units: list[tuple[str, str]]) -> None:
        kept = str(self.unit.currentData() or "")
        self.unit.blockSignals(True)
        while self.unit.count() > 1:
            self.unit.removeItem(1)
        for key, name in units:
            self.unit.addItem(name, key)
        found = self.unit.findData(kept)
        self.unit.setCurrentIndex(max(found, 0))
        self.unit.blockSignals(False)

    # -- actions --------------------------------------------------------------------
    def keep_unit(self, unit_id: str) -> None:
        """Show only ``unit_id``'s items (a click on its bar)."""
        found = self.unit.findData(unit_id)
        if found >= 0:
            self.unit.setCurrentIndex(found)

    def drill(self, what: str, key: str, sub: str = "") -> None:
        """List the items behind a bar or a slice (see ``stats.drill``) below the charts."""
        if self.data is None:
            return
        stats = self.data.stats
        self._drilled = (what, key, sub)
        deadlines = {str(f.item["id"]): f.deadline.isoformat() for f in stats.facts}
        found = S.drill(stats, what, key, sub)
        self.drill_model.set_rows([DrillRow(dict(i), deadlines.get(str(i["id"]),
                                                                  str(i.get("due") or "")))
                                   for i in found])
        if what == "unit":
            fig = stats.unit(key)
            name = fig.name if fig else key
            label = f"{name} · {_zh_en(R.LIGHT_WORDS[sub])}" if sub in R.LIGHT_WORDS else name
        elif what == "month":
            label = f"{key} · {_zh_en(S.TREND_WORDS.get(sub, (sub, sub)))}"
        elif what == "source":
            label = _zh_en(R.SOURCES.get(key, (key, key)))
        else:
            label = _zh_en(R.LIGHT_WORDS.get(key, (key, key)))
        self.drill_title.setText(self.tr("%1: %2 items").replace("%1", label)
                                 .replace("%2", str(len(found))))
        self.drill_list.setVisible(bool(found))
        self.drill_empty.setVisible(not found)
        self.drill_box.show()

    def _drill_picked(self, row: int) -> None:
        found = self.drill_model.row_at(row)
        if found is not None:
            self.open_item.emit(found.id)

    def _alert_picked(self, row: int) -> None:
        alert = self.alert_model.row_at(row)
        if alert is not None:
            self.open_item.emit(alert.id)

    def _export_clicked(self) -> None:
        if self.data is None:
            return
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export the statistics"), "督办统计.csv", self.tr("CSV files (*.csv)"))
        if name:
            self.export_to(Path(name))

    def _excel_clicked(self) -> None:
        if self.data is None:
            return
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export the statistics"), "督办统计.xlsx",
            self.tr("Excel workbooks (*.xlsx)"))
        if name:
            self.export_excel_to(Path(name))

    def export_excel_to(self, path: Path) -> None:
        """Write the workbook of the statistics shown now to ``path`` (background)."""
        if self.data is None:
            return
        stats, lang = self.data.stats, i18n.current_lang()

        def done(written: Path) -> None:
            self.last_excel = written
            self.status.setText(self.tr("Saved to %1").replace("%1", str(written)))

        self.work.run(lambda: X.write_workbook(path, stats, lang), done)

    def _pdf_clicked(self) -> None:
        if self.data is None:
            return
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("Print the dashboard"), "督办看数.pdf", self.tr("PDF files (*.pdf)"))
        if name:
            self.print_pdf_to(Path(name))

    def print_pdf_to(self, path: Path) -> None:
        """Render the dashboard's figures, table, ranking and trend as PDF to ``path``
        (background; ReportLab with the documents' fonts)."""
        if self.data is None:
            return
        stats = self.data.stats

        def work() -> Path:
            return X.write_bytes(path, X.render_pdf(stats, body_name_of(stats)))

        def done(written: Path) -> None:
            self.last_pdf = written
            self.status.setText(self.tr("Saved to %1").replace("%1", str(written)))

        self.work.run(work, done)

    def show_bulletin(self) -> BulletinDialog | None:
        """The 通报 draft generated from the statistics shown, in a dialog."""
        if self.data is None:
            return None
        stats = self.data.stats
        body = body_name_of(stats)
        dialog = BulletinDialog(X.bulletin_text(stats, body), self,
                                may_draft=self.context.engine is not None)
        context = self.context

        def start(text: str) -> None:
            def done(doc_id: str) -> None:
                dialog.accept()
                self.status.setText(self.tr("A bulletin draft was started in Documents."))
                self.bulletin_started.emit(doc_id)

            self.work.run(lambda: start_bulletin(context, text, stats.today, body), done)

        dialog.start_document.connect(start)
        self.last_bulletin = dialog
        dialog.open()
        return dialog

    def export_to(self, path: Path) -> None:
        """Write the statistics table shown now to ``path`` as CSV (in the background)."""
        if self.data is None:
            return
        text = S.to_csv(self.data.stats, i18n.current_lang())

        def done(written: Path) -> None:
            self.last_export = written
            self.status.setText(self.tr("Saved to %1").replace("%1", str(written)))

        self.work.run(lambda: write_csv(path, text), done)


class DashboardToggle(QTabWidget):
    """The 督办 page's body: the item list (``page.split``) and, for leaders and 督查室
    staff, the dashboard as a second tab. Opening an item from the dashboard shows it on
    the list (all items I can see)."""

    def __init__(self, page: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SupervisionModes")
        self.page = page
        self.addTab(page.split, self.tr("Items"))
        self.tabBar().hide()
        self.dashboard: SupervisionDashboard | None = None
        self.currentChanged.connect(self._changed)
        self.work = PageWork(self, lambda _text: None)
        context = page.context
        self.work.run(lambda: may_see(context), self._allowed)

    def _allowed(self, allowed: bool) -> None:
        if not allowed or self.dashboard is not None:
            return
        self.dashboard = SupervisionDashboard(self.page.context)
        self.dashboard.open_item.connect(self.open_item)
        self.dashboard.set_compact(getattr(self, "_compact", False))
        self.addTab(self.dashboard, self.tr("Dashboard"))
        self.tabBar().show()

    def _changed(self, index: int) -> None:
        if self.dashboard is not None and self.widget(index) is self.dashboard \
                and self.dashboard.data is None:
            self.dashboard.reload()

    def show_dashboard(self) -> None:
        if self.dashboard is not None:
            self.setCurrentWidget(self.dashboard)

    def open_item(self, item_id: str) -> None:
        page = self.page
        self.setCurrentIndex(0)
        all_items = page.scope.findData(False)
        if page.scope.currentIndex() != all_items:
            page.scope.blockSignals(True)
            page.scope.setCurrentIndex(all_items)
            page.scope.blockSignals(False)
        page.open_ref(item_id)
        page.split.show_pane(1)

    def set_compact(self, compact: bool) -> None:
        self._compact = compact
        if self.dashboard is not None:
            self.dashboard.set_compact(compact)
