"""Fixtures for the sync engine tests: a fake server, its client, a cache and an engine."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from modules.common.errors import Conflict, ValidationFailed
from sync.api import ApiClient, MemoryTokenStore
from sync.cache import LocalCache
from sync.engine import SyncEngine
from sync.local import LocalTx, applier
from tests.sync.fakes import FakeServer, MemoryKeyring, install_memory_keyring

PRINCIPAL = {"person_id": "p-1", "name": "张伟", "roles": ["staff"], "body_ids": ["b-1"]}


# -- a tiny "notes" module used only by these tests: one pure rule, both sides ------

def note_set_rule(current: dict[str, Any] | None, args: dict[str, Any], by: str) -> dict:
    text = args.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ValidationFailed("request.invalid", detail="text")
    if "expect" in args and (current or {}).get("text") != args["expect"]:
        raise Conflict("request.invalid", detail="changed meanwhile")
    return {"id": args["id"], "text": text, "by": by, "lines": (current or {}).get("lines", [])}


@applier("notes.set")
def _apply_set(tx: LocalTx, args: dict[str, Any]) -> None:
    tx.put("notes.note", args["id"], note_set_rule(tx.get("notes.note", args["id"]), args,
                                                   tx.principal["person_id"]))


@applier("notes.append")
def _apply_append(tx: LocalTx, args: dict[str, Any]) -> None:
    note = tx.get("notes.note", args["id"]) or {"id": args["id"], "text": "", "lines": []}
    note["lines"] = [*note.get("lines", []), args["line"]]
    tx.put("notes.note", args["id"], note)


@applier("notes.delete")
def _apply_delete(tx: LocalTx, args: dict[str, Any]) -> None:
    tx.delete("notes.note", args["id"])


def install_note_handlers(server: FakeServer) -> None:
    @server.mutation("notes.set")
    def _set(srv: FakeServer, args: dict[str, Any]) -> dict[str, Any]:
        note = note_set_rule(srv.entities.get(("notes.note", args["id"])), args, "p-1")
        srv.put("notes.note", args["id"], note)
        return {"id": args["id"]}

    @server.mutation("notes.append")
    def _append(srv: FakeServer, args: dict[str, Any]) -> None:
        note = dict(srv.entities.get(("notes.note", args["id"]))
                    or {"id": args["id"], "text": "", "lines": []})
        note["lines"] = [*note.get("lines", []), args["line"]]
        srv.put("notes.note", args["id"], note)

    @server.mutation("notes.delete")
    def _delete(srv: FakeServer, args: dict[str, Any]) -> None:
        srv.put("notes.note", args["id"], None)


@pytest.fixture()
def memory_keyring() -> Iterator[MemoryKeyring]:
    import keyring

    previous = keyring.get_keyring()
    backend = install_memory_keyring()
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture()
def server() -> FakeServer:
    srv = FakeServer()
    install_note_handlers(srv)
    return srv


@pytest.fixture()
def api(server: FakeServer) -> Iterator[ApiClient]:
    client = ApiClient("http://test", lang="zh_CN", token_store=MemoryTokenStore(),
                       transport=server.transport)
    client.login("zhangwei", "secret-1")
    yield client
    client.close()


@pytest.fixture()
def cache() -> Iterator[LocalCache]:
    c = LocalCache(None)
    yield c
    c.close()


@pytest.fixture()
def engine(cache: LocalCache, api: ApiClient) -> SyncEngine:
    """An engine that is not started: tests drive it with run_cycle()."""
    return SyncEngine(cache, api, principal=PRINCIPAL, listen=False)
