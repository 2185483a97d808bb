"""Read one incoming file (收文) into an :class:`IntakeResult`: pages, recognised
lines and the proposed 登记 fields.

``read_file`` / ``read_bytes`` are callable from any thread (the client's task runner,
the server's batch jobs); they are CPU-bound (about 5-10 s per scanned page on two
cores, milliseconds for text-layer files). ``progress(done, total)`` is called with 0
first and after every page; ``cancelled()`` is asked before every page and before the
field rules, and a True answer raises :class:`IntakeCancelled`.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from modules.common.errors import ClassifiedRefused
from modules.documents.intake import fields as rules
from modules.documents.intake import layout, ocr
from modules.documents.intake.errors import (
    IntakeCancelled,
    NoText,
    UnreadableFile,
    UnsupportedFile,
)
from modules.documents.intake.model import Box, IntakeResult, Line, Page

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]

_EXT_KIND = {".pdf": "pdf", ".docx": "docx", ".ofd": "ofd", ".jpg": "image", ".jpeg": "image",
             ".png": "image", ".tif": "image", ".tiff": "image", ".bmp": "image", ".webp": "image"}
#: Share of the first page's height, from the top, where red ink is text (the 标志).
RED_MARK_ZONE = 0.32
#: Largest file accepted (bytes).
MAX_BYTES = 200 * 1024 * 1024


def kind_of(data: bytes, filename: str) -> str:
    """The intake kind (one of KINDS) of ``data``, by content first, then by name.
    :class:`UnsupportedFile` when it is none of them."""
    ext = Path(filename).suffix.lower()
    if data[:5] == b"%PDF-" or (data[:1024].find(b"%PDF-") >= 0 and ext == ".pdf"):
        return "pdf"
    if data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                names = {n.lstrip("/") for n in z.namelist()}
        except zipfile.BadZipFile:
            names = set()
        if "word/document.xml" in names:
            return "docx"
        if "OFD.xml" in names:
            return "ofd"
        if ext in (".docx", ".ofd"):
            raise UnreadableFile(filename, "压缩包内容不完整", "the archive is incomplete")
        raise UnsupportedFile(filename)
    if data[:3] == b"\xff\xd8\xff" or data[:8] == b"\x89PNG\r\n\x1a\n" or data[:4] in (
            b"II*\x00", b"MM\x00*") or data[:2] == b"BM" or (data[:4] == b"RIFF" and data[8:12] == b"WEBP"):
        return "image"
    kind = _EXT_KIND.get(ext)
    if kind is None:
        raise UnsupportedFile(filename)
    raise UnreadableFile(filename, "文件内容与扩展名不符或已损坏", "the content does not match the extension or is damaged")


def read_file(path: str | Path, *, progress: Progress | None = None,
              cancelled: Cancelled | None = None, page_images: bool = True) -> IntakeResult:
    """Read the file at ``path`` (PDF, image, .docx, .ofd). Raises UnsupportedFile,
    UnreadableFile, NoText (nothing legible), OcrNotInstalled (a scan or photo without the ``[ocr]`` extra),
    ClassifiedRefused (a 密级 marking) or IntakeCancelled."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise UnreadableFile(p.name, f"文件超过 {MAX_BYTES // 1024 // 1024} MB",
                                 f"the file is larger than {MAX_BYTES // 1024 // 1024} MB")
        data = p.read_bytes()
    except FileNotFoundError as exc:
        raise UnreadableFile(p.name, "文件不存在", "the file does not exist") from exc
    except IsADirectoryError as exc:
        raise UnreadableFile(p.name, "这是一个文件夹", "it is a folder") from exc
    except OSError as exc:
        raise UnreadableFile(p.name, f"无法打开（{exc.strerror or exc}）",
                             f"it cannot be opened ({exc.strerror or exc})") from exc
    return read_bytes(data, p.name, progress=progress, cancelled=cancelled, page_images=page_images)


class _Run:
    def __init__(self, progress: Progress | None, cancelled: Cancelled | None) -> None:
        self.progress = progress
        self.cancelled = cancelled
        self.done = 0
        self.total = 0

    def check(self) -> None:
        if self.cancelled is not None and self.cancelled():
            raise IntakeCancelled(self.done, self.total)

    def step(self) -> None:
        self.done += 1
        if self.progress is not None:
            self.progress(self.done, self.total)

    def start(self, total: int) -> None:
        self.total = total
        if self.progress is not None:
            self.progress(0, total)
        self.check()


