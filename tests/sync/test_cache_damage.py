"""A damaged local cache never loses queued work silently: the corruption matrix.

Each case builds a small cache (records on several leaf pages under an interior page,
one record on overflow pages, a freelist, queued intents, the principal for offline
entry), damages the cache file, its WAL or the outbox journal, and opens it again. The
client must open without an exception, keep every intact intent queued under its own id
(and push it), and name every intent it could not recover among the rejected items.
"""

from __future__ import annotations

import shutil
import sqlite3
import struct
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert, select

from modules.common.errors import DomainError
from sync.api import ApiClient
from sync.cache import LocalCache, journal_path, outbox, records
from sync.engine import SyncEngine
from sync.session import ClientSession
from tests.sync.conftest import PRINCIPAL
from tests.sync.fakes import FakeServer, MemoryKeyring

PAGE = 4096
FIRST = 5  # intents queued before the checkpoint (in the main file)
LATER = 3  # intents queued after it (still in the WAL when the "crash" comes)


def _intent(i: int) -> dict[str, Any]:
    return {"id": f"n{i}", "text": f"离线草稿 {i} " + "内容" * 20}


_PRISTINE: dict[bool, tuple[Path, list[str]]] = {}


def _build(folder: Path, *, wal: bool) -> tuple[Path, list[str]]:
    """A small cache in ``folder``; returns (cache path, queued mutation ids in order).
    With ``wal`` the last intents are only in the WAL of a copy taken while open. Built
    once per kind, then copied (the matrix stays fast)."""
    if wal not in _PRISTINE:
        import tempfile

        _PRISTINE[wal] = _make(Path(tempfile.mkdtemp(prefix="cache-damage-")), wal=wal)
    path, ids = _PRISTINE[wal]
    for p in path.parent.iterdir():
        if p.is_file():
            shutil.copyfile(p, folder / p.name)
    return folder / path.name, list(ids)


def _make(folder: Path, *, wal: bool) -> tuple[Path, list[str]]:
    path = folder / "cache.sqlite"
    cache = LocalCache(path)
    with cache.write() as s:
        s.execute(insert(records), [
            {"entity": "notes.note", "id": f"r{i:04d}", "base": {"t": "记录" * 40},
             "data": {"t": "记录" * 40}, "seq": i, "updated_at": "2026-01-01T00:00:00+00:00",
             "stale": False} for i in range(400)])
        s.execute(insert(records).values(
            entity="notes.note", id="big", base={"t": "长" * 6000}, data={"t": "长" * 6000},
            seq=1, updated_at="2026-01-01T00:00:00+00:00", stale=False))
    with cache.write() as s:  # frees whole leaf pages: a freelist
        s.execute(records.delete().where(records.c.id.between("r0100", "r0250")))
    cache.meta_set("principal", PRINCIPAL)
    eng = SyncEngine(cache, _offline_api(), principal=PRINCIPAL, listen=False)
    ids = [eng.submit("notes.set", _intent(i)) for i in range(FIRST)]
    cache.close()
    if not wal:
        ids += _reopen_and_submit(path, LATER)
        return path, ids
    cache = LocalCache(path)
    eng = SyncEngine(cache, _offline_api(), principal=PRINCIPAL, listen=False)
    ids += [eng.submit("notes.set", _intent(FIRST + i)) for i in range(LATER)]
    crashed = folder / "crashed"
    crashed.mkdir()
    for p in (path, Path(f"{path}-wal"), journal_path(path)):
        shutil.copyfile(p, crashed / p.name)
    assert (crashed / "cache.sqlite-wal").stat().st_size > 0
    cache.close()
    return crashed / "cache.sqlite", ids


def _reopen_and_submit(path: Path, n: int) -> list[str]:
    cache = LocalCache(path)
    eng = SyncEngine(cache, _offline_api(), principal=PRINCIPAL, listen=False)
    ids = [eng.submit("notes.set", _intent(FIRST + i)) for i in range(n)]
    cache.close()
    return ids


def _offline_api() -> ApiClient:
    server = FakeServer()
    server.offline = True
    return ApiClient("http://test", transport=server.transport)


