"""Stamping (加盖电子印章): a PAdES signature with a visible seal, through pyHanko.

:func:`stamp_pdf` appends one incremental update to the PDF holding a signature field
whose appearance is the seal picture (:mod:`modules.seals.pdf.image`), optionally with a
verification QR code beside it, and optionally a 骑缝章 (riding seal) split across the
right edges of all pages. Every earlier signature stays valid: nothing already signed is
rewritten, and the update only adds what pyHanko's difference analysis accepts for a new
signature.

Placement, in PDF points (1/72 in) with the origin at the page's lower-left corner:

* ``anchor`` (official documents, 公文): the rectangle of the 发文机关署名 + 成文日期
  block, given by the document renderer. The seal is centred horizontally on it and its
  centre sits :data:`ANCHOR_CENTRE_LIFT` points above the block's top edge, so the
  署名 and date sit just below the seal's centre ("居中下压"), upright.
* ``box``: a rectangle the seal is centred in, at its real size (shrunk only if the box
  is smaller). Two uses: the rectangle the user dragged on any PDF, and the seal square
  that the GB/T 9704 renderer reports (``RenderResult.seal_anchor`` is
  ``(page, x, y, w, h)`` of the square whose centre is where the seal's centre goes,
  with a 1-based page: pass ``box=rect_from_render_anchor(result.seal_anchor)``).

The signing time is the caller's (the server clock) and goes into the signature
dictionary's ``/M``; with a timestamper (URL or pyHanko ``TimeStamper``) an RFC 3161
token is added (PAdES B-T).

CPU-bound (hashing, signing) and may block on the signer or the time-stamp server: call
off the GUI thread. Thread-safe: no shared mutable state.
"""

from __future__ import annotations

import binascii
import datetime as dt
import hashlib
import io
import uuid
from dataclasses import dataclass
from typing import Any

from pyhanko.pdf_utils import generic, layout
from pyhanko.pdf_utils.content import PdfContent
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.layout import BoxConstraints
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.writer import BasePdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.fields import SigFieldSpec, SigSeedSubFilter
from pyhanko.sign.signers.pdf_signer import PdfSigningSession
from pyhanko.sign.timestamps.api import TimeStamper
from pyhanko.stamp import StaticStampStyle

from modules.common.errors import ValidationFailed
from modules.common.messages import register
from modules.seals.crypto.ses import SesStamp, make_ses_signature, pdf_property_info
from modules.seals.crypto.signer import PyHankoSignerAdapter, Signer
from modules.seals.pdf.image import (
    OfficialSealLook,
    PersonalSealLook,
    SealLook,
    seal_pdf,
    stamp_appearance,
)
from modules.seals.rules import Seal, SealType

register(
    {
        "seal.pdf_invalid": {
            "zh_CN": "文件不是有效的 PDF，无法加盖印章：{detail}",
            "en": "The file is not a valid PDF and cannot be stamped: {detail}",
        },
        "seal.pdf_encrypted": {
            "zh_CN": "加密的 PDF 不能加盖电子印章，请先解除加密。",
            "en": "An encrypted PDF cannot be stamped; remove the encryption first.",
        },
        "seal.page_out_of_range": {
            "zh_CN": "页码 {page} 超出范围（文件共 {pages} 页）。",
            "en": "Page {page} is out of range (the file has {pages} pages).",
        },
        "seal.placement_required": {
            "zh_CN": "请指定盖章位置（落款区域或盖章框），且只能指定一种。",
            "en": "Give exactly one placement: the signature-block anchor or a box.",
        },
        "seal.box_outside_page": {
            "zh_CN": "盖章位置超出页面范围。",
            "en": "The seal position lies outside the page.",
        },
        "seal.box_too_small": {
            "zh_CN": "盖章框太小（至少 {min} 点见方）。",
            "en": "The seal box is too small (at least {min} points square).",
        },
        "seal.riding_needs_pages": {
            "zh_CN": "骑缝章需要至少两页的文件。",
            "en": "A riding seal needs a document of at least two pages.",
        },
        "seal.riding_must_be_first": {
            "zh_CN": "骑缝章须在文件的第一个印章时一并加盖（文件已有签章，再改动各页会使其失效）。",
            "en": "A riding seal must come with the document's first seal (changing the pages now would invalidate the existing signatures).",
        },
        "seal.pdf_locked": {
            "zh_CN": "该文件已由作者签名锁定，不允许任何改动，不能再加盖印章。",
            "en": "The document's author signature forbids any change; it cannot be stamped.",
        },
        "seal.signing_time_naive": {
            "zh_CN": "签章时间须带时区。",
            "en": "The signing time needs a time zone.",
        },
        "seal.timestamp_failed": {
            "zh_CN": "无法从时间戳服务器取得时间戳：{detail}",
            "en": "No time stamp could be obtained from the time-stamp server: {detail}",
        },
    }
)

