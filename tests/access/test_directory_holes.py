"""Directory holes the role × relation matrix does not spell out: admins sitting below or
beside the target, people with posts in two places, moves, post hijacks through import,
and what a top-level administrator may do. SQLite and PostgreSQL (``world`` fixture).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from server.auth.models import Account
from server.db import session_scope
from server.directory.models import Body, Post
from tests.access.world import PASSWORD, World

API = "/api/v1/directory"


def _admin_in(world: World, body: str) -> dict[str, str]:
    login = world.new_id("axadm")
    world.person([(body, ["sys_admin"])], login=login)
    return world.sign_in(login)


def _csv(world: World, headers: dict[str, str], text: str) -> Any:
    return world.client.post(f"{API}/import", headers={**headers, "Content-Type": "text/csv"},
                             content=text.encode())


def _code(response: Any) -> str:
    return str(response.json()["error"]["code"])


def test_city_admin_cannot_set_an_account_on_a_province_person(world: World) -> None:
    city = world.actor("sys_admin").headers
    top = world.actor("sys_admin", "higher").headers
    created = world.client.post(f"{API}/people", headers=top, json={"name": "省里新人"})
    assert created.status_code == 201, created.text
    person = created.json()["id"]
    r = world.client.put(f"{API}/people/{person}/account", headers=city,
                         json={"login": world.new_id("axhijack"), "password": PASSWORD})
    assert r.status_code == 403 and _code(r) == "directory.needs_top_admin", r.text
    for post_in in ("higher", "other"):
        mixed = world.person([("own", ["staff"]), (post_in, ["staff"])])
        r = world.client.put(f"{API}/people/{mixed}/account", headers=city,
                             json={"login": world.new_id("axhijack"), "password": PASSWORD})
        assert r.status_code == 403 and _code(r) == "directory.not_admin_of", r.text
        assert world.client.patch(f"{API}/people/{mixed}", headers=city, json={"name": "改"}).status_code == 403
    with session_scope(world.app.state.sessions) as s:
        assert s.scalar(select(Account).where(Account.person_id == person)) is None


def test_an_admin_below_or_beside_does_not_administer_the_organ_above(world: World) -> None:
    county = world.actor("sys_admin", "lower").headers  # K1 sits in C1's region
    province_sibling = _admin_in(world, world.organ("higher", "province"))
    target = world.person([("own", ["staff"])])
    for headers in (county, province_sibling):
        r = world.client.patch(f"{API}/bodies/{world.body('own')}", headers=headers, json={"name": "改名"})
        assert r.status_code == 403 and _code(r) == "directory.not_admin_of", r.text
        r = world.client.put(f"{API}/people/{target}/account", headers=headers,
                             json={"login": world.new_id("axhijack"), "password": PASSWORD})
        assert r.status_code == 403, r.text
        r = world.client.post(f"{API}/bodies", headers=headers,
                              json={"name": "新科", "kind": "department", "parent_id": world.body("own")})
        assert r.status_code == 403, r.text
    r = world.client.patch(f"{API}/bodies/{world.body('lower')}", headers=county, json={"short_name": "甲县"})
    assert r.status_code == 200, r.text


def test_an_admin_in_a_department_administers_its_organ_and_below(world: World) -> None:
    office = world.organ("own", "city", kind="department")
    headers = _admin_in(world, office)
    target = world.person([("lower", ["staff"])])
    assert world.client.get(f"{API}/bodies/{world.body('own')}", headers=headers).status_code == 200
    assert world.client.get(f"{API}/people/{target}", headers=headers).status_code == 200
    assert world.client.get(f"{API}/bodies/{world.body('higher')}", headers=headers).status_code == 403


def test_moves_out_of_scope_are_refused(world: World) -> None:
    city = world.actor("sys_admin").headers
    dep = world.department("own")
    for parent in ("higher", "other"):
        r = world.client.patch(f"{API}/bodies/{dep}", headers=city, json={"parent_id": world.body(parent)})
        assert r.status_code == 403 and _code(r) == "directory.not_admin_of", r.text
    r = world.client.patch(f"{API}/bodies/{dep}", headers=city, json={"parent_id": None})
    assert r.status_code == 403 and _code(r) == "directory.needs_top_admin", r.text
    r = world.client.post(f"{API}/bodies", headers=city, json={"name": "某省", "tier": "province"})
    assert r.status_code == 403 and _code(r) == "directory.needs_top_admin", r.text
    post = world.post_ids(world.person([("own", ["staff"])]))[0]
    r = world.client.patch(f"{API}/posts/{post}", headers=city, json={"body_id": world.body("other")})
    assert r.status_code == 403, r.text
    r = world.client.patch(f"{API}/bodies/{dep}", headers=city, json={"parent_id": world.body("lower")})
    assert r.status_code == 200, r.text
    with session_scope(world.app.state.sessions) as s:
        assert s.get(Body, dep).parent_id == world.body("lower")  # type: ignore[union-attr]
        assert s.get(Post, post).body_id == world.body("own")  # type: ignore[union-attr]


def test_import_rows_outside_the_scope_refuse_the_file(world: World) -> None:
    city = world.actor("sys_admin").headers
    own_person = world.person([("own", ["staff"])])
    other_post = world.post_ids(world.person([("other", ["leader"])]))[0]
    stored_other = world.department("other")
    refused = {
        # a stored post of another city re-pointed at an own body and an own person
        "hijack a post": f"type,id,person_id,body_id,title,roles\npost,{other_post},{own_person},"
                         f"{world.body('own')},科员,staff\n",
        "move an own body under another city": f"type,id,parent_id,name,kind\n"
                                               f"department,{world.department('own')},{world.body('other')},"
                                               f"搬走科,department\n",
        "rename another city's body": f"type,id,parent_id,name,kind\n"
                                      f"department,{stored_other},{world.body('other')},改名科,department\n",
        "a post in the province": f"type,id,person_id,body_id,title,roles\n"
                                  f"post,,{own_person},{world.body('higher')},兼职,staff\n",
        "a new top-level body": "type,id,name,tier\nbody,AXTOP,新省,province\n",
    }
    for why, text in refused.items():
        r = _csv(world, city, text)
        assert r.status_code == 403, (why, r.text)
    with session_scope(world.app.state.sessions) as s:
        hijacked = s.get(Post, other_post)
        assert hijacked is not None and hijacked.body_id == world.body("other")
    # Renaming the own organ keeps its (higher) parent: allowed.
    r = _csv(world, city, f"type,id,parent_id,name,tier\nbody,{world.body('own')},{world.body('higher')},"
                          f"一号市人民政府,city\n")
    assert r.status_code == 200, r.text


def test_a_top_level_admin_administers_everything(world: World) -> None:
    top = world.actor("sys_admin", "higher").headers
    for rel in ("own", "other", "higher", "lower"):
        person = world.person([(rel, ["staff"])])
        assert world.client.patch(f"{API}/people/{person}", headers=top, json={"name": "改"}).status_code == 200
    postless = world.client.post(f"{API}/people", headers=top, json={"name": "无岗位"}).json()["id"]
    r = world.client.put(f"{API}/people/{postless}/account", headers=top,
                         json={"login": world.new_id("axtop"), "password": PASSWORD})
    assert r.status_code == 200, r.text


def test_refusals_speak_both_languages(world: World) -> None:
    city = world.actor("sys_admin").headers
    target = world.person([("higher", ["staff"])])
    zh = world.client.get(f"{API}/people/{target}", headers=city).json()["error"]["message"]
    en = world.client.get(f"{API}/people/{target}", headers={**city, "Accept-Language": "en"}).json()
    assert "管理范围" in zh and "矩阵省人民政府" in zh
    assert "outside your scope" in en["error"]["message"]
