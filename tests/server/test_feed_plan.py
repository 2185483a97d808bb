"""The feed page's plan on PostgreSQL: a page costs about a page, with or without statistics.

On fresh, never-analysed tables and again after ANALYZE, for a reader who sees every row
and one who sees one row in fifty: the audience rows are read by ordered index range
scans that stop at the page (no scan of the whole feed, no hash join over it), and each
page row's log row is one index look-up.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, text

from server.changefeed import read_feed
from server.db import session_scope

ROWS = 50_000
PAGE = 500


@pytest.fixture
def feed_app(tmp_path: Path, pg_url: str) -> Iterator[Any]:
    """A fresh database whose feed holds ``ROWS`` rows, spread over ``dir:r-0`` …
    ``dir:r-49``; every 10th is for ``all`` too."""
    from server.app import create_app
    from server.config import Settings

    app = create_app(Settings(
        data_dir=tmp_path / "server", database_url=pg_url,
        secret_key="test-secret-key-with-enough-length-0123456789", log_json=False,
    ))
    with app.state.engine.begin() as conn:
        for table in ("change_log", "change_audience"):
            conn.execute(text(f"ALTER TABLE {table} SET (autovacuum_enabled = false)"))
        base = int(conn.execute(text("SELECT value FROM change_counter WHERE id = 1")).scalar()
                   or 0)
        conn.execute(text("""
            INSERT INTO change_log (entity, entity_id, seq, data, deleted, changed_at)
            SELECT 'bench.row', 'r-' || i, :base + i,
                   json_build_object('id', 'r-' || i, 'name', 'row ' || i), false, now()
            FROM generate_series(1, :rows) AS i"""), {"base": base, "rows": ROWS})
        conn.execute(text("""
            INSERT INTO change_audience (entity, entity_id, key, visible, seq)
            SELECT entity, entity_id, 'dir:r-' || ((seq - :base) % 50), true, seq
            FROM change_log WHERE entity = 'bench.row'"""), {"base": base})
        conn.execute(text("""
            INSERT INTO change_audience (entity, entity_id, key, visible, seq)
            SELECT entity, entity_id, 'all', true, seq FROM change_log
            WHERE entity = 'bench.row' AND (seq - :base) % 10 = 0"""), {"base": base})
        conn.execute(text("UPDATE change_counter SET value = :top WHERE id = 1"),
                     {"top": base + ROWS})
    yield app
    app.state.engine.dispose()


def _second_page_plan(app: Any, keys: frozenset[str]) -> tuple[dict[str, Any], int]:
    """EXPLAIN ANALYZE (JSON) of the statement reading the second page, and the number
    of rows the reader gets in all."""
    engine = app.state.engine
    with session_scope(app.state.sessions) as s:
        first = read_feed(s, keys, None, PAGE, raw=True)
    assert first.has_more
    statements: list[tuple[str, Any]] = []

    def grab(_c: Any, _cur: Any, statement: str, params: Any, _ctx: Any, _many: bool) -> None:
        statements.append((statement, params))

    event.listen(engine, "before_cursor_execute", grab)
    try:
        with session_scope(app.state.sessions) as s:
            second = read_feed(s, keys, first.cursor, PAGE, raw=True)
    finally:
        event.remove(engine, "before_cursor_execute", grab)
    assert len(second.changes) == PAGE
    statement, params = next((st, p) for st, p in statements if "change_audience" in st)
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        cur.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + statement, params)
        plan = cur.fetchone()[0][0]["Plan"]
    finally:
        raw.close()
    total, cursor = 0, None
    while True:
        with session_scope(app.state.sessions) as s:
            page = read_feed(s, keys, cursor, 5000, raw=True)
        total += len(page.changes)
        cursor = page.cursor
        if not page.has_more:
            return plan, total


def _nodes(plan: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)


def _assert_page_sized(plan: dict[str, Any]) -> None:
    nodes = list(_nodes(plan))
    kinds = {n["Node Type"] for n in nodes}
    assert "Hash Join" not in kinds and "Merge Join" not in kinds, kinds
    for node in nodes:
        relation = node.get("Relation Name")
        if relation in ("change_log", "change_audience"):
            assert node["Node Type"] != "Seq Scan", node
            # No node reads much more than the page (the key's rows after the cursor
            # would be up to ROWS).
            assert node["Actual Rows"] * node.get("Actual Loops", 1) <= 4 * (PAGE + 1), node
        if relation == "change_log":
            assert node["Node Type"] == "Index Scan" and node["Actual Rows"] <= 1, node


def _analysed(app: Any) -> bool:
    with app.state.engine.connect() as conn:
        return bool(conn.execute(text(
            "SELECT bool_or(last_analyze IS NOT NULL OR last_autoanalyze IS NOT NULL)"
            " FROM pg_stat_user_tables WHERE relname IN ('change_log', 'change_audience')"
        )).scalar())


@pytest.mark.postgres
def test_feed_pages_cost_a_page_on_fresh_and_analysed_tables_postgres(feed_app: Any) -> None:
    dense = frozenset({"all", "user:someone"})  # every 10th row
    everyone = frozenset({f"dir:r-{k}" for k in range(50)})  # every row, one key each
    sparse = frozenset({"dir:r-7", "user:someone"})  # one row in fifty
    assert not _analysed(feed_app)
    for analysed in (False, True):
        if analysed:
            with feed_app.state.engine.begin() as conn:
                conn.execute(text("ANALYZE change_log"))
                conn.execute(text("ANALYZE change_audience"))
        for keys, expected in ((everyone, ROWS), (dense, ROWS // 10), (sparse, ROWS // 50)):
            plan, total = _second_page_plan(feed_app, keys)
            assert total == expected
            _assert_page_sized(plan)
    # The sparse reader's rows are the right ones, in order.
    with session_scope(feed_app.state.sessions) as s:
        page = read_feed(s, sparse, None, 5000)
    seqs = [c["seq"] for c in page.changes]
    assert len(seqs) == ROWS // 50 and seqs == sorted(seqs) and not page.has_more
    assert {int(c["id"][2:]) % 50 for c in page.changes} == {7}
