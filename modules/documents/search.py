"""Local full-text search (全文检索) and the inbox index over cached documents.

A projection (``sync.cache.register_projection``) keeps these tables in the local cache
in step with the displayed ``documents.document`` records, in the same transaction:

``doc_index``       one row per document: the columns lists and filters need
``doc_party``       (person, relation, document) rows behind the inbox tabs:
                    todo 待办 / done 已办 / mine 我发起 / circulate 传阅
``doc_attachment``  which blobs a document references (for attachment text)
``doc_blob_text``   text extracted from PDF attachments (filled off the GUI thread)
``doc_fts``         SQLite FTS5 table: title, 文号, body, opinions, attachment text

Chinese tokenisation: FTS5's ``unicode61`` tokenizer does not split Chinese into words,
so the text is stored as **character bigrams** (plus the last character of every run of
Chinese characters as a unigram): "防汛工作" → "防汛 汛工 工作 作". A query of two or
more Chinese characters becomes the phrase of its bigrams (consecutive tokens, so it
matches exactly that string); a one-character query is a prefix query on the bigrams
(``"防" *``); digits and Latin words are tokens of their own (Latin as prefixes). Every
run of the query must match (AND). The built-in trigram tokenizer was not used: it cannot
answer the very common two-character queries (通知, 防汛) from the index.

Ranking: documents whose title or 文号 match first (newest first), then BM25 with column
weights (title 10, 文号 8, opinions 2, body 1, attachments 1) over the most recent
matches (see :data:`RANK_WINDOW`). For phrases of three or more characters (several
bigrams) BM25 is skipped — FTS5 would first count every document containing the phrase —
and the other matches come newest first.

All functions block on the database; call them off the GUI thread.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, cast

from sqlalchemy import (
    DDL,
    Column,
    Index,
    Integer,
    String,
    Table,
    bindparam,
    column,
    delete,
    event,
    func,
    insert,
    literal_column,
    select,
    table,
    text,
    update,
)
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import UnaryExpression
from sqlalchemy.sql.operators import custom_op

from sync.cache import Projection, projection_metadata, register_projection

log = logging.getLogger(__name__)

ENTITY = "documents.document"
MAX_TEXT = 200_000  # characters of one field kept in the index
COLUMN_WEIGHTS = (10.0, 8.0, 1.0, 2.0, 1.0)  # title, number, body, opinions, attachments

doc_index = Table(
    "doc_index",
    projection_metadata,
    Column("n", Integer, primary_key=True, autoincrement=True),  # FTS rowid
    Column("id", String, nullable=False, unique=True),
    Column("kind", String, nullable=False),
    Column("doc_type", String, nullable=False, default=""),
    Column("title", String, nullable=False, default=""),
    Column("doc_number", String, nullable=False, default=""),
    Column("urgency", String, nullable=False, default=""),
    Column("status", String, nullable=False),  # draft | active | done | voided
    Column("step", String, nullable=False, default=""),
    Column("step_name", String, nullable=False, default=""),
    Column("body_id", String, nullable=False, default=""),
    Column("body_name", String, nullable=False, default=""),
    Column("owner_id", String, nullable=False, default=""),
    Column("owner_name", String, nullable=False, default=""),
    Column("pending_names", String, nullable=False, default=""),
    Column("date", String, nullable=False, default=""),  # YYYY-MM-DD (成文日期 or created)
    Column("created_at", String, nullable=False, default=""),
    Column("sort_at", String, nullable=False, default=""),  # last change (ISO)
    Column("attachments", Integer, nullable=False, default=0),
    Index("ix_doc_index_sort", "sort_at", "id"),
    Index("ix_doc_index_type", "doc_type", "sort_at"),
    Index("ix_doc_index_status", "status", "sort_at"),
    Index("ix_doc_index_date", "date"),
)

doc_party = Table(
    "doc_party",
    projection_metadata,
    Column("person_id", String, primary_key=True),
    Column("rel", String, primary_key=True),  # todo | done | mine | circulate
    Column("doc_id", String, primary_key=True),
    Column("sort_at", String, nullable=False, default=""),
    Index("ix_doc_party_page", "person_id", "rel", "sort_at", "doc_id"),
    Index("ix_doc_party_doc", "doc_id"),
)

doc_attachment = Table(
    "doc_attachment",
    projection_metadata,
    Column("doc_id", String, primary_key=True),
    Column("sha256", String, primary_key=True),
    Column("name", String, nullable=False, default=""),
    Column("mime", String, nullable=False, default=""),
    Index("ix_doc_attachment_sha", "sha256"),
)

doc_blob_text = Table(
    "doc_blob_text",
    projection_metadata,
    Column("sha256", String, primary_key=True),
    Column("text", String, nullable=False, default=""),
)

#: Marks the layout of the FTS tables (a new marker = the projection is rebuilt on open).
doc_search_v2 = Table(
    "doc_search_v2",
    projection_metadata,
    Column("key", String, primary_key=True),
)

# FTS5 tables cannot be described as SQLAlchemy Tables; they are created with the marker.
# doc_fts holds every searchable field (BM25 ranking); doc_fts_head only titles and 文号,
# so "does the title match?" reads short doclists even for words common in bodies.
for _ddl in (
    "CREATE VIRTUAL TABLE IF NOT EXISTS doc_fts USING fts5("
    "title, number, body, opinions, attachments, tokenize='unicode61')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS doc_fts_head USING fts5("
    "title, number, tokenize='unicode61')",
):
    event.listen(doc_search_v2, "after_create", DDL(_ddl))
event.listen(doc_search_v2, "before_drop", DDL("DROP TABLE IF EXISTS doc_fts"))
event.listen(doc_search_v2, "before_drop", DDL("DROP TABLE IF EXISTS doc_fts_head"))

doc_fts = table("doc_fts", column("rowid"))
doc_fts_head = table("doc_fts_head", column("rowid"))

# --------------------------------------------------------------------------- tokens

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN = re.compile(rf"[{_CJK}]+|[0-9]+|[A-Za-z]+")


def _runs(value: str) -> list[str]:
    return _RUN.findall(value or "")


def _is_cjk(run: str) -> bool:
    return "\u3400" <= run[0] <= "\ufaff"


def index_tokens(value: str) -> str:
    """Text as stored in the index: CJK runs as bigrams + final unigram; words lower-cased."""
    out: list[str] = []
    for run in _runs(value[:MAX_TEXT] if value else ""):
        if _is_cjk(run):
            out.extend(run[i:i + 2] for i in range(len(run) - 1))
            out.append(run[-1])
        else:
            out.append(run.lower())
    return " ".join(out)


def match_query(query: str) -> str | None:
    """The FTS5 MATCH expression for a user's query (None when it has nothing to search)."""
    parts: list[str] = []
    for run in _runs(query):
        if _is_cjk(run):
            if len(run) == 1:
                parts.append(f'"{run}" *')
            else:
                parts.append('"' + " ".join(run[i:i + 2] for i in range(len(run) - 1)) + '"')
        elif run.isdigit():
            parts.append(f'"{run}"')
        else:
            parts.append(f'"{run.lower()}" *')
    return " AND ".join(parts) if parts else None


