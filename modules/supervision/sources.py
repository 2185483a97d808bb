"""Where 督办 items come from, linked back to their source: pure rules.

Two sources make items on the server (``supervision.register`` composed with a link):

- **A leader's instruction on a document** (领导批示 → 转督办):
  ``supervision.from_instruction`` — the 督查室 staff of the document's organ turn a
  批示 (an opinion of kind 批示: 签发 on an outgoing document, 批办 on an incoming one)
  into an item with source ``instruction``; the content is prefilled from the
  instruction, the supervising leader is the leader who wrote it. One item per
  instruction (:func:`item_id_for_instruction`): asking twice returns the same item.
- **A meeting's decision** (议定事项): ``meetings.send_decision``
  (``modules.meetings.minutes``), source ``meeting``.

The item record then carries ``source_link``: ``{"kind": "meeting" | "document", "id",
"title", ...}`` (for a meeting also the decision and the minutes document; for a
document the instruction's id). :func:`source_target` says where a screen finds the
source (entity, id, navigation page).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import Field

from modules.common import messages
from modules.common.errors import ValidationFailed
from modules.common.intents import IntentArgs
from modules.common.text import MANY_LINES, ONE_LINE

DOC_ID = r"^d-[0-9a-z-]{4,36}$"
DATE = r"^\d{4}-\d{2}-\d{2}$"
INSTRUCTION_KIND = "批示"

messages.register({
    "supervision.no_instruction": {
        "zh_CN": "该公文没有领导批示，不能转督办。",
        "en": "This document has no leader's instruction to turn into an item.",
    },
})

UnitId = Annotated[str, Field(min_length=1, max_length=40)]


class FromInstructionArgs(IntentArgs):
    document_id: str = Field(pattern=DOC_ID)
    #: The instruction (an opinion id of the document); the latest 批示 when empty.
    opinion_id: str = Field(default="", max_length=60)
    #: Empty: the document's title / the instruction's text.
    title: Annotated[str, Field(max_length=200), ONE_LINE] = ""
    content: Annotated[str, Field(max_length=4000), MANY_LINES] = ""
    grade: str = Field(default="normal", pattern=r"^(normal|important|urgent)$")
    #: Empty: the leader who wrote the instruction.
    leader_id: str = Field(default="", max_length=40)
    lead_unit_id: UnitId
    co_unit_ids: list[UnitId] = Field(default_factory=list, max_length=20)
    deadline_days: int | None = Field(default=None, ge=0, le=365)
    due: str | None = Field(default=None, pattern=DATE)
    cycle: str = Field(default="none", pattern=r"^(none|weekly|working_days|monthly)$")


def instructions(document: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The document's 批示 (opinions of kind 批示), oldest first."""
    return [dict(o) for o in document.get("opinions") or ()
            if o.get("kind") == INSTRUCTION_KIND and str(o.get("text") or "").strip()]


def instruction_of(document: Mapping[str, Any], opinion_id: str = "") -> dict[str, Any]:
    """The named instruction (or the latest), or ``supervision.no_instruction``."""
    found = instructions(document)
    if opinion_id:
        found = [o for o in found if str(o.get("id")) == opinion_id]
    if not found:
        raise ValidationFailed("supervision.no_instruction")
    return found[-1]


def item_id_for_instruction(document_id: str, opinion_id: str) -> str:
    """The item of an instruction: the same every time it is asked for."""
    digest = hashlib.sha256(f"{document_id}:{opinion_id}".encode()).hexdigest()
    return "sv-i-" + digest[:24]


def instruction_content(document: Mapping[str, Any], opinion: Mapping[str, Any]) -> str:
    """``<leader>批示：<text>`` and the document it was written on."""
    person = opinion.get("person") or {}
    number = str(document.get("doc_number") or document.get("receipt_number") or "")
    on = f"《{document.get('title') or ''}》" + (f"（{number}）" if number else "")
    return f"{person.get('name') or ''}批示：{opinion.get('text') or ''}\n\n来源：{on}"[:4000]


def instruction_ref(document: Mapping[str, Any]) -> str:
    number = str(document.get("doc_number") or document.get("receipt_number") or "")
    return (number or f"《{document.get('title') or ''}》")[:80]


def document_link(document: Mapping[str, Any], opinion: Mapping[str, Any]) -> dict[str, Any]:
    return {"kind": "document", "id": str(document["id"]),
            "title": str(document.get("title") or ""), "opinion_id": str(opinion.get("id") or "")}


def meeting_link(meeting: Mapping[str, Any], decision_id: str) -> dict[str, Any]:
    return {"kind": "meeting", "id": str(meeting["id"]),
            "title": str(meeting.get("subject") or ""), "decision_id": decision_id,
            "document_id": str(meeting.get("minutes_document_id") or "")}


#: source kind -> (cache entity, navigation page)
TARGETS = {"meeting": ("meetings.meeting", "meetings"),
           "document": ("documents.document", "documents")}


def source_target(item: Mapping[str, Any]) -> tuple[str, str, str] | None:
    """(entity, id, page) of the item's source record, or None when it has no link."""
    link = item.get("source_link")
    if not isinstance(link, Mapping) or not link.get("id"):
        return None
    target = TARGETS.get(str(link.get("kind") or ""))
    if target is None:
        return None
    return target[0], str(link["id"]), target[1]
