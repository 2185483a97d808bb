"""Test material for intake: documents the project renders itself, turned into scans,
photos, .docx and .ofd files, and what a correct reading of each must give.

Shared by tests/documents_intake and bench/bench_intake.py.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any
from xml.sax.saxutils import escape

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

from modules.common.fonts import font_path
from modules.documents.render import render_pdf
from modules.documents.rules import parse_spec

FILLER = "为进一步提升政务数据共享质量，现就有关事项通知如下，请结合实际认真抓好落实，确保各项工作按期完成。"


def notice(**over: Any) -> dict[str, Any]:
    """A one-page 通知 with 紧急程度, a seal, two attachments and a 版记."""
    data: dict[str, Any] = {
        "doc_type": "通知",
        "issuer_mark": "广州市政务服务数据管理局文件",
        "doc_number": "穗政数〔2026〕15号",
        "title": "关于开展政务数据共享质量专项检查的通知",
        "urgency": "加急",
        "recipients": "各区政务服务数据管理局，市直有关单位",
        "body": [FILLER],
        "attachments": ["检查内容清单", "联系人名单"],
        "signature": "广州市政务服务数据管理局",
        "date": "2026-03-05",
        "sealed": True,
        "cc": "市政府办公厅",
        "printer": "广州市政务服务数据管理局办公室",
        "print_date": "2026-03-06",
    }
    data.update(over)
    return data


def expected(spec: dict[str, Any], pages: int) -> dict[str, str]:
    """The value every field must have when ``spec``'s rendering is read correctly."""
    parsed = parse_spec(spec)
    if parsed.issuer_mark.endswith("令"):
        issuer = parsed.issuer_mark[:-1]
    elif parsed.all_signatures:
        issuer = "、".join(parsed.all_signatures)
    elif parsed.joint_issuers:
        issuer = "、".join(parsed.joint_issuers)
    else:
        issuer = parsed.issuer_mark.removesuffix("文件")
    number = parsed.doc_number or (parsed.order_number if parsed.issuer_mark.endswith("令") else "")
    title = parsed.title or (parsed.issuer_mark if parsed.issuer_mark.endswith("纪要") else "")
    date = parsed.date.isoformat() if isinstance(parsed.date, dt.date) else ""
    return {
        "issuer": issuer,
        "doc_number": number,
        "title": title,
        "date": date,
        "classification": "",
        "urgency": parsed.urgency,
        "addressees": parsed.recipients,
        "attachments": "\n".join(a.name for a in parsed.attachments),
        "page_count": str(pages),
    }


def render(spec: dict[str, Any]) -> tuple[bytes, int]:
    """``spec`` rendered by the project's own renderer: the PDF and its page count."""
    result = render_pdf(spec, invariant=True)
    return result.pdf, result.pages


def seal_anchors(spec: dict[str, Any]) -> list[tuple[int, float, float, float, float]]:
    """Where the renderer leaves room for each seal: ``(page, x, y, w, h)`` in PDF points."""
    return list(render_pdf(spec, invariant=True).seal_anchors)


def press_seal(img: Image.Image, anchor: tuple[int, float, float, float, float], dpi: int,
               name: str = "广州市政务服务数据管理局") -> Image.Image:
    """A red round seal (ring, star, the body's name) pressed on the page image where the
    renderer reserved it — over the 署名 and the date, as on a real signed copy."""
    _, x, y, w, h = anchor
    k = dpi / 72
    page_h = img.height / k
    cx, cy, r = (x + w / 2) * k, (page_h - y - h / 2) * k, min(w, h) / 2 * k
    layer = Image.new("RGBA", img.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    red = (225, 40, 40, 255)
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=red, width=max(2, int(r * 0.06)))
    star = [(cx + (r * 0.28 if i % 2 == 0 else r * 0.11) * np.sin(i * np.pi / 5),
             cy - (r * 0.28 if i % 2 == 0 else r * 0.11) * np.cos(i * np.pi / 5)) for i in range(10)]
    draw.polygon(star, fill=red)
    font = ImageFont.truetype(str(font_path("songti")), max(8, int(r * 0.22)))
    n = len(name)
    for i, ch in enumerate(name):
        a = np.pi * (-0.75 + 1.5 * i / max(1, n - 1))
        px, py = cx + r * 0.75 * np.sin(a), cy - r * 0.75 * np.cos(a)
        draw.text((px, py), ch, fill=red, font=font, anchor="mm")
    # ink multiplies: black text under the seal stays black, paper turns red
    ink = Image.new("RGB", img.size, (255, 255, 255))
    ink.paste(layer.convert("RGB"), mask=layer.getchannel("A"))
    return ImageChops.multiply(img.convert("RGB"), ink)


