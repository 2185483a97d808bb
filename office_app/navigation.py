"""Navigation registry: which pages exist, their titles, icons and page factories.

Feature modules plug their screens in with::

    from office_app.navigation import register_page
    register_page("documents", "公文", "documents", lambda ctx: DocumentsPage(ctx))

``factory(context)`` receives the :class:`office_app.context.AppContext` and returns a
QWidget; it is called on the GUI thread each time the main window (re)builds its pages
(e.g. after a language switch), so it must be cheap and load data in the background.

Optional duck-typed hooks a page may implement (the main window calls them if present):

* ``set_compact(compact: bool)`` — the window crossed the phone/wide breakpoint.
* ``can_go_back() -> bool`` / ``go_back()`` — list → detail navigation at phone width;
  a page signal ``navigation_changed`` tells the window to re-check ``can_go_back``.
* ``open_ref(ref_id: str)`` — show one record (from a workbench to-do).

The seven keys are fixed: workbench, documents, meetings, supervision, seals, directory,
settings. For them the title shown is the shell's own translated name; ``title`` is
used for any other key. Until a module registers, its key shows a placeholder page.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from office_app.context import AppContext

log = logging.getLogger(__name__)

PageFactory = Callable[["AppContext"], QWidget]
#: Whether a page is offered to the signed-in person (e.g. by role); the server decides
#: what they may do there anyway.
PageVisible = Callable[["AppContext"], bool]

KEYS: tuple[str, ...] = (
    "workbench", "documents", "meetings", "supervision", "seals", "directory", "settings",
)
#: Bottom tab bar at phone width (at most five): the rest sit under 更多 (more).
PHONE_TABS: tuple[str, ...] = ("workbench", "documents", "meetings", "supervision")
PHONE_MORE: tuple[str, ...] = ("seals", "directory", "settings")

#: Source texts marked for lupdate (QT_TRANSLATE_NOOP is typed as returning ``object``).
_TITLES: dict[str, object] = {
    "workbench": QT_TRANSLATE_NOOP("Navigation", "Workbench"),
    "documents": QT_TRANSLATE_NOOP("Navigation", "Documents"),
    "meetings": QT_TRANSLATE_NOOP("Navigation", "Meetings"),
    "supervision": QT_TRANSLATE_NOOP("Navigation", "Supervision"),
    "seals": QT_TRANSLATE_NOOP("Navigation", "Seals"),
    "directory": QT_TRANSLATE_NOOP("Navigation", "Directory"),
    "settings": QT_TRANSLATE_NOOP("Navigation", "Settings"),
    "more": QT_TRANSLATE_NOOP("Navigation", "More"),
    "audit": QT_TRANSLATE_NOOP("Navigation", "Security audit"),
}


@dataclass(frozen=True)
class PageSpec:
    """One registered page. ``icon`` is a bundled icon name or a QIcon."""

    key: str
    title: str
    icon: str | QIcon | None
    factory: PageFactory
    placeholder: bool = False
    visible: PageVisible | None = None

    def shown_to(self, context: AppContext) -> bool:
        """Whether ``context``'s person is offered this page (a failing check hides it)."""
        if self.visible is None:
            return True
        try:
            return bool(self.visible(context))
        except Exception:
            log.exception("the visibility check of page %s failed", self.key)
            return False

    def display_title(self) -> str:
        """The title in the current interface language."""
        return title_for(self.key, self.title)


_registry: dict[str, PageSpec] = {}


def title_for(key: str, fallback: str = "") -> str:
    """Translated title of a navigation key (``fallback`` for unknown keys)."""
    source = _TITLES.get(key)
    if source is None:
        return fallback or key
    return QCoreApplication.translate("Navigation", str(source))


def register_page(key: str, title: str, icon: str | QIcon | None, factory: PageFactory,
                  *, placeholder: bool = False, visible: PageVisible | None = None) -> None:
    """Register (or replace) the page for ``key``. Call at import time of a views module.
    ``visible(context)`` limits the page to some people (e.g. a role); default everyone."""
    if not key or not callable(factory):
        raise ValueError("register_page needs a key and a callable factory")
    _registry[key] = PageSpec(key, title, icon or key, factory, placeholder, visible)


def unregister_page(key: str) -> None:
    """Remove a registration (tests)."""
    _registry.pop(key, None)


def page(key: str) -> PageSpec | None:
    """The registration for ``key``, if any."""
    return _registry.get(key)


def pages() -> list[PageSpec]:
    """Registered pages: the seven standard keys in order, then any extra keys."""
    ordered = [_registry[k] for k in KEYS if k in _registry]
    ordered += [spec for k, spec in _registry.items() if k not in KEYS]
    return ordered


def pages_for(context: AppContext) -> list[PageSpec]:
    """:func:`pages` offered to ``context``'s person (see ``register_page(visible=)``)."""
    return [spec for spec in pages() if spec.shown_to(context)]


def more_keys(context: AppContext | None = None) -> list[str]:
    """The keys under 更多 at phone width: :data:`PHONE_MORE`, then every extra page
    offered to ``context``'s person (all extra pages when no context is given)."""
    extra = [spec.key for spec in pages() if spec.key not in KEYS
             and (context is None or spec.shown_to(context))]
    return [*PHONE_MORE, *extra]


FEATURES: tuple[str, ...] = ("directory", "documents", "meetings", "supervision", "seals", "audit")

#: Features whose modules failed to import (key -> module name); their page says so.
failed_features: dict[str, str] = {}


@dataclass(frozen=True)
class LazyPage:
    """A feature page declared here and imported when first shown: its views module
    (which registers the real page on import) is heavy and no first screen needs it."""

    key: str
    title: str
    module: str
    visible: PageVisible | None = None


