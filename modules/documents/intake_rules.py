"""收文录入 (intake) as a document: the confirmed 登记 fields → a spec, and the effect of
``documents.intake`` — pure, run by the client's applier and the server's handler alike.

An intake creates the organ's **incoming** document (kind ``incoming``): the clerk who
took the paper in has signed for it (签收 done by them), so it waits at 登记, where
``documents.register`` gives it its 收文号; from there it runs the 收文 flow (初审, 拟办,
批办 …) like a dispatched copy. The original file is the first blob attachment with
``role: "source"`` and carries the whole recognised text (``text``), which the local
full-text search (``modules.documents.search``) indexes as that file's text, on every
device that receives the document; the 正文 part of it (:func:`body_text`) is the
spec's ``body``. A PDF original is also the document's PDF; a scan or photo's pages as
read (straightened) are made into one (``pdf``), so the 正文 tab shows the paper itself.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from modules.common import messages
from modules.common.access import ActorFacts
from modules.common.errors import Conflict, PermissionDenied, ValidationFailed
from modules.documents import effects, policy, rules, workflow

messages.register({
    "document.intake.no_title": {
        "zh_CN": "请填写标题后再登记。",
        "en": "Enter the title before registering.",
    },
})

#: Steps whose people are the organ's registry clerks (the server refreshes them).
REGISTRY_STEPS = ("receive", "register", "screen", "propose", "complete", "archive")

#: The longest recognised text kept in a document (characters).
MAX_TEXT = 100_000

_DATE = re.compile(r"^\s*(\d{4})\s*[-年./]\s*(\d{1,2})\s*[-月./]\s*(\d{1,2})\s*日?\s*$")


def doc_type_of(title: str) -> str:
    """The 文种 a title ends with (…的通知 → 通知); 函 when none is recognisable."""
    t = title.strip().rstrip("。")
    for alias, canonical in rules.TYPE_ALIASES.items():
        if t.endswith(alias):
            return canonical
    for kind in sorted(rules.DOC_TYPES, key=len, reverse=True):
        if t.endswith(kind):
            return kind
    return "函"


def iso_date(value: str) -> str:
    """``2026年3月5日`` / ``2026-3-5`` → ``2026-03-05``; "" for an empty value; a value that
    is no date raises ``document.invalid_spec`` naming the field."""
    text = value.strip()
    if not text:
        return ""
    m = _DATE.match(text)
    try:
        if m:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise ValidationFailed("document.invalid_spec", detail=f"成文日期 / date: {text}") from None


def _flat(value: str) -> str:
    return re.sub(r"\s+", "", value)


def body_text(text: str, fields: Mapping[str, str]) -> str:
    """The 正文 part of a reading's text: after the 主送 line, before the 附件说明, the
    署名 or the 成文日期 (the header and the 版记 are fields of their own). The whole
    text when no 主送 line is found or nothing would be left."""
    lines = [ln.strip() for ln in text.splitlines()]
    to = _flat(str(fields.get("addressees") or "")).rstrip("：:")
    start = next((i + 1 for i, ln in enumerate(lines)
                  if to and _flat(ln).rstrip("：:").endswith(to) and _flat(ln)[-1:] in "：:"), None)
    if start is None:
        return text.strip()
    ends = {_flat(str(fields.get("issuer") or "")), _flat(str(fields.get("date") or ""))} - {""}
    out: list[str] = []
    for ln in lines[start:]:
        flat = _flat(ln)
        if flat.startswith("附件") or flat in ends or _DATE_LINE.match(flat):
            break
        if flat:
            out.append(ln)
    return "\n".join(out) if out else text.strip()


_DATE_LINE = re.compile(r"^(\d{4}|[〇零一二三四五六七八九]{4})年[\d〇零一二三四五六七八九十]{1,2}月[\d〇零一二三四五六七八九十]{1,3}日$")


def spec_from_fields(fields: Mapping[str, str], text: str) -> dict[str, Any]:
    """The stored spec of an intake from the clerk's confirmed field values
    (``modules.documents.intake.model.FIELD_NAMES``) and the recognised ``text``.
    Refuses a classified marking in any of them (``ClassifiedRefused``)."""
    rules.refuse_classified({**dict(fields), "text": text})
    title = str(fields.get("title") or "").strip()
    issuer = str(fields.get("issuer") or "").strip()
    urgency = str(fields.get("urgency") or "").strip()
    if urgency not in rules.URGENCIES:
        urgency = ""  # 平急 and unknown words: no marking
    attachments = [a.strip().rstrip("。，、；：,.;:") for a in str(fields.get("attachments") or "").splitlines()]
    spec: dict[str, Any] = {
        "doc_type": doc_type_of(title), "title": title, "issuer_mark": issuer,
        "signature": issuer, "doc_number": str(fields.get("doc_number") or "").strip(),
        "urgency": urgency, "recipients": str(fields.get("addressees") or "").strip().rstrip("：:"),
        "attachments": [a for a in attachments if a],
        "body": body_text(text, fields)[:MAX_TEXT],
    }
    date = iso_date(str(fields.get("date") or ""))
    if date:
        spec["date"] = date
    return spec


def intake_source(spec: Mapping[str, Any], source: Mapping[str, Any]) -> dict[str, Any]:
    """The record's ``source`` of an intake (the shape of a dispatched copy's, plus the
    original file): who sent it is the 来文单位 as read."""
    return {"document_id": "", "body_id": "", "body_name": str(spec.get("issuer_mark") or ""),
            "doc_number": str(spec.get("doc_number") or ""), "dispatched_at": None, "role": "in",
            "file": {"name": str(source.get("name") or ""), "sha256": str(source.get("sha256") or ""),
                     "kind": str(source.get("kind") or ""), "pages": int(source.get("pages") or 0),
            "text": str(source.get("text") or "")[:MAX_TEXT]}}


def source_attachment(source: Mapping[str, Any]) -> dict[str, Any]:
    """The original file as the document's first blob attachment."""
    return {"name": str(source.get("name") or "原件").strip() or "原件",
            "sha256": str(source.get("sha256") or ""), "size": int(source.get("size") or 0),
            "content_type": str(source.get("content_type") or ""), "role": "source",
            "kind": str(source.get("kind") or ""), "pages": int(source.get("pages") or 0),
            "text": str(source.get("text") or "")[:MAX_TEXT]}


