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

``--mode after-sync`` measures what a person sees instead: the real documents page
(``DocumentsPage``) opening the to-do document that has an official PDF, from
``show_document`` until its PDF is shown (``pdf_shown``), wall and CPU time, in three
states, ``--repeat`` times each:

* ``prefetched + first page``: after a sync, with the blob fetched by the sync engine's
  prefetch and the first page prepared by the screens;
* ``prefetched``: the blob local, the first page not in memory (rendered on open);
* ``not prefetched``: the local copy removed before each open, so opening it queues the
  download, waits for ``blob_ready`` and then draws (what every first open cost before).

The embedded server runs in this process on the loopback: ``--latency-ms`` adds a delay
to every request the client makes, to see the same on a slower network.

Run:  QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_document_open.py
      [--data-dir DIR] (a server directory reused across runs skips the demo seeding)
      [--mode after-sync [--repeat N]]
Figures: docs/PERFORMANCE.md ("Opening a document", and its "After prefetch (issue 11)").
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", default=None, help="embedded server data directory")
    parser.add_argument("--account", default=None, help="demo login (default: the first)")
    parser.add_argument("--mode", choices=("parts", "after-sync"), default="parts",
                        help="parts of the open (default) or the page opening after a sync")
    parser.add_argument("--repeat", type=int, default=7, help="opens per state (after-sync)")
    parser.add_argument("--latency-ms", type=float, default=0.0,
                        help="after-sync: delay added to every request (a slower network)")
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
    qapp = QApplication([sys.argv[0]])
    if args.mode == "after-sync":
        return after_sync(qapp, args)

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


def after_sync(qapp: Any, args: argparse.Namespace) -> int:
    """``--mode after-sync``: the documents page opening a to-do document's PDF."""
    from PySide6.QtCore import QCoreApplication, QEventLoop

    from modules.directory.demo import DEMO_PASSWORD, demo_accounts
    from modules.documents import prefetch
    from modules.documents.views.page import DocumentsPage
    from office_app import tasks
    from office_app.app import setup_application
    from office_app.bus import ChangeBus
    from office_app.context import AppContext
    from office_app.navigation import load_feature_modules
    from office_app.settings import AppSettings
    from server.embedded import start_embedded_server
    from sync.session import ClientSession

    tmp = tempfile.TemporaryDirectory(prefix="bench-open-")
    settings = AppSettings.at_path(Path(tmp.name) / "settings.ini")
    setup_application(qapp, settings)
    load_feature_modules()
    server_dir = Path(args.data_dir) if args.data_dir else Path(tmp.name) / "server"
    server = start_embedded_server(server_dir)

    def spin(until: Callable[[], bool], timeout: float = 60.0) -> None:
        deadline = time.perf_counter() + timeout
        while not until():
            if time.perf_counter() > deadline:
                raise TimeoutError("the page did not show the PDF")
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)

    import httpx

    class Delayed(httpx.HTTPTransport):
        """Every request waits ``delay`` seconds first (a network farther away)."""

        def __init__(self, delay: float) -> None:
            super().__init__()
            self.delay = delay

        def handle_request(self, request: httpx.Request) -> httpx.Response:
            time.sleep(self.delay)
            return super().handle_request(request)

    try:
        login = args.account or demo_accounts()[0].login
        transport = Delayed(args.latency_ms / 1000) if args.latency_ms > 0 else None
        session = ClientSession(Path(tmp.name) / "client", transport=transport)
        t = time.perf_counter()
        session.login(server.url, login, DEMO_PASSWORD)
        engine, blobs = session.engine, session.blobs
        assert engine is not None and blobs is not None and session.cache is not None
        assert engine.wait_idle(60, prefetch=True)
        synced = time.perf_counter() - t
        context = AppContext.from_session(settings, session, session.principal or {})
        context.bus = ChangeBus()
        context.attach()  # the screens' prefetcher prepares first pages
        page = DocumentsPage(context)
        page.resize(1280, 820)
        page.show()
        svc = page.service
        todo = [svc.get(r["id"]) for r in svc.page("todo", limit=50)]
        docs = [d for d in todo if d is not None and d.get("pdf_sha256")]
        assert docs, "no document with an official PDF on the to-do list"
        doc = docs[0]
        sha = str(doc["pdf_sha256"])
        assert blobs.path(sha, touch=False) is not None, "the sync did not prefetch the PDF"
        print(f"{login}: {len(todo)} to-do documents, {len(docs)} with an official PDF; "
              f"sign-in + sync + prefetch {ms(synced)} ms; blob "
              f"{blobs.path(sha, touch=False).stat().st_size // 1024} KiB")  # type: ignore[union-attr]
        spin(lambda: prefetch.cached_by_id(str(doc["id"])) is not None)

        shown: list[str] = []
        page.pdf_shown.connect(shown.append)
        other = next((str(d["id"]) for d in todo if d is not None and d["id"] != doc["id"]), "")

        def open_once(prepare: Callable[[], None]) -> tuple[float, float, float]:
            if other:  # leave the document first, as a person does
                page.show_document(other)
                spin(lambda: other in shown or page.detail.pdf_stack.currentWidget()
                     is page.detail.pdf_wait)
            tasks.wait_for_idle()
            QCoreApplication.processEvents()
            prepare()
            shown.clear()
            cpu, wall = time.process_time(), time.perf_counter()
            page.show_document(str(doc["id"]))
            # The first page is on screen now when it was prepared (the preview), else
            # when the PDF is shown.
            first = time.perf_counter() - wall if page.detail.pdf_preview.isVisible() else -1.0
            spin(lambda: str(doc["id"]) in shown)
            total = time.perf_counter() - wall
            return total, time.process_time() - cpu, first if first >= 0 else total

        def warm() -> None:
            spin(lambda: prefetch.cached_by_id(str(doc["id"])) is not None)

        def cold_page() -> None:
            prefetch.clear_caches()

        def not_local() -> None:
            prefetch.clear_caches()
            blobs.discard(sha)

        states = (("prefetched + first page", warm), ("prefetched", cold_page),
                  ("not prefetched", not_local))
        load_before = os.getloadavg()
        results = []
        for name, prepare in states:
            runs = [open_once(prepare) for _ in range(args.repeat)]
            results.append((name, runs))
        load_after = os.getloadavg()
        print()
        print(f"request latency added: {args.latency_ms:.0f} ms; {args.repeat} opens per state")
        print("| state | first page on screen ms, median / max | PDF shown ms, median / max "
              "| CPU ms, median |")
        print("|---|---:|---:|---:|")
        for name, runs in results:
            walls = [r[0] for r in runs]
            cpus = [r[1] for r in runs]
            firsts = [r[2] for r in runs]
            print(f"| {name} | {ms(statistics.median(firsts))} / {ms(max(firsts))} "
                  f"| {ms(statistics.median(walls))} / {ms(max(walls))} "
                  f"| {ms(statistics.median(cpus))} |")
        print()
        print("load average (1, 5, 15 min) before: "
              + ", ".join(f"{v:.2f}" for v in load_before)
              + "; after: " + ", ".join(f"{v:.2f}" for v in load_after)
              + f"; {os.cpu_count()} cores")
        page.close()
        context.detach()
        tasks.wait_for_idle()
        session.close()
    finally:
        server.stop()
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
