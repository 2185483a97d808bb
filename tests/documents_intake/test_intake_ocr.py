"""Intake of scans and photos with the real OCR model (the ``[ocr]`` extra).

Documents the project renders itself are rasterised at 150/200/300 dpi, degraded
(noise, rotation, blur, perspective, a red seal, uneven light, upside down) and read back; every
field is compared. The model is loaded once for the module, with sockets made to fail,
which also proves nothing is downloaded at run time. About 10 OCR calls (~7 s each
on a quiet 2-core machine).
"""

from __future__ import annotations

import io
import socket
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from PIL import Image

from modules.common.errors import ClassifiedRefused
from modules.documents.intake import ocr
from modules.documents.intake.errors import IntakeCancelled
from modules.documents.intake.model import FIELD_NAMES, IntakeResult
from modules.documents.intake.read import read_bytes
from tests.documents_intake import support

pytestmark = pytest.mark.slow


def mismatches(result: IntakeResult, want: dict[str, str]) -> dict[str, tuple[str, str]]:
    assert set(result.fields) == set(FIELD_NAMES)
    return {k: (result.fields[k].value, v) for k, v in want.items() if result.fields[k].value != v}


@pytest.fixture(scope="module")
def offline_model() -> Iterator[int]:
    """The OCR model loaded (once) while every socket connection fails."""

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise OSError("network access during intake")

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(socket.socket, "connect", refuse)
        mp.setattr(socket.socket, "connect_ex", refuse)
        mp.setattr(socket, "create_connection", refuse)
        ocr.reset()
        before = ocr.load_count()
        ocr.engine()
        # a first recognition too, inside the guard
        img = Image.new("RGB", (400, 120), "white")
        lines = ocr.recognise(np.asarray(img), 0)
        assert lines == []
        assert ocr.load_count() == before + 1
        yield ocr.load_count()


@pytest.fixture(scope="module")
def sealed_notice() -> tuple[dict[str, Any], bytes, int]:
    spec = support.notice()
    pdf, pages = support.render(spec)
    return spec, pdf, pages


def _first_page(pdf: bytes, spec: dict[str, Any], dpi: int) -> Image.Image:
    """Page 1 at ``dpi`` with the red seal pressed on the 署名 and date."""
    anchor = support.seal_anchors(spec)[0]
    return support.press_seal(support.rasterise(pdf, dpi)[0], anchor, dpi)


def test_clean_scan_pdf_200dpi_every_field(offline_model: int,
                                           sealed_notice: tuple[dict[str, Any], bytes, int]) -> None:
    spec, pdf, pages = sealed_notice
    images = support.rasterise(pdf, 200)
    images[0] = _first_page(pdf, spec, 200)
    scan = support.pdf_of(images, 200)
    seen: list[tuple[int, int]] = []
    result = read_bytes(scan, "scan.pdf", progress=lambda d, t: seen.append((d, t)))
    assert mismatches(result, support.expected(spec, pages)) == {}
    assert seen == [(0, 2), (1, 2), (2, 2)]  # split into pages, progress page by page
    assert result.page_count == 2
    # the straightened page image is kept, and the boxes are on it
    img = Image.open(io.BytesIO(result.pages[0].image))
    assert img.size == (result.pages[0].width, result.pages[0].height)
    number = result.fields["doc_number"]
    assert number.confidence > 0.9 and number.boxes[0].page == 0
    b = number.boxes[0]
    assert 0.3 * img.width < (b.x0 + b.x1) / 2 < 0.7 * img.width
    assert "抄送：市政府办公厅。" in result.text  # the 版记 on page 2 was read too


def test_degraded_150dpi_photo_rotated_noisy_blurred(offline_model: int,
                                                    sealed_notice: tuple[dict[str, Any], bytes, int]) -> None:
    spec, pdf, _ = sealed_notice
    page = support.degrade(_first_page(pdf, spec, 150), angle=3.0, noise=14, blur=0.9, seed=3)
    result = read_bytes(support.jpeg(page, 80), "scan.jpg")
    assert any("deskew" in w for w in result.warnings)
    assert mismatches(result, support.expected(spec, 1)) == {}


