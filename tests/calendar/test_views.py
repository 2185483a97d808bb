"""The 工作日历 section of the settings page over a local cache: the read-only view for
staff (covered years, the calculator's provisional note), editing for an administrator
of a top-level body, import of a CSV file, a bad entry refused in words in the dialog,
and the arguments of ``calendar.set_year`` as queued; every item model through
qtmodeltester."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate
from pytestqt.qtbot import QtBot

from modules.calendar import importer
from modules.calendar import intents as I
from modules.calendar.rules import HOLIDAY, MAKEUP_WORKDAY, DayEntry
from modules.calendar.views import CalendarSection, DaysModel, YearDialog, YearsModel
from office_app.bus import ChangeBus
from office_app.context import AppContext
from office_app.settings import AppSettings
from office_app.settings_page import SettingsPage
from sync.cache import LocalCache
from sync.local import apply_server_changes
from tests.documents_client.support import LocalEngine


def _person(roles: list[str], body: str = "b-top") -> dict[str, Any]:
    return {"person_id": "p-1", "name": "张伟", "posts": [
        {"post_id": "post-1", "body_id": body, "title": "职员", "roles": roles,
         "is_primary": True}]}


STAFF = _person(["staff"])
ADMIN = _person(["sys_admin"])
CITY_ADMIN = _person(["sys_admin"], "b-city")
Y2028 = {"year": 2028, "version": 2, "source": "国办发明电〔2027〕9号", "updated_by": "王芳",
         "updated_at": "2027-11-10T02:00:00+00:00",
         "days": [{"date": "2028-01-01", "kind": "holiday", "name": "元旦"}]}


@pytest.fixture
def cache() -> Iterator[LocalCache]:
    c = LocalCache(None)
    rows: list[Any] = [
        (("directory.body", "b-top"), {"id": "b-top", "name": "省政府办公厅", "kind": "body",
                                        "parent_id": None}, 1),
        (("directory.body", "b-city"), {"id": "b-city", "name": "江海市政府办", "kind": "body",
                                         "parent_id": "b-top"}, 2),
        ((I.ENTITY, "2028"), Y2028, 3),
    ]
    with c.write() as s:
        apply_server_changes(s, rows, principal=STAFF)
    yield c
    c.close()


def _section(qtbot: QtBot, cache: LocalCache, tmp_path: Path, who: dict[str, Any]
             ) -> tuple[CalendarSection, LocalEngine]:
    engine = LocalEngine(cache, who)
    ctx = AppContext(AppSettings.at_path(tmp_path / "s.ini"), who, cache=cache,
                     engine=engine, bus=ChangeBus())  # type: ignore[arg-type]
    ctx.attach()
    section = CalendarSection(ctx)
    qtbot.addWidget(section)
    qtbot.waitUntil(lambda: section.snapshot is not None, timeout=10_000)
    return section, engine


def test_staff_see_the_covered_years_read_only(qtbot: QtBot, cache: LocalCache,
                                               tmp_path: Path) -> None:
    section, _ = _section(qtbot, cache, tmp_path, STAFF)
    years = [r.year for r in section.model.rows()]
    assert years[:2] == [2028, 2026] and years[-1] == 2004 and 2027 not in years
    entered = section.model.rows()[0]
    assert entered.entered and entered.updated_by == "王芳" and entered.version == 2
    origin = section.model.index(0, YearsModel.COLUMNS.index("origin")).data()
    assert "王芳" in origin and "v2" in origin
    assert section.model.index(0, 3).data() == "国办发明电〔2027〕9号"
    assert not section.model.rows()[1].entered
    assert section.admin_row.isHidden() and not section.read_only_note.isHidden()
    assert section.open_year_dialog() is None


def test_the_calculator_counts_make_up_days_and_says_when_a_year_is_missing(
        qtbot: QtBot, cache: LocalCache, tmp_path: Path) -> None:
    section, _ = _section(qtbot, cache, tmp_path, STAFF)
    section.start.setDate(QDate(2026, 9, 28))
    section.count.setValue(5)
    assert section.result.text().startswith("2026-10-10")  # a make-up Saturday
    assert section.note.isHidden()
    section.start.setDate(QDate(2026, 12, 28))
    section.count.setValue(10)
    assert section.result.text().startswith("2027-01-")
    assert not section.note.isHidden() and "2027" in section.note.text()


def test_a_city_admin_may_not_enter_a_year(qtbot: QtBot, cache: LocalCache,
                                           tmp_path: Path) -> None:
    section, _ = _section(qtbot, cache, tmp_path, CITY_ADMIN)
    assert section.admin_row.isHidden() and section.open_year_dialog() is None


def test_a_top_level_admin_corrects_a_year_prefilled_and_the_intent_is_queued(
        qtbot: QtBot, cache: LocalCache, tmp_path: Path) -> None:
    section, engine = _section(qtbot, cache, tmp_path, ADMIN)
    assert not section.admin_row.isHidden()
    dialog = section.open_year_dialog(2026)
    assert dialog is not None
    days = dialog.days()
    assert days and all(d.day.year == 2026 for d in days)
    assert any(d.day == date(2026, 10, 10) and d.kind == MAKEUP_WORKDAY for d in days)
    dialog.source.setText("国办发明电〔2025〕7号")
    with qtbot.waitSignal(section.queued, timeout=10_000) as queued:
        dialog._accept()
    args = queued.args[0]
    assert args["year"] == 2026 and args["source"] == "国办发明电〔2025〕7号"
    assert args["days"][0] == {"date": days[0].day.isoformat(), "kind": days[0].kind,
                               "name": days[0].name}
    pending = engine.pending()
    assert [p["name"] for p in pending] == [I.SET_YEAR.name]
    assert pending[0]["args"] == args
    assert "2026" in section.status.text()


def test_a_new_year_from_a_csv_file(qtbot: QtBot, cache: LocalCache, tmp_path: Path) -> None:
    section, engine = _section(qtbot, cache, tmp_path, ADMIN)
    dialog = section.open_year_dialog()
    assert dialog is not None
    assert dialog.year.value() == 2029 and dialog.days() == []
    csv = tmp_path / "2027.csv"
    csv.write_text("日期,类型,名称\n2027-01-01,放假,元旦\n2027-2-6,调休上班,春节\n"
                   "2027-02-11,holiday,春节\n", encoding="utf-8")
    dialog.import_file(str(csv))
    qtbot.waitUntil(lambda: len(dialog.days()) == 3, timeout=10_000)
    assert dialog.year.value() == 2027
    assert dialog.days()[1] == DayEntry(date(2027, 2, 6), MAKEUP_WORKDAY, "春节")
    assert dialog.model.index(1, 0).data().startswith("2027-02-06")
    dialog.source.setText("国办发明电〔2026〕7号")
    with qtbot.waitSignal(section.queued, timeout=10_000):
        dialog._accept()
    assert engine.pending()[0]["args"] == {
        "year": 2027, "source": "国办发明电〔2026〕7号",
        "days": [{"date": "2027-01-01", "kind": HOLIDAY, "name": "元旦"},
                 {"date": "2027-02-06", "kind": MAKEUP_WORKDAY, "name": "春节"},
                 {"date": "2027-02-11", "kind": HOLIDAY, "name": "春节"}]}


def test_a_bad_entry_is_refused_in_words_in_the_dialog(qtbot: QtBot, cache: LocalCache,
                                                       tmp_path: Path) -> None:
    section, engine = _section(qtbot, cache, tmp_path, ADMIN)
    dialog = section.open_year_dialog(2027)
    assert dialog is not None
    dialog.import_text("2027-01-01,放假,元旦\n2027-02-08,makeup_workday,春节")  # a Monday
    assert len(dialog.days()) == 2
    dialog._accept()
    assert dialog.error.isVisible()
    assert "第 2 项" in dialog.error.text() and "2027-02-08" in dialog.error.text()
    assert dialog.view.selectionModel().isRowSelected(1)
    dialog.import_text("2027-13-01,放假")
    assert "第 1 项" in dialog.error.text() and len(dialog.days()) == 2
    assert engine.pending() == []


def test_the_settings_page_holds_the_section(qtbot: QtBot, cache: LocalCache,
                                             tmp_path: Path) -> None:
    ctx = AppContext(AppSettings.at_path(tmp_path / "s.ini"), STAFF, cache=cache,
                     bus=ChangeBus())
    page = SettingsPage(ctx)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.calendar.snapshot is not None, timeout=10_000)
    page.set_compact(True)
    assert page.calendar.view.isColumnHidden(3)


def test_pasted_lines_and_json() -> None:
    assert importer.parse_lines("# notice\n2027-02-06，班，春节\n\n2027/10/01\t休\t国庆节") == [
        DayEntry(date(2027, 2, 6), MAKEUP_WORKDAY, "春节"),
        DayEntry(date(2027, 10, 1), HOLIDAY, "国庆节")]
    found = importer.parse_json({"year": 2027, "source": "国办", "days": [
        {"date": "2027-01-01", "kind": "放假", "name": "元旦"}]})
    assert found.year == 2027 and found.source == "国办" and found.days[0].kind == HOLIDAY


def test_models_pass_the_model_tester(qtmodeltester: Any, qtbot: QtBot, cache: LocalCache,
                                      tmp_path: Path) -> None:
    section, _ = _section(qtbot, cache, tmp_path, ADMIN)
    qtmodeltester.check(section.model)
    qtmodeltester.check(YearsModel())
    days = DaysModel()
    days.set_rows([DayEntry(date(2027, 1, 1), HOLIDAY, "元旦")])
    qtmodeltester.check(days)
    dialog = YearDialog(section.snapshot.table, 2026, submit=lambda _a: None)  # type: ignore[union-attr]
    qtbot.addWidget(dialog)
    qtmodeltester.check(dialog.model)
