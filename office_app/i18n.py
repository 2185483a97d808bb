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

import copy
import json
import subprocess
import sys
import xml.etree.ElementTree as ET
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
    """Python files scanned for UI strings: the shell, every module's views, and any
    other module file that translates (``self.tr(`` / ``QCoreApplication.translate(``,
    e.g. a widget beside the views)."""
    files = sorted((ROOT / "office_app").rglob("*.py"))
    modules = ROOT / "modules"
    files += sorted(modules.glob("*/views*.py"))
    files += sorted(modules.glob("*/views/*.py"))
    seen = set(files)
    for f in sorted(modules.glob("*/*.py")):
        if f not in seen and any(mark in f.read_text(encoding="utf-8")
                                 for mark in ("self.tr(", "QCoreApplication.translate(")):
            files.append(f)
    return [f for f in files if f.name != "__init__.py" or f.stat().st_size > 0]


def _tool(name: str) -> str:
    candidate = Path(sys.executable).with_name(name)
    return str(candidate) if candidate.exists() else name


def _plural_messages(ts: Path) -> dict[tuple[str, str], ET.Element]:
    """``(context, source) -> <message numerus="yes">`` of a catalog."""
    if not ts.exists():
        return {}
    found = {}
    for ctx in ET.parse(ts).getroot().iter("context"):
        name = ctx.findtext("name") or ""
        for msg in ctx.iter("message"):
            if msg.get("numerus") == "yes":
                found[(name, msg.findtext("source") or "")] = msg
    return found


def _keep_plurals(ts: Path, before: dict[tuple[str, str], ET.Element],
                  sources: list[Path]) -> int:
    """Put back plural messages lupdate lost; returns how many.

    pyside6-lupdate 6.11 reads ``QCoreApplication.translate(ctx, text, None, n)`` as a
    singular message (only ``self.tr(text, None, n)`` is seen as plural), and with
    ``-pluralonly`` drops it altogether. A plural message of the previous catalog whose
    text is still in the code is restored with its translations.
    """
    code = "\n".join(f.read_text(encoding="utf-8") for f in sources)
    tree = ET.parse(ts)
    root = tree.getroot()
    contexts = {c.findtext("name") or "": c for c in root.iter("context")}
    restored = 0
    for (name, source), old in before.items():
        if not source or json.dumps(source, ensure_ascii=False) not in code:
            continue
        ctx = contexts.get(name)
        if ctx is None:
            ctx = ET.SubElement(root, "context")
            ET.SubElement(ctx, "name").text = name
            contexts[name] = ctx
        current = next((m for m in ctx.iter("message")
                        if (m.findtext("source") or "") == source), None)
        if current is not None and current.get("numerus") == "yes":
            continue
        if current is not None:
            ctx.remove(current)
        ctx.append(copy.deepcopy(old))
        restored += 1
    if restored:
        ET.indent(tree, space="    ")
        body = ET.tostring(root, encoding="unicode")
        ts.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n",
                      encoding="utf-8")
    return restored


def update_catalogs(release_only: bool = False) -> None:
    """Run pyside6-lupdate (unless ``release_only``) and pyside6-lrelease."""
    for lang in LANGUAGES:
        ts = TRANSLATIONS / f"{CATALOG_NAME}_{lang}.ts"
        if not release_only:
            sources = source_files()
            files = [str(f.relative_to(ROOT)) for f in sources]
            extra = ["-pluralonly"] if lang == "en" else []
            before = _plural_messages(ts)
            subprocess.run([_tool("pyside6-lupdate"), "-no-obsolete", *extra, *files, "-ts",
                            str(ts.relative_to(ROOT))], cwd=ROOT, check=True)
            _keep_plurals(ts, before, sources)
        subprocess.run([_tool("pyside6-lrelease"), str(ts), "-qm", str(catalog_path(lang))],
                       cwd=ROOT, check=True)


if __name__ == "__main__":  # pragma: no cover - maintenance script
    update_catalogs(release_only="--release" in sys.argv[1:])
