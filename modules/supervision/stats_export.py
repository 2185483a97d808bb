"""The supervision statistics (督办看数) out of the app: an Excel workbook, the 通报 draft
text and a printable PDF of the dashboard.

- :func:`workbook` — sheets 分单位统计 (per-unit figures and the total row), 考评排名 (the
  ranking with its score), 月度趋势 (the 12 months) and 逾期事项 (the overdue list). Every
  number is a value computed here (the totals too): nothing is left as a formula.
- :func:`bulletin` — the 通报 text: the period, the headline figures, the ranking's best
  and last units, the overdue items by unit and a closing request. It is a draft to edit:
  the dashboard shows it to copy or to start a 通报 draft document from
  (:func:`bulletin_spec`, submitted as ``documents.create_draft``).
- :func:`render_pdf` — an A4 PDF with the headline figures, the per-unit table, the
  ranking and the trend (ReportLab with the documents module's fonts).

Pure apart from writing the bytes the caller asks for; thread-safe.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from modules.supervision import rules as R
from modules.supervision import stats as S

SHEETS = ("分单位统计", "考评排名", "月度趋势", "逾期事项")
SHEETS_EN = ("By unit", "Ranking", "Monthly trend", "Overdue items")


def _en(lang: str) -> bool:
    return lang == "en"


def _span_words(stats: S.Stats, lang: str) -> str:
    words = S.PERIODS[stats.span.kind][1 if _en(lang) else 0]
    return f"{words} {stats.span.first.isoformat()} – {stats.span.last.isoformat()}"


def _rate_value(rate: float | None) -> float | str:
    return "—" if rate is None else round(rate, 4)


def unit_sheet(stats: S.Stats, lang: str = "zh_CN") -> list[list[Any]]:
    """The per-unit rows as values (numbers stay numbers; rates as 0..1): a header, one
    row per unit, the total."""
    en = _en(lang)
    header = [c[2] if en else c[1] for c in S.COLUMNS]
    rows: list[list[Any]] = [header]
    total = ("Total" if en else "合计", stats.total)
    for name, fig in (*((u.name, u) for u in stats.units), total):
        row: list[Any] = []
        for key, _zh, _en_word in S.COLUMNS:
            if key == "name":
                row.append(name)
            elif key == "rate":
                row.append(_rate_value(fig.on_time_rate))
            elif key == "ack_rate":
                row.append(_rate_value(fig.ack_rate))
            elif key == "feedback_rate":
                row.append(_rate_value(fig.feedback_rate))
            elif key == "delay":
                row.append("—" if fig.average_delay is None else round(fig.average_delay, 2))
            elif key == "score":
                row.append("—" if fig.score is None else round(fig.score, 1))
            else:
                row.append(S.cell(fig, key))
        rows.append(row)
    return rows


RANK_COLUMNS = (("名次", "Place"), ("单位", "Unit"), ("考评得分", "Score"),
                ("按期办结率", "On-time rate"), ("签收及时率", "Acknowledged on time"),
                ("反馈及时率", "Feedback on time"), ("逾期", "Overdue"),
                ("平均逾期（工作日）", "Average delay (working days)"))


def ranking_sheet(stats: S.Stats, lang: str = "zh_CN") -> list[list[Any]]:
    rows: list[list[Any]] = [[c[1] if _en(lang) else c[0] for c in RANK_COLUMNS]]
    for place, fig in S.ranking(stats):
        rows.append([place, fig.name, "—" if fig.score is None else round(fig.score, 1),
                     _rate_value(fig.on_time_rate), _rate_value(fig.ack_rate),
                     _rate_value(fig.feedback_rate), fig.overdue,
                     "—" if fig.average_delay is None else round(fig.average_delay, 2)])
    return rows


def trend_sheet(stats: S.Stats, lang: str = "zh_CN") -> list[list[Any]]:
    en = _en(lang)
    rows: list[list[Any]] = [["Month" if en else "月份",
                              *(S.TREND_WORDS[k][1 if en else 0] for k in S.TREND_KINDS)]]
    for month in stats.trend:
        rows.append([month.label(), len(month.due), len(month.closed), len(month.overdue)])
    rows.append(["Total" if en else "合计",
                 *(sum(len(getattr(m, k)) for m in stats.trend) for k in S.TREND_KINDS)])
    return rows


OVERDUE_COLUMNS = (("编号", "Number"), ("事项", "Item"), ("牵头单位", "Lead unit"),
                   ("办结时限", "Deadline"), ("逾期（工作日）", "Overdue (working days)"),
                   ("状态", "State"))


def overdue_items(stats: S.Stats) -> list[S.Fact]:
    """The open items past their deadline, longest overdue first."""
    late = [f for f in stats.facts if f.light.overdue and f.item.get("state") not in R.FINAL]
    return sorted(late, key=lambda f: (f.deadline, str(f.item.get("id"))))


def overdue_sheet(stats: S.Stats, lang: str = "zh_CN") -> list[list[Any]]:
    rows: list[list[Any]] = [[c[1] if _en(lang) else c[0] for c in OVERDUE_COLUMNS]]
    for fact in overdue_items(stats):
        item = fact.item
        rows.append([str(item.get("number") or ""), str(item.get("title") or ""),
                     str(item.get("lead_unit_name") or ""), fact.deadline.isoformat(),
                     max(-fact.light.days_left, 1), R.state_words(str(item.get("state")), lang)])
    return rows


def workbook_bytes(stats: S.Stats, lang: str = "zh_CN") -> bytes:
    """The workbook (xlsx) as bytes; see the module doc for its sheets."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    names = SHEETS_EN if _en(lang) else SHEETS
    builders = (unit_sheet, ranking_sheet, trend_sheet, overdue_sheet)
    percent_heads = {"按期办结率", "签收及时率", "反馈及时率", "On-time rate",
                     "Acknowledged on time", "Feedback on time"}
    for n, (name, build) in enumerate(zip(names, builders, strict=True)):
        sheet = book.active if n == 0 else book.create_sheet()
        assert sheet is not None
        sheet.title = name
        sheet.append([_span_words(stats, lang)])
        rows = build(stats, lang)
        for row in rows:
            sheet.append(row)
        bold = Font(bold=True)
        for cell in sheet[2]:
            cell.font = bold
        if build in (unit_sheet, trend_sheet):
            for cell in sheet[sheet.max_row]:
                cell.font = bold
        for col, head in enumerate(rows[0], start=1):
            if head in percent_heads:
                for r in range(3, sheet.max_row + 1):
                    cell = sheet.cell(row=r, column=col)
                    if isinstance(cell.value, float):
                        cell.number_format = "0.0%"
            width = max(len(str(head)) * (2 if not _en(lang) else 1) + 2, 10)
            sheet.column_dimensions[get_column_letter(col)].width = width
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def write_workbook(path: Path, stats: S.Stats, lang: str = "zh_CN") -> Path:
    """Blocking (background only): the workbook written to ``path``."""
    data = workbook_bytes(stats, lang)
    tmp = path.with_name(path.name + ".part")
    tmp.write_bytes(data)
    tmp.replace(path)
    return path