#: How far (points) the seal's centre sits above the top of the 署名/date block.
ANCHOR_CENTRE_LIFT = 4.0
MIN_BOX = 36.0
#: Key in the signature field dictionary holding the GB/T 38540 SES_Signature (DER).
SES_KEY = "/SES_Signature"
RIDING_SEAL_DIAMETER_MM = 40.0


@dataclass(frozen=True)
class Rect:
    """A rectangle on one page, in PDF points; ``page`` is 0-based."""

    page: int
    x: float
    y: float
    w: float
    h: float


def rect_from_render_anchor(anchor: tuple[int, float, float, float, float]) -> Rect:
    """``RenderResult.seal_anchor`` of :mod:`modules.documents.render` (1-based page) as
    a :class:`Rect` (0-based page) for ``box=``."""
    page, x, y, w, h = anchor
    return Rect(int(page) - 1, float(x), float(y), float(w), float(h))


def look_for(seal: Seal) -> SealLook:
    """The picture a seal shows."""
    if seal.type == SealType.PERSONAL:
        return PersonalSealLook(name=_person(seal))
    text_below = seal.text_below
    if not text_below and seal.type == SealType.CONTRACT:
        text_below = "合同专用章"
    return OfficialSealLook(body_name=seal.body_name, text_below=text_below,
                            diameter_mm=seal.diameter_mm)


