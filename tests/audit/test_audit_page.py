"""The 安全审计 page against the real server (the access world's app through the real
ApiClient): it lists entries, the filter bar issues the right query, an entry opens in
full with its hashes, load more pages on, CSV and Excel exports land in files written off
the GUI thread, offline says it needs a connection, and the page is offered to auditors
only. The table model goes through qtmodeltester; screenshots at 1280 and 390 px
(``OFFICE_SHOTS=<dir>`` keeps them)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from modules.audit import views
from modules.audit.filters import CHINA
from modules.audit.service import AuditService
from office_app import navigation
from office_app.app import setup_application
from office_app.bus import ChangeBus
from office_app.context import AppContext
from office_app.settings import AppSettings
from server.audit import trail
from server.audit.chain import chain_now
from server.db import session_scope
from sync.api import ApiClient, MemoryTokenStore
from tests.access.world import PASSWORD, World

MARK = "PGQ"


class Recording:
    """The real ApiClient, remembering the query of every call."""

    def __init__(self, api: ApiClient) -> None:
        self.api = api
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def request_json(self, method: str, path: str, *, json: Any = None,
                     params: Mapping[str, Any] | None = None) -> Any:
        self.calls.append((path, dict(params or {})))
        return self.api.request_json(method, path, json=json, params=params)

    def get_bytes(self, path: str) -> bytes:
        self.calls.append((path, {}))
        return self.api.get_bytes(path)


class Bridge(httpx.BaseTransport):
    """The test client's in-process transport for a plain ``httpx.Client`` (its answers
    read whole, as the network would deliver them)."""

    def __init__(self, inner: Any) -> None:  # starlette's test transport
        self.inner = inner

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        answer = self.inner.handle_request(request)
        answer.read()
        headers = [(k, v) for k, v in answer.headers.items()
                   if k.lower() not in ("content-encoding", "content-length", "transfer-encoding")]
        return httpx.Response(answer.status_code, headers=headers, content=answer.content)


@pytest.fixture(scope="module")
def seeded(world: World) -> list[str]:
    now = dt.datetime.now(dt.UTC)
    rows: list[dict[str, Any]] = [
        dict(action="auth.login", actor_name="张伟", actor_login="zhangwei"),
        dict(action="intent.seals.stamp", result="refused", code="seal.not_custodian",
             actor_name="李娜", detail={"seal": "s-1"}),
        dict(action="intent.documents.sign_for", actor_name="王芳"),
        dict(action="blob.download", actor_name="张伟"),
        dict(action="device.revoke", actor_name="赵敏"),
    ]
    targets = []
    with session_scope(world.app.state.sessions) as s, \
            trail.acting_from(device="ThinkPad-办公室", address="10.1.2.3"):
        for n, fields in enumerate(rows):
            target = f"{MARK}-{n}"
            targets.append(target)
            trail.record_rows(s, [trail.entry_row(target=target, scope_body="b-ax-c1",
                                                  at=now - dt.timedelta(minutes=n), **fields)])
    chain_now(world.app.state.engine)
    return targets


@pytest.fixture
def api(world: World, seeded: list[str]) -> Iterator[Recording]:
    auditor = world.actor("audit_admin")
    client = ApiClient("http://testserver", token_store=MemoryTokenStore(),
                       transport=Bridge(world.client._transport))
    client.login(auditor.login, PASSWORD)
    yield Recording(client)
    client.close()


def _page(qtbot: QtBot, tmp_path: Path, service: AuditService) -> views.AuditPage:
    principal = {"person_id": "p-aud", "name": "审计员",
                 "posts": [{"body_id": "b-ax-c1", "roles": ["audit_admin"]}]}
    ctx = AppContext(AppSettings.at_path(tmp_path / "s.ini"), principal, bus=ChangeBus())
    page = views.AuditPage(ctx, service=service)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.status.text() not in ("", page.tr("Searching…")), timeout=15_000)
    return page


def _search(qtbot: QtBot, page: views.AuditPage) -> None:
    with qtbot.waitSignal(page.loaded, timeout=15_000):
        page.search_button.click()


def _targets(page: views.AuditPage) -> list[str]:
    return [str(r["target"]) for r in page.model.rows() if str(r["target"]).startswith(MARK)]


def test_the_page_lists_filters_and_opens_an_entry(qtbot: QtBot, tmp_path: Path, api: Recording,
                                                   seeded: list[str], qtmodeltester: Any) -> None:
    page = _page(qtbot, tmp_path, AuditService(api))
    assert set(seeded) <= set(_targets(page)), page.status.text()
    qtmodeltester.check(page.model)
    assert "audit_admin" not in page.summary.text() and page.summary.text()  # the status line

    page.person.setText("李娜")
    page.category.setCurrentIndex(page.category.findData("seals"))
    page.result.setCurrentIndex(page.result.findData("refused"))
    page.text.setText("custodian")
    page.device.setText("10.1.")
    _search(qtbot, page)
    _path, params = next(c for c in reversed(api.calls) if c[0] == "/audit/entries")
    today = dt.datetime.now(CHINA).date()
    assert params == {"from": (today - dt.timedelta(days=30)).isoformat(), "to": today.isoformat(),
                      "actor": "李娜", "result": "refused", "q": "custodian", "device": "10.1.",
                      "category": ["seals"], "limit": str(views.PAGE_SIZE)}
    assert _targets(page) == [seeded[1]]
    qtmodeltester.check(page.model)
    index = page.model.index(0, 2)
    assert page.model.data(index) in ("盖章", "Stamp the approved PDF (online only: the seal's key is on the server)")
    assert page.model.data(page.model.index(0, 4)) in ("拒绝", "Refused")

    page.table.setCurrentIndex(index)
    page.table.clicked.emit(index)
    qtbot.waitUntil(lambda: any(c[0].startswith("/audit/entries/") for c in api.calls), timeout=10_000)
    qtbot.waitUntil(lambda: len(page.detail.fields["hash"].text()) == 64, timeout=10_000)
    assert len(page.detail.fields["prev_hash"].text()) == 64
    assert '"seal": "s-1"' in page.detail.fields["detail"].text()
    assert page.detail.fields["device"].text() == "ThinkPad-办公室"

    page.reset()
    qtbot.waitUntil(lambda: page.person.text() == "" and len(_targets(page)) >= len(seeded),
                    timeout=15_000)
    # the arrow keys move the detail along (both panes shown)
    page.table.setFocus()
    page.table.setCurrentIndex(page.model.index(0, 0))
    assert page.detail.entry == page.model.row_at(0)
    qtbot.keyClick(page.table, Qt.Key.Key_Down)
    assert page.detail.entry == page.model.row_at(1)


def test_load_more_pages_on(qtbot: QtBot, tmp_path: Path, api: Recording, seeded: list[str],
                            monkeypatch: pytest.MonkeyPatch, qtmodeltester: Any) -> None:
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    page = _page(qtbot, tmp_path, AuditService(api))
    page.text.setText(MARK)
    _search(qtbot, page)
    assert page.model.rowCount() == 2 and page.more.isVisibleTo(page)
    with qtbot.waitSignal(page.loaded, timeout=15_000):
        page.more.click()
    assert page.model.rowCount() == 4
    with qtbot.waitSignal(page.loaded, timeout=15_000):
        page.more.click()
    assert _targets(page) == seeded[::-1]  # newest (last chained) first
    assert not page.more.isVisibleTo(page)
    qtmodeltester.check(page.model)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_writes_the_file(qtbot: QtBot, tmp_path: Path, api: Recording, seeded: list[str],
                                fmt: str) -> None:
    page = _page(qtbot, tmp_path, AuditService(api))
    page.text.setText(MARK)
    asked: list[str] = []

    def ask(suggested: str, _filter: str) -> Path:
        asked.append(suggested)
        return tmp_path / "out" / "trail"  # no suffix: the page adds it

    (tmp_path / "out").mkdir()
    page.ask_path = ask
    with qtbot.waitSignal(page.exported, timeout=20_000) as signal:
        (page.xlsx_button if fmt == "xlsx" else page.csv_button).click()
    written = Path(signal.args[0])
    assert written == tmp_path / "out" / f"trail.{fmt}" and asked[0].endswith(f".{fmt}")
    assert not written.with_name(written.name + ".part").exists()
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(written.read_text("utf-8-sig"))))
    else:
        sheet = load_workbook(written).active
        assert sheet is not None
        rows = [[str(v) for v in r] for r in sheet.iter_rows(values_only=True)]
    assert sorted(r[7] for r in rows[1:]) == sorted(seeded)
    assert f"format={fmt}" in api.calls[-1][0] and f"q={MARK}" in api.calls[-1][0]


def test_offline_says_it_needs_a_connection_and_searches_once_back(
        qtbot: QtBot, tmp_path: Path, api: Recording, seeded: list[str]) -> None:
    service = AuditService(None)
    page = _page(qtbot, tmp_path, service)
    assert page.states.currentWidget() is page.offline_state
    assert page.model.rowCount() == 0
    assert "联网" in page.status.text() or "connect" in page.status.text().lower()
    service.api = api  # the connection is back
    with qtbot.waitSignal(page.loaded, timeout=15_000):
        page.context.bus.status_changed.emit(SimpleNamespace(online=True))
    assert page.states.currentWidget() is page.content and set(seeded) <= set(_targets(page))


def test_only_auditors_are_offered_the_page(tmp_path: Path, qapp: Any) -> None:
    spec = navigation.page("audit")
    assert spec is not None
    settings = AppSettings.at_path(tmp_path / "v.ini")
    auditor = AppContext(settings, {"posts": [{"body_id": "b", "roles": ["audit_admin"]}]},
                         bus=ChangeBus())
    others = [AppContext(settings, {"roles": [r], "posts": [{"body_id": "b", "roles": [r]}]},
                         bus=ChangeBus()) for r in ("sys_admin", "security_admin", "leader", "staff")]
    assert spec.shown_to(auditor)
    assert not any(spec.shown_to(c) for c in others)
    assert "audit" in [s.key for s in navigation.pages_for(auditor)]
    assert "audit" not in [s.key for s in navigation.pages_for(others[0])]
    assert "audit" in navigation.more_keys(auditor) and "audit" not in navigation.more_keys(others[2])


def test_screenshots_at_desktop_and_phone_width(qtbot: QtBot, qapp: Any, tmp_path: Path,
                                                api: Recording, seeded: list[str]) -> None:
    settings = AppSettings.at_path(tmp_path / "look.ini")
    settings.theme = "light"
    setup_application(qapp, settings)
    page = _page(qtbot, tmp_path, AuditService(api))
    out = Path(os.environ.get("OFFICE_SHOTS", str(tmp_path)))
    out.mkdir(parents=True, exist_ok=True)
    for width, compact in ((1280, False), (390, True)):
        page.set_compact(compact)
        page.split.show_pane(0)
        page.resize(width, 820)
        page.show()
        qtbot.wait(50)
        assert page.minimumSizeHint().width() <= width, width
        # at phone width the filters beyond the text fold away behind "Filters"
        assert page.person.isVisibleTo(page) is not compact
        assert page.more_filters.isVisibleTo(page) is compact
        path = out / f"audit-{width}.png"
        assert page.grab().save(str(path))
        for name, show in page.screenshot_states():
            show()
            qtbot.waitUntil(lambda: len(page.detail.fields["hash"].text()) == 64, timeout=10_000)
            qtbot.wait(50)
            assert page.grab().save(str(out / f"audit-{width}-{name}.png"))
            assert page.filter_bar.isVisibleTo(page) is not compact  # the entry has the phone
        page.go_back()
        assert page.filter_bar.isVisibleTo(page)
    page.more_filters.click()
    assert page.person.isVisibleTo(page) and page.dates.isVisibleTo(page)
    page.more_filters.click()
    assert not page.person.isVisibleTo(page)


def test_the_status_line(qapp: Any) -> None:
    text = views._summary({"entries": 3, "last_seq": 9, "pending": 2,
                           "last_checkpoint_at": "2026-12-01T02:00:00+00:00"})
    assert "3" in text and "9" in text and "2 " in text and "2026-12-01 10:00:00" in text
    assert "not yet chained" not in views._summary({"entries": 0, "last_seq": 0, "pending": 0})
