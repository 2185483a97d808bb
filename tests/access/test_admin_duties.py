"""Separated duties (三员分立): who may give which role (``table_duties.csv``, kind
``grant``), the refusal of every path that would give one person two administrator
duties, the account rule for privileged people, the console appointment, and that no
administrator reads a document they are not party to. SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from modules.directory import rules
from server.db import session_scope
from server.directory import storage
from server.directory.appoint import appoint
from server.directory.models import Post
from tests.access.documents_world import DocumentsWorld
from tests.access.table import HERE, read_table
from tests.access.world import PASSWORD, RELATIONS, ROLES, World, push, route_outcome

API = "/api/v1"
DUTIES = read_table(HERE / "table_duties.csv")
ADMINS = ("sys_admin", "security_admin", "audit_admin")
GRANTABLE = ("leader", "registry_clerk", "seal_custodian", *ADMINS)


def _roles_of(world: World, post_id: str) -> list[str]:
    with session_scope(world.app.state.sessions) as s:
        post = s.get(Post, post_id)
        assert post is not None
        return list(post.roles)


def _code(response: Any) -> str:
    return str(response.json().get("error", {}).get("code"))


# --------------------------------------------------------------------------- who grants


@pytest.mark.parametrize("granted", GRANTABLE)
def test_who_may_give_a_post_which_role(world: World, granted: str) -> None:
    """PATCH a staff post's roles to staff + ``granted``: job roles by the system or the
    security administrator of the body, privileged ones by the security administrator
    only; refused changes leave the post as it was."""
    bad = []
    for role, relation, expected in DUTIES.cases("grant", granted, ROLES, RELATIONS):
        person = world.person([(relation, ["staff"])])
        post_id = world.post_ids(person)[0]
        r = world.client.patch(f"{API}/directory/posts/{post_id}", headers=world.actor(role).headers,
                               json={"roles": ["staff", granted]})
        got = route_outcome(r)
        if got != expected:
            bad.append(f"{role}/{relation}: expected {expected}, got {got}")
        if got == "deny" and _roles_of(world, post_id) != ["staff"]:
            bad.append(f"{role}/{relation}: refused but changed")
    assert bad == []


def test_a_system_administrator_cannot_grant_privileged_roles_by_any_other_path(world: World) -> None:
    sys_admin = world.actor("sys_admin").headers
    person = world.person([("own", ["staff"])])
    for granted in ("seal_custodian", *ADMINS):
        made = world.client.post(f"{API}/directory/people", headers=sys_admin, json={
            "name": "新同事", "posts": [{"body_id": world.body("own"), "title": "科员", "roles": [granted]}]})
        added = world.client.post(f"{API}/directory/people/{person}/posts", headers=sys_admin,
                                  json={"body_id": world.body("own"), "title": "兼职", "roles": [granted]})
        text = f"type,id,person_id,body_id,title,roles\npost,{world.new_id('post-imp-')},{person},{world.body('own')},兼职,{granted}\n"
        imported = world.client.post(f"{API}/directory/import", headers={**sys_admin, "Content-Type": "text/csv"},
                                     content=text.encode())
        for r in (made, added, imported):
            assert r.status_code == 403 and _code(r) == "directory.roles_need_security_admin", r.text
    assert world.post_ids(person) == [f"post-{person}-0"]

    # Nor withdraw or move one: removing a custodian's post, moving it, stripping the role.
    keeper = world.person([("own", ["staff", "seal_custodian"])])
    post_id = world.post_ids(keeper)[0]
    for r in (
        world.client.delete(f"{API}/directory/posts/{post_id}", headers=sys_admin),
        world.client.patch(f"{API}/directory/posts/{post_id}", headers=sys_admin,
                           json={"body_id": world.body("lower")}),
        world.client.patch(f"{API}/directory/posts/{post_id}", headers=sys_admin, json={"roles": ["staff"]}),
    ):
        assert r.status_code == 403 and _code(r) == "directory.roles_need_security_admin", r.text
    assert _roles_of(world, post_id) == ["staff", "seal_custodian"]
    # …while a job-role change that keeps the privileged role is theirs.
    r = world.client.patch(f"{API}/directory/posts/{post_id}", headers=sys_admin,
                           json={"roles": ["leader", "seal_custodian"], "title": "副局长"})
    assert r.status_code == 200, r.text
    assert _roles_of(world, post_id) == ["leader", "seal_custodian"]


def test_an_import_saying_admin_means_sys_admin(world: World) -> None:
    assert rules.parse_roles("admin") == ["sys_admin"]
    assert rules.parse_roles("管理员、保密管理员") == ["sys_admin", "security_admin"]
    assert rules.parse_roles("审计管理员") == ["audit_admin"]
    r = world.client.post(f"{API}/directory/import?dry_run=true",
                          headers={**world.actor("sys_admin").headers, "Content-Type": "text/csv"},
                          content=(f"type,id,person_id,body_id,title,roles\npost,{world.new_id('post-i-')},"
                                   f"{world.person([('own', ['staff'])])},{world.body('own')},管理,admin\n").encode())
    assert r.status_code == 403 and "系统管理员" in r.json()["error"]["message"], r.text


# --------------------------------------------------------------------------- one duty each


@pytest.mark.parametrize("held,given", [(a, b) for a in ADMINS for b in ADMINS if a != b])
def test_no_path_gives_one_person_two_duties(world: World, held: str, given: str, tmp_path: Path) -> None:
    security = world.actor("security_admin", "higher").headers  # may grant anything in scope
    login = world.new_id("duty")
    person = world.person([("own", [held]), ("lower", ["staff"])], login=login)
    first, second = world.post_ids(person)
    # Another post of the same person (in another body), and the same post.
    for post_id, roles in ((second, ["staff", given]), (first, [held, given])):
        r = world.client.patch(f"{API}/directory/posts/{post_id}", headers=security,
                               json={"roles": roles})
        assert r.status_code == 422 and _code(r) == "directory.admin_duties_combined", r.text
        message = r.json()["error"]["message"]
        assert rules.ROLE_LABELS[held] in message and rules.ROLE_LABELS[given] in message
        en = world.client.patch(f"{API}/directory/posts/{post_id}", json={"roles": roles},
                                headers={**security, "Accept-Language": "en"})
        assert rules.ROLE_LABELS_EN[held] in en.json()["error"]["message"], en.text
    assert _roles_of(world, first) == [held] and _roles_of(world, second) == ["staff"]

    # Storage itself (the seed, the console, any caller): add a post, import a plan.
    with session_scope(world.app.state.sessions) as s, pytest.raises(rules.DirectoryInvalid) as err:
        storage.add_post(s, person, body_id=world.body("other"), title="兼职", roles=[given])
    assert err.value.code == "directory.admin_duties_combined"
    from modules.directory import importer

    text = f"type,id,person_id,body_id,title,roles\npost,{world.new_id('post-d-')},{person},{world.body('own')},兼职,{given}\n"
    with session_scope(world.app.state.sessions) as s:
        plan = importer.parse(text.encode(), filename="x.csv", existing=storage.DbExisting(s))
        assert not plan.errors, plan.errors
        with pytest.raises(rules.DirectoryInvalid) as err:
            storage.apply_import(s, plan)
    assert err.value.code == "directory.admin_duties_combined"
    # A new person given two duties in one request.
    r = world.client.post(f"{API}/directory/people", headers=world.actor("security_admin").headers, json={
        "name": "两职", "posts": [{"body_id": world.body("own"), "title": "甲", "roles": [held]},
                                 {"body_id": world.body("own"), "title": "乙", "roles": [given]}]})
    assert r.status_code in (403, 422), r.text
    # The console.
    with pytest.raises(rules.DirectoryInvalid) as err:
        appoint(world.app.state.engine, login, given)
    assert err.value.code == "directory.admin_duties_combined"
    assert world.post_ids(person) == [first, second]
    assert _roles_of(world, first) == [held]


def test_pure_rule_counts_every_post() -> None:
    assert rules.exclusive_admin_roles([["staff", "sys_admin"], ["leader"]]) is None
    assert rules.exclusive_admin_roles([["admin"], ["audit_admin"]]) == ("sys_admin", "audit_admin")
    assert rules.exclusive_admin_roles([["security_admin", "audit_admin"]]) == ("security_admin", "audit_admin")
    assert rules.exclusive_admin_roles([]) is None


# --------------------------------------------------------------------------- accounts


def test_the_account_of_a_privileged_person_is_the_security_administrators(world: World) -> None:
    keeper = world.person([("own", ["seal_custodian"])])
    body = {"login": world.new_id("keeper"), "password": PASSWORD}
    r = world.client.put(f"{API}/directory/people/{keeper}/account",
                         headers=world.actor("sys_admin").headers, json=body)
    assert r.status_code == 403 and _code(r) == "directory.account_needs_security_admin", r.text
    r = world.client.put(f"{API}/directory/people/{keeper}/account",
                         headers=world.actor("security_admin", "other").headers, json=body)
    assert r.status_code == 403, r.text  # outside their scope
    r = world.client.put(f"{API}/directory/people/{keeper}/account",
                         headers=world.actor("security_admin").headers, json=body)
    assert r.status_code == 200, r.text
    assert world.sign_in(body["login"])


def test_a_system_administrator_cannot_switch_off_another_duty(world: World) -> None:
    sys_admin = world.actor("sys_admin").headers
    auditor = world.person([("own", ["audit_admin"])])
    for r in (world.client.delete(f"{API}/directory/people/{auditor}", headers=sys_admin),
              world.client.patch(f"{API}/directory/people/{auditor}", headers=sys_admin, json={"active": False})):
        assert r.status_code == 403 and _code(r) == "directory.person_is_privileged", r.text
    # Renaming is still theirs; after the security administrator withdraws the role, so is
    # deactivating.
    assert world.client.patch(f"{API}/directory/people/{auditor}", headers=sys_admin,
                              json={"name": "改名"}).status_code == 200
    post_id = world.post_ids(auditor)[0]
    r = world.client.patch(f"{API}/directory/posts/{post_id}", headers=world.actor("security_admin").headers,
                           json={"roles": ["staff"]})
    assert r.status_code == 200, r.text
    assert world.client.delete(f"{API}/directory/people/{auditor}", headers=sys_admin).status_code == 204


# --------------------------------------------------------------------------- console


def test_console_appoints_the_first_security_administrator(world: World, tmp_path: Path) -> None:
    login = world.new_id("first")
    person = world.person([("higher", ["staff"])], login=login)
    assert "security_admin" in appoint(world.app.state.engine, login, "安全保密管理员")
    assert _roles_of(world, world.post_ids(person)[0]) == ["staff", "security_admin"]
    assert "already" in appoint(world.app.state.engine, login, "security_admin")
    with pytest.raises(rules.DirectoryInvalid):
        appoint(world.app.state.engine, login, "leader")  # not an appointable duty
    headers = world.sign_in(login)
    # The appointee may now grant: a custodian anywhere below the province.
    staff = world.person([("lower", ["staff"])])
    r = world.client.patch(f"{API}/directory/posts/{world.post_ids(staff)[0]}", headers=headers,
                           json={"roles": ["staff", "seal_custodian"]})
    assert r.status_code == 200, r.text


def test_console_command_exit_codes(world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import main

    url = world.app.state.engine.url.render_as_string(hide_password=False)
    login = world.new_id("cli")
    world.person([("own", ["audit_admin"])], login=login)
    assert main.main(["admin", "appoint", "--login", login, "--role", "sys_admin", "--database-url", url]) == 1
    assert "三员分立" in capsys.readouterr().err
    assert main.main(["admin", "appoint", "--login", "nobody-here", "--role", "audit_admin",
                      "--database-url", url]) == 1
    assert main.main(["admin", "appoint", "--login", login, "--role", "audit_admin", "--database-url", url]) == 0


def _console_entries(world: World, login: str) -> list[tuple[str, str, str, str, dict[str, Any]]]:
    from server.audit.models import AuditEntry

    with session_scope(world.app.state.sessions) as s:
        rows = s.execute(select(AuditEntry.actor_id, AuditEntry.result, AuditEntry.code,
                                AuditEntry.target, AuditEntry.detail)
                         .where(AuditEntry.action == "directory.appoint").order_by(AuditEntry.id)).all()
    out = [(a, r, c, t, json.loads(d)) for a, r, c, t, d in rows]
    return [e for e in out if e[4].get("login") == login]


def test_every_console_appointment_is_on_the_audit_trail(world: World) -> None:
    login = world.new_id("trail")
    person = world.person([("own", ["staff"])], login=login)
    post = world.post_ids(person)[0]
    appoint(world.app.state.engine, login, "audit_admin")
    appoint(world.app.state.engine, login, "audit_admin")  # already held
    with pytest.raises(rules.DirectoryInvalid):
        appoint(world.app.state.engine, login, "sys_admin")  # a second duty: refused
    with pytest.raises(rules.DirectoryInvalid):
        appoint(world.app.state.engine, login, "leader")  # not appointable: refused
    assert _roles_of(world, post) == ["staff", "audit_admin"]
    base = {"by": "console", "login": login}
    assert _console_entries(world, login) == [
        ("", "ok", "", post, {**base, "role": "audit_admin", "post": post}),
        ("", "ok", "", post, {**base, "role": "audit_admin", "post": post, "already": True}),
        ("", "refused", "directory.admin_duties_combined", "", {**base, "role": "sys_admin"}),
        ("", "refused", "directory.not_appointable", "", {**base, "role": "leader"}),
    ]


# --------------------------------------------------------------------------- the auditor


def test_the_auditor_changes_nothing(world: World) -> None:
    auditor = world.actor("audit_admin")
    res = push(world, auditor, "directory.update_contact", {"phone": "13800138000"})
    assert res["status"] == "rejected" and res["error"]["code"] == "duty.audit_read_only", res
    data = b"auditor upload"
    import hashlib

    r = world.client.put(f"{API}/blobs/{hashlib.sha256(data).hexdigest()}", params={"offset": 0, "total": len(data)},
                         headers=auditor.headers, content=data)
    assert r.status_code == 403 and _code(r) == "duty.audit_read_only", r.text
    # Their own password stays theirs to change.
    r = world.client.post(f"{API}/auth/password", headers=auditor.headers,
                          json={"old_password": PASSWORD, "new_password": PASSWORD + "x"})
    assert r.status_code != 403, r.text


# --------------------------------------------------------------------------- documents


def _pulled(world: World, headers: dict[str, str]) -> str:
    """Everything the actor's pull feed brings, all pages, as one JSON text."""
    out: list[Any] = []
    params: dict[str, Any] = {"limit": 1000}
    while True:
        r = world.client.get(f"{API}/sync/pull", headers=headers, params=params)
        assert r.status_code == 200, r.text
        body = r.json()
        out.extend(body["changes"])
        if not body.get("has_more"):
            return json.dumps(out, ensure_ascii=False)
        params = {"limit": 1000, "cursor": body["cursor"]}


