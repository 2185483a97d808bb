"""Every route the server registers and every intent it accepts has an access decision:
a row in some ``tests/access/table_*.csv`` or a place in ``PUBLIC_ROUTES`` below. A new
route or intent without one fails here — decide who may call it, then add the rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from tests.access.table import read_all
from tests.access.world import World
from tests.intents import product_intents

#: Routes anyone may call without signing in (each answers without a token, see below).
PUBLIC_ROUTES = frozenset({
    "GET /openapi.json", "GET /docs", "GET /docs/oauth2-redirect", "GET /redoc",
    "GET /api/v1/health",
    "POST /api/v1/auth/login", "POST /api/v1/auth/refresh", "POST /api/v1/auth/logout",
    "GET /api/v1/directory/demo-accounts",  # 404 unless the server runs with demo data
    "GET /api/v1/seals/trust-root.pem", "GET /api/v1/seals/check/{entry_id}",
    "GET /api/v1/meetings/calendar/{token}.ics",  # the token is the secret (404 unless live)
})

def app_routes(app: Any) -> Iterator[str]:
    """``METHOD path`` of every route (FastAPI's included routers walked; HEAD dropped)."""
    for route in app.routes:
        contexts = route.effective_route_contexts() if hasattr(route, "effective_route_contexts") else [route]
        for ctx in contexts:
            for method in sorted(getattr(ctx, "methods", None) or ()):
                if method != "HEAD":
                    yield f"{method} {ctx.path}"


def test_every_route_has_an_access_decision(world: World) -> None:
    routes = set(app_routes(world.app))
    assert "PUT /api/v1/directory/people/{person_id}/account" in routes  # the walk sees routers
    covered = read_all().names("route") | PUBLIC_ROUTES
    assert sorted(routes - covered) == []
    assert sorted(covered - routes) == []  # no stale rows for routes that are gone


def test_every_intent_has_an_access_decision(world: World) -> None:
    names = set(product_intents())
    assert "directory.update_contact" in names
    covered = read_all().names("intent")
    assert sorted(names - covered) == []
    assert sorted(covered - names) == []


def test_public_routes_answer_without_signing_in(world: World) -> None:
    for name in sorted(PUBLIC_ROUTES):
        method, path = name.split(" ", 1)
        r = world.client.request(method, path.replace("{entry_id}", "no-such-entry"), json={})
        assert r.status_code != 401, (name, r.text[:200])


def test_demo_accounts_answer_only_on_a_demo_server(world: World) -> None:
    admin = world.actor("sys_admin")
    assert world.client.get("/api/v1/directory/demo-accounts").status_code == 404
    assert world.client.get("/api/v1/directory/demo-accounts", headers=admin.headers).status_code == 404
