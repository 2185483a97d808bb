"""考评: average delay, 签收 and 反馈 timeliness per unit, the ranking, the monthly trend,
the 通报 draft, the Excel workbook read back with openpyxl and the PDF's text — over items
built by the real effects with working-day deadlines across the 2026 National Day holiday
(October 1–7 and 11 off; Saturday October 10 a make-up working day)."""

from __future__ import annotations

import datetime as dt
import io
import random
from typing import Any

import pdfplumber
import pytest
from openpyxl import load_workbook

from modules.calendar.service import seed
from modules.common.access import ActorFacts, BodyFacts, PostFacts
from modules.documents.rules import validate_spec
from modules.supervision import intents as I
from modules.supervision import rules as R
from modules.supervision import stats as S
from modules.supervision import stats_export as X
from modules.supervision import units as U

SUPERVISOR = BodyFacts("b-szj", "省政数局", "b-szj", ("b-szj",))
STAFF = ActorFacts("p-sec", (PostFacts("b-szj", "b-szj", frozenset({"secretary"})),))
CLERKS = {
    "b-city": ActorFacts("p-city", (PostFacts("b-city", "b-city", frozenset({"registry_clerk"})),)),
    "b-county": ActorFacts("p-cty", (PostFacts("b-county", "b-county", frozenset({"registry_clerk"})),)),
}
NAMES = {"b-city": "市政数局", "b-county": "县政数局"}
TABLE = seed()
TODAY = dt.date(2026, 10, 12)


def at(day: str, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), R.CHINA)


def item(n: int, unit: str, assigned: str, days: int, *, co: str = "",
         cycle: str = "none") -> dict[str, Any]:
    args = I.REGISTER.parse({"item_id": f"sv-eval-{n}", "body_id": "b-szj", "title": f"事项{n}",
                             "leader_id": "p-lead", "lead_unit_id": unit, "deadline_days": days,
                             "co_unit_ids": [co] if co else [], "cycle": cycle})
    return I.register(None, args, STAFF, "王秘书", SUPERVISOR, (unit, NAMES[unit]),
                      [(co, NAMES[co])] if co else [], "局长", f"督字〔2026〕{n}号", at(assigned),
                      TABLE)


def ack(record: dict[str, Any], unit: str, when: dt.datetime) -> dict[str, Any]:
    return I.acknowledge(record, I.ACKNOWLEDGE.parse({"item_id": record["id"], "unit_id": unit}),
                         CLERKS[unit], "陈", when)


def finish(record: dict[str, Any], asked: str) -> dict[str, Any]:
    clerk = CLERKS[record["lead_unit_id"]]
    record = I.request_completion(record, I.REQUEST_COMPLETION.parse(
        {"item_id": record["id"], "report": "已完成"}), clerk, "陈", at(asked))
    return I.verify(record, I.VERIFY.parse({"item_id": record["id"], "accept": True}), STAFF,
                    "王秘书", at("2026-10-12", 9))


def report(record: dict[str, Any], day: str) -> dict[str, Any]:
    clerk = CLERKS[record["lead_unit_id"]]
    return I.report(record, I.REPORT.parse({"item_id": record["id"], "text": "进展顺利"}), clerk,
                    "陈", at(day))


@pytest.fixture(scope="module")
def items() -> list[dict[str, Any]]:
    # a: 9-28 + 5 working days = 10-10 (over the break); signed 9-28 (due 9-29), done 10-10
    a = finish(ack(item(1, "b-city", "2026-09-28", 5), "b-city", at("2026-09-28", 15)),
               "2026-10-10")
    # b: the same deadline, signed late on 9-30, done on Sunday 10-11: 1 working day late
    b = finish(ack(item(2, "b-city", "2026-09-28", 5), "b-city", at("2026-09-30")),
               "2026-10-11")
    # c: 9-30 + 1 = 10-08 (the first working day after the break); never signed, open
    c = item(3, "b-city", "2026-09-30", 1)
    # d: county leads, city co-unit; 签收 due 10-10 (the make-up Saturday), deadline 10-13
    d = ack(item(4, "b-county", "2026-10-09", 3, co="b-city"), "b-county", at("2026-10-09", 11))
    d = ack(d, "b-city", at("2026-10-12"))                                  # the co-unit: late
    # e: county, weekly: first feedback due 10-05, a holiday -> 10-08; reported that day
    e = report(ack(item(5, "b-county", "2026-09-28", 20, cycle="weekly"), "b-county",
                   at("2026-09-28", 11)), "2026-10-08")
    # f: city, weekly from 9-21: 9-28 missed, 10-08 missed (reported late on 10-09)
    f = report(ack(item(6, "b-city", "2026-09-21", 30, cycle="weekly"), "b-city",
                   at("2026-09-21", 16)), "2026-10-09")
    return [a, b, c, d, e, f]