def test_administrators_read_no_document_they_are_not_party_to(world: World) -> None:
    """A C1 document that went all the way (opinions, number, PDF, dispatch to C2): every
    administrator duty, of C1 and of the province above, is refused its detail routes and
    its PDF and is not sent it on the change feed; the C1 registry clerk (a party) is."""
    from server.documents.models import Document

    docs = DocumentsWorld(world)
    doc_id = docs.dispatched("own")
    with session_scope(world.app.state.sessions) as s:
        pdf = s.scalars(select(Document.pdf_sha256).where(Document.id == doc_id)).one()
    assert pdf
    clerk = world.actor("registry_clerk")
    assert doc_id in _pulled(world, clerk.headers)
    assert world.client.get(f"{API}/documents/{doc_id}/tracking", headers=clerk.headers).status_code == 200
    for role in ADMINS:
        for relation in ("own", "higher"):
            headers = world.actor(role, relation).headers
            assert doc_id not in _pulled(world, headers), (role, relation)
            assert pdf not in _pulled(world, headers), (role, relation)
            for path in (f"/documents/{doc_id}/tracking", f"/documents/{doc_id}/audit",
                         f"/documents/{doc_id}/revisions", f"/documents/{doc_id}/revisions/1",
                         f"/documents/{doc_id}/diff?from=1&to=2", f"/documents/{doc_id}/archive-package.zip",
                         f"/blobs/{pdf}"):
                r = world.client.get(API + path, headers=headers)
                assert r.status_code in (403, 404), (role, relation, path, r.status_code)


def test_a_cached_admin_role_reads_as_system_administrator() -> None:
    assert rules.role_label("admin") == "系统管理员"
    assert rules.role_label("admin", "en") == "system administrator"
    assert rules.role_label("audit_admin") == "安全审计员"
