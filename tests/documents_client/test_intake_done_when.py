"""Issue 13's "done when", without a display: a clerk photographs a paper 通知 (the
product's own rendering, rasterised, turned and seen at an angle on a desk), the real
reader proposes its fields with their places on the page, the clerk corrects one and
registers it against the real server; the 收文号 comes back, the document continues in
the 收文 flow, and a word of its body text finds it in the local full-text search."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from modules.directory.demo import DEMO_PASSWORD, demo_accounts
from modules.documents.intake.read import read_file
from modules.documents.intake_service import IntakeService
from modules.documents.service import DocumentService
from sync.session import ClientSession
from tests.documents_intake import support as paper
from tests.sync.fakes import install_memory_keyring
from tests.sync.live import LiveServer

SZJ, CLERK, CZT_CLERK = "b-gd-szj", "p-demo-05", "p-demo-30"
NOTICE = paper.notice(
    issuer_mark="江海市人民政府办公室文件", doc_number="江府办〔2026〕7号",
    title="关于做好防汛防台风工作的通知", recipients="各区人民政府，市直各单位",
    body=["为切实做好今年防汛防台风工作，请各单位落实水库巡查和转移避险措施，确保人民群众安全。"],
    attachments=["值班表"], signature="江海市人民政府办公室", date="2026-05-12", sealed=False)


@pytest.fixture
def live(tmp_path: Path) -> Iterator[LiveServer]:
    from server.config import Settings

    install_memory_keyring()
    settings = Settings(data_dir=tmp_path / "server", database_url=f"sqlite:///{tmp_path / 'office.db'}",
                        secret_key="intake-test-secret-key-with-enough-length-0123456789",
                        demo=True, push_poll_seconds=0.05, log_json=False, intake_poll_seconds=0)
    server = LiveServer(settings)
    server.start(timeout=180)
    try:
        yield server
    finally:
        server.close()


def _session(live: LiveServer, folder: Path, person_id: str) -> ClientSession:
    account = next(a for a in demo_accounts() if a.person_id == person_id)
    s = ClientSession(folder / person_id, engine_options={"listen": False}, start_engine=False)
    s.login(live.url, account.login, DEMO_PASSWORD)
    assert s.engine is not None and s.engine.catch_up(60), s.engine.status().last_error
    return s


def test_a_photographed_notice_is_read_corrected_registered_and_found(live: LiveServer, tmp_path: Path) -> None:
    pdf, pages = paper.render(NOTICE)
    page = paper.rasterise(pdf, 150)[0]
    photo = paper.photograph(paper.degrade(page, angle=2.5), seed=7)  # rotation + perspective
    path = tmp_path / "IMG_0413.png"
    photo.save(path, format="PNG")

    result = read_file(path)  # the real reader, OCR included
    assert result.kind == "image" and result.page_count == 1 and result.pages[0].image
    want = paper.expected(NOTICE, pages)
    for name in ("doc_number", "title", "date"):
        f = result.fields[name]
        assert f.value == want[name], (name, f.value)
        assert f.boxes and 0 < f.confidence <= 1
        b = f.boxes[0]  # its place is on the page image the reader straightened
        assert 0 <= b.x0 < b.x1 <= result.pages[0].width and 0 <= b.y0 < b.y1 <= result.pages[0].height
    assert "转移避险" in result.text

    clerk = _session(live, tmp_path / "clients", CLERK)
    try:
        docs = DocumentService(clerk.cache, clerk.engine, clerk.principal or {}, blobs=clerk.blobs)
        intake = IntakeService(docs)
        assert [o for o, _ in intake.organs()] == [SZJ]
        values = {n: f.value for n, f in result.fields.items()}
        values["addressees"] = "各区人民政府，市直各单位"  # the clerk's correction of one field
        doc_id = intake.register(result, values, body_id=SZJ, path=path, deadline_days=5)
        assert docs.get(doc_id) is not None  # at once, before the server answered
        assert clerk.engine is not None and clerk.engine.catch_up(60), clerk.engine.status().last_error
        status = clerk.engine.status()
        assert status.pending == 0 and not status.rejected, [r.message for r in status.rejected]
        doc = docs.get(doc_id)
        assert doc is not None and doc["kind"] == "incoming" and doc["receipt_number"].startswith("收文〔")
        assert doc["step"] == "screen" and doc["deadline"]  # on in the 收文 flow: 初审 next
        assert doc["doc_number"] == "江府办〔2026〕7号" and doc["spec"]["recipients"] == "各区人民政府，市直各单位"
        assert doc["attachments"][0]["role"] == "source" and doc["source"]["file"]["kind"] == "image"
        pdf, how = docs.pdf_for(doc)  # the 正文 is the photo as read, straightened, as a PDF
        assert how == "blob" and pdf is not None and pdf.startswith(b"%PDF-")
        found = docs.search("转移避险")
        assert [r["id"] for r in found] == [doc_id]
        # The original photo is on the server as the document's source.
        assert docs.blob_bytes(doc["attachments"][0]["sha256"]) == path.read_bytes()
    finally:
        clerk.close()


def test_a_registry_registers_a_batch_reading_from_the_server_in_the_dialog(
        live: LiveServer, tmp_path: Path, qtbot: object) -> None:
    """The registry's scanner files go to the server queue; the worker (run here at once)
    reads them; the clerk opens the finished reading in the same intake dialog and
    registers it with the job's file as the source."""
    from modules.documents.views.intake import IntakeActions, IntakeDialog
    from server.documents.intake_jobs import IntakeWorker
    from tests.documents_server.test_intake_jobs import notice_docx

    clerk = _session(live, tmp_path / "clients", CLERK)
    try:
        docs = DocumentService(clerk.cache, clerk.engine, clerk.principal or {}, blobs=clerk.blobs)
        intake = IntakeService(docs)
        scan = tmp_path / "扫描件001.docx"
        scan.write_bytes(notice_docx())
        job = intake.submit_job(scan, SZJ)
        assert job["status"] == "queued"
        worker = IntakeWorker(live.app.state.sessions, live.app.state.blob_store, 1.0, 60)
        assert worker.run_once() == 1
        (listed,) = intake.jobs("registry")
        assert listed["id"] == job["id"] and listed["status"] == "done"
        dialog = IntakeDialog(IntakeActions(
            read=lambda path, progress, cancelled: intake.read(path, progress=progress, cancelled=cancelled),
            register=lambda result, values, body, days, source: intake.register(
                result, values, body_id=body, job=source["job"], deadline_days=days),
            jobs=lambda: intake.jobs("registry"), open_job=intake.job_result), [(SZJ, "省政务服务数据管理局")])
        qtbot.addWidget(dialog)  # type: ignore[attr-defined]
        dialog.refresh_jobs()
        qtbot.waitUntil(lambda: dialog.jobs_list.count() == 1, timeout=30_000)  # type: ignore[attr-defined]
        dialog.open_job(job["id"])
        qtbot.waitUntil(lambda: dialog.state == "review", timeout=30_000)  # type: ignore[attr-defined]
        assert dialog.values()["doc_number"] == "江府办〔2026〕7号"
        dialog.select_field("title")
        assert dialog.view.marked() == 1
        with qtbot.waitSignal(dialog.registered, timeout=30_000) as got:  # type: ignore[attr-defined]
            dialog.register()
        doc_id = got.args[0]
        assert clerk.engine is not None and clerk.engine.catch_up(60), clerk.engine.status().last_error
        assert not clerk.engine.status().rejected, [r.message for r in clerk.engine.status().rejected]
        doc = docs.get(doc_id)
        assert doc is not None and doc["attachments"][0]["sha256"] == job["sha256"] and doc["receipt_number"]
        assert intake.jobs("registry")[0]["document_id"] == doc_id
        assert [r["id"] for r in docs.search("转移避险")] == [doc_id]
    finally:
        clerk.close()
