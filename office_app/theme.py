"""Light and dark themes: a QPalette plus the one stylesheet in resources/styles/.

``resolve_theme("system")`` follows ``QStyleHints.colorScheme()``; the application
re-applies the theme when the system scheme changes while the setting is "system".
Call from the GUI thread only. The stylesheet template is read once and kept in memory.
"""

from __future__ import annotations

import re
from functools import cache

from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

from office_app.paths import STYLES

THEMES = ("system", "light", "dark")

LIGHT: dict[str, str] = {
    "window": "#f4f6f9",
    "surface": "#ffffff",
    "sidebar": "#ffffff",
    "text": "#1f2329",
    "muted": "#646a73",
    "border": "#dee0e3",
    "hover": "#eff1f4",
    "scroll": "#c9cdd4",
    "accent": "#1f5fbf",
    "accent_hover": "#2b6fd6",
    "accent_disabled": "#9db7e0",
    "accent_soft": "#e8f0fc",
    "danger": "#d83931",
    "danger_soft": "#fdecea",
    "warn": "#c27400",
    "warn_soft": "#fff4e0",
    "ok": "#2e8b21",
}

DARK: dict[str, str] = {
    "window": "#17191c",
    "surface": "#222428",
    "sidebar": "#1d1f23",
    "text": "#e8eaed",
    "muted": "#9aa0a6",
    "border": "#34373c",
    "hover": "#2c2f34",
    "scroll": "#4a4e55",
    "accent": "#5b97f7",
    "accent_hover": "#79aaf8",
    "accent_disabled": "#33496b",
    "accent_soft": "#1e2b40",
    "danger": "#f0635b",
    "danger_soft": "#3a2222",
    "warn": "#f5a623",
    "warn_soft": "#3a2f1a",
    "ok": "#5cc24c",
}

SIZES: dict[str, str] = {
    "font_px": "14px",
    "small_px": "12px",
    "heading_px": "16px",
    "title_px": "20px",
    "count_px": "26px",
}

_TOKEN = re.compile(r"@([a-z_]+)")
_current: dict[str, str] = dict(LIGHT)


def system_is_dark() -> bool:
    """True when the platform reports a dark colour scheme."""
    from PySide6.QtCore import Qt

    hints = QGuiApplication.styleHints()
    return hints.colorScheme() == Qt.ColorScheme.Dark


def resolve_theme(theme: str) -> str:
    """Map a theme setting ("system" | "light" | "dark") onto "light" or "dark"."""
    if theme == "dark":
        return "dark"
    if theme == "light":
        return "light"
    return "dark" if system_is_dark() else "light"


def colors() -> dict[str, str]:
    """The colours of the theme applied last (for widgets that paint themselves)."""
    return _current


def color(name: str) -> QColor:
    """One named colour of the current theme as a QColor."""
    return QColor(_current[name])


@cache
def _template() -> str:
    return (STYLES / "base.qss").read_text(encoding="utf-8")


def stylesheet(values: dict[str, str]) -> str:
    """The stylesheet with every @token replaced; unknown tokens raise KeyError."""
    merged = {**SIZES, **values}
    return _TOKEN.sub(lambda m: merged[m.group(1)], _template())


def palette(values: dict[str, str]) -> QPalette:
    """A Fusion palette matching the stylesheet colours (for native-drawn parts)."""
    pal = QPalette()
    window = QColor(values["window"])
    surface = QColor(values["surface"])
    text = QColor(values["text"])
    muted = QColor(values["muted"])
    accent = QColor(values["accent"])
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        pal.setColor(group, QPalette.ColorRole.Window, window)
        pal.setColor(group, QPalette.ColorRole.WindowText, text)
        pal.setColor(group, QPalette.ColorRole.Base, surface)
        pal.setColor(group, QPalette.ColorRole.AlternateBase, window)
        pal.setColor(group, QPalette.ColorRole.Text, text)
        pal.setColor(group, QPalette.ColorRole.Button, surface)
        pal.setColor(group, QPalette.ColorRole.ButtonText, text)
        pal.setColor(group, QPalette.ColorRole.ToolTipBase, surface)
        pal.setColor(group, QPalette.ColorRole.ToolTipText, text)
        pal.setColor(group, QPalette.ColorRole.PlaceholderText, muted)
        pal.setColor(group, QPalette.ColorRole.Highlight, accent)
        pal.setColor(group, QPalette.ColorRole.HighlightedText, QColor("#ffffff"))
        pal.setColor(group, QPalette.ColorRole.Link, accent)
    disabled = QPalette.ColorGroup.Disabled
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text,
                 QPalette.ColorRole.ButtonText):
        pal.setColor(disabled, role, muted)
    pal.setColor(disabled, QPalette.ColorRole.Base, window)
    pal.setColor(disabled, QPalette.ColorRole.Button, window)
    return pal


def apply_theme(app: QApplication, theme: str) -> str:
    """Apply the Fusion style, palette and stylesheet; returns "light" or "dark"."""
    global _current
    resolved = resolve_theme(theme)
    values = DARK if resolved == "dark" else LIGHT
    _current = dict(values)
    fusion = QStyleFactory.create("Fusion")
    if fusion is not None and app.style().name().lower() != "fusion":
        app.setStyle(fusion)
    app.setPalette(palette(values))
    app.setStyleSheet(stylesheet(values))
    from office_app import icons

    icons.clear_cache()
    return resolved
