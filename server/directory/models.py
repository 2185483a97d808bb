"""Directory storage: bodies (机关/内设机构), people and their posts.

Shapes are fixed by docs/ARCHITECTURE.md and the directory rules in
modules/directory/rules.py. Every write that clients should see goes through
server.directory storage functions, which also record the change feed.
"""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base


class Body(Base):
    """An organ (kind="body") or an internal department/division (kind="department")."""

    __tablename__ = "directory_body"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    parent_id: Mapped[str | None] = mapped_column(
        String(40), ForeignKey("directory_body.id"), nullable=True, index=True
    )
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    short_name: Mapped[str] = mapped_column(String(100), nullable=False, default="")
    #: 机关代字, used in 发文字号 (e.g. 粤政数).
    code: Mapped[str | None] = mapped_column(String(20), nullable=True)
    tier: Mapped[str] = mapped_column(String(16), nullable=False)
    kind: Mapped[str] = mapped_column(String(16), nullable=False, default="body")
    #: City-level ancestor (or the province body): the unit of directory visibility.
    region_id: Mapped[str] = mapped_column(String(40), nullable=False, index=True)
    sort_order: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)


class Person(Base):
    __tablename__ = "directory_person"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(60), nullable=False)
    pinyin: Mapped[str] = mapped_column(String(200), nullable=False, default="", index=True)
    initials: Mapped[str] = mapped_column(String(40), nullable=False, default="", index=True)
    phone: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    email: Mapped[str] = mapped_column(String(120), nullable=False, default="")
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)


class Post(Base):
    """A person's post (职务) in a body or department, with the roles it carries."""

    __tablename__ = "directory_post"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    person_id: Mapped[str] = mapped_column(
        String(40), ForeignKey("directory_person.id"), nullable=False, index=True
    )
    body_id: Mapped[str] = mapped_column(
        String(40), ForeignKey("directory_body.id"), nullable=False, index=True
    )
    title: Mapped[str] = mapped_column(String(60), nullable=False, default="")
    roles: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    is_primary: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    sort_order: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
