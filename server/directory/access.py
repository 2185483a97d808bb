"""The directory access policy (``modules.directory.policy``) applied to stored data.

Routes and intents call these helpers; each loads the plain tree the pure rules need
(the named bodies, the actor's admin bodies and all their ancestors) and raises the
policy's refusal (``PermissionDenied``, 403) when it says no.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from modules.common.errors import PermissionDenied
from modules.directory import policy, rules
from modules.directory.importer import ImportPlan
from server import batch_reads
from server.auth.principal import Principal
from server.directory import storage
from server.directory.models import Post

_CHUNK = 500


def actor_of(principal: Principal) -> policy.Actor:
    return policy.Actor(
        principal.person_id,
        tuple(policy.ActorPost(p.body_id, frozenset(p.roles)) for p in principal.posts),
    )


def load_tree(session: Session, body_ids: Iterable[str | None]) -> dict[str, policy.Node]:
    """``body_ids`` and every ancestor of them: one query (per chunk of ids) whatever the
    depth. Within a push batch that keeps its reads, bodies it has read already are not
    read again."""
    tree: dict[str, policy.Node] = {}
    todo = sorted({b for b in body_ids if b})
    if batch_reads.active(session) is not None:  # bodies the batch has read already
        asked: set[str] = set()
        wanted = set(todo)
        while wanted:  # the batch's bodies, then the rest with their ancestors at once
            asked |= wanted
            for body in storage.bodies_by_id(session, wanted, ancestors=True).values():
                tree[body.id] = policy.Node(body.id, body.parent_id, body.kind, body.name)
            wanted = {n.parent_id for n in tree.values()
                      if n.parent_id and n.parent_id not in tree} - asked
        return tree
    for body_id, parent_id, kind, name in storage.tree_rows(session, todo):
        tree[body_id] = policy.Node(body_id, parent_id, kind, name)
    return tree


def _admin_bodies(principal: Principal, role: str = policy.ADMIN_ROLE) -> set[str]:
    return {p.body_id for p in principal.posts if role in p.roles}


def is_security_admin(principal: Principal) -> bool:
    """Holds a ``security_admin`` post anywhere."""
    return actor_of(principal).is_security_admin


def require_security(session: Session, principal: Principal, body_ids: Iterable[str]) -> None:
    """Be a ``security_admin`` whose scope holds every body named (the privileged-role
    rule in ``modules.directory.policy``)."""
    ids = set(body_ids)
    tree = load_tree(session, ids | _admin_bodies(principal, policy.SECURITY_ROLE))
    scope = policy.Scope(actor_of(principal), tree, policy.SECURITY_ROLE)
    scope.bodies({b for b in ids if b in tree}).require(tree)


def require_role_change(
    session: Session, principal: Principal, body_ids: Iterable[str],
    before: Iterable[str], after: Iterable[str], moved: bool = False,
) -> None:
    """A change of a post's roles from ``before`` to ``after`` (in ``body_ids``) that
    touches a privileged role needs a security_admin of those bodies; a system
    administrator is refused with ``directory.roles_need_security_admin``."""
    before, after = list(before), list(after)
    if not policy.role_change(before, after, moved):
        return
    if not is_security_admin(principal):
        raise policy.privileged_refusal(set(before) | set(after))
    require_security(session, principal, body_ids)


def holds_privileged(session: Session, person_id: str) -> bool:
    """Whether any post of the person carries a privileged role."""
    return bool(policy.privileged(
        r for roles in session.scalars(select(Post.roles).where(Post.person_id == person_id)) for r in roles or ()
    ))


def _privileged_refusal(code: str, special: Iterable[str]) -> PermissionDenied:
    codes = sorted(special)
    return PermissionDenied(
        code,
        roles="、".join(rules.ROLE_LABELS[c] for c in codes),
        roles_en=", ".join(rules.ROLE_LABELS_EN[c] for c in codes),
    )


def require_not_privileged(session: Session, person_id: str) -> None:
    """A system administrator deactivates (or re-activates) only people without a
    privileged role: the security administrator withdraws the role first
    (``directory.person_is_privileged``, 403), so one duty cannot switch another off."""
    special = policy.privileged(
        r for roles in session.scalars(select(Post.roles).where(Post.person_id == person_id)) for r in roles or ()
    )
    if special:
        raise _privileged_refusal("directory.person_is_privileged", special)


def require_account_change(session: Session, principal: Principal, person_id: str) -> None:
    """Setting the account (password) of a person holding a privileged role is the
    security_admin's, over every body of their posts; ordinary people: the caller has
    already been checked as their system administrator."""
    held = list(session.execute(select(Post.body_id, Post.roles).where(Post.person_id == person_id)))
    special = policy.privileged(r for _, roles in held for r in (roles or ()))
    if not special:
        return
    if not is_security_admin(principal):
        raise _privileged_refusal("directory.account_needs_security_admin", special)
    require_security(session, principal, {b for b, _ in held})


def require_admin(principal: Principal) -> None:
    """Any admin post at all (checked before reading anything else)."""
    policy.administers_bodies(actor_of(principal), {}, []).require()


def require_bodies(session: Session, principal: Principal, body_ids: Iterable[str | None]) -> None:
    """Administer every body named (``None``: a new top-level body)."""
    ids = set(body_ids)
    tree = load_tree(session, (ids - {None}) | _admin_bodies(principal))
    known = {b for b in ids if b is None or b in tree}  # an unknown body is storage's 404
    policy.administers_bodies(actor_of(principal), tree, known).require(tree)


def require_new_person(session: Session, principal: Principal, post_bodies: Iterable[str]) -> None:
    """Create a person with posts in ``post_bodies`` (none: a top-level admin only)."""
    bodies = set(post_bodies)
    tree = load_tree(session, bodies | _admin_bodies(principal))
    actor = actor_of(principal)
    if not bodies:
        policy.administers_person(actor, tree, bodies).require(tree)
    else:  # an unknown body is storage's 404
        policy.administers_bodies(actor, tree, {b for b in bodies if b in tree}).require(tree)


def post_bodies(session: Session, person_ids: Iterable[str]) -> dict[str, set[str]]:
    """person id -> the bodies of their stored posts (every asked id present)."""
    ids = sorted(set(person_ids))
    if batch_reads.active(session) is not None:  # posts the batch has read already
        return {p: {post.body_id for post in posts}
                for p, posts in storage.posts_by_person(session, ids).items()}
    out: dict[str, set[str]] = {p: set() for p in ids}
    for i in range(0, len(ids), _CHUNK):
        for person_id, body_id in session.execute(
            select(Post.person_id, Post.body_id).where(Post.person_id.in_(ids[i:i + _CHUNK]))
        ):
            out[person_id].add(body_id)
    return out


def require_people(
    session: Session, principal: Principal, person_ids: Iterable[str], extra_bodies: Iterable[str] = ()
) -> None:
    """Administer every person named (all the bodies of their posts) and ``extra_bodies``."""
    held = post_bodies(session, person_ids)
    extra = set(extra_bodies)
    tree = load_tree(session, set().union(*held.values(), extra, _admin_bodies(principal)))
    scope = policy.Scope(actor_of(principal), tree)
    for bodies in held.values():
        scope.person(bodies).require(tree)
    scope.bodies({b for b in extra if b in tree}).require(tree)


def person_facts(
    session: Session, principal: Principal, person_id: str
) -> tuple[set[str], dict[str, policy.Node]]:
    """What a decision on one person needs: the bodies of their posts, and the tree of
    those and the actor's admin bodies (``directory.update_contact``)."""
    bodies = post_bodies(session, [person_id])[person_id]
    return bodies, load_tree(session, bodies | _admin_bodies(principal))


