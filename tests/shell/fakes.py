"""In-memory stand-ins for the local cache and the sync engine, with sample data.

They follow the interfaces in docs (``cache.list/get``, ``engine.status/add_listener/
submit/sync_now/dismiss_rejected/stop``) and record the thread each call ran on, so
tests can assert that the shell never calls them on the GUI thread.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any


@dataclass(frozen=True)
class FakeRejected:
    mutation_id: str
    name: str
    args: dict[str, Any]
    status: str
    code: str
    message: str
    at: datetime


@dataclass(frozen=True)
class FakeStatus:
    online: bool = True
    syncing: bool = False
    pending: int = 0
    rejected: tuple[FakeRejected, ...] = ()
    last_synced_at: datetime | None = None
    last_error: str | None = None


@dataclass(frozen=True)
class FakeChanges:
    entities: frozenset[str] = frozenset()
    ids: frozenset[tuple[str, str]] = frozenset()
    full_reset: bool = False


NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)


def sample_records() -> dict[str, dict[str, dict[str, Any]]]:
    bodies = [
        {"id": "b-prov", "parent_id": None, "name": "江南省人民政府办公厅", "short_name": "省政府办公厅",
         "kind": "body", "tier": "province", "sort_order": 1, "active": True},
        {"id": "b-prov-office", "parent_id": "b-prov", "name": "秘书处", "short_name": "秘书处",
         "kind": "department", "tier": "province", "sort_order": 1, "active": True},
        {"id": "b-prov-policy", "parent_id": "b-prov", "name": "政策法规处", "short_name": "法规处",
         "kind": "department", "tier": "province", "sort_order": 2, "active": True},
        {"id": "b-city", "parent_id": "b-prov", "name": "临江市人民政府", "short_name": "临江市政府",
         "kind": "body", "tier": "city", "sort_order": 3, "active": True},
        {"id": "b-city-office", "parent_id": "b-city", "name": "市政府办公室",
         "short_name": "市府办", "kind": "department", "tier": "city", "sort_order": 1,
         "active": True},
    ]
    people = [
        {"id": "p-1", "name": "张伟", "pinyin": "zhangwei", "initials": "zw",
         "phone": "0571-87050001", "email": "zhangwei@jn.gov.cn", "active": True},
        {"id": "p-2", "name": "李娜", "pinyin": "lina", "initials": "ln",
         "phone": "0571-87050002", "email": "lina@jn.gov.cn", "active": True},
        {"id": "p-3", "name": "王建国", "pinyin": "wangjianguo", "initials": "wjg",
         "phone": "13800000003", "email": "", "active": True},
        {"id": "p-4", "name": "欧阳明", "pinyin": "ouyangming", "initials": "oym",
         "phone": "0571-87050004", "email": "oym@lj.gov.cn", "active": True},
        {"id": "p-5", "name": "陈晓燕", "pinyin": "chenxiaoyan", "initials": "cxy",
         "phone": "0571-87050005", "email": "cxy@jn.gov.cn", "active": True},
    ]
    bodies_by_id = {b["id"]: b for b in bodies}
    posts = [
        ("p-1", "post-1", "b-prov-office", "处长", ["division_head"], True, 1),
        ("p-2", "post-2", "b-prov-office", "一级主任科员", ["registry_clerk"], True, 2),
        ("p-3", "post-3", "b-prov", "副秘书长", ["leader"], True, 1),
        ("p-4", "post-4", "b-city-office", "主任", ["division_head"], True, 1),
        ("p-5", "post-5", "b-prov-policy", "副处长", ["staff"], True, 1),
        ("p-1", "post-6", "b-prov-policy", "兼任法制审核员", ["staff"], False, 5),
    ]
    for person in people:
        person["posts"] = []
    people_by_id = {p["id"]: p for p in people}
    for person_id, post_id, body_id, title, roles, primary, order in posts:
        body = bodies_by_id[body_id]
        organ = bodies_by_id[body["parent_id"]] if body["kind"] == "department" else body
        people_by_id[person_id]["posts"].append({
            "id": post_id, "body_id": body_id, "body_name": body["name"],
            "org_id": organ["id"], "org_name": organ["name"], "title": title,
            "roles": roles, "is_primary": primary, "sort_order": order})

    def iso(dt: datetime | None) -> str | None:
        return dt.isoformat() if dt else None

    todos = [
        {"id": "t-1", "title": "关于做好2026年冬季安全生产工作的通知", "module": "documents",
         "kind": "待签发", "ref_id": "d-1", "from_name": "李娜", "urgency": "特急",
         "due_at": iso(NOW + timedelta(hours=5)), "created_at": iso(NOW - timedelta(hours=2)),
         "done": False},
        {"id": "t-2", "title": "临江市政府关于申请防汛专项资金的请示", "module": "documents",
         "kind": "待批办", "ref_id": "d-2", "from_name": "欧阳明", "urgency": "加急",
         "due_at": iso(NOW + timedelta(days=1)), "created_at": iso(NOW - timedelta(days=1)),
         "done": False},
        {"id": "t-3", "title": "国务院办公厅关于进一步优化政务服务的意见", "module": "documents",
         "kind": "待阅", "ref_id": "d-3", "from_name": "秘书处", "urgency": "",
         "due_at": None, "created_at": iso(NOW - timedelta(hours=6)), "done": False},
        {"id": "t-4", "title": "省政府第十二次常务会议", "module": "meetings", "kind": "会议",
         "ref_id": "m-1", "from_name": "王建国", "urgency": "",
         "due_at": iso(NOW + timedelta(days=2)), "created_at": iso(NOW - timedelta(days=2)),
         "done": False},
        {"id": "t-5", "title": "营商环境整改任务第三季度进展报送", "module": "supervision",
         "kind": "督办", "ref_id": "s-1", "from_name": "陈晓燕", "urgency": "加急",
         "due_at": iso(NOW - timedelta(days=1)), "created_at": iso(NOW - timedelta(days=10)),
         "done": False},
        {"id": "t-6", "title": "已办结的旧事项", "module": "documents", "kind": "待阅",
         "ref_id": "d-9", "from_name": "李娜", "urgency": "", "due_at": None,
         "created_at": iso(NOW - timedelta(days=30)), "done": True},
    ]
    return {
        "directory.body": {b["id"]: b for b in bodies},
        "directory.person": {p["id"]: p for p in people},
        "workbench.todo": {t["id"]: t for t in todos},
    }


PRINCIPAL = {
    "person_id": "p-1", "name": "张伟", "login": "zhangwei",
    "roles": ["division_head", "staff"], "body_ids": ["b-prov-office"],
    "posts": [{"post_id": "post-1", "body_id": "b-prov-office", "title": "处长",
               "body_name": "省政府办公厅 · 秘书处", "roles": ["division_head"],
               "is_primary": True}],
}


@dataclass
class FakeCache:
    """``LocalCache`` stand-in: ``list``/``get`` over a dict; records calling threads."""

    data: dict[str, dict[str, dict[str, Any]]] = field(default_factory=sample_records)
    threads: list[int] = field(default_factory=list)
    _real: Any = field(default=None, repr=False)

    def list(self, entity: str) -> list[dict[str, Any]]:
        self.threads.append(threading.get_ident())
        return [dict(r) for r in self.data.get(entity, {}).values()]

    def get(self, entity: str, entity_id: str) -> dict[str, Any] | None:
        self.threads.append(threading.get_ident())
        found = self.data.get(entity, {}).get(entity_id)
        return dict(found) if found else None

    def read(self) -> Any:
        """A read session over an in-memory ``LocalCache`` holding the same records as
        now (for the services that query the cache's tables, e.g. the meetings
        projection); rebuilt on every call, so changes to ``data`` show."""
        self.threads.append(threading.get_ident())
        from sync.cache import LocalCache, store_displayed

        real = LocalCache(None)  # in memory; left to the garbage collector (reads overlap)
        with real.write() as s:
            for entity, rows in self.data.items():
                for record_id, record in rows.items():
                    store_displayed(s, (entity, record_id), dict(record))
        self._real = real
        return real.read()


class FakeEngine:
    """``SyncEngine`` stand-in; ``emit_*`` call listeners from a foreign thread."""

    def __init__(self, status: FakeStatus | None = None) -> None:
        self._status = status or FakeStatus(online=True, pending=0, last_synced_at=NOW)
        self.on_changes: list[Any] = []
        self.on_status: list[Any] = []
        self.submitted: list[tuple[str, dict[str, Any]]] = []
        self.dismissed: list[str] = []
        self.threads: list[int] = []
        self.synced = 0
        self.stopped = False

    def add_listener(self, on_changes: Any = None, on_status: Any = None) -> Any:
        if on_changes:
            self.on_changes.append(on_changes)
        if on_status:
            self.on_status.append(on_status)
        return lambda: None

    def status(self) -> FakeStatus:
        self.threads.append(threading.get_ident())
        return self._status

    def set_status(self, status: FakeStatus) -> None:
        self._status = status

    def submit(self, name: str, args: dict[str, Any]) -> str:
        self.threads.append(threading.get_ident())
        self.submitted.append((name, args))
        return f"m-{len(self.submitted)}"

    def sync_now(self) -> None:
        self.threads.append(threading.get_ident())
        self.synced += 1

    def dismiss_rejected(self, mutation_id: str) -> None:
        self.threads.append(threading.get_ident())
        self.dismissed.append(mutation_id)
        self._status = FakeStatus(
            online=self._status.online, pending=self._status.pending,
            rejected=tuple(r for r in self._status.rejected if r.mutation_id != mutation_id),
            last_synced_at=self._status.last_synced_at)

    def stop(self) -> None:
        self.stopped = True

    def pending_items(self, limit: int = 50) -> list[dict[str, Any]]:
        self.threads.append(threading.get_ident())
        return [{"mutation_id": f"m-p{i}", "name": name, "created_at": NOW.isoformat()}
                for i, name in enumerate(("documents.approve", "meetings.reply")[
                    :self._status.pending])][:limit]

    def emit_changes(self, changes: FakeChanges) -> None:
        """Call the change listeners from a new (non-GUI) thread, like the engine."""
        worker = threading.Thread(target=lambda: [fn(changes) for fn in self.on_changes])
        worker.start()
        worker.join()

    def emit_status(self, status: FakeStatus) -> None:
        self._status = status
        worker = threading.Thread(target=lambda: [fn(status) for fn in self.on_status])
        worker.start()
        worker.join()


def sample_status() -> FakeStatus:
    """Offline with two pending changes and one rejected, one conflicting intent."""
    return FakeStatus(
        online=False, syncing=False, pending=2,
        rejected=(
            FakeRejected("m-7", "documents.approve", {"document_id": "d-1"}, "conflict",
                         "document.already_signed",
                         "该公文已由王建国于 11月22日 09:40 签发，您的签发未生效。", NOW),
            FakeRejected("m-8", "seals.apply", {"seal_id": "s-1"}, "rejected",
                         "permission.denied", "您没有权限执行此操作：用印申请", NOW),
        ),
        last_synced_at=NOW - timedelta(minutes=3), last_error="无法连接服务器，已转为离线模式。")
