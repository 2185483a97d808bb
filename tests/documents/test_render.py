"""GB/T 9704-2012 geometry, measured on generated PDFs (pdfplumber, poppler raster)."""

from __future__ import annotations

import io
import itertools
import json
import subprocess
from collections import defaultdict
from pathlib import Path

import pdfplumber
import pytest
from PIL import Image, ImageChops

from modules.documents import cli
from modules.documents.render import CLOSING, OPENING, render_pdf
from modules.documents.rules import parse_spec

MM = 72 / 25.4
PAGE_H = 297 * MM
TOP, LEFT, BODY_W, BODY_H = 37 * MM, 28 * MM, 156 * MM, 225 * MM
LINE = BODY_H / 22
CELL = BODY_W / 28
TOL = 1 * MM
EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"

FILLER = "政务数据共享工作要坚持统筹规划分级负责按需共享安全可控的原则不断提升数据质量和服务水平"


def spec(**over: object) -> dict:
    data = {
        "doc_type": "通知",
        "issuer_mark": "××市政务服务数据管理局文件",
        "doc_number": "×政数〔2026〕12号",
        "title": "关于开展政务数据共享质量专项检查的通知",
        "recipients": "各区政务服务数据管理局",
        "body": [FILLER * 6 + "。"] * 4,
        "signature": "××市政务服务数据管理局",
        "date": "2026-03-05",
        "sealed": True,
        "cc": "市委办公厅，市人大常委会办公厅，市政府办公厅",
        "printer": "××市政务服务数据管理局办公室",
        "print_date": "2026-03-06",
    }
    data.update(over)
    return data


def from_top(y_pdf: float) -> float:
    return PAGE_H - y_pdf


def baseline(ch: dict) -> float:
    """Baseline of a char, in points from the page top."""
    return PAGE_H - ch["matrix"][5]


def lines_of(page: pdfplumber.page.Page, *, size: float | None = None) -> list[list[dict]]:
    """Chars grouped by baseline (top to bottom), each line sorted left to right."""
    groups: dict[float, list[dict]] = defaultdict(list)
    for ch in page.chars:
        if size is not None and abs(ch["size"] - size) > 0.1:
            continue
        if not ch["text"].strip():
            continue
        groups[round(baseline(ch), 1)].append(ch)
    return [sorted(groups[k], key=lambda c: c["x0"]) for k in sorted(groups)]


def text(line: list[dict]) -> str:
    return "".join(c["text"] for c in line)


@pytest.fixture(scope="module")
def notice() -> pdfplumber.PDF:
    result = render_pdf(spec(), invariant=True)
    return pdfplumber.open(io.BytesIO(result.pdf))


@pytest.fixture(scope="module")
def notice_result():  # type: ignore[no-untyped-def]
    return render_pdf(spec(), invariant=True)


def raster(pdf_bytes: bytes, page: int, dpi: int = 150) -> Image.Image:
    png = subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), "-png", "-"],
        input=pdf_bytes, capture_output=True, check=True,
    ).stdout
    return Image.open(io.BytesIO(png)).convert("RGB")


def red_mask(img: Image.Image) -> Image.Image:
    r, g, b = img.split()
    hi = r.point(lambda v: 255 if v > 150 else 0)
    lo_g = g.point(lambda v: 255 if v < 110 else 0)
    lo_b = b.point(lambda v: 255 if v < 110 else 0)
    return ImageChops.multiply(ImageChops.multiply(hi, lo_g), lo_b)


def dark_mask(img: Image.Image) -> Image.Image:
    return img.convert("L").point(lambda v: 255 if v < 110 else 0)


def px_to_pt(px: float, dpi: int = 150) -> float:
    return px * 72 / dpi


# --------------------------------------------------------------------------- fonts


def test_all_fonts_embedded_and_truetype(notice_result) -> None:  # type: ignore[no-untyped-def]
    out = subprocess.run(["pdffonts", "-"], input=notice_result.pdf, capture_output=True,
                         check=False)
    if out.returncode != 0:  # older poppler cannot read stdin: use a file
        import tempfile

        with tempfile.NamedTemporaryFile(suffix=".pdf") as fh:
            fh.write(notice_result.pdf)
            fh.flush()
            out = subprocess.run(["pdffonts", fh.name], capture_output=True, check=True)
    rows = out.stdout.decode().splitlines()[2:]
    assert len(rows) >= 3  # 小标宋, 仿宋, 黑体/楷体, 宋体
    for row in rows:
        cols = row.split()
        emb = cols[-5]
        assert emb == "yes", row
        assert "TrueType" in row, row
        assert "Helvetica" not in row and "Times" not in row


@pytest.mark.parametrize("name", ["notice", "request", "letter", "minutes", "multipage", "order", "joint"])
def test_examples_embed_every_font(name: str) -> None:
    data = json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))
    pdf = pdfplumber.open(io.BytesIO(render_pdf(data, invariant=True).pdf))
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(render_pdf(data, invariant=True).pdf))
    for page in reader.pages:
        fonts = page["/Resources"]["/Font"]
        for ref in fonts.values():
            font = ref.get_object()
            desc = font.get("/FontDescriptor")
            if desc is None:  # composite font: look at the descendant
                desc = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert "/FontFile2" in desc.get_object(), font["/BaseFont"]
    assert len(pdf.pages) >= 1