def require_import(session: Session, principal: Principal, plan: ImportPlan) -> None:
    """An import touches only what the actor administers.

    Checked: every stored body the file rewrites (where it is now) and, for a new body or
    a moved one, its new parent unless that parent is itself a row of the file (checked
    in turn) — no parent means a new top-level body; no post row may grant, change or move
    a privileged role (``policy.role_change``); every body a post row names and the
    stored body of a post row that exists; every person the file names, as a person
    (all their stored posts), or, for a person without stored posts and without post
    rows, as a person without posts. A person with no stored posts whose post rows are
    all allowed is allowed.
    """
    in_plan = {b.id for b in plan.bodies}
    post_ids = sorted({p.id for p in plan.posts})
    stored_posts: dict[str, tuple[str, str]] = {}
    stored_roles: dict[str, list[str]] = {}
    for i in range(0, len(post_ids), _CHUNK):
        for post_id, person_id, body_id, roles in session.execute(
            select(Post.id, Post.person_id, Post.body_id, Post.roles).where(Post.id.in_(post_ids[i:i + _CHUNK]))
        ):
            stored_posts[post_id] = (person_id, body_id)
            stored_roles[post_id] = list(roles or ())
    people = {p.id for p in plan.people} | {p.person_id for p in plan.posts}
    people |= {person for person, _ in stored_posts.values()}
    held = post_bodies(session, people)
    planned_post_bodies = {p.body_id for p in plan.posts}
    named = in_plan | {b.parent_id for b in plan.bodies if b.parent_id} | planned_post_bodies
    named |= {body for _, body in stored_posts.values()}
    tree = load_tree(session, named | set().union(*held.values()) | _admin_bodies(principal))
    scope = policy.Scope(actor_of(principal), tree)

    targets: set[str | None] = set()
    for row in plan.bodies:
        stored = tree.get(row.id)
        if stored is not None:
            targets.add(row.id)
            if stored.parent_id == row.parent_id:
                continue
        if row.parent_id not in in_plan:
            targets.add(row.parent_id or None)
    targets |= {b for b in planned_post_bodies if b in tree or b in in_plan} - in_plan
    targets |= {body for _, body in stored_posts.values()}
    scope.bodies(targets).require(tree)

    with_post_rows = {p.person_id for p in plan.posts}
    for person_id, bodies in sorted(held.items()):
        if bodies or person_id not in with_post_rows:
            scope.person(bodies).require(tree)

    # 三员分立: an import is the system administrator's; it may not grant, change or move
    # a privileged role (those are the security administrator's, one post at a time).
    for post_row in plan.posts:
        before = stored_roles.get(post_row.id, [])
        moved = post_row.id in stored_posts and stored_posts[post_row.id][1] != post_row.body_id
        if policy.role_change(before, post_row.roles, moved):
            raise policy.privileged_refusal([*before, *post_row.roles])