def read_bytes(data: bytes, filename: str, *, progress: Progress | None = None,
               cancelled: Cancelled | None = None, page_images: bool = True) -> IntakeResult:
    """Like :func:`read_file` for a file's bytes; ``filename`` names it in messages and
    helps guess its type. ``page_images=False`` skips rendering text-layer PDF pages."""
    if not data:
        raise UnreadableFile(filename or "?", "文件为空", "the file is empty")
    kind = kind_of(data, filename)
    run = _Run(progress, cancelled)
    warnings: list[str] = []
    pages: list[Page] = []
    source_count: int | None = None
    if kind == "pdf":
        pages = _read_pdf(data, filename, run, warnings, page_images)
    elif kind == "image":
        pages = _read_image(data, filename, run, warnings)
    elif kind == "docx":
        from modules.documents.intake.docx import read_docx

        run.start(1)
        raw, source_count = read_docx(data, filename)
        pages = [Page(i, w, h, tuple(layout.rows(lines))) for i, (w, h, lines) in enumerate(raw)]
        run.step()
    else:
        from modules.documents.intake.ofd import read_ofd

        run.start(1)
        raw = read_ofd(data, filename)
        pages = [Page(i, w, h, tuple(layout.rows(lines))) for i, (w, h, lines) in enumerate(raw)]
        run.step()
    run.check()
    page_rows = [rules.PageRows(pg.index, pg.width, pg.height, pg.lines) for pg in pages]
    text = layout.reading_text(pg.lines for pg in pages)
    proposed = rules.propose(page_rows, page_count=source_count if source_count else len(pages),
                             text=text)
    if not text.strip():
        raise NoText(filename or "?")
    return IntakeResult(kind, tuple(pages), proposed, text, tuple(warnings))


def _ocr_page(image: Any, index: int, *, photo: bool, warnings: list[str]) -> Page:
    from modules.documents.intake.pages import drop_red, png_bytes, straighten

    arr, notes = straighten(image, photo=photo)

    def recognise(page: Any) -> list[Line]:
        # The red 标志 is read on the first page's top; below it red is seal ink.
        zone = int(RED_MARK_ZONE * page.shape[0]) if index == 0 else 0
        return ocr.recognise(drop_red(page, from_y=zone), index)

    lines = recognise(arr)
    if sideways(lines):
        # fed sideways: detection found columns of single characters — turn the page
        # a quarter clockwise and read again (the next check turns it fully if needed)
        import numpy as np
        from PIL import Image

        arr, again = straighten(Image.fromarray(np.ascontiguousarray(np.rot90(arr, k=-1))), photo=False)
        notes.extend(["turned 90°", *again])
        lines = recognise(arr)
    h, w = arr.shape[:2]
    if upside_down(lines, w, h):
        # fed upside down: the OCR's line classifier read each line the right way,
        # but the layout is reversed — turn the page and read it again
        import numpy as np

        arr = np.ascontiguousarray(arr[::-1, ::-1])
        notes.append("turned 180°")
        lines = recognise(arr)
    warnings.extend(f"page {index + 1}: {n}" for n in notes)
    return Page(index, int(w), int(h), tuple(layout.rows(lines)), png_bytes(arr))


def _layout_score(lines: list[Line], w: int, h: int) -> float:
    """How much of a 公文's layout the rules find in ``lines`` (sum of confidences)."""
    page = rules.PageRows(0, w, h, tuple(layout.rows(lines)))
    try:
        fields = rules.propose([page])
    except ClassifiedRefused:
        return 5.0  # a level word flush left in the header: this way up looks right
    return sum(f.confidence for name, f in fields.items() if name != "page_count" and f.value)


def sideways(lines: list[Line]) -> bool:
    """True when most text boxes are upright columns (a page turned by 90°)."""
    if len(lines) < 5:
        return False
    tall = sum(1 for ln in lines if (ln.box.y1 - ln.box.y0) > 1.5 * (ln.box.x1 - ln.box.x0))
    return tall > 0.6 * len(lines)


def upside_down(lines: list[Line], w: int, h: int) -> bool:
    """True when ``lines`` (read from a ``w`` x ``h`` image) make a clearly better
    公文 layout turned by 180°: 标志, 发文字号 and title at the top, 署名 and date below."""
    if len(lines) < 3:
        return False
    turned = [Line(ln.text, ln.confidence, Box(ln.box.page, w - ln.box.x1, h - ln.box.y1,
                                               w - ln.box.x0, h - ln.box.y0)) for ln in lines]
    return _layout_score(turned, w, h) > _layout_score(lines, w, h) + 1.0


def _read_pdf(data: bytes, filename: str, run: _Run, warnings: list[str],
              page_images: bool) -> list[Page]:
    from modules.documents.intake.pages import pdf_page_count, pdf_pages, png_bytes

    total = pdf_page_count(data, filename)
    if total == 0:
        raise UnreadableFile(filename, "PDF 文件没有页面", "the PDF has no pages")
    run.start(total)
    out: list[Page] = []
    for pp in pdf_pages(data, filename, images=page_images):
        run.check()
        if pp.lines:
            image = png_bytes(pp.image) if pp.image is not None else b""
            out.append(Page(pp.index, pp.width, pp.height, tuple(layout.rows(pp.lines)), image))
        else:
            ocr.require()
            assert pp.image is not None
            out.append(_ocr_page(pp.image, pp.index, photo=False, warnings=warnings))
        run.step()
    return out


def _read_image(data: bytes, filename: str, run: _Run, warnings: list[str]) -> list[Page]:
    from modules.documents.intake.pages import image_frames

    frames = image_frames(data, filename)
    ocr.require()
    run.start(len(frames))
    out: list[Page] = []
    for i, frame in enumerate(frames):
        run.check()
        out.append(_ocr_page(frame, i, photo=True, warnings=warnings))
        run.step()
    return out


def lines_of(result: IntakeResult) -> list[Line]:
    """Every recognised row of ``result``, page by page (for callers that search text)."""
    return [ln for pg in result.pages for ln in pg.lines]