def _audit_visible(context: AppContext) -> bool:
    """``modules.audit.service.holds_audit_role`` without importing the audit service
    (its words import every intent model): the sidebar is built before the services."""
    from collections.abc import Mapping

    service = sys.modules.get("modules.audit.service")
    if service is not None:
        return bool(service.holds_audit_role(context.principal))
    from modules.directory.rules import AUDIT_ADMIN

    principal = context.principal
    roles = set(principal.get("roles") or ())
    for post in principal.get("posts") or ():
        if isinstance(post, Mapping):
            roles.update(post.get("roles") or ())
    return AUDIT_ADMIN in roles


#: Feature → its lazily imported page. The other features' ``views`` packages are small
#: (they import their widgets in the page factory) and are imported by the loader.
LAZY_PAGES: dict[str, LazyPage] = {
    "directory": LazyPage("directory", "通讯录", "modules.directory.views"),
    "supervision": LazyPage("supervision", "督办", "modules.supervision.views"),
    "audit": LazyPage("audit", "安全审计", "modules.audit.views", visible=_audit_visible),
}

_services_deferred = False
#: Features whose services a deferred load left for :func:`load_feature_services`.
_pending_services: list[str] = []


def defer_services(deferred: bool = True) -> None:
    """While deferred, :func:`load_feature_modules` registers only the pages: a resumed
    start paints from the open cache first and imports the feature services (their
    intents' models) afterwards, with :func:`load_feature_services`, before the engine."""
    global _services_deferred
    _services_deferred = deferred


def _lazy_factory(lazy: LazyPage) -> PageFactory:
    def make(context: AppContext) -> QWidget:
        if not _import(lazy.module, lazy.key):  # importing it registers the real page
            from office_app.widgets import PlaceholderPage

            return PlaceholderPage(title_for(lazy.key, lazy.title), lazy.key, broken=True)
        spec = _registry.get(lazy.key)
        if spec is None or spec.factory is make:
            raise RuntimeError(f"{lazy.module} did not register the page {lazy.key}")
        return spec.factory(context)

    return make


def _import(module: str, name: str) -> bool:
    """Import a feature module; False when it is not written yet or failed (logged)."""
    import importlib

    try:
        importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name == module:
            return False
        log.exception("feature module %s failed to import", module)
        failed_features[name] = module
        return False
    except Exception:
        log.exception("feature module %s failed to import", module)
        failed_features[name] = module
        return False
    return True


def load_feature_modules(features: tuple[str, ...] = FEATURES, *,
                         services: bool | None = None) -> list[str]:
    """Import each feature's client service and register its page; returns the modules
    imported.

    Services register the cache projections and local appliers, views register their
    pages (those of :data:`LAZY_PAGES` are registered here and imported when first
    shown). Call this BEFORE a ``LocalCache`` is opened (before sign-in), so that the
    projection tables exist — or, after a resumed start opened the cache, call
    :func:`load_feature_services` and then ``LocalCache.ensure_projections``.
    ``services``: import the services too (default: unless :func:`defer_services`).
    Features not written yet are skipped. A feature whose import fails is a bug: it is
    logged with its traceback and its page says that the module could not be loaded —
    the rest of the client keeps working.
    """
    with_services = (not _services_deferred) if services is None else services
    loaded: list[str] = []
    for name in features:
        if not with_services and name not in _pending_services:
            _pending_services.append(name)
        if with_services:
            module = f"modules.{name}.service"
            if _import(module, name):
                loaded.append(module)
            elif name in failed_features:
                continue
        lazy = LAZY_PAGES.get(name)
        if lazy is not None:
            if lazy.module not in sys.modules and name not in failed_features:
                register_page(lazy.key, lazy.title, lazy.key, _lazy_factory(lazy),
                              visible=lazy.visible)
            continue
        module = f"modules.{name}.views"
        if _import(module, name):
            loaded.append(module)
    return loaded


def load_feature_services(features: tuple[str, ...] | None = None) -> list[str]:
    """Import the feature services only — by default those a deferred
    :func:`load_feature_modules` left (any thread; see :func:`defer_services`)."""
    names = list(features) if features is not None else list(_pending_services)
    loaded = [f"modules.{name}.service" for name in names
              if _import(f"modules.{name}.service", name)]
    defer_services(False)
    if features is None:
        _pending_services.clear()
    return loaded


_loader: Callable[[], Any] = load_feature_modules


def load_modules() -> None:
    """Run the current feature loader (:func:`load_feature_modules` unless replaced)."""
    _loader()


def set_loader(loader: Callable[[], Any]) -> Callable[[], Any]:
    """Replace what :func:`ensure_defaults` imports (tests); returns the previous one."""
    global _loader
    previous, _loader = _loader, loader
    return previous


def ensure_defaults(loader: Callable[[], Any] | None = None) -> None:
    """Register the shell's own pages and placeholders for modules not plugged in yet.

    ``loader`` imports feature modules (whose views call ``register_page``); by default
    the one set with :func:`set_loader` (:func:`load_feature_modules`).
    """
    (loader or _loader)()

    from office_app.pages import placeholder_factory, settings_factory, workbench_factory

    if "workbench" not in _registry:
        register_page("workbench", "工作台", "workbench", workbench_factory)
    if "settings" not in _registry:
        register_page("settings", "设置", "settings", settings_factory)
    for key in ("documents", "meetings", "supervision", "seals", "directory"):
        if key not in _registry:
            register_page(key, title_for(key), key,
                          placeholder_factory(key, broken=key in failed_features),
                          placeholder=True)