def rasterise(pdf: bytes, dpi: int) -> list[Image.Image]:
    """Each page of ``pdf`` as an RGB image at ``dpi`` (what a scanner gives)."""
    doc = pdfium.PdfDocument(pdf)
    try:
        return [doc[i].render(scale=dpi / 72).to_pil().convert("RGB") for i in range(len(doc))]
    finally:
        doc.close()


def degrade(img: Image.Image, *, angle: float = 0.0, noise: float = 0.0, blur: float = 0.0,
            seed: int = 0) -> Image.Image:
    """A worse scan: rotated by ``angle`` degrees (white corners), blurred, with grey
    noise of standard deviation ``noise`` (0..255)."""
    out = img
    if angle:
        out = out.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor="white")
    if blur:
        out = out.filter(ImageFilter.GaussianBlur(blur))
    if noise:
        rng = np.random.default_rng(seed)
        arr = np.asarray(out).astype(np.float32)
        arr += rng.normal(0, noise, arr.shape[:2])[:, :, None]
        out = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
    return out


def warp(img: Image.Image, corners: list[tuple[float, float]], size: tuple[int, int],
         background: tuple[int, int, int] = (255, 255, 255)) -> Image.Image:
    """``img`` mapped onto the quadrilateral ``corners`` (tl, tr, br, bl, as fractions
    of ``size``) of a new image of ``size`` filled with ``background``."""
    import cv2

    w, h = img.size
    src = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float32)
    dst = np.array([[x * size[0], y * size[1]] for x, y in corners], dtype=np.float32)
    m = cv2.getPerspectiveTransform(src, dst)
    out = cv2.warpPerspective(np.asarray(img), m, size, flags=cv2.INTER_AREA,
                              borderMode=cv2.BORDER_CONSTANT, borderValue=background)
    return Image.fromarray(out)


def photograph(img: Image.Image, *, seed: int = 1) -> Image.Image:
    """A phone photo of the printed page: on a dark desk, seen at an angle (perspective),
    lit from one side (brightness falling to ~55% across the sheet), slightly soft,
    with sensor noise. About 2400 px high, like a 12 MP phone picture scaled down."""
    w, h = img.size
    k = 2400 / h
    page = img.resize((int(w * k), int(h * k)), Image.Resampling.LANCZOS)
    size = (int(page.width * 1.25), int(page.height * 1.12))
    shot = warp(page, [(0.12, 0.05), (0.90, 0.03), (0.95, 0.97), (0.06, 0.93)], size,
                background=(60, 52, 45))
    arr = np.asarray(shot).astype(np.float32)
    yy, xx = np.mgrid[0:size[1], 0:size[0]]
    light = 1.0 - 0.45 * (xx / size[0]) * (0.6 + 0.4 * yy / size[1])
    arr *= light[:, :, None]
    rng = np.random.default_rng(seed)
    arr += rng.normal(0, 4, arr.shape)
    out = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
    return out.filter(ImageFilter.GaussianBlur(0.8))


def pdf_of(images: list[Image.Image], dpi: int) -> bytes:
    """An image-only PDF (no text layer) of ``images``: a scanner's output."""
    buf = io.BytesIO()
    images[0].save(buf, format="PDF", save_all=True, append_images=images[1:], resolution=dpi)
    return buf.getvalue()


def jpeg(img: Image.Image, quality: int = 88) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=quality)
    return buf.getvalue()


