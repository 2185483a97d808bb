"""OFD (GB/T 33190-2016) documents: the text layer read with a small parser of our own.

An OFD file is a ZIP: ``OFD.xml`` names the document root (``DocBody/DocRoot``), whose
``Document.xml`` lists the pages (``Pages/Page/@BaseLoc``) and the default page area
(``CommonData/PageArea/PhysicalBox``, millimetres). Each page's ``Content.xml`` holds
layers of ``TextObject`` elements (``Boundary="x y w h"``, ``Size``) with ``TextCode``
runs (``X``/``Y`` baseline offsets inside the boundary, ``DeltaX`` advances). Text is
placed at 200 dpi so the same layout rules as for scans apply. Images, paths, seals
(signatures) and fonts are not needed for intake and are ignored. Standard library
only (no AGPL reader).
"""

from __future__ import annotations

import contextlib
import io
import posixpath
import re
import zipfile
from xml.etree import ElementTree as ET

from modules.documents.intake.errors import UnreadableFile
from modules.documents.intake.model import Box, Line

DPI = 200
MM = DPI / 25.4
#: Largest XML part read (a guard against zip bombs).
MAX_PART = 32 * 1024 * 1024


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _find(el: ET.Element, name: str) -> ET.Element | None:
    for child in el.iter():
        if _local(child.tag) == name:
            return child
    return None


def _floats(text: str | None) -> list[float]:
    try:
        return [float(v) for v in (text or "").split()]
    except ValueError:
        return []


def _deltas(text: str | None) -> list[float]:
    """``DeltaX`` values, expanding the ``g n d`` (n times d) shorthand."""
    out: list[float] = []
    parts = (text or "").split()
    i = 0
    while i < len(parts):
        if parts[i] == "g" and i + 2 < len(parts):
            with contextlib.suppress(ValueError):
                out.extend([float(parts[i + 2])] * int(parts[i + 1]))
            i += 3
            continue
        with contextlib.suppress(ValueError):
            out.append(float(parts[i]))
        i += 1
    return out


class _Zip:
    def __init__(self, data: bytes, name: str) -> None:
        self.name = name
        try:
            self.z = zipfile.ZipFile(io.BytesIO(data))
        except zipfile.BadZipFile as exc:
            raise UnreadableFile(name, "不是有效的 OFD 文件", "not a valid OFD file") from exc
        self.names = {n.lstrip("/"): n for n in self.z.namelist()}

    def xml(self, path: str) -> ET.Element:
        key = posixpath.normpath(path.lstrip("/"))
        real = self.names.get(key)
        if real is None:
            raise UnreadableFile(self.name, f"OFD 文件缺少 {key}", f"the OFD file lacks {key}")
        info = self.z.getinfo(real)
        if info.file_size > MAX_PART:
            raise UnreadableFile(self.name, "OFD 文件内容过大", "a part of the OFD file is too large")
        try:
            return ET.fromstring(self.z.read(real))
        except (ET.ParseError, zipfile.BadZipFile, RuntimeError) as exc:
            raise UnreadableFile(self.name, f"OFD 文件的 {key} 已损坏", f"{key} in the OFD file is damaged") from exc


def _resolve(base_dir: str, loc: str) -> str:
    loc = loc.strip()
    if loc.startswith("/"):
        return loc.lstrip("/")
    return posixpath.normpath(posixpath.join(base_dir, loc))


def read_ofd(data: bytes, name: str) -> list[tuple[int, int, list[Line]]]:
    """The pages ``[(width, height, lines)]`` of the OFD ``data`` (first document), in
    200-dpi pixels. :class:`UnreadableFile` when it is not a readable OFD."""
    z = _Zip(data, name)
    root = z.xml("OFD.xml")
    doc_root_el = _find(root, "DocRoot")
    if doc_root_el is None or not (doc_root_el.text or "").strip():
        raise UnreadableFile(name, "OFD 文件缺少 DocRoot", "the OFD file lacks a DocRoot")
    doc_path = _resolve("", doc_root_el.text or "")
    doc_dir = posixpath.dirname(doc_path)
    document = z.xml(doc_path)
    default_box = [0.0, 0.0, 210.0, 297.0]
    common = _find(document, "CommonData")
    if common is not None:
        pb = _find(common, "PhysicalBox")
        if pb is not None and len(_floats(pb.text)) == 4:
            default_box = _floats(pb.text)
    templates: dict[str, str] = {}
    if common is not None:
        for tpl in common:
            if _local(tpl.tag) == "TemplatePage" and tpl.get("ID") and tpl.get("BaseLoc"):
                templates[tpl.get("ID") or ""] = _resolve(doc_dir, tpl.get("BaseLoc") or "")
    pages_el = _find(document, "Pages")
    out: list[tuple[int, int, list[Line]]] = []
    if pages_el is None:
        return out
    for page_el in [p for p in pages_el if _local(p.tag) == "Page"]:
        loc = page_el.get("BaseLoc") or ""
        if not loc:
            continue
        page_path = _resolve(doc_dir, loc)
        content = z.xml(page_path)
        box = default_box
        area = _find(content, "PhysicalBox")
        if area is not None and len(_floats(area.text)) == 4:
            box = _floats(area.text)
        index = len(out)
        # text of the page's templates (a 版头 is often drawn there), then its own
        parts = [z.xml(templates[t.get("TemplateID") or ""]) for t in content
                 if _local(t.tag) == "Template" and (t.get("TemplateID") or "") in templates]
        lines = [ln for part in (*parts, content) for ln in _text_objects(part, box, index)]
        out.append((round(box[2] * MM), round(box[3] * MM), lines))
    return out


def _num(value: str | None, default: float) -> float:
    try:
        return float(value) if value not in (None, "") else default
    except ValueError:
        return default


def _text_objects(content: ET.Element, box: list[float], index: int) -> list[Line]:
    """The TextObjects of one page content (or template) as lines in 200-dpi pixels."""
    lines: list[Line] = []
    for obj in content.iter():
        if _local(obj.tag) != "TextObject":
            continue
        bnd = _floats(obj.get("Boundary"))
        if len(bnd) != 4:
            continue
        size = _num(obj.get("Size"), 3.5)
        bx, by = bnd[0] - box[0], bnd[1] - box[1]
        x_cur, y_cur = 0.0, size
        for code in obj:
            if _local(code.tag) != "TextCode":
                continue
            text = code.text or ""
            x_cur = _num(code.get("X"), x_cur)
            y_cur = _num(code.get("Y"), y_cur)
            if not text.strip():
                continue
            deltas = _deltas(code.get("DeltaX"))
            advance = sum(deltas[:max(0, len(text) - 1)]) + size if deltas else size * len(text)
            x0, base = bx + x_cur, by + y_cur
            lines.append(Line(re.sub(r"\s+", " ", text).strip(), 1.0,
                              Box(index, x0 * MM, (base - size * 0.88) * MM,
                                  (x0 + advance) * MM, (base + size * 0.12) * MM)))
            x_cur += advance
    return lines
