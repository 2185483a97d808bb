"""One 通知 from 拟稿 to 归档 across two bodies, on the REAL stack.

A real server (``tests.sync.live.LiveServer``, demo organisation, temporary SQLite)
runs in a thread; every person signs in with a real ``ClientSession`` (memory keyring)
and acts through ``DocumentService`` / ``SealService`` — the calls the screens make.

Sending body 省政务服务数据管理局 (b-gd-szj): drafter → 综合处处长 (核稿) → 局长 (签发)
→ 收发员 (复核, 登记 with the 发文字号 and the seal request) → 局长 approves the
用印申请 → 印章管理员 stamps → 收发员 核发 to 省财政厅. Receiving body 省财政厅
(b-gd-czt): 收发员 签收, 登记 (收文号), 初审 → 办公室主任 拟办 → 厅长 批办 → 预算处处长
承办 → 收发员 办结, 归档 with a 档号; finally the sender's clerk archives the outgoing.

With ``OFFICE_FLOW_SCREENSHOTS=DIR`` the documents page of the acting person is drawn at
every step, with the step's dialog open where it has one, into
``DIR/flow-NN-<step>-{wide,phone}.png`` (1440×900 and 390×844).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from modules.directory.demo import DEMO_PASSWORD, demo_accounts
from modules.documents.archive.numbers import format_archive_no, validate_archive_no
from modules.documents.service import DocumentService, new_document_id
from modules.seals.service import SealService
from sync.session import ClientSession
from tests.seals.create import create_seal
from tests.sync.fakes import MemoryKeyring, install_memory_keyring
from tests.sync.live import LiveServer

SZJ, CZT = "b-gd-szj", "b-gd-czt"
# Sending body (modules.directory.demo, server.documents.demo).
JUZHANG, CLERK, SEALER, ZHC_HEAD, DRAFTER = "p-demo-01", "p-demo-05", "p-demo-06", "p-demo-10", "p-demo-12"
ADMIN = "p-demo-61"  # 安全保密管理员 (security administrator): creates the bureau's e-seal
# Receiving body.
CZT_HEAD, CZT_CLERK, CZT_BGS_HEAD, CZT_YSC_HEAD = "p-demo-28", "p-demo-30", "p-demo-32", "p-demo-33"

SHOTS = os.environ.get("OFFICE_FLOW_SCREENSHOTS", "")


class Office:
    """The live server plus one signed-in client per person (made on first use)."""

    def __init__(self, live: LiveServer, folder: Path) -> None:
        self.live = live
        self.folder = folder
        self.accounts = {a.person_id: a for a in demo_accounts()}
        self.sessions: dict[str, ClientSession] = {}

    def session(self, person_id: str) -> ClientSession:
        if person_id not in self.sessions:
            s = ClientSession(self.folder / person_id, engine_options={"listen": False},
                              start_engine=False)
            s.login(self.live.url, self.accounts[person_id].login, DEMO_PASSWORD)
            self.sessions[person_id] = s
        s = self.sessions[person_id]
        assert s.engine is not None and s.engine.catch_up(60), s.engine.status().last_error
        return s

    def docs(self, person_id: str) -> DocumentService:
        s = self.session(person_id)
        return DocumentService(s.cache, s.engine, s.principal or {}, blobs=s.blobs)

    def seals(self, person_id: str) -> SealService:
        s = self.session(person_id)
        return SealService(s.engine, keyring=None)

    def actor(self, person_id: str) -> dict[str, str]:
        return {"id": person_id, "name": self.accounts[person_id].name}

    def sync(self, person_id: str) -> None:
        """Push what the person queued and pull the server's answer; nothing rejected."""
        engine = self.sessions[person_id].engine
        assert engine is not None and engine.catch_up(60), engine.status().last_error
        status = engine.status()
        assert status.pending == 0 and not status.rejected, [r.message for r in status.rejected]

    def close(self) -> None:
        for s in self.sessions.values():
            s.close()


