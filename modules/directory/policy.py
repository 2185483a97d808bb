"""Who may administer which part of the directory — pure rules, no Qt, HTTP or session.

The server decides every administrative route and intent with these functions
(``server/directory/routes.py``, ``server/directory/mutations.py``); the access matrix in
``tests/access/table_directory.csv`` states the expected answers.

Separated duties (三员分立)
--------------------------
Three administrator roles, never held by one person (``rules.exclusive_admin_roles``,
checked by storage on every path that gives a person a role):

- ``sys_admin`` (系统管理员) administers bodies, people, posts, accounts and settings —
  every route below, with the scope rule below.
- ``security_admin`` (安全保密管理员) assigns roles and permissions. The rule: a post's
  ordinary job roles (``rules.JOB_ROLES``: staff, registry_clerk, division_head, leader,
  secretary) are set by the sys_admin with the post; the *privileged* roles
  (``rules.PRIVILEGED_ROLES``: seal_custodian, sys_admin, security_admin, audit_admin) are
  granted, withdrawn or moved only by a security_admin whose scope (same rule as below,
  counted over their security_admin posts) holds the post's body — see
  :func:`role_change`. A security_admin may change the roles (any roles) of an existing
  post in scope (``PATCH /directory/posts/{id}`` with ``roles`` only) and nothing else
  here; a sys_admin's create/change/move/remove/import that would change a post's
  privileged roles is refused (``directory.roles_need_security_admin``), as is setting
  the account (password) of a person holding a privileged role (only a security_admin
  of that person may) and deactivating such a person (``directory.person_is_privileged``:
  the security_admin withdraws the role first), so one duty cannot take over or switch
  off another. The first security_admin is appointed
  at the console: ``python main.py admin appoint``.
- ``audit_admin`` (安全审计员) reads the audit trail and changes nothing.

Scope of an administrator
-------------------------
A ``sys_admin`` post in body B administers the *organ* (机关, ``kind == "body"``) B belongs
to — B itself when B is an organ, else B's nearest organ ancestor, since a department
(内设机构) is part of its organ, not a unit of its own — and every body below that organ
in the tree. Never a sibling, never a higher body. Several admin posts add up.

- A **body** is administered when one of the actor's scope roots is the body or one of
  its ancestors. A new top-level body (no parent) needs an admin of a top-level body.
- A **person** belongs to the bodies of their posts. Administering a person (read,
  change, deactivate, set the account, add a post) needs administering **every** body
  the person holds a post in: a city admin may not touch a province person, nor a
  person who also holds a province post. A person without posts is administered only
  by an admin of a top-level body (nobody below can tell where they belong).
- A **post** is administered with its body (and, when moved, the new body); adding a
  post needs the new body and the person.
- **Import** needs every body, post and person a file touches (see
  ``server.directory.routes._plan_targets``).
- **Own contact** (``directory.update_contact``): a person may change their own phone
  and e-mail; an administrator of the person (rule above) may change anyone's.

Answers: a refusal is ``PermissionDenied`` (HTTP 403) — ``permission.denied`` when the
actor holds no admin post at all, ``directory.not_admin_of`` when the target lies
outside their scope, ``directory.needs_top_admin`` for a top-level body or a person
without posts. Targets outside the scope still answer 403, not 404: bodies and people
are in everyone's address book, so hiding their existence would protect nothing; a
target that does not exist is 404.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from modules.common import messages
from modules.common.errors import PermissionDenied
from modules.directory import rules

ADMIN_ROLE = rules.SYS_ADMIN
SECURITY_ROLE = rules.SECURITY_ADMIN

messages.register(
    {
        "directory.not_admin_of": {
            "zh_CN": "您只能管理本机构及其下级机构的组织机构和人员，“{body}”不在您的管理范围内。",
            "en": "You may only manage your own body and the bodies below it; '{body}' is outside your scope.",
        },
        "directory.needs_top_admin": {
            "zh_CN": "只有最高一级机构的管理员可以新建顶级机构或管理没有岗位的人员。",
            "en": "Only an administrator of a top-level body may create a top-level body "
                  "or manage a person without posts.",
        },
        "directory.roles_need_security_admin": {
            "zh_CN": "三员分立：{roles}等特权角色只能由安全保密管理员授予、调整或收回，系统管理员只能设置一般岗位角色。",
            "en": "Separated duties: privileged roles ({roles_en}) are granted, changed or withdrawn only by "
                  "a security administrator; a system administrator sets ordinary job roles only.",
        },
        "directory.person_is_privileged": {
            "zh_CN": "三员分立：该人员持有特权角色（{roles}），须先由安全保密管理员收回该角色，才能停用或启用。",
            "en": "Separated duties: this person holds a privileged role ({roles_en}); a security administrator "
                  "must withdraw it before the person is deactivated or re-activated.",
        },
        "directory.account_needs_security_admin": {
            "zh_CN": "三员分立：持有特权角色（{roles}）人员的账号只能由安全保密管理员设置。",
            "en": "Separated duties: the account of a person holding a privileged role ({roles_en}) is set "
                  "only by a security administrator.",
        },
    }
)


@dataclass(frozen=True, slots=True)
class Node:
    """One body of the tree as plain data."""

    id: str
    parent_id: str | None
    kind: str = "body"
    name: str = ""


#: body id -> node; must hold every ancestor of the bodies a decision names.
Tree = Mapping[str, Node]


@dataclass(frozen=True, slots=True)
class ActorPost:
    body_id: str
    roles: frozenset[str]


@dataclass(frozen=True, slots=True)
class Actor:
    person_id: str
    posts: tuple[ActorPost, ...]

    @property
    def is_admin(self) -> bool:
        """Holds a ``sys_admin`` post (the retired ``admin`` counts)."""
        return self.holds(ADMIN_ROLE)

    @property
    def is_security_admin(self) -> bool:
        return self.holds(SECURITY_ROLE)

    def holds(self, role: str) -> bool:
        return any(_has(p.roles, role) for p in self.posts)


def _has(roles: frozenset[str] | Iterable[str], role: str) -> bool:
    """``role`` in ``roles``, the retired ``admin`` read as ``sys_admin``."""
    return role in roles or (role == rules.SYS_ADMIN and rules.RETIRED_ADMIN in roles)


def privileged(roles: Iterable[str]) -> frozenset[str]:
    """The privileged part of a post's roles (``rules.PRIVILEGED_ROLES``; ``admin`` read as
    ``sys_admin``)."""
    return frozenset(rules.normalise_roles(roles)) & rules.PRIVILEGED_ROLES


def role_change(before: Iterable[str], after: Iterable[str], moved: bool = False) -> bool:
    """Whether changing a post's roles from ``before`` to ``after`` (``moved``: to another
    body; a new post has ``before`` empty, a removed one ``after`` empty) touches a
    privileged role, i.e. needs a security_admin of the post's body(ies)."""
    old, new = privileged(before), privileged(after)
    return old != new or (moved and bool(old))