# --------------------------------------------------------------------------- projection


def _body_text(spec: Mapping[str, Any]) -> str:
    body = spec.get("body") or []
    if isinstance(body, str):
        return body
    lines = []
    for p in body:
        lines.append(p if isinstance(p, str) else str((p or {}).get("text", "")))
    return "\n".join(lines)


def _status(data: Mapping[str, Any], wf: Mapping[str, Any]) -> str:
    if data.get("status") in ("recalled", "returned"):
        return str(data["status"])
    if wf.get("status") == "active" and wf.get("current") == "draft":
        return "draft"
    return str(wf.get("status") or "active")


def _parties(data: Mapping[str, Any]) -> set[tuple[str, str]]:
    wf = data.get("workflow") or {}
    out: set[tuple[str, str]] = set()
    owner = (wf.get("owner") or {}).get("id")
    if owner:
        out.add((owner, "mine"))
    if wf.get("status") == "active":
        rel = "circulate" if wf.get("current") == "circulate" else "todo"
        for p in wf.get("pending", []):
            out.add((p["id"], rel))
            delegate = (wf.get("delegations") or {}).get(p["id"])
            if delegate:
                out.add((delegate["id"], rel))
    for ev in wf.get("history", []):
        if ev.get("op") in ("urge", "withdraw"):
            continue
        out.add((ev["actor"]["id"], "done"))
        if ev.get("on_behalf_of"):
            out.add((ev["on_behalf_of"]["id"], "done"))
    for p in (wf.get("assignments") or {}).get("circulate", []):
        out.add((p["id"], "circulate"))
    return out


