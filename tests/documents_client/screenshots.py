"""Render the documents screens to docs/screenshots/documents-*.png (demo data).

Run:  QT_QPA_PLATFORM=offscreen .venv/bin/python -m tests.documents_client.screenshots
Writes, at 1440×900 and 390×844: inbox, detail (with the PDF), 办文单 (processing form),
timeline, and the drafting editor. The shell's bundled fonts draw the Chinese.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "docs" / "screenshots"


def build_context(tmp: Path) -> tuple[Any, Any]:
    from office_app.app import setup_application
    from office_app.bus import ChangeBus
    from office_app.context import AppContext
    from office_app.settings import AppSettings
    from sync.cache import LocalCache
    from tests.documents_client import support

    app = QApplication.instance() or QApplication(sys.argv[:1])
    settings = AppSettings.at_path(tmp / "settings.ini")
    settings.theme = "light"
    setup_application(app, settings)
    cache = LocalCache(None)
    support.seed(cache, support.demo_records())
    support.seed_directory(cache)
    engine = support.LocalEngine(cache, support.ME)
    ctx = AppContext(settings, support.ME, cache=cache, engine=engine, bus=ChangeBus())
    ctx.attach()
    return app, ctx


def render(out: Path = OUT) -> list[Path]:
    from office_app.main_window import MainWindow
    from office_app.screenshot import settle
    from tests.documents_client import support

    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        _app, ctx = build_context(Path(tmp))
        first = support.demo_records()[0]["id"]
        for width, height in ((1440, 900), (390, 844)):
            tag = "wide" if width > 900 else "phone"
            window = MainWindow(ctx)
            window.resize(width, height)
            window.show()
            settle()
            window.navigate("documents")
            page = window.page_widget("documents")
            settle()

            def shot(name: str, window: Any = window, tag: str = tag) -> None:
                import time

                settle(8)
                for _ in range(30):  # QPdfView renders pages on its own threads
                    QApplication.processEvents()
                    time.sleep(0.03)
                settle(2)
                path = out / f"documents-{name}-{tag}.png"
                window.grab().save(str(path), "PNG")
                written.append(path)

            shot("inbox")
            page.show_document(first)
            shot("detail")
            page.detail.tabs.setCurrentIndex(1)
            shot("form")
            page.detail.tabs.setCurrentIndex(2)
            shot("timeline")
            page.detail.tabs.setCurrentIndex(0)
            drafts = [r for r in support.demo_records() if r["title"].startswith("关于开展森林防火")]
            page.edit_draft(drafts[0]["id"])
            shot("editor")
            window.close()
            window.deleteLater()
            settle(2)
        ctx.shutdown()
    return written


if __name__ == "__main__":
    for p in render():
        print(p)
