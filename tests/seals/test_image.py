from __future__ import annotations

import io

import pytest
from PIL import Image
from pypdf import PdfReader

from modules.common.errors import ValidationFailed
from modules.seals.pdf import image as I


def _page_mm(pdf: bytes) -> tuple[float, float]:
    box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    return round(float(box.width) / 72 * 25.4, 2), round(float(box.height) / 72 * 25.4, 2)


@pytest.mark.parametrize("d", [42.0, 40.0, 38.0])
def test_official_seal_size_and_font_embedded(d):
    pdf = I.seal_pdf(I.OfficialSealLook("某某市人民政府办公室", "合同专用章", d))
    assert _page_mm(pdf) == (d, d)
    assert b"SealSung" in pdf or b"AR PL" in pdf or b"FontFile2" in pdf


def test_png_is_red_ring_on_transparent_background():
    png = I.seal_png(I.OfficialSealLook("某某市财政局"), dpi=100)
    img = Image.open(io.BytesIO(png)).convert("RGBA")
    w, h = img.size
    assert abs(w - round(42 / 25.4 * 100)) <= 1
    assert img.getpixel((2, 2))[3] == 0  # corner outside the ring: transparent
    r, g, b, a = img.getpixel((w // 2, h // 2))  # centre of the star: red
    assert a > 200 and r > 180 and g < 80 and b < 80
    ring = img.getpixel((w // 2, 3))  # top of the ring
    assert ring[3] > 200 and ring[0] > 180


def test_personal_seal_chars_and_square():
    assert I.personal_seal_chars("张三") == "张三之印"
    assert I.personal_seal_chars("李小明") == "李小明印"
    assert I.personal_seal_chars("欧阳小明") == "欧阳小明"
    assert _page_mm(I.seal_pdf(I.PersonalSealLook("张三"))) == (18.0, 18.0)


def test_bad_looks_refused():
    for look in (I.OfficialSealLook("某单位", diameter_mm=50), I.OfficialSealLook(" "),
                 I.OfficialSealLook("长" * 30), I.PersonalSealLook("")):
        with pytest.raises(ValidationFailed):
            I.seal_pdf(look)


def test_appearance_with_qr_is_wider_and_keeps_seal_position():
    look = I.OfficialSealLook("某某市财政局")
    plain = I.stamp_appearance(look)
    right = I.stamp_appearance(look, qr_data="https://example.gov.cn/v/1")
    left = I.stamp_appearance(look, qr_data="https://example.gov.cn/v/1", qr_left=True)
    assert right.width > plain.width and right.seal_x == 0
    assert left.seal_x == pytest.approx(left.width - left.seal_w)
