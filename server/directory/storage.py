"""Directory storage: every write of bodies, people and posts, published to the feed.

Entities on the change feed
---------------------------
``directory.body``   ``{id, parent_id, name, short_name, code, tier, kind, region_id,
                     sort_order, active}``
``directory.person`` ``{id, name, pinyin, initials, phone, email, active, posts: [{id,
                     body_id, body_name, org_id, org_name, title, roles, is_primary,
                     sort_order}]}`` — posts are inside the person, with the names of
                     their body and of the organ (机关) it belongs to, so a contact is
                     readable even when its body is outside the reader's tree.
An inactive body or person is published as a tombstone (removed from address books).

Audience (who receives what) — a province of 1.66 M people must not send everyone
the whole province:
``dir:<region id>``  every body and person of a region. A region is a city (the
                     city-tier body and everything under it) or, for province-level
                     bodies and their departments, the province root. Holders: anyone
                     with a post in a body of that region (``directory_scope``).
``all``              the skeleton everyone needs to address documents: organs (机关) of
                     province and city tier, and the *public contacts* — people holding a
                     leader (领导) or registry clerk (收发员) post in a province- or
                     city-tier body or department.
So a township clerk receives their whole city plus the province/city skeleton and its
leaders and registries — never the other cities' staff or all province staff; a
province-level official receives all province-level bodies and people, and the same
skeleton. A person with posts in two regions is in both.

All functions run inside the caller's transaction (routes use ``DbSession``; intents use
``MutationContext.session``) and never commit; a failure raises and the caller rolls back.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from sqlalchemy import Select, bindparam, inspect, select, update
from sqlalchemy.orm import Session, aliased
from sqlalchemy.orm.util import identity_key

from modules.common import messages
from modules.common.errors import Conflict, NotFound, ValidationFailed
from modules.directory import importer, pinyin, rules
from modules.directory.importer import ExistingBody, ImportPlan
from modules.directory.rules import DirectoryInvalid
from server import batch_reads
from server.auth.models import Account
from server.auth.passwords import check_policy, hash_password
from server.auth.principal import Principal
from server.changefeed import record_changes
from server.db import utcnow
from server.directory.models import Body, Person, Post
from server.scopes import scope_provider

BODY_ENTITY = "directory.body"
PERSON_ENTITY = "directory.person"
PUBLIC_KEY = "all"
#: Tiers whose organs and leaders/registries everyone may see.
PUBLIC_TIERS = frozenset({"province", "city"})
PUBLIC_ROLES = frozenset({"leader", "registry_clerk"})
_CHUNK = 500
#: Bulk publishing empties the session after this many records: every flush and every
#: ORM UPDATE scans the identity map, so a small map keeps a large import linear.
_BULK_CHUNK = 100

messages.register(
    {
        "directory.body_not_found": {
            "zh_CN": "机构“{id}”不存在。",
            "en": "The body '{id}' does not exist.",
        },
        "directory.person_not_found": {
            "zh_CN": "人员“{id}”不存在。",
            "en": "The person '{id}' does not exist.",
        },
        "directory.post_not_found": {
            "zh_CN": "岗位“{id}”不存在。",
            "en": "The post '{id}' does not exist.",
        },
        "directory.id_taken": {
            "zh_CN": "编号“{id}”已被占用。",
            "en": "The id '{id}' is already in use.",
        },
        "directory.login_taken": {
            "zh_CN": "登录账号“{login}”已被占用。",
            "en": "The login '{login}' is already in use.",
        },
        "directory.body_in_use": {
            "zh_CN": "“{name}”下还有 {children} 个下级机构和 {posts} 个岗位，不能停用。请先调整。",
            "en": "'{name}' still has {children} sub-units and {posts} posts; move them first.",
        },
        "directory.import.password_needed": {
            "zh_CN": "导入文件为 {count} 人设置了登录账号，请提供初始密码。",
            "en": "The file gives {count} people a login; provide an initial password.",
        },
    }
)


# --------------------------------------------------------------------------- shapes


def body_data(body: Body) -> dict[str, Any]:
    return {
        "id": body.id,
        "parent_id": body.parent_id,
        "name": body.name,
        "short_name": body.short_name or "",
        "code": body.code,
        "tier": body.tier,
        "kind": body.kind,
        "region_id": body.region_id,
        "sort_order": body.sort_order,
        "active": body.active,
    }


def body_audience(body: Body) -> set[str]:
    keys = {f"dir:{body.region_id}"}
    if body.kind == "body" and body.tier in PUBLIC_TIERS:
        keys.add(PUBLIC_KEY)
    return keys


def _organ_of(body: Body, bodies: dict[str, Body]) -> Body:
    cur = body
    while cur.kind == "department" and cur.parent_id and cur.parent_id in bodies:
        cur = bodies[cur.parent_id]
    return cur


def _with_ancestors() -> Select[tuple[str]]:
    """The ids of the bodies bound as ``ids`` and of every ancestor of them: one
    recursive query up the tree (a primary-key look-up per body on the way), not one per
    level."""
    up = select(Body.id, Body.parent_id).where(
        Body.id.in_(bindparam("ids", expanding=True))).cte("up", recursive=True)
    parent = aliased(Body)
    up = up.union(select(parent.id, parent.parent_id).join(up, parent.id == up.c.parent_id))
    return select(up.c.id)


# Built once: building and keying the recursive statement cost more than running it.
_TREE_ROWS = select(Body.id, Body.parent_id, Body.kind, Body.name).where(
    Body.id.in_(_with_ancestors()))
_BODIES_WITH_ANCESTORS = select(Body).where(Body.id.in_(_with_ancestors()))


def tree_rows(session: Session, ids: Sequence[str]) -> list[tuple[str, str | None, str, str]]:
    """``(id, parent_id, kind, name)`` of the bodies ``ids`` and every ancestor of them,
    in one statement (per chunk of ids)."""
    out: list[tuple[str, str | None, str, str]] = []
    for i in range(0, len(ids), _CHUNK):
        out.extend((r[0], r[1], r[2], r[3]) for r in session.execute(
            _TREE_ROWS, {"ids": list(ids[i:i + _CHUNK])}))
    return out


def bodies_by_id(session: Session, ids: Iterable[str], *,
                 ancestors: bool = False) -> dict[str, Body]:
    """The stored bodies among ``ids`` (unknown ids left out); ``ancestors``: with every
    ancestor of those read here (the bodies already held below are not re-read, their
    ancestors may be missing: the caller walks on). Within a push batch that keeps its
    reads (``server.batch_reads``) a body is read once until the batch writes the body
    table."""
    wanted = {i for i in ids if i}
    known = batch_reads.memo(session, "directory_body")
    out: dict[str, Body] = {}
    if known is not None:
        for body_id in list(wanted):
            if body_id in known:
                wanted.discard(body_id)
                if known[body_id] is not None:
                    out[body_id] = known[body_id]
    batch = sorted(wanted)
    for i in range(0, len(batch), _CHUNK):
        chunk = batch[i:i + _CHUNK]
        read = (session.scalars(_BODIES_WITH_ANCESTORS, {"ids": chunk}) if ancestors
                else session.scalars(select(Body).where(Body.id.in_(chunk))))
        for b in read:
            out[b.id] = b
    if known is not None:
        known.update({b: out.get(b) for b in batch})
        if ancestors:
            known.update({b.id: b for b in out.values()})
    return out


def _load_bodies_with_ancestors(session: Session, ids: Iterable[str]) -> dict[str, Body]:
    out: dict[str, Body] = {}
    todo = {i for i in ids if i}
    while todo:
        found = bodies_by_id(session, todo)
        out.update(found)
        todo = {b.parent_id for b in found.values()
                if b.kind == "department" and b.parent_id and b.parent_id not in out}
    return out


def posts_by_person(session: Session, person_ids: Iterable[str]) -> dict[str, list[Post]]:
    """person id -> their posts, primary first, then by sort order and id (every asked id
    present). Within a push batch that keeps its reads, read once per person until the
    batch writes the post table."""
    ids = sorted(set(person_ids))
    known = batch_reads.memo(session, "directory_post")
    out: dict[str, list[Post]] = {}
    missing = ids
    if known is not None:
        out = {p: list(known[p]) for p in ids if p in known}
        missing = [p for p in ids if p not in known]
    for pid in missing:
        out[pid] = []
    for start in range(0, len(missing), _CHUNK):
        for post in session.scalars(
            select(Post).where(Post.person_id.in_(missing[start:start + _CHUNK])).order_by(
                Post.person_id, Post.is_primary.desc(), Post.sort_order, Post.id
            )
        ):
            out[post.person_id].append(post)
    if known is not None:
        known.update({p: list(out[p]) for p in missing})
    return out


def _people_by_id(session: Session, ids: Sequence[str]) -> dict[str, Person]:
    """The stored people among ``ids``; within a push batch that keeps its reads, those
    already loaded (and not expired) come from the identity map."""
    people: dict[str, Person] = {}
    missing = list(ids)
    if batch_reads.active(session) is not None:
        missing = []
        for pid in ids:
            held = session.identity_map.get(identity_key(Person, pid))
            if isinstance(held, Person) and not inspect(held).expired_attributes:
                people[pid] = held
            else:
                missing.append(pid)
    if missing:
        people.update({p.id: p for p in session.scalars(select(Person).where(Person.id.in_(missing)))})
    return people


def publish_people(session: Session, person_ids: Iterable[str], *, bulk: bool = False) -> None:
    """Publish the current state of these people (with their posts) to the feed.

    ``bulk``: after each chunk, everything is flushed and the session's identity map is
    emptied (``expunge_all``), so a flush never has to scan hundreds of thousands of
    objects. Only for callers that hold no ORM objects they still mean to change.
    """
    ids = sorted(set(person_ids))
    step = _BULK_CHUNK if bulk else _CHUNK
    for start in range(0, len(ids), step):
        chunk = ids[start:start + step]
        people = _people_by_id(session, chunk)
        posts_by = posts_by_person(session, chunk)
        bodies = _load_bodies_with_ancestors(
            session, {p.body_id for ps in posts_by.values() for p in ps}
        )
        record_changes(session, [
            _person_change(people[pid], posts_by.get(pid, []), bodies)
            for pid in chunk if pid in people
        ])
        if bulk:
            session.flush()
            session.expunge_all()


def _person_change(
    person: Person, posts: Sequence[Post], bodies: dict[str, Body]
) -> tuple[str, str, dict[str, Any] | None, set[str]]:
    """The feed entry for one person: (entity, id, data or None when inactive, audience)."""
    audience: set[str] = set()
    post_data = []
    for post in posts:
        body = bodies.get(post.body_id)
        if body is None:
            continue
        organ = _organ_of(body, bodies)
        audience.add(f"dir:{body.region_id}")
        if body.tier in PUBLIC_TIERS and PUBLIC_ROLES & set(post.roles or ()):
            audience.add(PUBLIC_KEY)
        post_data.append(
            {
                "id": post.id,
                "body_id": post.body_id,
                "body_name": body.name,
                "org_id": organ.id,
                "org_name": organ.name,
                "title": post.title,
                "roles": list(post.roles or ()),
                "is_primary": post.is_primary,
                "sort_order": post.sort_order,
            }
        )
    data = {
        "id": person.id,
        "name": person.name,
        "pinyin": person.pinyin,
        "initials": person.initials,
        "phone": person.phone or "",
        "email": person.email or "",
        "active": person.active,
        "posts": post_data,
    }
    # A person without posts is still visible to themselves.
    audience.add(f"user:{person.id}")
    return PERSON_ENTITY, person.id, (data if person.active else None), audience


def _body_change(body: Body) -> tuple[str, str, dict[str, Any] | None, set[str]]:
    return BODY_ENTITY, body.id, (body_data(body) if body.active else None), set(body_audience(body))


def publish_body(session: Session, body: Body) -> None:
    record_changes(session, [_body_change(body)])


# --------------------------------------------------------------------------- scope


@scope_provider
def directory_scope(session: Session, principal: Principal) -> set[str]:
    """``dir:<region>`` for every region the principal holds a post in."""
    if not principal.body_ids:
        return set()
    regions = session.scalars(
        select(Body.region_id).where(Body.id.in_(sorted(principal.body_ids))).distinct()
    )
    return {f"dir:{r}" for r in regions}


# --------------------------------------------------------------------------- bodies


M = TypeVar("M", Body, Person, Post)


def _get(session: Session, model: type[M], row_id: str, not_found: str) -> M:
    """The row with primary key ``row_id``, or ``NotFound(not_found)`` (404)."""
    row = session.get(model, row_id)
    if row is None:
        raise NotFound(not_found, id=row_id)
    return row


def get_body(session: Session, body_id: str) -> Body:
    return _get(session, Body, body_id, "directory.body_not_found")


def _facts(body: Body) -> rules.BodyFacts:
    return rules.BodyFacts(body.id, body.parent_id, body.name, body.tier, body.kind)


def new_id(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:12]}"


def create_body(
    session: Session,
    *,
    name: str,
    tier: str | None,
    kind: str = "body",
    parent_id: str | None = None,
    short_name: str | None = None,
    code: str | None = None,
    sort_order: int = 0,
    body_id: str | None = None,
) -> Body:
    """Create a body or department after checking every rule; publishes it."""
    kind = rules.parse_kind(kind)
    name = rules.check_length(rules.require(name, "name（名称）"), "name（名称）", rules.NAME_MAX)
    parent = get_body(session, parent_id) if parent_id else None
    if tier:
        tier = rules.parse_tier(tier)
    elif kind == "department" and parent is not None:
        tier = parent.tier
    else:
        raise DirectoryInvalid("directory.missing_field", field="tier（层级）")
    code = rules.normalize_code(code)
    rules.check_department_code(kind, code, name)
    bid = importer.body_id(rules.check_id(body_id)) if body_id else new_id("b-")
    if session.get(Body, bid) is not None:
        raise Conflict("directory.id_taken", id=bid)
    rules.check_placement(
        rules.BodyFacts(bid, parent_id, name, tier, kind), _facts(parent) if parent else None
    )
    body = Body(
        id=bid,
        parent_id=parent.id if parent else None,
        name=name,
        short_name=(short_name or "").strip(),
        code=code,
        tier=tier,
        kind=kind,
        region_id=rules.region_for(
            bid, tier, kind, parent.region_id if parent else None, parent.tier if parent else None
        ),
        sort_order=sort_order,
        active=True,
    )
    session.add(body)
    session.flush()
    publish_body(session, body)
    return body


def update_body(session: Session, body_id: str, changes: dict[str, Any]) -> Body:
    """Change fields of a body (name, short_name, code, sort_order, tier, parent_id).

    A move (new ``parent_id``) is checked for cycles and tiers; regions of the moved
    subtree are recomputed, and everything whose audience or shown names changed is
    published again.
    """
    body = get_body(session, body_id)
    renamed = False
    if "name" in changes:
        body.name = rules.check_length(
            rules.require(changes["name"], "name（名称）"), "name（名称）", rules.NAME_MAX
        )
        renamed = True
    if "short_name" in changes:
        body.short_name = (changes["short_name"] or "").strip()
    if "code" in changes:
        body.code = rules.normalize_code(changes["code"])
        rules.check_department_code(body.kind, body.code, body.name)
    if "sort_order" in changes:
        body.sort_order = rules.parse_int(changes["sort_order"], "sort_order（排序）")
    moved = False
    if changes.get("tier"):
        new_tier = rules.parse_tier(changes["tier"])
        moved = moved or new_tier != body.tier
        body.tier = new_tier
    if "parent_id" in changes and changes["parent_id"] != body.parent_id:
        new_parent: str | None = changes["parent_id"] or None
        if new_parent:
            get_body(session, new_parent)

            def parent_of(i: str) -> str | None:
                if i == body.id:
                    return new_parent
                b = session.get(Body, i)
                return b.parent_id if b else None

            cycle = rules.find_cycle(body.id, parent_of)
            if cycle:
                names = [(session.get(Body, i) or body).name for i in cycle]
                raise DirectoryInvalid("directory.cycle", path=" → ".join(names))
        body.parent_id = new_parent
        moved = True
    parent = session.get(Body, body.parent_id) if body.parent_id else None
    if body.kind == "department" and parent is not None:
        body.tier = parent.tier
    rules.check_placement(_facts(body), _facts(parent) if parent else None)
    for child in session.scalars(
        select(Body).where(Body.parent_id == body.id, Body.kind == "body")
    ):
        rules.check_placement(_facts(child), _facts(body))
    session.flush()
    changed_bodies = {body.id}
    if moved:
        changed_bodies |= _recompute_regions(session, body)
    for b in session.scalars(select(Body).where(Body.id.in_(sorted(changed_bodies)))):
        publish_body(session, b)
    if moved or renamed:
        affected = _departments_under(session, body.id) if renamed else set()
        affected |= changed_bodies
        publish_people(
            session,
            session.scalars(select(Post.person_id).where(Post.body_id.in_(sorted(affected)))),
        )
    return body


def _departments_under(session: Session, root_id: str) -> set[str]:
    """``root_id`` and the departments below it (not descending into other organs)."""
    out = {root_id}
    frontier = [root_id]
    while frontier:
        batch, frontier = frontier[:_CHUNK], frontier[_CHUNK:]
        nxt = list(
            session.scalars(
                select(Body.id).where(Body.parent_id.in_(batch), Body.kind == "department")
            )
        )
        frontier.extend(i for i in nxt if i not in out)
        out.update(nxt)
    return out


def _recompute_regions(session: Session, root: Body) -> set[str]:
    """Recompute ``region_id`` (and department tiers) under ``root``; ids that changed."""
    parent = session.get(Body, root.parent_id) if root.parent_id else None
    changed: set[str] = set()
    stack: list[tuple[Body, str | None, str | None]] = [
        (root, parent.region_id if parent else None, parent.tier if parent else None)
    ]
    while stack:
        body, parent_region, parent_tier = stack.pop()
        tier = parent_tier if body.kind == "department" and parent_tier else body.tier
        region = rules.region_for(body.id, tier, body.kind, parent_region, parent_tier)
        if region != body.region_id or tier != body.tier:
            body.region_id = region
            body.tier = tier
            changed.add(body.id)
        for child in session.scalars(select(Body).where(Body.parent_id == body.id)):
            stack.append((child, body.region_id, body.tier))
    session.flush()
    return changed


def deactivate_body(session: Session, body_id: str) -> Body:
    """Retire a body (停用): only when it has no active sub-units and no posts."""
    body = get_body(session, body_id)
    children = len(
        list(session.scalars(select(Body.id).where(Body.parent_id == body_id, Body.active.is_(True))))
    )
    posts = len(list(session.scalars(select(Post.id).where(Post.body_id == body_id))))
    if children or posts:
        raise Conflict("directory.body_in_use", name=body.name, children=children, posts=posts)
    body.active = False
    session.flush()
    publish_body(session, body)
    return body


# --------------------------------------------------------------------------- people


def get_person(session: Session, person_id: str) -> Person:
    return _get(session, Person, person_id, "directory.person_not_found")


def _set_name(person: Person, name: str) -> None:
    person.name = rules.check_length(
        rules.require(name, "name（姓名）"), "name（姓名）", rules.PERSON_NAME_MAX
    )
    person.pinyin = pinyin.full_pinyin(person.name)[:200]
    person.initials = pinyin.initials(person.name)[:40]


def create_person(
    session: Session,
    *,
    name: str,
    phone: str | None = None,
    email: str | None = None,
    person_id: str | None = None,
    login: str | None = None,
    password: str | None = None,
    posts: Sequence[dict[str, Any]] = (),
) -> Person:
    """Create a person, optionally an account (``login`` + ``password``) and posts."""
    pid = importer.person_id(rules.check_id(person_id)) if person_id else new_id("p-")
    if session.get(Person, pid) is not None:
        raise Conflict("directory.id_taken", id=pid)
    person = Person(id=pid, active=True)
    _set_name(person, name)
    person.phone = rules.normalize_phone(phone) or ""
    person.email = rules.normalize_email(email) or ""
    session.add(person)
    session.flush()
    if login:
        set_account(session, pid, login, password or "")
    any_primary = any(p.get("is_primary") for p in posts)
    for i, post in enumerate(posts):
        fields = {k: v for k, v in post.items() if k in ("body_id", "title", "roles", "post_id")}
        add_post(
            session, pid, publish=False, sort_order=post.get("sort_order") or i,
            is_primary=bool(post.get("is_primary")) or (i == 0 and not any_primary), **fields,
        )
    _ensure_primary(session, pid)
    publish_people(session, [pid])
    return person


def set_account(session: Session, person_id: str, login: str, password: str) -> Account:
    """Create or reset the account of a person (login unique; password policy applies)."""
    login_name = rules.normalize_login(login)
    assert login_name is not None
    check_policy(password)
    owner = session.scalar(select(Account).where(Account.login == login_name))
    if owner is not None and owner.person_id != person_id:
        raise Conflict("directory.login_taken", login=login_name)
    account = session.get(Account, person_id)
    if account is None:
        account = Account(person_id=person_id, login=login_name, failed_logins=0, disabled=False)
        session.add(account)
    account.login = login_name
    account.password_hash = hash_password(password)
    account.password_changed_at = utcnow()
    account.failed_logins = 0
    account.locked_until = None
    session.flush()
    return account


def update_person(session: Session, person_id: str, changes: dict[str, Any]) -> Person:
    """Change name, phone, e-mail or ``active`` (re-activation included); publishes."""
    person = get_person(session, person_id)
    if "name" in changes:
        _set_name(person, changes["name"])
    if "phone" in changes:
        person.phone = rules.normalize_phone(changes["phone"]) or ""
    if "email" in changes:
        person.email = rules.normalize_email(changes["email"]) or ""
    if "active" in changes:
        person.active = bool(changes["active"])
        account = session.get(Account, person_id)
        if account is not None:
            account.disabled = not person.active
    # No flush of its own: what reads the person next through the session flushes it
    # first, and a push batch may send several intents' updates in one flush.
    publish_people(session, [person_id])
    return person


# --------------------------------------------------------------------------- posts


def get_post(session: Session, post_id: str) -> Post:
    return _get(session, Post, post_id, "directory.post_not_found")


def check_duties(session: Session, person_id: str, replace: dict[str, list[str]]) -> None:
    """三员分立: the person's posts after a change (``replace``: post id -> its new roles,
    new posts included) hold at most one administrator duty, else
    ``directory.admin_duties_combined`` (422) naming both."""
    roles = {pid: list(r or ()) for pid, r in session.execute(
        select(Post.id, Post.roles).where(Post.person_id == person_id))}
    roles.update(replace)
    if rules.exclusive_admin_roles(roles.values()) is not None:
        person = session.get(Person, person_id)
        rules.check_exclusive_admin_roles(roles.values(), person.name if person else person_id)


def check_import_duties(session: Session, plan: ImportPlan) -> None:
    """:func:`check_duties` for every person an import gives posts (stored posts the file
    does not name count too)."""
    planned: dict[str, dict[str, list[str]]] = {}
    for row in plan.posts:
        planned.setdefault(row.person_id, {})[row.id] = list(row.roles)
    people = sorted(planned)
    names = {p.id: p.name for p in plan.people}
    for i in range(0, len(people), _CHUNK):
        stored: dict[str, dict[str, list[str]]] = {}
        for post_id, person_id, roles in session.execute(
            select(Post.id, Post.person_id, Post.roles).where(Post.person_id.in_(people[i:i + _CHUNK]))
        ):
            stored.setdefault(person_id, {})[post_id] = list(roles or ())
        for person_id in people[i:i + _CHUNK]:
            merged = {**stored.get(person_id, {}), **planned[person_id]}
            if rules.exclusive_admin_roles(merged.values()) is not None:
                rules.check_exclusive_admin_roles(merged.values(), names.get(person_id, person_id))


def add_post(
    session: Session,
    person_id: str,
    *,
    body_id: str,
    title: str,
    roles: Iterable[str] | str,
    is_primary: bool = False,
    sort_order: int = 0,
    post_id: str | None = None,
    publish: bool = True,
) -> Post:
    """Give a person a post; a new primary post demotes the old one."""
    get_person(session, person_id)
    body = get_body(session, body_id)
    if not body.active:
        raise NotFound("directory.body_not_found", id=body_id)
    title = rules.check_length(rules.require(title, "title（职务）"), "title（职务）", rules.TITLE_MAX)
    role_list = rules.parse_roles(roles)
    pid = importer.post_id(rules.check_id(post_id)) if post_id else new_id("post-")
    if session.get(Post, pid) is not None:
        raise Conflict("directory.id_taken", id=pid)
    session.flush()  # earlier posts of the same request count
    check_duties(session, person_id, {pid: role_list})
    if is_primary:
        session.execute(update(Post).where(Post.person_id == person_id).values(is_primary=False))
    post = Post(
        id=pid, person_id=person_id, body_id=body.id, title=title, roles=role_list,
        is_primary=is_primary, sort_order=sort_order,
    )
    session.add(post)
    session.flush()
    if publish:
        _ensure_primary(session, person_id)
        publish_people(session, [person_id])
    return post


def update_post(session: Session, post_id: str, changes: dict[str, Any]) -> Post:
    post = get_post(session, post_id)
    if "body_id" in changes:
        body = get_body(session, changes["body_id"])
        post.body_id = body.id
    if "title" in changes:
        post.title = rules.check_length(
            rules.require(changes["title"], "title（职务）"), "title（职务）", rules.TITLE_MAX
        )
    if "roles" in changes:
        new_roles = rules.parse_roles(changes["roles"])
        check_duties(session, post.person_id, {post.id: new_roles})
        post.roles = new_roles
    if "sort_order" in changes:
        post.sort_order = rules.parse_int(changes["sort_order"], "sort_order（排序）")
    if changes.get("is_primary"):
        session.execute(
            update(Post).where(Post.person_id == post.person_id, Post.id != post.id).values(is_primary=False)
        )
        post.is_primary = True
    session.flush()
    _ensure_primary(session, post.person_id)
    publish_people(session, [post.person_id])
    return post


def remove_post(session: Session, post_id: str) -> None:
    post = get_post(session, post_id)
    person_id = post.person_id
    session.delete(post)
    session.flush()
    _ensure_primary(session, person_id)
    publish_people(session, [person_id])


def _ensure_primary(session: Session, person_id: str) -> None:
    """Exactly one primary post when a person has posts: the first by order if none."""
    posts = list(
        session.scalars(
            select(Post).where(Post.person_id == person_id).order_by(
                Post.is_primary.desc(), Post.sort_order, Post.id
            )
        )
    )
    if posts and not posts[0].is_primary:
        posts[0].is_primary = True
        session.flush()


def _ensure_primary_many(session: Session, person_ids: Iterable[str]) -> None:
    """:func:`_ensure_primary` for many people with a few set-based statements."""
    ids = sorted(set(person_ids))
    session.flush()
    for i in range(0, len(ids), _CHUNK):
        rows = session.execute(
            select(Post.id, Post.person_id, Post.is_primary)
            .where(Post.person_id.in_(ids[i:i + _CHUNK]))
            .order_by(Post.person_id, Post.is_primary.desc(), Post.sort_order, Post.id)
        ).all()
        first: dict[str, tuple[str, bool]] = {}
        for post_id, person_id, is_primary in rows:
            first.setdefault(person_id, (post_id, bool(is_primary)))
        promote = [post_id for post_id, is_primary in first.values() if not is_primary]
        if promote:
            session.execute(
                update(Post).where(Post.id.in_(promote)).values(is_primary=True),
                execution_options={"synchronize_session": False},
            )
    session.expire_all()


# --------------------------------------------------------------------------- lookups


def holders(session: Session, body_id: str, role: str) -> list[Person]:
    """Active people holding ``role`` in ``body_id`` (e.g. the registry clerks, 收发员)."""
    rows = session.execute(
        select(Person, Post.roles)
        .join(Post, Post.person_id == Person.id)
        .where(Post.body_id == body_id, Person.active.is_(True))
        .order_by(Post.sort_order, Person.pinyin, Person.id)
    ).all()
    seen: set[str] = set()
    out = []
    for person, roles in rows:
        if role in (roles or ()) and person.id not in seen:
            seen.add(person.id)
            out.append(person)
    return out


def registry_clerks(session: Session, body_id: str) -> list[Person]:
    """The 收发员 of a body (who receive incoming documents for it)."""
    return holders(session, body_id, "registry_clerk")


# --------------------------------------------------------------------------- administration reads


def person_view(session: Session, person_id: str) -> dict[str, Any]:
    """One person as an administrator sees it: contact, account state and every post
    (primary first, then in order). ``directory.person_not_found`` if unknown."""
    person = get_person(session, person_id)
    account = session.get(Account, person_id)
    posts = session.scalars(
        select(Post).where(Post.person_id == person_id).order_by(
            Post.is_primary.desc(), Post.sort_order, Post.id
        )
    )
    return {
        "id": person.id,
        "name": person.name,
        "pinyin": person.pinyin,
        "initials": person.initials,
        "phone": person.phone,
        "email": person.email,
        "active": person.active,
        "account": None
        if account is None
        else {"login": account.login, "disabled": account.disabled,
              "locked": account.locked_until is not None},
        "posts": [
            {"id": p.id, "body_id": p.body_id, "title": p.title, "roles": list(p.roles or ()),
             "is_primary": p.is_primary, "sort_order": p.sort_order}
            for p in posts
        ],
    }


def active_person_ids(session: Session, person_ids: Iterable[str]) -> set[str]:
    """Those of ``person_ids`` that exist and are active."""
    ids = sorted(set(person_ids))
    found: set[str] = set()
    for i in range(0, len(ids), _CHUNK):
        found.update(session.scalars(
            select(Person.id).where(Person.id.in_(ids[i:i + _CHUNK]), Person.active.is_(True))
        ))
    return found


# --------------------------------------------------------------------------- import


class DbExisting:
    """:class:`modules.directory.importer.Existing` over the database."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def bodies_with_ancestors(self, ids: set[str]) -> dict[str, ExistingBody]:
        out: dict[str, ExistingBody] = {}
        todo = set(ids)
        while todo:
            batch = sorted(todo)
            todo = set()
            for i in range(0, len(batch), _CHUNK):
                for b in self.session.scalars(select(Body).where(Body.id.in_(batch[i:i + _CHUNK]))):
                    out[b.id] = ExistingBody(b.id, b.parent_id, b.name, b.tier, b.kind, b.region_id)
                    if b.parent_id and b.parent_id not in out:
                        todo.add(b.parent_id)
            todo -= set(out)
        return out

    def existing_people(self, ids: set[str]) -> set[str]:
        found: set[str] = set()
        batch = sorted(ids)
        for i in range(0, len(batch), _CHUNK):
            found.update(self.session.scalars(select(Person.id).where(Person.id.in_(batch[i:i + _CHUNK]))))
        return found

    def login_owners(self, logins: set[str]) -> dict[str, str]:
        out: dict[str, str] = {}
        batch = sorted(logins)
        for i in range(0, len(batch), _CHUNK):
            for login, pid in self.session.execute(
                select(Account.login, Account.person_id).where(Account.login.in_(batch[i:i + _CHUNK]))
            ):
                out[login] = pid
        return out


