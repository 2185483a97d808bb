"""Pages out of PDFs and images: the PDF text layer where there is one, else a page
image (rendered at 200 dpi, or the photo itself) straightened for OCR.

Straightening (OpenCV, the ``[ocr]`` extra): a photo of a sheet on a desk is cut out
along the sheet's four corners and warped flat (perspective), uneven lighting is
flattened, and the remaining skew of the text lines (a scan fed at an angle) is found
by projection profiles and rotated away.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from PIL import Image, ImageOps

from modules.documents.intake.errors import UnreadableFile
from modules.documents.intake.model import Box, Line

#: Resolution at which PDF pages without text are rendered for OCR.
RENDER_DPI = 200
#: A page counts as having a text layer with at least this many non-blank characters.
MIN_TEXT_CHARS = 8
#: Height / width of an A4 sheet.
A4_RATIO = 297 / 210
#: Largest image side handed to OCR (bigger photos are scaled down first).
MAX_SIDE = 2400


@dataclass(frozen=True, slots=True)
class PdfPage:
    """One PDF page: its text-layer lines (empty when it has none), scaled to ``dpi``."""

    index: int
    width: int
    height: int
    lines: tuple[Line, ...]
    image: Image.Image | None


def _open_pdf(data: bytes, name: str) -> Any:
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        text = str(exc)
        if "password" in text.lower():
            raise UnreadableFile(name, "文件已加密，请先解除密码保护", "the file is encrypted") from exc
        raise UnreadableFile(name, "不是有效的 PDF 文件", "not a valid PDF file") from exc


def pdf_page_count(data: bytes, name: str) -> int:
    """Pages in the PDF ``data``; :class:`UnreadableFile` when it cannot be opened."""
    pdf = _open_pdf(data, name)
    try:
        return len(pdf)
    finally:
        pdf.close()


def pdf_pages(data: bytes, name: str, *, dpi: int = RENDER_DPI,
              images: bool = True) -> Iterator[PdfPage]:
    """Each page of the PDF: text-layer lines in ``dpi`` pixels, and the page rendered at
    ``dpi`` (always for pages without text; for text pages only when ``images``)."""
    pdf = _open_pdf(data, name)
    try:
        scale = dpi / 72.0
        for i in range(len(pdf)):
            page = pdf[i]
            try:
                w_pt, h_pt = page.get_size()
                lines = _text_lines(page, i, scale, h_pt)
                image = None
                if images or not lines:
                    image = page.render(scale=scale).to_pil().convert("RGB")
                yield PdfPage(i, round(w_pt * scale), round(h_pt * scale), tuple(lines), image)
            finally:
                page.close()
    finally:
        pdf.close()


def text_usable(text: str) -> bool:
    """True when a page's text layer is real text: enough characters, and not mostly
    private-use, replacement or control characters (a font without a ToUnicode map, or
    a scanner's broken OCR layer), which are then read by OCR instead."""
    chars = [ch for ch in text if not ch.isspace()]
    if len(chars) < MIN_TEXT_CHARS:
        return False
    bad = sum(1 for ch in chars if ch == "\ufffd" or unicodedata.category(ch) in ("Co", "Cc", "Cn", "Cs"))
    return bad <= 0.2 * len(chars)


def _text_lines(page: Any, index: int, scale: float, h_pt: float) -> list[Line]:
    textpage = page.get_textpage()
    try:
        if not text_usable(textpage.get_text_range()):
            return []
        out: list[Line] = []
        for k in range(textpage.count_rects()):
            left, bottom, right, top = textpage.get_rect(k)
            text = textpage.get_text_bounded(left, bottom, right, top).strip()
            if not text:
                continue
            out.append(Line(text, 1.0, Box(index, left * scale, (h_pt - top) * scale,
                                           right * scale, (h_pt - bottom) * scale)))
        return out
    finally:
        textpage.close()


def image_frames(data: bytes, name: str) -> list[Image.Image]:
    """The frames of an image file (several for a multi-page TIFF), upright by their EXIF
    orientation, in RGB. :class:`UnreadableFile` when it is not a readable image."""
    try:
        img = Image.open(io.BytesIO(data))
        frames: list[Image.Image] = []
        for k in range(getattr(img, "n_frames", 1)):
            img.seek(k)
            frame = ImageOps.exif_transpose(img.copy())
            frames.append(frame.convert("RGB"))
        return frames
    except (OSError, ValueError, Image.DecompressionBombError, SyntaxError) as exc:
        raise UnreadableFile(name, "图片已损坏或格式无法识别", "the image is damaged or of an unknown format") from exc


def png_bytes(image: Any) -> bytes:
    """``image`` (PIL or an RGB numpy array) as PNG bytes."""
    pil = image if isinstance(image, Image.Image) else Image.fromarray(image)
    buf = io.BytesIO()
    pil.save(buf, format="PNG", compress_level=3)
    return buf.getvalue()


# --- straightening (OpenCV) -------------------------------------------------------------


def _order_corners(pts: Any) -> Any:
    import numpy as np

    pts = pts.reshape(4, 2).astype("float32")
    s = pts.sum(axis=1)
    d = np.diff(pts, axis=1).reshape(-1)
    return np.array([pts[np.argmin(s)], pts[np.argmin(d)], pts[np.argmax(s)], pts[np.argmax(d)]],
                    dtype="float32")


def find_sheet(gray: Any) -> Any | None:
    """The four corners (tl, tr, br, bl) of a sheet of paper lighter than its background,
    or None when the image is the page itself (a scan) or no sheet is found."""
    import cv2
    import numpy as np

    h, w = gray.shape[:2]
    k = 800.0 / max(h, w)
    small = cv2.resize(gray, (max(1, int(w * k)), max(1, int(h * k))), interpolation=cv2.INTER_AREA)
    small = cv2.GaussianBlur(small, (5, 5), 0)
    _, mask = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((15, 15), np.uint8))
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    c = max(contours, key=cv2.contourArea)
    area = cv2.contourArea(c)
    total = small.shape[0] * small.shape[1]
    if area < 0.2 * total:
        return None
    hull = cv2.convexHull(c)
    peri = cv2.arcLength(hull, True)
    quad = None
    for eps in (0.01, 0.02, 0.03, 0.05):
        approx = cv2.approxPolyDP(hull, eps * peri, True)
        if len(approx) == 4:
            quad = approx
            break
    if quad is None:
        return None
    corners = _order_corners(quad) / k
    # A sheet that already fills the frame squarely needs no warp.
    margin = 0.02 * max(h, w)
    frame = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype="float32")
    if float(np.abs(corners - frame).max()) < margin:
        return None
    return corners