@pytest.fixture(scope="module")
def stats(items: list[dict[str, Any]]) -> S.Stats:
    return S.compute(items, TODAY, TABLE, S.YEAR)


def test_the_dates_cross_the_national_day_break(items: list[dict[str, Any]]) -> None:
    a, _b, c, d, *_ = items
    assert R.deadline(a, TABLE).day == dt.date(2026, 10, 10)
    assert R.deadline(c, TABLE).day == dt.date(2026, 10, 8)
    assert U.ack_due(c, TABLE).day == dt.date(2026, 10, 8)  # type: ignore[union-attr]
    assert U.ack_due(d, TABLE).day == dt.date(2026, 10, 10)  # type: ignore[union-attr]


def test_average_delay_in_working_days(stats: S.Stats) -> None:
    city = stats.unit("b-city")
    assert city is not None
    assert (city.due, city.on_time, city.late) == (3, 1, 2)
    # b: done Sunday 10-11, a day after 10-10 but no working day: counts 1; c: open since
    # 10-08: 10-09, 10-10 (make-up) and 10-12 = 3
    assert city.delay_days == 4 and city.average_delay == 2.0
    assert stats.total.average_delay == 2.0


def test_acknowledgement_timeliness_per_signing_unit(stats: S.Stats) -> None:
    city, county = stats.unit("b-city"), stats.unit("b-county")
    assert city is not None and county is not None
    # city: a on time, b late, c unsigned past 10-08, f on time, its co-unit part of d late
    assert (city.acks, city.acks_on_time) == (5, 2)
    assert (county.acks, county.acks_on_time) == (2, 2)
    assert (stats.total.acks, stats.total.acks_on_time) == (7, 4)
    assert S.percent(city.ack_rate) == "40.0%"


def test_feedback_timeliness_per_cycle(stats: S.Stats) -> None:
    city, county = stats.unit("b-city"), stats.unit("b-county")
    assert city is not None and county is not None
    assert (county.feedbacks, county.feedbacks_on_time) == (1, 1)   # 10-08 on the day
    assert (city.feedbacks, city.feedbacks_on_time) == (2, 0)       # 9-28 missed, 10-08 late


def test_feedback_cycles_in_the_month_only(items: list[dict[str, Any]]) -> None:
    october = S.compute(items, TODAY, TABLE, S.MONTH)
    city = october.unit("b-city")
    assert city is not None and (city.feedbacks, city.feedbacks_on_time) == (1, 0)  # 10-08 only
    # the 签收 due in September (a, b, f) are not October's
    assert (city.acks, city.acks_on_time) == (2, 0)  # c (10-08) and d's co-unit part (10-10)


def test_score_and_ranking(stats: S.Stats) -> None:
    city, county = stats.unit("b-city"), stats.unit("b-county")
    assert city is not None and county is not None
    assert county.on_time_rate is None and county.score == pytest.approx(100.0)
    # 0.6 × 1/3 + 0.2 × 0.4 + 0.2 × 0
    assert city.score == pytest.approx(28.0)
    assert [(p, f.key) for p, f in S.ranking(stats)] == [(1, "b-county"), (2, "b-city")]


def test_a_unit_without_any_rate_ranks_last_and_ties_share_a_place() -> None:
    span = S.period(S.MONTH, TODAY)
    a, b, c = S.Figures("x", "甲"), S.Figures("y", "乙"), S.Figures("z", "丙")
    a.due, a.on_time = 2, 1
    b.due, b.on_time = 4, 2
    ranked = S.ranking(S.Stats(span, TODAY, S.Figures(), [c, a, b]))
    assert [(p, f.name) for p, f in ranked] == [(1, "乙"), (1, "甲"), (3, "丙")]


def test_monthly_trend(stats: S.Stats) -> None:
    assert stats.trend[0].label() == "2025-11"
    assert stats.trend[-1].label() == "2026-10"
    october = stats.trend[-1]
    assert sorted(october.due) == ["sv-eval-1", "sv-eval-2", "sv-eval-3"]
    assert sorted(october.closed) == ["sv-eval-1", "sv-eval-2"]
    assert sorted(october.overdue) == ["sv-eval-2", "sv-eval-3"]
    assert all(not m.due for m in stats.trend[:-1])
    assert [i["id"] for i in S.drill(stats, "month", "2026-10", "overdue")] == \
        ["sv-eval-2", "sv-eval-3"]


