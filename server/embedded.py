"""An embedded server for the one-command demo: SQLite + demo data, in a thread.

``start_embedded_server(data_dir)`` migrates the database and seeds the first phase of
the demo organisation (server/demo.py), then serves on a free 127.0.0.1 port from a
background thread and returns once the server accepts requests; the rest of the demo
is written on another thread after that (``EmbeddedServer.seeding``), and clients get
it through the normal sync.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    # Imported where used: the child process (``child_main``) starts the password
    # hashing first, then these heavy imports.
    import uvicorn
    from sqlalchemy import Engine

    from server.config import Settings


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class EmbeddedServer:
    url: str
    server: uvicorn.Server
    thread: threading.Thread
    settings: Settings
    #: Writes the demo's second phase (``demo_in_phases``), else ``None``.
    seeding: threading.Thread | None = None
    stopping: threading.Event = field(default_factory=threading.Event)
    _stopped: bool = field(default=False)

    def stop(self, timeout: float = 5.0) -> None:
        """Ask the server to finish and wait for its thread (idempotent)."""
        if self._stopped:
            return
        self._stopped = True
        self.stopping.set()  # the demo's second phase stops after its current part
        if self.seeding is not None:
            self.seeding.join(timeout)
        # The client's push-channel stream is usually still open when the demo server
        # stops with the app; uvicorn cancels it after the grace period and logs that as
        # an error with a traceback, which is expected here and alarming on a terminal.
        uvicorn_log = logging.getLogger("uvicorn.error")
        level = uvicorn_log.level
        uvicorn_log.setLevel(logging.CRITICAL)
        try:
            self.server.should_exit = True
            self.thread.join(timeout)
        finally:
            uvicorn_log.setLevel(level)


def _seed_rest(engine: Engine, settings: Settings, stopping: threading.Event,
               activity: Activity) -> threading.Thread:
    """The demo's second phase on a thread (also what an earlier start left unfinished),
    written in the server's quiet moments (:class:`Activity`)."""
    from server.demo import seed_demo_rest

    gate = _seed_gate(activity, stopping)

    def run() -> None:
        try:
            seed_demo_rest(engine, settings, stopping, pause=0, gate=gate,
                           progress=lambda part: trace(f"demo part {part} written"))
            trace("demo second phase done")
        except Exception:  # the next start carries on where this one stopped
            logging.getLogger(__name__).exception("demo data: the second phase stopped")

    thread = threading.Thread(target=run, name="demo-seed", daemon=True)
    thread.start()
    return thread


