"""The outbox journal follows the outbox exactly while comparing only the rows a write
touched (``LocalCache._journal_before_commit``, temporary triggers of the connection).

After every write transaction the journal file, replayed, must say what the outbox says:
the same mutation ids with the same journaled state and error, whatever statement
changed them (a row by id, many rows by state, deletions), and also when the triggers
are missing, when a change escaped them, or when an append failed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, func, insert, select, text, update

from sync.api import ApiClient
from sync.cache import LocalCache, journal_path, outbox
from sync.engine import SyncEngine
from sync.outbox import read_journal
from tests.sync.conftest import PRINCIPAL


def _intent(i: int) -> dict[str, Any]:
    return {"id": f"n{i}", "text": f"草稿 {i}"}


def _outbox(cache: LocalCache) -> dict[str, tuple[str, Any]]:
    with cache.read() as s:
        return {r.mutation_id: ("pending" if r.state == "inflight" else r.state, r.error)
                for r in s.execute(select(outbox.c.mutation_id, outbox.c.state, outbox.c.error))}


def _journal(path: Path) -> dict[str, tuple[str, Any]]:
    state = read_journal(journal_path(path))
    assert state.trusted
    return {m: (r["state"], r["error"]) for m, r in state.rows.items()}


def _agree(cache: LocalCache) -> None:
    assert cache.path is not None and cache.journal is not None
    assert _journal(cache.path) == _outbox(cache)
    assert cache.journal.known == _outbox(cache)


@pytest.fixture
def queued(tmp_path: Path, api: ApiClient) -> tuple[LocalCache, SyncEngine, list[str]]:
    cache = LocalCache(tmp_path / "cache.sqlite")
    eng = SyncEngine(cache, api, principal=PRINCIPAL, listen=False)
    ids = [eng.submit("notes.set", _intent(i)) for i in range(12)]
    return cache, eng, ids


def test_every_kind_of_write_reaches_the_journal(
        queued: tuple[LocalCache, SyncEngine, list[str]]) -> None:
    cache, _eng, ids = queued
    _agree(cache)
    with cache.write() as s:  # by id
        s.execute(update(outbox).where(outbox.c.mutation_id.in_(ids[:4])).values(state="inflight"))
    _agree(cache)  # inflight is journaled as pending: nothing to add
    with cache.write() as s:  # many rows by state
        s.execute(update(outbox).where(outbox.c.state == "inflight").values(
            state="rejected", error={"code": "x"}))
    _agree(cache)
    with cache.write() as s:
        s.execute(update(outbox).where(outbox.c.mutation_id == ids[5]).values(state="applied"))
        s.execute(delete(outbox).where(outbox.c.state == "rejected"))
    _agree(cache)
    with pytest.raises(RuntimeError), cache.write() as s:  # rolled back: journal unchanged
        s.execute(delete(outbox))
        raise RuntimeError("refused")
    _agree(cache)
    with cache.write() as s:
        s.execute(delete(outbox).where(outbox.c.state == "applied"))
        s.execute(insert(outbox).values(mutation_id="m-new", name="notes.set", args={},
                                        touched=[], state="pending", attempts=0,
                                        created_at="2026-01-01T00:00:00+00:00"))
    _agree(cache)
    assert set(_outbox(cache)) == {*ids[4:5], *ids[6:], "m-new"}
    cache.close()


def test_missing_triggers_or_a_missed_change_compare_every_row(
        queued: tuple[LocalCache, SyncEngine, list[str]]) -> None:
    cache, _eng, ids = queued
    with cache.write() as s:  # triggers gone mid-transaction: every row compared
        s.execute(text("DROP TRIGGER temp.outbox_touched_u"))
        s.execute(update(outbox).where(outbox.c.mutation_id == ids[0]).values(state="applied"))
    _agree(cache)
    for _ in range(3):  # every pooled connection armed again
        with cache.write() as s:
            s.execute(update(outbox).where(outbox.c.mutation_id == ids[1]).values(
                state="rejected", error={"n": _}))
        _agree(cache)
    with cache.write() as s:  # a deletion the triggers did not see: the row count tells
        s.execute(delete(outbox).where(outbox.c.mutation_id.in_(ids[2:4])))
        s.execute(text("DELETE FROM temp.outbox_touched"))
        s.execute(update(outbox).where(outbox.c.mutation_id == ids[4]).values(state="applied"))
    _agree(cache)
    cache.close()


def test_a_failed_append_is_caught_up_by_the_next_write(
        queued: tuple[LocalCache, SyncEngine, list[str]], monkeypatch: pytest.MonkeyPatch) -> None:
    cache, _eng, ids = queued
    journal = cache.journal
    assert journal is not None
    real = journal.append

    def refuse(records: list[dict[str, Any]]) -> None:
        if records:
            raise OSError("disk full")

    monkeypatch.setattr(journal, "append", refuse)
    with cache.write() as s:  # committed; the journal stays behind
        s.execute(update(outbox).where(outbox.c.mutation_id.in_(ids[:3])).values(state="applied"))
    monkeypatch.setattr(journal, "append", real)
    with cache.write() as s:  # touches another row only
        s.execute(update(outbox).where(outbox.c.mutation_id == ids[5]).values(state="rejected"))
    _agree(cache)
    cache.close()


def test_a_write_reads_only_the_rows_it_touched(
        queued: tuple[LocalCache, SyncEngine, list[str]]) -> None:
    cache, eng, _ids = queued
    seen: list[int] = []
    real = cache.__class__._journal_before_commit

    def spy(self: LocalCache, session: Any) -> Any:
        import sync.cache as module

        states = module._outbox_states

        def counting(s: Any, ids: Any) -> Any:
            got = states(s, ids)
            seen.append(len(got))
            return got

        module._outbox_states = counting  # type: ignore[assignment]
        try:
            return real(self, session)
        finally:
            module._outbox_states = states  # type: ignore[assignment]

    cache.__class__._journal_before_commit = spy  # type: ignore[method-assign]
    try:
        eng.submit("notes.set", _intent(99))
    finally:
        cache.__class__._journal_before_commit = real  # type: ignore[method-assign]
    assert seen == [1]  # one row compared, not the 13 queued
    with cache.read() as s:
        assert s.execute(select(func.count()).select_from(outbox)).scalar_one() == 13
    _agree(cache)
    cache.close()