def apply_import(
    session: Session,
    plan: ImportPlan,
    *,
    valid_rows: bool = False,
    default_password: str | None = None,
    password_hash: str | None = None,
) -> dict[str, int]:
    """Write a validated plan (upserts) and publish everything it touched.

    Raises ``ImportRejected`` when the plan has errors and ``valid_rows`` is false, and
    ``directory.import.password_needed`` when new accounts need a password. Accounts are
    created for people with a ``login`` and no account yet, all with the same initial
    password (hashed once). Runs in the caller's transaction: all or nothing. Bulk: the
    session's identity map is emptied on the way (callers must not hold ORM objects).
    """
    if plan.errors and not valid_rows:
        raise importer.ImportRejected(plan)
    check_import_duties(session, plan)
    new_logins = [p for p in plan.people if p.login]
    existing_accounts: set[str] = set()
    ids = [p.id for p in new_logins]
    for i in range(0, len(ids), _CHUNK):
        existing_accounts.update(
            session.scalars(select(Account.person_id).where(Account.person_id.in_(ids[i:i + _CHUNK])))
        )
    need_accounts = [p for p in new_logins if p.id not in existing_accounts]
    if need_accounts and not (default_password or password_hash):
        raise ValidationFailed("directory.import.password_needed", count=len(need_accounts))
    if need_accounts and password_hash is None:
        assert default_password is not None
        check_policy(default_password)
        password_hash = hash_password(default_password)

    # Bodies: new ones first, parents before children (the plan's order), then the
    # updates of stored ones, so every foreign key points at a row that exists.
    stored = _load_by_id(session, Body, [b.id for b in plan.bodies])
    moved: list[Body] = []
    new_rows = [r for r in plan.bodies if r.id not in stored]
    for row in new_rows:
        body = Body(id=row.id, active=True)
        _fill_body(body, row)
        session.add(body)
    session.flush()
    for row in plan.bodies:
        known = stored.get(row.id)
        if known is None:
            continue
        if known.parent_id != row.parent_id:
            moved.append(known)
        _fill_body(known, row)
    session.flush()
    touched_bodies = {b.id for b in plan.bodies}
    for body in moved:
        touched_bodies |= _recompute_regions(session, body)

    # People.
    people = _load_by_id(session, Person, [p.id for p in plan.people])
    for person_row in plan.people:
        person = people.get(person_row.id)
        if person is None:
            person = Person(id=person_row.id, active=True)
            session.add(person)
            people[person_row.id] = person
        _set_name(person, person_row.name)
        person.phone = person_row.phone or ""
        person.email = person_row.email or ""
        person.active = True
    session.flush()
    now = utcnow()
    for account_row in need_accounts:
        session.add(
            Account(
                person_id=account_row.id, login=account_row.login, password_hash=password_hash,
                failed_logins=0, disabled=False, password_changed_at=now,
            )
        )
    session.flush()

    # Posts. A person given a primary post in the file loses any other primary post
    # (cleared first; the file's rows set their own flags below).
    session.flush()
    session.expunge_all()
    primary_people = sorted({p.person_id for p in plan.posts if p.is_primary})
    for i in range(0, len(primary_people), _CHUNK):
        session.execute(
            update(Post)
            .where(Post.person_id.in_(primary_people[i:i + _CHUNK]), Post.is_primary.is_(True))
            .values(is_primary=False),
            execution_options={"synchronize_session": False},
        )
    posts = _load_by_id(session, Post, [p.id for p in plan.posts])
    for post_row in plan.posts:
        post = posts.get(post_row.id)
        if post is None:
            post = Post(id=post_row.id)
            session.add(post)
        post.person_id = post_row.person_id
        post.body_id = post_row.body_id
        post.title = post_row.title
        post.roles = list(post_row.roles)
        post.is_primary = post_row.is_primary
        post.sort_order = post_row.sort_order
    session.flush()
    post_people = {p.person_id for p in plan.posts}
    _ensure_primary_many(session, post_people - set(primary_people))

    # Publish, in chunks with an emptied identity map (see publish_people).
    session.flush()
    session.expunge_all()
    body_ids = sorted(touched_bodies)
    for i in range(0, len(body_ids), _BULK_CHUNK):
        record_changes(session, [
            _body_change(b) for b in _load_by_id(session, Body, body_ids[i:i + _BULK_CHUNK]).values()
        ])
        session.flush()
        session.expunge_all()
    affected_people = {p.id for p in plan.people} | post_people
    if moved:
        moved_ids = sorted(touched_bodies)
        for i in range(0, len(moved_ids), _CHUNK):
            affected_people.update(
                session.scalars(select(Post.person_id).where(Post.body_id.in_(moved_ids[i:i + _CHUNK])))
            )
    publish_people(session, affected_people, bulk=True)
    return {
        "bodies": len(plan.bodies),
        "people": len(plan.people),
        "posts": len(plan.posts),
        "accounts": len(need_accounts),
        "errors": len(plan.errors),
        "skipped": len(plan.skipped),
    }


def _fill_body(body: Body, row: importer.BodyRow) -> None:
    body.parent_id = row.parent_id
    body.name = row.name
    body.short_name = row.short_name or ""
    body.code = row.code
    body.tier = row.tier
    body.kind = row.kind
    body.sort_order = row.sort_order
    body.region_id = row.region_id or row.id
    body.active = True


def _load_by_id(session: Session, model: type[M], ids: Sequence[str]) -> dict[str, M]:
    out: dict[str, M] = {}
    for i in range(0, len(ids), _CHUNK):
        for row in session.scalars(select(model).where(model.id.in_(list(ids[i:i + _CHUNK])))):
            out[row.id] = row
    return out