def start_embedded_server(
    data_dir: Path | None = None,
    *,
    port: int | None = None,
    demo: bool = True,
    demo_in_phases: bool = False,
    demo_password: Callable[[], str | None] | None = None,
    ready_timeout: float = 30.0,
) -> EmbeddedServer:
    """Serve ``data_dir``'s database (migrated; with ``demo`` the demo organisation
    seeded into an empty one). ``demo_in_phases``: return once the first phase is
    written, the rest following on a thread (``python main.py``); otherwise all of
    it before returning (screenshots, benches)."""
    import uvicorn

    from server.app import create_app
    from server.config import Settings

    trace("start_embedded_server")
    settings = Settings(demo=demo, log_json=False, log_level="WARNING")
    if data_dir is not None:
        settings = Settings(data_dir=data_dir, demo=demo, log_json=False, log_level="WARNING")
    if not (demo and demo_in_phases):
        app = create_app(settings)
    else:  # migrations without the one-transaction demo seed: the demo comes in two phases
        app = create_app(settings.model_copy(update={"demo": False}))
        app.state.settings = settings
        from server.db import session_scope
        from server.demo import seed_demo_first

        trace("app built, database migrated")
        with session_scope(app.state.engine) as session:
            seed_demo_first(session, settings, password=demo_password)
        trace("demo first phase written")
    port = port or free_port()
    activity = Activity(app)
    config = uvicorn.Config(
        activity, host="127.0.0.1", port=port, log_config=None, log_level="warning",
        timeout_graceful_shutdown=1, lifespan="on",
    )
    server = uvicorn.Server(config)
    stopping = threading.Event()
    thread = threading.Thread(target=server.run, name="embedded-server", daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + ready_timeout
    # uvicorn sets ``started`` once its socket listens and the lifespan has started:
    # requests are accepted from then on (no need to poll /health over HTTP, nor to
    # import an HTTP client for that).
    while time.monotonic() < deadline:
        if not thread.is_alive():
            raise RuntimeError("embedded server stopped during start-up")
        if server.started:
            seeding = (_seed_rest(app.state.engine, settings, stopping, activity)
                       if demo and demo_in_phases else None)
            trace("accepts requests")
            return EmbeddedServer(url, server, thread, settings, seeding, stopping)
        time.sleep(0.01)
    server.should_exit = True
    raise RuntimeError("embedded server did not start in time")


# --------------------------------------------------------------------------- child process
#
# ``python main.py`` runs the embedded server in a child process (office_app/launch.py),
# so that its imports, migrations and demo seed run on a core of their own beside the
# client. Protocol: the child prints ``ready <url>`` on its standard output once it
# accepts requests, or ``error <message>`` before it exits; it stops when its standard
# input closes (the client quits, or dies).

READY, ERROR = "ready", "error"
#: ``OFFICE_START_PROBE`` set (bench/bench_client_start.py): the child prints its own
#: milestones and each request's start and end to standard error, as
#: ``office-start-trace <unix time> server <event> [cpu <the child's CPU time> ms]``,
#: for the bench's ``--timeline``.
TRACE = "office-start-trace"


def _trace_enabled() -> bool:
    import os

    return bool(os.environ.get("OFFICE_START_PROBE"))


def trace(event: str) -> None:
    """Print a milestone of the child's start (only with ``OFFICE_START_PROBE``)."""
    if _trace_enabled():
        import sys

        # one write: the client's lines go to the same standard error
        sys.stderr.write(f"{TRACE} {time.time():.6f} server {event}"
                         f" [cpu {time.process_time() * 1000:.0f} ms]\n")
        sys.stderr.flush()


class Activity:
    """ASGI wrapper that counts the HTTP requests in flight and notes when the last one
    ended, so that the demo's second phase writes in quiet moments: SQLite has one
    writer and the child one interpreter lock, and a part written while the first
    sign-in or the initial sync runs delays them (each part takes 0.1–1 s).

    The push channel's stream (``/api/v1/sync/events``) stays open for the session
    and does not count. With ``OFFICE_START_PROBE`` each request's start and end are
    printed for the bench's timeline (:func:`trace`)."""

    STREAMS = ("/api/v1/sync/events",)
    SIGN_IN = "/api/v1/auth/login"

    def __init__(self, app: Any) -> None:
        self.app = app
        self.in_flight = 0
        self.last_end = time.monotonic()
        self.sign_ins = 0  # sign-in requests begun (each is followed by an initial sync)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        path = str(scope.get("path", ""))
        if scope.get("type") != "http" or path in self.STREAMS:
            await self.app(scope, receive, send)
            return
        name = f"{scope.get('method')} {path}"
        if _trace_enabled():
            trace(f"request> {name} {scope.get('query_string', b'').decode()[:40]}")
        self.in_flight += 1
        if path == self.SIGN_IN:
            self.sign_ins += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.in_flight -= 1
            self.last_end = time.monotonic()
            if _trace_enabled():
                trace(f"request< {name}")

    def quiet_for(self) -> float:
        """Seconds without a request in flight (0 while one is)."""
        return 0.0 if self.in_flight else time.monotonic() - self.last_end


#: The second phase writes a part once the server has had no request for PART_QUIET
#: seconds, PART_WAIT seconds at most. After a sign-in began it waits for SYNC_QUIET
#: seconds without a request instead (the client derives its data key between the
#: sign-in and its initial sync, which pulls its pages back to back), SYNC_WAIT at
#: most. The first part waits READY_GRACE after "ready": a client that was waiting
#: for the server (登录 pressed already) signs in first.
PART_QUIET, PART_WAIT = 0.3, 5.0
SYNC_QUIET, SYNC_WAIT = 1.0, 10.0
READY_GRACE = 0.5


def _seed_gate(activity: Activity, stopping: threading.Event) -> Callable[[int], None]:
    """``gate(part)``: wait for a quiet moment before the second phase's ``part``."""
    ready = time.monotonic()
    seen = 0  # the sign-ins whose initial sync was waited for

    def gate(part: int) -> None:
        nonlocal seen
        begun = time.monotonic()
        if part == 0:
            stopping.wait(max(0.0, ready + READY_GRACE - begun))
        while not stopping.is_set():
            after_sign_in = activity.sign_ins > seen
            quiet, limit = (SYNC_QUIET, SYNC_WAIT) if after_sign_in else (PART_QUIET, PART_WAIT)
            if activity.quiet_for() >= quiet or time.monotonic() - begun >= limit:
                if after_sign_in:
                    seen = activity.sign_ins
                return
            stopping.wait(0.05)

    return gate


def _has_database(data_dir: Path | None) -> bool:
    """Whether the embedded server's database exists already (or is not a file here)."""
    from server.config import Settings

    settings = Settings(data_dir=data_dir) if data_dir is not None else Settings()
    url = settings.resolved_database_url()
    if not url.startswith("sqlite:///"):
        return True
    return Path(url.removeprefix("sqlite:///")).exists()


class PasswordHash:
    """The demo password's Argon2 hash made on a thread of its own: Argon2 releases the
    interpreter lock, so a first start hashes while the server's modules import."""

    def __init__(self) -> None:
        self._value: str | None = None
        self._thread = threading.Thread(target=self._run, name="demo-password", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        # argon2's own hasher with the server's parameters (the library's defaults,
        # tests/server/test_embedded_seed_gate.py): server.auth.passwords hashes a timing
        # equaliser at import, which another thread of the embedded server runs meanwhile.
        from argon2 import PasswordHasher

        from modules.directory.demo import DEMO_PASSWORD

        self._value = PasswordHasher().hash(DEMO_PASSWORD)

    def get(self) -> str | None:
        """The hash (waiting for it); None if it failed (the seed hashes itself)."""
        self._thread.join()
        return self._value


def _import_passwords() -> None:
    try:
        import server.auth.passwords  # noqa: F401
    except Exception:  # the server's own import reports it
        logging.getLogger(__name__).debug("pre-import failed", exc_info=True)


def child_main(argv: list[str] | None = None) -> int:
    """``python -m server.embedded --port P [--data-dir D]``: serve until stdin closes."""
    import argparse
    import sys

    parser = argparse.ArgumentParser(prog="python -m server.embedded")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--data-dir", default=None)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    trace("child started")
    # Argon2 releases the interpreter lock: the password module's import (it hashes a
    # timing equaliser, ~0.3 s) and, on a first start, the demo password's hash run on
    # threads while this one imports the server (~1.5 s of Python).
    threading.Thread(target=_import_passwords, name="passwords-import", daemon=True).start()
    try:
        data_dir = Path(args.data_dir) if args.data_dir else None
        password = None
        if not _has_database(data_dir):  # a first start: hash while the modules import
            password = PasswordHash()
        embedded = start_embedded_server(data_dir, port=args.port, demo_in_phases=True,
                                         demo_password=password.get if password else None)
    except BaseException as exc:
        logging.getLogger(__name__).exception("the embedded demo server did not start")
        print(f"{ERROR} {type(exc).__name__}: {exc}".replace("\n", " "), flush=True)
        return 1
    print(f"{READY} {embedded.url}", flush=True)
    try:
        while sys.stdin.readline():  # nothing is sent: wait for the end of input
            pass
    except (OSError, ValueError):
        pass
    embedded.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(child_main())