# --------------------------------------------------------------------------- 版头


def test_mark_is_red_centred_and_35mm_below_body_top(notice_result) -> None:  # type: ignore[no-untyped-def]
    pdf = pdfplumber.open(io.BytesIO(notice_result.pdf))
    page = pdf.pages[0]
    mark = [c for c in page.chars if c["non_stroking_color"] == (0.9, 0.0, 0.0)]
    assert text(mark) == "××市政务服务数据管理局文件"
    assert all("XiaoBiaoSong" in c["fontname"] for c in mark)
    centre = (min(c["x0"] for c in mark) + max(c["x1"] for c in mark)) / 2
    # Horizontal scaling is applied by the text matrix: measure the ink instead.
    img = raster(notice_result.pdf, 1)
    red = red_mask(img)
    red_line_y = from_top(page.lines[0]["top"] if page.lines[0]["top"] > 400 else PAGE_H - page.lines[0]["top"])
    above_line = red.crop((0, 0, img.width, int(red_line_y / 72 * 150) - 5))
    box = above_line.getbbox()
    assert box is not None
    ink_top = px_to_pt(box[1])
    assert abs(ink_top - (TOP + 35 * MM)) <= TOL
    ink_centre = px_to_pt((box[0] + box[2]) / 2)
    assert abs(ink_centre - (LEFT + BODY_W / 2)) <= TOL
    assert centre > 0


def test_doc_number_red_line_and_title(notice: pdfplumber.PDF) -> None:
    page = notice.pages[0]
    lines16 = lines_of(page, size=16)
    number = next(ln for ln in lines16 if text(ln) == "×政数〔2026〕12号")
    assert abs((number[0]["x0"] + number[-1]["x1"]) / 2 - (LEFT + BODY_W / 2)) <= TOL
    red = [ln for ln in page.lines if ln["stroking_color"] == (0.9, 0.0, 0.0)]
    assert len(red) == 1
    line = red[0]
    assert abs(line["x0"] - LEFT) <= TOL and abs(line["x1"] - (LEFT + BODY_W)) <= TOL
    red_y = line["top"]  # pdfplumber: from the page top
    number_em_bottom = baseline(number[0]) + 0.12 * 16
    assert abs(red_y - number_em_bottom - 4 * MM) <= TOL
    # Two blank lines between mark and 发文字号.
    mark = [c for c in page.chars if c["non_stroking_color"] == (0.9, 0.0, 0.0)]
    mark_em_bottom = baseline(mark[0]) + 0.12 * mark[0]["size"]
    number_cell_top = baseline(number[0]) - LINE / 2 - 0.38 * 16
    assert abs(number_cell_top - mark_em_bottom - 2 * LINE) <= TOL
    # Title: 2号小标宋, centred, two blank lines below the red line.
    title = lines_of(page, size=22)
    assert text(title[0]) == "关于开展政务数据共享质量专项检查的通知"
    assert all("XiaoBiaoSong" in c["fontname"] for c in title[0])
    assert abs((title[0][0]["x0"] + title[0][-1]["x1"]) / 2 - (LEFT + BODY_W / 2)) <= TOL
    title_cell_top = baseline(title[0][0]) - LINE / 2 - 0.38 * 22
    assert abs(title_cell_top - red_y - 2 * LINE) <= TOL
    # 主送机关: one blank line below the title, flush left, full-width colon.
    recip = next(ln for ln in lines16 if text(ln).startswith("各区"))
    assert text(recip).endswith("：")
    assert abs(recip[0]["x0"] - LEFT) <= TOL
    assert abs(baseline(recip[0]) - baseline(title[-1][0]) - 2 * LINE) <= TOL


# --------------------------------------------------------------------------- body grid


def test_22_lines_of_28_characters_on_a_grid(notice: pdfplumber.PDF) -> None:
    page = notice.pages[1]  # a full page of body text
    body = [ln for ln in lines_of(page, size=16) if baseline(ln[0]) < TOP + BODY_H]
    assert len(body) == 22
    first = baseline(body[0][0])
    assert abs(first - (TOP + LINE / 2 + 0.38 * 16)) <= TOL
    for k, ln in enumerate(body):
        assert abs(baseline(ln[0]) - (first + k * LINE)) <= 0.2  # exact pitch
    full = [ln for ln in body if len(text(ln)) == 28]
    assert len(full) >= 15
    for ln in full:
        for k, ch in enumerate(ln):
            assert abs(ch["x0"] - (LEFT + k * CELL)) <= TOL, (k, text(ln))
        assert abs(ln[-1]["x0"] + CELL - (LEFT + BODY_W)) <= TOL
    # First lines of paragraphs: indented two characters.
    firsts = [ln for ln in body if abs(ln[0]["x0"] - (LEFT + 2 * CELL)) <= TOL]
    assert firsts and all(len(text(ln)) == 26 for ln in firsts)
    assert all("FangSong" in c["fontname"] for ln in body for c in ln)


