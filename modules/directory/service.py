"""Client-side address book (通讯录): local search tables and queries over the cache.

Projections keep four tables in the local cache in step with the displayed
``directory.body`` and ``directory.person`` records (same transaction as the record):

``dir_body``        bodies and departments with pinyin/initials of their names
``dir_person``      people with pinyin/initials and their primary post
``dir_post``        every post (person, body, title, roles) — "people of a body"
``dir_person_key``  prefix keys for pinyin search (see :func:`modules.directory.pinyin.search_keys`)

Queries are SQL on indexed columns: a search reads index ranges (``key >= q AND key <
q + U+FFFF``), never all people in Python; "contains" matches are the only scans. All
functions block on the database — call them off the GUI thread
(``office_app.tasks.run_in_background``).

Intent: ``directory.update_contact`` ``{phone?, email?}`` changes the signed-in user's own
phone / e-mail; :func:`update_my_contact` validates and submits it, and the applier
below shows the change at once (offline too) with the intent's one effect, defined in
``modules.directory.intents``.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy import (
    Boolean,
    Column,
    Index,
    Integer,
    String,
    Table,
    and_,
    case,
    false,
    func,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from modules.directory import intents as I
from modules.directory import pinyin, rules
from sync.cache import Projection, projection_metadata, register_projection
from sync.local import LocalTx, applier

BODY = "directory.body"
PERSON = "directory.person"
UPDATE_CONTACT = I.UPDATE_CONTACT.name
_TOP = "\uffff"

# --------------------------------------------------------------------------- tables

dir_body = Table(
    "dir_body",
    projection_metadata,
    Column("id", String, primary_key=True),
    Column("parent_id", String, index=True),
    Column("name", String, nullable=False),
    Column("short_name", String, nullable=False, default=""),
    Column("code", String),
    Column("tier", String, nullable=False),
    Column("kind", String, nullable=False),
    Column("region_id", String),
    Column("sort_order", Integer, nullable=False, default=0),
    Column("pinyin", String, nullable=False, index=True),
    Column("initials", String, nullable=False, index=True),
)

dir_person = Table(
    "dir_person",
    projection_metadata,
    Column("id", String, primary_key=True),
    Column("name", String, nullable=False, index=True),
    Column("name_len", Integer, nullable=False),
    Column("pinyin", String, nullable=False, index=True),
    Column("initials", String, nullable=False),
    Column("phone", String, nullable=False, default=""),
    Column("email", String, nullable=False, default=""),
    Column("title", String, nullable=False, default=""),
    Column("body_id", String),
    Column("body_name", String, nullable=False, default=""),
    Column("org_name", String, nullable=False, default=""),
)

dir_post = Table(
    "dir_post",
    projection_metadata,
    Column("id", String, primary_key=True),
    Column("person_id", String, nullable=False, index=True),
    Column("body_id", String, nullable=False),
    Column("title", String, nullable=False, default=""),
    Column("roles", String, nullable=False, default="[]"),
    Column("is_primary", Boolean, nullable=False, default=False),
    Column("sort_order", Integer, nullable=False, default=0),
    Index("ix_dir_post_body_order", "body_id", "sort_order"),
)

#: kind: "f" full pinyin of a reading, "i" initials of a reading, "p" mixed prefix key.
dir_person_key = Table(
    "dir_person_key",
    projection_metadata,
    Column("key", String, primary_key=True),
    Column("person_id", String, primary_key=True, index=True),
    Column("kind", String(1), nullable=False),
)


# --------------------------------------------------------------------------- projections


# The projections run for every record of a pull (100 000+ on a first sync of a city), so
# they use the DB-API cursor of the transaction's connection directly: building
# SQLAlchemy statements per record costs more than executing them.
_BODY_DELETE = "DELETE FROM dir_body WHERE id = ?"
_BODY_INSERT = (
    "INSERT INTO dir_body (id, parent_id, name, short_name, code, tier, kind, region_id,"
    " sort_order, pinyin, initials) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_PERSON_DELETES = (
    "DELETE FROM dir_person WHERE id = ?",
    "DELETE FROM dir_post WHERE person_id = ?",
    "DELETE FROM dir_person_key WHERE person_id = ?",
)
_PERSON_INSERT = (
    "INSERT INTO dir_person (id, name, name_len, pinyin, initials, phone, email, title,"
    " body_id, body_name, org_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_POST_INSERT = (
    "INSERT INTO dir_post (id, person_id, body_id, title, roles, is_primary, sort_order)"
    " VALUES (?, ?, ?, ?, ?, ?, ?)"
)
_KEY_INSERT = "INSERT OR IGNORE INTO dir_person_key (key, person_id, kind) VALUES (?, ?, ?)"


def _cursor(session: Session) -> Any:
    """A DB-API cursor on the session's connection (same transaction)."""
    return session.connection().connection.dbapi_connection.cursor()  # type: ignore[union-attr]


