"""Per-unit 签收, 分解 and the 督查通知单 as pure rules: each unit's line (signed, due, overdue
in working days across the National Day holiday), the sub-task's deadline against its
parent's, the parent's rule while a sub-task is open, the sources, and the notice's
rows and QR address."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from modules.calendar.rules import HolidayTable
from modules.calendar.service import seed
from modules.common import messages
from modules.common.access import ActorFacts, BodyFacts, PostFacts
from modules.common.errors import Conflict, PermissionDenied, ValidationFailed
from modules.supervision import intents as I
from modules.supervision import notice_pdf, policy, units
from modules.supervision import rules as R
from modules.supervision import subtasks as S

TABLE = seed()
SEP_28 = dt.datetime(2026, 9, 28, 9, 0, tzinfo=R.CHINA)
BODY = BodyFacts("b-szj", "省政数局", "b-szj", ("b-szj",))
STAFF = ActorFacts("p-sec", (PostFacts("b-szj", "b-szj", frozenset({"secretary"})),))
LEAD = ActorFacts("p-clerk", (PostFacts("b-city", "b-city", frozenset({"registry_clerk"})),))
CO = ActorFacts("p-co", (PostFacts("b-county", "b-county", frozenset({"leader"})),))
DIV_HEAD = ActorFacts("p-div", (PostFacts("b-city-div", "b-city", frozenset({"division_head"})),))
DIVISION = BodyFacts("b-city-div", "数据资源处", "b-city", ("b-city",))
ELSEWHERE = BodyFacts("b-far", "外市政府", "b-far", ("b-far",))


def _item(**over: Any) -> dict[str, Any]:
    args = I.RegisterArgs(**{"item_id": "sv-rule-1", "body_id": "b-szj", "title": "加装电梯",
                             "lead_unit_id": "b-city", "co_unit_ids": ["b-county"],
                             "deadline_days": 5, "ack_days": 1, **over})
    return I.register(None, args, STAFF, "王秘书", BODY, ("b-city", "市住建局"),
                      [("b-county", "县政府")], "李副市长", "督字〔2026〕7号", SEP_28, TABLE)


def _ack(item: dict[str, Any], who: ActorFacts, when: dt.datetime, unit: str = "") -> dict[str, Any]:
    return I.acknowledge(item, I.AcknowledgeArgs(item_id=item["id"], unit_id=unit), who, "签收人", when)


def test_every_source_of_the_issue_is_offered_and_old_keys_still_work() -> None:
    assert [zh for zh, _ in R.SOURCES.values()] == [
        "决策部署", "会议议定", "领导批示", "文件要求", "人大建议/政协提案", "12345 热线", "上级交办", "其他"]
    for key in R.SOURCES:
        assert _item(source=key)["source_words"] == R.SOURCES[key][0]


def test_acknowledgement_is_due_in_working_days_and_overdue_across_the_holiday() -> None:
    item = _item()
    assert units.ack_due(item, TABLE) is not None
    assert units.ack_due(item, TABLE).day == dt.date(2026, 9, 29)  # type: ignore[union-attr]
    rows = units.ack_rows(item, dt.date(2026, 9, 29), TABLE)
    assert [r.words() for r in rows] == ["市住建局（牵头）：待签收，应于9月29日前签收",
                                         "县政府（协办）：待签收，应于9月29日前签收"]
    # 9-30 is a working day, 10-1…10-7 the holiday: on 10-8 the lateness is 2 working days
    late = units.ack_rows(item, dt.date(2026, 10, 8), TABLE)
    assert late[0].overdue and late[0].overdue_days == 2
    assert late[0].words() == "市住建局（牵头）：签收已超期2个工作日（应于9月29日前签收）"
    assert late[0].words("en").endswith("acknowledgement 2 working days overdue (due Sep 29)")


def test_each_unit_signs_once_and_the_co_units_signature_does_not_move_the_state() -> None:
    item = _item()
    co = _ack(item, CO, SEP_28 + dt.timedelta(hours=1))
    assert co["state"] == R.ASSIGNED and list(co["acks"]) == ["b-county"]
    assert co["history"][-1]["action"] == "acknowledge_co"
    with pytest.raises(Conflict) as again:
        _ack(co, CO, SEP_28 + dt.timedelta(hours=2))
    assert again.value.code == "supervision.already_acknowledged"
    both = _ack(co, LEAD, SEP_28 + dt.timedelta(days=3))  # 10-01: after its due day
    assert both["state"] == R.ACKNOWLEDGED and both["acknowledged_by"] == "p-clerk"
    rows = units.ack_rows(both, dt.date(2026, 10, 8), TABLE)
    assert rows[0].signed and "超期签收" in rows[0].words() and not rows[1].words().endswith("超期签收）")
    with pytest.raises(PermissionDenied):
        _ack(item, LEAD, SEP_28, unit="b-county")  # not the lead's to sign for
    assert "acknowledge" not in policy.allowed_actions(CO, co)
    assert "acknowledge" in policy.allowed_actions(LEAD, co)


def test_an_item_from_before_per_unit_acknowledgement_reads_its_leads_signature() -> None:
    old = _ack(_item(), LEAD, SEP_28)
    old.pop("acks")
    assert list(units.acks_of(old)) == ["b-city"]
    assert "acknowledge" not in policy.allowed_actions(LEAD, old)


def _split(item: dict[str, Any], due: str, unit: BodyFacts = DIVISION, sub: str = "st-rule-0001",
           when: dt.datetime = SEP_28, table: HolidayTable = TABLE) -> dict[str, Any]:
    return S.split(item, S.SplitArgs(item_id=item["id"], subtask_id=sub, title="摸底排查",
                                     unit_id=unit.id, due=due), LEAD, "陈静", unit, when, table)


def test_a_sub_task_ends_no_later_than_its_parent_and_goes_to_a_division_or_co_unit() -> None:
    item = _ack(_item(), LEAD, SEP_28)
    assert item["due"] == "2026-10-10"  # 5 working days, the make-up Saturday counted
    with pytest.raises(ValidationFailed) as late:
        _split(item, "2026-10-11")
    assert late.value.code == "supervision.subtask_after_parent"
    assert messages.render(late.value.code, "en", late.value.params) == (
        "A sub-task's deadline (2026-10-11) cannot be later than the item's deadline (2026-10-10).")
    with pytest.raises(ValidationFailed) as stranger:
        _split(item, "2026-10-09", ELSEWHERE)
    assert stranger.value.code == "supervision.subtask_bad_unit"
    with pytest.raises(PermissionDenied):
        S.split(item, S.SplitArgs(item_id=item["id"], subtask_id="st-rule-0009", title="x",
                                  unit_id=DIVISION.id, due="2026-10-09"), CO, "x", DIVISION, SEP_28, TABLE)
    with pytest.raises(Conflict):  # not before the lead unit has signed
        _split(_item(), "2026-10-09")
    done = _split(item, "2026-10-10")
    assert done["subtasks"][0]["state"] == S.OPEN and done["history"][-1]["action"] == "split"
    co = _split(done, "2026-10-09", BodyFacts("b-county", "县政府", "b-county", ("b-county",)),
                "st-rule-0002")
    assert [s["unit_id"] for s in co["subtasks"]] == ["b-city-div", "b-county"]


def test_the_parent_cannot_be_reported_done_while_a_sub_task_is_open() -> None:
    item = _split(_ack(_item(), LEAD, SEP_28), "2026-10-09")
    ask = I.RequestCompletionArgs(item_id=item["id"], report="全部完成")
    with pytest.raises(Conflict) as blocked:
        I.request_completion(item, ask, LEAD, "陈静", SEP_28)
    assert blocked.value.code == "supervision.subtasks_open"
    assert messages.render(blocked.value.code, "zh_CN", blocked.value.params) == (
        "还有1项分解任务未完成（摸底排查），须完成或撤回后才能申请办结。")
    half = S.report_subtask(item, S.ReportSubtaskArgs(item_id=item["id"], subtask_id="st-rule-0001",
                                                      text="已排查一半", progress=50),
                            DIV_HEAD, "赵处长", SEP_28)
    assert S.summary(half) == ("分解任务1项：办理中1项", "1 sub-task: 1 in progress")
    late = S.rows(half, dt.date(2026, 10, 12), TABLE)[0]  # 10-10 was a make-up Saturday
    assert late.overdue_days == 2 and late.words().endswith("办理中 50%，已逾期2个工作日")
    with pytest.raises(PermissionDenied):
        S.report_subtask(item, S.ReportSubtaskArgs(item_id=item["id"], subtask_id="st-rule-0001",
                                                   text="x"), CO, "x", SEP_28)
    finished = S.report_subtask(half, S.ReportSubtaskArgs(
        item_id=item["id"], subtask_id="st-rule-0001", text="完成", finished=True),
        DIV_HEAD, "赵处长", SEP_28)
    assert finished["subtasks"][0]["progress"] == 100
    assert I.request_completion(finished, ask, LEAD, "陈静", SEP_28)["state"] == R.COMPLETION_REQUESTED
    withdrawn = S.cancel_subtask(item, S.CancelSubtaskArgs(item_id=item["id"], subtask_id="st-rule-0001",
                                                           reason="并入其他任务"), LEAD, "陈静", SEP_28)
    assert S.summary(withdrawn) == ("", "")
    assert I.request_completion(withdrawn, ask, LEAD, "陈静", SEP_28)["state"] == R.COMPLETION_REQUESTED
    with pytest.raises(Conflict) as closed:
        S.cancel_subtask(withdrawn, S.CancelSubtaskArgs(item_id=item["id"], subtask_id="st-rule-0001",
                                                        reason="再撤"), LEAD, "陈静", SEP_28)
    assert closed.value.code == "supervision.subtask_closed"


def test_the_notice_has_the_items_particulars_and_its_address() -> None:
    item = _item(source="instruction", source_ref="收文〔2026〕12号", cycle="weekly",
                 content="摸底并制定方案", leader_id="p-lead")
    rows = dict(notice_pdf.rows(item, TABLE))
    assert rows["督办来源"] == "领导批示（收文〔2026〕12号）"
    assert rows["办结时限"] == "5个工作日内（2026年10月10日前）"
    assert rows["反馈要求"].startswith("各单位于交办后1个工作日内签收（2026年9月29日前）；每周反馈")
    assert rows["牵头单位"] == "市住建局" and rows["协办单位"] == "县政府"
    assert rows["督办领导"] == "李副市长" and rows["督查员"] == "王秘书"
    assert notice_pdf.item_id_from_link(notice_pdf.item_link(item)) == "sv-rule-1"
    assert notice_pdf.item_id_from_link("https://example.com/sv-rule-1") is None
    pdf = notice_pdf.render_notice(item, TABLE)
    assert pdf.startswith(b"%PDF") and pdf == notice_pdf.render_notice(item, TABLE)


def test_a_notice_in_a_year_without_holidays_says_its_deadline_is_provisional() -> None:
    item = _item(deadline_days=None, due="2099-03-02")
    words = dict(notice_pdf.rows(item, TABLE))["办结时限"]
    assert words.startswith("2099年3月2日前（暂定：") and "2099" in words[10:]
