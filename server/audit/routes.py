"""Audit trail routes under /api/v1/audit — reads only (GET), for the security auditor
(安全审计员, role ``audit_admin``).

- ``GET /audit/entries``: filtered (:mod:`modules.audit.filters`), newest first, keyset
  pages by ``seq`` (``before``; ``limit`` ≤ 500); answers ``next_before`` while more follow.
- ``GET /audit/entries/{seq}``: one entry with its hash and the previous entry's hash.
- ``GET /audit/export?format=csv|xlsx``: the same filters as a file (headers in the
  reader's language); at most ``EXPORT_LIMITS[format]`` entries (CSV 100,000, Excel
  20,000), a larger export is refused in words. The export is itself recorded in the trail (``audit.export``).
- ``GET /audit/status``: entries in scope, the last chained ``seq``, the last signed
  checkpoint.

Who: :mod:`modules.audit.policy` — an auditor sees the entries whose ``scope_body`` is in
their scope; anyone else gets 403 ``audit.not_auditor`` (and the refused attempt is
itself recorded). No route here writes to the trail's tables, and none but GET exists.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response, StreamingResponse

from modules.audit import filters as F
from modules.audit import policy
from modules.common.errors import NotFound, PermissionDenied, ValidationFailed
from modules.common.messages import normalise_lang, register
from server.audit import export, queries, trail
from server.auth.deps import CurrentUser
from server.auth.principal import Principal
from server.db import DbSession, session_scope
from server.directory.access import actor_of, load_tree

register({
    "audit.entry_not_found": {
        "zh_CN": "没有序号为 {seq} 的审计记录。",
        "en": "There is no audit entry numbered {seq}.",
    },
    "audit.export_too_large": {
        "zh_CN": "符合条件的审计记录有 {count} 条，{format} 一次最多导出 {limit} 条（CSV 最多 100000 条），"
                 "请缩小时间范围或增加筛选条件。",
        "en": "{count} audit entries match; {format} exports at most {limit} at once (CSV up to "
              "100000). Narrow the dates or add a filter.",
    },
})

router = APIRouter(prefix="/audit", tags=["audit"])

#: The categories of :data:`modules.audit.words.CATEGORIES` (tests check they agree).
Category = Literal["signin", "administration", "seals", "documents", "downloads", "devices"]

#: A day as the filters read it (empty: no bound).
DAY = r"^([0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01]))?$"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _lang(request: Request) -> str:
    return normalise_lang(request.headers.get("accept-language"))


def _scope(request: Request, session: Any, user: Principal, what: str) -> queries.ReadScope:
    """The auditor's read scope; a refusal is recorded (in its own transaction) and raised."""
    actor = actor_of(user)
    if not policy.is_auditor(actor):
        trail.record_detached(request.app.state.sessions, action="audit.read", result="refused",
                              actor=user, code="audit.not_auditor", detail={"route": what})
        raise PermissionDenied("audit.not_auditor")
    tree = load_tree(session, policy.auditor_bodies(actor))
    return queries.ReadScope.of(policy.audit_scope(actor, tree))


def _filter(date_from: str, date_to: str, actor: str, category: list[Category], action: str,
            result: str, q: str, device: str) -> F.Filter:
    return F.check(F.Filter(
        date_from=F.parse_day(date_from, "from"), date_to=F.parse_day(date_to, "to"),
        actor=actor, categories=tuple(dict.fromkeys(c for c in category if c)),
        action=action, result=result, text=q, device=device))


#: The filter parameters every listing route takes (FastAPI reads them by name).
_FROM = Query(default="", alias="from", pattern=DAY, description="First day, YYYY-MM-DD (UTC+8)")
_TO = Query(default="", alias="to", pattern=DAY, description="Last day, inclusive")
_ACTOR = Query(default="", max_length=F.MAX_TEXT, description="Person id, login, or part of a name")
_CATEGORY = Query(default=[], max_length=10,
                  description="signin, administration, seals, documents, downloads, devices")
_ACTION = Query(default="", max_length=80, description="An action code or its beginning")
_RESULT = Query(default="", max_length=10, description="ok, refused or failed")
_Q = Query(default="", max_length=F.MAX_TEXT, description="Part of the target, detail or code")
_DEVICE = Query(default="", max_length=F.MAX_TEXT, description="Part of the device or the address")


