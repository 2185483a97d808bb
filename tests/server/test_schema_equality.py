"""An empty database is created at the head from the models (server/migrate.py,
``create_all`` + the revisions' extras + ``stamp``): it must be the schema that every
revision in turn gives, on SQLite and on PostgreSQL — tables, columns, types,
nullability, defaults, primary and foreign keys, indexes (partial ones included), unique
and check constraints, triggers and their functions, exclusion constraints, extensions
and the rows the revisions write. A model changed without its revision (or a revision
without its model) fails here."""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, create_engine, inspect, make_url, text

from server.db import make_engine
from server.migrate import upgrade

PG_ENV = "OFFICE_TEST_PG_URL"


def _normal(sql: str | None) -> str:
    return re.sub(r"\s+", " ", sql or "").strip()


def _schema(conn: Connection) -> dict[str, Any]:
    insp = inspect(conn)
    tables: dict[str, Any] = {}
    for table in sorted(insp.get_table_names()):
        columns = {
            c["name"]: (str(c["type"]), c["nullable"], _normal(str(c.get("default") or "")))
            for c in insp.get_columns(table)
        }
        pk = insp.get_pk_constraint(table)
        fks = sorted(
            (fk.get("name") or "", tuple(fk["constrained_columns"]), fk["referred_table"],
             tuple(fk["referred_columns"]), tuple(sorted((fk.get("options") or {}).items())))
            for fk in insp.get_foreign_keys(table))
        indexes = sorted(
            (ix["name"] or "", tuple(str(c) for c in ix["column_names"]), bool(ix["unique"]),
             tuple(_normal(str(e)) for e in ix.get("expressions") or ()),
             tuple(sorted((k, _normal(str(v))) for k, v in
                          (ix.get("dialect_options") or {}).items())))
            for ix in insp.get_indexes(table))
        uniques = sorted((u["name"] or "", tuple(u["column_names"]))
                         for u in insp.get_unique_constraints(table))
        checks = sorted((c.get("name") or "", _normal(c["sqltext"]))
                        for c in insp.get_check_constraints(table))
        tables[table] = {"columns": columns,
                         "pk": (pk.get("name") or "", tuple(pk["constrained_columns"])),
                         "fks": fks, "indexes": indexes, "uniques": uniques, "checks": checks}
    rows = {
        "alembic_version": sorted(conn.execute(text("SELECT version_num FROM alembic_version"))),
        "audit_head": sorted(tuple(r) for r in conn.execute(text("SELECT * FROM audit_head"))),
    }
    if conn.dialect.name == "postgresql":
        extra = {
            "triggers": sorted(tuple(r) for r in conn.execute(text(
                "SELECT tgname, tgrelid::regclass::text, pg_get_triggerdef(oid) FROM pg_trigger"
                " WHERE NOT tgisinternal"))),
            "functions": sorted(_normal(r[0]) for r in conn.execute(text(
                "SELECT pg_get_functiondef(p.oid) FROM pg_proc p JOIN pg_namespace n"
                " ON n.oid = p.pronamespace WHERE n.nspname = 'public' AND p.prokind = 'f'"
                " AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid"
                " AND d.deptype = 'e')"))),
            "constraints": sorted(tuple(r) for r in conn.execute(text(
                "SELECT conrelid::regclass::text, conname, contype, pg_get_constraintdef(oid)"
                " FROM pg_constraint WHERE connamespace = 'public'::regnamespace"))),
            "extensions": sorted(r[0] for r in conn.execute(text(
                "SELECT extname FROM pg_extension"))),
            "sequences": sorted(r[0] for r in conn.execute(text(
                "SELECT sequencename FROM pg_sequences WHERE schemaname = 'public'"))),
        }
    else:
        extra = {
            "triggers": sorted((r[0], r[1], _normal(r[2])) for r in conn.execute(text(
                "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger'"))),
        }
    return {"tables": tables, "rows": rows, **extra}


def _both(first: Engine, second: Engine) -> tuple[dict[str, Any], dict[str, Any]]:
    upgrade(first, fresh=False)  # every revision in turn
    upgrade(second)  # the empty database's shortcut
    with first.connect() as a, second.connect() as b:
        return _schema(a), _schema(b)


def _assert_same(migrated: dict[str, Any], fresh: dict[str, Any]) -> None:
    assert sorted(fresh["tables"]) == sorted(migrated["tables"])
    for table, shape in migrated["tables"].items():
        for part, value in shape.items():
            assert fresh["tables"][table][part] == value, (table, part)
    for part in migrated:
        if part != "tables":
            assert fresh[part] == migrated[part], part
    assert migrated["rows"]["alembic_version"], "stamped at the head"
    assert migrated["triggers"], "the audit trail's append-only triggers"


def test_an_empty_sqlite_database_gets_the_migrated_schema(tmp_path: Path) -> None:
    migrated = make_engine(f"sqlite:///{tmp_path / 'migrated.db'}")
    fresh = make_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
    _assert_same(*_both(migrated, fresh))


@pytest.fixture
def two_pg_databases() -> Iterator[tuple[str, str]]:
    url = os.environ.get(PG_ENV, "")
    if not url:
        pytest.fail(f"{PG_ENV} is not set: PostgreSQL tests must run")
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    names = [f"office_schema_{uuid.uuid4().hex[:10]}" for _ in range(2)]
    with admin.connect() as conn:
        for name in names:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        first, second = (make_url(url).set(database=n).render_as_string(hide_password=False)
                         for n in names)
        yield first, second
    finally:
        with admin.connect() as conn:
            for name in names:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.mark.postgres
def test_an_empty_postgresql_database_gets_the_migrated_schema(
        two_pg_databases: tuple[str, str]) -> None:
    migrated, fresh = (make_engine(u) for u in two_pg_databases)
    try:
        _assert_same(*_both(migrated, fresh))
    finally:
        migrated.dispose()
        fresh.dispose()


def test_a_database_with_tables_goes_through_the_revisions(tmp_path: Path) -> None:
    """Only an empty database takes the shortcut: one migrated before is upgraded."""
    engine = make_engine(f"sqlite:///{tmp_path / 'office.db'}")
    upgrade(engine)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO server_secret (name, value) VALUES ('x', 'y')"))
    upgrade(engine)  # nothing to do, nothing recreated
    with engine.connect() as conn:
        assert conn.execute(text("SELECT value FROM server_secret WHERE name = 'x'")).scalar() == "y"