# --------------------------------------------------------------------------- 通报


def _cn_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def bulletin_title(stats: S.Stats) -> str:
    words = S.PERIODS[stats.span.kind][0].removeprefix("本")
    head = {S.MONTH: f"{stats.span.first.year}年{stats.span.first.month}月",
            S.QUARTER: f"{stats.span.first.year}年第{(stats.span.first.month - 1) // 3 + 1}季度",
            S.YEAR: f"{stats.span.first.year}年度"}.get(stats.span.kind, words)
    return f"关于{head}督办事项办理情况的通报"


def bulletin(stats: S.Stats, body_name: str = "") -> list[str]:
    """The 通报 draft as paragraphs (the first is the title). Chinese, as a 通报 is."""
    total = stats.total
    span = stats.span
    paras = [bulletin_title(stats), "各有关单位："]
    lead = (f"现将{_cn_date(span.first)}至{_cn_date(min(span.last, stats.today))}督办事项"
            f"办理情况通报如下。")
    paras.append(lead)
    paras.append("一、总体情况")
    overall = (f"期内在办督办事项{total.items}项，应办结{total.due}项，按期办结{total.on_time}项，"
               f"按期办结率{total.rate_words()}；现有逾期事项{total.overdue}项，"
               f"亮红灯{total.by_light.get(R.RED, 0)}项、黄灯{total.by_light.get(R.YELLOW, 0)}项，"
               f"本周到期{total.due_this_week}项，申请延期{total.extensions}项。")
    if total.average_delay is not None:
        overall += f"逾期事项平均逾期{S.days_words(total.average_delay)}个工作日。"
    overall += (f"签收及时率{S.percent(total.ack_rate)}，"
                f"反馈及时率{S.percent(total.feedback_rate)}。")
    paras.append(overall)
    ranked = [(p, f) for p, f in S.ranking(stats) if f.score is not None]
    paras.append("二、考评排名")
    if ranked:
        best = "、".join(f.name for p, f in ranked if p == ranked[0][0])
        line = f"按考评得分（按期办结率、签收及时率、反馈及时率加权），{best}位列第一"
        if len(ranked) > 1:
            lowest = ranked[-1][0]
            last = "、".join(f.name for p, f in ranked if p == lowest)
            if lowest != ranked[0][0]:
                line += f"，{last}排名靠后"
        paras.append(line + "。")
        for place, fig in ranked:
            paras.append(f"{place}. {fig.name}：得分{S.score_words(fig.score)}，"
                         f"按期办结率{fig.rate_words()}，逾期{fig.overdue}项。")
    else:
        paras.append("期内暂无应办结、应签收或应反馈事项，不作排名。")
    paras.append("三、逾期事项")
    late = overdue_items(stats)
    if late:
        by_unit: dict[str, list[S.Fact]] = {}
        for fact in late:
            by_unit.setdefault(str(fact.item.get("lead_unit_name") or ""), []).append(fact)
        for name, found in sorted(by_unit.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            titles = "、".join(f"“{f.item.get('title') or ''}”" for f in found[:5])
            more = f"等{len(found)}项" if len(found) > 5 else f"共{len(found)}项"
            paras.append(f"{name}：{titles}{more}。")
        paras.append("请上述单位于3个工作日内说明逾期原因，明确办结时间，抓紧办理到位。")
    else:
        paras.append("期内无逾期事项。")
    paras.append("请各单位对照通报情况，压实责任，确保督办事项按期办结。")
    if body_name:
        paras.append(f"{body_name}督查室")
    paras.append(_cn_date(stats.today))
    return paras


def bulletin_text(stats: S.Stats, body_name: str = "") -> str:
    return "\n".join(bulletin(stats, body_name))


_HEADS = ("一、", "二、", "三、", "四、", "五、")


def bulletin_spec(text: str, today: dt.date, body_name: str = "") -> dict[str, Any]:
    """A documents-module draft spec of type 通报 from the bulletin text (as the user left
    it): the first line is the title, a "各有关单位：" line the addressees, "一、…" lines
    headings; the signature and date lines are the spec's own fields. The number and the
    issuer mark are completed in the editor."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    title = lines[0] if lines else "督办事项办理情况的通报"
    rest = lines[1:]
    recipients = "各有关单位"
    if rest and rest[0].endswith("："):
        recipients = rest.pop(0).rstrip("：")
    signature = f"{body_name}督查室" if body_name else ""
    body = [{"text": line, "level": 1 if line.startswith(_HEADS) else 0} for line in rest
            if line not in (signature, _cn_date(today))]
    return {"doc_type": "通报", "title": title, "issuer_mark": body_name or "督查室",
            "recipients": recipients, "body": body or [{"text": title, "level": 0}],
            "signature": signature, "date": today.isoformat()}


# --------------------------------------------------------------------------- PDF


def headline(stats: S.Stats) -> list[tuple[str, str]]:
    """The headline figures as (label, value), in the dashboard's order (zh)."""
    t = stats.total
    return [("事项数", str(t.items)), ("红灯", str(t.by_light.get(R.RED, 0))),
            ("黄灯", str(t.by_light.get(R.YELLOW, 0))), ("逾期", str(t.overdue)),
            ("本周到期", str(t.due_this_week)), ("按期办结率", t.rate_words()),
            ("签收及时率", S.percent(t.ack_rate)), ("反馈及时率", S.percent(t.feedback_rate)),
            ("平均逾期（工作日）", S.days_words(t.average_delay)),
            ("申请延期", str(t.extensions))]


def _text_rows(rows: Sequence[Sequence[Any]]) -> list[list[str]]:
    out = []
    for row in rows:
        out.append([S.percent(v) if isinstance(v, float) and 0 <= v <= 1 and n and
                    isinstance(rows[0][n], str) and "率" in rows[0][n] else str(v)
                    for n, v in enumerate(row)])
    return out


def render_pdf(stats: S.Stats, body_name: str = "", *, invariant: bool = True) -> bytes:
    """The dashboard as an A4 landscape PDF: the headline figures, the per-unit table, the
    ranking and the trend (Chinese)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from modules.common.fonts import register_reportlab_fonts

    fonts = register_reportlab_fonts()
    title = ParagraphStyle("t", fontName=fonts["xiaobiaosong"], fontSize=20, leading=28,
                           alignment=1, wordWrap="CJK")
    head = ParagraphStyle("h", fontName=fonts["heiti"], fontSize=13, leading=20,
                          spaceBefore=8, wordWrap="CJK")
    small = ParagraphStyle("s", fontName=fonts["fangsong"], fontSize=10.5, leading=14,
                           alignment=1, wordWrap="CJK")
    cell = ParagraphStyle("c", fontName=fonts["fangsong"], fontSize=8.5, leading=11,
                          wordWrap="CJK")

    def grid(rows: list[list[str]], widths: list[float] | None = None) -> Table:
        table = Table([[Paragraph(escape(v), cell) for v in row] for row in rows],
                      colWidths=widths, repeatRows=1)
        table.setStyle(TableStyle([
            ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ]))
        return table

    story: list[Any] = [Paragraph(escape(f"{body_name}督办看数"), title),
                        Paragraph(escape(f"{_span_words(stats, 'zh_CN')}（{stats.today.isoformat()}统计）"),
                                  small), Spacer(1, 4 * mm)]
    figs = headline(stats)
    story.append(grid([[k for k, _ in figs], [v for _, v in figs]]))
    story.append(Paragraph("分单位统计", head))
    units = _text_rows(unit_sheet(stats))
    story.append(grid(units))
    story.append(Paragraph("考评排名", head))
    story.append(grid(_text_rows(ranking_sheet(stats))))
    story.append(Paragraph("月度趋势", head))
    trend = trend_sheet(stats)
    story.append(grid([[str(v) for v in col] for col in zip(*trend, strict=True)]))
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=landscape(A4), leftMargin=12 * mm, rightMargin=12 * mm,
                      topMargin=12 * mm, bottomMargin=12 * mm, title=f"{body_name}督办看数",
                      creator="协同办公", invariant=int(invariant),
                      initialFontName=fonts["fangsong"]).build(story)
    return buf.getvalue()


def write_bytes(path: Path, data: bytes) -> Path:
    """Blocking (background only)."""
    tmp = path.with_name(path.name + ".part")
    tmp.write_bytes(data)
    tmp.replace(path)
    return path