def _apply_body(session: Session, body_id: str, data: dict[str, Any] | None) -> None:
    cur = _cursor(session)
    cur.execute(_BODY_DELETE, (body_id,))
    if data is None or not data.get("active", True):
        return
    name = str(data.get("name") or "")
    cur.execute(
        _BODY_INSERT,
        (
            body_id,
            data.get("parent_id"),
            name,
            data.get("short_name") or "",
            data.get("code"),
            data.get("tier") or "",
            data.get("kind") or "body",
            data.get("region_id"),
            int(data.get("sort_order") or 0),
            pinyin.full_pinyin(name),
            pinyin.initials(name),
        ),
    )


def person_keys(name: str) -> list[tuple[str, str]]:
    """(key, kind) rows of ``dir_person_key`` for a name."""
    full = set(pinyin.full_keys(name))
    ini = set(pinyin.initials_keys(name))
    out: list[tuple[str, str]] = []
    for key in pinyin.search_keys(name):
        kind = "f" if key in full else "i" if key in ini else "p"
        out.append((key, kind))
    return out


def _apply_person(session: Session, person_id: str, data: dict[str, Any] | None) -> None:
    cur = _cursor(session)
    for sql in _PERSON_DELETES:
        cur.execute(sql, (person_id,))
    if data is None or not data.get("active", True):
        return
    name = str(data.get("name") or "")
    posts = list(data.get("posts") or [])
    primary = next((p for p in posts if p.get("is_primary")), posts[0] if posts else {})
    cur.execute(
        _PERSON_INSERT,
        (
            person_id,
            name,
            len(name),
            data.get("pinyin") or pinyin.full_pinyin(name),
            data.get("initials") or pinyin.initials(name),
            data.get("phone") or "",
            data.get("email") or "",
            primary.get("title") or "",
            primary.get("body_id"),
            primary.get("body_name") or "",
            primary.get("org_name") or "",
        ),
    )
    if posts:
        cur.executemany(
            _POST_INSERT,
            [
                (
                    p.get("id") or f"{person_id}:{i}",
                    person_id,
                    p.get("body_id") or "",
                    p.get("title") or "",
                    json.dumps(list(p.get("roles") or []), ensure_ascii=False),
                    1 if p.get("is_primary") else 0,
                    int(p.get("sort_order") or 0),
                )
                for i, p in enumerate(posts)
            ],
        )
    keys = person_keys(name)
    if keys:
        cur.executemany(_KEY_INSERT, [(k, person_id, kind) for k, kind in keys])


register_projection(Projection(BODY, [dir_body], _apply_body))
register_projection(Projection(PERSON, [dir_person, dir_post, dir_person_key], _apply_person))


# --------------------------------------------------------------------------- intent


#: The normalisation of ``directory.update_contact`` (``modules.directory.intents``).
contact_args = I.contact_args


@applier(I.UPDATE_CONTACT)
def _apply_update_contact(tx: LocalTx, args: dict[str, Any]) -> None:
    """Show the new phone / e-mail on the record at once (the user's own by default)."""
    parsed = I.UPDATE_CONTACT.parse(args)
    person_id = I.target_of(parsed, str(tx.principal.get("person_id") or ""))
    record = tx.get(PERSON, person_id)
    if record is None:
        return
    tx.put(PERSON, person_id, I.update_contact(record, parsed))


