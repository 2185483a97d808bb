"""Pure geometry on recognised lines: fragments on one baseline joined into rows.

A text layer (PDF, OFD) gives fragments — ``××`` and ``市政务服务数据管理局``, or
``2026`` ``年`` ``3`` ``月`` — and OCR sometimes splits a line too. The field rules
work on whole rows, so fragments that overlap vertically and sit close together are
joined left to right; far-apart pieces on one row (the 印发机关 and the 印发日期)
stay separate lines.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable

from modules.documents.intake.model import Box, Line

#: Two fragments join when the gap between them is below this many line heights.
JOIN_GAP = 1.6


def _v_overlap(a: Box, b: Box) -> float:
    """Vertical overlap as a share of the shorter box's height."""
    top, bottom = max(a.y0, b.y0), min(a.y1, b.y1)
    h = min(a.y1 - a.y0, b.y1 - b.y0)
    return max(0.0, bottom - top) / h if h > 0 else 0.0


def _join(parts: list[Line]) -> Line:
    parts.sort(key=lambda ln: ln.box.x0)
    text = parts[0].text
    for prev, cur in itertools.pairwise(parts):
        h = max(1.0, min(prev.box.y1 - prev.box.y0, cur.box.y1 - cur.box.y0))
        gap = cur.box.x0 - prev.box.x1
        ascii_edge = prev.text[-1:].isascii() and cur.text[:1].isascii() and \
            prev.text[-1:].isalpha() and cur.text[:1].isalpha()
        text += (" " if gap > 0.6 * h and ascii_edge else "") + cur.text
    total = sum(len(p.text) for p in parts) or 1
    conf = sum(p.confidence * len(p.text) for p in parts) / total
    b0 = parts[0].box
    box = Box(b0.page, min(p.box.x0 for p in parts), min(p.box.y0 for p in parts),
              max(p.box.x1 for p in parts), max(p.box.y1 for p in parts))
    return Line(text, conf, box)


def rows(lines: Iterable[Line]) -> list[Line]:
    """``lines`` of one page joined into rows, sorted top to bottom, then left to right."""
    items = sorted((ln for ln in lines if ln.text.strip()),
                   key=lambda ln: ((ln.box.y0 + ln.box.y1) / 2, ln.box.x0))
    # 1. bands: fragments that overlap vertically (by half the shorter height)
    bands: list[list[Line]] = []
    for ln in items:
        for band in reversed(bands[-4:]):
            if any(_v_overlap(b.box, ln.box) >= 0.5 for b in band):
                band.append(ln)
                break
        else:
            bands.append([ln])
    # 2. within a band, left to right, split where the gap is wide
    joined: list[Line] = []
    for band in bands:
        band.sort(key=lambda ln: ln.box.x0)
        group = [band[0]]
        for ln in band[1:]:
            prev = max(group, key=lambda g: g.box.x1)
            h = max(1.0, prev.box.y1 - prev.box.y0, ln.box.y1 - ln.box.y0)
            if ln.box.x0 - prev.box.x1 <= JOIN_GAP * h:
                group.append(ln)
            else:
                joined.append(_join(group) if len(group) > 1 else group[0])
                group = [ln]
        joined.append(_join(group) if len(group) > 1 else group[0])
    return joined


def reading_text(page_rows: Iterable[Iterable[Line]]) -> str:
    """All rows of all pages as text: one row per line, a blank line between pages."""
    return "\n\n".join("\n".join(ln.text for ln in r) for r in page_rows)