def test_line_breaking_rules() -> None:
    para = ("为做好工作，现将有关事项通知如下：一是加强组织领导，二是明确责任分工；三是强化督促检查。"
            "各单位要按照“谁主管、谁负责”的原则，认真抓好落实（具体要求见附件）。") * 6
    result = render_pdf(spec(body=[para, para]), invariant=True)
    pdf = pdfplumber.open(io.BytesIO(result.pdf))
    checked = squeezed = 0
    for page in pdf.pages:
        for ln in lines_of(page, size=16):
            if baseline(ln[0]) > TOP + BODY_H:
                continue
            assert ln[0]["text"] not in CLOSING, text(ln)
            assert ln[-1]["text"] not in OPENING, text(ln)
            # Nothing leaves the 版心: marks are squeezed, not hung in the margin.
            assert all(c["x0"] >= LEFT - 0.5 for c in ln), text(ln)
            assert all(c["x0"] + CELL / 2 <= LEFT + BODY_W + 0.5 for c in ln), text(ln)
            checked += 1
            squeezed += sum(1 for a, b in itertools.pairwise(ln)
                            if a["text"] in "，。、；：" and b["x0"] - a["x0"] < CELL * 0.75)
            squeezed += ln[-1]["text"] in CLOSING and ln[-1]["x0"] > LEFT + BODY_W - CELL * 0.75
    assert checked > 20 and squeezed > 0


def test_heading_fonts_follow_levels() -> None:
    body = ["一、总体要求", "（一）工作目标。到2026年底基本建成。", "1.完善目录", "（1）按月更新", "正文段落"]
    pdf = pdfplumber.open(io.BytesIO(render_pdf(spec(body=body), invariant=True).pdf))
    lines = {text(ln): ln for ln in lines_of(pdf.pages[0], size=16)}
    assert all("MicroHei" in c["fontname"] for c in lines["一、总体要求"])  # 黑体
    l2 = lines["（一）工作目标。到2026年底基本建成。"]
    assert all("Kai" in c["fontname"] for c in l2[:8])  # 楷体 heading sentence
    assert all("FangSong" in c["fontname"] for c in l2[8:])  # then 仿宋
    assert all("FangSong" in c["fontname"] for c in lines["1.完善目录"])
    assert all("FangSong" in c["fontname"] for c in lines["（1）按月更新"])


def test_long_title_wraps_centred_without_breaking_words() -> None:
    title = "关于开展2026年度全省政务数据共享质量专项检查工作的通知"
    pdf = pdfplumber.open(io.BytesIO(render_pdf(spec(title=title), invariant=True).pdf))
    tl = lines_of(pdf.pages[0], size=22)
    assert len(tl) == 2 and "".join(text(x) for x in tl) == title
    for ln in tl:
        assert abs((ln[0]["x0"] + ln[-1]["x1"]) / 2 - (LEFT + BODY_W / 2)) <= TOL
    assert not text(tl[0]).endswith("数") and "2026" in text(tl[0])


# --------------------------------------------------------------------------- 主体 end


def test_attachment_note_signature_date_and_seal_anchor() -> None:
    result = render_pdf(spec(body=["各单位要高度重视。"], attachments=["自查表", "联系人名单"]),
                        invariant=True)
    pdf = pdfplumber.open(io.BytesIO(result.pdf))
    lines = lines_of(pdf.pages[0], size=16)
    texts = [text(ln) for ln in lines]
    k = texts.index("附件：1.自查表")
    assert texts[k + 1] == "2.联系人名单"
    att1, att2 = lines[k], lines[k + 1]
    assert abs(att1[0]["x0"] - (LEFT + 2 * CELL)) <= TOL
    assert abs(att2[0]["x0"] - att1[3]["x0"]) <= TOL  # names aligned under "1."
    assert abs(baseline(att1[0]) - baseline(lines[k - 1][0]) - 2 * LINE) <= TOL  # one blank line
    date = next(ln for ln in lines if text(ln) == "2026年3月5日")
    sig = next(ln for ln in lines if text(ln) == "××市政务服务数据管理局")
    # Date: 4 characters in from the right; 署名 centred on the date.
    assert abs(date[-1]["x1"] - (LEFT + BODY_W - 4 * CELL)) <= TOL
    date_c = (date[0]["x0"] + date[-1]["x1"]) / 2
    sig_c = (sig[0]["x0"] + sig[-1]["x1"]) / 2
    assert abs(date_c - sig_c) <= CELL / 2 + 0.5
    assert abs(baseline(date[0]) - baseline(sig[0]) - LINE) <= 0.2
    # Seal: upright square, centred on 署名/日期, which sit just below its centre,
    # and its top within one line of the text above.
    assert result.seal_anchor is not None
    page_no, x, y, w, h = result.seal_anchor
    assert page_no == 1 and abs(w - 42 * MM) < 0.1 and abs(h - w) < 0.01
    cx, cy_top = x + w / 2, PAGE_H - (y + h / 2)
    assert abs(cx - date_c) <= TOL
    sig_mid = baseline(sig[0]) - 0.38 * 16
    date_mid = baseline(date[0]) - 0.38 * 16
    assert cy_top < sig_mid < date_mid < cy_top + h / 2
    seal_top = PAGE_H - (y + h)
    text_bottom = baseline(att2[0]) + 0.12 * 16
    assert text_bottom - TOL <= seal_top <= text_bottom + LINE