@router.get("/entries")
def entries(request: Request, user: CurrentUser, session: DbSession,
            date_from: str = _FROM, date_to: str = _TO, actor: str = _ACTOR,
            category: list[Category] = _CATEGORY, action: str = _ACTION, result: str = _RESULT,
            q: str = _Q, device: str = _DEVICE,
            before: int | None = Query(default=None, ge=1, le=2**62),
            limit: int = Query(default=F.DEFAULT_LIMIT, ge=1, le=F.MAX_LIMIT)) -> dict[str, Any]:
    """One page of matching entries, newest first."""
    scope = _scope(request, session, user, "entries")
    f = _filter(date_from, date_to, actor, category, action, result, q, device)
    rows, more = queries.search(session, scope, f, before=before, limit=limit)
    names = queries.body_names(session, (r.scope_body for r in rows))
    lang = _lang(request)
    return {"entries": [export.entry_data(r, names, lang) for r in rows],
            "next_before": rows[-1].seq if more and rows else None}


@router.get("/entries/{seq}")
def entry(seq: int, request: Request, user: CurrentUser, session: DbSession) -> dict[str, Any]:
    """One entry with its hash and the previous entry's hash (``prev_hash``)."""
    _scope(request, session, user, "entry")
    row = queries.by_seq(session, seq) if 0 < seq < 2**63 else None
    if row is None:
        raise NotFound("audit.entry_not_found", seq=seq)
    actor = actor_of(user)
    tree = load_tree(session, {row.scope_body} | policy.auditor_bodies(actor))
    policy.require_read(actor, tree, row.scope_body)
    return export.entry_data(row, queries.body_names(session, [row.scope_body]), _lang(request))


@router.get("/status")
def status(request: Request, user: CurrentUser, session: DbSession) -> dict[str, Any]:
    """Entries in the reader's scope, the chain's last ``seq``, the last checkpoint."""
    scope = _scope(request, session, user, "status")
    return queries.status(session, scope)


@router.get("/export", response_class=Response, responses={
    200: {"content": {"text/csv": {"schema": {"type": "string"}},
                      XLSX: {"schema": {"type": "string", "format": "binary"}}},
          "description": "The matching entries as a file"}})
def export_entries(request: Request, user: CurrentUser,
                   format: Literal["csv", "xlsx"] = "csv",
                   date_from: str = _FROM, date_to: str = _TO, actor: str = _ACTOR,
                   category: list[Category] = _CATEGORY, action: str = _ACTION,
                   result: str = _RESULT, q: str = _Q, device: str = _DEVICE) -> Response:
    """The matching entries as CSV (UTF-8 with BOM, streamed) or Excel, newest first; at
    most ``EXPORT_LIMITS[format]`` entries (``audit.export_too_large`` beyond)."""
    sessions = request.app.state.sessions
    # Transactions of its own, not the request's: the check and the export's own entry
    # commit before the file is written (SQLite has one writer, and the rows are read
    # by the response after the route returned).
    with session_scope(sessions) as session:
        scope = _scope(request, session, user, "export")
        f = _filter(date_from, date_to, actor, category, action, result, q, device)
        upto = int(queries.status(session, scope)["last_seq"])  # the trail as of now
        total = queries.count(session, scope, f)
        limit = export.EXPORT_LIMITS[format]
        if total > limit:
            raise ValidationFailed("audit.export_too_large", count=total, limit=limit,
                                   format="Excel" if format == "xlsx" else "CSV")
        trail.record(session, action="audit.export", actor=user, detail={
            "format": format, "entries": total, "upto_seq": upto,
            "filter": {k: v for k, v in f.params()}})
    lang = _lang(request)
    stamp = dt.datetime.now(F.CHINA).strftime("%Y%m%d-%H%M")
    name = f"audit-{stamp}.{format}"
    disposition = {"Content-Disposition": f'attachment; filename="{name}"'}

    def rows() -> Iterator[list[Any]]:
        # pages in transactions of their own, none held while the file is written or sent
        for page, names in queries.walk(sessions, scope, f, before=upto + 1):
            yield from (export.row_values(entry, names, lang) for entry in page)

    if format == "xlsx":
        return Response(export.xlsx_bytes(rows(), lang), media_type=XLSX, headers=disposition)
    return StreamingResponse(export.csv_chunks(rows(), lang), media_type="text/csv; charset=utf-8",
                             headers=disposition)

