"""The FastAPI application factory.

``create_app(settings)`` builds one server process: database engine, migrations applied
(unless ``migrate=False``), push hub, blob store, routes under /api/v1 and one error
format for every failure (see docs/ARCHITECTURE.md, "Errors").
"""

from __future__ import annotations

import gc
import importlib
import logging
import uuid
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

import anyio.to_thread
from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy import text
from starlette.exceptions import HTTPException as StarletteHTTPException

from modules.common.errors import DomainError
from modules.common.intents import describe_validation
from modules.common.messages import normalise_lang, render
from server.audit.chain import install as install_audit
from server.audit.http import AuditRoutesMiddleware
from server.blobs.store import BlobStore
from server.config import Settings
from server.db import make_engine, make_sessionmaker, session_scope, utcnow
from server.logs import request_id_var
from server.middleware import (
    BodyLimitMiddleware,
    FeedGZipMiddleware,
    RequestContextMiddleware,
    TextGuardMiddleware,
)
from server.mutations import registered_intents
from server.openapi import install_openapi
from server.reminders.dispatcher import Dispatcher
from server.sync.hub import PushHub
from server.sync.notify import FeedListener

log = logging.getLogger(__name__)

API_PREFIX = "/api/v1"
VERSION = "0.1.0"

#: Threads a server process runs its blocking routes (pushes, sign-ins, every ``def``
#: route) and the push hub's reads on, at most, at once. Their work is mostly Python
#: holding the GIL, and each thread waiting for it slows every other one and the event
#: loop: with anyio's 40 (and 16 feed threads), 1,000 devices saw the hub's one-row reads
#: take 30–670 ms and pull p99 0.4–6.8 s with both cores only 59–87 % busy; with 8 (and
#: 4 feed threads) pull p99 88–90 ms at 46–50 % busy (docs/PERFORMANCE.md, stop 22).
ROUTE_THREADS = 8

#: Feature packages: each may have ``routes.py`` (``router``) and ``mutations.py``.
FEATURES = ["auth", "sync", "blobs", "directory", "workbench", "calendar", "meetings", "seals", "documents",
            "supervision", "reminders", "audit"]


def _feature_modules() -> list[Any]:
    found = []
    for feature in FEATURES:
        for part in ("models", "mutations", "routes", "feed"):
            name = f"server.{feature}.{part}"
            try:
                found.append(importlib.import_module(name))
            except ModuleNotFoundError as exc:
                # Only a missing optional part is fine, not a broken import inside it.
                if not exc.name or not name.startswith(exc.name):
                    raise
    return found


def _request_id(request: Request) -> str:
    """The id of this request (also outside the request-context middleware)."""
    return request_id_var.get() or str(getattr(request.state, "request_id", "") or "")


def _error_response(request: Request, status: int, code: str, params: dict[str, Any],
                    headers: Mapping[str, str] | None = None) -> JSONResponse:
    lang = normalise_lang(request.headers.get("accept-language"))
    return JSONResponse(
        status_code=status,
        content={
            "error": {"code": code, "message": render(code, lang, params), "params": params},
            "request_id": _request_id(request),
        },
        headers=headers,
    )


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def domain_error(request: Request, exc: DomainError) -> JSONResponse:
        lang = normalise_lang(request.headers.get("accept-language"))
        headers = {"WWW-Authenticate": "Bearer"} if exc.http_status == 401 else None
        return JSONResponse(
            status_code=exc.http_status,
            content={"error": exc.to_dict(lang), "request_id": _request_id(request)},
            headers=headers,
        )

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        lang = normalise_lang(request.headers.get("accept-language"))
        code, detail = describe_validation(list(exc.errors()), lang)
        status = 400 if code == "request.malformed_json" else 422
        return _error_response(request, status, code, {"detail": detail})

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 404:
            return _error_response(request, 404, "request.not_found", {"path": request.url.path})
        if exc.status_code == 405:
            return _error_response(request, 405, "request.method_not_allowed",
                                   {"method": request.method}, headers=exc.headers)
        return _error_response(request, exc.status_code, "request.invalid",
                               {"detail": str(exc.detail)}, headers=exc.headers)

    @app.exception_handler(Exception)
    async def bug(request: Request, exc: Exception) -> JSONResponse:
        # Runs in Starlette's outermost middleware, after the request context ended:
        # the id comes from the request's state and is put back on the response.
        request_id = _request_id(request) or uuid.uuid4().hex[:16]
        token = request_id_var.set(request_id)
        try:
            log.error("unhandled error", exc_info=exc)
            return _error_response(request, 500, "internal_error", {"request_id": request_id},
                                   headers={"X-Request-ID": request_id})
        finally:
            request_id_var.reset(token)


