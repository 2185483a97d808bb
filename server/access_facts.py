"""Build the policies' facts (:mod:`modules.common.access`) from the directory tables.

Read inside the caller's transaction, fresh on every call, so a changed post or a moved
body takes effect at once.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Select, bindparam, event, inspect, select
from sqlalchemy.orm import Session

from modules.common.access import ActorFacts, BodyFacts, PostFacts
from modules.common.errors import ValidationFailed
from server.auth.principal import Principal
from server.directory.models import Body

_MAX_DEPTH = 32


#: ``session.info`` key: the bodies :func:`load_chains` read, held for the session.
_HELD = "office.access_facts.bodies"


def _loaded(session: Session, body_id: str) -> bool:
    """Whether ``session.get(Body, body_id)`` answers from the identity map (no SQL)."""
    found = session.identity_map.get(Session.identity_key(Body, body_id))
    return found is not None and not inspect(found).expired


def load_chains(session: Session, body_ids: Iterable[str]) -> None:
    """Read the bodies ``body_ids`` and all their ancestors in one statement.

    The walks of :func:`_chain` then find every level in the session's identity map
    instead of one ``SELECT`` per level and per walk (the map holds objects weakly, so
    the bodies are held in ``session.info`` until the transaction ends). The rows are what
    those ``SELECT`` would have read in this transaction; bodies already in the map are
    not read again. A cycle ends the recursion (``UNION`` keeps each row once).
    """
    missing = sorted({b for b in body_ids if b and not _loaded(session, b)})
    if not missing:
        return
    bodies = session.scalars(_CHAINS, {"ids": missing}).all()
    session.info.setdefault(_HELD, []).extend(bodies)


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _release(session: Session) -> None:
    """The bodies are held for one transaction: the next one reads them again (the
    sessions do not expire objects at commit)."""
    if not session.in_nested_transaction():
        session.info.pop(_HELD, None)


def _chains_statement() -> Select[Body]:
    up = (select(Body.id, Body.parent_id).where(Body.id.in_(bindparam("ids", expanding=True)))
          .cte("up", recursive=True))
    up = up.union(select(Body.id, Body.parent_id).where(Body.id == up.c.parent_id))
    return select(Body).where(Body.id.in_(select(up.c.id)))


#: Built once: a statement's construction costs more CPU than its execution here.
_CHAINS = _chains_statement()


def _chain(session: Session, body_id: str) -> list[Body]:
    """The body and its ancestors, nearest first (a cycle or a gap ends the walk)."""
    out: list[Body] = []
    seen: set[str] = set()
    current: str | None = body_id
    while current and current not in seen and len(out) < _MAX_DEPTH:
        seen.add(current)
        if not _loaded(session, current):
            load_chains(session, (current,))
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
    from server.directory.models import Post

    posts = session.scalars(select(Post).where(Post.person_id == person_id)).all()
    return ActorFacts(person_id=person_id, posts=tuple(
        PostFacts(p.body_id, organ_id(session, p.body_id), frozenset(p.roles or ())) for p in posts))
