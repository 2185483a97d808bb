"""Where the shell finds its bundled resources (fonts, translations, styles, icons)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESOURCES = ROOT / "resources"
FONTS = RESOURCES / "fonts"
TRANSLATIONS = RESOURCES / "translations"
STYLES = RESOURCES / "styles"
ICONS = RESOURCES / "icons"