def privileged_refusal(roles: Iterable[str]) -> PermissionDenied:
    """``directory.roles_need_security_admin`` naming the privileged ``roles``."""
    codes = sorted(privileged(roles)) or sorted(rules.PRIVILEGED_ROLES)
    return PermissionDenied(
        "directory.roles_need_security_admin",
        roles="、".join(rules.ROLE_LABELS[c] for c in codes),
        roles_en=", ".join(rules.ROLE_LABELS_EN[c] for c in codes),
    )


@dataclass(frozen=True, slots=True)
class Decision:
    """``allowed`` plus a stable reason: ``admin_of``, ``self`` (allowed);
    ``not_admin``, ``outside_scope``, ``needs_top_admin`` (denied). ``body`` names the
    body that decided a refusal, when there is one."""

    allowed: bool
    reason: str
    body: str | None = None

    def require(self, tree: Tree | None = None) -> None:
        """Raise the refusal as ``PermissionDenied`` (403); nothing when allowed."""
        if self.allowed:
            return
        if self.reason == "not_admin":
            raise PermissionDenied("permission.denied", action="directory.admin")
        if self.reason == "needs_top_admin":
            raise PermissionDenied("directory.needs_top_admin")
        node = tree.get(self.body) if tree is not None and self.body else None
        raise PermissionDenied("directory.not_admin_of", body=(node.name if node and node.name else self.body))


ALLOW = Decision(True, "admin_of")