def test_300dpi_scan_with_perspective(offline_model: int,
                                      sealed_notice: tuple[dict[str, Any], bytes, int]) -> None:
    spec, pdf, _ = sealed_notice
    page = _first_page(pdf, spec, 300)
    w, h = page.size
    warped = support.warp(page, [(0.03, 0.02), (0.95, 0.0), (1.0, 1.0), (0.0, 0.97)], (w, h),
                          background=(90, 90, 90))
    buf = io.BytesIO()
    warped.save(buf, format="PNG")
    result = read_bytes(buf.getvalue(), "keystone.png")
    assert "page 1: perspective" in result.warnings
    assert mismatches(result, support.expected(spec, 1)) == {}


def test_photographed_page(offline_model: int,
                           sealed_notice: tuple[dict[str, Any], bytes, int]) -> None:
    """A phone photo: dark desk, perspective, light falling off across the sheet."""
    spec, pdf, _ = sealed_notice
    photo = support.photograph(_first_page(pdf, spec, 200))
    result = read_bytes(support.jpeg(photo), "photo.jpg")
    assert {"page 1: perspective", "page 1: lighting"} <= set(result.warnings)
    assert mismatches(result, support.expected(spec, 1)) == {}
    # straightened: the page image is upright and of A4 proportions
    page = result.pages[0]
    assert abs(page.height / page.width - 297 / 210) < 0.06


def test_page_fed_upside_down(offline_model: int,
                              sealed_notice: tuple[dict[str, Any], bytes, int]) -> None:
    spec, pdf, _ = sealed_notice
    page = _first_page(pdf, spec, 150).rotate(180)
    result = read_bytes(support.jpeg(page), "upside-down.jpg")
    assert "page 1: turned 180°" in result.warnings
    assert mismatches(result, support.expected(spec, 1)) == {}


def test_page_fed_sideways(offline_model: int,
                           sealed_notice: tuple[dict[str, Any], bytes, int]) -> None:
    """Turned a quarter clockwise: read, turned 90° (now upside down), turned 180°."""
    spec, pdf, _ = sealed_notice
    page = _first_page(pdf, spec, 150).rotate(-90, expand=True)
    result = read_bytes(support.jpeg(page), "sideways.jpg")
    assert {"page 1: turned 90°", "page 1: turned 180°"} <= set(result.warnings)
    assert mismatches(result, support.expected(spec, 1)) == {}
    assert result.pages[0].height > result.pages[0].width


def test_scanned_classified_document_is_refused(offline_model: int,
                                                sealed_notice: tuple[dict[str, Any], bytes, int]) -> None:
    _, pdf, _ = sealed_notice
    page = support.stamp_marking(support.rasterise(pdf, 200)[0], "机密★1年", 200)
    with pytest.raises(ClassifiedRefused) as err:
        read_bytes(support.pdf_of([page], 200), "classified.pdf")
    assert err.value.params["level"] == "机密"
    assert err.value.code == "document.classified_refused"


def test_cancel_between_pages_of_a_scan(offline_model: int,
                                        sealed_notice: tuple[dict[str, Any], bytes, int]) -> None:
    _, pdf, _ = sealed_notice
    scan = support.pdf_of(support.rasterise(pdf, 150), 150)
    seen: list[tuple[int, int]] = []
    with pytest.raises(IntakeCancelled) as err:
        read_bytes(scan, "scan.pdf", progress=lambda d, t: seen.append((d, t)),
                   cancelled=lambda: len(seen) >= 2)
    assert seen == [(0, 2), (1, 2)]  # page 2 was never read
    assert err.value.params == {"done": 1, "total": 2}


def test_model_loaded_once_for_all_reads(offline_model: int) -> None:
    assert ocr.load_count() == offline_model