def _pages(path: Path) -> dict[str, int]:
    """Page numbers of one page of each kind in the (checkpointed) file."""
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("SELECT name, pageno, pagetype FROM dbstat").fetchall()
    finally:
        conn.close()
    header = path.read_bytes()[:100]
    freelist = struct.unpack(">I", header[32:36])[0]
    found = {
        "interior": next(p for n, p, t in rows if n == "records" and t == "internal"),
        "records_leaf": next(p for n, p, t in rows if n == "records" and t == "leaf"),
        "outbox_leaf": next(p for n, p, t in rows if n == "outbox" and t == "leaf"),
        "overflow": next(p for n, p, t in rows if t == "overflow"),
        "index_leaf": next(p for n, p, t in rows
                           if n == "sqlite_autoindex_outbox_1" and t == "leaf"),
        "freelist": freelist,
        "header": 1,
    }
    assert freelist > 0
    return found


def _flip(path: Path, offset: int, length: int = 24) -> None:
    data = bytearray(path.read_bytes())
    for i in range(offset, min(offset + length, len(data))):
        data[i] ^= 0xFF
    path.write_bytes(bytes(data))


def _truncate(path: Path, size: int) -> None:
    with open(path, "r+b") as fh:
        fh.truncate(size)


def _flip_page(kind: str, where: str) -> Callable[[Path], None]:
    """Flip bytes in one page: its head, or its cells (b-tree pages: from the start of
    the cell content area; overflow and freelist pages: near the end)."""
    def damage(path: Path) -> None:
        page = _pages(path)[kind]
        start = (page - 1) * PAGE + (100 if page == 1 else 0)
        if where == "head":
            _flip(path, start + 4)
        elif kind in ("overflow", "freelist"):
            _flip(path, page * PAGE - 400)
        else:
            content = int.from_bytes(path.read_bytes()[start + 5:start + 7], "big")
            _flip(path, (page - 1) * PAGE + content + 8)
    return damage


def _journal_line_of(path: Path, mutation_id: str) -> int:
    data = journal_path(path).read_bytes()
    line_start = data.rfind(b"\n", 0, data.index(mutation_id.encode())) + 1
    return data.index("离线草稿".encode(), line_start)


