"""Directory administration routes under ``/api/v1/directory``: the system administrator
(系统管理员, role ``sys_admin``) manages bodies, people and posts; a post's privileged
roles are the security administrator's (安全保密管理员, ``security_admin``; rule in
``modules.directory.policy``).

Address-book reading goes through the change feed (``directory.body`` /
``directory.person``); these routes are for administrators, who manage the bodies,
people and posts in their scope — their organ and every body below it. Who may do what
is decided once, in ``modules.directory.policy`` (applied by ``server.directory.access``);
the expected answers per role and body are in ``tests/access/table_directory.csv``.

``POST   /directory/bodies``                 create a body or department
``PATCH  /directory/bodies/{id}``            rename, re-code, move (cycle/tier checked)
``DELETE /directory/bodies/{id}``            retire (停用) an empty body
``GET    /directory/bodies/{id}``            one body
``POST   /directory/people``                 create a person (+ account, + posts)
``GET    /directory/people/{id}``            one person with posts and account state
``PATCH  /directory/people/{id}``            name, phone, e-mail, active
``DELETE /directory/people/{id}``            deactivate (account disabled)
``PUT    /directory/people/{id}/account``    create or reset the account (login, password)
``POST   /directory/people/{id}/posts``      add a post
``PATCH  /directory/posts/{id}`` / ``DELETE`` change / remove a post
``POST   /directory/import``                 bulk import (CSV or JSON; see
                                              docs/DIRECTORY_IMPORT.md)
``GET    /directory/demo-accounts``          demo sign-ins (demo servers only, no auth)

Every route is one transaction: nothing is half-written.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from modules.common.classified import FreeText
from modules.common.errors import NotFound
from modules.common.messages import normalise_lang
from modules.directory import importer, rules
from modules.directory.rules import DirectoryInvalid
from server.analyze import IMPORTED_TABLES, analyze_tables
from server.auth.deps import CurrentUser
from server.auth.principal import Principal
from server.db import DbSession, session_scope
from server.directory import access, storage
from server.logs import request_id_var

router = APIRouter(prefix="/directory", tags=["directory"])

#: Row problems listed in one import answer (the counts always cover all of them).
REPORT_LIMIT = 2000


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class BodyIn(_Strict):
    id: str | None = Field(default=None, max_length=40)
    parent_id: str | None = Field(default=None, max_length=40)
    name: FreeText = Field(max_length=200)
    short_name: FreeText | None = Field(default=None, max_length=100)
    code: str | None = Field(default=None, max_length=20)
    tier: str | None = Field(default=None, max_length=20)
    kind: str = Field(default="body", max_length=20)
    sort_order: int = 0


class BodyPatch(_Strict):
    parent_id: str | None = Field(default=None, max_length=40)
    name: FreeText | None = Field(default=None, max_length=200)
    short_name: FreeText | None = Field(default=None, max_length=100)
    code: str | None = Field(default=None, max_length=20)
    tier: str | None = Field(default=None, max_length=20)
    sort_order: int | None = None


class PostIn(_Strict):
    post_id: str | None = Field(default=None, max_length=40)
    body_id: str = Field(max_length=40)
    title: FreeText = Field(max_length=60)
    roles: list[str] | str
    is_primary: bool = False
    sort_order: int = 0


class PersonIn(_Strict):
    id: str | None = Field(default=None, max_length=40)
    name: FreeText = Field(max_length=60)
    phone: str | None = Field(default=None, max_length=40)
    email: str | None = Field(default=None, max_length=300)
    login: str | None = Field(default=None, max_length=80)
    password: str | None = Field(default=None, max_length=200)
    posts: list[PostIn] = Field(default_factory=list, max_length=50)


class PersonPatch(_Strict):
    name: FreeText | None = Field(default=None, max_length=60)
    phone: str | None = Field(default=None, max_length=40)
    email: str | None = Field(default=None, max_length=300)
    active: bool | None = None


class PostPatch(_Strict):
    body_id: str | None = Field(default=None, max_length=40)
    title: FreeText | None = Field(default=None, max_length=60)
    roles: list[str] | str | None = None
    is_primary: bool | None = None
    sort_order: int | None = None


class AccountIn(_Strict):
    login: str = Field(max_length=80)
    password: str = Field(max_length=200)


def _changes(model: BaseModel) -> dict[str, Any]:
    return {k: getattr(model, k) for k in model.model_fields_set}


def _roles(roles: list[str] | str | None) -> list[str]:
    """Role codes of a request (the retired ``admin`` as ``sys_admin``); bad words raise
    storage's own 422 (``directory.unknown_role``)."""
    return rules.parse_roles(roles) if roles is not None else []