def stamp_marking(img: Image.Image, text: str, dpi: int) -> Image.Image:
    """``img`` with ``text`` (a 密级 marking such as 机密★1年) printed where GB/T 9704
    puts it: flush left on the first header line, 3号黑体. The renderer itself refuses
    classified documents, so the marking is added to the scan."""
    out = img.copy()
    px = dpi / 72
    font = ImageFont.truetype(str(font_path("heiti")), int(16 * px))
    draw = ImageDraw.Draw(out)
    mm = dpi / 25.4
    draw.text((28 * mm, 37 * mm - 2 * 16 * px * 1.8), text, fill=(0, 0, 0), font=font)
    return out


def build_docx(spec: dict[str, Any]) -> bytes:
    """A Word file laid out like the 公文 ``spec`` (as a clerk types one): centred red
    标志 and title in large type, the 发文字号 centred, the 主送 flush left with a colon,
    the body indented, 附件说明, 署名 and date on the right, the 版记 in a table."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    parsed = parse_spec(spec)
    d = docx.Document()

    def para(text: str, size: float = 16, align: Any = None, red: bool = False,
             first_indent: float = 0.0) -> None:
        p = d.add_paragraph()
        run = p.add_run(text)
        run.font.size = Pt(size)
        if red:
            run.font.color.rgb = RGBColor(0xE0, 0, 0)
        if align is not None:
            p.alignment = align
        if first_indent:
            p.paragraph_format.first_line_indent = Pt(first_indent)

    if parsed.urgency:
        para(parsed.urgency)
    para(parsed.issuer_mark, 36, WD_ALIGN_PARAGRAPH.CENTER, red=True)
    para("")
    para(parsed.doc_number, 16, WD_ALIGN_PARAGRAPH.CENTER)
    para("")
    para(parsed.title, 22, WD_ALIGN_PARAGRAPH.CENTER)
    para("")
    para(parsed.recipients + "：")
    for body in parsed.body:
        para(body.text, 16, first_indent=32)
    para("")
    if parsed.attachments:
        names = [a.name for a in parsed.attachments]
        para(f"附件：1. {names[0]}", first_indent=32)
        for i, name in enumerate(names[1:], 2):
            para(f"{i}. {name}", first_indent=80)
    para("")
    para(parsed.signature, 16, WD_ALIGN_PARAGRAPH.RIGHT)
    if parsed.date:
        para(f"{parsed.date.year}年{parsed.date.month}月{parsed.date.day}日", 16, WD_ALIGN_PARAGRAPH.RIGHT)
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text = f"抄送：{parsed.cc}。"
    table.cell(0, 1).text = ""
    table.cell(1, 0).text = parsed.printer
    if parsed.print_date:
        pd = parsed.print_date
        table.cell(1, 1).text = f"{pd.year}年{pd.month}月{pd.day}日印发"
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def build_ofd(pages: list[list[tuple[str, float, float, float]]],
              template: list[tuple[str, float, float, float]] | None = None) -> bytes:
    """A minimal valid OFD (GB/T 33190) package: one document, A4 pages, each text
    ``(text, x_mm, baseline_y_mm, size_mm)`` as a TextObject with one TextCode.
    ``template``: texts of a template page (TemplatePage) every page refers to."""
    ns = "http://www.ofdspec.org/2016"
    files: dict[str, str] = {
        "OFD.xml": (f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="{ns}" Version="1.0" '
                    'DocType="OFD"><ofd:DocBody><ofd:DocInfo><ofd:DocID>0123456789abcdef</ofd:DocID>'
                    '</ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>'),
    }
    page_refs = "".join(f'<ofd:Page ID="{10 + i}" BaseLoc="Pages/Page_{i}/Content.xml"/>'
                        for i in range(len(pages)))
    files["Doc_0/Document.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="{ns}"><ofd:CommonData>'
        '<ofd:MaxUnitID>999</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox>'
        '</ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes>'
        + ('<ofd:TemplatePage ID="5" BaseLoc="Tpls/Tpl_0/Content.xml"/>' if template else "")
        + '</ofd:CommonData>'
        f'<ofd:Pages>{page_refs}</ofd:Pages></ofd:Document>')
    files["Doc_0/PublicRes.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:Res xmlns:ofd="{ns}" BaseLoc="Res"><ofd:Fonts>'
        '<ofd:Font ID="1" FontName="仿宋" FamilyName="仿宋"/></ofd:Fonts></ofd:Res>')
    def text_objects(texts: list[tuple[str, float, float, float]], first_id: int) -> str:
        objs = []
        for k, (text, x, y, size) in enumerate(texts):
            width = size * len(text)
            deltas = f'g {len(text) - 1} {size:g}' if len(text) > 1 else ""
            objs.append(
                f'<ofd:TextObject ID="{first_id + k}" Boundary="{x:g} {y - size:g} {width:g} {size * 1.2:g}" '
                f'Font="1" Size="{size:g}"><ofd:TextCode X="0" Y="{size:g}"'
                + (f' DeltaX="{deltas}"' if deltas else "") + f'>{escape(text)}</ofd:TextCode></ofd:TextObject>')
        return "".join(objs)

    if template:
        files["Doc_0/Tpls/Tpl_0/Content.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="{ns}"><ofd:Content>'
            f'<ofd:Layer ID="40">{text_objects(template, 600)}</ofd:Layer></ofd:Content></ofd:Page>')
    for i, texts in enumerate(pages):
        tpl = '<ofd:Template TemplateID="5" ZOrder="Background"/>' if template else ""
        files[f"Doc_0/Pages/Page_{i}/Content.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="{ns}">{tpl}<ofd:Content>'
            f'<ofd:Layer ID="{50 + i}">{text_objects(texts, 100 + 100 * i)}</ofd:Layer></ofd:Content></ofd:Page>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in files.items():
            z.writestr(name, text.encode("utf-8"))
    return buf.getvalue()


def ofd_notice(spec: dict[str, Any], *, header_in_template: bool = False) -> bytes:
    """``spec`` as a one-page OFD in the GB/T 9704 layout (millimetres on A4);
    ``header_in_template``: the 版头 (urgency, 标志, 发文字号) on a template page."""
    p = parse_spec(spec)
    left, right = 28.0, 184.0
    cx = (left + right) / 2
    s3, s2 = 16 * 25.4 / 72, 22 * 25.4 / 72

    def centred(text: str, y: float, size: float) -> tuple[str, float, float, float]:
        return (text, cx - size * len(text) / 2, y, size)

    def right_al(text: str, y: float, size: float = s3) -> tuple[str, float, float, float]:
        return (text, right - 4 * s3 - size * len(text), y, size)

    rows: list[tuple[str, float, float, float]] = []
    if p.urgency:
        rows.append((p.urgency, left, 30.0, s3))
    rows.append(centred(p.issuer_mark, 60.0, 12.0))
    rows.append(centred(p.doc_number, 80.0, s3))
    rows.append(centred(p.title, 100.0, s2))
    rows.append((p.recipients + "：", left, 115.0, s3))
    y = 125.0
    for para in p.body:
        text = para.text
        first = True
        while text:
            n = 26 if first else 28
            rows.append((text[:n], left + (2 * s3 if first else 0), y, s3))
            text, first, y = text[n:], False, y + 10.2
    y += 10.2
    for i, a in enumerate(p.attachments, 1):
        label = "附件：" if i == 1 else ""
        x = left + 2 * s3 + (0 if i == 1 else 3 * s3)
        rows.append((f"{label}{i}. {a.name}", x, y, s3))
        y += 10.2
    y += 20
    rows.append(right_al(p.signature, y))
    if p.date:
        rows.append(right_al(f"{p.date.year}年{p.date.month}月{p.date.day}日", y + 10.2))
    rows.append((f"抄送：{p.cc}。", left + 5, 260.0, 14 * 25.4 / 72))
    if p.print_date:
        pd = p.print_date
        rows.append((p.printer, left + 5, 270.0, 14 * 25.4 / 72))
        rows.append((f"{pd.year}年{pd.month}月{pd.day}日印发", right - 55, 270.0, 14 * 25.4 / 72))
    if header_in_template:
        head = len(rows) - len([r for r in rows if r[2] >= 100.0])
        return build_ofd([rows[head:]], template=rows[:head])
    return build_ofd([rows])