@pytest.fixture
def office(tmp_path: Path) -> Iterator[Office]:
    from server.config import Settings

    keys: MemoryKeyring = install_memory_keyring()
    assert keys is not None
    settings = Settings(data_dir=tmp_path / "server", database_url=f"sqlite:///{tmp_path / 'office.db'}",
                        secret_key="flow-test-secret-key-with-enough-length-0123456789",
                        demo=True, push_poll_seconds=0.05, log_json=False)
    live = LiveServer(settings)
    live.start(timeout=180)
    o = Office(live, tmp_path / "clients")
    try:
        yield o
    finally:
        o.close()
        live.close()


def _create_seal(office: Office) -> str:
    """The bureau's official e-seal (公章), made by the security administrator over HTTP."""
    login = office.accounts[ADMIN].login
    with httpx.Client(base_url=office.live.url, timeout=30) as http:
        r = http.post("/api/v1/auth/login", json={"account": login, "password": DEMO_PASSWORD})
        assert r.status_code == 200, r.text
        now = dt.datetime.now(dt.UTC)
        seal = create_seal(http, {"Authorization": f"Bearer {r.json()['access_token']}"},
                           {"name": "广东省政务服务数据管理局", "type": "official", "body_id": SZJ,
                            "custodians": [SEALER], "approvers": [JUZHANG], "requesters": [CLERK],
                            "valid_from": (now - dt.timedelta(days=1)).isoformat(),
                            "valid_to": (now + dt.timedelta(days=365)).isoformat()})
        return str(seal["id"])


SPEC = {
    "doc_type": "通知", "title": "关于开展政务数据共享质量抽查的通知",
    "issuer_mark": "广东省政务服务数据管理局文件", "recipients": "省财政厅：",
    "body": [{"text": "为提升政务数据共享质量，决定开展一次共享数据质量抽查。现将有关事项通知如下。", "level": 0},
             {"text": "一、抽查范围", "level": 1},
             {"text": "省财政厅向省一体化平台共享的预算执行数据。", "level": 0},
             {"text": "二、工作要求", "level": 1},
             {"text": "请于2026年12月15日前完成自查并报送结果。", "level": 0}],
    "signature": "广东省政务服务数据管理局", "sealed": True, "urgency": "",
    "printer": "广东省政务服务数据管理局办公室", "attachments": [],
}


# --------------------------------------------------------------------------- screenshots


