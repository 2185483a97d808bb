"""Build the policies' facts (:mod:`modules.common.access`) from the directory tables.

Read inside the caller's transaction, fresh on every call, so a changed post or a moved
body takes effect at once.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from modules.common.access import ActorFacts, BodyFacts, PostFacts
from modules.common.errors import ValidationFailed
from server.auth.principal import Principal
from server.directory.models import Body

_MAX_DEPTH = 32


def _chain(session: Session, body_id: str) -> list[Body]:
    """The body and its ancestors, nearest first (a cycle or a gap ends the walk)."""
    out: list[Body] = []
    seen: set[str] = set()
    current: str | None = body_id
    while current and current not in seen and len(out) < _MAX_DEPTH:
        seen.add(current)
        body = session.get(Body, current)
        if body is None:
            break
        out.append(body)
        current = body.parent_id
    return out


def organ_id(session: Session, body_id: str) -> str:
    """The nearest organ (kind "body") at or above ``body_id``."""
    chain = _chain(session, body_id)
    organ = next((b for b in chain if b.kind != "department"), chain[-1] if chain else None)
    return organ.id if organ is not None else body_id


def body_facts(session: Session, body_id: str) -> BodyFacts:
    """Facts of an existing body; ``ValidationFailed`` (``directory.body_not_found``-like
    ``seal.body_not_found``) when there is none."""
    chain = _chain(session, body_id)
    if not chain:
        raise ValidationFailed("seal.body_not_found", body_id=body_id)
    organs = [b.id for b in chain if b.kind != "department"] or [chain[-1].id]
    return BodyFacts(id=chain[0].id, name=chain[0].name, organ_id=organs[0],
                     organs_above=tuple(organs))


def actor_facts(session: Session, principal: Principal) -> ActorFacts:
    return ActorFacts(
        person_id=principal.person_id,
        posts=tuple(PostFacts(p.body_id, organ_id(session, p.body_id), p.roles)
                    for p in principal.posts),
    )


def person_facts(session: Session, person_id: str) -> ActorFacts:
    """Facts of any person (for people named on a seal)."""
    from sqlalchemy import select

    from server.directory.models import Post

    posts = session.scalars(select(Post).where(Post.person_id == person_id)).all()
    return ActorFacts(person_id=person_id, posts=tuple(
        PostFacts(p.body_id, organ_id(session, p.body_id), frozenset(p.roles or ())) for p in posts))
