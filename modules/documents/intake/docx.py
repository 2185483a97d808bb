"""Word (.docx) documents as pages of rows, with python-docx.

A .docx has no fixed layout, so each paragraph (and each table row) becomes one row
on a notional A4 page at 200 dpi: its height from the font size, its horizontal place
from the alignment and indents. The same layout rules as for scans then apply (the
title is large and centred, the 署名 and date sit on the right). Explicit page breaks
start a new page.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

from modules.documents.intake.errors import UnreadableFile
from modules.documents.intake.model import Box, Line

DPI = 200
PAGE_W = round(210 / 25.4 * DPI)
PAGE_H = round(297 / 25.4 * DPI)
LEFT = round(28 / 25.4 * DPI)
RIGHT = PAGE_W - round(26 / 25.4 * DPI)
TOP = round(37 / 25.4 * DPI)
PT = DPI / 72.0
#: Font size assumed when neither the run nor the style says (3号, 16 pt).
DEFAULT_PT = 16.0


def _size_pt(paragraph: Any) -> float:
    sizes = [r.font.size.pt for r in paragraph.runs if r.font.size is not None and r.text.strip()]
    if sizes:
        return float(max(sizes))
    style = paragraph.style
    while style is not None:
        if style.font is not None and style.font.size is not None:
            return float(style.font.size.pt)
        style = style.base_style
    return DEFAULT_PT


def _breaks_before(paragraph: Any) -> bool:
    fmt = paragraph.paragraph_format
    return bool(fmt.page_break_before)


def _has_break(paragraph: Any) -> bool:
    xml = paragraph._p.xml  # python-docx has no public API for w:br type="page"
    return 'w:type="page"' in xml


def read_docx(data: bytes, name: str) -> tuple[list[tuple[int, int, list[Line]]], int]:
    """The pages ``[(width, height, lines)]`` of a .docx and its page count (the larger
    of Word's own statistics and the explicit breaks + 1)."""
    try:
        import docx
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.table import Table
        from docx.text.paragraph import Paragraph
    except ImportError as exc:  # pragma: no cover - python-docx is a main dependency
        raise UnreadableFile(name, "缺少 python-docx 组件", "python-docx is not installed") from exc
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise UnreadableFile(name, "不是有效的 Word（.docx）文件", "not a valid Word (.docx) file") from exc

    pages: list[tuple[int, int, list[Line]]] = []
    lines: list[Line] = []
    y = float(TOP)

    def new_page() -> None:
        nonlocal lines, y
        pages.append((PAGE_W, PAGE_H, lines))
        lines = []
        y = float(TOP)

    def add(text: str, size: float, align: Any, indent_px: float, first_px: float) -> None:
        nonlocal y
        h = size * PT
        width = min(RIGHT - LEFT, len(text) * h)
        if align == WD_ALIGN_PARAGRAPH.CENTER:
            x0 = (LEFT + RIGHT) / 2 - width / 2
        elif align == WD_ALIGN_PARAGRAPH.RIGHT:
            x0 = RIGHT - width - max(0.0, indent_px)
        else:
            x0 = LEFT + max(0.0, indent_px + first_px)
            width = min(width, RIGHT - x0)
        lines.append(Line(text, 1.0, Box(len(pages), x0, y, x0 + width, y + h)))
        y += h * 1.6

    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            para = Paragraph(child, document)
            if _breaks_before(para) and lines:
                new_page()
            text = re.sub(r"[ \t\u3000]+$", "", para.text.replace("\t", " "))
            fmt = para.paragraph_format
            size = _size_pt(para)
            if text.strip():
                lead = len(text) - len(text.lstrip(" \u3000"))
                indent = (fmt.left_indent.pt * PT if fmt.left_indent is not None else 0.0)
                right = (fmt.right_indent.pt * PT if fmt.right_indent is not None else 0.0)
                first = (fmt.first_line_indent.pt * PT if fmt.first_line_indent is not None else 0.0)
                first += lead * size * PT
                align = para.alignment
                add(text.strip(), size, align, right if align == WD_ALIGN_PARAGRAPH.RIGHT else indent, first)
            else:
                y += size * PT * 1.6
            if _has_break(para):
                new_page()
        elif tag == "tbl":
            table = Table(child, document)
            for row in table.rows:
                cells: list[str] = []
                for cell in row.cells:
                    t = " ".join(p.text.strip() for p in cell.paragraphs if p.text.strip())
                    if t and (not cells or cells[-1] != t):  # merged cells repeat
                        cells.append(t)
                if cells:
                    add("  ".join(cells), DEFAULT_PT, None, 0.0, 0.0)
    if lines or not pages:
        new_page()
    count = len(pages)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            app = z.read("docProps/app.xml").decode("utf-8", "replace")
        m = re.search(r"<(?:\w+:)?Pages>(\d+)</", app)
        if m:  # Word's own count; templates often say 1, so never fewer than the breaks
            count = max(count, int(m.group(1)))
    except (KeyError, zipfile.BadZipFile):
        pass
    return pages, count