def _apply(session: Session, doc_id: str, data: dict[str, Any] | None) -> None:
    n = session.execute(select(doc_index.c.n).where(doc_index.c.id == doc_id)).scalar()
    session.execute(delete(doc_party).where(doc_party.c.doc_id == doc_id))
    session.execute(delete(doc_attachment).where(doc_attachment.c.doc_id == doc_id))
    if n is not None:
        session.execute(text("DELETE FROM doc_fts WHERE rowid = :n"), {"n": n})
        session.execute(text("DELETE FROM doc_fts_head WHERE rowid = :n"), {"n": n})
    if data is None:
        if n is not None:
            session.execute(delete(doc_index).where(doc_index.c.n == n))
        return
    wf = data.get("workflow") or {}
    spec = data.get("spec") or {}
    sort_at = str(data.get("updated_at") or data.get("created_at") or "")
    date = str(spec.get("date") or "")[:10] or str(data.get("created_at") or "")[:10]
    current = wf.get("current") or ""
    step_name = ""
    if wf.get("status") == "voided":
        step_name = "已作废"
    elif wf.get("status") == "done":
        step_name = "已办结"
    elif current:
        from modules.documents.workflow import DEFINITIONS

        step_name = "草稿" if current == "draft" else next(
            (s.name for s in DEFINITIONS.get(wf.get("kind", ""), ()) if s.key == current), current)
    attachments = [a for a in data.get("attachments") or [] if isinstance(a, Mapping)]
    values: dict[str, Any] = {
        "id": doc_id, "kind": str(data.get("kind") or wf.get("kind") or ""),
        "doc_type": str(data.get("doc_type") or ""), "title": str(data.get("title") or ""),
        "doc_number": str(data.get("doc_number") or ""), "urgency": str(data.get("urgency") or ""),
        "status": _status(data, wf), "step": current,
        "step_name": str(data.get("state_words") or step_name),
        "body_id": str(data.get("body_id") or ""), "body_name": str(data.get("body_name") or ""),
        "owner_id": str((wf.get("owner") or {}).get("id") or ""),
        "owner_name": str((wf.get("owner") or {}).get("name") or ""),
        "pending_names": "、".join(p.get("name", "") for p in wf.get("pending", [])),
        "date": date, "created_at": str(data.get("created_at") or ""), "sort_at": sort_at,
        "attachments": len(attachments),
    }
    if n is None:
        inserted = cast("CursorResult[Any]", session.execute(insert(doc_index).values(**values)))
        key = inserted.inserted_primary_key
        assert key is not None  # a single-row insert always has one
        n = key[0]
    else:
        session.execute(update(doc_index).where(doc_index.c.n == n).values(**values))
    parties = _parties(data)
    if parties:
        session.execute(insert(doc_party), [
            {"person_id": pid, "rel": rel, "doc_id": doc_id, "sort_at": sort_at}
            for pid, rel in sorted(parties)])
    shas = []
    for a in attachments:
        sha = a.get("sha256")
        if sha and sha not in shas:
            shas.append(sha)
            session.execute(insert(doc_attachment).values(
                doc_id=doc_id, sha256=sha, name=str(a.get("name") or ""),
                mime=str(a.get("content_type") or a.get("mime") or "")))
    att_names = " ".join(str(a.get("name") or "") for a in attachments)
    # 收文录入: the original file carries the text read from it (modules/documents/intake_rules.py).
    att_text = "\n".join(str(a.get("text") or "") for a in attachments if a.get("text"))
    if shas:
        att_text += "\n" + "\n".join(session.execute(
            select(doc_blob_text.c.text).where(doc_blob_text.c.sha256.in_(shas))).scalars())
    body = _body_text(spec)
    opinion_text = "\n".join(
        f"{(o.get('person') or {}).get('name', '')} {o.get('text', '')}"
        for o in (data.get("opinions") or wf.get("opinions", [])))
    # Reasons given when returning, transferring or voiding count as opinions too.
    reasons = [f"{ev['actor'].get('name', '')} {ev['reason']}" for ev in wf.get("history", [])
               if ev.get("reason")]
    if reasons:
        opinion_text += "\n" + "\n".join(reasons)
    session.execute(
        text("INSERT INTO doc_fts(rowid, title, number, body, opinions, attachments) "
             "VALUES (:n, :title, :number, :body, :opinions, :attachments)"),
        {"n": n, "title": index_tokens(values["title"]),
         "number": index_tokens(values["doc_number"]), "body": index_tokens(body),
         "opinions": index_tokens(opinion_text),
         "attachments": index_tokens(att_names + "\n" + att_text)})
    session.execute(
        text("INSERT INTO doc_fts_head(rowid, title, number) VALUES (:n, :title, :number)"),
        {"n": n, "title": index_tokens(values["title"]),
         "number": index_tokens(values["doc_number"])})


