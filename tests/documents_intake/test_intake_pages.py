"""Straightening before OCR, measured on rendered pages (OpenCV, no OCR model)."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from modules.documents.intake.pages import (
    drop_red,
    find_sheet,
    image_frames,
    skew_angle,
    straighten,
    text_usable,
)
from tests.documents_intake import support


@pytest.fixture(scope="module")
def page() -> Image.Image:
    pdf, _ = support.render(support.notice())
    return support.rasterise(pdf, 100)[0]


@pytest.mark.parametrize("angle", [-4.0, -1.5, 2.5, 6.0])
def test_skew_found_within_a_fifth_of_a_degree(page: Image.Image, angle: float) -> None:
    rotated = support.degrade(page, angle=angle)
    gray = np.asarray(rotated.convert("L"))
    # PIL turns counter-clockwise by ``angle``; the correction is the opposite turn
    assert abs(skew_angle(gray) + angle) <= 0.2
    # and straightening removes it
    arr, notes = straighten(rotated, photo=False)
    assert any(n.startswith("deskew:") for n in notes)
    assert abs(skew_angle(np.asarray(Image.fromarray(arr).convert("L")))) <= 0.2


def test_a_straight_scan_is_left_alone(page: Image.Image) -> None:
    arr, notes = straighten(page, photo=True)
    assert notes == []
    assert arr.shape[:2] == (page.height, page.width)


def test_sheet_corners_found_on_a_desk(page: Image.Image) -> None:
    w, h = 1000, 1200
    corners = [(0.15, 0.08), (0.85, 0.05), (0.92, 0.95), (0.08, 0.9)]
    shot = support.warp(page, corners, (w, h), background=(50, 45, 40))
    found = find_sheet(np.asarray(shot.convert("L")))
    assert found is not None
    want = np.array([[x * w, y * h] for x, y in corners])
    assert float(np.abs(found - want).max()) < 0.02 * h


def test_red_seal_dropped_black_text_kept(page: Image.Image) -> None:
    arr = np.full((40, 60, 3), 255, np.uint8)
    arr[:, :20] = (225, 40, 40)    # seal ink
    arr[:, 20:40] = (0, 0, 0)      # black text (ink multiplies: still black under a seal)
    arr[:, 40:] = (250, 215, 215)  # the pink edge of seal ink
    out = drop_red(arr)
    assert out[:, :20].min() >= 240 and out[:, 40:].min() >= 240
    assert out[:, 20:40].max() == 0
    # the red 标志 zone at the top is left as it is
    assert (drop_red(arr, from_y=20)[:20] == arr[:20]).all()


def test_exif_orientation_applied() -> None:
    img = Image.new("RGB", (300, 200), "white")
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to view
    buf = io.BytesIO()
    img.save(buf, format="JPEG", exif=exif.tobytes())
    (frame,) = image_frames(buf.getvalue(), "x.jpg")
    assert frame.size == (200, 300)


def test_multipage_tiff_is_split_into_pages(page: Image.Image) -> None:
    buf = io.BytesIO()
    page.save(buf, format="TIFF", save_all=True, append_images=[page.rotate(180)])
    assert len(image_frames(buf.getvalue(), "scan.tif")) == 2


def test_broken_text_layer_goes_to_ocr() -> None:
    assert text_usable("关于开展政务数据共享质量专项检查的通知")
    assert not text_usable("  \n ")                      # an empty layer
    assert not text_usable("\ue000\ue001\ue002\ue003\ue004\ue005\ue006\ue007\ue008关于")  # no ToUnicode
    assert not text_usable("\ufffd" * 20 + "通知")

