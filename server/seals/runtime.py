"""What seal handlers need beyond the session: the settings and the blob store.

Routes have them on ``request.app.state``. Intent handlers get a ``MutationContext``
without them, so the feature keeps a small registry keyed by database engine, filled by
:func:`configure` — at application start-up (the seal router's lifespan, which FastAPI
merges into the app's) and on every seal route request (a router dependency, for
clients that skip the lifespan, such as a bare test client). When a context carries
``settings`` and ``blob_store`` itself, those win. With nothing registered, the
process settings (``get_settings()``) are used.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from server.blobs.store import BlobStore
from server.config import Settings, get_settings


@dataclass(frozen=True)
class Runtime:
    settings: Settings
    blob_store: BlobStore


_by_engine: weakref.WeakKeyDictionary[Engine, Runtime] = weakref.WeakKeyDictionary()


def configure(app_state: Any) -> Runtime:
    """Register an app's settings and blob store for its engine (idempotent)."""
    runtime = _by_engine.get(app_state.engine)
    if runtime is None or runtime.blob_store is not app_state.blob_store:
        runtime = Runtime(app_state.settings, app_state.blob_store)
        _by_engine[app_state.engine] = runtime
    return runtime


def for_session(session: Session, ctx: Any = None) -> Runtime:
    """The runtime of the engine ``session`` is bound to."""
    settings = getattr(ctx, "settings", None)
    blobs = getattr(ctx, "blob_store", None)
    if isinstance(settings, Settings) and isinstance(blobs, BlobStore):
        return Runtime(settings, blobs)
    bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else bind.engine
    runtime = _by_engine.get(engine)
    if runtime is None:
        fallback = get_settings()
        runtime = Runtime(fallback, BlobStore(fallback.resolved_blob_dir()))
        _by_engine[engine] = runtime
    return runtime
