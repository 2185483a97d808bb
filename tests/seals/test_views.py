"""Seal screens: the ink pad (mouse, pen pressure, touch-free undo/clear, vector output to
QPainter and PDF), item models under qtmodeltester, and the page against a real server —
it loads, shows the right actions, switches to phone layout, and renders. Screenshots
of every screen at 1440×900 and 390×844 go to the test's folder, and also to
``$OFFICE_SEAL_SCREENSHOTS`` when set (docs/screenshots is made that way)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QImage,
    QInputDevice,
    QMouseEvent,
    QPainter,
    QPointingDevice,
    QTabletEvent,
)
from PySide6.QtWidgets import QApplication, QWidget

from modules.common.errors import DomainError, ValidationFailed
from modules.seals.views import ink
from modules.seals.views.models import (
    RegisterTableModel,
    RequestListModel,
    SealListModel,
    SignatureTableModel,
)
from office_app import tasks
from office_app.app import setup_application
from office_app.bus import ChangeBus
from office_app.context import AppContext
from office_app.screenshot import settle
from office_app.settings import AppSettings
from tests.seals.conftest import make_pdf
from tests.seals.world import SealWorld

SIZES = ((1440, 900), (390, 844))


@pytest.fixture
def gui(qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
        ) -> Iterator[AppSettings]:
    # the page writes the authority root where the verify command looks: keep it here
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    settings = AppSettings.at_path(tmp_path / "settings.ini")
    settings.theme = "light"
    setup_application(qapp, settings)
    yield settings
    tasks.wait_for_idle()
    settle(2)
    ChangeBus.reset_instance()


def _mouse(widget: QWidget, kind: QEvent.Type, x: float, y: float,
           buttons: Qt.MouseButton = Qt.MouseButton.LeftButton) -> None:
    pos = QPointF(x, y)
    event = QMouseEvent(kind, pos, widget.mapToGlobal(pos), Qt.MouseButton.LeftButton,
                        buttons, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, event)


def _dark_pixels(image: QImage) -> int:
    count = 0
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            if QColor(image.pixel(x, y)).lightness() < 100:
                count += 1
    return count


def test_ink_pad_records_mouse_and_pen_strokes_with_undo_and_clear(gui: Any, qtbot: Any) -> None:
    pad = ink.InkPad()
    qtbot.addWidget(pad)
    pad.resize(480, 200)
    pad.show()
    with qtbot.waitSignal(pad.changed):
        _mouse(pad, QEvent.Type.MouseButtonPress, 20, 150)
        for x, y in ((60, 80), (100, 60), (140, 140)):
            _mouse(pad, QEvent.Type.MouseMove, x, y)
        _mouse(pad, QEvent.Type.MouseButtonRelease, 140, 140, Qt.MouseButton.NoButton)
    pen = QPointingDevice("pen", 7, QInputDevice.DeviceType.Stylus,
                          QPointingDevice.PointerType.Pen,
                          QInputDevice.Capability.Position | QInputDevice.Capability.Pressure,
                          1, 3)
    for kind, x, p in ((QEvent.Type.TabletPress, 200, 0.2), (QEvent.Type.TabletMove, 260, 0.9),
                       (QEvent.Type.TabletRelease, 300, 0.9)):
        pos = QPointF(x, 100)
        QApplication.sendEvent(pad, QTabletEvent(
            kind, pen, pos, pad.mapToGlobal(pos), p, 0, 0, 0, 0, 0,
            Qt.KeyboardModifier.NoModifier, Qt.MouseButton.LeftButton,
            Qt.MouseButton.LeftButton if kind != QEvent.Type.TabletRelease else Qt.MouseButton.NoButton))
    data = pad.strokes()
    assert ink.validate_strokes(data) is data
    assert len(data["strokes"]) == 2
    assert [p[2] for p in data["strokes"][0]] == [0.5] * 4  # mouse: no pressure
    assert [p[2] for p in data["strokes"][1]] == [0.2, 0.9]  # pen pressure kept
    assert data["strokes"][0][0][:2] == [20.0, 150.0]

    image = QImage(480, 200, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    ink.paint_strokes(painter, data, QRectF(0, 0, 480, 200))
    painter.end()
    assert _dark_pixels(image) > 20
    pdf = ink.strokes_pdf(data)
    assert pdf.startswith(b"%PDF") and b"/MediaBox" in pdf

    pad.undo()
    assert len(pad.strokes()["strokes"]) == 1
    pad.clear()
    assert pad.is_empty()
    pad.set_strokes(data)
    assert pad.strokes()["strokes"] == data["strokes"]
    with pytest.raises(ValidationFailed):
        ink.validate_strokes({"format": ink.FORMAT, "width": 10, "height": 10,
                              "strokes": [[[1, 2, "x", 0]]]})


SEAL = {"id": "seal-1", "name": "临江市人民政府办公室公章", "type": "official",
        "type_label": "单位公章", "state": "active", "custodians": ["p-1"], "approvers": [],
        "requesters": ["p-2"], "body_name": "临江市人民政府办公室"}
REQUEST = {"id": "sr-1", "seal_id": "seal-1", "seal_name": SEAL["name"], "state": "pending",
           "document_title": "通知", "reason": "发文", "copies": 2, "used": 0,
           "requester_name": "张文书", "created_at": "2026-11-22T10:00:00Z"}
ENTRY = {"id": "reg-1", "seal_name": SEAL["name"], "stamped_at": "2026-11-22T10:00:00Z",
         "document_title": "通知", "reason": "发文", "requester_name": "张文书",
         "approver_name": "李主任", "stamped_by_name": "张文书", "copy_no": 1,
         "result_sha256": "a" * 64}
SIGNATURE = {"ok": False, "signer": SEAL["name"], "organisation": "临江市人民政府办公室",
             "signing_time": "2026-11-22T10:00:00+00:00", "coverage": "partial",
             "messages": ["签章后文件被改动"]}


def test_models_pass_modeltester(gui: Any, qtmodeltester: Any) -> None:
    seals = SealListModel("p-1")
    seals.set_rows([SEAL, SEAL | {"id": "seal-2", "state": "suspended"}])
    qtmodeltester.check(seals)
    assert "我保管" in seals.data(seals.index(0))
    requests = RequestListModel()
    requests.set_rows([REQUEST, REQUEST | {"id": "sr-2", "state": "refused"}])
    qtmodeltester.check(requests)
    assert "待审批" in requests.data(requests.index(0))
    register = RegisterTableModel()
    register.set_rows([ENTRY])
    qtmodeltester.check(register)
    assert register.headerData(0, Qt.Orientation.Horizontal) == "用印时间"
    signatures = SignatureTableModel()
    signatures.set_rows([SIGNATURE, SIGNATURE | {"ok": True, "messages": []}])
    qtmodeltester.check(signatures)
    assert signatures.data(signatures.index(0, 0)) == "无效"
    assert signatures.data(signatures.index(1, 5)) == "签名有效，文件未被改动"


# --------------------------------------------------------------------------- the page


@pytest.fixture
def world(tmp_path: Path) -> Iterator[SealWorld]:
    w = SealWorld(tmp_path)
    yield w
    w.close()


def _prepare(world: SealWorld) -> tuple[Any, Any, str, Any]:
    """Two stamped requests, one pending, one refused; the leader enrolled."""
    clerk, lead = world.device("clerk"), world.device("lead")
    clerk.sync()
    svc = clerk.service
    gov, contract = world.gov_seal["id"], world.contract_seal["id"]
    done1 = svc.request_use(seal_id=gov, pdf=make_pdf(3), reason="对外发文", copies=1,
                            document_title="关于做好今冬明春防汛抗旱工作的通知")
    done2 = svc.request_use(seal_id=contract, pdf=make_pdf(2), reason="签订采购合同",
                            copies=1, document_title="办公设备采购合同")
    refused = svc.request_use(seal_id=gov, pdf=make_pdf(1), reason="内部材料",
                              document_title="内部学习资料汇编")
    pending = svc.request_use(seal_id=gov, pdf=make_pdf(2), reason="报送市委办",
                              copies=2, document_title="关于2026年度重点工作进展情况的报告")
    ready = svc.request_use(seal_id=gov, pdf=make_pdf(2), reason="对外函复",
                            document_title="关于商请支持防汛物资调拨的复函")
    clerk.sync()
    lead.sync()
    lead.service.enrol_personal_key()
    lead.sync()
    lead.service.approve(done1, "同意用印", SIGNATURE_STROKES)
    for rid in (done2, ready):
        lead.service.approve(rid, "同意")
    lead.service.refuse(refused, "不属于对外用印范围")
    lead.sync()
    stamped = clerk.service.stamp(done1, placement={"mode": "box", "page": 2, "x": 330,
                                                    "y": 250, "w": 160, "h": 90})
    clerk.service.stamp(done2, placement={"mode": "box", "page": 1, "x": 330, "y": 250,
                                          "w": 160, "h": 90}, qr=False)
    lead.sync()
    return clerk, lead, pending, stamped, done1, ready


SIGNATURE_STROKES = {"format": ink.FORMAT, "width": 480, "height": 200, "strokes": [
    [[40, 140, 0.4, 0], [70, 60, 0.6, 30], [100, 150, 0.7, 60], [130, 70, 0.6, 90]],
    [[170, 110, 0.5, 0], [260, 100, 0.7, 50], [330, 120, 0.5, 90]],
    [[360, 60, 0.4, 0], [380, 160, 0.8, 40], [430, 90, 0.5, 80]]]}


def _wait_until_queued(device: Any) -> None:
    """Wait for the task runner to finish a button's background submit, so the intent is
    in the device's outbox before the test syncs (otherwise the sync may run first and
    push nothing)."""
    assert tasks.wait_for_idle()
    assert device.engine.status().pending >= 1


def _shots_dir(tmp_path: Path) -> list[Path]:
    out = [tmp_path / "shots"]
    extra = os.environ.get("OFFICE_SEAL_SCREENSHOTS")
    if extra:
        out.append(Path(extra))
    for d in out:
        d.mkdir(parents=True, exist_ok=True)
    return out


def _grab(widget: QWidget, name: str, dirs: list[Path],
          size: tuple[int, int] | None = None) -> QImage:
    settle()
    if size is not None:
        # a top-level widget's minimum size follows its layout only after events ran
        widget.resize(*size)
        settle()
    pixmap = widget.grab()
    for d in dirs:
        assert pixmap.save(str(d / f"seals-{name}.png"), "PNG")
    return pixmap.toImage()


def test_page_loads_acts_and_renders_wide_and_phone(gui: Any, qtbot: Any, world: SealWorld,
                                                    tmp_path: Path) -> None:
    from modules.seals.views.page import SealsPage
    from modules.seals.views.stamp import StampDialog

    _clerk, lead, pending, stamped, signed, _ready = _prepare(world)
    context = AppContext(gui, lead.principal, cache=lead.cache, engine=lead.engine,
                         bus=ChangeBus())
    page = SealsPage(context, service=lead.service)
    qtbot.addWidget(page)
    dirs = _shots_dir(tmp_path)
    page.resize(*SIZES[0])
    page.show()
    settle()
    # the leader's pending decision is listed first and can be approved / refused
    rows = page.requests.model.rows()
    assert [r["id"] for r in rows] == [pending]
    assert lead.service.request(signed)["decision_ink"]["strokes"] == SIGNATURE_STROKES
    assert page.requests.select(pending)
    assert page.requests.approve_button.isVisibleTo(page)
    assert not page.requests.stamp_button.isVisibleTo(page)
    assert page.can_sign  # enrolled and the certificate arrived
    assert page.register.model.rowCount() == 2
    assert page.seals.model.rowCount() == 2

    for width, height in SIZES:
        compact = width < 900
        page.set_compact(compact)
        settle()  # let the layouts take the phone minimum sizes before resizing
        page.resize(width, height)
        tag = f"{width}x{height}"
        page.tabs.setCurrentWidget(page.requests)
        page.requests.filter.setCurrentIndex(3)  # 全部
        settle()
        assert page.requests.model.rowCount() == 5
        page.requests.split.show_pane(0)
        _grab(page, f"{tag}-requests", dirs, (width, height))
        page.requests.select(pending)
        settle()
        assert page.can_go_back() == compact
        _grab(page, f"{tag}-request-detail", dirs, (width, height))
        page.go_back()
        page.requests.select(signed)
        settle()
        assert page.requests.ink.isVisibleTo(page)  # the verified handwritten sign-off
        _grab(page, f"{tag}-request-signed", dirs, (width, height))
        page.go_back()
        page.tabs.setCurrentWidget(page.seals)
        page.seals.show_seal(page.seals.model.rows()[0])
        settle()
        assert not page.seals.picture.pixmap().isNull()
        _grab(page, f"{tag}-seal-detail", dirs, (width, height))
        page.go_back()
        page.tabs.setCurrentWidget(page.register)
        _grab(page, f"{tag}-register", dirs, (width, height))
        page.tabs.setCurrentWidget(page.verify)
        report = lead.service.verify(stamped.pdf).to_dict()
        page.verify.show_report("关于做好今冬明春防汛抗旱工作的通知.pdf", report)
        assert page.verify.model.rowCount() == 1
        image = _grab(page, f"{tag}-verify", dirs, (width, height))
        assert image.width() == width
    roots = tmp_path / "config" / "office-collab" / "seals" / "trust-roots.pem"
    assert roots.read_bytes().startswith(b"-----BEGIN CERTIFICATE")

    # the stamping view: the clerk's approved-but-unused request does not exist any
    # more, so show the placement on the pending request's PDF with the seal picture
    req = lead.service.request(pending)
    seal = lead.service.seal(req["seal_id"])
    pdf = lead.service.read_file(req["pdf_sha256"])
    png = lead.service.read_file(seal["image_sha256"])
    calls: list[Any] = []
    for width, height in SIZES:
        dialog = StampDialog(req, pdf, png, (42.0, 42.0),
                             stamp=lambda *a: calls.append(a), read=lambda _o: b"")
        qtbot.addWidget(dialog)
        dialog.resize(width, height)
        dialog.show()
        canvas = dialog.canvas
        assert canvas.page == 1 and not canvas.locked  # last page, draggable
        rect = canvas.seal_rect_px()
        target = QPointF(canvas.width() * 0.6, canvas.height() * 0.75)
        _mouse(canvas, QEvent.Type.MouseButtonPress, rect.center().x(), rect.center().y())
        _mouse(canvas, QEvent.Type.MouseMove, target.x(), target.y())
        _mouse(canvas, QEvent.Type.MouseButtonRelease, target.x(), target.y(),
               Qt.MouseButton.NoButton)
        place = canvas.placement()
        assert place["mode"] == "box" and place["page"] == 1
        assert abs(place["w"] - 42.0 * 72 / 25.4) < 0.1
        assert place["x"] >= 0 and place["x"] + place["w"] <= 595.5
        shot = _grab(dialog, f"{width}x{height}-stamp", dirs, (width, height))
        assert (shot.width(), shot.height()) == (width, height)
        dialog.close()
    # the approval dialog with a handwritten sign-off (手写签批)
    from modules.seals.views.page import ApproveDialog

    for width, height in SIZES:
        approve = ApproveDialog(req, True)
        qtbot.addWidget(approve)
        approve.resize(min(width, 640), min(height, 520))
        approve.show()
        settle()
        pad = approve.pad
        w, h = pad.width(), pad.height()
        _mouse(pad, QEvent.Type.MouseButtonPress, w * 0.1, h * 0.7)
        for i in range(1, 30):
            _mouse(pad, QEvent.Type.MouseMove, w * (0.1 + i * 0.025),
                   h * (0.5 + 0.25 * ((-1) ** i) * (i % 5) / 5))
        _mouse(pad, QEvent.Type.MouseButtonRelease, w * 0.8, h * 0.6, Qt.MouseButton.NoButton)
        assert approve.strokes() is not None
        _grab(approve, f"{width}x{height}-approve-ink", dirs, (min(width, 640), min(height, 520)))
        approve.close()
    # official documents: locked on the renderer's anchor
    anchored = StampDialog(req | {"seal_anchor": [1, 340, 240, 120, 120]}, pdf, png,
                           (42.0, 42.0), stamp=lambda *a: calls.append(a), read=lambda _o: b"")
    qtbot.addWidget(anchored)
    assert anchored.canvas.locked and anchored.canvas.placement() == {"mode": "auto"}
    assert anchored.canvas.page == 0


def test_stamping_through_the_dialog_shows_the_result(gui: Any, qtbot: Any, world: SealWorld,
                                                     tmp_path: Path) -> None:
    from modules.seals.views.stamp import StampDialog

    clerk, _lead, _pending, _stamped, _signed, ready = _prepare(world)
    clerk.sync()
    service = clerk.service
    req = service.request(ready)
    assert service.may_stamp(req)
    seal = service.seal(req["seal_id"])
    dialog = StampDialog(
        req, service.read_file(req["pdf_sha256"]), service.read_file(seal["image_sha256"]),
        (42.0, 42.0),
        stamp=lambda placement, riding, qr: service.stamp(ready, placement=placement,
                                                          riding_seal=riding, qr=qr),
        read=lambda outcome: outcome.pdf)
    qtbot.addWidget(dialog)
    dialog.resize(*SIZES[0])
    dialog.show()
    dialog.riding.setChecked(True)
    with qtbot.waitSignal(dialog.stamped, timeout=120_000) as blocker:
        dialog.stamp_button.click()
    outcome = blocker.args[0]
    assert outcome.request["state"] == "used"
    assert dialog.pages.currentIndex() == 1 and dialog.view.document().pageCount() == 2
    assert "已记入用印登记簿" in dialog.result_label.text()
    report = service.verify(outcome.pdf)
    assert report.ok and len(report.signatures) == 1
    settle()
    last = dialog.view.page_labels()[-1]
    dialog.view.ensureWidgetVisible(last)
    # the seal (a widget annotation) is drawn: red pixels on the last page, away from
    # the right edge where the 骑缝章 slice (page content) sits
    page_image = last.pixmap().toImage()
    inner = int(page_image.width() * 0.85)
    red = sum(1 for y in range(0, page_image.height(), 3) for x in range(0, inner, 3)
              if (c := QColor(page_image.pixel(x, y))).red() > 180 and c.green() < 90)
    assert red > 50
    _grab(dialog, "1440x900-stamped", _shots_dir(tmp_path), SIZES[0])
    # a second click is impossible and a second stamp is refused in words
    assert not dialog.stamp_button.isVisible()
    with pytest.raises(DomainError) as refused:
        service.stamp(ready, placement={"mode": "box", "page": 0, "x": 300, "y": 300,
                                        "w": 120, "h": 120})
    assert refused.value.code == "seal.request_used_up"


def test_admin_tab_creates_a_seal_with_preview_and_changes_its_state(
        gui: Any, qtbot: Any, world: SealWorld, tmp_path: Path) -> None:
    from modules.seals.views.page import SealsPage

    admin, clerk = world.device("admin"), world.device("clerk")
    admin.sync()
    clerk.sync()
    context = AppContext(gui, admin.principal, cache=admin.cache, engine=admin.engine,
                         bus=ChangeBus())
    page = SealsPage(context, service=admin.service)
    qtbot.addWidget(page)
    page.resize(*SIZES[0])
    page.show()
    qtbot.waitUntil(lambda: page.admin is not None, timeout=10000)
    panel = page.admin
    assert panel is not None
    page.tabs.setCurrentWidget(panel)
    assert panel.new_button.isVisibleTo(page)
    assert panel.model.rowCount() == 2  # an admin manages every seal
    panel.show_form()
    form = panel.form
    assert form.body.findData("b-fin") >= 0  # owning bodies come from the directory
    form.body.setCurrentIndex(form.body.findData("b-fin"))
    form.name.setText("临江市财政局公章")
    form.custodians.set_selected(["p-keeper"])
    form.approvers.set_selected(["p-lead"])
    form.requesters.set_selected(["p-clerk"])
    panel.refresh_preview()
    qtbot.waitUntil(lambda: form.preview.pixmap() is not None
                    and not form.preview.pixmap().isNull(), timeout=10000)
    dirs = _shots_dir(tmp_path)
    _grab(page, "1440x900-admin", dirs, SIZES[0])
    # phone width: the form alone, rows wrapped under their labels
    page.set_compact(True)
    settle()
    page.resize(*SIZES[1])
    assert page.can_go_back()
    _grab(page, "390x844-admin", dirs, SIZES[1])
    page.set_compact(False)
    page.resize(*SIZES[0])

    form.create_button.click()
    qtbot.waitUntil(lambda: panel.model.rowCount() == 3, timeout=20000)
    created = next(s for s in panel.model.rows() if s["name"] == "临江市财政局公章")
    assert created["body_id"] == "b-fin" and created["custodians"] == ["p-keeper"]
    assert created["state"] == "active"
    panel.show_seal(created)
    # the chosen last day is shown as the last day (the stored end is exclusive)
    assert form.valid_to.date().toString("yyyy-MM-dd") in panel.facts.text()

    # a clerk (no admin, no custodian) never sees the tab
    clerk.sync()
    clerk_page = SealsPage(AppContext(gui, clerk.principal, cache=clerk.cache,
                                      engine=clerk.engine, bus=ChangeBus()),
                           service=clerk.service)
    qtbot.addWidget(clerk_page)
    qtbot.waitUntil(lambda: clerk_page.seals.model.rowCount() == 3, timeout=10000)
    assert clerk_page.admin is None

    # suspend, then revoke (confirmed) the new seal
    panel.show_seal(created)
    panel.suspend_button.click()
    _wait_until_queued(admin)  # the intent is online-only: only the sync shows it
    admin.sync()
    qtbot.waitUntil(lambda: any(s["id"] == created["id"] and s["state"] == "suspended"
                                for s in panel.model.rows()), timeout=20000)
    panel.show_seal(next(s for s in panel.model.rows() if s["id"] == created["id"]))
    assert panel.resume_button.isVisibleTo(page) and not panel.suspend_button.isVisibleTo(page)
    _grab(page, "1440x900-admin-seal", dirs, SIZES[0])


def test_seals_page_in_english(gui: Any, qtbot: Any, world: SealWorld) -> None:
    """Switching the interface to English shows the 印章 screen in English: tabs, filters,
    headers, labels, a refused attempt's reason and the form's own errors."""
    from PySide6.QtWidgets import QLabel, QPushButton

    from modules.seals.views.page import SealsPage
    from office_app import i18n

    clerk, admin = world.device("clerk"), world.device("admin")
    clerk.sync()
    rid = clerk.service.request_use(seal_id=world.gov_seal["id"], pdf=make_pdf(1),
                                    reason="报送材料", document_title="材料")
    with pytest.raises(DomainError):
        clerk.service.stamp(rid, placement={"mode": "box", "page": 0, "x": 300, "y": 200,
                                            "w": 160, "h": 120})
    admin.sync()
    app = QApplication.instance()
    i18n.install_language(app, "en")
    try:
        page = SealsPage(AppContext(gui, admin.principal, cache=admin.cache,
                                    engine=admin.engine, bus=ChangeBus()),
                         service=admin.service)
        qtbot.addWidget(page)
        page.resize(*SIZES[0])
        page.show()
        qtbot.waitUntil(lambda: page.admin is not None and page.register.model.rowCount() == 1,
                        timeout=10000)
        tabs = [page.tabs.tabText(i) for i in range(page.tabs.count())]
        assert tabs == ["Use requests", "Seals", "Register", "Verify", "Administration"]
        assert page.title.text() == "Seals"
        assert [page.requests.filter.itemText(i) for i in range(4)] == [
            "To decide", "To stamp", "My requests", "All"]
        register = page.register.model
        assert register.headerData(0, Qt.Orientation.Horizontal) == "Stamped at"
        result = register.data(register.index(0, 8))
        assert result.startswith("Refused: ") and "approved" in result
        assert page.seals.model.data(page.seals.model.index(0)).split("\n")[1].startswith(
            ("Official seal", "Contract seal"))
        page.tabs.setCurrentWidget(page.seals)
        page.seals.show_seal(page.seals.model.rows()[0])
        settle()
        # no Chinese on any label or button of the page except the data itself
        data = {v for s in page.seals.model.rows()
                for v in (s.get("name", ""), s.get("body_name", ""),
                          *(s.get("names") or {}).values())}
        for widget in page.findChildren(QLabel) + page.findChildren(QPushButton):
            text = widget.text()
            if text and not any(d and d in text for d in data):
                assert not any("\u4e00" <= ch <= "\u9fff" for ch in text), text
        # the admin form's own check speaks English too
        page.tabs.setCurrentWidget(page.admin)
        page.admin.show_form()
        page.admin.form.name.setText("Test seal")
        page.admin.form.create_button.click()
        assert page.error.isVisibleTo(page)
        assert page.error.text() and not any("\u4e00" <= ch <= "\u9fff"
                                             for ch in page.error.text())
    finally:
        i18n.install_language(app, "zh_CN")
