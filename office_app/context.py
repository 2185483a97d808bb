"""AppContext: what every screen needs after sign-in — settings, the signed-in user
(principal), the local cache, the sync engine and client session, and the change bus.

The engine calls its listeners on engine threads; ``attach()`` wires them to
``ChangeBus.post_changes`` / ``post_status``, which re-emit on the GUI thread. Every
method here that touches the cache or the engine does so through
``tasks.run_in_background``; the blocking helpers (``list_entities``, ``get_entity``)
are for use *inside* background functions only.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from office_app import i18n
from office_app.bus import ChangeBus
from office_app.settings import AppSettings
from office_app.tasks import Task, run_in_background
from sync import guithread

if TYPE_CHECKING:
    from sync.cache import LocalCache
    from sync.engine import SyncEngine
    from sync.session import ClientSession

log = logging.getLogger(__name__)

#: Called with the context after it was attached to its engine (features register these
#: at import, e.g. the documents module prefetching the PDFs of the to-do list).
_attach_hooks: list[Callable[[AppContext], None]] = []


def on_attach(hook: Callable[[AppContext], None]) -> None:
    """Run ``hook(context)`` on the GUI thread each time a context attaches (once per hook)."""
    if hook not in _attach_hooks:
        _attach_hooks.append(hook)


class AppContext(QObject):
    """The signed-in application state handed to every page factory. GUI thread."""

    #: The user asked to sign out; the runner tears the window down.
    logout_requested = Signal()
    #: The user confirmed signing out; ``True``: forget this device's data too.
    sign_out_requested = Signal(bool)

    def __init__(self, settings: AppSettings, principal: dict[str, Any], *,
                 cache: LocalCache | None = None, engine: SyncEngine | None = None,
                 session: ClientSession | None = None,
                 bus: ChangeBus | None = None, offline: bool = False,
                 directory: Any = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.principal: dict[str, Any] = dict(principal or {})
        self.cache = cache
        self.engine = engine
        self.session = session
        self.bus = bus or ChangeBus.instance()
        self.offline = offline
        self._directory = directory
        self._attached = False
        self._detach: Callable[[], None] | None = None

    @classmethod
    def from_session(cls, settings: AppSettings, session: Any, principal: dict[str, Any],
                     *, offline: bool = False) -> AppContext:
        """Build from a signed-in ``sync.session.ClientSession`` (uses its cache/engine)."""
        return cls(settings, principal, cache=getattr(session, "cache", None),
                   engine=getattr(session, "engine", None), session=session,
                   offline=offline)

    # -- language -------------------------------------------------------------------
    @property
    def lang(self) -> str:
        """Interface language for messages.render: ``zh_CN`` or ``en``."""
        return i18n.current_lang()

    # -- the signed-in user ---------------------------------------------------------
    @property
    def person_id(self) -> str:
        return str(self.principal.get("person_id", ""))

    @property
    def display_name(self) -> str:
        return str(self.principal.get("name") or self.principal.get("login") or "")

    def primary_post(self) -> dict[str, Any]:
        """The user's primary post (职务) as a dict; {} when unknown."""
        posts = list(self.principal.get("posts") or [])
        for post in posts:
            if isinstance(post, dict) and post.get("is_primary"):
                return post
        return posts[0] if posts and isinstance(posts[0], dict) else {}

    # -- engine wiring --------------------------------------------------------------
    def set_engine(self, engine: SyncEngine) -> None:
        """The engine of a resumed start, made after the first paint: attach to it."""
        self.engine = engine
        self.attach()

    def attach(self) -> None:
        """Bridge engine listeners to the bus and fetch the first status. Idempotent."""
        if self._attached or self.engine is None:
            return
        self._attached = True
        remover = self.engine.add_listener(on_changes=self.bus.post_changes,
                                           on_status=self.bus.post_status)
        self._detach = remover if callable(remover) else None
        self._bridge_blobs()
        self.refresh_status()
        for hook in list(_attach_hooks):
            try:
                hook(self)
            except Exception:
                log.exception("an attach hook failed")

    def _bridge_blobs(self) -> None:
        """Announce finished blob downloads on the bus (``ChangeBus.blob_ready``)."""
        blobs = getattr(self.session, "blobs", None) or getattr(self.engine, "blobs", None)
        if blobs is None or not hasattr(blobs, "on_ready"):
            return
        previous, post = blobs.on_ready, self.bus.post_blob_ready

        def ready(sha: str) -> None:
            if previous is not None:
                previous(sha)
            post(sha)

        blobs.on_ready = ready
        remove_listener = self._detach

        def detach() -> None:
            if blobs.on_ready is ready:
                blobs.on_ready = previous
            if remove_listener is not None:
                remove_listener()

        self._detach = detach

    @property
    def attached(self) -> bool:
        """Whether engine events are forwarded to the bus (between attach and detach)."""
        return self._detach is not None

    def detach(self) -> None:
        """Stop forwarding engine events to the bus (cheap; GUI thread)."""
        if self._detach is not None:
            self._detach()
            self._detach = None

    def set_language(self, lang: str) -> None:
        """Ask the server for messages in ``lang`` from now on (Accept-Language)."""
        for holder in (self.session, getattr(self.session, "api", None)):
            if holder is not None and hasattr(holder, "lang"):
                holder.lang = lang

    def refresh_status(self) -> None:
        """Ask the engine for its status in the background; arrives via the bus."""
        if self.engine is None:
            return
        engine, bus = self.engine, self.bus
        stamp = bus.status_stamp()
        run_in_background(engine.status, lambda status: bus.offer_status(status, stamp),
                          owner=self)

    def sync_now(self) -> None:
        """Request a sync (pull + push) without blocking the GUI."""
        if self.engine is not None:
            run_in_background(self.engine.sync_now, owner=self)

    def dismiss_rejected(self, mutation_id: str) -> None:
        """Drop one rejected item from the status list (background), then refresh."""
        if self.engine is None:
            return
        engine, bus = self.engine, self.bus

        def work() -> Any:
            stamp = bus.status_stamp()
            engine.dismiss_rejected(mutation_id)
            return stamp, engine.status()

        run_in_background(work, lambda result: bus.offer_status(result[1], result[0]),
                          owner=self)

    def submit(self, name: str, args: dict[str, Any],
               on_done: Callable[[str], None] | None = None,
               on_error: Callable[[BaseException], None] | None = None) -> Task:
        """Queue intent ``name`` with ``args`` through the engine, off the GUI thread."""
        engine = self.engine
        if engine is None:
            # A resumed start makes its engine just after the first paint: wait for it.
            wait = getattr(self.session, "wait_engine", None)
            if wait is None:
                raise RuntimeError("no sync engine: the context was built without one")
            return run_in_background(lambda: wait().submit(name, args), on_done, on_error,
                                     owner=self)
        return run_in_background(lambda: engine.submit(name, args), on_done, on_error,
                                 owner=self)

    @guithread.blocking
    def pending_items(self, limit: int = 50) -> list[dict[str, Any]]:
        """Intents waiting to upload, oldest first: [{mutation_id, name, created_at}].

        Blocking (call in the background); empty when there is no engine.
        """
        if self.engine is None:
            return []
        return list(self.engine.pending_items(limit))

    # -- cache reads (call inside background functions) -----------------------------
    @guithread.blocking
    def list_entities(self, entity: str) -> list[dict[str, Any]]:
        """Displayed records of ``entity`` from the local cache. Blocking."""
        if self.cache is None:
            return []
        return list(self.cache.list(entity))

    @guithread.blocking
    def get_entity(self, entity: str, entity_id: str) -> dict[str, Any] | None:
        """One displayed record, or None. Blocking."""
        if self.cache is None:
            return None
        record: dict[str, Any] | None = self.cache.get(entity, entity_id)
        return record

    # -- feature services -----------------------------------------------------------
    def directory(self) -> Any:
        """Directory queries over the local cache (see modules/directory/service.py)."""
        if self._directory is None:
            from modules.directory.service import directory_queries_for

            self._directory = directory_queries_for(self.cache)
        return self._directory

    # -- lifetime -------------------------------------------------------------------
    def shutdown(self) -> None:
        """Detach from the engine and stop it (blocking; call when the window has closed)."""
        self.detach()
        if self.engine is not None:
            try:
                self.engine.stop()
            except Exception:
                log.exception("sync engine did not stop cleanly")
