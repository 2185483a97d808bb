"""Who may see and revoke another person's devices — a pure rule, no HTTP or session.

The security administrator (安全保密管理员, role ``security_admin``) manages the devices
of the people they administer, by the directory's scope rule
(:mod:`modules.directory.policy`) applied to their ``security_admin`` posts instead of
``sys_admin`` ones: a ``security_admin`` post in body B covers B's organ and every body
below it, and a person is covered when **every** body they hold a post in is; a person
without posts only by a security administrator of a top-level body. The system
administrator and the security auditor do not (三员分立: each duty to its own person);
everyone sees and removes their own devices through ``/me/devices``.

Refusals are ``PermissionDenied`` (403): ``permission.denied`` without any
``security_admin`` post, ``devices.not_security_admin_of`` for a person outside the scope.
"""

from __future__ import annotations

from collections.abc import Iterable

from modules.common import messages
from modules.common.errors import PermissionDenied
from modules.directory.policy import ALLOW, Actor, Decision, Tree, ancestry, organ_of

SECURITY_ADMIN = "security_admin"

messages.register({
    "devices.not_security_admin_of": {
        "zh_CN": "您只能管理本机构及其下级机构人员的设备，“{body}”不在您的管理范围内。",
        "en": "You may only manage the devices of people in your own body and the bodies "
              "below it; '{body}' is outside your scope.",
    },
    "devices.not_found": {
        "zh_CN": "找不到该设备，可能已被删除。",
        "en": "The device was not found; it may have been removed.",
    },
})


def security_roots(actor: Actor, tree: Tree) -> frozenset[str]:
    """The organs whose people's devices ``actor`` manages (empty: not a security admin)."""
    return frozenset(organ_of(tree, p.body_id) for p in actor.posts if SECURITY_ADMIN in p.roles)


def may_manage_devices(actor: Actor, tree: Tree, post_body_ids: Iterable[str]) -> Decision:
    """May ``actor`` list and revoke the devices of a person holding posts in
    ``post_body_ids``? ``tree`` holds those bodies and the actor's post bodies with
    all their ancestors."""
    roots = security_roots(actor, tree)
    if not roots:
        return Decision(False, "not_admin")
    bodies = sorted(set(post_body_ids))
    if not bodies:
        top = any(tree.get(r) is not None and tree[r].parent_id is None for r in roots)
        return ALLOW if top else Decision(False, "needs_top_admin")
    for body_id in bodies:
        if not roots.intersection(ancestry(tree, body_id)):
            return Decision(False, "outside_scope", body_id)
    return ALLOW


def require(decision: Decision, tree: Tree) -> None:
    """Raise the refusal of :func:`may_manage_devices` as ``PermissionDenied``."""
    if decision.allowed:
        return
    if decision.reason == "not_admin":
        raise PermissionDenied("permission.denied", action="devices.manage")
    if decision.reason == "needs_top_admin":
        raise PermissionDenied("directory.needs_top_admin")
    node = tree.get(decision.body) if decision.body else None
    raise PermissionDenied("devices.not_security_admin_of",
                           body=node.name if node is not None and node.name else decision.body)
