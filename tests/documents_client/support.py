"""Test support for the documents client: an in-process engine, demo documents, a context.

``LocalEngine`` does what ``SyncEngine.submit`` does locally (optimistic apply + outbox
row in one transaction, change broadcast) without a server; ``seed_demo`` writes a set
of documents in many states as if pulled from the server (through
``apply_server_changes``, so the projections run exactly as on a pull).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

from modules.documents import rules, service, workflow
from modules.documents.render import render_pdf
from sync.cache import LocalCache, outbox
from sync.engine import Changes, SyncStatus
from sync.local import apply_server_changes, submit_intent

ME = {
    "person_id": "p-1", "name": "张伟", "login": "zhangwei",
    "roles": ["division_head", "staff"], "body_ids": ["b-jh-gov"],
    "posts": [{"post_id": "post-1", "body_id": "b-jh-gov", "title": "秘书处处长",
               "body_name": "江海市人民政府办公室", "roles": ["division_head"],
               "is_primary": True}],
}
PEOPLE = {
    "p-1": ("张伟", "秘书处处长"), "p-2": ("李娜", "办公室副主任"), "p-3": ("王强", "市长"),
    "p-4": ("刘洋", "综合科科员"), "p-5": ("陈静", "收发员"), "p-6": ("杨帆", "副市长"),
    "p-7": ("赵磊", "应急管理局局长"), "p-8": ("黄敏", "印章管理员"),
}
BODIES = {
    "b-jh-gov": "江海市人民政府办公室", "b-jh-yj": "江海市应急管理局",
    "b-jh-sl": "江海市水利局", "b-jh-cz": "江海市财政局", "b-gd-szj": "省政务服务数据管理局",
}
BASE_TIME = dt.datetime(2026, 11, 20, 1, 30, tzinfo=dt.UTC)


def actor(pid: str) -> dict[str, str]:
    name, post = PEOPLE[pid]
    return {"id": pid, "name": name, "post": post}


class LocalEngine:
    """Stand-in for ``SyncEngine`` without a network: submit, status, listeners."""

    def __init__(self, cache: LocalCache, principal: dict[str, Any],
                 now: Callable[[], dt.datetime] | None = None) -> None:
        self.cache = cache
        self.principal = principal
        self.now = now or (lambda: dt.datetime.now(dt.UTC))
        self.listeners: list[Callable[[Changes], None]] = []
        self.threads: list[int] = []
        self.rejected: tuple[Any, ...] = ()

    def submit(self, name: str, args: dict[str, Any]) -> str:
        self.threads.append(threading.get_ident())
        with self.cache.write() as s:
            mid, changed = submit_intent(s, name, args, now=self.now(), principal=self.principal)
        if changed:
            for fn in list(self.listeners):
                fn(Changes.of(changed))
        return mid

    def pending(self) -> list[dict[str, Any]]:
        with self.cache.read() as s:
            return [dict(r._mapping) for r in s.execute(outbox.select().order_by(outbox.c.order))]

    def status(self) -> SyncStatus:
        return SyncStatus(online=False, syncing=False, pending=len(self.pending()),
                          rejected=self.rejected, last_synced_at=None, last_error=None)

    def add_listener(self, on_changes: Any = None, on_status: Any = None) -> Callable[[], None]:
        if on_changes is not None:
            self.listeners.append(on_changes)

        def remove() -> None:
            if on_changes in self.listeners:
                self.listeners.remove(on_changes)

        return remove

    def sync_now(self) -> None:
        pass

    def stop(self) -> None:
        pass


def _spec(doc_type: str, title: str, body: list[str], **extra: Any) -> dict[str, Any]:
    spec = {"doc_type": doc_type, "title": title, "issuer_mark": "江海市人民政府办公室文件",
            "body": body, "signature": "江海市人民政府办公室"}
    spec.update(extra)
    rules.validate_spec(spec, final=False)
    return spec


FLOOD_BODY = [
    "为切实做好今年汛期防汛抗旱工作，确保人民群众生命财产安全，现将有关事项通知如下。",
    "一、提高思想认识",
    "各地各部门要充分认识做好防汛抗旱工作的重要性，把防汛抗旱摆在突出位置。",
    "（一）压实防汛责任",
    "严格落实以行政首长负责制为核心的防汛责任制，明确每座水库、每段堤防的责任人。",
    "（二）加强监测预警",
    "1.水利部门要加强雨情水情监测，及时发布预警信息。",
    "2.应急管理部门要做好抢险救援队伍和物资准备。",
    "二、做好信息报送",
    "请各单位于6月30日前将防汛准备情况报送市应急管理局。",
]


def make_record(doc_id: str, spec: dict[str, Any], owner: str, *, steps: list[tuple[str, str, str]] = (),
                start: dt.datetime = BASE_TIME, number: str = "", pdf_sha: str = "",
                main_to: list[str] = (), attachments: list[dict[str, Any]] = (),
                assignments: dict[str, list[str]] | None = None) -> dict[str, Any]:
    """A record as the server would send it; ``steps`` = [(op, person id, text)] applied
    through workflow.py (approve on the current step, return to "draft", …)."""
    own = workflow.Actor.of(actor(owner))
    start = start.astimezone(service.CHINA)  # the server stamps workflows in China time
    record = service._new_record(doc_id, spec, own, start, ("b-jh-gov", BODIES["b-jh-gov"]))
    wf = record["workflow"]
    if assignments:
        for key, people in assignments.items():
            wf["assignments"][key] = [actor(p) for p in people]
    t = start
    for op, pid, text in steps:
        t += dt.timedelta(hours=3, minutes=17)
        who = actor(pid)
        if op == "approve":
            wf = workflow.approve(wf, who, t, step=wf["current"], opinion=text)
        elif op == "return":
            wf = workflow.return_to(wf, who, t, to_step="draft", reason=text, step=wf["current"])
        elif op == "void":
            wf = workflow.void(wf, who, t, reason=text)
        elif op == "urge":
            wf = workflow.urge(wf, who, t, message=text)
    record["workflow"] = wf
    record["doc_number"] = number
    record["pdf_sha256"] = pdf_sha
    record["main_to"] = [{"id": b, "name": BODIES[b]} for b in main_to]
    record["attachments"] = list(attachments)
    service._refresh(record, t)
    return record


STANDARD_FLOW = {"review": ["p-2"], "sign": ["p-3"], "recheck": ["p-5"], "register": ["p-5"],
                 "seal": ["p-8"], "dispatch": ["p-5"]}


def demo_records() -> list[dict[str, Any]]:
    """About a dozen documents for 张伟 (p-1) in every tab and state."""
    out = []
    n = 0

    def add(spec: dict[str, Any], owner: str, steps: list[tuple[str, str, str]], **kw: Any) -> None:
        nonlocal n
        n += 1
        out.append(make_record(f"d-demo{n:08x}", spec, owner, steps=steps,
                               start=BASE_TIME - dt.timedelta(hours=5 * n),
                               assignments=kw.pop("assignments", STANDARD_FLOW), **kw))

    flood = _spec("通知", "关于做好2026年防汛抗旱工作的通知", FLOOD_BODY, urgency="特急",
                  recipients="各县（市、区）人民政府，市政府各部门")
    # 待办: p-1 reviews (核稿)
    add(flood, "p-4", [("approve", "p-4", "请审核。")], assignments={**STANDARD_FLOW, "review": ["p-1"]},
        main_to=["b-jh-yj", "b-jh-sl"])
    add(_spec("请示", "关于申请安排城市更新专项资金的请示",
              ["市政府：", "为推进城市更新三年行动计划，拟申请安排专项资金3000万元。", "妥否，请批示。"],
              signers=["王强"]),
        "p-4", [("approve", "p-4", "请审核。")], assignments={**STANDARD_FLOW, "review": ["p-1"]},
        )
    add(_spec("函", "关于商请协助开展营商环境评估的函",
              ["市财政局：", "为做好营商环境评估工作，商请贵局协助提供有关数据。"], urgency="加急"),
        "p-4", [("approve", "p-4", "")], assignments={**STANDARD_FLOW, "review": ["p-1"]})
    # 已办 + 我发起: p-1 drafted, now waiting for the 市长 to sign
    add(_spec("通报", "关于2026年第三季度安全生产检查情况的通报",
              ["各县（市、区）人民政府：", "一、总体情况", "第三季度全市共检查企业1260家，发现隐患312处。"]),
        "p-1", [("approve", "p-1", "请审核。"), ("approve", "p-2", "同意，请王市长签发。")])
    add(_spec("意见", "关于加快推进数字政府建设的实施意见",
              ["一、总体要求", "以数字化改革为引领，推进政务服务一网通办。"]),
        "p-1", [("approve", "p-1", ""), ("approve", "p-2", "文字已修改。"),
                ("approve", "p-3", "同意印发。"), ("approve", "p-5", ""), ],
        number="江府办〔2026〕41号", main_to=["b-jh-yj", "b-jh-cz"])
    # 我发起: drafts
    add(_spec("通知", "关于开展森林防火宣传月活动的通知",
              ["一、活动时间", "2026年12月1日至31日。", "二、活动内容", "（一）开展进村入户宣传。"]),
        "p-1", [])
    add(_spec("报告", "关于2026年政务公开工作情况的报告",
              ["市政府：", "现将我市2026年政务公开工作情况报告如下。"]),
        "p-1", [("approve", "p-1", "请审核。"), ("return", "p-2", "数据需要更新，请补充第四季度情况。")])
    # 已办结
    add(_spec("通知", "关于印发《江海市政务服务事项清单》的通知",
              ["市政府各部门：", "现将《江海市政务服务事项清单》印发给你们，请认真贯彻执行。"]),
        "p-1", [("approve", "p-1", ""), ("approve", "p-2", "同意。"), ("approve", "p-3", "同意。"),
                ("approve", "p-5", ""), ("approve", "p-5", ""), ("approve", "p-8", ""),
                ("approve", "p-5", "")],
        number="江府办〔2026〕38号", main_to=["b-jh-yj", "b-jh-sl", "b-jh-cz"])
    # 作废
    add(_spec("通知", "关于召开全市消防安全工作会议的通知", ["定于11月25日召开会议。"]),
        "p-1", [("void", "p-1", "会议取消。")])
    # Others' documents p-1 only sees as 全部 (leader's view): waiting for 王强
    add(_spec("纪要", "市政府第36次常务会议纪要", ["会议研究了防汛抗旱、城市更新等事项。"]),
        "p-4", [("approve", "p-4", ""), ("approve", "p-2", "同意。")])
    return out


def seed(cache: LocalCache, records: list[dict[str, Any]]) -> None:
    """Write ``records`` as pulled server state (projections run as on a pull)."""
    with cache.write() as s:
        apply_server_changes(s, [((service.ENTITY, r["id"]), r, i + 1)
                                 for i, r in enumerate(records)], principal=ME)


def seed_directory(cache: LocalCache) -> None:
    rows = []
    for bid, name in BODIES.items():
        rows.append((("directory.body", bid), {"id": bid, "name": name, "short_name": name[3:],
                                               "tier": "city", "kind": "body", "active": True,
                                               "parent_id": None, "sort_order": 0}, None))
    for pid, (name, title) in PEOPLE.items():
        rows.append((("directory.person", pid), {
            "id": pid, "name": name, "active": True,
            "posts": [{"id": f"post-{pid}", "body_id": "b-jh-gov", "title": title,
                       "body_name": BODIES["b-jh-gov"], "is_primary": True, "roles": ["staff"]}]},
            None))
    with cache.write() as s:
        apply_server_changes(s, rows, principal=ME)


def demo_pdf(spec: dict[str, Any]) -> bytes:
    return render_pdf(spec).pdf