def test_drill_by_unit_light_and_source(stats: S.Stats) -> None:
    red = S.drill(stats, "unit", "b-city", R.RED)
    assert [i["id"] for i in red] == ["sv-eval-3"]
    assert len(S.drill(stats, "unit", "b-city")) == 4
    assert len(S.drill(stats, "source", "other")) == 6


def test_memoised_lights_are_the_rules_lights(items: list[dict[str, Any]]) -> None:
    rnd = random.Random(5)
    more = []
    for n in range(150):
        record = dict(items[n % len(items)])
        record["assigned_on"] = (TODAY - dt.timedelta(days=rnd.randrange(0, 400))).isoformat()
        record["deadline_days"] = rnd.choice([1, 5, 20, 400])  # 400: into 2028, provisional
        record["state"] = rnd.choice([R.IN_PROGRESS, R.COMPLETION_REQUESTED, R.DONE])
        record["last_report_on"] = rnd.choice([None, (TODAY - dt.timedelta(
            days=rnd.randrange(0, 30))).isoformat()])
        record["cycle"] = rnd.choice(["none", "weekly", "monthly", "working_days"])
        more.append(record)
    memo = S.Memo(TODAY, TABLE)
    late_feedback = 0
    for record in [*items, *more]:
        found = memo.light(record)
        assert found == R.light(record, TODAY, TABLE)
        assert memo.deadline(record) == R.deadline(record, TABLE).day
        late_feedback += "反馈已超期" in found.zh
    assert late_feedback > 10  # the feedback part of the key was exercised


def test_the_bulletin_draft(stats: S.Stats) -> None:
    text = X.bulletin_text(stats, "省政数局")
    lines = text.splitlines()
    assert lines[0] == "关于2026年度督办事项办理情况的通报"
    assert "应办结3项，按期办结1项，按期办结率33.3%" in text
    assert "平均逾期2.0个工作日" in text
    assert "县政数局位列第一，市政数局排名靠后" in text
    assert "市政数局：“事项3”共1项。" in text
    assert lines[-2:] == ["省政数局督查室", "2026年10月12日"]
    spec = X.bulletin_spec(text, TODAY, "省政数局")
    parsed = validate_spec(spec, final=False)
    assert parsed.doc_type == "通报" and parsed.recipients == "各有关单位"
    assert parsed.signature == "省政数局督查室"
    assert [p.text for p in parsed.body if p.level == 1] == ["一、总体情况", "二、考评排名",
                                                              "三、逾期事项"]


def test_the_workbook_round_trip(stats: S.Stats) -> None:
    book = load_workbook(io.BytesIO(X.workbook_bytes(stats)))
    assert book.sheetnames == list(X.SHEETS)
    units = [list(r) for r in book["分单位统计"].iter_rows(values_only=True)]
    assert units[0][0] == S.PERIODS[S.YEAR][0] + " 2026-01-01 – 2026-12-31"
    head = units[1]
    assert head[0] == "牵头单位"
    body, total = units[2:-1], units[-1]
    assert [r[0] for r in body] == ["县政数局", "市政数局"] and total[0] == "合计"
    for col in ("事项数", "应办结", "按期办结", "逾期", "办结"):
        n = head.index(col)
        values: list[Any] = [r[n] for r in body]
        assert total[n] == sum(values)  # a value we computed, not a formula
    assert total[head.index("事项数")] == 6
    assert total[head.index("按期办结率")] == pytest.approx(round(1 / 3, 4))
    assert total[head.index("签收及时率")] == pytest.approx(4 / 7, abs=1e-4)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert not (isinstance(cell.value, str) and cell.value.startswith("="))
    ranking = [list(r) for r in book["考评排名"].iter_rows(values_only=True)][2:]
    assert [(r[0], r[1], r[2]) for r in ranking] == [(1, "县政数局", 100.0), (2, "市政数局", 28.0)]
    trend = [list(r) for r in book["月度趋势"].iter_rows(values_only=True)]
    assert trend[-2] == ["2026-10", 3, 2, 2] and trend[-1] == ["合计", 3, 2, 2]
    overdue = [list(r) for r in book["逾期事项"].iter_rows(values_only=True)][2:]
    assert overdue == [["督字〔2026〕3号", "事项3", "市政数局", "2026-10-08", 3, "已交办"]]


def test_the_pdf_holds_the_figures_table_and_ranking(stats: S.Stats) -> None:
    data = X.render_pdf(stats, "省政数局")
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    compact = text.replace(" ", "").replace("\n", "")
    for words in ("省政数局督办看数", "分单位统计", "考评排名", "月度趋势", "市政数局", "县政数局",
                  "按期办结率", "33.3%", "合计", "2026-10"):
        assert words in compact, words