def warp_sheet(image: Any, corners: Any) -> Any:
    """``image`` cut to the quadrilateral ``corners`` and warped to a rectangle."""
    import cv2
    import numpy as np

    tl, tr, br, bl = corners
    width = int(max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl)))
    height = int(max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr)))
    # The edge lengths of a sheet seen at an angle do not give its true proportions
    # (foreshortening). Incoming 公文 are A4: a sheet within 15% of A4's ratio is
    # taken to be A4 (portrait or landscape).
    for a4 in (A4_RATIO, 1 / A4_RATIO):
        if width and abs(height / width - a4) / a4 < 0.15:
            height = round(width * a4)
            break
    dst = np.array([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], dtype="float32")
    m = cv2.getPerspectiveTransform(corners.astype("float32"), dst)
    return cv2.warpPerspective(image, m, (width, height), flags=cv2.INTER_CUBIC,
                               borderMode=cv2.BORDER_REPLICATE)


def flatten_light(image: Any) -> Any:
    """Uneven lighting removed: each channel divided by its smooth background, so paper is
    white and ink keeps its colour (the red 标志 stays red)."""
    import cv2
    import numpy as np

    h, w = image.shape[:2]
    k = max(15, (min(h, w) // 20) | 1)
    out = np.empty_like(image)
    for c in range(image.shape[2]):
        ch = image[:, :, c]
        bg = cv2.morphologyEx(ch, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
        bg = cv2.GaussianBlur(bg, (k, k), 0)
        out[:, :, c] = np.clip(ch.astype("float32") / np.maximum(bg, 1).astype("float32") * 255.0,
                               0, 255).astype("uint8")
    return out


def _uneven(gray: Any) -> bool:
    import cv2
    import numpy as np

    small = cv2.resize(gray, (64, 64), interpolation=cv2.INTER_AREA)
    bg = cv2.dilate(small, np.ones((3, 3), np.uint8), iterations=3)
    return float(bg.max()) - float(bg.min()) > 40


def skew_angle(gray: Any, max_deg: float = 10.0) -> float:
    """The rotation (degrees, counter-clockwise positive as in OpenCV) that makes the text
    lines of ``gray`` horizontal: the angle whose rotated row profile is sharpest."""
    import cv2
    import numpy as np

    h, w = gray.shape[:2]
    k = 1000.0 / max(h, w)
    small = cv2.resize(gray, (max(1, int(w * k)), max(1, int(h * k))), interpolation=cv2.INTER_AREA)
    ink = cv2.adaptiveThreshold(small, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 25, 15)
    if int(ink.sum()) == 0:
        return 0.0
    sh, sw = ink.shape
    centre = (sw / 2, sh / 2)

    def score(angle: float) -> float:
        m = cv2.getRotationMatrix2D(centre, angle, 1.0)
        rot = cv2.warpAffine(ink, m, (sw, sh), flags=cv2.INTER_NEAREST, borderValue=0)
        profile = rot.sum(axis=1, dtype=np.float64)
        return float(np.square(np.diff(profile)).sum())

    best = max(np.arange(-max_deg, max_deg + 0.01, 0.5), key=score)
    fine = max(np.arange(best - 0.5, best + 0.51, 0.1), key=score)
    return float(round(fine, 2))


def rotate(image: Any, angle: float) -> Any:
    """``image`` rotated by ``angle`` degrees about its centre, canvas grown to fit, the
    new corners filled with white."""
    import cv2
    import numpy as np

    h, w = image.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    cos, sin = abs(m[0, 0]), abs(m[0, 1])
    nw, nh = int(h * sin + w * cos), int(h * cos + w * sin)
    m[0, 2] += nw / 2 - w / 2
    m[1, 2] += nh / 2 - h / 2
    fill = (255,) * (image.shape[2] if image.ndim == 3 else 1)
    return cv2.warpAffine(image, m, (nw, nh), flags=cv2.INTER_CUBIC, borderValue=fill).astype(np.uint8)


def drop_red(image: Any, *, from_y: int = 0) -> Any:
    """A copy of the RGB array ``image`` with red ink (seals, the red separator line)
    turned to paper white below row ``from_y``, as a scanner's red drop-out does: the
    characters of a seal then do not mix with the 署名 and the date it is pressed on.
    Black text under the seal stays (ink multiplies, so it is still dark)."""
    import numpy as np

    out = image.copy()
    part = out[from_y:].astype(np.int16)
    r, g, b = part[:, :, 0], part[:, :, 1], part[:, :, 2]
    # where red dominates, lighten by how red the pixel is: seal ink and its pink
    # edges turn white, black (and the black text under the seal) stays dark
    excess = r - np.maximum(g, b)
    red = (excess > 10) & (r > 120)  # dark pixels tinted red are text under the seal
    grey = np.clip(r + 2 * excess, 0, 255).astype(np.uint8)
    view = out[from_y:]
    view[red] = grey[red][:, None]
    return out


def straighten(image: Image.Image, *, photo: bool) -> tuple[Any, list[str]]:
    """``image`` ready for OCR as an RGB numpy array, and notes of what was done
    ("perspective", "lighting", "deskew:<deg>"). ``photo`` enables the sheet search and
    the lighting correction (scans rendered from a PDF need neither)."""
    import cv2
    import numpy as np

    arr = np.asarray(image.convert("RGB"))
    h, w = arr.shape[:2]
    if max(h, w) > MAX_SIDE:
        k = MAX_SIDE / max(h, w)
        arr = cv2.resize(arr, (int(w * k), int(h * k)), interpolation=cv2.INTER_AREA)
    notes: list[str] = []
    gray = cv2.cvtColor(arr, cv2.COLOR_RGB2GRAY)
    if photo:
        corners = find_sheet(gray)
        if corners is not None:
            arr = warp_sheet(arr, corners)
            notes.append("perspective")
            gray = cv2.cvtColor(arr, cv2.COLOR_RGB2GRAY)
        if _uneven(gray):
            arr = flatten_light(arr)
            notes.append("lighting")
            gray = cv2.cvtColor(arr, cv2.COLOR_RGB2GRAY)
    angle = skew_angle(gray)
    if abs(angle) >= 0.2:
        arr = rotate(arr, angle)
        notes.append(f"deskew:{angle:g}")
    return np.ascontiguousarray(arr), notes