PROJECTION = Projection(ENTITY, [doc_index, doc_party, doc_attachment, doc_blob_text,
                                 doc_search_v2], _apply)
register_projection(PROJECTION)


# --------------------------------------------------------------------------- queries


def row_columns() -> list[Any]:
    """The doc_index columns a list row shows."""
    t = doc_index
    return [t.c.id, t.c.kind, t.c.doc_type, t.c.title, t.c.doc_number, t.c.urgency,
            t.c.status, t.c.step, t.c.step_name, t.c.body_name, t.c.owner_name,
            t.c.pending_names, t.c.date, t.c.sort_at, t.c.attachments]


def _unindexed(col: Any) -> Any:
    """``+col``: the same value, but SQLite will not drive the query from its index."""
    return UnaryExpression(col, operator=custom_op("+"), type_=col.type)


def apply_filters(stmt: Any, filters: Mapping[str, Any], *, fts: bool = False) -> Any:
    """Add WHERE clauses for ``doc_type``, ``status``, ``kind``, ``urgency``, ``body_id``
    (each a value or a list) and ``date_from`` / ``date_to`` (YYYY-MM-DD, inclusive).

    ``fts``: the statement is driven by a full-text MATCH — the filters then stay off
    their indexes, or newer SQLite versions (the SQLCipher build's 3.51) walk a status
    index and probe the FTS table once per row, 100× slower (docs/PERFORMANCE.md,
    "Encryption at rest")."""
    t = doc_index

    def column(key: str) -> Any:
        return _unindexed(t.c[key]) if fts else t.c[key]

    for key in ("doc_type", "status", "kind", "urgency", "body_id"):
        value = filters.get(key)
        if value in (None, "", [], ()):
            continue
        col = column(key)
        stmt = stmt.where(col.in_(list(value)) if isinstance(value, list | tuple | set)
                          else col == value)
    if filters.get("date_from"):
        stmt = stmt.where(column("date") >= str(filters["date_from"])[:10])
    if filters.get("date_to"):
        stmt = stmt.where(column("date") <= str(filters["date_to"])[:10])
    return stmt


