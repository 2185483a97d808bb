"""Benchmark: opening a document on the to-do list until its first page is drawn.

Starts the embedded demo server (SQLite + demo data) in a temporary or given directory,
signs a demo account in with a real ``sync.session.ClientSession`` and syncs, then, for
each document on the account's 待办 tab, measures the parts of open-to-first-page:

* ``pdf_for``: getting the PDF bytes (the official blob from the local blob cache, or
  the draft rendered locally from its spec), cold (first in the process) and warm;
* ``download``: when the blob is not local yet, the time until the sync engine has it;
* ``first page``: loading the bytes into a QPdfDocument and rendering page 1 at 820 px
  wide (what the detail view shows first);
* ``open (prefetched)``: ``pdf_for`` + first page with what the client now does ahead of
  time (to-do PDFs prefetched with the sync, first pages cached): see
  modules/documents/prefetch.py.

Run:  QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_document_open.py
      [--data-dir DIR] (a server directory reused across runs skips the demo seeding)
Figures: docs/PERFORMANCE.md ("Opening a document").
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", default=None, help="embedded server data directory")
    parser.add_argument("--account", default=None, help="demo login (default: the first)")
    args = parser.parse_args()

    import keyring
    from keyring.backend import KeyringBackend
    from PySide6.QtWidgets import QApplication

    class Memory(KeyringBackend):
        priority = 1  # type: ignore[assignment]

        def __init__(self) -> None:
            super().__init__()
            self.values: dict[tuple[str, str], str] = {}

        def get_password(self, service: str, username: str) -> str | None:
            return self.values.get((service, username))

        def set_password(self, service: str, username: str, password: str) -> None:
            self.values[(service, username)] = password

        def delete_password(self, service: str, username: str) -> None:
            self.values.pop((service, username), None)

    keyring.set_keyring(Memory())
    QApplication([sys.argv[0]])

    from modules.directory.demo import DEMO_PASSWORD, demo_accounts
    from modules.documents import prefetch
    from modules.documents.service import DocumentService
    from office_app.navigation import load_feature_modules
    from server.embedded import start_embedded_server
    from sync.session import ClientSession

    load_feature_modules()
    tmp = tempfile.TemporaryDirectory(prefix="bench-open-")
    server_dir = Path(args.data_dir) if args.data_dir else Path(tmp.name) / "server"
    t0 = time.perf_counter()
    server = start_embedded_server(server_dir)
    print(f"embedded server ready in {time.perf_counter() - t0:.1f} s", flush=True)
    try:
        login = args.account or demo_accounts()[0].login
        session = ClientSession(Path(tmp.name) / "client")
        session.login(server.url, login, DEMO_PASSWORD)
        assert session.engine is not None and session.cache is not None
        session.engine.catch_up(60)
        session.engine.wait_idle(60)
        svc = DocumentService(session.cache, session.engine, session.principal or {},
                              blobs=session.blobs)
        todo = svc.page("todo", limit=50)
        print(f"{login}: {len(todo)} documents on the to-do list")
        rows = []
        for row in todo:
            doc = svc.get(row["id"])
            assert doc is not None
            kind = "blob" if doc.get("pdf_sha256") else "rendered"
            t = time.perf_counter()
            data, state = svc.pdf_for(doc)
            cold = time.perf_counter() - t
            download = 0.0
            if data is None:  # not local yet: wait for the engine to fetch it
                t = time.perf_counter()
                while data is None and time.perf_counter() - t < 60:
                    time.sleep(0.01)
                    data, state = svc.pdf_for(doc)
                download = time.perf_counter() - t
            assert data is not None, state
            t = time.perf_counter()
            svc.pdf_for(doc)
            warm = time.perf_counter() - t
            t = time.perf_counter()
            image = prefetch.render_first_page(data, 820)
            first = time.perf_counter() - t
            assert not image.isNull()
            rows.append((row.get("title", "")[:18], kind, cold, download, warm, first))

        # What the client does ahead of time now: prefetch, then open from the caches.
        prefetch.clear_caches()
        t = time.perf_counter()
        prepared = prefetch.prepare_todo(svc, width=820)
        ahead = time.perf_counter() - t
        opens = []
        for row in todo:
            t = time.perf_counter()
            ready = prefetch.cached_open(svc, row["id"], 820)
            opens.append(time.perf_counter() - t)
            assert ready is not None and not ready[1].isNull()
        print(f"prefetch of {prepared} to-do PDFs (background, after sync): {ms(ahead)} ms")
        print()
        print("| document | PDF | pdf_for cold ms | download ms | pdf_for warm ms "
              "| first page ms |")
        print("|---|---|---:|---:|---:|---:|")
        for title, kind, cold, download, warm, first in rows:
            print(f"| {title} | {kind} | {ms(cold)} | {ms(download)} | {ms(warm)} "
                  f"| {ms(first)} |")
        if opens:
            print()
            print(f"open (prefetched, first page from cache): median {ms(statistics.median(opens))}"
                  f" ms, max {ms(max(opens))} ms over {len(opens)} documents")
        session.close()
    finally:
        server.stop()
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
