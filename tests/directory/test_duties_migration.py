"""Migration ``0c794f349d1e`` (三员分立): posts holding the retired ``admin`` role hold
``sys_admin`` after the upgrade and ``admin`` again after the downgrade; nothing else
changes and nobody becomes security administrator or auditor. SQLite and PostgreSQL."""

from __future__ import annotations

from alembic import command
from sqlalchemy import Engine, insert, select

from server.db import make_engine
from server.directory.models import Body, Person, Post
from server.migrate import alembic_config

REVISION = "0c794f349d1e"
BEFORE = "1421c89c123a"


def _roles(engine: Engine) -> dict[str, list[str]]:
    with engine.connect() as conn:
        return {pid: list(roles) for pid, roles in conn.execute(select(Post.id, Post.roles))}


def test_admin_posts_become_sys_admin_and_back(database_url: str) -> None:
    engine = make_engine(database_url)
    cfg = alembic_config(engine)
    try:
        command.upgrade(cfg, "heads")
        command.downgrade(cfg, BEFORE)
        with engine.begin() as conn:
            conn.execute(insert(Body), [{
                "id": "b-m", "name": "迁移省", "tier": "province", "kind": "body", "region_id": "b-m"}])
            conn.execute(insert(Person), [
                {"id": pid, "name": name} for pid, name in (("p-a", "甲"), ("p-b", "乙"), ("p-c", "丙"))])
            conn.execute(insert(Post), [
                {"id": "post-a", "person_id": "p-a", "body_id": "b-m", "roles": ["admin", "staff"]},
                {"id": "post-b", "person_id": "p-b", "body_id": "b-m", "roles": ["staff", "admin", "sys_admin"]},
                {"id": "post-c", "person_id": "p-c", "body_id": "b-m", "roles": ["leader", "seal_custodian"]},
            ])
        command.upgrade(cfg, REVISION)
        assert _roles(engine) == {
            "post-a": ["sys_admin", "staff"],
            "post-b": ["staff", "sys_admin"],
            "post-c": ["leader", "seal_custodian"],
        }
        command.downgrade(cfg, BEFORE)
        assert _roles(engine) == {
            "post-a": ["admin", "staff"],
            "post-b": ["staff", "admin"],
            "post-c": ["leader", "seal_custodian"],
        }
        command.upgrade(cfg, "heads")
        assert _roles(engine)["post-a"] == ["sys_admin", "staff"]
    finally:
        engine.dispose()