def _snippet(raw: str, query: str, width: int = 36) -> str:
    raw = (raw or "").replace("\n", " ")
    for run in sorted(_runs(query), key=len, reverse=True):
        i = raw.lower().find(run.lower())
        if i >= 0:
            start = max(0, i - width // 3)
            piece = raw[start:start + width]
            return ("…" if start else "") + piece + ("…" if start + width < len(raw) else "")
    return raw[:width] + ("…" if len(raw) > width else "")


def _single_tokens(query: str) -> bool:
    """True when every part of the query is one index token (≤ 2 Chinese characters, a
    number or a word): BM25 is then cheap (document counts come from the doclists)."""
    return all(len(run) <= 2 or not _is_cjk(run) for run in _runs(query))


#: At most this many matches (the most recently indexed) are ranked by BM25; the rest
#: are not scored. BM25 reads the positions of every phrase in every document it scores
#: (~15 µs a document for a 5-bigram phrase), so ranking every match of a common word
#: ("工作" is in most documents) would take ~1 s at 100,000 documents.
RANK_WINDOW = 200


def search(cache: Any, query: str, *, filters: Mapping[str, Any] | None = None,
           limit: int = 50) -> list[dict[str, Any]]:
    """Documents matching ``query`` (Chinese or not) and ``filters``, best first.

    Order: documents whose title or 文号 match come first (newest first); then the
    other matches ranked by BM25 (title 10, 文号 8, opinions 2, body 1, attachments 1)
    among the :data:`RANK_WINDOW` most recently received matches — or newest first when
    the query holds a phrase of three or more Chinese characters (see below). An empty query lists
    the filtered documents newest first. Each hit is a list row (see
    :func:`row_columns`) plus ``score`` (BM25, lower is better; title hits −1e9) and
    ``snippet`` (text around the first match).
    """
    from sync.cache import records

    filters = filters or {}
    match = match_query(query or "")
    with cache.read() as s:
        if match is None:
            stmt = apply_filters(select(*row_columns()), filters)
            rows = s.execute(stmt.order_by(doc_index.c.sort_at.desc()).limit(limit)).all()
            return [{**r._mapping, "score": 0.0, "snippet": ""} for r in rows]
        joined = doc_fts.join(doc_index, doc_index.c.n == doc_fts.c.rowid)

        def matching(expr: str, name: str = "doc_fts") -> Any:
            return text(f"{name} MATCH :q").bindparams(bindparam("q", expr))

        # 1. title / 文号 hits, newest first (short doclists; stops after `limit` rows)
        heads = s.execute(
            apply_filters(select(*row_columns())
                          .select_from(doc_fts_head.join(doc_index, doc_index.c.n == doc_fts_head.c.rowid))
                          .where(matching(match, "doc_fts_head")), filters, fts=True)
            .order_by(doc_fts_head.c.rowid.desc()).limit(limit)).all()
        hits = [{**r._mapping, "score": -1e9} for r in heads]
        seen = {h["id"] for h in hits}
        if len(hits) < limit:
            # 2. the rest by BM25 within the window of the most recent matches
            cutoff = None
            few = filters and s.execute(
                apply_filters(select(func.count()).select_from(doc_index), filters)).scalar_one() <= RANK_WINDOW
            if not few:  # with a narrow filter every match is ranked: no window needed
                cutoff = s.execute(
                    apply_filters(select(doc_fts.c.rowid).select_from(joined).where(matching(match)),
                                  filters, fts=True)
                    .order_by(doc_fts.c.rowid.desc()).limit(1).offset(RANK_WINDOW - 1)).scalar()
            if _single_tokens(query):
                score = func.bm25(literal_column("doc_fts"), *COLUMN_WEIGHTS).label("score")
                order = [literal_column("score"), doc_index.c.sort_at.desc()]
            else:
                # BM25 of a multi-bigram phrase first counts every document containing it
                # (≈ 30 ms for a phrase in 70,000 documents): order by recency instead.
                score = literal_column("0.0").label("score")
                order = [doc_fts.c.rowid.desc()]
            stmt = select(*row_columns(), score).select_from(joined).where(matching(match))
            if cutoff is not None:
                stmt = stmt.where(doc_fts.c.rowid >= cutoff)
            stmt = apply_filters(stmt, filters, fts=True).order_by(*order)
            for r in s.execute(stmt.limit(limit + len(seen))):
                if r.id not in seen and len(hits) < limit:
                    hits.append(dict(r._mapping))
                    seen.add(r.id)
        bodies = dict(s.execute(
            select(records.c.id, records.c.data).where(
                records.c.entity == ENTITY, records.c.id.in_([h["id"] for h in hits]))).all())
    for h in hits:
        data = bodies.get(h["id"]) or {}
        history = (data.get("workflow") or {}).get("history", [])
        opinion_text = " ".join([str(o.get("text", "")) for o in data.get("opinions") or []]
                                + [str(ev["reason"]) for ev in history if ev.get("reason")])
        h["snippet"] = _snippet(_body_text(data.get("spec") or {}) + " " + opinion_text, query)
    return hits


# --------------------------------------------------------------------------- PDF text


def extract_pdf_text(path: Path | bytes, max_chars: int = MAX_TEXT) -> str:
    """Plain text of a PDF (a file, or its bytes in memory — the blob store's are
    decrypted to memory only), at most ``max_chars``; "" for unreadable ones.
    CPU-bound: call off the GUI thread."""
    import io

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(path) if isinstance(path, bytes) else str(path))
        parts: list[str] = []
        size = 0
        for page in reader.pages:
            chunk = page.extract_text() or ""
            parts.append(chunk)
            size += len(chunk)
            if size >= max_chars:
                break
    except (PdfReadError, OSError, ValueError, KeyError) as exc:
        log.info("no text from %s: %s", "bytes" if isinstance(path, bytes) else path, exc)
        return ""
    return "\n".join(parts)[:max_chars]