CACHE_DAMAGE: dict[str, Callable[[Path], None]] = {
    "truncate-0": lambda p: _truncate(p, 0),
    "truncate-half": lambda p: _truncate(p, p.stat().st_size // 2),
    "truncate-page-boundary": lambda p: _truncate(p, 3 * PAGE),
    "truncate-inside-header": lambda p: _truncate(p, 60),
    "flip-header-page-head": _flip_page("header", "head"),
    "flip-header-page-cells": _flip_page("header", "cells"),
    "flip-file-header": lambda p: _flip(p, 16, 40),
    "flip-text-encoding": lambda p: p.write_bytes(
        p.read_bytes()[:56] + struct.pack(">I", 2) + p.read_bytes()[60:]),
    "flip-interior-head": _flip_page("interior", "head"),
    "flip-interior-cells": _flip_page("interior", "cells"),
    "flip-records-leaf-head": _flip_page("records_leaf", "head"),
    "flip-records-leaf-cells": _flip_page("records_leaf", "cells"),
    "flip-outbox-leaf-head": _flip_page("outbox_leaf", "head"),
    "flip-outbox-leaf-cells": _flip_page("outbox_leaf", "cells"),
    "flip-overflow-head": _flip_page("overflow", "head"),
    "flip-overflow-cells": _flip_page("overflow", "cells"),
    "flip-index-leaf-head": _flip_page("index_leaf", "head"),
    "flip-index-leaf-cells": _flip_page("index_leaf", "cells"),
    "flip-freelist-head": _flip_page("freelist", "head"),
    "flip-freelist-cells": _flip_page("freelist", "cells"),
    "garbage": lambda p: p.write_bytes(b"\x8f\xfe garbage \xff" * 2000),
}

WAL_DAMAGE: dict[str, Callable[[Path], None]] = {
    "wal-truncated": lambda p: _truncate(Path(f"{p}-wal"), Path(f"{p}-wal").stat().st_size // 2),
    "wal-flipped-frame": lambda p: _flip(Path(f"{p}-wal"), 32 + 24 + 2000, 64),
    "wal-flipped-header": lambda p: _flip(Path(f"{p}-wal"), 8, 16),
    "wal-garbage": lambda p: Path(f"{p}-wal").write_bytes(b"\x00garbage\xff" * 3000),
    "wal-and-main-flipped": lambda p: (_flip(Path(f"{p}-wal"), 32 + 24 + 2000, 64),
                                       _flip_page("interior", "head")(p)),
}


def _queued(cache: LocalCache) -> list[str]:
    with cache.read() as s:
        return list(s.execute(select(outbox.c.mutation_id).where(
            outbox.c.state.in_(("pending", "inflight"))).order_by(outbox.c.order)).scalars())


def _check_open(path: Path, expected: list[str], lost: dict[str, str],
                server: FakeServer, api: ApiClient) -> LocalCache:
    cache = LocalCache(path)  # must not raise
    cache.list("notes.note")  # and serves no garbage: every record still reads
    assert _queued(cache) == [m for m in expected if m not in lost]
    with cache.read() as s:
        args = dict(s.execute(select(outbox.c.mutation_id, outbox.c.args)).all())
    for i, mid in enumerate(expected):
        if mid not in lost:
            assert args[mid] == _intent(i)  # the journal's checksummed copy, not garbage
    eng = SyncEngine(cache, api, principal=PRINCIPAL, listen=False)
    status = eng.status()
    shown_lost = {r.args.get("lost_mutation_id"): r.name for r in status.rejected
                  if r.status == "lost"}
    assert shown_lost == lost
    if cache.rebuilt or lost:
        [notice] = [r for r in status.rejected if r.status == "notice"]
        assert f"{len(lost)}" in notice.message and notice.message
        assert cache.recovery is not None
    assert cache.meta_get("principal") == PRINCIPAL  # offline entry still possible
    eng.run_cycle()
    for mid in expected:
        if mid not in lost:
            assert server.applied[mid]["status"] == "applied"
    assert eng.status().pending == 0
    return cache


@pytest.mark.parametrize("case", sorted(CACHE_DAMAGE))
def test_damaged_cache_file_keeps_the_queue(
        case: str, tmp_path: Path, server: FakeServer, api: ApiClient) -> None:
    path, ids = _build(tmp_path, wal=False)
    CACHE_DAMAGE[case](path)
    cache = _check_open(path, ids, {}, server, api)
    assert cache.get("notes.note", "n0")["text"] == _intent(0)["text"]
    cache.close()


@pytest.mark.parametrize("case", sorted(WAL_DAMAGE))
def test_damaged_wal_keeps_the_queue(
        case: str, tmp_path: Path, server: FakeServer, api: ApiClient) -> None:
    path, ids = _build(tmp_path, wal=True)
    assert len(ids) == FIRST + LATER
    WAL_DAMAGE[case](path)
    _check_open(path, ids, {}, server, api).close()


def test_damaged_journal_line_with_a_healthy_cache_loses_nothing(
        tmp_path: Path, server: FakeServer, api: ApiClient) -> None:
    path, ids = _build(tmp_path, wal=False)
    _flip(journal_path(path), _journal_line_of(path, ids[2]), 3)
    _check_open(path, ids, {}, server, api).close()
    assert list(tmp_path.glob("cache.outbox.jsonl.broken-*"))  # kept for support


def test_damaged_journal_and_lost_cache_names_what_is_lost(
        tmp_path: Path, server: FakeServer, api: ApiClient) -> None:
    path, ids = _build(tmp_path, wal=False)
    _flip(journal_path(path), _journal_line_of(path, ids[2]), 3)
    _truncate(path, 0)
    cache = _check_open(path, ids, {ids[2]: "notes.set"}, server, api)
    assert cache.recovery is not None and cache.recovery.lost_names() == ["notes.set"]
    assert cache.recovery.recovered == len(ids) - 1
    cache.close()


def test_journal_cut_short_by_a_crash_and_garbage_journal(
        tmp_path: Path, server: FakeServer, api: ApiClient) -> None:
    path, ids = _build(tmp_path, wal=False)
    jp = journal_path(path)
    _truncate(jp, jp.stat().st_size - 30)  # torn last line
    _check_open(path, ids, {}, server, api).close()
    jp.write_bytes(b"\xff\x00 not a journal \n" * 50)
    cache = LocalCache(path)
    assert _queued(cache) == []  # everything was pushed above; nothing invented
    assert [r for r in SyncEngine(cache, api, principal=PRINCIPAL, listen=False)
            .status().rejected] == []
    cache.close()


def test_both_damaged_without_a_journal_says_so(tmp_path: Path, api: ApiClient) -> None:
    path, ids = _build(tmp_path, wal=False)
    journal_path(path).unlink()
    _flip_page("header", "head")(path)
    cache = LocalCache(path)
    status = SyncEngine(cache, api, principal=PRINCIPAL, listen=False).status()
    queued = set(_queued(cache))
    lost = [r for r in status.rejected if r.status == "lost"]
    # Whatever the damaged file still held is queued; the rest is reported, not dropped.
    assert queued == set(ids) or lost
    assert queued <= set(ids)
    cache.close()


def test_an_intent_is_durable_in_the_journal_before_it_shows(
        tmp_path: Path, api: ApiClient) -> None:
    path = tmp_path / "cache.sqlite"
    cache = LocalCache(path)
    eng = SyncEngine(cache, api, principal=PRINCIPAL, listen=False)
    journal_path(path).unlink()
    journal_path(path).mkdir()  # the journal cannot be written
    with pytest.raises(DomainError) as refused:
        eng.submit("notes.set", _intent(0))
    assert refused.value.code == "sync.queue_unwritable"
    assert refused.value.message().startswith("无法保存到本机的待上传队列")
    assert cache.get("notes.note", "n0") is None and _queued(cache) == []
    cache.close()


def test_offline_entry_after_the_cache_was_lost(
        tmp_path: Path, server: FakeServer, memory_keyring: MemoryKeyring) -> None:
    session = ClientSession(tmp_path, transport=server.transport, start_engine=False)
    session.login("http://test", "zhangwei", "secret-1")
    assert session.engine is not None and session.cache is not None
    mid = session.engine.submit("notes.set", _intent(0))
    path = session.cache.path
    session.close()
    assert path is not None
    _truncate(path, 0)

    server.offline = True
    session.sign_in("http://test", "zhangwei", "secret-1")  # offline, from the journal
    assert session.offline_entry and session.engine is not None
    status = session.engine.status()
    assert status.pending == 1
    [notice] = status.rejected
    assert notice.status == "notice" and "本地缓存已损坏" in notice.message
    server.offline = False
    session.engine.run_cycle()
    assert server.applied[mid]["status"] == "applied"
    session.close()


def test_status_popup_names_what_was_lost(
        tmp_path: Path, api: ApiClient, qtbot: Any) -> None:
    from PySide6.QtWidgets import QLabel

    from office_app.status import StatusPopup

    path, ids = _build(tmp_path, wal=False)
    _flip(journal_path(path), _journal_line_of(path, ids[1]), 3)
    _truncate(path, 0)
    cache = LocalCache(path)
    status = SyncEngine(cache, api, principal=PRINCIPAL, listen=False).status()
    popup = StatusPopup()
    qtbot.addWidget(popup)
    popup.set_status(status)
    texts = [label.text() for label in popup.findChildren(QLabel)]
    assert any(t.startswith("未能恢复 · ") for t in texts)
    assert "本地缓存已修复" in texts
    assert any("无法恢复 1 项：notes.set" in t for t in texts)
    assert any("离线草稿" not in t and "请重新办理：notes.set" in t for t in texts)
    cache.close()


def test_a_damaged_id_or_args_are_repaired_and_unjournaled_intents_are_kept(
        tmp_path: Path, server: FakeServer, api: ApiClient) -> None:
    path, ids = _build(tmp_path, wal=False)
    conn = sqlite3.connect(path)
    with conn:  # what a flipped byte inside one id looks like, and an older client's row
        conn.execute("UPDATE outbox SET mutation_id = 'x' || substr(mutation_id, 2) "
                     "WHERE mutation_id = ?", (ids[3],))
        conn.execute("UPDATE outbox SET args = replace(args, '草稿', '草橋') "
                     "WHERE mutation_id = ?", (ids[1],))  # still JSON, but not what was said
        conn.execute(
            "INSERT INTO outbox (mutation_id, name, args, touched, state, attempts, "
            "created_at) VALUES ('older-client', 'notes.set', ?, '[]', 'pending', 0, "
            "'2026-01-01T00:00:00+00:00')", ('{"id": "n99", "text": "旧版客户端"}',))
    conn.close()
    cache = LocalCache(path)
    assert not cache.rebuilt
    assert _queued(cache) == [*ids, "older-client"]
    with cache.read() as s:
        assert s.execute(select(outbox.c.args).where(
            outbox.c.mutation_id == ids[1])).scalar_one() == _intent(1)
    eng = SyncEngine(cache, api, principal=PRINCIPAL, listen=False)
    eng.run_cycle()
    assert sorted(server.applied) == sorted([*ids, "older-client"])
    cache.close()


def test_offline_entry_when_the_cache_file_is_gone(
        tmp_path: Path, server: FakeServer, memory_keyring: MemoryKeyring) -> None:
    session = ClientSession(tmp_path, transport=server.transport, start_engine=False)
    session.login("http://test", "zhangwei", "secret-1")
    assert session.engine is not None and session.cache is not None
    mid = session.engine.submit("notes.set", _intent(0))
    path = session.cache.path
    session.close()
    assert path is not None
    path.unlink()

    server.offline = True
    session.sign_in("http://test", "zhangwei", "secret-1")
    assert session.offline_entry and session.engine is not None
    assert [i["mutation_id"] for i in session.engine.pending_items()] == [mid]
    session.close()


def test_damage_found_while_in_use_is_said_in_words_and_repaired_on_the_next_start(
        tmp_path: Path, server: FakeServer, api: ApiClient) -> None:
    from modules.common.errors import CacheDamaged
    from sync.cache import damage_marker

    path, ids = _build(tmp_path, wal=False)
    cache = LocalCache(path)
    eng = SyncEngine(cache, api, principal=PRINCIPAL, listen=False)
    cache.engine.dispose()  # no page cached: the next read goes to the file
    _flip_page("interior", "head")(path)
    with pytest.raises(CacheDamaged):
        cache.list("notes.note")
    assert damage_marker(path).exists()
    eng.run_cycle({"pull"})
    assert eng.status().last_error == "本地缓存文件已损坏。请重新启动客户端，它会自动修复并保留待上传的操作。"
    cache.close()

    reopened = _check_open(path, ids, {}, server, api)
    assert reopened.rebuilt and not damage_marker(path).exists()
    reopened.close()


def test_a_damaged_wal_and_a_damaged_journal_line_name_the_intent_lost_in_both(
        tmp_path: Path, server: FakeServer, api: ApiClient) -> None:
    path, ids = _build(tmp_path, wal=True)
    WAL_DAMAGE["wal-garbage"](path)  # the file opens fine but forgot the last intents
    _flip(journal_path(path), _journal_line_of(path, ids[FIRST + 1]), 3)
    cache = _check_open(path, ids, {ids[FIRST + 1]: "notes.set"}, server, api)
    assert not cache.rebuilt
    cache.close()


def test_a_unicode_error_while_opening_is_damage_not_a_failed_sign_in(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path, ids = _build(tmp_path, wal=False)
    original = LocalCache._check_schema
    calls = []

    def flaky(self: LocalCache, engine: Any) -> bool:
        calls.append(1)
        if len(calls) == 1:  # what PRAGMA journal_mode=WAL raised on a flipped byte
            raise UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte")
        return original(self, engine)

    monkeypatch.setattr(LocalCache, "_check_schema", flaky)
    cache = LocalCache(path)
    assert cache.rebuilt and _queued(cache) == ids
    cache.close()