def test_unsealed_signature_two_in_from_right() -> None:
    result = render_pdf(spec(sealed=False, body=["正文。"]), invariant=True)
    assert result.seal_anchor is None
    pdf = pdfplumber.open(io.BytesIO(result.pdf))
    lines = lines_of(pdf.pages[0], size=16)
    sig = next(ln for ln in lines if text(ln) == "××市政务服务数据管理局")
    date = next(ln for ln in lines if text(ln) == "2026年3月5日")
    assert abs(sig[-1]["x1"] - (LEFT + BODY_W - 2 * CELL)) <= TOL
    assert abs(date[0]["x0"] - (sig[0]["x0"] + 2 * CELL)) <= TOL or \
        abs(date[-1]["x1"] - (LEFT + BODY_W - 2 * CELL)) <= TOL


def test_upward_document_signer_line() -> None:
    data = spec(doc_type="请示", signers=["张伟", "李明", "王芳"], title="关于追加项目资金的请示",
                recipients="××市人民政府")
    pdf = pdfplumber.open(io.BytesIO(render_pdf(data, invariant=True).pdf))
    lines = lines_of(pdf.pages[0], size=16)
    number_line = next(ln for ln in lines if "×政数〔2026〕12号" in text(ln))
    # 发文字号 one character in from the left, on the line of the last 签发人.
    assert abs(number_line[0]["x0"] - (LEFT + CELL)) <= TOL
    assert "王芳" in text(number_line)
    first_row = next(ln for ln in lines if text(ln).startswith("签发人："))
    assert "张伟" in text(first_row) and "李明" in text(first_row)
    names = [c for c in first_row if c["text"] in "张伟李明"]
    assert all("Kai" in c["fontname"] for c in names)
    label = [c for c in first_row if c["text"] in "签发人"]
    assert all("FangSong" in c["fontname"] for c in label)
    assert first_row[-1]["x1"] <= LEFT + BODY_W - CELL + TOL
    assert abs(baseline(number_line[0]) - baseline(first_row[0]) - LINE) <= 0.2


# --------------------------------------------------------------------------- 版记, page numbers


def test_page_numbers_positions(notice_result) -> None:  # type: ignore[no-untyped-def]
    pdf = pdfplumber.open(io.BytesIO(notice_result.pdf))
    assert len(pdf.pages) >= 2
    for n, page in enumerate(pdf.pages[:2], 1):
        nums = [c for c in page.chars if baseline(c) > TOP + BODY_H + 2]
        assert text(sorted(nums, key=lambda c: c["x0"])).replace(" ", "") == f"—{n}—"
        assert all(abs(c["size"] - 14) < 0.1 and "Bousung" in c["fontname"] for c in nums)
        if n % 2:
            assert abs(max(c["x1"] for c in nums) - (LEFT + BODY_W - 14)) <= TOL
        else:
            assert abs(min(c["x0"] for c in nums) - (LEFT + 14)) <= TOL
        # The dash's top edge is 7 mm below the 版心 (ink measured on the raster).
        dash = min(nums, key=lambda c: c["x0"])
        img = raster(notice_result.pdf, n, dpi=300)
        s = 300 / 72
        crop = dark_mask(img).crop((int(dash["x0"] * s), int((TOP + BODY_H) * s),
                                    int(dash["x1"] * s), int((TOP + BODY_H + 15 * MM) * s)))
        box = crop.getbbox()
        assert box is not None
        dash_top = TOP + BODY_H + box[1] / s
        assert abs(dash_top - (TOP + BODY_H + 7 * MM)) <= TOL


def test_colophon_rules_and_last_line_on_body_bottom(notice_result) -> None:  # type: ignore[no-untyped-def]
    pdf = pdfplumber.open(io.BytesIO(notice_result.pdf))
    last = pdf.pages[-1]
    black = sorted((ln for ln in last.lines if ln["stroking_color"] in ((0,), (0.0,), (0, 0, 0))),
                   key=lambda ln: ln["top"])
    assert len(black) == 3
    for ln in black:
        assert abs(ln["x0"] - LEFT) <= TOL and abs(ln["x1"] - (LEFT + BODY_W)) <= TOL
    assert abs(black[-1]["top"] - (TOP + BODY_H)) <= TOL
    assert abs(black[0]["linewidth"] - 0.35 * MM) < 0.05
    assert abs(black[1]["linewidth"] - 0.25 * MM) < 0.05
    assert abs(black[2]["linewidth"] - 0.35 * MM) < 0.05
    rows = lines_of(last, size=14)
    rows = [r for r in rows if baseline(r[0]) < TOP + BODY_H]
    cc, printer = text(rows[-2]), text(rows[-1])
    assert cc.startswith("抄送：") and cc.endswith("。")
    assert printer.startswith("××市政务服务数据管理局办公室") and printer.endswith("2026年3月6日印发")
    assert abs(rows[-1][0]["x0"] - (LEFT + 14)) <= TOL
    assert abs(rows[-1][-1]["x1"] - (LEFT + BODY_W - 14)) <= TOL
    assert black[1]["top"] < baseline(rows[-1][0]) < black[2]["top"]


