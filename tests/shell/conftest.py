"""Shell test fixtures. Every Qt warning fails the test (pytest-qt's qt_log_level_fail,
set for every test in pyproject.toml)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from office_app import i18n, navigation, tasks, theme
from office_app.app import setup_application
from office_app.bus import ChangeBus
from office_app.context import AppContext
from office_app.screenshot import settle
from office_app.settings import AppSettings
from tests.shell.fakes import PRINCIPAL, FakeCache, FakeEngine


@pytest.fixture(autouse=True)
def own_features_only() -> Iterator[None]:
    """Shell tests load only the address book (this part's own feature views); other
    features show their placeholders, so their work in progress cannot break these."""
    previous = navigation.set_loader(lambda: navigation.load_feature_modules(("directory",)))
    yield
    navigation.set_loader(previous)


@pytest.fixture
def settings(tmp_path: Path) -> AppSettings:
    return AppSettings.at_path(tmp_path / "settings.ini")


@pytest.fixture
def app(qapp: QApplication, settings: AppSettings) -> Iterator[QApplication]:
    """The QApplication with fonts, zh_CN translators and the light theme installed."""
    settings.theme = "light"
    setup_application(qapp, settings)
    yield qapp
    tasks.wait_for_idle()
    settle(2)
    if i18n.current_lang() != "zh_CN":
        i18n.install_language(qapp, "zh_CN")
    theme.apply_theme(qapp, "light")
    ChangeBus.reset_instance()


@pytest.fixture
def cache() -> FakeCache:
    return FakeCache()


@pytest.fixture
def engine() -> FakeEngine:
    return FakeEngine()


@pytest.fixture
def context(app: QApplication, settings: AppSettings, cache: FakeCache,
            engine: FakeEngine) -> Iterator[AppContext]:
    ctx = AppContext(settings, PRINCIPAL, cache=cache, engine=engine, bus=ChangeBus())
    yield ctx
    tasks.wait_for_idle()
    settle(2)


@pytest.fixture
def clean_registry() -> Iterator[None]:
    """Restore the navigation registry after a test that registers pages."""
    saved = dict(navigation._registry)
    yield
    navigation._registry.clear()
    navigation._registry.update(saved)
