"""The signed-in person as the server sees them: posts, roles and bodies.

Loaded from the directory on every request, so a changed post or a removed role takes
effect at once (no roles are trusted from the token).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from modules.common.errors import AuthenticationFailed
from server.directory.models import Body, Person, Post


@dataclass(frozen=True)
class PostInfo:
    post_id: str
    body_id: str
    body_name: str
    title: str
    roles: frozenset[str]
    is_primary: bool = False


@dataclass(frozen=True)
class Principal:
    person_id: str
    name: str
    login: str
    roles: frozenset[str]
    body_ids: frozenset[str]
    posts: tuple[PostInfo, ...] = field(default=())

    def has_role(self, role: str, body_id: str | None = None) -> bool:
        """Whether any post (in ``body_id``, when given) carries ``role``."""
        return any(
            role in post.roles and (body_id is None or post.body_id == body_id)
            for post in self.posts
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "person_id": self.person_id,
            "name": self.name,
            "login": self.login,
            "roles": sorted(self.roles),
            "body_ids": sorted(self.body_ids),
            "posts": [
                {
                    "post_id": p.post_id,
                    "body_id": p.body_id,
                    "body_name": p.body_name,
                    "title": p.title,
                    "roles": sorted(p.roles),
                    "is_primary": p.is_primary,
                }
                for p in self.posts
            ],
        }


#: Built once (a statement's construction costs more CPU than its execution here): the
#: person with their posts and the names of the posts' bodies, in one statement — one
#: round trip, and consistent without a transaction of its own.
_PERSON_WITH_POSTS = (
    select(Person.id, Person.name, Person.active, Post.id, Post.body_id, Body.name,
           Post.title, Post.roles, Post.is_primary)
    .outerjoin(Post, Post.person_id == Person.id)
    .outerjoin(Body, Body.id == Post.body_id)
    .where(Person.id == bindparam("pid"))
    .order_by(Post.is_primary.desc(), Post.sort_order, Post.id)
)


def load_principal(session: Session, person_id: str, login: str = "") -> Principal:
    rows = session.execute(_PERSON_WITH_POSTS, {"pid": person_id}).all()
    if not rows or not rows[0][2]:
        raise AuthenticationFailed("auth.token_invalid")
    posts = tuple(
        PostInfo(
            post_id=post_id,
            body_id=body_id,
            body_name=body_name,
            title=title,
            roles=frozenset(roles or ()),
            is_primary=is_primary,
        )
        for _, _, _, post_id, body_id, body_name, title, roles, is_primary in rows
        if post_id is not None and body_name is not None
    )
    roles = frozenset(r for p in posts for r in p.roles)
    return Principal(
        person_id=rows[0][0],
        name=rows[0][1],
        login=login,
        roles=roles,
        body_ids=frozenset(p.body_id for p in posts),
        posts=posts,
    )
