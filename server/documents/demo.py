"""Demo documents (演示公文) so the demo office is alive at first start.

:func:`seed_demo_documents` writes, through the very intents users send, a set of
documents between the demo bodies of ``modules.directory.demo`` in every typical state:
drafts, 待核稿, 会签 half done, 待签发 (加急), a draft returned for changes, 待登记,
待用印, dispatched documents that the recipients are handling (签收, 批办, 传阅), one
waiting to be signed for at the province government, and an incoming document from the
finance department at the 局长's 批办. Actions are spread over the last three days so
the tracking timelines show real waits. Deterministic apart from the ids and the clock.

Runs in the caller's transaction after ``server.directory.seed.seed_demo``; idempotent
(does nothing when documents exist already).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from modules.documents import intents as di
from server.auth.principal import load_principal
from server.blobs.store import BlobStore
from server.db import utcnow
from server.directory.models import Body
from server.documents import mutations as m
from server.documents import storage as st
from server.documents.models import Delivery, Document
from server.mutations import MutationContext

# Demo people (fixed ids of modules.directory.demo).
JUZHANG, FUJU_A, FUJU_B, SECRETARY, CLERK, SEALER = (
    "p-demo-01", "p-demo-02", "p-demo-03", "p-demo-04", "p-demo-05", "p-demo-06")
BGS_HEAD, ZHC_HEAD, ZHC_STAFF, DRAFTER = "p-demo-07", "p-demo-10", "p-demo-11", "p-demo-12"
ZCFGC_HEAD, ZCFGC_STAFF, SJZYC_HEAD, SJZYC_STAFF = "p-demo-13", "p-demo-15", "p-demo-16", "p-demo-17"
DZZWC_HEAD, DZZWC_STAFF = "p-demo-19", "p-demo-21"
GD_CLERK = "p-demo-25"
CZT_HEAD, CZT_CLERK, CZT_SEALER, CZT_YSC_HEAD, CZT_STAFF = (
    "p-demo-28", "p-demo-30", "p-demo-31", "p-demo-33", "p-demo-34")
JH_MAYOR, JH_CLERK, JH_SECRETARY, JH_VICE = "p-demo-36", "p-demo-37", "p-demo-38", "p-demo-39"


class _Seeder:
    def __init__(self, session: Session, start: dt.datetime) -> None:
        self.session = session
        self.now = start
        #: Only move the clock (a document written in another transaction).
        self.dry = False

    def tick(self, minutes: int) -> None:
        self.now += dt.timedelta(minutes=minutes)

    def do(self, person_id: str, handler: Any, args_model: type[BaseModel], args: dict[str, Any],
           minutes: int = 37) -> dict[str, Any]:
        self.tick(minutes)
        if self.dry:
            return {}
        ctx = MutationContext(
            session=self.session, principal=load_principal(self.session, person_id),
            now=self.now, lang="zh_CN", mutation_id=f"seed-{uuid.uuid4().hex[:12]}",
        )
        return handler(ctx, args_model.model_validate(args)) or {}

    def act(self, person_id: str, doc_id: str, op: str, step: str | None = None, minutes: int = 37,
            **args: Any) -> None:
        self.do(person_id, m.act, di.ActArgs,
                {"document_id": doc_id, "op": op, "step": step, "args": args}, minutes)

    def draft(self, drafter: str, spec: dict[str, Any], *, review: str, sign: str,
              countersign: tuple[str, ...] = (), main_to: list[str], cc_to: list[str] | None = None) -> str:
        doc_id = f"d-{uuid.uuid4().hex[:12]}"
        assignments: dict[str, list[dict[str, str]]] = {
            "review": [{"id": review, "name": "?"}], "sign": [{"id": sign, "name": "?"}]}
        if countersign:
            assignments["countersign"] = [{"id": p, "name": "?"} for p in countersign]
        self.do(drafter, m.create_draft, di.CreateDraftArgs, {
            "document_id": doc_id, "spec": spec, "main_to": main_to, "cc_to": cc_to or [],
            "assignments": assignments,
        })
        return doc_id

    def incoming_of(self, out_id: str, body_id: str) -> str:
        if self.dry:
            return ""
        d = self.session.get(Delivery, (out_id, body_id))
        assert d is not None
        return d.incoming_id


def _spec(title: str, body: list[str], *, doc_type: str = "通知", issuer: str = "广东省政务服务数据管理局",
          recipients: str = "各地级以上市人民政府，省直有关单位：", urgency: str = "", sealed: bool = True,
          cc: str = "", attachments: list[str] | None = None) -> dict[str, Any]:
    return {
        "doc_type": doc_type, "title": title, "issuer_mark": f"{issuer}文件", "recipients": recipients,
        "body": body, "signature": issuer, "sealed": sealed, "urgency": urgency, "cc": cc,
        "printer": f"{issuer}办公室", "attachments": attachments or [],
    }


def _doc1(s: _Seeder) -> None:
    """A fresh draft (草稿) in 综合处."""
    s.draft(DRAFTER, _spec(
        "关于开展2026年度政务数据质量检查的通知",
        ["为进一步提升政务数据质量，决定开展2026年度政务数据质量检查。现将有关事项通知如下。",
         "一、检查范围", "省直各单位和各地级以上市政务数据主管部门。", "二、时间安排",
         "2026年12月1日至12月31日。"]),
        review=ZHC_HEAD, sign=JUZHANG, main_to=["b-jh", "b-ys"])


def _doc2(s: _Seeder) -> None:
    """Waiting for 核稿 by the 综合处 head."""
    doc = s.draft(DRAFTER, _spec(
        "关于印发《全省一体化政务服务平台运行管理办法》的通知",
        ["现将《全省一体化政务服务平台运行管理办法》印发给你们，请认真贯彻执行。"],
        attachments=["全省一体化政务服务平台运行管理办法"]),
        review=ZHC_HEAD, sign=FUJU_A, main_to=["b-jh", "b-ys"], cc_to=["b-gd-czt"])
    s.act(DRAFTER, doc, "approve", "draft", minutes=90)


def _doc3(s: _Seeder) -> None:
    """会签 half done (政策法规处 agreed, 数据资源处 pending)."""
    doc = s.draft(ZCFGC_STAFF, _spec(
        "关于加强公共数据开放安全管理的意见",
        ["为规范公共数据开放行为，保障数据安全，提出如下意见。", "一、明确开放范围",
         "二、落实安全责任"], doc_type="意见"),
        review=ZCFGC_HEAD, sign=JUZHANG, countersign=(SJZYC_HEAD, DZZWC_HEAD), main_to=["b-jh", "b-ys"])
    s.act(ZCFGC_STAFF, doc, "approve", "draft")
    s.act(ZCFGC_HEAD, doc, "approve", "review", opinion="拟同意，请数据资源处、电子政务处会签。")
    s.act(DZZWC_HEAD, doc, "approve", "countersign", minutes=200, opinion="无不同意见。")


def _doc4(s: _Seeder) -> None:
    """待签发, urgent (加急)."""
    doc = s.draft(SJZYC_STAFF, _spec(
        "关于做好岁末年初政务数据安全保障工作的紧急通知",
        ["岁末年初是各类安全风险易发时期，请各地立即组织开展一次安全隐患排查。"], urgency="加急"),
        review=SJZYC_HEAD, sign=JUZHANG, main_to=["b-jh", "b-ys"])
    s.act(SJZYC_STAFF, doc, "approve", "draft")
    s.act(SJZYC_HEAD, doc, "approve", "review", opinion="情况紧急，请局长审签。")
    s.act(SJZYC_HEAD, doc, "urge", minutes=120, message="请尽快签发")


def _doc5(s: _Seeder) -> None:
    """Returned to its drafter for changes (待修改)."""
    doc = s.draft(ZHC_STAFF, _spec(
        "关于召开全省政务数据工作会议的通知",
        ["经研究，定于2026年12月10日召开全省政务数据工作会议。"], sealed=False),
        review=ZHC_HEAD, sign=FUJU_B, main_to=["b-jh", "b-ys"])
    s.act(ZHC_STAFF, doc, "approve", "draft")
    s.act(ZHC_HEAD, doc, "return", "review", to_step="draft", reason="请补充会议议程和参会人员范围。")


def _doc6(s: _Seeder) -> None:
    """Signed, waiting for 登记 at the registry."""
    doc = s.draft(DRAFTER, _spec(
        "关于公布第一批省级政务数据共享责任清单的通知",
        ["现将第一批省级政务数据共享责任清单予以公布，请各单位按清单做好数据共享工作。"]),
        review=ZHC_HEAD, sign=FUJU_A, main_to=["b-jh", "b-ys"], cc_to=["b-gd-czt"])
    s.act(DRAFTER, doc, "approve", "draft")
    s.act(ZHC_HEAD, doc, "approve", "review")
    s.act(FUJU_A, doc, "approve", "sign", opinion="同意印发。")
    s.act(CLERK, doc, "approve", "recheck")


def _doc7(s: _Seeder) -> None:
    """Registered (number and PDF), waiting for 用印."""
    doc = s.draft(DRAFTER, _spec(
        "关于表扬2026年度政务服务先进集体的通报",
        ["2026年，各地各部门扎实推进政务服务改革，涌现出一批先进集体。现予通报表扬。"], doc_type="通报"),
        review=ZHC_HEAD, sign=JUZHANG, main_to=["b-jh", "b-ys"])
    for person, step in ((DRAFTER, "draft"), (ZHC_HEAD, "review"), (JUZHANG, "sign"), (CLERK, "recheck")):
        s.act(person, doc, "approve", step)
    s.do(CLERK, m.register, di.RegisterArgs, {"document_id": doc})


def _doc8(s: _Seeder) -> None:
    """Dispatched to 江海市 (signed for, at the mayor's 批办) and 省财政厅 (not yet signed for)."""
    out = s.draft(DRAFTER, _spec(
        "关于推进政务数据共享交换平台建设的通知",
        ["为加快全省政务数据共享交换平台建设，现就有关事项通知如下。", "一、建设目标",
         "2027年底前实现省市县三级平台全面贯通。", "二、工作要求", "请各地于2026年12月20日前报送建设方案。"],
        recipients="江海市人民政府：", cc="省财政厅。"),
        review=ZHC_HEAD, sign=JUZHANG, main_to=["b-jh"], cc_to=["b-gd-czt"])
    for person, step in ((DRAFTER, "draft"), (ZHC_HEAD, "review"), (JUZHANG, "sign"), (CLERK, "recheck")):
        s.act(person, out, "approve", step, opinion="同意。" if step == "sign" else "")
    s.do(CLERK, m.register, di.RegisterArgs, {"document_id": out})
    s.act(SEALER, out, "approve", "seal")
    s.do(CLERK, m.dispatch, di.DispatchArgs, {"document_id": out})
    inc = s.incoming_of(out, "b-jh")
    s.do(JH_CLERK, m.mark_opened, di.DocArgs, {"document_id": inc}, minutes=25)
    s.do(JH_CLERK, m.sign_for, di.DocArgs, {"document_id": inc}, minutes=3)
    s.do(JH_CLERK, m.register, di.RegisterArgs, {"document_id": inc})
    s.act(JH_CLERK, inc, "approve", "screen", next_assignees={"propose": [{"id": JH_SECRETARY, "name": "?"}]})
    s.act(JH_SECRETARY, inc, "approve", "propose", opinion="拟请市长阅示，由市政数局牵头办理。",
          next_assignees={"instruct": [{"id": JH_MAYOR, "name": "?"}]})
    s.do(JH_MAYOR, m.mark_opened, di.DocArgs, {"document_id": inc}, minutes=60)


def _doc9(s: _Seeder) -> None:
    """A 请示 to the province government, waiting to be signed for there."""
    up = s.draft(ZHC_STAFF, _spec(
        "关于申请省级政务云扩容经费的请示",
        ["为满足全省政务应用增长需要，拟对省级政务云进行扩容，所需经费拟申请省级财政安排。",
         "妥否，请批示。"], doc_type="请示", recipients="省人民政府：", sealed=False),
        review=ZHC_HEAD, sign=JUZHANG, main_to=["b-gd"])
    for person, step in ((ZHC_STAFF, "draft"), (ZHC_HEAD, "review"), (JUZHANG, "sign"), (CLERK, "recheck")):
        s.act(person, up, "approve", step)
    s.do(CLERK, m.register, di.RegisterArgs, {"document_id": up})
    s.do(CLERK, m.dispatch, di.DispatchArgs, {"document_id": up})


def _doc10(s: _Seeder) -> None:
    """From 省财政厅 to 省政数局: at the 局长's 批办."""
    fin = s.draft(CZT_STAFF, _spec(
        "关于做好2027年部门预算编制工作的通知",
        ["为做好2027年部门预算编制工作，现将有关事项通知如下。", "一、编制原则", "二、时间要求"],
        issuer="广东省财政厅", recipients="省直各单位："),
        review=CZT_YSC_HEAD, sign=CZT_HEAD, main_to=["b-gd-szj"])
    for person, step in ((CZT_STAFF, "draft"), (CZT_YSC_HEAD, "review"), (CZT_HEAD, "sign"), (CZT_CLERK, "recheck")):
        s.act(person, fin, "approve", step)
    s.do(CZT_CLERK, m.register, di.RegisterArgs, {"document_id": fin})
    s.act(CZT_SEALER, fin, "approve", "seal")
    s.do(CZT_CLERK, m.dispatch, di.DispatchArgs, {"document_id": fin})
    inc = s.incoming_of(fin, "b-gd-szj")
    s.do(CLERK, m.sign_for, di.DocArgs, {"document_id": inc}, minutes=15)
    s.do(CLERK, m.register, di.RegisterArgs, {"document_id": inc})
    s.act(CLERK, inc, "approve", "screen", next_assignees={"propose": [{"id": BGS_HEAD, "name": "?"}]})
    s.act(BGS_HEAD, inc, "approve", "propose", opinion="拟请局长批示，由综合处牵头会同各处室办理。",
          next_assignees={"instruct": [{"id": JUZHANG, "name": "?"}]})


def _doc11(s: _Seeder) -> None:
    """A 通报 from 省财政厅 in 传阅 for the deputies."""
    info = s.draft(CZT_STAFF, _spec(
        "关于2026年第三季度财政收支情况的通报",
        ["现将2026年第三季度全省财政收支情况通报如下。"], doc_type="通报",
        issuer="广东省财政厅", recipients="省直各单位：", sealed=False),
        review=CZT_YSC_HEAD, sign=CZT_HEAD, main_to=["b-gd-szj"])
    for person, step in ((CZT_STAFF, "draft"), (CZT_YSC_HEAD, "review"), (CZT_HEAD, "sign"), (CZT_CLERK, "recheck")):
        s.act(person, info, "approve", step)
    s.do(CZT_CLERK, m.register, di.RegisterArgs, {"document_id": info})
    s.do(CZT_CLERK, m.dispatch, di.DispatchArgs, {"document_id": info})
    inc = s.incoming_of(info, "b-gd-szj")
    s.do(CLERK, m.sign_for, di.DocArgs, {"document_id": inc})
    s.do(CLERK, m.register, di.RegisterArgs, {"document_id": inc})
    s.act(CLERK, inc, "approve", "screen", next_assignees={"propose": [{"id": BGS_HEAD, "name": "?"}]})
    s.act(BGS_HEAD, inc, "approve", "propose", opinion="拟请局领导传阅。",
          next_assignees={"instruct": [{"id": JUZHANG, "name": "?"}]})
    s.act(JUZHANG, inc, "approve", "instruct", opinion="请各位局领导阅。",
          next_assignees={"handle": [{"id": BGS_HEAD, "name": "?"}],
                          "circulate": [{"id": FUJU_A, "name": "?"}, {"id": FUJU_B, "name": "?"}]})
    s.act(BGS_HEAD, inc, "approve", "handle", opinion="已知悉。")
    s.act(FUJU_B, inc, "approve", "circulate", opinion="已阅。")


#: The demo documents in the order they are written, each a few steps of its workflow.
DOCUMENTS: tuple[Callable[[_Seeder], None], ...] = (
    _doc1, _doc2, _doc3, _doc4, _doc5, _doc6, _doc7, _doc8, _doc9, _doc10, _doc11,
)


def seed_demo_documents(session: Session, *, blob_dir: Path | None = None,
                        now: dt.datetime | None = None,
                        only: Collection[int] | None = None) -> dict[str, Any]:
    """Create the demo documents; ``{"seeded": False}`` when documents exist already.

    ``blob_dir``: where the server keeps blobs (``Settings.resolved_blob_dir()``), for
    the PDFs rendered at 登记; default: the store registered for this engine.
    ``only``: the indexes in :data:`DOCUMENTS` to write (the embedded server writes
    them over several transactions, server/demo.py); the same ``now`` for every part
    gives every action the time it has when all are written at once. With ``only``
    the caller knows which are missing: existing documents do not stop it.
    """
    if only is None and session.scalars(select(Document.id).limit(1)).first() is not None:
        return {"seeded": False}
    if session.get(Body, "b-gd-szj") is None:
        return {"seeded": False, "reason": "demo directory missing"}
    if blob_dir is not None:
        st.register_blob_store(session, BlobStore(blob_dir))
    end = now or utcnow()
    s = _Seeder(session, end - dt.timedelta(days=3))
    for index, document in enumerate(DOCUMENTS):
        # The others only move the clock, so every action keeps the time it has when all
        # documents are written at once.
        s.dry = only is not None and index not in only
        document(s)
    s.dry = False

    count = len(session.scalars(select(Document.id)).all())
    return {"seeded": True, "documents": count}
