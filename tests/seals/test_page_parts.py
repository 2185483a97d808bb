"""The 印章 page loads what a change says changed, and the register search re-reads the
register only (not the requests, the keyring, the trust roots or the directory)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from modules.seals.service import ENTRY, PERSON_CERT, REQUEST, SEAL, TRUST_ROOT
from office_app import tasks
from office_app.bus import ChangeBus
from office_app.context import AppContext
from office_app.settings import AppSettings
from sync.engine import Changes

SEAL_ROW = {"id": "seal-1", "name": "临江市人民政府办公室公章", "type": "official",
            "state": "active", "custodians": ["p-1"], "approvers": [], "requesters": []}


class CountingService:
    """The reads the page makes, counted by name."""

    me = "p-1"

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()

    def _count(self, name: str) -> None:
        self.calls[name] += 1

    def requests(self, which: str = "all") -> list[dict[str, Any]]:
        self._count("requests")
        return []

    def may_decide(self, request: dict[str, Any]) -> bool:
        return False

    def may_stamp(self, request: dict[str, Any]) -> bool:
        return False

    def seals(self) -> list[dict[str, Any]]:
        self._count("seals")
        return [SEAL_ROW]

    def shows_admin(self) -> bool:
        self._count("shows_admin")
        return False

    def register(self, **filters: Any) -> list[dict[str, Any]]:
        self._count("register")
        return []

    def has_personal_key(self) -> bool:
        self._count("keyring")
        return False

    def personal_certificate(self) -> dict[str, Any] | None:
        return None

    def install_trust_root(self) -> Path | None:
        self._count("trust_root")
        return None


@pytest.fixture
def page(qapp: QApplication, qtbot: Any, tmp_path: Path) -> Iterator[Any]:
    from modules.seals.views.page import SealsPage

    settings = AppSettings.at_path(tmp_path / "settings.ini")
    context = AppContext(settings, {"person_id": "p-1", "name": "张伟"}, bus=ChangeBus())
    service = CountingService()
    widget = SealsPage(context, service=service)  # type: ignore[arg-type]
    qtbot.addWidget(widget)
    qtbot.waitUntil(lambda: service.calls["register"] == 1)
    assert tasks.wait_for_idle()
    yield widget
    assert tasks.wait_for_idle()


def _settle(qtbot: Any) -> None:
    assert tasks.wait_for_idle()
    qtbot.wait(50)


def test_first_load_reads_every_part(page: Any) -> None:
    assert {name: page.service.calls[name] for name in (
        "requests", "seals", "register", "keyring", "trust_root")} == {
        "requests": 1, "seals": 1, "register": 1, "keyring": 1, "trust_root": 1}
    assert page.seals.model.rowCount() == 1


def test_typing_in_the_register_search_reads_the_register_only(page: Any, qtbot: Any) -> None:
    calls = page.service.calls
    before = Counter(calls)
    for text in ("通", "通知", "通知书"):
        page.register.search.setText(text)
    page.register.typed.flush()  # what a pause in typing does
    _settle(qtbot)
    grown = calls - before
    assert grown == Counter({"register": 1})


def test_a_change_reloads_the_parts_that_read_it(page: Any, qtbot: Any) -> None:
    calls: Counter[str] = page.service.calls

    def after(entities: set[str]) -> Counter[str]:
        before = Counter(calls)
        page._on_changes(Changes(frozenset(entities), frozenset()))
        _settle(qtbot)
        return calls - before

    assert after({ENTRY}) == Counter({"register": 1})
    assert after({REQUEST}) == Counter({"requests": 1})
    assert after({PERSON_CERT}) == Counter({"keyring": 1})
    assert after({TRUST_ROOT}) == Counter({"trust_root": 1})
    assert after({SEAL}) == Counter({"requests": 1, "seals": 1, "shows_admin": 1})
    assert after({"documents.document"}) == Counter()
    before = Counter(calls)
    page._on_changes(Changes(frozenset(), frozenset(), full_reset=True))
    _settle(qtbot)
    assert set(calls - before) == {"requests", "seals", "shows_admin", "register",
                                   "keyring", "trust_root"}
