"""Readable differences between two drafts (稿) of a document.

Pure module: no Qt, no HTTP, no database; thread-safe. Used by the server's diff route
and by the client to show "第2稿 → 第3稿" with changed characters highlighted.

:func:`spec_text` turns a document description into labelled lines (标题：…, 主送：…,
then the 正文 paragraphs …). :func:`diff_texts` compares two such texts line by line and,
inside a changed line, character by character (Chinese text has no word spaces, so the
character is the natural unit).
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any

from modules.documents.rules import DocumentSpec, parse_spec

_HEAD_FIELDS: tuple[tuple[str, str], ...] = (
    ("doc_type", "文种"),
    ("urgency", "紧急程度"),
    ("issuer_mark", "发文机关标志"),
    ("doc_number", "发文字号"),
    ("title", "标题"),
    ("recipients", "主送机关"),
)
_TAIL_FIELDS: tuple[tuple[str, str], ...] = (
    ("signature", "发文机关署名"),
    ("date", "成文日期"),
    ("note", "附注"),
    ("cc", "抄送机关"),
    ("printer", "印发机关"),
    ("print_date", "印发日期"),
)


def spec_text(spec: DocumentSpec | Mapping[str, Any]) -> str:
    """The document as plain labelled lines, one paragraph per line.

    Empty fields are left out. Classified specs raise ClassifiedRefused (via parse_spec).
    """
    parsed = parse_spec(spec)
    data = parsed.to_dict()
    lines: list[str] = []
    for key, label in _HEAD_FIELDS:
        if data.get(key):
            lines.append(f"{label}：{data[key]}")
    if parsed.signers:
        lines.append("签发人：" + "、".join(parsed.signers))
    lines.append("正文：")
    lines.extend(p.text for p in parsed.body)
    for i, att in enumerate(parsed.attachments, 1):
        lines.append(f"附件{i}：{att.name}")
        lines.extend(p.text for p in att.body)
    for key, label in _TAIL_FIELDS:
        if data.get(key):
            lines.append(f"{label}：{data[key]}")
    return "\n".join(lines)


def _segments(old: str, new: str) -> list[dict[str, str]]:
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    out: list[dict[str, str]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out.append({"op": "equal", "text": old[i1:i2]})
            continue
        if i2 > i1:
            out.append({"op": "delete", "text": old[i1:i2]})
        if j2 > j1:
            out.append({"op": "insert", "text": new[j1:j2]})
    return out


def diff_texts(old: str, new: str) -> dict[str, Any]:
    """Compare two texts.

    Returns ``{"lines": [...], "stats": {"inserted": n, "deleted": n}}`` where each line is
    ``{"op": "equal"|"insert"|"delete"|"replace", "old": str|None, "new": str|None,
    "segments": [{"op": "equal"|"insert"|"delete", "text"}]}``; ``stats`` counts
    characters. A replaced line pairs an old and a new line and carries character
    segments; unmatched extra lines of a replaced block become inserts or deletes.
    """
    a, b = old.splitlines(), new.splitlines()
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    lines: list[dict[str, Any]] = []
    inserted = deleted = 0

    def add(op: str, o: str | None, n: str | None) -> None:
        nonlocal inserted, deleted
        if op == "equal":
            segs = [{"op": "equal", "text": o or ""}]
        elif op == "insert":
            segs = [{"op": "insert", "text": n or ""}]
        elif op == "delete":
            segs = [{"op": "delete", "text": o or ""}]
        else:
            segs = _segments(o or "", n or "")
        inserted += sum(len(s["text"]) for s in segs if s["op"] == "insert")
        deleted += sum(len(s["text"]) for s in segs if s["op"] == "delete")
        lines.append({"op": op, "old": o, "new": n, "segments": segs})

    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for k in range(i2 - i1):
                add("equal", a[i1 + k], b[j1 + k])
        elif tag == "delete":
            for k in range(i1, i2):
                add("delete", a[k], None)
        elif tag == "insert":
            for k in range(j1, j2):
                add("insert", None, b[k])
        else:
            pairs = min(i2 - i1, j2 - j1)
            for k in range(pairs):
                add("replace", a[i1 + k], b[j1 + k])
            for k in range(i1 + pairs, i2):
                add("delete", a[k], None)
            for k in range(j1 + pairs, j2):
                add("insert", None, b[k])
    return {"lines": lines, "stats": {"inserted": inserted, "deleted": deleted}}


def diff_specs(old: DocumentSpec | Mapping[str, Any],
               new: DocumentSpec | Mapping[str, Any]) -> dict[str, Any]:
    """:func:`diff_texts` of the two specs' :func:`spec_text`."""
    return diff_texts(spec_text(old), spec_text(new))


def unified(old: str, new: str, old_label: str = "旧稿", new_label: str = "新稿") -> str:
    """A plain unified diff (for logs and the command line)."""
    return "\n".join(difflib.unified_diff(
        old.splitlines(), new.splitlines(), old_label, new_label, lineterm=""))
