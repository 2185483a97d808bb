"""Fixtures for document circulation on the server: the demo organisation, intents sent
through ``server.mutations.apply_one`` (the code behind ``POST /sync/push``) and feed
reads through ``server.changefeed.read_feed`` with each person's real scope keys.
Every test runs on SQLite and on PostgreSQL (``app`` fixture of tests/conftest.py).
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy import select

from server.auth.principal import load_principal
from server.changefeed import read_feed
from server.db import session_scope
from server.directory.seed import seed_demo
from server.documents import storage
from server.mutations import apply_one
from server.scopes import scope_keys
from server.workbench.models import Todo

# Demo people (modules/directory/demo.py, fixed ids).
SZJ = "b-gd-szj"  # 省政务服务数据管理局 (粤政数)
JUZHANG = "p-demo-01"  # 局长 江海峰 (leader)
FUJU_A = "p-demo-02"  # 副局长 沈刚源 (leader)
FUJU_B = "p-demo-03"  # 副局长 陶瑶 (leader)
CLERK = "p-demo-05"  # 收发员 单立
CLERK_B = "p-demo-08"  # 收发员（B角）宋东
SEALER = "p-demo-06"  # 印章管理员 袁华
BGS_HEAD = "p-demo-07"  # 办公室主任 董涛泽
ZHC_HEAD = "p-demo-10"  # 综合处处长 曾佳英
DRAFTER = "p-demo-12"  # 综合处科员 郑悦
ZCFGC_HEAD = "p-demo-13"  # 政策法规处处长 姚薇
SJZYC_HEAD = "p-demo-16"  # 数据资源处处长 解勇
DZZWC_HEAD = "p-demo-19"
JH = "b-jh"  # 江海市人民政府
JH_MAYOR = "p-demo-36"
JH_CLERK = "p-demo-37"
JH_SECRETARY = "p-demo-38"
JH_VICE = "p-demo-39"  # 副秘书长（兼）, leader in b-jh
CZT = "b-gd-czt"  # 省财政厅
CZT_CLERK = "p-demo-30"
CZT_HEAD = "p-demo-28"
YS_CLERK = "p-demo-57"  # 云山市 — an outsider to all of the above
YS_STAFF = "p-demo-58"


def actor(person_id: str) -> dict[str, str]:
    return {"id": person_id, "name": "?"}


def spec(title: str = "关于推进政务数据共享工作的通知", **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "doc_type": "通知",
        "title": title,
        "issuer_mark": "广东省政务服务数据管理局文件",
        "recipients": "江海市人民政府：",
        "body": ["为加快推进政务数据共享，现就有关事项通知如下。", "一、提高认识", "请各地认真贯彻落实。"],
        "signature": "广东省政务服务数据管理局",
        "sealed": True,
        "cc": "省财政厅。",
        "printer": "广东省政务服务数据管理局办公室",
    }
    data.update(extra)
    return data


class Office:
    """Sends intents as demo people and reads what each of them receives."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.sessions = app.state.sessions
        storage.configure(app.state)

    def send(self, person_id: str, name: str, args: dict[str, Any], mutation_id: str | None = None,
             lang: str = "zh_CN") -> dict[str, Any]:
        item = {"id": mutation_id or uuid.uuid4().hex, "name": name, "args": args}
        return apply_one(self.sessions, person_id, person_id, item, lang)

    def ok(self, person_id: str, name: str, args: dict[str, Any], **kw: Any) -> dict[str, Any]:
        response = self.send(person_id, name, args, **kw)
        assert response["status"] == "applied", response
        return response["result"]

    def act(self, person_id: str, doc_id: str, op: str, step: str | None = None, **args: Any) -> dict[str, Any]:
        return self.send(person_id, "documents.act",
                         {"document_id": doc_id, "op": op, "step": step, "args": args})

    def act_ok(self, person_id: str, doc_id: str, op: str, step: str | None = None, **args: Any) -> dict[str, Any]:
        response = self.act(person_id, doc_id, op, step, **args)
        assert response["status"] == "applied", response
        return response["result"]

    def feed(self, person_id: str) -> dict[tuple[str, str], Any]:
        """Everything ``person_id`` receives from an empty cursor (None = tombstone)."""
        out: dict[tuple[str, str], Any] = {}
        with session_scope(self.sessions) as s:
            keys = scope_keys(s, load_principal(s, person_id))
            cursor = None
            while True:
                page = read_feed(s, keys, cursor, 1000)
                for c in page.changes:
                    out[(c["entity"], c["id"])] = c["data"]
                cursor = page.cursor
                if not page.has_more:
                    return out

    def doc(self, doc_id: str, person_id: str | None = None) -> dict[str, Any]:
        """The document as published (through ``person_id``'s feed when given)."""
        if person_id is not None:
            data = self.feed(person_id).get(("documents.document", doc_id))
            assert data is not None, f"{person_id} does not see {doc_id}"
            return data
        with session_scope(self.sessions) as s:
            from server.changefeed import ChangeLog

            row = s.get(ChangeLog, ("documents.document", doc_id))
            assert row is not None and row.data is not None
            return dict(row.data)

    def todos(self, person_id: str, *, open_only: bool = True) -> list[Todo]:
        with session_scope(self.sessions) as s:
            q = select(Todo).where(Todo.person_id == person_id, Todo.module == "documents")
            if open_only:
                q = q.where(Todo.done.is_(False))
            return list(s.scalars(q.order_by(Todo.created_at, Todo.id)))

    # ------------------------------------------------------------------ whole flows

    def draft(self, *, drafter: str = DRAFTER, sealed: bool = True, title: str | None = None,
              sign: tuple[str, ...] = (JUZHANG,), countersign: tuple[str, ...] = (),
              review: tuple[str, ...] = (ZHC_HEAD,), **spec_extra: Any) -> str:
        doc_id = f"d-{uuid.uuid4().hex[:12]}"
        assignments: dict[str, list[dict[str, str]]] = {"review": [actor(p) for p in review],
                                                        "sign": [actor(p) for p in sign]}
        if countersign:
            assignments["countersign"] = [actor(p) for p in countersign]
        self.ok(drafter, "documents.create_draft", {
            "document_id": doc_id, "spec": spec(title or "关于推进政务数据共享工作的通知", sealed=sealed, **spec_extra),
            "main_to": [JH], "cc_to": [CZT], "assignments": assignments,
        })
        return doc_id

    def to_register(self, doc_id: str, *, drafter: str = DRAFTER) -> None:
        """Submit, review, sign and recheck: the document waits at 登记."""
        self.act_ok(drafter, doc_id, "approve", "draft")
        self.act_ok(ZHC_HEAD, doc_id, "approve", "review", opinion="拟同意。")
        self.act_ok(JUZHANG, doc_id, "approve", "sign", opinion="同意印发。")
        self.act_ok(CLERK, doc_id, "approve", "recheck")

    def dispatched(self, *, sealed: bool = False) -> str:
        doc_id = self.draft(sealed=sealed)
        self.to_register(doc_id)
        self.ok(CLERK, "documents.register", {"document_id": doc_id})
        if sealed:
            self.act_ok(SEALER, doc_id, "approve", "seal")
        self.ok(CLERK, "documents.dispatch", {"document_id": doc_id})
        return doc_id


@pytest.fixture
def office(app: Any) -> Office:
    with session_scope(app.state.sessions) as s:
        seed_demo(s)
    return Office(app)
