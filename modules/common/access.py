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

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any


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


def profile_facts(profile: Mapping[str, Any],
                  body: Callable[[str], Mapping[str, Any] | None] | None = None) -> ActorFacts:
    """The client's view of the signed-in person: their profile's posts (``body_id``,
    ``roles``, and ``organ_id`` when the profile says). Without it, the post's organ is
    found by walking ``body(id)`` (cached ``directory.body`` records) up to the nearest
    body that is not a department; with no ``body`` lookup, or when the walk stops, the
    body stands for its organ. The server builds the real ones from the directory."""

    def organ(body_id: str) -> str:
        current, seen = body_id, set[str]()
        while body is not None and current and current not in seen and len(seen) < 32:
            seen.add(current)
            record = body(current)
            if record is None:
                break
            if record.get("kind") != "department":
                return current
            current = str(record.get("parent_id") or "")
        return body_id

    posts = [p for p in profile.get("posts") or () if isinstance(p, Mapping)]
    return ActorFacts(str(profile.get("person_id") or ""), tuple(
        PostFacts(str(p.get("body_id") or ""),
                  str(p.get("organ_id") or organ(str(p.get("body_id") or ""))),
                  frozenset(str(r) for r in p.get("roles") or ())) for p in posts))


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

