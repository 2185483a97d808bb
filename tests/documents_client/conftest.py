"""Fixtures for the documents client tests. Every Qt warning fails a test (pytest-qt's
qt_log_level_fail, set for every test in pyproject.toml)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sync.cache import LocalCache
from tests.documents_client import support


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
