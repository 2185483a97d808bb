"""Who sees what: each principal's audience keys for the change feed.

Features register providers with ``@scope_provider``; ``scope_keys`` unions them.
Key forms in use (document new ones here):

- ``user:<person id>``                 — things addressed to one person (always present)
- ``body:<body id>``                    — everyone holding a post in a body/department
- ``body:<body id>:role:<role>``        — holders of a role in that body (e.g. registry)
- ``dir:<region body id>``              — the directory of a region: a city subtree, or the
                                          province-level bodies (see server.directory.storage)
- ``seals:admin:<organ id>``            — administrators of an organ: its seals (server.seals.feed)
- ``meetings:organ:<organ id>``         — members of an organ: its meeting rooms and bookings
- ``meetings:admin:<organ id>``         — administrators of an organ: rooms and bookings of the
                                          organs below (never meetings: 三员分立)
- ``all``                               — everyone signed in; the directory publishes its
                                          public skeleton here (province and city organs, their
                                          leaders and registry clerks), needed to address documents
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

if TYPE_CHECKING:
    from server.auth.principal import Principal

ScopeProvider = Callable[[Session, "Principal"], set[str]]
#: What of a person's own directory record their keys depend on: each post's body and
#: roles. The keys are a function of it and of the body tree (providers walk a post's
#: body up to its organ), so while no body changes, two records with the same basis have
#: the same keys — a new phone number or a renamed post changes nothing.
ScopeBasis = frozenset[tuple[str, frozenset[str]]]
_providers: list[ScopeProvider] = []


def scope_provider(fn: ScopeProvider) -> ScopeProvider:
    """Register ``fn(session, principal) -> set of keys`` (import time)."""
    if fn not in _providers:
        _providers.append(fn)
    return fn


def scope_keys(session: Session, principal: Principal) -> frozenset[str]:
    from server.access_facts import load_chains

    # The providers walk each post's body up to its organ: read every level at once.
    load_chains(session, principal.body_ids)
    keys = {f"user:{principal.person_id}", "all"}
    for post in principal.posts:
        keys.add(f"body:{post.body_id}")
        for role in post.roles:
            keys.add(f"body:{post.body_id}:role:{role}")
    for provider in _providers:
        keys |= provider(session, principal)
    return frozenset(keys)


def scope_basis(principal: Principal) -> ScopeBasis:
    """The :data:`ScopeBasis` of a principal (as :func:`scope_keys` reads it)."""
    return frozenset((post.body_id, frozenset(post.roles)) for post in principal.posts)


def published_basis(data: dict[str, Any] | None) -> ScopeBasis | None:
    """The :data:`ScopeBasis` of a person as the directory publishes them (the
    ``directory.person`` feed record); None when inactive (no data) or not readable."""
    if not isinstance(data, dict) or data.get("active") is False:
        return None
    posts = data.get("posts")
    if not isinstance(posts, list):
        return None
    basis: set[tuple[str, frozenset[str]]] = set()
    for post in posts:
        if not isinstance(post, dict) or not isinstance(post.get("body_id"), str):
            return None
        roles = post.get("roles") or ()
        if not isinstance(roles, list | tuple):
            return None
        basis.add((post["body_id"], frozenset(str(r) for r in roles)))
    return frozenset(basis)