def create_app(settings: Settings | None = None, *, migrate: bool = True,
               freeze_gc: bool = False) -> FastAPI:
    """Build a server process. Safe to call several times (tests build many).

    ``freeze_gc``: at start-up, move every object alive then (modules, routes, the ORM's
    mappers and compiled statements…) out of the cyclic garbage collector's sight
    (``gc.freeze``), so its collections no longer walk them again and again under load.
    For a process that runs one app for its life (``main.py server``), not for tests.
    """
    from server.migrate import prepare_database

    settings = settings or Settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.resolved_database_url())
    sessions = make_sessionmaker(engine)
    sessions.configure(info={"settings": settings})  # read by server.reminders.store.config_of
    modules = _feature_modules()
    if migrate:
        prepare_database(engine, settings)
    notify = (FeedListener(settings.resolved_notify_url())
              if settings.push_notify and engine.dialect.name == "postgresql" else None)
    hub = PushHub(
        sessions,
        settings.push_poll_seconds,
        coalesce_seconds=settings.push_coalesce_seconds,
        jitter_seconds=settings.push_jitter_seconds,
        quiet_seconds=settings.push_quiet_seconds,
        scope_refresh_seconds=settings.push_scope_refresh_seconds,
        notify=notify,
        notify_poll_seconds=settings.push_notify_poll_seconds,
    )
    reminders = Dispatcher(sessions, settings)
    from server.documents.intake_jobs import IntakeWorker

    intake = IntakeWorker(sessions, BlobStore(settings.resolved_blob_dir()), settings.intake_poll_seconds,
                          settings.intake_lease_seconds)
    audit_chainer = install_audit(engine, settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        reminders.start()
        intake.start()
        audit_chainer.start()
        if freeze_gc:
            gc.collect()
            gc.freeze()
        # This loop's threads for blocking routes and hub reads (anyio's default: 40).
        anyio.to_thread.current_default_thread_limiter().total_tokens = ROUTE_THREADS
        yield
        audit_chainer.stop()
        intake.stop()
        reminders.stop()
        await hub.close()

    app = FastAPI(
        title="协同办公 API",
        version=VERSION,
        openapi_url="/openapi.json",
        docs_url="/docs",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessions = sessions
    app.state.push_hub = hub
    app.state.reminders = reminders
    app.state.intake_worker = intake
    app.state.audit_chainer = audit_chainer
    app.state.blob_store = BlobStore(settings.resolved_blob_dir())
    install_error_handlers(app)

    api = APIRouter(prefix=API_PREFIX)

    @api.get("/health", tags=["health"])
    def health() -> dict[str, Any]:
        database = "ok"
        try:
            with session_scope(sessions) as session:
                session.execute(text("SELECT 1"))
        except Exception:
            log.exception("health check: database unreachable")
            database = "unreachable"
        return {
            "status": "ok" if database == "ok" else "degraded",
            "database": database,
            "version": VERSION,
            "time": utcnow().isoformat(),
        }

    # Each feature's router straight on the app, the sync routes (most requests: pulls,
    # pushes, event streams) first: FastAPI walks the included routers on every request
    # to find its route, and a level of nesting under one /api/v1 router cost a third of
    # a short request's framework time (0.41 → 0.28 ms for an unauthorised pull).
    routers = [router for module in modules
               if isinstance(router := getattr(module, "router", None), APIRouter)]
    for router in sorted(routers, key=lambda r: r.prefix != "/sync"):
        app.include_router(router, prefix=API_PREFIX)
    app.include_router(api)
    install_openapi(app, API_PREFIX, registered_intents())
    app.add_middleware(AuditRoutesMiddleware)  # inside GZip: reads plain error bodies
    # The pull compresses its own pages; the event stream is never compressed.
    app.add_middleware(FeedGZipMiddleware, minimum_size=1024,
                       skip_paths=(f"{API_PREFIX}/sync/pull", f"{API_PREFIX}/sync/events"))
    app.add_middleware(TextGuardMiddleware, per_item_paths=frozenset({f"{API_PREFIX}/sync/push"}))
    app.add_middleware(BodyLimitMiddleware, limit=settings.max_body_bytes)
    app.add_middleware(RequestContextMiddleware, trust_proxy=settings.audit_trust_proxy)
    return app


def create_app_from_env() -> FastAPI:
    """Factory for ``uvicorn --factory`` (server processes started by ``main.py server``)."""
    from server.config import get_settings
    from server.logs import configure_logging

    settings = get_settings()
    configure_logging(settings.log_level, settings.log_json)
    # Migrations ran once in the parent process before the workers started.
    return create_app(settings, migrate=False, freeze_gc=True)
