"""What an archived PDF holds: pages, fonts used but not embedded, 密级 markings, and the
check of its electronic seals (as stored in the manifest).

Pure module: no Qt, no HTTP, no database. CPU-bound: call off the GUI thread.
"""

from __future__ import annotations

import datetime as dt
import io
import warnings
from dataclasses import dataclass, field
from typing import Any

from modules.common.classified import find_markings


def _quiet_reader(data: bytes) -> Any:
    from pypdf import PdfReader

    return PdfReader(io.BytesIO(data), strict=False)


def _is_embedded(font: Any) -> bool:
    """True when a font dictionary carries its glyphs (Type3, or a FontFile* stream)."""
    font = font.get_object()
    subtype = font.get("/Subtype")
    if subtype == "/Type3":
        return True
    if subtype == "/Type0":
        desc = font.get("/DescendantFonts")
        if not desc:
            return False
        return all(_is_embedded(d) for d in desc.get_object())
    descriptor = font.get("/FontDescriptor")
    if descriptor is None:
        return False
    descriptor = descriptor.get_object()
    return any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))


def _shows_text(operands: list[Any], op: bytes) -> bool:
    if op in (b"Tj", b"'"):
        return bool(operands) and len(operands[-1]) > 0
    if op == b'"':
        return len(operands) >= 3 and len(operands[2]) > 0
    if op == b"TJ":
        return bool(operands) and any(
            not isinstance(x, int | float) and len(x) > 0 for x in operands[0])
    return False


def _fonts_used(content: Any, resources: Any, reader: Any, seen: set[int],
                depth: int = 0) -> dict[str, Any]:
    """Fonts that actually draw text in ``content`` (and forms it paints): name -> font
    dictionary. A font merely declared, or set without drawing text, does not count."""
    from pypdf.generic import ContentStream

    used: dict[str, Any] = {}
    if content is None or depth > 8:
        return used
    resources = resources.get_object() if resources is not None else {}
    fonts = (resources.get("/Font") or {})
    fonts = fonts.get_object() if hasattr(fonts, "get_object") else fonts
    xobjects = resources.get("/XObject") or {}
    xobjects = xobjects.get_object() if hasattr(xobjects, "get_object") else xobjects
    stream = ContentStream(content, reader)
    current = None
    for operands, op in stream.operations:
        if op == b"Tf" and operands:
            current = str(operands[0])
        elif current is not None and _shows_text(operands, op):
            font = fonts.get(current)
            if font is not None:
                used[current] = font
            else:
                used[current] = None
        elif op == b"Do" and operands:
            name = str(operands[0])
            ref = xobjects.get(name)
            if ref is None:
                continue
            key = id(ref.get_object())
            xo = ref.get_object()
            if xo.get("/Subtype") != "/Form" or key in seen:
                continue
            seen.add(key)
            used.update(_fonts_used(xo, xo.get("/Resources") or resources, reader, seen, depth + 1))
    return used


@dataclass
class PdfFacts:
    """What :func:`inspect_pdf` found in one PDF."""

    pages: int = 0
    encrypted: bool = False
    unembedded: list[tuple[int, str]] = field(default_factory=list)  # (page, font name)
    markings: list[str] = field(default_factory=list)  # 密级 markings in the text
    error: str = ""


def inspect_pdf(data: bytes) -> PdfFacts:
    """Open ``data`` as a PDF and report pages, fonts used but not embedded (per page,
    including annotation appearances such as seals) and 密级 markings in its text.
    Never raises for bad input: ``error`` says why it could not be read."""
    facts = PdfFacts()
    if not data.lstrip()[:5].startswith(b"%PDF-"):
        facts.error = "no %PDF header"
        return facts
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            reader = _quiet_reader(data)
            if reader.is_encrypted:
                facts.encrypted = True
                return facts
            facts.pages = len(reader.pages)
            if facts.pages == 0:
                facts.error = "no pages"
                return facts
            for number, page in enumerate(reader.pages, start=1):
                seen: set[int] = set()
                used = _fonts_used(page.get_contents(), page.get("/Resources"), reader, seen)
                for annot in page.get("/Annots") or []:
                    annot = annot.get_object()
                    ap = (annot.get("/AP") or {}).get("/N")
                    if ap is None:
                        continue
                    ap = ap.get_object()
                    streams = [ap] if hasattr(ap, "get_data") else [v.get_object() for v in ap.values()]
                    for xo in streams:
                        used.update(_fonts_used(xo, xo.get("/Resources"), reader, seen))
                for name, font in used.items():
                    if font is None or not _is_embedded(font):
                        base = str(font.get_object().get("/BaseFont", name)) if font is not None else name
                        item = (number, base.lstrip("/"))
                        if item not in facts.unembedded:
                            facts.unembedded.append(item)
                text = page.extract_text() or ""
                for marking in find_markings(text):
                    if marking not in facts.markings:
                        facts.markings.append(marking)
        except Exception as exc:  # untrusted input: any parse failure means "unreadable"
            facts.error = f"{type(exc).__name__}: {str(exc)[:160]}"
    return facts


def signature_record(data: bytes, trust_roots: list[Any], moment: dt.datetime,
                      lang: str = "zh_CN") -> dict[str, Any] | None:
    """The signature check of a PDF as stored in the manifest; None when unsigned."""
    from modules.seals.pdf.verify import verify_pdf

    report = verify_pdf(data, trust_roots, lang=lang, moment=moment)
    if not report.signatures:
        return None
    return {
        "count": len(report.signatures),
        "ok": report.ok,
        "trusted": all(s.trusted for s in report.signatures),
        "signatures": [
            {"field": s.field_name, "signer": s.signer, "organisation": s.organisation,
             "seal_name": s.seal_name, "signing_time": s.signing_time,
             "timestamp_time": s.timestamp_time, "intact": s.intact, "trusted": s.trusted,
             "coverage": s.coverage, "modification": s.modification,
             "modified_after_signing": s.modified_after_signing, "ok": s.ok,
             "problems": list(s.problems), "messages": list(s.messages)}
            for s in report.signatures
        ],
    }