class Shooter:
    """Draws the acting person's documents page (with the step's dialog, if any)."""

    def __init__(self, office: Office, out: Path) -> None:
        from PySide6.QtWidgets import QApplication

        from office_app.app import setup_application
        from office_app.settings import AppSettings

        self.office = office
        self.out = out
        out.mkdir(parents=True, exist_ok=True)
        self.app = QApplication.instance()
        assert self.app is not None
        settings = AppSettings.at_path(office.folder / "settings.ini")
        settings.theme = "light"
        setup_application(self.app, settings)  # type: ignore[arg-type]
        self.settings = settings
        self.written: list[Path] = []

    def shot(self, nn: int, step: str, person_id: str, doc_id: str,
             open_dialog: Callable[[Any], None] | None = None) -> None:
        import time

        from PySide6.QtCore import QPoint
        from PySide6.QtGui import QColor, QPainter
        from PySide6.QtWidgets import QApplication, QDialog

        from office_app import i18n
        from office_app.bus import ChangeBus
        from office_app.context import AppContext
        from office_app.main_window import MainWindow
        from office_app.screenshot import settle

        assert i18n.current_lang() == "zh_CN"
        session = self.office.session(person_id)
        svc = self.office.docs(person_id)
        doc = svc.get(doc_id)
        assert doc is not None
        if doc.get("pdf_sha256"):  # fetch the official PDF first, as a running client would have
            svc.pdf_for(doc)
            assert session.engine is not None
            session.engine.catch_up(60)
        ctx = AppContext(self.settings, session.principal or {}, cache=session.cache,
                         engine=session.engine, session=session, bus=ChangeBus())
        ctx.attach()
        for width, height in ((1440, 900), (390, 844)):
            tag = "wide" if width > 900 else "phone"
            window = MainWindow(ctx)
            window.resize(width, height)
            window.show()
            settle()
            window.navigate("documents")
            page: Any = window.page_widget("documents")
            settle()
            page.show_document(doc_id)
            settle(8)
            for _ in range(30):  # QPdfView renders pages on its own threads
                QApplication.processEvents()
                time.sleep(0.03)
            if open_dialog is not None:
                open_dialog(page)
                settle(6)
            pixmap = window.grab()
            dialogs = [w for w in QApplication.topLevelWidgets()
                       if isinstance(w, QDialog) and w.isVisible()]
            if dialogs:
                dialog = dialogs[-1]
                dialog.resize(min(dialog.width(), width - 24), dialog.height())
                settle(2)
                grabbed = dialog.grab()
                painter = QPainter(pixmap)
                painter.fillRect(pixmap.rect(), QColor(0, 0, 0, 90))
                ratio = pixmap.devicePixelRatio() or 1.0
                w, h = pixmap.width() / ratio, pixmap.height() / ratio
                x = max(0, int((w - grabbed.width() / (grabbed.devicePixelRatio() or 1)) / 2))
                y = max(0, int((h - grabbed.height() / (grabbed.devicePixelRatio() or 1)) / 3))
                painter.drawPixmap(QPoint(x, y), grabbed)
                painter.end()
                for d in dialogs:
                    d.reject()
            path = self.out / f"flow-{nn:02d}-{step}-{tag}.png"
            assert pixmap.save(str(path), "PNG")
            self.written.append(path)
            window.close()
            window.deleteLater()
            settle(2)
        ctx.detach()


# --------------------------------------------------------------------------- the flow


