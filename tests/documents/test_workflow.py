"""Workflow state machine (发文/收文): every operation, returns, withdrawals, conflicts."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest

from modules.common.errors import Conflict, PermissionDenied, ValidationFailed
from modules.documents import workflow as wf
from modules.documents.workflow import Actor

T0 = dt.datetime(2026, 3, 5, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))

DRAFTER = Actor("p-drafter", "刘洋", "科员")
REVIEWER = Actor("p-review", "王芳", "办公室主任")
CS1 = Actor("p-cs1", "赵强", "财务处处长")
CS2 = Actor("p-cs2", "孙丽", "法规处处长")
CS3 = Actor("p-cs3", "周涛", "人事处处长")
LEADER = Actor("p-lead", "张伟", "局长")
LEADER2 = Actor("p-lead2", "李明", "副局长")
CLERK = Actor("p-clerk", "陈静", "文书")
SEALER = Actor("p-seal", "吴敏", "印章管理员")
DEPUTY = Actor("p-dep", "郑华", "秘书")
OUTSIDER = Actor("p-out", "何平", "科员")


def at(minutes: int) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


def outgoing(countersign: bool = True) -> dict:
    assignments = {
        "review": [REVIEWER],
        "sign": [LEADER],
        "recheck": [CLERK],
        "register": [CLERK],
        "seal": [SEALER],
        "dispatch": [CLERK],
    }
    if countersign:
        assignments["countersign"] = [CS1, CS2]
    return wf.new_workflow("outgoing", DRAFTER, T0, assignments, doc_id="d-1")


def test_state_is_plain_json() -> None:
    st = outgoing()
    st = wf.approve(st, DRAFTER, at(1), opinion="请审核")
    assert json.loads(json.dumps(st)) == st


def test_outgoing_happy_path_with_countersign() -> None:
    st = outgoing()
    assert st["current"] == "draft" and wf.can_act(st, DRAFTER)
    st = wf.approve(st, DRAFTER, at(1))
    assert st["current"] == "review"
    st = wf.approve(st, REVIEWER, at(2), opinion="文字已核")
    assert st["current"] == "countersign"
    assert {p["id"] for p in st["pending"]} == {CS1.id, CS2.id}
    # Parallel: the step stays open until every signer has signed, in any order.
    st = wf.approve(st, CS2, at(3), opinion="同意")
    assert st["current"] == "countersign" and [p["id"] for p in st["pending"]] == [CS1.id]
    st = wf.approve(st, CS1, at(4), opinion="同意")
    assert st["current"] == "sign"
    st = wf.approve(st, LEADER, at(5), opinion="同意印发")
    for actor, step in ((CLERK, "recheck"), (CLERK, "register"), (SEALER, "seal"), (CLERK, "dispatch")):
        assert st["current"] == step
        st = wf.approve(st, actor, at(6))
    assert st["status"] == "done" and st["current"] is None and st["pending"] == []
    kinds = [(o["step"], o["kind"], o["person"]["name"]) for o in st["opinions"]]
    assert ("sign", "批示", "张伟") in kinds and ("review", "意见", "王芳") in kinds
    leader_opinion = next(o for o in st["opinions"] if o["step"] == "sign")
    assert leader_opinion["person"]["post"] == "局长" and leader_opinion["at"] == at(5).isoformat(timespec="seconds")


def test_optional_countersign_is_skipped_when_nobody_assigned() -> None:
    st = outgoing(countersign=False)
    st = wf.approve(st, DRAFTER, at(1))
    st = wf.approve(st, REVIEWER, at(2))
    assert st["current"] == "sign"
    assert "countersign" not in st["visited"]


def test_required_step_without_assignee_is_refused() -> None:
    st = wf.new_workflow("outgoing", DRAFTER, T0, {"review": [REVIEWER]})
    st = wf.approve(st, DRAFTER, at(1))
    with pytest.raises(ValidationFailed) as exc:
        wf.approve(st, REVIEWER, at(2))
    assert "签发" in exc.value.message()
    # The reviewer can name the leader while approving.
    st = wf.approve(st, REVIEWER, at(2), next_assignees={
        "sign": [LEADER], "recheck": [CLERK], "register": [CLERK], "seal": [SEALER],
        "dispatch": [CLERK]})
    assert st["current"] == "sign"


def test_operations_do_not_mutate_input() -> None:
    st = outgoing()
    before = copy.deepcopy(st)
    wf.approve(st, DRAFTER, at(1))
    assert st == before


def test_not_your_step_is_permission_denied() -> None:
    st = outgoing()
    with pytest.raises(PermissionDenied) as exc:
        wf.approve(st, OUTSIDER, at(1))
    assert "拟稿" in exc.value.message()
    assert exc.value.message("en").startswith("The current step")


def test_return_to_earlier_step_goes_back_to_who_did_it() -> None:
    st = outgoing()
    st = wf.approve(st, DRAFTER, at(1))
    st = wf.approve(st, REVIEWER, at(2))
    st = wf.approve(st, CS1, at(3))
    st = wf.approve(st, CS2, at(4))
    with pytest.raises(ValidationFailed) as exc:
        wf.return_to(st, LEADER, at(5), to_step="draft", reason="  ")
    assert "理由" in exc.value.message()
    st = wf.return_to(st, LEADER, at(5), to_step="draft", reason="请补充资金测算依据")
    assert st["current"] == "draft" and [p["id"] for p in st["pending"]] == [DRAFTER.id]
    assert st["history"][-1]["reason"] == "请补充资金测算依据"
    # Back through the flow: countersign starts over (both must sign again).
    st = wf.approve(st, DRAFTER, at(6))
    st = wf.approve(st, REVIEWER, at(7))
    assert {p["id"] for p in st["pending"]} == {CS1.id, CS2.id}


def test_return_only_to_visited_earlier_steps() -> None:
    st = outgoing(countersign=False)
    st = wf.approve(st, DRAFTER, at(1))
    st = wf.approve(st, REVIEWER, at(2))
    with pytest.raises(ValidationFailed):  # skipped step
        wf.return_to(st, LEADER, at(3), to_step="countersign", reason="x")
    with pytest.raises(ValidationFailed):  # later step
        wf.return_to(st, LEADER, at(3), to_step="seal", reason="x")
    with pytest.raises(ValidationFailed):  # unknown step
        wf.return_to(st, LEADER, at(3), to_step="nope", reason="x")
    st = wf.return_to(st, LEADER, at(3), to_step="review", reason="格式不规范")
    assert st["current"] == "review" and st["pending"][0]["id"] == REVIEWER.id


def test_substantive_change_after_signing_goes_back_to_signer() -> None:
    st = outgoing(countersign=False)
    for actor in (DRAFTER, REVIEWER, LEADER):
        st = wf.approve(st, actor, at(1))
    assert st["current"] == "recheck"
    st = wf.return_to(st, CLERK, at(2), to_step="sign", reason="正文有实质性修改，请重新签发")
    assert st["current"] == "sign" and st["pending"][0]["id"] == LEADER.id


def test_two_leaders_acting_at_once_one_conflict_in_words() -> None:
    st = wf.new_workflow("outgoing", DRAFTER, T0, {
        "review": [REVIEWER], "sign": [LEADER, LEADER2], "recheck": [CLERK],
        "register": [CLERK], "seal": [SEALER], "dispatch": [CLERK]})
    st = wf.approve(st, DRAFTER, at(1))
    seen = wf.approve(st, REVIEWER, at(2))
    assert seen["current"] == "sign"
    # Both leaders see the same state; 张伟 returns it at 10:42, 李明 signs a moment later.
    t_return = dt.datetime(2026, 3, 5, 10, 42, tzinfo=T0.tzinfo)
    after_return = wf.return_to(seen, LEADER, t_return, to_step="review", reason="请再核")
    with pytest.raises(Conflict) as exc:
        wf.approve(after_return, LEADER2, t_return + dt.timedelta(seconds=20), step="sign",
                   opinion="同意")
    assert exc.value.message() == "该公文已由张伟于10:42退回，您的签批未生效。"
    assert "张伟" in exc.value.message("en") and "returned" in exc.value.message("en")
    assert exc.value.outcome == "conflict" and exc.value.http_status == 409
    # The other order: 李明 signs first, 张伟's return conflicts.
    signed = wf.approve(seen, LEADER2, t_return, step="sign")
    with pytest.raises(Conflict) as exc2:
        wf.return_to(signed, LEADER, t_return, step="sign", to_step="review", reason="x")
    assert exc2.value.message() == "该公文已由李明于10:42签发，您的退回未生效。"


def test_conflict_message_names_day_when_not_today() -> None:
    st = wf.new_workflow("outgoing", DRAFTER, T0, {"review": [REVIEWER, DEPUTY], "sign": [LEADER]})
    st = wf.approve(st, DRAFTER, at(1))
    moved = wf.approve(st, REVIEWER, at(2))
    with pytest.raises(Conflict) as exc:
        wf.approve(moved, DEPUTY, at(2) + dt.timedelta(days=1), step="review")
    assert exc.value.message() == "该公文已由王芳于3月5日09:02核稿，您的签批未生效。"


def test_parallel_countersigners_do_not_conflict() -> None:
    st = outgoing()
    st = wf.approve(st, DRAFTER, at(1))
    seen = wf.approve(st, REVIEWER, at(2))
    first = wf.approve(seen, CS1, at(3), step="countersign")
    second = wf.approve(first, CS2, at(3), step="countersign")  # saw the older state: fine
    assert second["current"] == "sign"


def test_transfer_hands_over_the_step() -> None:
    st = outgoing(countersign=False)
    st = wf.approve(st, DRAFTER, at(1))
    with pytest.raises(ValidationFailed):
        wf.transfer(st, REVIEWER, at(2), to=REVIEWER)
    st = wf.transfer(st, REVIEWER, at(2), to=DEPUTY, reason="出差")
    assert [p["id"] for p in st["pending"]] == [DEPUTY.id]
    with pytest.raises(PermissionDenied):  # handed over: no longer the reviewer's step
        wf.approve(st, REVIEWER, at(3), step="review")
    assert st["history"][-1]["op"] == "transfer" and st["history"][-1]["reason"] == "出差"
    st = wf.approve(st, DEPUTY, at(4))
    assert st["current"] == "sign"


def test_delegate_acts_on_behalf_and_principal_keeps_step() -> None:
    st = outgoing(countersign=False)
    for actor in (DRAFTER, REVIEWER):
        st = wf.approve(st, actor, at(1))
    with pytest.raises(PermissionDenied):
        wf.delegate(st, OUTSIDER, at(2), to=DEPUTY)
    st = wf.delegate(st, LEADER, at(2), to=DEPUTY)
    assert wf.can_act(st, DEPUTY) and wf.can_act(st, LEADER)
    st = wf.approve(st, DEPUTY, at(3), opinion="同意（受张伟委托）")
    ev = [e for e in st["history"] if e["op"] == "approve"][-1]
    assert ev["actor"]["id"] == DEPUTY.id and ev["on_behalf_of"]["id"] == LEADER.id
    op = st["opinions"][-1]
    assert op["person"]["name"] == "张伟" and op["written_by"]["name"] == "郑华"
    assert st["current"] == "recheck" and not wf.can_act(st, DEPUTY)


def test_add_and_remove_signer() -> None:
    st = outgoing()
    st = wf.approve(st, DRAFTER, at(1))
    # The drafter adds a countersigner before the step is reached.
    st = wf.add_signer(st, DRAFTER, at(2), signer=CS3, step="countersign")
    st = wf.approve(st, REVIEWER, at(3))
    assert {p["id"] for p in st["pending"]} == {CS1.id, CS2.id, CS3.id}
    with pytest.raises(ValidationFailed):
        wf.add_signer(st, CS1, at(4), signer=CS2)
    st = wf.approve(st, CS1, at(5))
    with pytest.raises(ValidationFailed) as exc:
        wf.remove_signer(st, DRAFTER, at(6), signer_id=CS1.id)
    assert "赵强已于" in exc.value.message()
    st = wf.remove_signer(st, DRAFTER, at(6), signer_id=CS3.id)
    with pytest.raises(ValidationFailed):  # the last one cannot go
        wf.remove_signer(st, DRAFTER, at(7), signer_id=CS2.id)
    with pytest.raises(PermissionDenied):
        wf.add_signer(st, OUTSIDER, at(7), signer=CS3)
    with pytest.raises(ValidationFailed):  # single-person step
        wf.add_signer(st, DRAFTER, at(7), signer=CS3, step="sign")
    st = wf.approve(st, CS2, at(8))
    assert st["current"] == "sign"


def test_withdraw_until_next_actor_acted() -> None:
    st = outgoing(countersign=False)
    st = wf.approve(st, DRAFTER, at(1))
    submitted = st
    # A reminder does not block the withdrawal.
    st = wf.urge(st, DRAFTER, at(2), message="请尽快核稿")
    st = wf.withdraw(st, DRAFTER, at(3))
    assert st["current"] == "draft" and st["pending"][0]["id"] == DRAFTER.id
    assert st["history"][-1]["op"] == "withdraw"
    assert len(st["urges"]) == 1  # the reminder stays on record
    with pytest.raises(ValidationFailed):  # nothing left to withdraw
        wf.withdraw(st, DRAFTER, at(4))
    # Once the reviewer acted, the drafter can no longer withdraw: conflict in words.
    reviewed = wf.approve(submitted, REVIEWER, dt.datetime(2026, 3, 5, 9, 30, tzinfo=T0.tzinfo))
    with pytest.raises(Conflict) as exc:
        wf.withdraw(reviewed, DRAFTER, at(31))
    assert exc.value.message() == "该公文已由王芳于09:30核稿，您的撤回未生效。"


def test_withdraw_of_someone_elses_action_is_refused() -> None:
    st = outgoing(countersign=False)
    st = wf.approve(st, DRAFTER, at(1))
    with pytest.raises(ValidationFailed):
        wf.withdraw(st, OUTSIDER, at(2))


def test_withdraw_a_return() -> None:
    st = outgoing(countersign=False)
    st = wf.approve(st, DRAFTER, at(1))
    st = wf.approve(st, REVIEWER, at(2))
    returned = wf.return_to(st, LEADER, at(3), to_step="draft", reason="再议")
    back = wf.withdraw(returned, LEADER, at(4))
    assert back["current"] == "sign" and back["pending"][0]["id"] == LEADER.id


def test_urge_permissions_and_record() -> None:
    st = outgoing(countersign=False)
    st = wf.approve(st, DRAFTER, at(1))
    with pytest.raises(PermissionDenied):
        wf.urge(st, OUTSIDER, at(2))
    st = wf.urge(st, LEADER, at(2), message="今天下班前办结", deadline="2026-03-05")
    assert st["urges"][-1]["to"][0]["id"] == REVIEWER.id
    assert st["urges"][-1]["deadline"] == "2026-03-05"


def test_void_only_by_owner_with_reason_and_final() -> None:
    st = outgoing(countersign=False)
    st = wf.approve(st, DRAFTER, at(1))
    with pytest.raises(PermissionDenied):
        wf.void(st, REVIEWER, at(2), reason="x")
    with pytest.raises(ValidationFailed):
        wf.void(st, DRAFTER, at(2), reason="")
    voided = wf.void(st, DRAFTER, at(2), reason="事项已取消")
    assert voided["status"] == "voided" and voided["pending"] == []
    with pytest.raises(Conflict) as exc:
        wf.approve(voided, REVIEWER, at(3), step="review")
    assert "作废" in exc.value.message()
    with pytest.raises(ValidationFailed):
        wf.urge(voided, DRAFTER, at(3))


def test_finished_workflow_cannot_be_changed() -> None:
    st = outgoing(countersign=False)
    for actor in (DRAFTER, REVIEWER, LEADER, CLERK, CLERK, SEALER, CLERK):
        st = wf.approve(st, actor, at(1))
    assert st["status"] == "done"
    for call in (
        lambda: wf.approve(st, CLERK, at(2)),
        lambda: wf.withdraw(st, CLERK, at(2)),
        lambda: wf.void(st, DRAFTER, at(2), reason="x"),
    ):
        with pytest.raises(ValidationFailed):
            call()


def test_incoming_flow_with_parallel_handling_and_circulation() -> None:
    st = wf.new_workflow("incoming", CLERK, T0, {
        "register": [CLERK], "screen": [REVIEWER], "propose": [REVIEWER],
        "instruct": [LEADER], "handle": [CS1, CS2], "circulate": [LEADER2, CS3],
        "complete": [CLERK], "archive": [CLERK]})
    assert st["current"] == "receive" and st["pending"][0]["id"] == CLERK.id
    st = wf.approve(st, CLERK, at(1))  # 签收
    st = wf.approve(st, CLERK, at(2))  # 登记
    st = wf.approve(st, REVIEWER, at(3), opinion="符合行文规则")  # 初审
    st = wf.approve(st, REVIEWER, at(4), opinion="拟请财务处牵头办理")  # 拟办
    st = wf.approve(st, LEADER, at(5), opinion="同意，财务处牵头，法规处配合")  # 批办
    assert st["opinions"][-1]["kind"] == "批示"
    assert st["current"] == "handle"
    st = wf.urge(st, LEADER, at(6), message="3月10日前办结", deadline="2026-03-10")
    st = wf.approve(st, CS1, at(7))
    st = wf.approve(st, CS2, at(8))
    assert st["current"] == "circulate"
    st = wf.approve(st, LEADER2, at(9))
    st = wf.approve(st, CS3, at(10))
    st = wf.approve(st, CLERK, at(11))  # 办结
    assert st["current"] == "archive"
    st = wf.approve(st, CLERK, at(12))  # 归档
    assert st["status"] == "done"


def test_incoming_screen_returns_to_registration() -> None:
    st = wf.new_workflow("incoming", CLERK, T0, {
        "register": [CLERK], "screen": [REVIEWER], "propose": [REVIEWER],
        "instruct": [LEADER], "handle": [CS1], "complete": [CLERK], "archive": [CLERK]})
    st = wf.approve(st, CLERK, at(1))
    st = wf.approve(st, CLERK, at(2))
    st = wf.return_to(st, REVIEWER, at(3), to_step="register", reason="文种使用不当，退回重新登记")
    assert st["current"] == "register"


def test_batch_approve_reports_per_item() -> None:
    a = wf.approve(outgoing(countersign=False), DRAFTER, at(1))
    a = wf.approve(a, REVIEWER, at(2))
    b = outgoing(countersign=False)  # still at 拟稿: the leader has nothing to do
    results = wf.batch_approve({"d-a": a, "d-b": b}, LEADER, at(3), opinion="同意")
    assert results["d-a"]["ok"] and results["d-a"]["state"]["current"] == "recheck"
    assert not results["d-b"]["ok"] and isinstance(results["d-b"]["error"], PermissionDenied)


def test_apply_dispatches_by_name() -> None:
    st = outgoing(countersign=False)
    st = wf.apply(st, "approve", DRAFTER, at(1))
    assert st["current"] == "review"
    with pytest.raises(ValidationFailed):
        wf.apply(st, "explode", DRAFTER, at(1))


def test_actor_dicts_are_accepted_and_checked() -> None:
    st = wf.new_workflow("outgoing", {"id": "p-x", "name": "甲"}, T0, {"review": [REVIEWER]})
    st = wf.approve(st, {"id": "p-x", "name": "甲"}, at(1))
    assert st["current"] == "review"
    with pytest.raises(ValidationFailed):
        wf.approve(st, {"name": "无编号"}, at(2))


def test_conflict_time_shown_in_china_time_when_server_clock_is_utc() -> None:
    utc = dt.UTC
    st = wf.new_workflow("outgoing", DRAFTER, dt.datetime(2026, 3, 5, 1, 0, tzinfo=utc), {
        "review": [REVIEWER, DEPUTY], "sign": [LEADER]})
    st = wf.approve(st, DRAFTER, dt.datetime(2026, 3, 5, 1, 30, tzinfo=utc))
    moved = wf.approve(st, REVIEWER, dt.datetime(2026, 3, 5, 2, 42, tzinfo=utc))
    with pytest.raises(Conflict) as exc:
        wf.approve(moved, DEPUTY, dt.datetime(2026, 3, 5, 2, 43, tzinfo=utc), step="review")
    assert exc.value.message() == "该公文已由王芳于10:42核稿，您的签批未生效。"


def test_return_to_countersign_goes_to_current_signers() -> None:
    st = outgoing()
    st = wf.approve(st, DRAFTER, at(1))
    st = wf.approve(st, REVIEWER, at(2))
    st = wf.approve(st, CS1, at(3))
    st = wf.approve(st, CS2, at(4))
    st = wf.approve(st, LEADER, at(5))
    st = wf.return_to(st, CLERK, at(6), to_step="countersign", reason="会签意见需补充")
    assert st["current"] == "countersign"
    assert {p["id"] for p in st["pending"]} == {CS1.id, CS2.id}
