"""Who may read the audit trail (审计日志) — pure rules, no Qt, HTTP or session.

Only a person holding the ``audit_admin`` role (安全审计员) reads the trail, and only the
entries whose ``scope_body`` lies in their scope. The scope is the directory's tree rule
for administrators (:mod:`modules.directory.policy`, reused, not copied): the organ
(机关) of each post carrying the role — a department's post counts for its organ — and
every body below it; never a sibling or a higher body. Several such posts add up.

Entries without a ``scope_body`` (a failed sign-in for an unknown account, a server
event) are read only by an auditor whose scope includes a top-level body, as a person
without posts is administered only from the top in the directory.

Nobody changes the trail through the product: there is no write rule here because no
write route or intent exists (``tests/audit/test_routes.py`` checks that).
"""

from __future__ import annotations

from dataclasses import dataclass

from modules.common import messages
from modules.common.errors import PermissionDenied
from modules.directory import policy as directory
from modules.directory.rules import AUDIT_ADMIN

AUDIT_ROLE = AUDIT_ADMIN

messages.register({
    "audit.not_auditor": {
        "zh_CN": "只有安全审计员可以查看和导出审计日志。",
        "en": "Only a security auditor (安全审计员) may read and export the audit trail.",
    },
    "audit.outside_scope": {
        "zh_CN": "这条审计记录属于“{body}”，不在您的审计范围内。",
        "en": "This audit entry belongs to '{body}', outside your audit scope.",
    },
})


def is_auditor(actor: directory.Actor) -> bool:
    """Whether any post of ``actor`` carries ``audit_admin``."""
    return any(AUDIT_ROLE in p.roles for p in actor.posts)


def auditor_bodies(actor: directory.Actor) -> frozenset[str]:
    """The bodies of the actor's ``audit_admin`` posts (their organs are the roots)."""
    return frozenset(p.body_id for p in actor.posts if AUDIT_ROLE in p.roles)


@dataclass(frozen=True, slots=True)
class AuditScope:
    """One auditor's reading scope: the organs at its roots and whether one of them is a
    top-level body (which also reads entries without a scope body)."""

    roots: frozenset[str]
    top: bool

    @property
    def everything(self) -> bool:
        """A top-level root reads every entry there is."""
        return self.top


def audit_scope(actor: directory.Actor, tree: directory.Tree) -> AuditScope:
    """The scope of ``actor`` over ``tree`` (which must hold the auditor bodies and their
    ancestors). Raises ``PermissionDenied`` (``audit.not_auditor``) for a non-auditor."""
    require_auditor(actor)
    scope = directory.Scope(actor, tree, AUDIT_ROLE)
    return AuditScope(frozenset(scope.roots), scope.top)


def require_auditor(actor: directory.Actor) -> None:
    """Raise ``PermissionDenied`` (403, ``audit.not_auditor``) unless ``actor`` audits."""
    if not is_auditor(actor):
        raise PermissionDenied("audit.not_auditor")


def may_read(actor: directory.Actor, tree: directory.Tree, scope_body: str | None) -> bool:
    """May ``actor`` read an entry whose scope body is ``scope_body``? (``tree`` holds it,
    the auditor bodies and their ancestors.)"""
    if not is_auditor(actor):
        return False
    scope = directory.Scope(actor, tree, AUDIT_ROLE)
    if not scope_body:
        return scope.top
    return scope.body(scope_body).allowed


def require_read(actor: directory.Actor, tree: directory.Tree, scope_body: str | None) -> None:
    """Raise the refusal for one entry: ``audit.not_auditor`` or ``audit.outside_scope``."""
    require_auditor(actor)
    if not may_read(actor, tree, scope_body):
        node = tree.get(scope_body) if scope_body else None
        raise PermissionDenied("audit.outside_scope",
                               body=(node.name if node and node.name else scope_body or "—"))
