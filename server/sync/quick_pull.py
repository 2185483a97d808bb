"""The cheap pull: "nothing new for you", or a page of recent changes, without SQL.

Most pulls find nothing (periodic pulls, pulls on a poke another device already
fetched). The push hub of this process has seen, tick by tick, the newest ``seq`` and the
audience keys of everything that changed, and caches each person's scope; when that
view shows that no key of the person's scope changed after the cursor, the answer is
known without asking the database (see :meth:`server.sync.hub.PushHub.quick_nothing_new`
for every condition). When keys of the scope did change and the hub's tail of recent
rows covers the cursor (:mod:`server.sync.tail`), the page itself is taken from there, on
the same terms (:meth:`server.sync.hub.PushHub.memory_page`). Otherwise — a first pull,
an old cursor, an old or uncertain view, an unknown scope — the route reads the feed.

The request is still authenticated: the access token's signature and expiry are checked
(CPU only; the key is cached after the first pull that read it from the database), and
the person must have a cached scope, which the hub drops when the person's directory
record changes (posts, roles, deactivation) and which expires after
``push_scope_refresh_seconds``. What the cheap path does not redo is ``load_principal``:
a person deactivated is refused (401) from the next pull after the hub saw the change.
A revoked device is refused from the process's in-memory set of revoked devices while
that set is fresh; when it is stale the database path answers (and refreshes it), see
:mod:`server.auth.devices`.
"""

from __future__ import annotations

import json

from fastapi import Request
from sqlalchemy.orm import Session

from modules.common.errors import DomainError
from server.auth import devices
from server.auth.deps import bearer_token
from server.auth.service import access_claims_with_secret, token_secret
from server.changefeed import Cursor, FeedRows
from server.db import utcnow

_SECRET = "token_secret"


def remember_token_secret(request: Request, session: Session) -> None:
    """Cache the access-token key on the app (read in the pull's own transaction)."""
    state = request.app.state
    if getattr(state, _SECRET, None) is None:
        setattr(state, _SECRET, token_secret(session, state.settings))


def _secret(request: Request) -> str | None:
    settings = request.app.state.settings
    if settings.secret_key:
        return str(settings.secret_key)
    cached = getattr(request.app.state, _SECRET, None)
    return str(cached) if cached else None


def quick_pull(request: Request, cursor: str | None, limit: int,
               known: tuple[int, int] | None = None) -> bytes | FeedRows | None:
    """The answer when it is known without SQL: the "nothing new" JSON body (written as
    ``JSONResponse`` writes the same object), or a page of ``limit`` changes at most
    from the hub's tail, for the route to write out; else None (read the database).
    ``known``: what the hub knew committed when the pull arrived (``PushHub.known``),
    for a pull that waited for a tick; None: everything it knows now.

    Raises 401 (``AuthenticationFailed``) for a bad or expired token.
    """
    if not cursor:
        return None
    secret = _secret(request)
    if secret is None:
        return None
    claims = access_claims_with_secret(secret, bearer_token(request))
    if not devices.gate_of(request.app.state).check_cached(claims):
        return None  # the revoked-device view is stale: the database path refreshes it
    try:
        parsed = Cursor.decode(cursor)
    except DomainError:
        return None  # the database path answers with the usual error
    person_id = str(claims["sub"])
    found = request.app.state.push_hub.memory_page(person_id, parsed.seq, parsed.scope, limit,
                                                   known)
    if found is None:
        return None
    rows, seq, has_more = found
    request.state.person_id = person_id
    request.state.quick_pull = True
    if rows:
        return FeedRows(rows, Cursor(seq, parsed.scope).encode(), has_more)
    server_time = utcnow().isoformat().replace("+00:00", "Z")
    return (f'{{"changes":[],"cursor":{json.dumps(Cursor(seq, parsed.scope).encode())},'
            f'"has_more":false,"server_time":"{server_time}"}}').encode()
