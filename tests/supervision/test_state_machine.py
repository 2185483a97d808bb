"""The state machine through the effects both sides run (the client's appliers and the
server's handlers call the same functions): whatever sequence of intents, by whoever,
an item only ever moves along ``rules.TRANSITIONS``; a closed item never changes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from modules.calendar.service import seed
from modules.common.access import ActorFacts, BodyFacts, PostFacts
from modules.common.errors import DomainError
from modules.supervision import intents as I
from modules.supervision import lifecycle as L
from modules.supervision import rules as R
from modules.supervision import subtasks as S

TABLE = seed()
START = dt.datetime(2026, 9, 28, 9, 0, tzinfo=R.CHINA)
BODY = BodyFacts("b-szj", "省政数局", "b-szj", ("b-szj",))
PEOPLE = {
    "staff": ActorFacts("p-sec", (PostFacts("b-szj", "b-szj", frozenset({"secretary"})),)),
    "clerk": ActorFacts("p-clerk", (PostFacts("b-city", "b-city", frozenset({"registry_clerk"})),)),
    "co": ActorFacts("p-co", (PostFacts("b-county", "b-county", frozenset({"leader"})),)),
    "leader": ActorFacts("p-lead", (PostFacts("b-szj", "b-szj", frozenset({"leader"})),)),
    "stranger": ActorFacts("p-x", (PostFacts("b-x", "b-x", frozenset({"sys_admin", "leader"})),)),
}


def _effect(name: str, item: dict[str, Any], who: ActorFacts, now: dt.datetime,
            flag: bool) -> dict[str, Any]:
    item_id = item["id"]
    later = (R.deadline(item, TABLE).day + dt.timedelta(days=20)).isoformat()
    if name == "split":
        unit = BodyFacts("b-county", "县政府", "b-county", ("b-county",))
        due = R.deadline(item, TABLE).day - dt.timedelta(days=0 if flag else -3)
        return S.split(item, S.SplitArgs(item_id=item_id, subtask_id=f"st-{len(item['history']):04d}",
                                         title="分项", unit_id=unit.id, due=due.isoformat()),
                       who, "x", unit, now, TABLE)
    if name in ("report_subtask", "cancel_subtask"):
        subs = item.get("subtasks") or [{"id": "st-none"}]
        sub_id = str(subs[-1]["id"])
        if name == "cancel_subtask":
            return S.cancel_subtask(item, S.CancelSubtaskArgs(item_id=item_id, subtask_id=sub_id,
                                                              reason="调整"), who, "x", now)
        return S.report_subtask(item, S.ReportSubtaskArgs(item_id=item_id, subtask_id=sub_id,
                                                          text="进展", finished=flag), who, "x", now)
    if name == "acknowledge":
        return I.acknowledge(item, I.AcknowledgeArgs(item_id=item_id), who, "x", now)
    if name == "report":
        return I.report(item, I.ReportArgs(item_id=item_id, text="进展"), who, "x", now)
    if name == "request_extension":
        return I.request_extension(item, I.RequestExtensionArgs(
            item_id=item_id, new_due=later, reason="理由"), who, "x", now, TABLE)
    if name == "decide_extension":
        return I.decide_extension(item, I.DecideExtensionArgs(item_id=item_id, approve=flag),
                                  who, "x", now, TABLE)
    if name == "request_completion":
        return I.request_completion(item, I.RequestCompletionArgs(item_id=item_id, report="完成"),
                                    who, "x", now)
    if name == "verify":
        return I.verify(item, I.VerifyArgs(item_id=item_id, accept=flag, reason="补充"), who, "x", now)
    if name == "urge":
        return I.urge(item, I.UrgeArgs(item_id=item_id, unit_id="b-county" if flag else ""),
                      who, "x", now, TABLE)
    if name == "terminate":
        return L.terminate(item, L.TerminateArgs(item_id=item_id, reason="情况变化"), who, "x", now)
    if name == "strike_off":
        return L.strike_off(item, L.StrikeOffArgs(item_id=item_id), who, "x", now)
    return I.cancel(item, I.CancelArgs(item_id=item_id, reason="撤销"), who, "x", now)


STEPS = st.tuples(
    st.sampled_from(["acknowledge", "report", "request_extension", "decide_extension",
                     "request_completion", "verify", "urge", "cancel", "split",
                     "report_subtask", "cancel_subtask", "terminate", "strike_off"]),
    st.sampled_from(sorted(PEOPLE)), st.booleans(), st.integers(0, 72))


@settings(max_examples=150, deadline=None)
@given(st.lists(STEPS, max_size=25))
def test_no_sequence_of_intents_reaches_an_illegal_state(steps: list[tuple[str, str, bool, int]]) -> None:
    args = I.RegisterArgs(item_id="sv-prop-1", body_id="b-szj", title="督办", leader_id="p-lead",
                          lead_unit_id="b-city", co_unit_ids=["b-county"], deadline_days=5)
    item = I.register(None, args, PEOPLE["staff"], "秘书", BODY, ("b-city", "市政数局"),
                      [("b-county", "县政府")], "局长", "督字〔2026〕1号", START, TABLE)
    now = START
    for name, who, flag, hours in steps:
        now += dt.timedelta(hours=hours)
        before = item
        try:
            item = _effect(name, item, PEOPLE[who], now, flag)
        except DomainError:
            continue
        # a co-unit's 签收 is its own step (acknowledge_co): the state does not move
        action = item["history"][-1]["action"]
        assert action in (name, f"{name}_co")
        assert before["state"] not in R.FINAL or (action in R.AFTER_CLOSE
                                                  and item["state"] == before["state"])
        if name == "strike_off":  # once, and only after 办结
            assert before["state"] == R.DONE and not before.get("struck_off")
        assert (before["state"], action) in R.TRANSITIONS
        assert item["state"] in R.STATE_WORDS
        assert item["state"] == R.next_state(before["state"], action, accept=flag)
        assert who != "stranger"
        assert len(item["history"]) == len(before["history"]) + 1
        if name == "request_completion":  # never while a sub-task is open
            assert S.open_subtasks(before) == []
        for sub in item.get("subtasks") or ():  # no sub-task after its parent's deadline
            assert sub["due"] <= max(before["due"], item["due"])
