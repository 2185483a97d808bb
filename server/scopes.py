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
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

if TYPE_CHECKING:
    from server.auth.principal import Principal

ScopeProvider = Callable[[Session, "Principal"], set[str]]
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