def test_notice_goes_from_draft_to_archive_across_two_bodies(office: Office, qapp: Any) -> None:
    shooter = Shooter(office, Path(SHOTS)) if SHOTS else None
    seal_id = _create_seal(office)
    n = 0

    def shot(step: str, person_id: str, doc_id: str, open_dialog: Callable[[Any], None] | None = None) -> None:
        nonlocal n
        n += 1
        if shooter is not None:
            shooter.shot(n, step, person_id, doc_id, open_dialog)

    def state(person_id: str, doc_id: str) -> dict[str, Any]:
        office.sync(person_id)
        doc = office.docs(person_id).get(doc_id)
        assert doc is not None
        return doc

    def approve_dialog(page: Any) -> None:
        page.detail.ask("approve")

    def fill_archive(page: Any, target: str, fonds: str, org: str) -> None:
        from office_app.screenshot import settle

        page.run_command(target, "archive")
        settle(4)
        page.dialog.fonds.setText(fonds)
        page.dialog.org.setText(org)
        assert page.dialog.number.text() == format_archive_no(fonds, "WS", year, page.dialog.retention.currentText(),
                                                              org, 1)

    # ---- 拟稿 (drafter, 综合处)
    doc_id = new_document_id()
    drafter = office.docs(DRAFTER)
    drafter.create_draft(doc_id, SPEC, main_to=[CZT], body_id=SZJ,
                         assignments={"review": [office.actor(ZHC_HEAD)], "sign": [office.actor(JUZHANG)]})
    office.sync(DRAFTER)
    assert drafter.get(doc_id)["state_words"] == "草稿"
    shot("draft", DRAFTER, doc_id, approve_dialog)
    drafter.act(doc_id, "approve", opinion="请审核。")
    doc = state(DRAFTER, doc_id)
    assert doc["step"] == "review" and doc["state_words"] == "待核稿"

    # ---- 核稿 (综合处处长)
    head = office.docs(ZHC_HEAD)
    assert head.allowed(head.get(doc_id)).approve
    shot("review", ZHC_HEAD, doc_id, approve_dialog)
    head.act(doc_id, "approve", opinion="拟同意，请局长审签。")
    assert state(ZHC_HEAD, doc_id)["state_words"] == "待签发"

    # ---- 签发 (局长)
    boss = office.docs(JUZHANG)
    shot("sign", JUZHANG, doc_id, approve_dialog)
    boss.act(doc_id, "approve", opinion="同意印发。")
    doc = state(JUZHANG, doc_id)
    assert doc["step"] == "recheck" and doc["spec"]["date"]

    # ---- 复核 (收发员)
    clerk = office.docs(CLERK)
    shot("recheck", CLERK, doc_id, approve_dialog)
    clerk.act(doc_id, "approve")
    assert state(CLERK, doc_id)["state_words"] == "待登记"

    # ---- 登记: 发文字号 shown, the seal chosen for the 用印申请
    allowed = clerk.allowed(clerk.get(doc_id))
    assert allowed.register and allowed.approve_verb == "登记"
    info = clerk.register_info(doc_id)
    assert info["agency_code"] and info["sealed"]
    assert [s["id"] for s in info["seals"]] == [seal_id]
    shot("register", CLERK, doc_id, lambda page: page.run_command(doc_id, "register"))
    clerk.register(doc_id, seal_id=seal_id)
    doc = state(CLERK, doc_id)
    year = dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).year
    assert doc["doc_number"].startswith(f"{info['agency_code']}〔{year}〕") and doc["doc_number"].endswith("号")
    assert doc["pdf_sha256"] and doc["seal"]["state"] == "requested" and doc["state_words"] == "待用印"
    registered_pdf = doc["pdf_sha256"]
    request_id = doc["seal"]["request_id"]

    # ---- 修订对比: 登记 wrote the number (and the 成文日期 of 签发) into a new revision
    assert doc["revision"] == 2
    diff = clerk.diff(doc_id, 1, 2)
    assert any(line["op"] in ("insert", "replace") and doc["doc_number"] in (line["new"] or "")
               for line in diff["lines"])
    shot("diff", CLERK, doc_id, lambda page: page.run_command(doc_id, "diff"))

    # ---- 用印: the 局长 approves the request, the 印章管理员 stamps (seals module)
    boss_seals = office.seals(JUZHANG)
    assert boss_seals.may_decide(boss_seals.request(request_id))
    shot("seal-approve", JUZHANG, doc_id)
    boss_seals.approve(request_id, "同意用印。")
    office.sync(JUZHANG)
    sealer_seals = office.seals(SEALER)
    assert sealer_seals.may_stamp(sealer_seals.request(request_id))
    shot("seal-stamp", SEALER, doc_id)
    outcome = sealer_seals.stamp(request_id)
    doc = state(SEALER, doc_id)
    assert doc["seal"]["state"] == "stamped" and doc["pdf_sha256"] == outcome.stamped_sha256 != registered_pdf
    assert doc["step"] == "dispatch"

    # ---- 核发: 主送/抄送 confirmed, one copy to 省财政厅
    doc = state(CLERK, doc_id)
    assert clerk.allowed(doc).dispatch and [b["id"] for b in doc["main_to"]] == [CZT]
    shot("dispatch", CLERK, doc_id, lambda page: page.run_command(doc_id, "dispatch"))
    clerk.dispatch(doc_id)
    doc = state(CLERK, doc_id)
    assert doc["state_words"] == "已核发" and doc["status"] == "done"
    [delivery] = doc["deliveries"]
    assert delivery["body_id"] == CZT and delivery["state"] == "delivered"
    inc_id = delivery["incoming_id"]

    # ---- receiving body: 签收 (收发员)
    czt = office.docs(CZT_CLERK)
    inc = czt.get(inc_id)
    assert inc is not None and inc["kind"] == "incoming" and inc["state_words"] == "待签收"
    assert inc["pdf_sha256"] == outcome.stamped_sha256
    assert czt.allowed(inc).return_to_sender  # 退回发文机关 offered up to 初审
    shot("sign-for", CZT_CLERK, inc_id)
    czt.act(inc_id, "approve")
    assert state(CZT_CLERK, inc_id)["state_words"] == "待登记"

    # ---- 登记 (收文号)
    shot("register-incoming", CZT_CLERK, inc_id, lambda page: page.run_command(inc_id, "register"))
    czt.register(inc_id)
    inc = state(CZT_CLERK, inc_id)
    assert inc["receipt_number"].startswith("收文〔") and inc["step"] == "screen"

    # ---- 初审 → 拟办 by the 办公室主任
    shot("screen", CZT_CLERK, inc_id, approve_dialog)
    czt.act(inc_id, "approve", opinion="请办公室提出拟办意见。",
            next_assignees={"propose": [office.actor(CZT_BGS_HEAD)]})
    inc = state(CZT_CLERK, inc_id)
    assert inc["step"] == "propose" and [p["id"] for p in inc["workflow"]["pending"]] == [CZT_BGS_HEAD]

    bgs = office.docs(CZT_BGS_HEAD)
    shot("propose", CZT_BGS_HEAD, inc_id, approve_dialog)
    bgs.act(inc_id, "approve", opinion="拟请厅长阅示，由预算处牵头办理。",
            next_assignees={"instruct": [office.actor(CZT_HEAD)]})
    assert state(CZT_BGS_HEAD, inc_id)["step"] == "instruct"

    # ---- 批办 (厅长) with a deadline, 承办 to 预算处
    leader = office.docs(CZT_HEAD)
    shot("instruct", CZT_HEAD, inc_id, approve_dialog)
    leader.act(inc_id, "approve", opinion="请预算处认真自查，按时报送。", deadline="2026-12-15",
               next_assignees={"handle": [office.actor(CZT_YSC_HEAD)]})
    inc = state(CZT_HEAD, inc_id)
    assert inc["step"] == "handle" and inc["deadline"] == "2026-12-15"

    ysc = office.docs(CZT_YSC_HEAD)
    shot("handle", CZT_YSC_HEAD, inc_id, approve_dialog)
    ysc.act(inc_id, "approve", opinion="已完成自查，结果已报送。")
    assert state(CZT_YSC_HEAD, inc_id)["step"] == "complete"

    # ---- 办结 → 归档 (收发员): 保管期限 and 档号
    shot("complete", CZT_CLERK, inc_id, approve_dialog)
    czt = office.docs(CZT_CLERK)  # caught up: the copy came back from 承办
    czt.act(inc_id, "approve", opinion="已办结。")
    inc = state(CZT_CLERK, inc_id)
    assert inc["step"] == "archive" and czt.allowed(inc).archive
    number = format_archive_no("Z002", "WS", year, "10年", "YSC", 1)
    assert validate_archive_no(number, "10年").item == 1
    shot("archive-incoming", CZT_CLERK, inc_id, lambda page: fill_archive(page, inc_id, "Z002", "YSC"))
    czt.archive(inc_id, "10年", number)
    inc = state(CZT_CLERK, inc_id)
    assert inc["state_words"] == "已归档" and inc["archive"]["archive_no"] == number
    assert inc["archive"]["retention"] == "10年" and inc["status"] == "done"

    # ---- the sender sees the copy archived and archives its own 发文
    clerk = office.docs(CLERK)
    doc = clerk.get(doc_id)
    assert doc is not None
    assert doc["deliveries"][0]["state"] in ("done", "archived")
    assert clerk.allowed(doc).archive
    out_no = format_archive_no("Z001", "WS", year, "30年", "ZHC", 1)
    shot("archive-outgoing", CLERK, doc_id, lambda page: fill_archive(page, doc_id, "Z001", "ZHC"))
    clerk.archive(doc_id, "30年", out_no)
    doc = state(CLERK, doc_id)
    assert doc["state_words"] == "已归档" and doc["archive"]["archive_no"] == out_no
    assert not clerk.allowed(doc).archive
    shot("archived", CZT_CLERK, inc_id, lambda page: page.detail.tabs.setCurrentIndex(1))  # 办文单
    if shooter is not None:
        assert len(shooter.written) == 2 * n