def ancestry(tree: Tree, body_id: str) -> list[str]:
    """``body_id`` and its ancestors, nearest first (stops at a body missing from the tree
    or at a repeated one, so a corrupt tree cannot loop)."""
    out: list[str] = []
    current: str | None = body_id
    while current is not None and current not in out:
        out.append(current)
        node = tree.get(current)
        current = node.parent_id if node is not None else None
    return out


def organ_of(tree: Tree, body_id: str) -> str:
    """The nearest organ (``kind == "body"``) at or above ``body_id`` (itself if none)."""
    for bid in ancestry(tree, body_id):
        node = tree.get(bid)
        if node is not None and node.kind == "body":
            return bid
    return body_id


def scope_roots(actor: Actor, tree: Tree, role: str = ADMIN_ROLE) -> frozenset[str]:
    """The organs whose subtrees ``actor`` administers as ``role`` (empty: not one)."""
    return frozenset(organ_of(tree, p.body_id) for p in actor.posts if _has(p.roles, role))


class Scope:
    """One actor's administration scope over ``tree``, answering many questions fast
    (a body's answer is remembered, so an import of a million rows stays linear)."""

    def __init__(self, actor: Actor, tree: Tree, role: str = ADMIN_ROLE) -> None:
        self.tree = tree
        self.roots = scope_roots(actor, tree, role)
        self.top = any(tree.get(r) is not None and tree[r].parent_id is None for r in self.roots)
        self._inside: dict[str, bool] = {}

    def _in_scope(self, body_id: str) -> bool:
        known = self._inside.get(body_id)
        if known is None:
            known = bool(self.roots.intersection(ancestry(self.tree, body_id)))
            self._inside[body_id] = known
        return known

    def body(self, body_id: str | None) -> Decision:
        """May the actor administer ``body_id`` (``None``: a new top-level body)?"""
        if not self.roots:
            return Decision(False, "not_admin")
        if body_id is None:
            return ALLOW if self.top else Decision(False, "needs_top_admin")
        return ALLOW if self._in_scope(body_id) else Decision(False, "outside_scope", body_id)

    def bodies(self, body_ids: Iterable[str | None]) -> Decision:
        """All of ``body_ids`` (the first refusal, in sorted order, decides)."""
        if not self.roots:
            return Decision(False, "not_admin")
        ids = set(body_ids)
        if None not in ids and all(self._in_scope(b) for b in ids):  # type: ignore[arg-type]
            return ALLOW
        for body_id in sorted(ids, key=lambda b: (b is not None, b or "")):
            decision = self.body(body_id)
            if not decision.allowed:
                return decision
        return ALLOW

    def person(self, post_body_ids: Iterable[str]) -> Decision:
        """May the actor administer a person holding posts in ``post_body_ids``?"""
        bodies = post_body_ids if isinstance(post_body_ids, (set, frozenset)) else set(post_body_ids)
        if self.roots and not bodies:
            return ALLOW if self.top else Decision(False, "needs_top_admin")
        return self.bodies(bodies)


def is_top_admin(actor: Actor, tree: Tree) -> bool:
    """Whether one of the actor's scope roots is a top-level body."""
    return Scope(actor, tree).top


def administers_body(actor: Actor, tree: Tree, body_id: str | None) -> Decision:
    """May ``actor`` administer ``body_id`` (``None``: a new top-level body)?"""
    return Scope(actor, tree).body(body_id)


def administers_bodies(actor: Actor, tree: Tree, body_ids: Iterable[str | None]) -> Decision:
    """All of ``body_ids`` (the first refusal, in sorted order, decides)."""
    return Scope(actor, tree).bodies(body_ids)


def administers_person(actor: Actor, tree: Tree, post_body_ids: Iterable[str]) -> Decision:
    """May ``actor`` administer a person holding posts in ``post_body_ids``?"""
    return Scope(actor, tree).person(post_body_ids)


def may_update_contact(
    actor: Actor, tree: Tree, person_id: str, post_body_ids: Iterable[str]
) -> Decision:
    """``directory.update_contact``: oneself, or an administrator of the person."""
    if person_id == actor.person_id:
        return Decision(True, "self")
    return administers_person(actor, tree, post_body_ids)