def _require_some_admin(user: Principal) -> None:
    """A sys_admin or security_admin post at all (before reading anything else)."""
    if not access.is_security_admin(user):
        access.require_admin(user)


# --------------------------------------------------------------------------- bodies


@router.post("/bodies", status_code=201)
def create_body(body: BodyIn, user: CurrentUser, session: DbSession) -> dict[str, Any]:
    access.require_bodies(session, user, {body.parent_id or None})
    created = storage.create_body(
        session, name=body.name, tier=body.tier, kind=body.kind, parent_id=body.parent_id,
        short_name=body.short_name, code=body.code, sort_order=body.sort_order, body_id=body.id,
    )
    return storage.body_data(created)


@router.get("/bodies/{body_id}")
def get_body(body_id: str, user: CurrentUser, session: DbSession) -> dict[str, Any]:
    access.require_admin(user)
    body = storage.get_body(session, body_id)
    access.require_bodies(session, user, {body_id})
    return storage.body_data(body)


@router.patch("/bodies/{body_id}")
def patch_body(body_id: str, patch: BodyPatch, user: CurrentUser, session: DbSession) -> dict[str, Any]:
    changes = _changes(patch)
    access.require_admin(user)
    storage.get_body(session, body_id)
    targets: set[str | None] = {body_id}
    if "parent_id" in changes:
        targets.add(changes["parent_id"] or None)
    access.require_bodies(session, user, targets)
    return storage.body_data(storage.update_body(session, body_id, changes))


@router.delete("/bodies/{body_id}", status_code=204)
def delete_body(body_id: str, user: CurrentUser, session: DbSession) -> Response:
    access.require_admin(user)
    storage.get_body(session, body_id)
    access.require_bodies(session, user, {body_id})
    storage.deactivate_body(session, body_id)
    return Response(status_code=204)


# --------------------------------------------------------------------------- people


@router.post("/people", status_code=201)
def create_person(person: PersonIn, user: CurrentUser, session: DbSession) -> dict[str, Any]:
    access.require_new_person(session, user, {p.body_id for p in person.posts})
    for post in person.posts:
        access.require_role_change(session, user, {post.body_id}, [], _roles(post.roles))
    created = storage.create_person(
        session, name=person.name, phone=person.phone, email=person.email, person_id=person.id,
        login=person.login, password=person.password,
        posts=[p.model_dump() for p in person.posts],
    )
    return storage.person_view(session, created.id)


@router.get("/people/{person_id}")
def get_person(person_id: str, user: CurrentUser, session: DbSession) -> dict[str, Any]:
    access.require_admin(user)
    storage.get_person(session, person_id)
    access.require_people(session, user, [person_id])
    return storage.person_view(session, person_id)


@router.patch("/people/{person_id}")
def patch_person(
    person_id: str, patch: PersonPatch, user: CurrentUser, session: DbSession
) -> dict[str, Any]:
    access.require_admin(user)
    storage.get_person(session, person_id)
    access.require_people(session, user, [person_id])
    changes = _changes(patch)
    if "active" in changes:
        access.require_not_privileged(session, person_id)
    storage.update_person(session, person_id, changes)
    return storage.person_view(session, person_id)


@router.delete("/people/{person_id}", status_code=204)
def delete_person(person_id: str, user: CurrentUser, session: DbSession) -> Response:
    access.require_admin(user)
    storage.get_person(session, person_id)
    access.require_people(session, user, [person_id])
    access.require_not_privileged(session, person_id)
    storage.update_person(session, person_id, {"active": False})
    return Response(status_code=204)


@router.put("/people/{person_id}/account")
def put_account(
    person_id: str, account: AccountIn, user: CurrentUser, session: DbSession
) -> dict[str, Any]:
    _require_some_admin(user)
    storage.get_person(session, person_id)
    if access.holds_privileged(session, person_id):
        access.require_account_change(session, user, person_id)
    else:
        access.require_admin(user)
        access.require_people(session, user, [person_id])
    storage.set_account(session, person_id, account.login, account.password)
    return storage.person_view(session, person_id)


@router.post("/people/{person_id}/posts", status_code=201)
def add_post(person_id: str, post: PostIn, user: CurrentUser, session: DbSession) -> dict[str, Any]:
    access.require_admin(user)
    storage.get_person(session, person_id)
    access.require_people(session, user, [person_id], extra_bodies={post.body_id})
    access.require_role_change(session, user, {post.body_id}, [], _roles(post.roles))
    storage.add_post(
        session, person_id, body_id=post.body_id, title=post.title, roles=post.roles,
        is_primary=post.is_primary, sort_order=post.sort_order, post_id=post.post_id,
    )
    return storage.person_view(session, person_id)