def _is_pdf(name: str, mime: str, data: bytes) -> bool:
    return mime == "application/pdf" or name.lower().endswith(".pdf") or data[:5] == b"%PDF-"


def index_attachment_texts(cache: Any, blobs: Any, limit: int = 50) -> int:
    """Extract the text of up to ``limit`` local attachments not indexed yet, then
    re-index the documents that reference them. Returns how many blobs were read.
    Attachments not downloaded yet are skipped (indexed once they arrive)."""
    with cache.read() as s:
        rows = s.execute(
            select(doc_attachment.c.sha256, doc_attachment.c.name, doc_attachment.c.mime)
            .outerjoin(doc_blob_text, doc_blob_text.c.sha256 == doc_attachment.c.sha256)
            .where(doc_blob_text.c.sha256.is_(None))
            .group_by(doc_attachment.c.sha256)
        ).all()
    done = 0
    for sha, name, mime in rows:
        if done >= limit:
            break
        data = blobs.read_bytes(sha, touch=False)
        if data is None:
            continue
        content = extract_pdf_text(data) if _is_pdf(name, mime, data) else ""
        with cache.write() as s:
            s.execute(delete(doc_blob_text).where(doc_blob_text.c.sha256 == sha))
            s.execute(insert(doc_blob_text).values(sha256=sha, text=content))
            doc_ids = list(s.execute(select(doc_attachment.c.doc_id)
                                     .where(doc_attachment.c.sha256 == sha)).scalars())
            from sync.cache import records

            for doc_id in doc_ids:
                data = s.execute(select(records.c.data).where(
                    records.c.entity == ENTITY, records.c.id == doc_id)).scalar()
                _apply(s, doc_id, data)
        done += 1
    return done
