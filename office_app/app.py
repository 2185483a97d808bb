"""QApplication set-up: high-DPI, bundled fonts, translators, theme, Qt log routing.

Order matters and is fixed here: fonts and translators are installed before any widget
is built, so the first window already draws Chinese with the bundled font (even on a
machine without any CJK font) in the chosen language.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QApplication

from office_app import i18n, icons, qtlog, theme
from office_app.paths import FONTS
from office_app.settings import APPLICATION, ORGANIZATION, AppSettings

log = logging.getLogger(__name__)

UI_FONT_POINT_SIZE = 10
UI_FONT_FALLBACK = FONTS / "wqy-microhei.ttc"


def ui_font_files() -> list[Path]:
    """The UI font files: modules.common.fonts when present, else the bundled TTC."""
    try:
        from modules.common.fonts import ui_font_files as shared
    except ImportError:
        return [UI_FONT_FALLBACK]
    files = [Path(p) for p in shared()]
    return files or [UI_FONT_FALLBACK]


_families: list[str] | None = None


def load_fonts() -> list[str]:
    """Register the bundled UI fonts with Qt (once); returns their families (first = UI)."""
    global _families
    if _families is not None:
        return list(_families)
    families: list[str] = []
    for path in ui_font_files():
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id < 0:
            log.error("could not load bundled font %s", path)
            continue
        for family in QFontDatabase.applicationFontFamilies(font_id):
            if family not in families:
                families.append(family)
    _families = families
    return list(families)


def apply_ui_font(app: QGuiApplication, families: list[str]) -> QFont:
    """Make the first bundled family the application font (others as fallbacks)."""
    font = QFont(app.font())
    if families:
        font.setFamilies(families)
    font.setPointSize(UI_FONT_POINT_SIZE)
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    app.setFont(font)
    return font


def configure_high_dpi() -> None:
    """Fractional scale factors as reported by the OS (call before QApplication)."""
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
        Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)


def setup_application(app: QApplication, settings: AppSettings) -> None:
    """Fonts, translators and theme on an existing QApplication, before any widget."""
    QCoreApplication.setOrganizationName(ORGANIZATION)
    QCoreApplication.setApplicationName(APPLICATION)
    QGuiApplication.setApplicationDisplayName("协同办公")
    families = load_fonts()
    apply_ui_font(app, families)
    # Everything read from disk is read here, before the event loop: the GUI thread
    # touches no file later (icons, catalogs and the stylesheet stay in memory).
    icons.preload()
    i18n.preload(app)
    i18n.install_language(app, settings.language)
    theme.apply_theme(app, settings.theme)
    app.setWindowIcon(icons.icon("app", theme.colors()["accent"]))

    global _follow_settings
    first = _follow_settings is None
    _follow_settings = settings
    if first:
        QGuiApplication.styleHints().colorSchemeChanged.connect(_scheme_changed)


_follow_settings: AppSettings | None = None


def _scheme_changed(_scheme: object) -> None:
    """The platform switched light/dark: follow it when the theme setting is "system"."""
    app = QApplication.instance()
    if _follow_settings is not None and _follow_settings.theme == "system" and \
            isinstance(app, QApplication):
        theme.apply_theme(app, "system")


def create_application(argv: list[str], settings: AppSettings | None = None
                       ) -> tuple[QApplication, AppSettings]:
    """Build the QApplication with everything installed; returns it and the settings."""
    existing = QApplication.instance()
    if existing is None:
        configure_high_dpi()
    qtlog.install()
    app = existing or QApplication(argv)
    assert isinstance(app, QApplication)
    settings = settings or AppSettings()
    setup_application(app, settings)
    return app, settings
