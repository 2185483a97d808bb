"""An approval made offline is queued; when the server refuses it, the client says why.

Uses the sync engine against the in-memory server of tests/sync (httpx MockTransport)
whose document handlers run the same pure function as the client
(``service.apply_intent``) on the server's own state.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from modules.documents import service, workflow
from modules.documents.service import DocumentService
from sync.api import ApiClient, MemoryTokenStore
from sync.cache import LocalCache
from sync.engine import SyncEngine
from tests.documents_client import support
from tests.sync.fakes import FakeServer

NOW = dt.datetime(2026, 11, 22, 2, 42, tzinfo=dt.UTC)


def install_document_handlers(server: FakeServer, who: dict[str, Any]) -> None:
    """Server side of the intents: load, apply the shared rules, publish."""
    actor = service.actor_of(who)

    def handler(name: str) -> Any:
        def run(srv: FakeServer, args: dict[str, Any]) -> dict[str, Any]:
            doc_id = args["document_id"]
            current = srv.entities.get((service.ENTITY, doc_id))
            new = service.apply_intent(current, name, args, actor, NOW)
            srv.put(service.ENTITY, doc_id, new)
            return {"document_id": doc_id, "version": new["workflow"]["version"]}
        return run

    for name in (service.CREATE_DRAFT, service.SAVE_DRAFT, service.ACT, service.MARK_OPENED):
        server.mutation(name)(handler(name))


@pytest.fixture
def server() -> FakeServer:
    srv = FakeServer()
    install_document_handlers(srv, support.ME)
    return srv


@pytest.fixture
def engine(server: FakeServer) -> Iterator[SyncEngine]:
    api = ApiClient("http://test", lang="zh_CN", token_store=MemoryTokenStore(),
                    transport=server.transport)
    api.login("zhangwei", "secret-1")
    cache = LocalCache(None)
    eng = SyncEngine(cache, api, principal=support.ME, listen=False)
    yield eng
    api.close()
    cache.close()


def _review_doc() -> dict[str, Any]:
    """p-1 (张伟) and p-2 (李娜) may both review (any one of them completes 核稿)."""
    record = support.make_record(
        "d-eeeeeeeeeeee", support._spec("通知", "关于做好防汛抗旱工作的通知", support.FLOOD_BODY),
        "p-4", steps=[("approve", "p-4", "请审核。")],
        assignments={**support.STANDARD_FLOW, "review": ["p-1", "p-2"]})
    return record


def test_offline_approval_is_queued_then_rejected_in_words(server: FakeServer,
                                                           engine: SyncEngine) -> None:
    server.put(service.ENTITY, "d-eeeeeeeeeeee", _review_doc())
    engine.run_cycle()
    svc = DocumentService(engine.cache, engine, support.ME)
    assert svc.counts()["todo"] == 1

    # Offline: the approval shows at once and waits in the outbox.
    server.offline = True
    svc.act("d-eeeeeeeeeeee", "approve", opinion="同意。")
    engine.run_cycle()
    doc = svc.get("d-eeeeeeeeeeee")
    assert doc["state_words"] == "待签发" and engine.status().pending == 1
    assert svc.counts()["todo"] == 0 and svc.counts()["done"] == 1
    assert svc.search("同意", filters={"status": "active"})[0]["id"] == "d-eeeeeeeeeeee"

    # Meanwhile 李娜 reviewed it on the server (the shared rule, as the server runs it).
    state = server.entities[(service.ENTITY, "d-eeeeeeeeeeee")]
    state = service.apply_intent(state, service.ACT, {
        "document_id": "d-eeeeeeeeeeee", "op": "approve", "step": "review",
        "args": {"opinion": "已改。"}}, workflow.Actor.of(support.actor("p-2")),
        NOW - dt.timedelta(minutes=5))
    server.put(service.ENTITY, "d-eeeeeeeeeeee", state)

    # Back online: the server refuses the late approval; the client says who acted first.
    server.offline = False
    engine.run_cycle()
    status = engine.status()
    assert status.pending == 0
    [item] = status.rejected
    assert item.status == "conflict"
    assert item.message.startswith("该公文已由李娜于") and "您的签批未生效" in item.message
    assert [i.message for i in svc.rejected_for("d-eeeeeeeeeeee")] == [item.message]
    # The optimistic effect is gone: what shows is the server's state (李娜's opinion).
    doc = svc.get("d-eeeeeeeeeeee")
    assert [o["text"] for o in doc["opinions"]] == ["请审核。", "已改。"]
    assert svc.search("同意", filters={"status": "active"}) == []


def test_offline_draft_reaches_the_server(server: FakeServer, engine: SyncEngine) -> None:
    svc = DocumentService(engine.cache, engine, support.ME)
    server.offline = True
    svc.create_draft("d-ffffffffffff", {"doc_type": "通知", "title": "关于离线起草的通知",
                                        "issuer_mark": "江海市人民政府办公室文件",
                                        "body": ["离线时也能起草。"]})
    engine.run_cycle()
    assert svc.counts()["mine"] == 1 and (service.ENTITY, "d-ffffffffffff") not in server.entities
    server.offline = False
    engine.run_cycle()
    assert server.entities[(service.ENTITY, "d-ffffffffffff")]["title"] == "关于离线起草的通知"
    assert engine.status().pending == 0 and engine.status().rejected == ()
    assert svc.search("离线起草")[0]["id"] == "d-ffffffffffff"


def test_pdf_downloads_on_open_and_attachments_upload(server: FakeServer, tmp_path: Any) -> None:
    """The official PDF is fetched when a document is opened (hash-verified); a drafted
    attachment goes up through the blob queue."""
    import hashlib

    from modules.common.errors import ValidationFailed
    from modules.documents.render import render_pdf
    from sync.blobs import BlobStore

    pdf = render_pdf(support._spec("通知", "关于测试下载的通知", ["正文。"])).pdf
    sha = hashlib.sha256(pdf).hexdigest()
    server.blobs[sha] = bytearray(pdf)
    server.blob_totals[sha] = len(pdf)
    server.complete.add(sha)
    record = _review_doc()
    record["pdf_sha256"] = sha
    server.put(service.ENTITY, record["id"], record)

    api = ApiClient("http://test", lang="zh_CN", token_store=MemoryTokenStore(),
                    transport=server.transport)
    api.login("zhangwei", "secret-1")
    cache = LocalCache(None)
    blobs = BlobStore(cache, tmp_path / "blobs")
    eng = SyncEngine(cache, api, principal=support.ME, listen=False, blobs=blobs)
    try:
        eng.run_cycle()
        svc = DocumentService(cache, eng, support.ME, blobs=blobs)
        assert svc.pdf_for(svc.get(record["id"])) == (None, "downloading")
        eng.run_cycle()
        assert svc.pdf_for(svc.get(record["id"])) == (pdf, "blob")
        # A file damaged on disk is refused in words and fetched again.
        path = blobs.path(sha)
        path.write_bytes(b"%PDF-broken")
        with pytest.raises(ValidationFailed) as err:
            svc.blob_bytes(sha, "正文")
        assert "校验失败" in err.value.message("zh_CN")
        assert any(q["sha256"] == sha and q["direction"] == "down" for q in blobs.queue())
        # Upload of a new attachment.
        source = tmp_path / "实施方案.pdf"
        source.write_bytes(pdf + b"%extra")
        entry = svc.add_attachment(source)
        assert entry["name"] == "实施方案" and entry["content_type"] == "application/pdf"
        eng.run_cycle()
        assert entry["sha256"] in server.complete
    finally:
        api.close()
        cache.close()