class _Submitter(Protocol):
    def submit(self, name: str, args: dict[str, Any]) -> str: ...


def update_my_contact(engine: _Submitter, *, phone: Any = ..., email: Any = ...) -> str:
    """Queue ``directory.update_contact`` on a ``SyncEngine`` (off the GUI thread).

    Bad input raises ``DirectoryInvalid`` before anything is queued. Returns the
    mutation id.
    """
    return engine.submit(UPDATE_CONTACT, I.contact_args(phone, email))


# --------------------------------------------------------------------------- queries


@dataclass
class BodyNode:
    """One node of the organisation tree (机关 or 内设机构)."""

    id: str
    name: str
    short_name: str
    kind: str
    tier: str
    code: str | None
    children: list[BodyNode] = field(default_factory=list)


class _Cache(Protocol):
    def read(self) -> Any: ...

    def get(self, entity: str, id: str) -> dict[str, Any] | None: ...


def _body_row(r: Any) -> dict[str, Any]:
    return {
        "id": r.id,
        "parent_id": r.parent_id,
        "name": r.name,
        "short_name": r.short_name,
        "code": r.code,
        "tier": r.tier,
        "kind": r.kind,
        "region_id": r.region_id,
        "sort_order": r.sort_order,
    }


class DirectoryQueries:
    """Address-book queries over a ``sync.cache.LocalCache`` (blocking; not on the GUI thread).

    Implements the interface the address-book views use (``bodies``, ``people_in``,
    ``search``, ``person``) plus ``tree``, ``children``, ``search_bodies``,
    ``body_path`` and ``holders``.
    """

    def __init__(self, cache: _Cache) -> None:
        self.cache = cache

    # -- bodies -------------------------------------------------------------------

    def bodies(self) -> list[dict[str, Any]]:
        """Every visible body and department, in display order (sort order, pinyin)."""
        with self.cache.read() as s:
            rows = s.execute(
                select(dir_body).order_by(dir_body.c.sort_order, dir_body.c.pinyin, dir_body.c.id)
            ).all()
        return [_body_row(r) for r in rows]

    def children(self, parent_id: str | None) -> list[dict[str, Any]]:
        """Direct sub-units of ``parent_id`` (``None``: the roots of what this user sees).

        A root is a body whose parent is not in the local cache.
        """
        with self.cache.read() as s:
            if parent_id is None:
                parent = dir_body.alias("parent")
                stmt = (
                    select(dir_body)
                    .outerjoin(parent, parent.c.id == dir_body.c.parent_id)
                    .where(parent.c.id.is_(None))
                )
            else:
                stmt = select(dir_body).where(dir_body.c.parent_id == parent_id)
            rows = s.execute(
                stmt.order_by(dir_body.c.sort_order, dir_body.c.pinyin, dir_body.c.id)
            ).all()
        return [_body_row(r) for r in rows]

    def tree(self) -> list[BodyNode]:
        """The whole visible organisation as a forest (roots first, children in order)."""
        rows = self.bodies()
        nodes = {
            r["id"]: BodyNode(r["id"], r["name"], r["short_name"], r["kind"], r["tier"], r["code"])
            for r in rows
        }
        roots: list[BodyNode] = []
        for r in rows:
            parent = nodes.get(r["parent_id"] or "")
            (parent.children if parent is not None else roots).append(nodes[r["id"]])
        return roots

    def body_path(self, body_id: str) -> list[dict[str, Any]]:
        """Ancestors of ``body_id`` from the top down to the body itself (as far as known)."""
        out: list[dict[str, Any]] = []
        seen: set[str] = set()
        with self.cache.read() as s:
            current: str | None = body_id
            while current and current not in seen:
                seen.add(current)
                row = s.execute(select(dir_body).where(dir_body.c.id == current)).first()
                if row is None:
                    break
                out.append(_body_row(row))
                current = row.parent_id
        return list(reversed(out))

    def search_bodies(self, text: str, limit: int = 30) -> list[dict[str, Any]]:
        """Bodies by name (contains), full pinyin or initials (prefix), best first."""
        q = pinyin.normalize_query(text)
        if not q:
            return []
        with self.cache.read() as s:
            if pinyin.is_latin_query(q):
                rank = case(
                    (dir_body.c.initials == q, 0),
                    (and_(dir_body.c.pinyin >= q, dir_body.c.pinyin < q + _TOP), 1),
                    (and_(dir_body.c.initials >= q, dir_body.c.initials < q + _TOP), 2),
                    else_=3,
                )
                cond = or_(
                    and_(dir_body.c.pinyin >= q, dir_body.c.pinyin < q + _TOP),
                    and_(dir_body.c.initials >= q, dir_body.c.initials < q + _TOP),
                    dir_body.c.pinyin.contains(q, autoescape=True) if len(q) >= 2 else false(),
                )
            else:
                rank = case(
                    (dir_body.c.name == q, 0),
                    (or_(dir_body.c.short_name == q,
                         and_(dir_body.c.name >= q, dir_body.c.name < q + _TOP)), 1),
                    else_=2,
                )
                cond = or_(
                    dir_body.c.name.contains(q, autoescape=True),
                    dir_body.c.short_name.contains(q, autoescape=True),
                )
            rows = s.execute(
                select(dir_body, rank.label("rank"))
                .where(cond)
                .order_by("rank", func.length(dir_body.c.name), dir_body.c.pinyin)
                .limit(limit)
            ).all()
        return [{**_body_row(r), "rank": r.rank} for r in rows]

    # -- people -------------------------------------------------------------------

    def people_in(self, body_id: str) -> list[dict[str, Any]]:
        """People holding a post directly in ``body_id``, in post order (then pinyin)."""
        with self.cache.read() as s:
            rows = s.execute(
                select(dir_person, dir_post.c.title.label("post_title"),
                       dir_post.c.roles, dir_post.c.is_primary, dir_post.c.id.label("post_id"))
                .join(dir_post, dir_post.c.person_id == dir_person.c.id)
                .where(dir_post.c.body_id == body_id)
                .order_by(dir_post.c.sort_order, dir_person.c.pinyin, dir_person.c.id)
            ).all()
        out: list[dict[str, Any]] = []
        seen: set[str] = set()
        for r in rows:
            if r.id in seen:
                continue
            seen.add(r.id)
            out.append({
                "id": r.id, "name": r.name, "pinyin": r.pinyin, "phone": r.phone,
                "email": r.email, "title": r.post_title, "roles": json.loads(r.roles),
                "post_id": r.post_id, "is_primary_post": bool(r.is_primary),
            })
        return out

    def holders(self, body_id: str, role: str) -> list[dict[str, Any]]:
        """People in ``body_id`` whose post there carries ``role`` (e.g. registry_clerk)."""
        return [p for p in self.people_in(body_id) if role in p["roles"]]

    def search(self, text: str, limit: int = 50) -> list[dict[str, Any]]:
        """People by name, full pinyin, initials or a mix ("zhangw"), best first.

        Order (see :class:`modules.directory.pinyin.Rank`): exact name, name prefix, whole
        pinyin, pinyin prefix, initials, contains; within a rank a query equal to a whole
        key first, then shorter names, then pinyin. Each hit: id, name, title, body_name,
        org_name, phone, email, rank.
        """
        q = pinyin.normalize_query(text)
        if not q:
            return []
        person, key = dir_person, dir_person_key
        hi = q + _TOP
        parts: list[Any] = []  # index range reads
        scans: list[Any] = []  # "contains" matches: only run when the ranges are not enough
        if pinyin.is_latin_query(q):
            parts.append(select(key.c.person_id.label("pid"), literal(2 * pinyin.Rank.PINYIN_EXACT).label("score"))
                         .where(key.c.key == q, key.c.kind == "f"))
            parts.append(select(key.c.person_id.label("pid"),
                                (literal(2 * pinyin.Rank.PINYIN_PREFIX) + case((key.c.key == q, 0), else_=1)).label("score"))
                         .where(key.c.key >= q, key.c.key < hi, key.c.kind.in_(("f", "p"))))
            parts.append(select(key.c.person_id.label("pid"),
                                (literal(2 * pinyin.Rank.INITIALS) + case((key.c.key == q, 0), else_=1)).label("score"))
                         .where(key.c.key >= q, key.c.key < hi, key.c.kind == "i"))
            if len(q) >= 2:
                scans.append(select(person.c.id.label("pid"), literal(2 * pinyin.Rank.CONTAINS + 1).label("score"))
                             .where(person.c.pinyin.contains(q, autoescape=True)))
        else:
            parts.append(select(person.c.id.label("pid"), literal(2 * pinyin.Rank.EXACT).label("score"))
                         .where(person.c.name == q))
            parts.append(select(person.c.id.label("pid"), literal(2 * pinyin.Rank.NAME_PREFIX + 1).label("score"))
                         .where(person.c.name >= q, person.c.name < hi))
            scans.append(select(person.c.id.label("pid"), literal(2 * pinyin.Rank.CONTAINS + 1).label("score"))
                         .where(person.c.name.contains(q, autoescape=True)))

        def ranked(selects: list[Any]) -> Any:
            hits = union_all(*selects).subquery("hits")
            best = (
                select(hits.c.pid, func.min(hits.c.score).label("score"))
                .group_by(hits.c.pid)
                .subquery("best")
            )
            return (
                select(person, best.c.score)
                .join(best, best.c.pid == person.c.id)
                .order_by(best.c.score, person.c.name_len, person.c.pinyin, person.c.name, person.c.id)
                .limit(limit)
            )

        with self.cache.read() as s:
            rows = s.execute(ranked(parts)).all()
            if len(rows) < limit and scans:
                rows = s.execute(ranked(parts + scans)).all()
        return [
            {
                "id": r.id, "name": r.name, "pinyin": r.pinyin, "initials": r.initials,
                "title": r.title, "body_id": r.body_id, "body_name": r.body_name,
                "org_name": r.org_name, "phone": r.phone, "email": r.email,
                "rank": int(r.score) // 2,
            }
            for r in rows
        ]

    def person(self, person_id: str) -> dict[str, Any] | None:
        """One person as shown (pending own-contact edits included), posts with names."""
        record = self.cache.get(PERSON, person_id)
        if record is None or not record.get("active", True):
            return None
        posts = []
        for p in record.get("posts") or []:
            org = p.get("org_name") or ""
            body = p.get("body_name") or ""
            shown = body if not org or org == body else f"{org} · {body}"
            posts.append({**p, "body_name": shown, "unit_name": body})
        return {**record, "posts": posts}

    def count_people(self) -> int:
        with self.cache.read() as s:
            return int(s.scalar(select(func.count()).select_from(dir_person)) or 0)