def test_attachments_start_on_new_page() -> None:
    data = spec(body=["正文。"], attachments=[
        {"name": "检查方案", "body": ["一、检查范围", "全省各级政务部门。"]},
        {"name": "联系人名单", "title": "专项检查联系人名单", "body": ["张三，电话略。"]},
    ])
    result = render_pdf(data, invariant=True)
    pdf = pdfplumber.open(io.BytesIO(result.pdf))
    assert len(pdf.pages) == 3
    for n, (label, title) in enumerate((("附件1", "检查方案"), ("附件2", "专项检查联系人名单")), 2):
        page = pdf.pages[n - 1]
        first = lines_of(page, size=16)[0]
        assert text(first) == label and all("MicroHei" in c["fontname"] for c in first)
        assert abs(first[0]["x0"] - LEFT) <= TOL
        assert abs(baseline(first[0]) - (TOP + LINE / 2 + 0.38 * 16)) <= TOL
        t = lines_of(page, size=22)[0]
        assert text(t) == title
        assert abs(baseline(t[0]) - (TOP + 2.5 * LINE + 0.38 * 22)) <= TOL  # line 3
    assert result.elements["colophon"]["page"] == 3


def test_letter_format() -> None:
    data = json.loads((EXAMPLES / "letter.json").read_text(encoding="utf-8"))
    result = render_pdf(data, invariant=True)
    pdf = pdfplumber.open(io.BytesIO(result.pdf))
    page = pdf.pages[0]
    red = sorted((ln for ln in page.lines if ln["stroking_color"] == (0.9, 0.0, 0.0)),
                 key=lambda ln: ln["top"])
    assert len(red) == 4  # two double lines
    for ln in red:
        assert abs((ln["x1"] - ln["x0"]) - 170 * MM) <= TOL
        assert abs((ln["x0"] + ln["x1"]) / 2 - 105 * MM) <= TOL
    assert red[0]["linewidth"] > red[1]["linewidth"]  # upper pair: thick over thin
    assert red[2]["linewidth"] < red[3]["linewidth"]  # lower pair: thin over thick
    assert abs(PAGE_H - red[3]["bottom"] - 20 * MM) <= TOL
    img = raster(result.pdf, 1)
    box = red_mask(img).crop((0, 0, img.width, int(red[0]["top"] / 72 * 150) - 3)).getbbox()
    assert box is not None and abs(px_to_pt(box[1]) - 30 * MM) <= TOL
    assert abs(red[0]["top"] - px_to_pt(box[3]) - 4 * MM) <= TOL
    number = next(ln for ln in lines_of(page, size=16) if text(ln).endswith("35号"))
    assert abs(number[-1]["x1"] - (LEFT + BODY_W)) <= TOL
    # No page number on the first page of a letter.
    assert not [c for c in page.chars if baseline(c) > TOP + BODY_H + 2]


def test_minutes_attendance() -> None:
    data = json.loads((EXAMPLES / "minutes.json").read_text(encoding="utf-8"))
    pdf = pdfplumber.open(io.BytesIO(render_pdf(data, invariant=True).pdf))
    lines = [ln for p in pdf.pages for ln in lines_of(p, size=16)]
    present = next(ln for ln in lines if text(ln).startswith("出席："))
    assert all("MicroHei" in c["fontname"] for c in present[:3])
    assert all("FangSong" in c["fontname"] for c in present[3:])
    assert abs(present[0]["x0"] - (LEFT + 2 * CELL)) <= TOL
    assert any(text(ln).startswith("请假：") for ln in lines)
    assert any(text(ln).startswith("列席：") for ln in lines)


def test_order_format_mark_20mm_and_no_red_line() -> None:
    data = json.loads((EXAMPLES / "order.json").read_text(encoding="utf-8"))
    result = render_pdf(data, invariant=True)
    pdf = pdfplumber.open(io.BytesIO(result.pdf))
    page = pdf.pages[0]
    assert not [ln for ln in page.lines if ln["stroking_color"] == (0.9, 0.0, 0.0)]
    img = raster(result.pdf, 1)
    box = red_mask(img).getbbox()
    assert box is not None and abs(px_to_pt(box[1]) - (TOP + 20 * MM)) <= TOL
    assert result.seal_anchor is not None


def test_unknown_characters_fall_back_to_an_embedded_font() -> None:
    rare = "玙"  # GBK, outside GB2312: not in the 仿宋 subset
    result = render_pdf(spec(body=[f"姓名：刘{rare}。"]), invariant=True)
    pdf = pdfplumber.open(io.BytesIO(result.pdf))
    chars = [c for c in pdf.pages[0].chars if c["text"] == rare]
    assert chars and "FangSong" not in chars[0]["fontname"]


