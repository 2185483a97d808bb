"""Interface language (界面语言): Qt translators, the current language, catalog rebuild.

Source strings in code are English, wrapped in ``self.tr()`` /
``QCoreApplication.translate(context, text)``; the Chinese catalog is
``resources/translations/office_zh_CN.ts`` compiled to ``office_zh_CN.qm``. English
needs only its plural forms ("1 item" / "2 items"): ``office_en.ts`` is generated with
``lupdate -pluralonly``. zh_CN is the default language. Translators are installed before any widget is built; switching later
sends a LanguageChange event that the main window answers by rebuilding its pages.

Regenerate the catalog after changing UI strings (keeps existing translations), then
translate the new entries with ``.venv/bin/pyside6-linguist resources/translations/
office_zh_CN.ts`` and release again::

    .venv/bin/python -m office_app.i18n          # lupdate -> .ts, then lrelease -> .qm
    .venv/bin/python -m office_app.i18n --release  # only .ts -> .qm
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from modules.common.messages import normalise_lang
from office_app.paths import ROOT, TRANSLATIONS

LANGUAGES: dict[str, str] = {"zh_CN": "简体中文", "en": "English"}
DEFAULT_LANGUAGE = "zh_CN"
CATALOG_NAME = "office"

_current = DEFAULT_LANGUAGE
_installed: list[QTranslator] = []
#: Loaded translators per language, kept so a later switch reads no file.
_loaded: dict[str, list[QTranslator]] = {}


def current_lang() -> str:
    """The language of the interface now: ``zh_CN`` or ``en`` (for messages.render)."""
    return _current


def catalog_path(lang: str) -> Path:
    """The compiled catalog for ``lang`` (for English: plural forms only)."""
    return TRANSLATIONS / f"{CATALOG_NAME}_{lang}.qm"


def install_language(app: QCoreApplication, lang: str) -> str:
    """Install the translators for ``lang`` on ``app``; returns the language applied.

    Removes translators installed before. Qt's own strings (standard buttons, context
    menus) come from Qt's bundled qtbase catalog. GUI thread; catalogs are read once
    (:func:`preload` reads all of them at start-up).
    """
    global _current
    lang = normalise_lang(lang)
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    _installed.extend(_translators(app, lang))
    for translator in _installed:
        app.installTranslator(translator)
    QLocale.setDefault(QLocale("zh_CN" if lang == "zh_CN" else "en_US"))
    _current = lang
    return lang


def _translators(app: QCoreApplication, lang: str) -> list[QTranslator]:
    found = _loaded.get(lang)
    if found is not None:
        return found
    ours = QTranslator(app)
    if not ours.load(str(catalog_path(lang))):
        raise FileNotFoundError(f"translation catalog missing: {catalog_path(lang)}")
    found = []
    if lang != "en":
        qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        qt_base = QTranslator(app)
        if qt_base.load(f"qtbase_{lang}", qt_dir):
            found.append(qt_base)
    found.append(ours)
    _loaded[lang] = found
    return found


def preload(app: QCoreApplication) -> None:
    """Load the catalogs of every language (at start-up, before the event loop)."""
    for lang in LANGUAGES:
        _translators(app, lang)


def source_files() -> list[Path]:
    """Python files scanned for UI strings: the shell and every module's views."""
    files = sorted((ROOT / "office_app").rglob("*.py"))
    modules = ROOT / "modules"
    files += sorted(modules.glob("*/views*.py"))
    files += sorted(modules.glob("*/views/*.py"))
    return [f for f in files if f.name != "__init__.py" or f.stat().st_size > 0]


def _tool(name: str) -> str:
    candidate = Path(sys.executable).with_name(name)
    return str(candidate) if candidate.exists() else name


def update_catalogs(release_only: bool = False) -> None:
    """Run pyside6-lupdate (unless ``release_only``) and pyside6-lrelease."""
    for lang in LANGUAGES:
        ts = TRANSLATIONS / f"{CATALOG_NAME}_{lang}.ts"
        if not release_only:
            files = [str(f.relative_to(ROOT)) for f in source_files()]
            extra = ["-pluralonly"] if lang == "en" else []
            subprocess.run([_tool("pyside6-lupdate"), "-no-obsolete", *extra, *files, "-ts",
                            str(ts.relative_to(ROOT))], cwd=ROOT, check=True)
        subprocess.run([_tool("pyside6-lrelease"), str(ts), "-qm", str(catalog_path(lang))],
                       cwd=ROOT, check=True)


if __name__ == "__main__":  # pragma: no cover - maintenance script
    update_catalogs(release_only="--release" in sys.argv[1:])
