"""Fixtures for the documents client tests. Every Qt warning fails a test here."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sync.cache import LocalCache
from tests.documents_client import support

HERE = Path(__file__).resolve().parent
OFFSCREEN_NOTICE = r"^This plugin does not support (propagateSizeHints|raise|grabbing)"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.qt_log_level_fail("WARNING"))
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOTICE))


@pytest.fixture
def cache() -> Iterator[LocalCache]:
    c = LocalCache(None)
    yield c
    c.close()


@pytest.fixture
def demo_cache(cache: LocalCache) -> LocalCache:
    support.seed(cache, support.demo_records())
    support.seed_directory(cache)
    return cache


@pytest.fixture
def engine(cache: LocalCache) -> support.LocalEngine:
    return support.LocalEngine(cache, support.ME)


@pytest.fixture(autouse=True)
def chinese_interface(request: pytest.FixtureRequest) -> None:
    """Qt tests run with the default interface language, 简体中文 (zh_CN translators)."""
    if not {"qapp", "qtbot"} & set(request.fixturenames):
        return
    from office_app import i18n

    i18n.install_language(request.getfixturevalue("qapp"), "zh_CN")
