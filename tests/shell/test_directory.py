"""Address book: models, tree → people → detail, search by name/pinyin/initials."""

from __future__ import annotations

import threading

from PySide6.QtGui import QGuiApplication

from modules.directory.service import CacheDirectoryQueries
from modules.directory.views import DirectoryPage, OrgTreeModel, PeopleModel
from tests.shell.fakes import FakeCache, sample_records


def test_tree_and_people_models_pass_modeltester(app, qtmodeltester):
    tree = OrgTreeModel()
    qtmodeltester.check(tree)
    bodies = list(sample_records()["directory.body"].values())
    tree.set_bodies(bodies)
    qtmodeltester.check(tree)
    assert tree.rowCount() == 1
    root = tree.index(0, 0)
    assert tree.rowCount(root) == 3
    city = tree.index_of("b-city")
    assert city.parent() == root
    assert tree.rowCount(city) == 1
    people = PeopleModel()
    qtmodeltester.check(people)
    people.set_rows(CacheDirectoryQueries(FakeCache()).people_in("b-prov-office"))
    qtmodeltester.check(people)
    assert [people.data(people.index(r, 0)) for r in range(people.rowCount())] == ["张伟", "李娜"]


def test_cache_queries_search_name_pinyin_initials():
    queries = CacheDirectoryQueries(FakeCache())
    assert queries.search("张")[0]["name"] == "张伟"
    assert queries.search("zhangwei")[0]["name"] == "张伟"
    assert queries.search("zw")[0]["name"] == "张伟"
    assert queries.search("oym")[0]["name"] == "欧阳明"
    assert queries.search("nobody-here") == []
    person = queries.person("p-1")
    assert [p["title"] for p in person["posts"]] == ["处长", "兼任法制审核员"]
    assert person["posts"][0]["body_name"] == "江南省人民政府办公厅 · 秘书处"


def _page(context, qtbot) -> DirectoryPage:
    page = DirectoryPage(context)
    qtbot.addWidget(page)
    page.resize(1200, 800)
    page.show()
    qtbot.waitUntil(lambda: page.tree_model.rowCount() > 0)
    return page


def test_tree_selection_loads_people_off_the_gui_thread(context, cache, qtbot):
    page = _page(context, qtbot)
    index = page.tree_model.index_of("b-prov-office")
    with qtbot.waitSignal(page.people_loaded, timeout=5000):
        page.tree.setCurrentIndex(index)
    assert [r["name"] for r in page.people_model.rows()] == ["张伟", "李娜"]
    assert cache.threads and threading.get_ident() not in cache.threads


def test_search_by_pinyin_and_initials(context, qtbot):
    page = _page(context, qtbot)
    for query, expected in (("zw", "张伟"), ("lina", "李娜"), ("王建", "王建国"),
                            ("ouyang", "欧阳明")):
        with qtbot.waitSignal(page.search_finished, timeout=5000):
            page.search(query)
        assert page.results_model.rows()[0]["name"] == expected, query
    with qtbot.waitSignal(page.search_finished, timeout=5000):
        page.search("zzzz")
    assert page._left_stack.currentWidget() is page.no_results
    with qtbot.waitSignal(page.search_finished, timeout=5000):
        page.search("")
    assert page._left_stack.currentWidget() is page.tree


def test_person_detail_and_copy(context, qtbot):
    page = _page(context, qtbot)
    with qtbot.waitSignal(page.person_shown, timeout=5000):
        page.show_person("p-1")
    assert page.detail.name.text() == "张伟"
    assert page.detail.phone.value.text() == "0571-87050001"
    assert page.detail.email.value.text() == "zhangwei@jn.gov.cn"
    page.detail.phone.copy_button.click()
    assert QGuiApplication.clipboard().text() == "0571-87050001"
    assert "已复制" in page.detail.copied_note.text()


def test_phone_width_list_to_detail_and_back(context, qtbot):
    page = _page(context, qtbot)
    page.set_compact(True)
    assert not page.can_go_back()
    index = page.tree_model.index_of("b-prov-office")
    with qtbot.waitSignal(page.people_loaded, timeout=5000):
        page.tree.clicked.emit(index)
    assert page.split.current_pane() == 1 and page.can_go_back()
    with qtbot.waitSignal(page.person_shown, timeout=5000):
        page.people.clicked.emit(page.people_model.index(0, 0))
    assert page.split.current_pane() == 2
    page.go_back()
    page.go_back()
    assert page.split.current_pane() == 0 and not page.can_go_back()


def test_reloads_on_directory_changes(context, cache, engine, qtbot):
    from tests.shell.fakes import FakeChanges

    context.attach()
    page = _page(context, qtbot)
    cache.data["directory.body"]["b-new"] = {
        "id": "b-new", "parent_id": None, "name": "江南省财政厅", "short_name": "省财政厅",
        "kind": "body", "sort_order": 9, "active": True}
    with qtbot.waitSignal(page.bodies_loaded, timeout=5000):
        engine.emit_changes(FakeChanges(frozenset({"directory.body"})))
    assert page.tree_model.rowCount() == 2


def test_page_works_over_the_real_cache_and_directory_service(app, settings, qtbot):
    """The address book over sync.cache.LocalCache + modules.directory.service."""
    from modules.directory import service
    from office_app.bus import ChangeBus
    from office_app.context import AppContext
    from sync.cache import LocalCache, store_displayed

    cache = LocalCache(None)
    cache.ensure_projections()
    try:
        with cache.write() as session:
            for entity, rows in sample_records().items():
                if entity.startswith("directory."):
                    for record_id, data in rows.items():
                        store_displayed(session, (entity, record_id), data)
        context = AppContext(settings, {"person_id": "p-1", "name": "张伟"}, cache=cache,
                             bus=ChangeBus())
        assert isinstance(context.directory(), service.DirectoryQueries)
        page = _page(context, qtbot)
        with qtbot.waitSignal(page.search_finished, timeout=5000):
            page.search("zw")
        assert page.results_model.rows()[0]["name"] == "张伟"
        with qtbot.waitSignal(page.person_shown, timeout=5000):
            page.show_person("p-1")
        assert page.detail.phone.value.text() == "0571-87050001"
    finally:
        cache.close()