@router.patch("/posts/{post_id}")
def patch_post(post_id: str, patch: PostPatch, user: CurrentUser, session: DbSession) -> dict[str, Any]:
    _require_some_admin(user)
    post = storage.get_post(session, post_id)
    changes = {k: v for k, v in _changes(patch).items() if v is not None}
    before = list(post.roles or ())
    after = _roles(changes["roles"]) if "roles" in changes else before
    if set(changes) <= {"roles"} and access.is_security_admin(user):
        # The security administrator sets the roles of a post in their scope.
        access.require_security(session, user, {post.body_id})
    else:
        access.require_admin(user)
        targets = {post.body_id}
        moved = bool(changes.get("body_id")) and changes["body_id"] != post.body_id
        if moved:
            targets.add(changes["body_id"])
        access.require_bodies(session, user, targets)
        access.require_role_change(session, user, targets, before, after, moved)
    storage.update_post(session, post_id, changes)
    return storage.person_view(session, post.person_id)


@router.delete("/posts/{post_id}", status_code=204)
def delete_post(post_id: str, user: CurrentUser, session: DbSession) -> Response:
    access.require_admin(user)
    post = storage.get_post(session, post_id)
    access.require_bodies(session, user, {post.body_id})
    access.require_role_change(session, user, {post.body_id}, list(post.roles or ()), [])
    storage.remove_post(session, post_id)
    return Response(status_code=204)


# --------------------------------------------------------------------------- import


def _run_import(
    request: Request,
    user: Principal,
    data: bytes,
    filename: str | None,
    dry_run: bool,
    valid_rows: bool,
    password: str | None,
    lang: str,
) -> JSONResponse:
    with session_scope(request.app.state.sessions) as session:
        access.require_admin(user)  # admins only, before reading anything
        plan = importer.parse(data, filename=filename, existing=storage.DbExisting(session))
        access.require_import(session, user, plan)
        storage.check_import_duties(session, plan)
        report = plan.report(lang, limit=REPORT_LIMIT)
        if dry_run:
            return JSONResponse({"dry_run": True, "ok": plan.ok, **report})
        if plan.errors and not valid_rows:
            error = importer.ImportRejected(plan)
            return JSONResponse(
                status_code=error.http_status,
                content={"error": error.to_dict(lang), "request_id": request_id_var.get(), **report},
            )
        applied = storage.apply_import(
            session, plan, valid_rows=valid_rows, default_password=password or None
        )
        analyze_tables(session, IMPORTED_TABLES)  # the import's rows, counted before commit
        return JSONResponse({"dry_run": False, "ok": plan.ok, "applied": applied, **report})


@router.post("/import")
async def import_directory(
    request: Request,
    user: CurrentUser,
    dry_run: bool = False,
    valid_rows: bool = False,
    filename: str | None = None,
) -> JSONResponse:
    """Bulk import. Body: multipart (``file``, optional ``default_password``) or the file
    itself (``application/json`` or ``text/csv``; initial password in the
    ``X-Initial-Password`` header). ``dry_run`` only validates; ``valid_rows`` imports
    the clean rows of a file with errors. Answers the counts and every row problem.
    """
    lang = normalise_lang(request.headers.get("accept-language"))
    content_type = request.headers.get("content-type", "")
    password = request.headers.get("x-initial-password")
    if content_type.startswith("multipart/form-data"):
        async with request.form() as form:
            upload = form.get("file")
            if upload is None or isinstance(upload, str):
                raise DirectoryInvalid("directory.missing_field", field="file")
            data = await upload.read()
            filename = filename or upload.filename
            form_password = form.get("default_password")
            if isinstance(form_password, str) and form_password:
                password = form_password
    else:
        data = await request.body()
        if filename is None and "json" in content_type:
            filename = "import.json"
        elif filename is None and "csv" in content_type:
            filename = "import.csv"
    return await run_in_threadpool(
        _run_import, request, user, data, filename, dry_run, valid_rows, password, lang
    )


# --------------------------------------------------------------------------- demo


@router.get("/demo-accounts")
def demo_accounts(request: Request, session: DbSession) -> dict[str, Any]:
    """The demo sign-ins for the login screen; 404 unless the server runs with demo data."""
    if not getattr(request.app.state.settings, "demo", False):
        raise NotFound("request.not_found", path=request.url.path)
    from modules.directory.demo import DEMO_PASSWORD
    from modules.directory.demo import demo_accounts as accounts

    demo = accounts()
    known = storage.active_person_ids(session, (a.person_id for a in demo))
    return {
        "password": DEMO_PASSWORD,
        "accounts": [
            {"login": a.login, "name": a.name, "person_id": a.person_id,
             "roles": list(a.roles), "description": a.description}
            for a in demo
            if a.person_id in known
        ],
    }