def queries_for(cache: _Cache) -> DirectoryQueries:
    """The address-book queries for a cache (used by the address-book views).

    Makes sure the search tables exist and are filled, also when the cache was opened
    before this module registered its projections (blocking; off the GUI thread).
    """
    ensure = getattr(cache, "ensure_projections", None)
    if callable(ensure):
        ensure()
    return DirectoryQueries(cache)


def role_labels(roles: Iterable[str], lang: str = "zh_CN") -> str:
    """"领导、秘书" for display."""
    sep = ", " if lang == "en" else "、"
    return sep.join(rules.role_label(r, lang) for r in roles)


# --------------------------------------------------------------------------- address-book reads
# What the address book and the shell read (``AppContext.directory()``): the interface,
# a fallback over plain ``cache.list`` / ``cache.get``, and the choice between the two.


class DirectoryReads(Protocol):
    """What the address book needs from the local cache. All calls block; call them off
    the GUI thread. Records are plain dicts."""

    def bodies(self) -> list[dict[str, Any]]:
        """Every visible body/department: id, parent_id, name, short_name, kind,
        sort_order."""
        ...

    def people_in(self, body_id: str) -> list[dict[str, Any]]:
        """People holding a post directly in ``body_id``: id, name, title (职务),
        in post order."""
        ...

    def search(self, text: str, limit: int = 50) -> list[dict[str, Any]]:
        """People matching ``text`` by name, pinyin or initials, best first: id, name,
        title, body_name."""
        ...

    def person(self, person_id: str) -> dict[str, Any] | None:
        """One person: id, name, phone, email, posts [{title, body_id, body_name}]."""
        ...