def _pdf_of(source: Mapping[str, Any], pdf: Any) -> str:
    """The document's PDF: a PDF original itself, else the PDF of the pages as read."""
    if source.get("kind") == "pdf":
        return str(source["sha256"])
    return str(pdf.get("sha256") or "") if isinstance(pdf, Mapping) else ""


def intake(doc: Mapping[str, Any] | None, args: Mapping[str, Any], actor: workflow.ActorLike,
           now: dt.datetime, *, facts: ActorFacts | None = None, organ: tuple[str, str] | None = None,
           clerks: list[dict[str, str]] | None = None) -> dict[str, Any]:
    """``documents.intake``: the new incoming record, signed for by ``actor`` and waiting
    at 登记. ``organ`` = (id, name) and ``facts`` the actor's posts: a registry clerk of the
    organ only (``policy.may_intake``). ``clerks`` = the organ's registry clerks for the
    registry steps (default: the actor)."""
    doc_id = str(args.get("document_id") or "")
    if doc is not None:
        raise Conflict("document.exists", id=doc_id)
    organ_id, organ_name = organ or (str(args.get("body_id") or ""), "")
    if facts is not None and not policy.may_intake(facts, organ_id):
        raise PermissionDenied("document.not_registry", body=organ_name or organ_id, action="收文录入",
                               action_en="take in incoming documents")
    spec = effects.normal_spec(args.get("spec") or {})
    source = args.get("source") or {}
    if not isinstance(source, Mapping) or not source.get("sha256"):
        raise ValidationFailed("request.invalid", detail="source")
    me = workflow.Actor.of(actor)
    people = [dict(p) for p in clerks] if clerks else [me.to_dict()]
    if not any(p.get("id") == me.id for p in people):
        people = [me.to_dict(), *people]
    state = workflow.new_workflow("incoming", me, effects.china(now),
                                  {k: people for k in REGISTRY_STEPS}, doc_id=doc_id)
    state["assignments"]["receive"] = [me.to_dict()]
    state["pending"] = [me.to_dict()]
    state = workflow.approve(state, me, effects.china(now), step="receive")
    record = effects.new_record(doc_id, spec, me, now, (organ_id, organ_name))
    record.update({
        "kind": "incoming", "workflow": state, "revision": 0, "revisions": [],
        "doc_number": str(spec.get("doc_number") or ""),
        "attachments": [source_attachment(source)],
        "pdf_sha256": _pdf_of(source, args.get("pdf")),
        "source": intake_source(spec, source),
    })
    effects.refresh(record, now)
    return record
