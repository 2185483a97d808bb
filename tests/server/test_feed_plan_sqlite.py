"""The feed page's plan on SQLite (``_feed_statement_sqlite``): the page from the
reader's audience index ranges, then each page row's log row by one look-up through
``ix_change_log_seq`` — never a scan of the log — with and without ``ANALYZE``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from server.changefeed import _feed_statement_sqlite, read_feed_rows
from server.db import session_scope

ROWS = 2_000
KEYS = frozenset({"all", "dir:r-0", "user:p-1"})


@pytest.fixture
def sqlite_feed(tmp_path: Path) -> Iterator[Any]:
    from server.app import create_app
    from server.config import Settings

    app = create_app(Settings(
        data_dir=tmp_path / "server", database_url="",
        secret_key="test-secret-key-with-enough-length-0123456789", log_json=False,
    ))
    with app.state.engine.begin() as conn:
        base = int(conn.execute(text("SELECT value FROM change_counter WHERE id = 1")).scalar()
                   or 0)
        conn.execute(text(
            "INSERT INTO change_log (entity, entity_id, seq, data, deleted, changed_at)"
            " VALUES ('bench.row', :id, :seq, :data, :deleted, CURRENT_TIMESTAMP)"),
            [{"id": f"r-{i}", "seq": base + i, "data": f'{{"id": "r-{i}"}}',
              "deleted": i % 7 == 0} for i in range(1, ROWS + 1)])
        conn.execute(text(
            "INSERT INTO change_audience (entity, entity_id, key, visible, seq)"
            " VALUES ('bench.row', :id, :key, :visible, :seq)"),
            [{"id": f"r-{i}", "seq": base + i, "key": "all" if i % 3 else f"dir:r-{i % 50}",
              "visible": i % 11 != 0} for i in range(1, ROWS + 1)])
        conn.execute(text("UPDATE change_counter SET value = :top WHERE id = 1"),
                     {"top": base + ROWS})
    yield app
    app.state.engine.dispose()


def _plan(app: Any) -> list[str]:
    statement = _feed_statement_sqlite(len(KEYS), True)
    with app.state.engine.connect() as conn:
        compiled = statement.compile(conn)
        params = compiled.construct_params(
            {**{f"k{i}": k for i, k in enumerate(sorted(KEYS))},
             "after": 0, "horizon": 10**9, "lim": 501})
        args = tuple(params[name] for name in compiled.positiontup or ())
        return [str(row[-1]) for row in conn.exec_driver_sql(
            "EXPLAIN QUERY PLAN " + str(compiled), args)]


@pytest.mark.parametrize("analysed", [False, True])
def test_each_page_row_is_one_index_look_up_of_the_log(sqlite_feed: Any,
                                                       analysed: bool) -> None:
    if analysed:
        with sqlite_feed.state.engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
    plan = _plan(sqlite_feed)
    assert any(step.startswith("SEARCH change_log USING INDEX ix_change_log_seq")
               for step in plan), plan
    assert not [step for step in plan if step.startswith("SCAN change_log")], plan
    assert not [step for step in plan if step.startswith("SCAN change_audience")], plan


def test_pages_in_order_with_removals_and_hidden_rows(sqlite_feed: Any) -> None:
    """Every reader-visible seq once, in order, across pages: live rows with their text,
    a removal or a row no longer shown as None."""
    seen: list[tuple[int, str, str, str | None]] = []
    cursor = None
    while True:
        with session_scope(sqlite_feed.state.sessions) as s:
            page = read_feed_rows(s, KEYS, cursor, 300)
        seen += page.rows
        cursor = page.cursor
        if not page.has_more:
            break
    seqs = [row[0] for row in seen]
    assert seqs == sorted(set(seqs))
    wanted = [i for i in range(1, ROWS + 1) if i % 3 or i % 50 == 0]
    base = seqs[0] - wanted[0]
    assert seqs == [base + i for i in wanted]
    for seq, entity, rid, data in seen:
        i = seq - base
        assert (entity, rid) == ("bench.row", f"r-{i}")
        hidden = i % 7 == 0 or i % 11 == 0
        assert (data is None) == hidden and (hidden or data == f'{{"id": "r-{i}"}}')
