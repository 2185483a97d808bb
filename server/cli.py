"""``python main.py server``: run the backend (migrations first, then uvicorn workers)."""

from __future__ import annotations

import argparse
import os

import uvicorn

from server.config import Settings, get_settings
from server.logs import configure_logging

#: Idle keep-alive of client connections. The client (httpx) drops an idle connection
#: after 5 s; had the server the same 5 s (uvicorn's default), a request sent at that
#: moment races the server's close, and a busy event loop runs the due close before it
#: reads the request: the client gets RemoteProtocolError / ReadError
#: (docs/PERFORMANCE.md, "Scale (issue 11) — load"). Longer here, so the client always
#: closes first.
KEEP_ALIVE_SECONDS = 30.0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8765, help="port to listen on")
    parser.add_argument(
        "--database-url",
        default=None,
        help="SQLAlchemy URL, e.g. postgresql+psycopg://user@host/db (default: SQLite "
        "in the data directory; env OFFICE_DATABASE_URL)",
    )
    parser.add_argument("--workers", type=int, default=1, help="server processes")
    parser.add_argument(
        "--keep-alive",
        type=float,
        default=KEEP_ALIVE_SECONDS,
        help="seconds an idle HTTP connection is kept open (default %(default)s; keep it "
        "well above the clients' own idle limit of 5 s)",
    )
    parser.add_argument("--data-dir", default=None, help="data directory (env OFFICE_DATA_DIR)")
    parser.add_argument("--demo", action="store_true", help="seed the demo organisation if empty")


def run(args: argparse.Namespace) -> int:
    # Workers read their settings from the environment, so pass the options that way.
    if args.database_url:
        os.environ["OFFICE_DATABASE_URL"] = args.database_url
    if args.data_dir:
        os.environ["OFFICE_DATA_DIR"] = args.data_dir
    if args.demo:
        os.environ["OFFICE_DEMO"] = "1"
    get_settings.cache_clear()
    settings: Settings = get_settings()
    configure_logging(settings.log_level, settings.log_json)
    settings.data_dir.mkdir(parents=True, exist_ok=True)

    from server.db import make_engine
    from server.migrate import prepare_database

    engine = make_engine(settings.resolved_database_url())
    prepare_database(engine, settings)
    engine.dispose()
    uvicorn.run(
        "server.app:create_app_from_env",
        factory=True,
        host=args.host,
        port=args.port,
        workers=max(1, args.workers),
        log_config=None,
        # One line per request is the app's own (office.access, with the request id);
        # uvicorn's would format its arguments on every response even when filtered.
        access_log=False,
        timeout_graceful_shutdown=3,
        timeout_keep_alive=max(1, round(args.keep_alive)),
    )
    return 0