def test_output_is_reproducible_with_invariant() -> None:
    assert render_pdf(spec(), invariant=True).pdf == render_pdf(spec(), invariant=True).pdf


def test_render_accepts_parsed_spec() -> None:
    result = render_pdf(parse_spec(spec()), invariant=True)
    assert result.pdf.startswith(b"%PDF")
    assert result.pages == len(pdfplumber.open(io.BytesIO(result.pdf)).pages) >= 2


# --------------------------------------------------------------------------- CLI


def test_cli_renders_and_reports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "spec.json"
    src.write_text(json.dumps(spec(), ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "out" / "doc.pdf"
    assert cli.render_command(str(src), str(out)) == 0
    assert out.read_bytes().startswith(b"%PDF")
    pages = len(pdfplumber.open(io.BytesIO(out.read_bytes())).pages)
    assert f"（{pages} 页）" in capsys.readouterr().out


@pytest.mark.parametrize("content,fragment", [
    ("{not json", "不是有效的 JSON"),
    (json.dumps({"doc_type": "通知", "classification": "机密"}), "非涉密"),
    (json.dumps({"doc_type": "通告令"}), "不支持的文种"),
    (json.dumps(spec(doc_number="×政数[2026]12号")), None),  # draft mode: rendered, warned
])
def test_cli_bad_input_is_a_message_not_a_traceback(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, fragment: str | None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    src = tmp_path / "spec.json"
    src.write_text(content, encoding="utf-8")
    out = tmp_path / "doc.pdf"
    code = cli.render_command(str(src), str(out))
    err = capsys.readouterr().err
    assert "Traceback" not in err
    if fragment is None:
        assert code == 0 and "六角括号" in err
    else:
        assert code == 2 and fragment in err and not out.exists()


def test_cli_missing_file_and_english(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OFFICE_LANG", "en")
    assert cli.render_command(str(tmp_path / "nope.json"), str(tmp_path / "x.pdf")) == 2
    assert "File not found" in capsys.readouterr().err
    src = tmp_path / "s.json"
    src.write_text(json.dumps({"doc_type": "通知", "密级": "秘密"}), encoding="utf-8")
    assert cli.render_command(str(src), str(tmp_path / "x.pdf")) == 2
    assert "non-classified" in capsys.readouterr().err


# --------------------------------------------------------------------------- 联合行文


def test_joint_document_mark_and_seals() -> None:
    data = json.loads((EXAMPLES / "joint.json").read_text(encoding="utf-8"))
    result = render_pdf(data, invariant=True)
    pdf = pdfplumber.open(io.BytesIO(result.pdf))
    first = pdf.pages[0]
    red = [c for c in first.chars if c["non_stroking_color"] == (0.9, 0.0, 0.0)]
    rows = defaultdict(list)
    for c in red:
        rows[round(baseline(c))].append(c)
    lines = [sorted(rows[k], key=lambda c: c["x0"]) for k in sorted(rows)]
    texts = [text(ln) for ln in lines]
    assert texts[0] == "广东省政务服务和数据管理局"  # lead body first
    assert "广东省财政厅" in "".join(texts[1:])
    suffix = [c for c in red if c["text"] in "文件"]
    names_right = max(c["x1"] for c in red if c["text"] not in "文件")
    assert min(c["x0"] for c in suffix) > names_right - 1  # "文件" to the right
    # One seal per body, same row, not touching, inside the 版心, last on the date.
    assert len(result.seal_anchors) == 2 and result.seal_anchor == result.seal_anchors[0]
    (p1, x1, y1, w1, _), (p2, x2, y2, w2, _) = result.seal_anchors
    assert p1 == p2 and abs(y1 - y2) < 0.01
    assert (x2 + w2 / 2) - (x1 + w1 / 2) > w1  # centres farther apart than a diameter
    assert x1 >= LEFT - 0.5 and x2 + w2 <= LEFT + BODY_W + 0.5
    page = pdf.pages[p2 - 1]
    date = next(ln for ln in lines_of(page, size=16) if text(ln) == "2026年4月15日")
    assert abs((date[0]["x0"] + date[-1]["x1"]) / 2 - (x2 + w2 / 2)) <= TOL


def test_joint_document_without_seal_stacks_signatures() -> None:
    data = spec(sealed=False, signature="", signatures=["××市财政局", "××市政务服务数据管理局"],
                body=["正文。"])
    result = render_pdf(data, invariant=True)
    assert result.seal_anchor is None and result.seal_anchors == []
    lines = lines_of(pdfplumber.open(io.BytesIO(result.pdf)).pages[0], size=16)
    texts = [text(ln) for ln in lines]
    k = texts.index("××市财政局")
    assert texts[k + 1] == "××市政务服务数据管理局" and texts[k + 2] == "2026年3月5日"
    for ln in (lines[k], lines[k + 1]):
        assert abs(ln[-1]["x1"] - (LEFT + BODY_W - 2 * CELL)) <= TOL


def test_many_joint_seals_wrap_into_rows_inside_the_body() -> None:
    names = ["××市财政局", "××市发展改革委", "××市政务服务数据管理局", "××市审计局"]
    result = render_pdf(spec(signature="", signatures=names, body=["正文。"]), invariant=True)
    anchors = result.seal_anchors
    assert len(anchors) == 4
    for i, a in enumerate(anchors):
        assert a[1] >= LEFT - 0.5 and a[1] + a[3] <= LEFT + BODY_W + 0.5
        for b in anchors[i + 1:]:
            if a[0] != b[0]:
                continue
            dx = (a[1] + a[3] / 2) - (b[1] + b[3] / 2)
            dy = (a[2] + a[4] / 2) - (b[2] + b[4] / 2)
            assert (dx * dx + dy * dy) ** 0.5 > a[3]  # seals neither overlap nor touch


def test_edge_cases_render_without_errors() -> None:
    minimal = {"doc_type": "命令", "issuer_mark": "××市人民政府令", "body": "现予公布。"}
    assert render_pdf(minimal, invariant=True).pages == 1
    url = "详见https://www.example.gov.cn/" + "a/" * 60 + "index.html，请查阅。"
    result = render_pdf(spec(body=[url]), invariant=True)
    for page in pdfplumber.open(io.BytesIO(result.pdf)).pages:
        assert all(c["x1"] <= LEFT + BODY_W + 0.5 for c in page.chars if c["size"] == 16)


def test_characters_no_font_has_are_reported() -> None:
    result = render_pdf(spec(body=["表情😀符号。"]), invariant=True, lang="en")
    assert any("😀" in w and "boxes" in w for w in result.warnings)
    assert not any("😀" in w for w in render_pdf(spec(), invariant=True).warnings)


def test_concurrent_renders_match_sequential() -> None:
    from concurrent.futures import ThreadPoolExecutor

    names = ["notice", "request", "letter", "joint"]
    specs = [json.loads((EXAMPLES / f"{n}.json").read_text(encoding="utf-8")) for n in names]
    expected = [render_pdf(s, invariant=True).pdf for s in specs]
    with ThreadPoolExecutor(max_workers=4) as pool:
        got = list(pool.map(lambda s: render_pdf(s, invariant=True).pdf, specs * 2))
    assert got == expected * 2


# --------------------------------------------------------------------------- issue 7 §8


DOC_EXAMPLES = [n for n in ("notice", "request", "letter", "joint", "minutes", "order", "multipage")
                if (EXAMPLES / f"{n}.json").is_file()]


def _example(name: str) -> dict:
    return json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))


def test_compressed_punctuation_keeps_a_chinese_advance() -> None:
    # The first line (26 cells after the indent) is full just before "。": pulling the
    # mark up takes a cell from the line's three marks, shared, so none looks ASCII.
    first = "根据省发展规划，加快建设数字政府，提升质量、服务效能"
    assert len(first) == 26
    para = first + "。" + FILLER + "。"
    result = render_pdf(spec(body=[para]), invariant=True)
    lines = lines_of(pdfplumber.open(io.BytesIO(result.pdf)).pages[0], size=16)
    line = next(ln for ln in lines if text(ln).startswith("根据"))
    assert text(line) == first + "。"
    assert line[-1]["x1"] <= LEFT + BODY_W + 0.1 * MM  # the pulled-up mark stays inside
    t = text(line)
    i = t.index("发展规划，加快")
    comma, nxt = line[i + 4], line[i + 5]
    assert comma["text"] == "，"
    advance = nxt["x0"] - comma["x0"]
    assert 0.6 * 16 <= advance < CELL - 0.5  # compressed, but far from half-width
    for k, ch in enumerate(line[:-1]):
        assert line[k + 1]["x0"] - ch["x0"] >= 0.5 * 16 - 0.05, (ch["text"], k)


def test_adjacent_marks_give_way_before_lone_ones() -> None:
    from modules.documents.render import HALF as R_HALF
    from modules.documents.render import _tokens, break_lines

    render_pdf(spec(), invariant=True)  # registers the fonts
    head = "数据共享工作要坚持统筹规划（试行），分级负责按需共享安全"
    assert len(head) == 28
    toks = _tokens([(head + "。" + FILLER, "GW-FangSong")], 16.0, R_HALF)
    first = break_lines(toks, 2 * 28, 2 * 28, R_HALF)[0][0]
    assert "".join(t.text for t in first) == head + "。"
    shrink = {t.text: t.shrink for t in first if t.text in "（），"}
    # "）" before "，" gives its whole blank half (down to half an em) ...
    assert abs(shrink["）"] - (CELL - 8)) < 1e-6
    # ... and the lone marks share what is still missing (a whole cell in all).
    assert abs(shrink["（"] - shrink["，"]) < 1e-6 and 0 < shrink["，"] < shrink["）"]
    assert abs(sum(shrink.values()) - CELL) < 1e-6
    assert first[-1].shrink == 0  # never the mark that ends the line


@pytest.mark.parametrize("name", DOC_EXAMPLES)
def test_every_glyph_stays_inside_the_text_block(name: str) -> None:
    result = render_pdf(_example(name), invariant=True)
    for page in pdfplumber.open(io.BytesIO(result.pdf)).pages:
        for c in page.chars:
            if c["text"].strip():
                assert c["x1"] <= LEFT + BODY_W + 0.1 * MM, (name, page.page_number, c["text"], c["x1"] / MM)
                assert c["x0"] >= LEFT - 0.1 * MM, (name, c["text"])


def _grid_offsets(page: pdfplumber.page.Page, below: float) -> list[tuple[str, float]]:
    out = []
    for ln in lines_of(page, size=16):
        b = baseline(ln[0])
        if below < b < TOP + BODY_H:
            k = (b - (TOP + LINE / 2 + 0.38 * 16)) / LINE
            out.append((text(ln), abs(k - round(k))))
    return out


@pytest.mark.parametrize("name", ["spec", *DOC_EXAMPLES])
def test_page_one_body_sits_on_the_grid_of_later_pages(name: str) -> None:
    data = spec(body=[FILLER * 6 + "。"] * 6) if name == "spec" else _example(name)
    pdf = pdfplumber.open(io.BytesIO(render_pdf(data, invariant=True).pdf))
    first = pdf.pages[0]
    red = [ln["top"] for ln in first.lines
           if ln["stroking_color"] == (0.9, 0.0, 0.0) and ln["top"] < PAGE_H / 2]
    marks = [baseline(c) for c in first.chars if c["non_stroking_color"] == (0.9, 0.0, 0.0)]
    header_bottom = max(red + marks) if (red or marks) else TOP
    titles = [baseline(c) for c in first.chars if abs(c["size"] - 22) < 0.1]
    below = max([header_bottom, *titles]) + 1
    offsets = _grid_offsets(first, below)
    assert offsets, name
    for page in pdf.pages[1:2]:
        offsets += _grid_offsets(page, TOP)
    bad = [(t, round(o, 3)) for t, o in offsets if o >= 0.05]
    assert not bad, (name, bad)


@pytest.mark.parametrize("name", ["spec", "joint", "multipage"])
def test_sealed_signature_is_centred_over_the_date(name: str) -> None:
    data = spec() if name == "spec" else _example(name)
    if name != "spec" and not data.get("sealed"):
        pytest.fail(f"{name}.json is expected to be a sealed example")
    result = render_pdf(data, invariant=True)
    page_no = result.seal_anchors[-1][0]
    page = pdfplumber.open(io.BytesIO(result.pdf)).pages[page_no - 1]
    lines = lines_of(page, size=16)
    date_i = max(i for i, ln in enumerate(lines) if text(ln).endswith("日") and "年" in text(ln))
    date, sig = lines[date_i], lines[date_i - 1]
    # The last 署名 of the row above the date (joint documents: several on one line).
    last = sig
    gaps = [k for k in range(1, len(sig)) if sig[k]["x0"] - sig[k - 1]["x1"] > CELL / 2]
    if gaps:
        last = sig[gaps[-1]:]
    date_c = (date[0]["x0"] + date[-1]["x1"]) / 2
    sig_c = (last[0]["x0"] + last[-1]["x1"]) / 2
    assert abs(date_c - sig_c) <= 1 * MM, (name, (date_c - sig_c) / MM)
    assert abs(date[-1]["x1"] - (LEFT + BODY_W - 4 * CELL)) <= TOL


RARE_NAME_CHARS = "喆堃镕玥珺昇旸䶮𠮷"


def test_characters_outside_the_body_font_fall_back_to_a_regular_song() -> None:
    from fontTools.ttLib import TTFont

    result = render_pdf(spec(body=[f"参会人员：{'、'.join(RARE_NAME_CHARS)}等同志。"],
                             recipients="各区"), invariant=True)
    assert not any("方框" in w for w in result.warnings)
    chars = [c for c in pdfplumber.open(io.BytesIO(result.pdf)).pages[0].chars
             if c["text"] in RARE_NAME_CHARS]
    assert {c["text"] for c in chars} == set(RARE_NAME_CHARS)
    for c in chars:
        assert "SongTiExt" in c["fontname"], (c["text"], c["fontname"])
        assert "Hei" not in c["fontname"] and "Bold" not in c["fontname"]
    from modules.common.fonts import font_path

    with TTFont(str(font_path("songti_ext")), lazy=True) as font:
        cmap = font.getBestCmap()
        glyf = font["glyf"]
        for ch in RARE_NAME_CHARS:
            name = cmap.get(ord(ch))
            assert name and name != ".notdef" and glyf[name].numberOfContours != 0, ch
        assert font["OS/2"].usWeightClass == 400


def test_sealed_signature_too_long_to_centre_stays_inside() -> None:
    long_name = "某某省某某市人民政府办公厅政务服务数据管理局"
    result = render_pdf(spec(body=["正文。"], signature=long_name), invariant=True)
    page = pdfplumber.open(io.BytesIO(result.pdf)).pages[0]
    sig = next(ln for ln in lines_of(page, size=16) if text(ln) == long_name)
    assert sig[-1]["x1"] <= LEFT + BODY_W + 0.1 * MM and sig[0]["x0"] >= LEFT - 0.1 * MM
