"""Planner statistics after migrations and bulk writes (PostgreSQL)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from server.analyze import analyze_tables, analyze_unanalysed
from server.db import make_engine


def _has_stats(conn: object, table: str) -> bool:
    return bool(conn.execute(  # type: ignore[attr-defined]
        text("SELECT count(*) FROM pg_stats WHERE tablename = :t"), {"t": table}).scalar())


@pytest.mark.postgres
def test_tables_with_rows_but_no_statistics_are_analysed_postgres(pg_url: str) -> None:
    engine = make_engine(pg_url)
    try:
        with engine.begin() as conn:
            conn.execute(text("ALTER TABLE change_log SET (autovacuum_enabled = false)"))
            conn.execute(text(
                "INSERT INTO change_log (entity, entity_id, seq, data, deleted, changed_at)"
                " SELECT 'x', 'x-' || i, i, '{}', false, now() FROM generate_series(1, 50) i"))
            assert not _has_stats(conn, "change_log")
            analysed = analyze_unanalysed(conn)
            assert "change_log" in analysed
            assert "directory_person" not in analysed  # empty: nothing to learn
            assert _has_stats(conn, "change_log")
            assert "change_log" not in analyze_unanalysed(conn)  # done: not again
            conn.execute(text("ALTER TABLE change_log ADD COLUMN probe integer"))
            assert "change_log" in analyze_unanalysed(conn)  # a new column lacks them
            with pytest.raises(ValueError):
                analyze_tables(conn, ["change_log; DROP TABLE x"])
    finally:
        engine.dispose()


def test_nothing_happens_on_sqlite(tmp_path: object) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}/a.db")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (a int)"))
        conn.execute(text("INSERT INTO t VALUES (1)"))
        assert analyze_unanalysed(conn) == []
        analyze_tables(conn, ["t"])
    engine.dispose()