class CacheDirectoryQueries:
    """:class:`DirectoryReads` over ``cache.list`` / ``cache.get`` (linear scans with
    the pinyin ranking of :mod:`modules.directory.pinyin`).

    A fallback for caches without a database (``read``): :class:`DirectoryQueries` runs
    indexed SQL and is used when it can be (see :func:`directory_queries_for`). Person
    records carry their posts inline (``posts: [{body_id, body_name, org_name, title,
    is_primary, sort_order}]``).
    """

    def __init__(self, cache: Any) -> None:
        self._cache = cache

    def _list(self, entity: str) -> list[dict[str, Any]]:
        if self._cache is None:
            return []
        return [r for r in self._cache.list(entity) if r.get("active", True)]

    def bodies(self) -> list[dict[str, Any]]:
        return sorted(self._list(BODY), key=lambda b: (b.get("sort_order") or 0,
                                                       str(b.get("name", ""))))

    def people_in(self, body_id: str) -> list[dict[str, Any]]:
        rows: list[tuple[int, dict[str, Any]]] = []
        for person in self._list(PERSON):
            posts = [p for p in person.get("posts") or [] if p.get("body_id") == body_id]
            if posts:
                post = min(posts, key=lambda p: p.get("sort_order") or 0)
                rows.append((post.get("sort_order") or 0,
                             {**person, "title": post.get("title", "")}))
        rows.sort(key=lambda r: (r[0], str(r[1].get("pinyin", ""))))
        return [row for _order, row in rows]

    def search(self, text: str, limit: int = 50) -> list[dict[str, Any]]:
        hits = pinyin.rank_names(text, self._list(PERSON), lambda p: str(p.get("name", "")),
                                 limit=limit)
        rows = []
        for hit in hits:
            person = hit.item
            post = _primary_post(person)
            rows.append({**person, "title": post.get("title", ""),
                         "body_name": post.get("body_name", "")})
        return rows

    def person(self, person_id: str) -> dict[str, Any] | None:
        if self._cache is None:
            return None
        person = self._cache.get(PERSON, person_id)
        if person is None or not person.get("active", True):
            return None
        posts = sorted(person.get("posts") or [],
                       key=lambda p: (not p.get("is_primary"), p.get("sort_order") or 0))
        shown = []
        for post in posts:
            org, unit = post.get("org_name") or "", post.get("body_name") or ""
            name = unit if not org or org == unit else f"{org} · {unit}"
            shown.append({**post, "body_name": name})
        return {**person, "posts": shown}


