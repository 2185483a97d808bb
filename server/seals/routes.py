"""Seal routes under /api/v1/seals: register export, verification, the trust root, and
the public check behind a stamp's QR code. Thin: parse → storage. Every write — creating
a seal and changing its state included — is an intent (``server.seals.mutations``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from modules.common.errors import NotFound, ValidationFailed
from modules.common.messages import normalise_lang
from modules.seals.crypto import authority as A
from server.auth.deps import CurrentUser
from server.db import DbSession, session_scope
from server.scopes import scope_keys
from server.seals import storage
from server.seals.models import RegisterRow
from server.seals.runtime import Runtime, configure


def _runtime(request: Request) -> Runtime:
    return configure(request.app.state)


@asynccontextmanager
async def _lifespan(app: Any) -> AsyncIterator[None]:
    # Intents (seals.stamp) need the app's settings and blob store: register them for
    # the app's engine at start-up (FastAPI merges an included router's lifespan).
    # (The authority's root is made on first use, not here: an RSA 3072 key would slow
    # every start; concurrent first uses are safe, see storage.authority.)
    configure(app.state)
    yield


router = APIRouter(prefix="/seals", tags=["seals"], dependencies=[Depends(_runtime)],
                   lifespan=_lifespan)


@router.get("/trust-root.pem")
def trust_root(session: DbSession, request: Request) -> Response:
    """The seal authority's root certificate (public; verifiers' trust anchor)."""
    pem = storage.root_pem(session, _runtime(request).settings)
    return Response(pem, media_type="application/x-pem-file",
                    headers={"Content-Disposition": 'attachment; filename="seal-root.pem"'})


@router.post("/verify")
async def verify(request: Request, user: CurrentUser) -> dict[str, Any]:
    """POST the PDF bytes; answers the VerifyReport as JSON (trusted = our root)."""
    data = await request.body()
    lang = normalise_lang(request.headers.get("accept-language"))
    runtime = _runtime(request)

    def work() -> dict[str, Any]:
        # pyHanko runs its own event loop: keep it off the server's loop thread.
        from modules.seals.pdf.verify import verify_pdf  # pyHanko loads on first use

        with session_scope(request.app.state.sessions) as session:
            pem = storage.root_pem(session, runtime.settings)
        return verify_pdf(data, [A.cert_from_bytes(pem)], lang=lang).to_dict()

    return await run_in_threadpool(work)


def _parse_day(value: str, name: str) -> dt.datetime | None:
    if not value:
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError as exc:
        raise ValidationFailed("request.invalid", detail=f"{name}: YYYY-MM-DD") from exc
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def _register(session: Any, user: Any, seal_id: str, requester: str, since: str,
              until: str, q: str) -> list[RegisterRow]:
    end = _parse_day(until, "until")
    return storage.query_register(
        session, keys=scope_keys(session, user), seal_id=seal_id, requester=requester,
        since=_parse_day(since, "since"),
        until=end + dt.timedelta(days=1) if end else None, text=q, actor=user,
    )


@router.get("/register")
def register_json(user: CurrentUser, session: DbSession, seal_id: str = "",
                  requester: str = "", since: str = "", until: str = "",
                  q: str = Query(default="", max_length=100)) -> dict[str, Any]:
    rows = _register(session, user, seal_id, requester, since, until, q)
    return {"entries": [storage.entry_data(r) for r in rows]}


@router.get("/register.csv")
def register_export(user: CurrentUser, session: DbSession, seal_id: str = "",
                    requester: str = "", since: str = "", until: str = "",
                    q: str = Query(default="", max_length=100)) -> Response:
    rows = _register(session, user, seal_id, requester, since, until, q)
    text = storage.register_csv(storage.entry_data(r) for r in rows)
    return Response(text.encode("utf-8"), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="seal-register.csv"'})


@router.get("/check/{entry_id}")
def check(entry_id: str, session: DbSession) -> dict[str, Any]:
    """What a stamp's QR code opens: which seal, when, and the stamped file's hash —
    compare it with the copy in hand. Public, and shows nothing of the content."""
    row = session.get(RegisterRow, entry_id)
    if row is None or row.result != "stamped":
        # a refused attempt stamped nothing: there is no file to check
        raise NotFound("seal.entry_not_found", entry_id=entry_id)
    seal = storage.get_seal(session, row.seal_id)
    return {"entry_id": row.id, "seal_name": row.seal_name, "body_name": seal.body_name,
            "stamped_at": storage.entry_data(row)["stamped_at"],
            "result_sha256": row.result_sha256, "seal_state": seal.state}
