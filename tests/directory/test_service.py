"""Client address book: projections kept from the real feed, indexed queries, the
own-contact applier."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from modules.directory import service
from modules.directory.demo import DEMO_PASSWORD, demo_directory
from modules.directory.rules import DirectoryInvalid
from server.db import session_scope
from server.directory.seed import seed_demo
from sync.cache import LocalCache, store_displayed
from sync.local import submit_intent

DEMO = demo_directory()


def person_of(title: str, body_id: str) -> str:
    return next(p.person_id for p in DEMO.posts if p.body_id == body_id and p.title == title and p.is_primary)


def login_of(person_id: str) -> str:
    return next(p.login or "" for p in DEMO.people if p.id == person_id)


def name_of(person_id: str) -> str:
    return next(p.name for p in DEMO.people if p.id == person_id)


@pytest.fixture(scope="module")
def feeds(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, list[dict[str, Any]]]]:
    """Directory changes as two demo users receive them from a real (SQLite) server."""
    from server.app import create_app
    from server.config import Settings

    tmp: Path = tmp_path_factory.mktemp("dirsrv")
    settings = Settings(
        data_dir=tmp, database_url=f"sqlite:///{tmp / 'office.db'}",
        secret_key="test-secret-key-with-enough-length-0123456789", log_json=False,
    )
    app = create_app(settings)
    with session_scope(app.state.sessions) as s:
        seed_demo(s)
    client = TestClient(app)
    out: dict[str, list[dict[str, Any]]] = {}
    for who in ("province", "township"):
        pid = person_of("处长", "b-gd-szj-zcfgc") if who == "province" else person_of("收发员", "b-jh-lj-qs")
        r = client.post("/api/v1/auth/login", json={"account": login_of(pid), "password": DEMO_PASSWORD})
        headers = {"Authorization": f"Bearer {r.json()['access_token']}"}
        r = client.get("/api/v1/sync/pull", params={"limit": 1000}, headers=headers)
        assert r.status_code == 200 and not r.json()["has_more"]
        out[who] = [c for c in r.json()["changes"] if c["entity"].startswith("directory.")]
    yield out
    app.state.engine.dispose()


def cache_with(changes: list[dict[str, Any]]) -> LocalCache:
    cache = LocalCache(None)
    with cache.write() as s:
        for c in changes:
            store_displayed(s, (c["entity"], c["id"]), c["data"])
    return cache


def test_tree_people_and_person_from_the_feed(feeds: dict[str, Any]) -> None:
    q = service.queries_for(cache_with(feeds["province"]))
    roots = q.tree()
    assert [r.id for r in roots] == ["b-gd"]
    top = {c.id: c for c in roots[0].children}
    assert {"b-gd-szj", "b-gd-czt", "b-jh", "b-ys"} <= set(top)
    divisions = [c.name for c in top["b-gd-szj"].children]
    assert divisions[:3] == ["办公室", "综合处", "政策法规处"]
    assert [b["id"] for b in q.children(None)] == ["b-gd"]
    people = q.people_in("b-gd-szj-zcfgc")
    assert [p["title"] for p in people] == ["处长", "副处长", "科员"]
    assert q.holders("b-gd-szj", "registry_clerk")[0]["id"] == person_of("收发员", "b-gd-szj")
    deputy = q.person(person_of("副局长", "b-gd-szj"))
    assert deputy is not None and len(deputy["posts"]) == 2
    assert deputy["posts"][1]["body_name"] == "省人民政府 · 办公厅"
    assert [b["name"] for b in q.body_path("b-gd-szj-bgs")] == ["省人民政府", "省政务服务数据管理局", "办公室"]


def test_township_cache_holds_own_city_and_public_contacts_only(feeds: dict[str, Any]) -> None:
    q = service.queries_for(cache_with(feeds["township"]))
    ids = {b["id"] for b in q.bodies()}
    assert "b-jh-lj-qs-sq" in ids and "b-gd-szj-zcfgc" not in ids
    assert q.people_in("b-gd-szj-zcfgc") == []
    clerks = [p["id"] for p in q.holders("b-gd-szj", "registry_clerk")]
    backup = next(p.person_id for p in DEMO.posts if p.title == "收发员（B角）")
    assert clerks == [person_of("收发员", "b-gd-szj"), backup]  # incl. the stand-in (B角)
    # The stand-in's ordinary post is visible, the rest of their division is not.
    assert [p["id"] for p in q.people_in("b-gd-szj-bgs")] == [backup]


def test_search_by_name_pinyin_initials_and_mixed(feeds: dict[str, Any]) -> None:
    q = service.queries_for(cache_with(feeds["province"]))
    target = person_of("收发员", "b-gd-szj")  # surname 单 (shan)
    name = name_of(target)
    assert name.startswith("单")
    from modules.directory.pinyin import full_pinyin, initials

    full, ini = full_pinyin(name), initials(name)
    assert full.startswith("shan")
    for query in (name, name[0], full, " ".join([full[:4], full[4:]]), ini, full[:5], "dan" + full[4:]):
        hits = [h["id"] for h in q.search(query)]
        assert target in hits, query
    best = q.search(full)[0]
    assert best["id"] == target and best["rank"] == 2
    assert best["title"] == "收发员" and best["body_name"] == "省政务服务数据管理局"
    assert q.search(name)[0]["rank"] == 0
    assert q.search("") == [] and q.search("qqqqqq") == []


def test_search_ranking_on_hand_made_records() -> None:
    names = {"p-1": "张伟", "p-2": "张伟民", "p-3": "周文", "p-4": "王张伟", "p-5": "赵无极"}
    cache = LocalCache(None)
    with cache.write() as s:
        for pid, nm in names.items():
            store_displayed(s, ("directory.person", pid), {"id": pid, "name": nm, "active": True,
                                                         "posts": []})
    q = service.queries_for(cache)
    assert [h["name"] for h in q.search("zhangwei")] == ["张伟", "张伟民", "王张伟"]
    assert [h["name"] for h in q.search("zw")][:2] == ["张伟", "周文"]
    assert {h["name"] for h in q.search("zw")} == {"张伟", "周文", "张伟民", "赵无极"}
    assert [h["name"] for h in q.search("张伟")] == ["张伟", "张伟民", "王张伟"]
    assert [h["name"] for h in q.search("zhangw")][:2] == ["张伟", "张伟民"]
    # Removing a record removes it from the search tables in the same transaction.
    with cache.write() as s:
        store_displayed(s, ("directory.person", "p-1"), None)
    assert "张伟" not in [h["name"] for h in q.search("zhangwei")]


def test_search_reads_index_ranges(feeds: dict[str, Any]) -> None:
    cache = cache_with(feeds["province"])
    with cache.read() as s:
        plan = " ".join(
            str(row[-1]) for row in s.execute(text(
                "EXPLAIN QUERY PLAN SELECT person_id FROM dir_person_key "
                "WHERE key >= 'zw' AND key < 'zw' || char(65535)"))
        )
    assert "USING" in plan and "INDEX" in plan and "SCAN dir_person_key" not in plan.replace("USING", "")


def test_body_search(feeds: dict[str, Any]) -> None:
    q = service.queries_for(cache_with(feeds["province"]))
    assert q.search_bodies("政务服务")[0]["id"] == "b-gd-szj"
    assert q.search_bodies("szwfw")[0]["id"] == "b-gd-szj"  # 省政务服务… initials
    assert q.search_bodies("省财政厅")[0]["rank"] == 0


def test_update_contact_applier_and_local_validation(feeds: dict[str, Any]) -> None:
    me = person_of("处长", "b-gd-szj-zcfgc")
    cache = cache_with(feeds["province"])
    principal = {"person_id": me, "name": name_of(me), "roles": ["division_head"], "body_ids": []}
    args = service.contact_args(phone="139 0000 1111")
    assert args == {"phone": "13900001111"}
    with cache.write() as s:
        submit_intent(s, service.UPDATE_CONTACT, args, now=datetime.now(UTC), principal=principal)
    q = service.queries_for(cache)
    assert q.person(me)["phone"] == "13900001111"  # type: ignore[index]
    assert q.search(name_of(me))[0]["phone"] == "13900001111"
    with pytest.raises(DirectoryInvalid) as info:
        service.contact_args(email="nope")
    assert info.value.code == "directory.bad_email"
    with pytest.raises(DirectoryInvalid):
        service.contact_args()

    class FakeEngine:
        def __init__(self) -> None:
            self.submitted: list[tuple[str, dict[str, Any]]] = []

        def submit(self, name: str, args: dict[str, Any]) -> str:
            self.submitted.append((name, args))
            return "m-1"

    engine = FakeEngine()
    assert service.update_my_contact(engine, email="Me@Example.gov.cn") == "m-1"
    assert engine.submitted == [("directory.update_contact", {"email": "me@example.gov.cn"})]
    with pytest.raises(DirectoryInvalid):
        service.update_my_contact(engine, phone="123")
    assert len(engine.submitted) == 1
