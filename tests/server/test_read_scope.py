"""Reads without a transaction on PostgreSQL (server/db.py, ``read_scope``), and what
runs in one: the principal (one statement) and the access-token key."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session, sessionmaker

from modules.common.errors import AuthenticationFailed
from server.auth.models import ServerSecret
from server.auth.principal import load_principal
from server.auth.service import token_secret
from server.config import Settings
from server.db import make_engine, make_sessionmaker, read_scope, session_scope
from server.directory.models import Body, Person, Post
from server.migrate import upgrade


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    if database_url.startswith("postgresql"):
        engine = make_engine(database_url, pool_size=2, max_overflow=0)
    else:
        engine = make_engine(database_url)
        upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    return make_sessionmaker(engine)


def _person_count(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM directory_person")).scalar_one())


def test_a_write_in_a_read_scope_stands_alone_on_postgresql(
        engine: Engine, sessions: sessionmaker[Session]) -> None:
    postgres = engine.dialect.name == "postgresql"
    with read_scope(sessions) as session:
        session.execute(text("INSERT INTO directory_person (id, name, pinyin, initials, phone, email, active) "
                             "VALUES ('p-a', '张伟', 'zhangwei', 'zw', '', '', true)"))
        # Seen from elsewhere at once on PostgreSQL (no transaction); after the scope
        # on SQLite, whose read scope is an ordinary transaction.
        if postgres:
            assert _person_count(engine) == 1
        else:
            assert session.in_transaction()
    assert _person_count(engine) == 1


def test_the_connection_is_transactional_again_after_a_read_scope(
        engine: Engine, sessions: sessionmaker[Session]) -> None:
    with read_scope(sessions) as session:
        session.execute(text("SELECT 1"))
    # The same pooled connection (the only one opened yet): a rollback undoes again.
    with pytest.raises(RuntimeError), session_scope(sessions) as session:
        session.add(Person(id="p-b", name="李娜", pinyin="lina", initials="ln"))
        session.flush()
        raise RuntimeError("roll back")
    assert _person_count(engine) == 0


def test_the_token_key_is_made_once_in_a_read_scope(
        engine: Engine, sessions: sessionmaker[Session], tmp_path: Path) -> None:
    settings = Settings(secret_key="", data_dir=tmp_path)
    with read_scope(sessions) as session:
        first = token_secret(session, settings)
    with read_scope(sessions) as session:
        assert token_secret(session, settings) == first
    with session_scope(sessions) as session:
        assert session.scalars(select(ServerSecret.value)).all() == [first]


def test_the_principal_comes_with_its_posts_or_none(sessions: sessionmaker[Session]) -> None:
    with session_scope(sessions) as session:
        session.add_all([
            Body(id="b-1", name="省政府办公厅", tier="province", kind="body", region_id="b-1"),
            Body(id="b-2", name="省财政厅", tier="province", kind="body", region_id="b-2"),
            Person(id="p-1", name="王芳", pinyin="wangfang", initials="wf"),
            Person(id="p-2", name="赵强", pinyin="zhaoqiang", initials="zq"),
            Person(id="p-3", name="钱敏", pinyin="qianmin", initials="qm", active=False),
        ])
        session.flush()
        session.add_all([
            Post(id="post-a", person_id="p-1", body_id="b-2", title="科员", roles=["staff"],
                 is_primary=False, sort_order=0),
            Post(id="post-b", person_id="p-1", body_id="b-1", title="处长",
                 roles=["leader", "staff"], is_primary=True, sort_order=1),
        ])
    with read_scope(sessions) as session:
        principal = load_principal(session, "p-1", "wangfang")
        assert [(p.post_id, p.body_name) for p in principal.posts] == [
            ("post-b", "省政府办公厅"), ("post-a", "省财政厅")]  # the primary post first
        assert principal.roles == {"leader", "staff"}
        assert principal.body_ids == {"b-1", "b-2"}
        alone = load_principal(session, "p-2")
        assert (alone.name, alone.posts, alone.roles) == ("赵强", (), frozenset())
        for missing in ("p-3", "p-none"):  # deactivated, unknown
            with pytest.raises(AuthenticationFailed):
                load_principal(session, missing)
