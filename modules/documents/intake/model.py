"""What intake (收文录入) reads from a file — plain data shared by the reader, the
``main.py intake`` command, the 收文 screen and the server's batch jobs.

Pure: no Qt, no HTTP, no database. Coordinates are page pixels of the page image the
reader worked on (after straightening), origin top-left, x to the right, y down.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: The 登记 fields intake proposes, in the order the screen shows them.
FIELD_NAMES: tuple[str, ...] = (
    "issuer",          # 来文单位 (from the 发文机关标志 or the 署名)
    "doc_number",      # 发文字号, e.g. 粤府办〔2026〕12号
    "title",           # 标题
    "date",            # 成文日期, ISO yyyy-mm-dd
    "classification",  # 密级 as read ("" when none; a marking refuses the intake)
    "urgency",         # 紧急程度: "", 特急, 加急 (平急 / 特提 as read)
    "addressees",      # 主送 (the line ending in a colon), as one string
    "attachments",     # 附件 list, one name per line
    "page_count",      # pages of the source, as a decimal string
)

#: File kinds intake accepts.
KINDS: tuple[str, ...] = ("pdf", "image", "docx", "ofd")


@dataclass(frozen=True, slots=True)
class Box:
    """A rectangle on one page, in that page image's pixels."""

    page: int
    x0: float
    y0: float
    x1: float
    y1: float

    def to_dict(self) -> dict[str, Any]:
        return {"page": self.page, "box": [round(self.x0, 1), round(self.y0, 1),
                                           round(self.x1, 1), round(self.y1, 1)]}


@dataclass(frozen=True, slots=True)
class Line:
    """One recognised line of text with the reader's confidence (0..1)."""

    text: str
    confidence: float
    box: Box


@dataclass(frozen=True, slots=True)
class Page:
    """One page as read: its (straightened) image as PNG bytes, its size and lines.

    For text-layer sources (.docx, .ofd, a PDF with text) ``image`` may be empty and
    the boxes are then in the page's own units scaled to ``width`` x ``height``.
    """

    index: int
    width: int
    height: int
    lines: tuple[Line, ...]
    image: bytes = b""


@dataclass(frozen=True, slots=True)
class ProposedField:
    """A proposed value with how sure the reading is (0..1) and where it was read."""

    name: str
    value: str
    confidence: float
    boxes: tuple[Box, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "confidence": round(self.confidence, 3),
                "boxes": [b.to_dict() for b in self.boxes]}


@dataclass(frozen=True, slots=True)
class IntakeResult:
    """Everything read from one file. ``fields`` has every name of FIELD_NAMES (an
    unread field has value "" and confidence 0). ``text`` is the whole recognised text
    in reading order (for full-text search)."""

    kind: str
    pages: tuple[Page, ...]
    fields: dict[str, ProposedField]
    text: str
    warnings: tuple[str, ...] = field(default=())

    @property
    def page_count(self) -> int:
        return len(self.pages)

    def to_dict(self) -> dict[str, Any]:
        """The ``main.py intake --json`` shape."""
        return {"kind": self.kind, "page_count": self.page_count,
                "fields": {n: self.fields[n].to_dict() for n in FIELD_NAMES if n in self.fields},
                "warnings": list(self.warnings)}
