"""Facts the access policies decide on: who acts (their posts, with each post's organ and
roles) and where a target sits in the directory tree.

Pure data, no Qt, no HTTP, no database: the server builds these from the directory
(``server/access_facts.py``), the client from the signed-in profile and its cache, and
the per-feature policies (``modules/<feature>/policy.py``) answer from them alone.

Terms: a *body* is any node of the directory (an organ 机关 or an internal department
内设机构); its *organ* is the nearest organ at or above it. A person is a *member* of an
organ when one of their posts is in it or in one of its departments. An organ *governs*
a body when it is the body's organ or any organ above that one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class PostFacts:
    """One post: the body it is in, that body's organ, the roles it carries."""

    body_id: str
    organ_id: str
    roles: frozenset[str]


@dataclass(frozen=True)
class ActorFacts:
    """The person acting, with all their current posts."""

    person_id: str
    posts: tuple[PostFacts, ...] = ()

    def organs(self) -> frozenset[str]:
        return frozenset(p.organ_id for p in self.posts)

    def member_of(self, organ_id: str) -> bool:
        """Holds a post in ``organ_id`` or one of its departments."""
        return any(p.organ_id == organ_id for p in self.posts)

    def has_role(self, role: str, *, body_id: str | None = None,
                 organ_id: str | None = None) -> bool:
        """A post carrying ``role`` (in exactly ``body_id`` / anywhere in ``organ_id``)."""
        return any(
            role in p.roles
            and (body_id is None or p.body_id == body_id)
            and (organ_id is None or p.organ_id == organ_id)
            for p in self.posts
        )

    def role_organs(self, role: str) -> frozenset[str]:
        """The organs in which some post carries ``role``."""
        return frozenset(p.organ_id for p in self.posts if role in p.roles)


@dataclass(frozen=True)
class BodyFacts:
    """A target's owning body. ``organs_above`` = its organ first, then every higher
    organ up to the root of the tree."""

    id: str
    name: str
    organ_id: str
    organs_above: tuple[str, ...]

    def governed_by(self, organ_ids: Iterable[str]) -> bool:
        """Whether one of ``organ_ids`` is this body's organ or an organ above it."""
        wanted = set(organ_ids)
        return any(o in wanted for o in self.organs_above)