def _primary_post(person: dict[str, Any]) -> dict[str, Any]:
    posts: list[dict[str, Any]] = list(person.get("posts") or [])
    for post in posts:
        if post.get("is_primary"):
            return post
    return posts[0] if posts else {}


class _ProjectedCache:
    """A local cache whose search tables are made sure of on the first read — on the
    thread that reads (a pool thread), not on the GUI thread that builds the queries."""

    def __init__(self, cache: Any) -> None:
        self._cache = cache
        self._ready = False
        self._lock = threading.Lock()

    def read(self) -> Any:
        if not self._ready:
            with self._lock:
                if not self._ready:
                    ensure = getattr(self._cache, "ensure_projections", None)
                    if callable(ensure):
                        ensure()
                    self._ready = True
        return self._cache.read()

    def get(self, entity: str, id: str) -> dict[str, Any] | None:
        found: dict[str, Any] | None = self._cache.get(entity, id)
        return found


def directory_queries_for(cache: Any) -> DirectoryReads:
    """The best reads for ``cache``: indexed SQL (:class:`DirectoryQueries`) when it is a
    local database, else :class:`CacheDirectoryQueries` (a bare or fake cache, or None).
    Does not block: call it on any thread (the search tables are checked on first use)."""
    if cache is not None and hasattr(cache, "read"):
        return DirectoryQueries(_ProjectedCache(cache))
    return CacheDirectoryQueries(cache)