def _person(seal: Seal) -> str:
    # a personal seal is named after the person; "张三" or "张三名章" both show 张三
    name = seal.name
    for suffix in ("个人名章", "名章", "之印", "印"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


class _PdfBytesPage(PdfContent):
    """Page 0 of an in-memory PDF as a form XObject, drawn with Multiply blending so the
    text under the seal stays legible (like ink on paper)."""

    def __init__(self, data: bytes) -> None:
        super().__init__()
        self.data = data

    def render(self) -> bytes:
        w = self._ensure_writer
        xobj = w.import_page_as_xobject(PdfFileReader(io.BytesIO(self.data)), page_ix=0)
        name = "/Seal" + binascii.hexlify(uuid.uuid4().bytes[:6]).decode()
        self.resources.xobject[name] = xobj
        self.resources.ext_g_state["/SealMul"] = generic.DictionaryObject(
            {pdf_name("/BM"): pdf_name("/Multiply")}
        )
        x1, y1, x2, y2 = xobj.get_object()["/BBox"]
        self.box = BoxConstraints(width=abs(x2 - x1), height=abs(y2 - y1))
        return b"/SealMul gs " + name.encode() + b" Do"


class _TimedPdfSigner(signers.PdfSigner):
    """PdfSigner whose signing time is the caller's clock, not this machine's."""

    def __init__(self, *args: Any, signing_time: dt.datetime, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._signing_time = signing_time

    def init_signing_session(self, pdf_out: BasePdfFileWriter,
                             existing_fields_only: bool = False) -> PdfSigningSession:
        session = super().init_signing_session(pdf_out, existing_fields_only)
        session.system_time = self._signing_time
        return session


def _open(pdf: bytes) -> IncrementalPdfFileWriter:
    if not pdf.lstrip()[:5].startswith(b"%PDF-"):
        raise ValidationFailed("seal.pdf_invalid", detail="no %PDF header")
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
        _ = writer.root["/Pages"]
    except (PdfError, ValueError, KeyError, IndexError, TypeError) as exc:
        raise ValidationFailed("seal.pdf_invalid", detail=str(exc)[:200]) from exc
    if writer.prev.encrypted:
        raise ValidationFailed("seal.pdf_encrypted")
    from pyhanko.sign.fields import MDPPerm
    from pyhanko.sign.validation import read_certification_data

    cert_data = read_certification_data(writer.prev)
    if cert_data is not None and cert_data.permission == MDPPerm.NO_CHANGES:
        raise ValidationFailed("seal.pdf_locked")
    return writer


def _page_count(writer: IncrementalPdfFileWriter) -> int:
    return int(writer.root["/Pages"]["/Count"])


def _page_box(writer: IncrementalPdfFileWriter, page_ix: int) -> tuple[float, float, float, float]:
    page_ref, _ = writer.find_page_for_modification(page_ix)
    page = page_ref.get_object()
    node = page
    box = None
    while node is not None and box is None:
        box = node.get("/CropBox") or node.get("/MediaBox")
        parent = node.get("/Parent")
        node = parent.get_object() if parent is not None and box is None else None
    if box is None:
        return 0.0, 0.0, 595.0, 842.0
    x1, y1, x2, y2 = (float(v) for v in box)
    return min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2)


def _next_field_name(writer: IncrementalPdfFileWriter) -> str:
    existing = {name for name, _, _ in fields.enumerate_sig_fields(writer.prev)}
    n = len(existing) + 1
    while f"Seal{n}" in existing:
        n += 1
    return f"Seal{n}"


def _existing_signature_count(writer: IncrementalPdfFileWriter) -> int:
    return sum(1 for _ in fields.enumerate_sig_fields(writer.prev, filled_status=True))


def seal_rect_for_anchor(anchor: Rect, seal_w: float, seal_h: float) -> Rect:
    """Where the seal goes for a 署名/date block (see module docstring)."""
    cx = anchor.x + anchor.w / 2
    cy = anchor.y + anchor.h + ANCHOR_CENTRE_LIFT
    return Rect(anchor.page, cx - seal_w / 2, cy - seal_h / 2, seal_w, seal_h)


def seal_rect_for_box(box: Rect, seal_w: float, seal_h: float) -> Rect:
    """The seal centred in a box at its real size — shrunk to fit only when the box is
    smaller (a seal is never drawn larger than it is)."""
    scale = min(1.0, box.w / seal_w, box.h / seal_h)
    w, h = seal_w * scale, seal_h * scale
    return Rect(box.page, box.x + (box.w - w) / 2, box.y + (box.h - h) / 2, w, h)


def _inside(r: Rect, page_box: tuple[float, float, float, float], slack: float = 0.5) -> bool:
    x1, y1, x2, y2 = page_box
    return (r.x >= x1 - slack and r.y >= y1 - slack and r.x + r.w <= x2 + slack
            and r.y + r.h <= y2 + slack)


def _add_riding_seal(writer: IncrementalPdfFileWriter, look: SealLook, pages: int) -> None:
    """Draw slice i of the seal at the right edge of page i (骑缝章)."""
    if isinstance(look, OfficialSealLook):
        look = OfficialSealLook(look.body_name, look.text_below, RIDING_SEAL_DIAMETER_MM)
    data = seal_pdf(look)
    xobj = writer.import_page_as_xobject(PdfFileReader(io.BytesIO(data)), page_ix=0)
    x1, y1, x2, y2 = (float(v) for v in xobj.get_object()["/BBox"])
    sw, sh = abs(x2 - x1), abs(y2 - y1)
    slice_w = sw / pages
    for i in range(pages):
        _px1, py1, px2, py2 = _page_box(writer, i)
        left = px2 - slice_w
        origin_x = px2 - (i + 1) * slice_w
        origin_y = (py1 + py2) / 2 - sh / 2
        ops = (
            f"Q q /RidingMul gs {left:.3f} {py1:.3f} {slice_w:.3f} {py2 - py1:.3f} re W n "
            f"1 0 0 1 {origin_x:.3f} {origin_y:.3f} cm /RidingSeal Do Q"
        ).encode()
        resources = generic.DictionaryObject(
            {
                pdf_name("/XObject"): generic.DictionaryObject({pdf_name("/RidingSeal"): xobj}),
                pdf_name("/ExtGState"): generic.DictionaryObject(
                    {pdf_name("/RidingMul"): generic.DictionaryObject(
                        {pdf_name("/BM"): pdf_name("/Multiply")})}
                ),
            }
        )
        opening = writer.add_object(generic.StreamObject(stream_data=b"q"))
        writer.add_stream_to_page(i, opening, prepend=True)
        closing = writer.add_object(generic.StreamObject(stream_data=ops))
        writer.add_stream_to_page(i, closing, resources=resources)


def _timestamper(ts: TimeStamper | str | None) -> TimeStamper | None:
    if ts is None or isinstance(ts, TimeStamper):
        return ts
    from pyhanko.sign.timestamps.aiohttp_client import HTTPTimeStamper

    return HTTPTimeStamper(ts, timeout=15)


def stamp_pdf(
    pdf: bytes,
    signer: Signer,
    seal: Seal,
    *,
    page: int | None = None,
    box: tuple[float, float, float, float] | Rect | None = None,
    anchor: Rect | None = None,
    reason: str,
    location: str,
    signing_time: dt.datetime,
    timestamper: TimeStamper | str | None = None,
    qr_url: str | None = None,
    riding_seal: bool = False,
    field_name: str | None = None,
    ses: SesStamp | None = None,
    look: SealLook | None = None,
) -> bytes:
    """Stamp ``seal`` onto ``pdf`` with ``signer``'s key; return the new PDF bytes.

    Exactly one of ``anchor`` (a :class:`Rect` for the 署名/date block) or ``box``
    (``(x, y, w, h)`` on ``page``, or a :class:`Rect`) places the seal. ``qr_url`` puts a
    verification QR code beside the seal. ``riding_seal`` adds a 骑缝章 across all pages
    (only with the document's first signature). ``ses`` adds a GB/T 38540
    ``SES_Signature`` made with the seal's SM2 key over the input bytes, stored in the
    signature field (see :mod:`modules.seals.crypto.ses`). ``look`` replaces the generated
    picture (e.g. an uploaded :class:`~.image.PictureSealLook`). Checks of the seal workflow
    (:func:`modules.seals.rules.check_can_stamp`) are the caller's job, before this.

    Raises ``ValidationFailed`` for an unusable PDF or placement; the input is never
    modified and nothing partial is returned.
    """
    if signing_time.tzinfo is None:
        raise ValidationFailed("seal.signing_time_naive")
    if (anchor is None) == (box is None):
        raise ValidationFailed("seal.placement_required")
    writer = _open(pdf)
    pages = _page_count(writer)
    look = look or look_for(seal)

    if anchor is not None:
        target_page = anchor.page
    elif isinstance(box, Rect):
        target_page = box.page
    else:
        target_page = page if page is not None else pages - 1
    if not 0 <= target_page < pages:
        raise ValidationFailed("seal.page_out_of_range", page=target_page + 1, pages=pages)
    page_box = _page_box(writer, target_page)

    base = stamp_appearance(look)
    if anchor is not None:
        seal_rect = seal_rect_for_anchor(anchor, base.seal_w, base.seal_h)
    else:
        r = box if isinstance(box, Rect) else Rect(target_page, *box)  # type: ignore[misc]
        if r.w < MIN_BOX or r.h < MIN_BOX:
            raise ValidationFailed("seal.box_too_small", min=int(MIN_BOX))
        seal_rect = seal_rect_for_box(r, base.seal_w, base.seal_h)
    if not _inside(seal_rect, page_box):
        raise ValidationFailed("seal.box_outside_page")
    scale = seal_rect.w / base.seal_w

    appearance = base
    if qr_url:
        right = stamp_appearance(look, qr_data=qr_url)
        fits_right = seal_rect.x + right.width * scale <= page_box[2]
        appearance = right if fits_right else stamp_appearance(look, qr_data=qr_url,
                                                               qr_left=True)
    # widget rectangle: the appearance placed so that its seal lands on seal_rect
    wx = seal_rect.x - appearance.seal_x * scale
    wy = seal_rect.y - appearance.seal_y * scale
    ww, wh = appearance.width * scale, appearance.height * scale
    if not _inside(Rect(target_page, wx, wy, ww, wh), page_box):
        raise ValidationFailed("seal.box_outside_page")

    if riding_seal:
        if pages < 2:
            raise ValidationFailed("seal.riding_needs_pages")
        if _existing_signature_count(writer) > 0:
            raise ValidationFailed("seal.riding_must_be_first")
        _add_riding_seal(writer, look, pages)

    name = field_name or _next_field_name(writer)
    style = StaticStampStyle(
        background=_PdfBytesPage(appearance.pdf),
        border_width=0,
        background_opacity=1.0,
        background_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MID,
            y_align=layout.AxisAlignment.ALIGN_MID,
            margins=layout.Margins.uniform(0),
        ),
    )
    meta = signers.PdfSignatureMetadata(
        field_name=name,
        reason=reason,
        location=location,
        name=seal.name,
        md_algorithm="sha256",
        subfilter=SigSeedSubFilter.PADES,
    )
    spec = SigFieldSpec(
        sig_field_name=name,
        on_page=target_page,
        # points to 1/100: pyhanko writes any number, its annotation says int
        box=(round(wx, 2), round(wy, 2), round(wx + ww, 2), round(wy + wh, 2)),  # type: ignore[arg-type]
    )
    if ses is not None:
        # the field is made first so that the SES_Signature sits in its dictionary, in
        # the same revision as (and covered by) the PAdES signature
        ses_der = make_ses_signature(
            seseal=ses.seseal, signer=ses.signer, data=pdf, time=signing_time,
            property_info=pdf_property_info(len(pdf), name))
        fields.append_signature_field(writer, spec)
        for fname, _, ref in fields.enumerate_sig_fields(writer):
            if fname == name:
                ref.get_object()[pdf_name(SES_KEY)] = writer.add_object(
                    generic.StreamObject(stream_data=ses_der))
    pdf_signer = _TimedPdfSigner(
        meta,
        PyHankoSignerAdapter(signer),
        timestamper=_timestamper(timestamper),
        stamp_style=style,
        new_field_spec=None if ses is not None else spec,
        signing_time=signing_time,
    )
    try:
        out = pdf_signer.sign_pdf(writer, existing_fields_only=ses is not None)
    except Exception as exc:
        from pyhanko.sign.timestamps.common_utils import TimestampRequestError

        if isinstance(exc, TimestampRequestError):
            raise ValidationFailed("seal.timestamp_failed", detail=str(exc)) from exc
        raise
    signed: bytes = out.getvalue()
    return signed


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
