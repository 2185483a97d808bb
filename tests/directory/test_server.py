"""Directory on the server: demo seeding, feed scoping, own-contact intent, admin routes,
bulk import. Each test runs on SQLite and on PostgreSQL (fixtures in tests/conftest.py).
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from modules.directory.demo import DEMO_PASSWORD, demo_directory
from server.auth.models import Account
from server.db import session_scope
from server.directory.models import Body, Person, Post
from server.directory.seed import seed_demo

DEMO = demo_directory()


def account_of(title: str, body_id: str) -> str:
    """The demo login holding ``title`` as a primary post in ``body_id``."""
    post = next(p for p in DEMO.posts if p.body_id == body_id and p.title == title and p.is_primary)
    return next(x.login for x in DEMO.people if x.id == post.person_id)


def person_of(title: str, body_id: str) -> str:
    post = next(p for p in DEMO.posts if p.body_id == body_id and p.title == title and p.is_primary)
    return post.person_id


def seeded(app: Any) -> TestClient:
    with session_scope(app.state.sessions) as s:
        seed_demo(s)
    return TestClient(app)


def login(client: TestClient, account: str, password: str = DEMO_PASSWORD) -> dict[str, str]:
    r = client.post("/api/v1/auth/login", json={"account": account, "password": password})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def pull_all(client: TestClient, headers: dict[str, str]) -> dict[tuple[str, str], Any]:
    out: dict[tuple[str, str], Any] = {}
    cursor = ""
    while True:
        r = client.get("/api/v1/sync/pull", params={"cursor": cursor, "limit": 1000}, headers=headers)
        assert r.status_code == 200, r.text
        page = r.json()
        for c in page["changes"]:
            if c["entity"].startswith("directory."):
                out[(c["entity"], c["id"])] = c["data"] if c["op"] == "upsert" else None
        cursor = page["cursor"]
        if not page["has_more"]:
            return out


def visible(feed: dict[tuple[str, str], Any], entity: str) -> set[str]:
    return {i for (e, i), d in feed.items() if e == entity and d is not None}


# --------------------------------------------------------------------------- seeding


def test_seed_demo_is_idempotent_and_accounts_sign_in(app: Any) -> None:
    with session_scope(app.state.sessions) as s:
        first = seed_demo(s)
    with session_scope(app.state.sessions) as s:
        second = seed_demo(s)
        counts = (
            s.scalar(select(func.count()).select_from(Body)),
            s.scalar(select(func.count()).select_from(Person)),
            s.scalar(select(func.count()).select_from(Post)),
            s.scalar(select(func.count()).select_from(Account)),
        )
        clerk = s.get(Person, person_of("收发员", "b-gd-szj"))
        assert clerk is not None and clerk.pinyin and clerk.initials
    assert first["seeded"] is True and second == {"seeded": False}
    assert counts == (len(DEMO.bodies), len(DEMO.people), len(DEMO.posts), len(DEMO.people))
    client = TestClient(app)
    headers = login(client, account_of("局长", "b-gd-szj"))
    me = client.get("/api/v1/me", headers=headers)
    assert me.status_code == 200
    assert "leader" in json.dumps(me.json())


# --------------------------------------------------------------------------- scope


def test_township_clerk_sees_own_city_and_the_public_skeleton_only(app: Any) -> None:
    client = seeded(app)
    feed = pull_all(client, login(client, account_of("收发员", "b-jh-lj-qs")))
    bodies = visible(feed, "directory.body")
    people = visible(feed, "directory.person")
    # The own city subtree, down to the village.
    assert {"b-jh", "b-jh-szj", "b-jh-szj-bgs", "b-jh-lj", "b-jh-lj-qs", "b-jh-lj-qs-sq"} <= bodies
    # Province and city organs (机关) everyone needs to address documents to.
    assert {"b-gd", "b-gd-szj", "b-gd-czt", "b-ys"} <= bodies
    # Not the departments of province bodies, nor another city's county.
    assert "b-gd-szj-zcfgc" not in bodies and "b-ys-dp" not in bodies
    # Public contacts: leaders and registry clerks of province/city bodies.
    assert person_of("局长", "b-gd-szj") in people
    assert person_of("收发员", "b-gd-szj") in people
    assert person_of("收发员", "b-ys") in people
    # Not ordinary province staff, nor the other city's county staff.
    assert person_of("处长", "b-gd-szj-zcfgc") not in people
    assert person_of("区长", "b-ys-dp") not in people
    # Everyone in the own city, including the village.
    assert person_of("文书", "b-jh-lj-qs-sq") in people


def test_province_official_sees_province_people_but_not_county_staff(app: Any) -> None:
    client = seeded(app)
    feed = pull_all(client, login(client, account_of("处长", "b-gd-szj-zcfgc")))
    people = visible(feed, "directory.person")
    bodies = visible(feed, "directory.body")
    assert person_of("科员", "b-gd-czt-ysc") in people  # another province body
    assert "b-gd-szj-zcfgc" in bodies and "b-gd-czt-ysc" in bodies
    assert person_of("市长", "b-jh") in people  # city leader: public contact
    assert person_of("县长", "b-jh-lj") not in people  # county tier: not public
    assert "b-jh-lj" not in bodies
    # Person records carry their posts with body and organ names.
    record = feed[("directory.person", person_of("主任", "b-gd-szj-bgs"))]
    post = record["posts"][0]
    assert post["body_name"] == "办公室" and post["org_name"] == "省政务服务数据管理局"
    assert post["roles"] == ["division_head"] and post["is_primary"] is True


def test_person_with_posts_in_two_regions_is_in_both(app: Any) -> None:
    client = seeded(app)
    clerk = login(client, account_of("收发员", "b-jh-lj-qs"))
    deputy = person_of("副局长", "b-gd-szj")  # also 副秘书长 of the province government
    feed = pull_all(client, clerk)
    assert deputy in visible(feed, "directory.person")  # leader of a province body
    two = [p for p in DEMO.people if sum(1 for x in DEMO.posts if x.person_id == p.id) == 2]
    assert len(two) >= 3


# --------------------------------------------------------------------------- intent


def push(client: TestClient, headers: dict[str, str], name: str, args: dict[str, Any]) -> dict[str, Any]:
    r = client.post(
        "/api/v1/sync/push",
        headers=headers,
        json={"mutations": [{"id": uuid.uuid4().hex, "name": name, "args": args}]},
    )
    assert r.status_code == 200, r.text
    return r.json()["results"][0]


def test_update_contact_changes_only_own_record_and_reaches_the_feed(app: Any) -> None:
    client = seeded(app)
    login_name = account_of("科员", "b-gd-szj-zcfgc")
    me = person_of("科员", "b-gd-szj-zcfgc")
    headers = login(client, login_name)
    result = push(client, headers, "directory.update_contact", {"phone": "+86 139-0000-1111"})
    assert result["status"] == "applied", result
    assert result["result"]["phone"] == "13900001111"
    feed = pull_all(client, headers)
    assert feed[("directory.person", me)]["phone"] == "13900001111"
    with session_scope(app.state.sessions) as s:
        person = s.get(Person, me)
        assert person is not None and person.email.endswith("example.gov.cn")  # untouched


def test_update_contact_rejects_bad_phone_in_the_users_language(app: Any) -> None:
    client = seeded(app)
    headers = login(client, account_of("科员", "b-gd-szj-zcfgc"))
    headers_en = {**headers, "Accept-Language": "en"}
    zh = push(client, headers, "directory.update_contact", {"phone": "12345"})
    en = push(client, headers_en, "directory.update_contact", {"email": "not-an-email"})
    assert zh["status"] == "rejected" and zh["error"]["code"] == "directory.bad_phone"
    assert "电话号码" in zh["error"]["message"]
    assert en["error"]["code"] == "directory.bad_email" and "not valid" in en["error"]["message"]
    empty = push(client, headers, "directory.update_contact", {})
    assert empty["error"]["code"] == "directory.no_contact_change"


# --------------------------------------------------------------------------- admin


def admin(client: TestClient, body: str = "b-gd-szj-dzzwc") -> dict[str, str]:
    return login(client, account_of("系统管理员", body))


def test_admin_routes_need_the_admin_role(app: Any) -> None:
    client = seeded(app)
    staff = login(client, account_of("科员", "b-gd-szj-zcfgc"))
    r = client.post("/api/v1/directory/bodies", headers=staff,
                    json={"name": "新处", "kind": "department", "parent_id": "b-gd-szj"})
    assert r.status_code == 403 and r.json()["error"]["code"] == "permission.denied"


def test_admin_creates_body_person_account_and_posts(app: Any) -> None:
    client = seeded(app)
    h = admin(client)
    r = client.post("/api/v1/directory/bodies", headers=h,
                    json={"id": "GD-SJ-XZ", "name": "行政审批处", "kind": "department",
                          "parent_id": "b-gd-szj", "sort_order": 9})
    assert r.status_code == 201, r.text
    assert r.json()["tier"] == "province" and r.json()["region_id"] == "b-gd"
    assert r.json()["id"] == "b-GD-SJ-XZ"
    r = client.post("/api/v1/directory/people", headers=h, json={
        "name": "单志强", "phone": "020 8313 3000", "login": "shanzq", "password": "Start2026x",
        "posts": [{"body_id": "b-GD-SJ-XZ", "title": "处长", "roles": ["division_head"]},
                  {"body_id": "b-gd-szj", "title": "收发员（兼）", "roles": "收发员"}]})
    assert r.status_code == 201, r.text
    person = r.json()
    assert person["pinyin"] == "shanzhiqiang" and person["initials"] == "szq"
    assert person["phone"] == "020-83133000"
    assert person["account"]["login"] == "shanzq"
    assert [p["is_primary"] for p in person["posts"]] == [True, False]
    login(client, "shanzq", "Start2026x")
    # The new person is in the province directory feed.
    feed = pull_all(client, h)
    assert feed[("directory.person", person["id"])]["posts"][0]["body_name"] == "行政审批处"


def test_admin_rules_cycles_tiers_in_use_and_regions(app: Any) -> None:
    client = seeded(app)
    h = admin(client)
    # Moving a body under its own descendant is a cycle.
    r = client.patch("/api/v1/directory/bodies/b-jh", headers=h, json={"parent_id": "b-jh-lj-qs"})
    assert r.status_code == 422 and r.json()["error"]["code"] == "directory.cycle"
    # A city body cannot sit under a county.
    r = client.post("/api/v1/directory/bodies", headers=h,
                    json={"name": "某市", "tier": "city", "parent_id": "b-jh-lj"})
    assert r.status_code == 422 and r.json()["error"]["code"] == "directory.tier_above_parent"
    # A department cannot have a 机关代字.
    r = client.post("/api/v1/directory/bodies", headers=h,
                    json={"name": "某处", "kind": "department", "parent_id": "b-gd-szj", "code": "粤某处"})
    assert r.status_code == 422 and r.json()["error"]["code"] == "directory.department_code"
    # A body with posts cannot be retired.
    r = client.delete("/api/v1/directory/bodies/b-jh-lj-qs-sq", headers=h)
    assert r.status_code == 409 and r.json()["error"]["code"] == "directory.body_in_use"
    # A city admin manages only the own city.
    city = admin(client, "b-jh-szj-bgs")
    r = client.post("/api/v1/directory/bodies", headers=city,
                    json={"name": "某处", "kind": "department", "parent_id": "b-gd-szj"})
    assert r.status_code == 403 and r.json()["error"]["code"] == "directory.not_admin_of"
    r = client.post("/api/v1/directory/bodies", headers=city,
                    json={"name": "江海市某科", "kind": "department", "parent_id": "b-jh-szj"})
    assert r.status_code == 201, r.text


def test_moving_a_county_to_another_city_moves_its_people_between_regions(app: Any) -> None:
    client = seeded(app)
    h = admin(client)
    other_city = login(client, account_of("收发员", "b-ys"))
    before = pull_all(client, other_city)
    mayor_of_lj = person_of("县长", "b-jh-lj")
    assert mayor_of_lj not in visible(before, "directory.person")
    r = client.patch("/api/v1/directory/bodies/b-jh-lj", headers=h, json={"parent_id": "b-ys"})
    assert r.status_code == 200, r.text
    assert r.json()["region_id"] == "b-ys"
    after = pull_all(client, other_city)
    assert mayor_of_lj in visible(after, "directory.person")
    assert {"b-jh-lj", "b-jh-lj-qs", "b-jh-lj-qs-sq"} <= visible(after, "directory.body")
    with session_scope(app.state.sessions) as s:
        village = s.get(Body, "b-jh-lj-qs-sq")
        assert village is not None and village.region_id == "b-ys"


def test_renaming_an_organ_updates_its_peoples_post_names(app: Any) -> None:
    client = seeded(app)
    h = admin(client)
    r = client.patch("/api/v1/directory/bodies/b-gd-szj", headers=h, json={"name": "省数据局"})
    assert r.status_code == 200
    feed = pull_all(client, h)
    record = feed[("directory.person", person_of("主任", "b-gd-szj-bgs"))]
    assert record["posts"][0]["org_name"] == "省数据局"


def test_deactivating_a_person_disables_the_account_and_tombstones_the_record(app: Any) -> None:
    client = seeded(app)
    h = admin(client)
    victim = person_of("科员", "b-gd-szj-zcfgc")
    r = client.delete(f"/api/v1/directory/people/{victim}", headers=h)
    assert r.status_code == 204
    feed = pull_all(client, h)
    assert ("directory.person", victim) in feed and feed[("directory.person", victim)] is None
    r = client.post("/api/v1/auth/login",
                    json={"account": account_of("科员", "b-gd-szj-zcfgc"), "password": DEMO_PASSWORD})
    assert r.status_code in (401, 403)


# --------------------------------------------------------------------------- import

CSV_OK = (
    "type,id,parent_id,name,tier,phone,login,person_id,body_id,title,roles,is_primary\n"
    "body,HY,b-gd,海屿市人民政府,city,,,,,,,\n"
    "department,HY-BGS,HY,市政府办公室,,,,,,,,\n"
    "person,9001,,谢雨晨,,13800009001,xieyuchen,,HY,收发员,registry_clerk,yes\n"
    "post,,,,,,,9001,HY-BGS,科员（兼）,staff,no\n"
)


def test_import_dry_run_reports_every_bad_row_and_writes_nothing(app: Any) -> None:
    client = seeded(app)
    h = {**admin(client), "Content-Type": "text/csv"}
    bad = CSV_OK + "person,9002,,,,12345,,,HY,科员,boss,\nbody,HY,b-gd,重复,city,,,,,,,\n"
    r = client.post("/api/v1/directory/import?dry_run=true", headers=h, content=bad.encode())
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["dry_run"] is True and body["ok"] is False
    codes = {(e["line"], e["code"]) for e in body["errors"]}
    assert (6, "directory.missing_field") in codes
    assert (6, "directory.bad_phone") in codes
    assert (6, "directory.unknown_role") in codes
    assert (7, "directory.import.duplicate_id") in codes
    assert all(e["message"] for e in body["errors"])
    with session_scope(app.state.sessions) as s:
        assert s.get(Body, "b-HY") is None
    # Without dry_run and without valid_rows: 422, nothing written.
    r = client.post("/api/v1/directory/import", headers=h, content=bad.encode())
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "directory.import.rejected"
    assert len(r.json()["errors"]) == body["counts"]["errors"]
    with session_scope(app.state.sessions) as s:
        assert s.get(Body, "b-HY") is None


def test_import_valid_rows_and_gb18030_multipart(app: Any) -> None:
    client = seeded(app)
    h = admin(client)
    bad = CSV_OK + "person,9003,,,,,,,HY,科员,staff,\n"
    files = {"file": ("名单.csv", bad.encode("gb18030"), "text/csv")}
    r = client.post("/api/v1/directory/import?valid_rows=true", headers=h, files=files,
                    data={"default_password": "Welcome2026"})
    assert r.status_code == 200, r.text
    result = r.json()
    assert result["applied"]["bodies"] == 2 and result["applied"]["people"] == 1
    assert result["applied"]["accounts"] == 1 and result["counts"]["errors"] == 1
    login(client, "xieyuchen", "Welcome2026")
    with session_scope(app.state.sessions) as s:
        city = s.get(Body, "b-HY")
        assert city is not None and city.region_id == "b-HY"
        person = s.get(Person, "p-9001")
        assert person is not None and person.pinyin == "xieyuchen"
        assert s.get(Person, "p-9003") is None


def test_import_needs_a_password_for_new_accounts_and_json_works(app: Any) -> None:
    client = seeded(app)
    h = admin(client)
    doc = {
        "bodies": [{"id": "HY", "parent_id": "b-gd", "name": "海屿市人民政府", "tier": "市级",
                    "code": "海府"}],
        "people": [{"id": "9001", "name": "区晓东", "login": "ouxiaodong",
                    "posts": [{"body_id": "HY", "title": "市长", "roles": ["leader"]}]}],
    }
    r = client.post("/api/v1/directory/import", headers=h, json=doc)
    assert r.status_code == 422 and r.json()["error"]["code"] == "directory.import.password_needed"
    r = client.post("/api/v1/directory/import",
                    headers={**h, "X-Initial-Password": "Welcome2026"}, json=doc)
    assert r.status_code == 200, r.text
    feed = pull_all(client, login(client, "ouxiaodong", "Welcome2026"))
    assert feed[("directory.person", "p-9001")]["pinyin"] == "ouxiaodong"
    assert "b-HY" in visible(feed, "directory.body")
    # Re-importing the same file is an update, not a duplicate.
    r = client.post("/api/v1/directory/import",
                    headers={**h, "X-Initial-Password": "Welcome2026"}, json=doc)
    assert r.status_code == 200 and r.json()["applied"]["accounts"] == 0


def test_demo_accounts_route_only_on_demo_servers(app: Any) -> None:
    client = seeded(app)
    assert client.get("/api/v1/directory/demo-accounts").status_code == 404
    app.state.settings = app.state.settings.model_copy(update={"demo": True})
    r = client.get("/api/v1/directory/demo-accounts")
    assert r.status_code == 200
    body = r.json()
    assert body["password"] == DEMO_PASSWORD and len(body["accounts"]) == len(DEMO.people)


def test_city_admin_cannot_import_into_other_regions(app: Any) -> None:
    client = seeded(app)
    city = admin(client, "b-jh-szj-bgs")
    province_person = person_of("局长", "b-gd-szj")
    csv_text = f"type,id,name\nperson,{province_person},改名\n"
    r = client.post("/api/v1/directory/import", headers={**city, "Content-Type": "text/csv"},
                    content=csv_text.encode())
    assert r.status_code == 403 and r.json()["error"]["code"] == "directory.not_admin_of"
    own = "type,id,parent_id,name,kind\ndepartment,JH-NEW,b-jh-szj,新科室,department\n"
    r = client.post("/api/v1/directory/import", headers={**city, "Content-Type": "text/csv"},
                    content=own.encode())
    assert r.status_code == 200, r.text
    with session_scope(app.state.sessions) as s:
        person = s.get(Person, province_person)
        assert person is not None and person.name != "改名"
        assert s.get(Body, "b-JH-NEW") is not None


def test_server_started_with_demo_data_seeds_once(settings: Any) -> None:
    from server.app import create_app

    demo_settings = settings.model_copy(update={"demo": True})
    for _ in range(2):  # a restart finds the data and seeds nothing twice
        application = create_app(demo_settings)
        with session_scope(application.state.sessions) as s:
            assert s.scalar(select(func.count()).select_from(Person)) == len(DEMO.people)
        client = TestClient(application)
        r = client.get("/api/v1/directory/demo-accounts")
        assert r.status_code == 200 and r.json()["accounts"][0]["description"]
        login(client, r.json()["accounts"][0]["login"], r.json()["password"])
        application.state.engine.dispose()


def test_import_can_move_a_stored_body_and_its_subtree_changes_region(app: Any) -> None:
    client = seeded(app)
    h = {**admin(client), "Content-Type": "text/csv"}
    move = "type,id,parent_id,name,code,tier\nbody,b-jh-lj,b-ys,临江县人民政府,临府,county\n"
    r = client.post("/api/v1/directory/import", headers=h, content=move.encode())
    assert r.status_code == 200, r.text
    with session_scope(app.state.sessions) as s:
        regions = {b.id: b.region_id for b in s.scalars(select(Body).where(Body.id.like("b-jh-lj%")))}
    assert set(regions.values()) == {"b-ys"} and len(regions) == 4
    feed = pull_all(client, login(client, account_of("收发员", "b-ys")))
    assert person_of("文书", "b-jh-lj-qs-sq") in visible(feed, "directory.person")
    # Moving it under its own village is refused as a cycle, with the line.
    cycle = "type,id,parent_id,name,tier\nbody,b-jh-lj,b-jh-lj-qs-sq,临江县人民政府,county\n"
    r = client.post("/api/v1/directory/import?dry_run=true", headers=h, content=cycle.encode())
    assert [(e["line"], e["code"]) for e in r.json()["errors"]] == [(2, "directory.cycle")]
