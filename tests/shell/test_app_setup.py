"""Application set-up: bundled font, translators, themes, settings, Qt log routing."""

from __future__ import annotations

import logging
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, qWarning
from PySide6.QtGui import QFontDatabase, QFontMetrics, QPalette
from PySide6.QtWidgets import QLabel

from modules.common.errors import ValidationFailed
from office_app import i18n, qtlog, theme
from office_app.app import load_fonts, ui_font_files
from office_app.paths import TRANSLATIONS
from office_app.settings import SETTINGS, AppSettings


def test_bundled_ui_font_is_the_application_font(app):
    families = load_fonts()
    assert "WenQuanYi Micro Hei" in families
    assert app.font().families()[0] == families[0]
    assert all(path.is_file() for path in ui_font_files())
    assert QFontDatabase.WritingSystem.SimplifiedChinese in QFontDatabase.writingSystems(
        families[0])
    metrics = QFontMetrics(app.font())
    assert metrics.inFont("协") and metrics.inFont("办")


def test_default_language_is_chinese_and_english_switches(app):
    assert i18n.current_lang() == "zh_CN"
    assert QCoreApplication.translate("Navigation", "Workbench") == "工作台"
    i18n.install_language(app, "en")
    assert i18n.current_lang() == "en"
    assert QCoreApplication.translate("Navigation", "Workbench") == "Workbench"
    i18n.install_language(app, "zh_CN")
    assert QCoreApplication.translate("Navigation", "Directory") == "通讯录"


@pytest.mark.parametrize(("lang", "at_least"), [("zh_CN", 50), ("en", 5)])
def test_catalogs_are_complete_and_compiled(lang, at_least, tmp_path):
    ts = TRANSLATIONS / f"office_{lang}.ts"
    qm = TRANSLATIONS / f"office_{lang}.qm"
    fresh = tmp_path / "fresh.qm"
    lrelease = Path(sys.executable).with_name("pyside6-lrelease")
    subprocess.run([str(lrelease), "-silent", str(ts), "-qm", str(fresh)], check=True)
    assert qm.read_bytes() == fresh.read_bytes()  # the committed .qm matches the .ts
    root = ET.parse(ts).getroot()
    messages = list(root.iter("message"))
    assert len(messages) >= at_least
    unfinished = [m.findtext("source") for m in messages
                  if m.find("translation").get("type") in ("unfinished", "vanished")]
    assert unfinished == []


def test_english_plurals(app):
    i18n.install_language(app, "en")
    assert QCoreApplication.translate("SettingsPage", "%n minute(s)", None, 1) == "1 minute"
    assert QCoreApplication.translate("SettingsPage", "%n minute(s)", None, 5) == "5 minutes"
    i18n.install_language(app, "zh_CN")
    assert QCoreApplication.translate("SettingsPage", "%n minute(s)", None, 5) == "5 分钟"


def test_light_and_dark_themes(app):
    assert theme.apply_theme(app, "dark") == "dark"
    assert app.palette().color(QPalette.ColorRole.Window).name() == theme.DARK["window"]
    assert theme.apply_theme(app, "light") == "light"
    assert app.palette().color(QPalette.ColorRole.Window).name() == theme.LIGHT["window"]
    assert theme.resolve_theme("system") in ("light", "dark")
    sheet = theme.stylesheet(theme.LIGHT)
    assert not re.search(r"@[a-z_]+", sheet)
    assert theme.LIGHT.keys() == theme.DARK.keys()


def test_settings_declared_defaults_round_trip_and_validation(tmp_path):
    settings = AppSettings.at_path(tmp_path / "s.ini")
    assert settings.language == "zh_CN"
    assert settings.theme == "system"
    assert settings.sync_interval == 60
    assert settings.last_account == ""
    settings.language = "en"
    settings.last_account = " lina "
    settings.server_url = "https://oa.example.gov.cn/"
    settings.sync_interval = 300
    settings.sync()
    again = AppSettings.at_path(tmp_path / "s.ini")
    assert (again.language, again.last_account, again.server_url, again.sync_interval) == (
        "en", "lina", "https://oa.example.gov.cn", 300)
    with pytest.raises(ValidationFailed) as info:
        settings.language = "fr"
    assert "ui/language" in info.value.message("zh_CN")
    with pytest.raises(ValidationFailed):
        settings.sync_interval = 1
    assert {s.key for s in SETTINGS} >= {"server/url", "ui/language", "ui/theme"}


def test_bad_stored_value_falls_back_to_default(tmp_path):
    path = tmp_path / "s.ini"
    path.write_text("[ui]\nlanguage=klingon\n[sync]\ninterval_seconds=abc\n", encoding="utf-8")
    settings = AppSettings.at_path(path)
    assert settings.language == "zh_CN"
    assert settings.sync_interval == 60


def test_qt_messages_are_routed_to_logging(app, caplog):
    previous = qtlog.install()
    try:
        with caplog.at_level(logging.WARNING, logger="qt"):
            qWarning("shell test warning")
    finally:
        qtlog.restore(previous)
    assert any(r.name == "qt" and "shell test warning" in r.getMessage()
               for r in caplog.records)


def test_every_test_fails_on_qt_warnings(request):
    # set once in pyproject.toml for every test; no folder may lower it with a marker
    assert request.config.getini("qt_log_level_fail") == "WARNING"
    assert request.node.get_closest_marker("qt_log_level_fail") is None


def test_chinese_renders_with_the_bundled_font(app, qtbot):
    label = QLabel("协同办公")
    qtbot.addWidget(label)
    label.resize(200, 40)
    image = label.grab().toImage()
    dark = sum(1 for x in range(image.width()) for y in range(image.height())
               if image.pixelColor(x, y).lightness() < 128)
    assert dark > 40  # glyphs were drawn
