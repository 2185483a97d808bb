"""Intake of files with a text layer (PDF, .docx, .ofd), the field rules, the errors and
the command line — everything that needs no OCR model."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from modules.common.errors import ClassifiedRefused
from modules.common.messages import render as render_message
from modules.documents.intake import ocr
from modules.documents.intake.errors import (
    IntakeCancelled,
    NoText,
    OcrNotInstalled,
    UnreadableFile,
    UnsupportedFile,
)
from modules.documents.intake.fields import PageRows, parse_date, propose
from modules.documents.intake.model import FIELD_NAMES, Box, IntakeResult, Line
from modules.documents.intake.read import read_bytes, read_file
from tests.documents_intake import support

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "docs" / "examples"


def mismatches(result: IntakeResult, want: dict[str, str]) -> dict[str, tuple[str, str]]:
    """Fields whose read value differs from the wanted one: {name: (read, wanted)}."""
    assert set(result.fields) == set(FIELD_NAMES)
    return {k: (result.fields[k].value, v) for k, v in want.items() if result.fields[k].value != v}


@pytest.mark.parametrize("name", ["notice", "request", "joint", "letter", "minutes", "order", "multipage"])
def test_text_layer_pdf_every_field(name: str) -> None:
    spec = json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))
    pdf, pages = support.render(spec)
    result = read_bytes(pdf, f"{name}.pdf", page_images=False)
    assert result.kind == "pdf"
    assert result.page_count == pages
    assert mismatches(result, support.expected(spec, pages)) == {}
    # every read field says where it was read, on a real page, inside the page
    for f in result.fields.values():
        if f.value and f.name != "page_count":
            assert f.boxes and 0 < f.confidence <= 1
            for b in f.boxes:
                page = result.pages[b.page]
                assert 0 <= b.x0 < b.x1 <= page.width and 0 <= b.y0 < b.y1 <= page.height


def test_text_pdf_boxes_are_where_the_renderer_put_the_text() -> None:
    spec = support.notice()
    pdf, _ = support.render(spec)
    result = read_file_bytes(pdf, "n.pdf")
    number = result.fields["doc_number"].boxes[0]
    title = result.fields["title"].boxes[0]
    date = result.fields["date"].boxes[0]
    width = result.pages[0].width
    # 发文字号 and title centred on the 版心 (28 mm left, 26 mm right margin)
    centre = (28 + (210 - 26)) / 2 / 210 * width
    assert abs((number.x0 + number.x1) / 2 - centre) < 0.02 * width
    assert abs((title.x0 + title.x1) / 2 - centre) < 0.02 * width
    assert number.y1 < title.y0 < date.y0
    assert (date.x0 + date.x1) / 2 > 0.6 * width  # the 成文日期 on the right
    image = Image.open(__import__("io").BytesIO(result.pages[0].image))
    assert image.size == (result.pages[0].width, result.pages[0].height)


def read_file_bytes(data: bytes, name: str) -> IntakeResult:
    return read_bytes(data, name)


def test_docx_every_field() -> None:
    spec = support.notice()
    result = read_bytes(support.build_docx(spec), "notice.docx")
    assert result.kind == "docx"
    assert mismatches(result, support.expected(spec, 1)) == {}
    assert "抄送：市政府办公厅。" in result.text  # the table is read too


def test_docx_page_breaks_count_pages(tmp_path: Path) -> None:
    import docx
    from docx.enum.text import WD_BREAK

    d = docx.Document()
    d.add_paragraph("第一页")
    d.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    d.add_paragraph("第二页")
    path = tmp_path / "two.docx"
    d.save(str(path))
    result = read_file(path)
    assert result.page_count == 2
    assert result.fields["page_count"].value == "2"


def test_ofd_every_field() -> None:
    spec = support.notice()
    result = read_bytes(support.ofd_notice(spec), "notice.ofd")
    assert result.kind == "ofd"
    assert mismatches(result, support.expected(spec, 1)) == {}
    # positions come from the TextObject boundaries: the title is centred, the date right
    width = result.pages[0].width
    title = result.fields["title"].boxes[0]
    assert abs((title.x0 + title.x1) / 2 - width * 106 / 210) < 0.03 * width


def test_ofd_header_on_a_template_page() -> None:
    """Issuing systems often draw the 版头 (标志, 发文字号) on a TemplatePage."""
    spec = support.notice()
    data = support.ofd_notice(spec, header_in_template=True)
    import zipfile

    with zipfile.ZipFile(__import__("io").BytesIO(data)) as z:
        page = z.read("Doc_0/Pages/Page_0/Content.xml").decode()
    assert spec["doc_number"] not in page  # really only in the template
    result = read_bytes(data, "t.ofd")
    assert mismatches(result, support.expected(spec, 1)) == {}


def test_ofd_without_doc_root_is_unreadable() -> None:
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("OFD.xml", '<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016"><ofd:DocBody/></ofd:OFD>')
    with pytest.raises(UnreadableFile) as err:
        read_bytes(buf.getvalue(), "bad.ofd")
    assert "DocRoot" in err.value.message("en")


@pytest.mark.parametrize(("data", "name", "error"), [
    (b"hello", "a.txt", UnsupportedFile),
    (b"", "a.pdf", UnreadableFile),
    (b"%PDF-1.7\n garbage", "a.pdf", UnreadableFile),
    (b"\x89PNG\r\n\x1a\n broken", "a.png", UnreadableFile),
    (b"PK\x03\x04 broken zip", "a.docx", UnreadableFile),
    (b"not a pdf at all", "a.pdf", UnreadableFile),
])
def test_bad_files_give_clear_errors(data: bytes, name: str, error: type[Exception]) -> None:
    with pytest.raises(error) as err:
        read_bytes(data, name)
    exc = err.value
    assert isinstance(exc, UnreadableFile | UnsupportedFile)
    for lang in ("zh_CN", "en"):
        text = exc.message(lang)
        assert name in text and exc.code not in text


def test_a_file_without_text_says_so() -> None:
    import docx

    d = docx.Document()
    d.add_paragraph("")
    buf = __import__("io").BytesIO()
    d.save(buf)
    with pytest.raises(NoText) as err:
        read_bytes(buf.getvalue(), "blank.docx")
    assert "blank.docx" in err.value.message("zh_CN")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFile):
        read_file(tmp_path / "nope.pdf")


def test_classified_marking_refuses() -> None:
    spec = support.notice()
    import docx

    d = docx.Document()
    d.add_paragraph("机密★1年")
    d.add_paragraph(spec["title"])
    import io

    buf = io.BytesIO()
    d.save(buf)
    with pytest.raises(ClassifiedRefused) as err:
        read_bytes(buf.getvalue(), "c.docx")
    assert err.value.params["level"] == "机密"
    # 保守秘密 in the text is ordinary language
    d2 = docx.Document()
    d2.add_paragraph("各单位要保守秘密，严守纪律。")
    buf2 = io.BytesIO()
    d2.save(buf2)
    assert read_bytes(buf2.getvalue(), "ok.docx").fields["classification"].value == ""


def test_level_alone_top_left_refuses() -> None:
    """A scan whose ★ the OCR lost: the level alone flush left in the header."""
    rows = (Line("秘密", 0.9, Box(0, 220, 200, 300, 240)),
            Line("××市人民政府文件", 0.99, Box(0, 250, 560, 1420, 680)))
    with pytest.raises(ClassifiedRefused):
        propose([PageRows(0, 1654, 2339, rows)])


def test_progress_and_cancellation_between_pages() -> None:
    pdf, pages = support.render(json.loads((EXAMPLES / "multipage.json").read_text(encoding="utf-8")))
    seen: list[tuple[int, int]] = []
    read_bytes(pdf, "m.pdf", progress=lambda d, t: seen.append((d, t)), page_images=False)
    assert seen == [(i, pages) for i in range(pages + 1)]
    calls: list[tuple[int, int]] = []
    with pytest.raises(IntakeCancelled) as err:
        read_bytes(pdf, "m.pdf", progress=lambda d, t: calls.append((d, t)),
                   cancelled=lambda: len(calls) >= 3, page_images=False)
    assert calls == [(0, pages), (1, pages), (2, pages)]
    assert err.value.params == {"done": 2, "total": pages}
    assert "2/5" in err.value.message("zh_CN") and "2 of 5" in err.value.message("en")


def test_without_the_ocr_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    """Images and scans say how to enable OCR; .docx, .ofd and text PDFs still work."""
    monkeypatch.setitem(sys.modules, "rapidocr", None)
    assert ocr.missing() == ["rapidocr==3.10.0"]
    pdf, pages = support.render(support.notice())
    scan = support.pdf_of(support.rasterise(pdf, 100), 100)
    png = __import__("io").BytesIO()
    support.rasterise(pdf, 50)[0].save(png, format="PNG")
    for data, name in ((scan, "scan.pdf"), (png.getvalue(), "photo.png")):
        with pytest.raises(OcrNotInstalled) as err:
            read_bytes(data, name)
        assert 'pip install -e ".[ocr]"' in err.value.message("en")
        assert 'pip install -e ".[ocr]"' in err.value.message("zh_CN")
        assert "rapidocr==3.10.0" in err.value.message("en")
    want = support.expected(support.notice(), pages)
    assert mismatches(read_bytes(pdf, "n.pdf", page_images=False), want) == {}
    assert read_bytes(support.build_docx(support.notice()), "n.docx").fields["title"].value == want["title"]
    assert read_bytes(support.ofd_notice(support.notice()), "n.ofd").fields["doc_number"].value == want["doc_number"]


# --- the rules on their own -----------------------------------------------------------

def _rows(*items: tuple[str, float, float, float, float]) -> PageRows:
    return PageRows(0, 1654, 2339, tuple(Line(t, 0.95, Box(0, x0, y0, x1, y1)) for t, x0, y0, x1, y1 in items))


def test_ocr_brackets_and_leading_zeros_normalised() -> None:
    page = _rows(("××市人民政府文件", 250, 560, 1420, 680),
                 ("×府办[2026]012号", 640, 860, 1030, 906),
                 ("关于做好防汛工作的通知", 400, 1105, 1250, 1165),
                 ("各区人民政府：", 222, 1276, 560, 1323),
                 ("现将有关事项通知如下，请认真贯彻执行。有关工作要求另行通知，各单位务必按时完成。", 310, 1359, 1445, 1405))
    got = propose([page])
    assert got["doc_number"].value == "×府办〔2026〕12号"
    assert got["doc_number"].confidence < 0.95  # brackets were not 〔〕
    assert got["title"].value == "关于做好防汛工作的通知"
    assert got["addressees"].value == "各区人民政府"
    assert got["issuer"].value == "××市人民政府"


def test_a_number_cited_in_the_text_is_not_the_doc_number() -> None:
    spec = support.notice(doc_number="", body=["根据《广东省人民政府关于加强数据管理的通知》（粤府〔2025〕3号）要求，"
                                                "现就有关事项通知如下，请认真贯彻落实，确保各项工作按期完成。"])
    pdf, _ = support.render(spec)
    got = read_bytes(pdf, "n.pdf", page_images=False)
    assert got.fields["doc_number"].value == ""
    assert got.fields["title"].value == spec["title"]


def test_print_date_is_never_the_document_date() -> None:
    page = _rows(("××市人民政府文件", 250, 560, 1420, 680),
                 ("×府〔2026〕3号", 640, 860, 1030, 906),
                 ("关于做好防汛工作的通知", 400, 1105, 1250, 1165),
                 ("现将有关事项通知如下，请认真贯彻执行。有关工作要求另行通知，各单位务必按时完成。", 310, 1359, 1445, 1405),
                 ("××市人民政府办公室", 262, 2006, 838, 2044),
                 ("2026年3月6日印发", 1100, 2006, 1406, 2044))
    assert propose([page])["date"].value == ""


@pytest.mark.parametrize(("text", "iso"), [
    ("2026年3月5日", "2026-03-05"), ("2026 年 12 月 31 日", "2026-12-31"),
    ("二〇二六年三月十五日", "2026-03-15"), ("二○二五年十二月二十日", "2025-12-20"),
])
def test_dates(text: str, iso: str) -> None:
    assert parse_date(text) == (iso, True)


# --- the command line -----------------------------------------------------------------

def _cli(*args: str, lang: str = "en") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "OFFICE_LANG": lang}
    return subprocess.run([sys.executable, str(ROOT / "main.py"), "intake", *args],
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)


def test_cli_json_and_human(tmp_path: Path) -> None:
    spec = support.notice()
    path = tmp_path / "notice.docx"
    path.write_bytes(support.build_docx(spec))
    out = _cli(str(path), "--json")
    assert out.returncode == 0, out.stderr
    data: dict[str, Any] = json.loads(out.stdout)
    assert data["kind"] == "docx" and data["page_count"] == 1
    want = support.expected(spec, 1)
    assert {k: v["value"] for k, v in data["fields"].items()} == want
    assert data["fields"]["doc_number"]["boxes"][0]["page"] == 0
    human = _cli(str(path), lang="zh_CN")
    assert human.returncode == 0
    assert "发文字号" in human.stdout and "穗政数〔2026〕15号" in human.stdout and "第1页" in human.stdout
    bad = tmp_path / "x.txt"
    bad.write_text("hello")
    refused = _cli(str(bad))
    assert refused.returncode == 2 and "Unsupported file type" in refused.stderr
    assert "Traceback" not in refused.stderr
    err_json = _cli(str(bad), "--json")
    assert json.loads(err_json.stdout)["error"]["code"] == "intake.unsupported"


def test_every_error_code_has_both_languages() -> None:
    from modules.documents.intake.errors import MESSAGES

    for code in MESSAGES:
        for lang in ("zh_CN", "en"):
            assert render_message(code, lang, {}) != code


def test_upside_down_layout_recognised() -> None:
    """A page fed upside down: its lines (read right way round by the OCR's line
    classifier) sit in reversed places; the turned layout is the better 公文."""
    from modules.documents.intake.read import upside_down

    pdf, _ = support.render(support.notice())
    page = read_bytes(pdf, "n.pdf", page_images=False).pages[0]
    lines = list(page.lines)
    w, h = page.width, page.height
    turned = [Line(ln.text, ln.confidence, Box(0, w - ln.box.x1, h - ln.box.y1, w - ln.box.x0, h - ln.box.y0))
              for ln in lines]
    assert not upside_down(lines, w, h)
    assert upside_down(turned, w, h)
    # a page of body text only gives no reason to turn either way
    body = [ln for ln in lines if 1300 < ln.box.y0 < 1500]
    assert body and not upside_down(body, w, h)


def test_sideways_boxes_recognised() -> None:
    from modules.documents.intake.read import sideways

    columns = [Line("字", 0.9, Box(0, 100 + 60 * i, 200, 140 + 60 * i, 900)) for i in range(8)]
    rows = [Line("一行文字" * 5, 0.9, Box(0, 200, 300 + 80 * i, 1400, 345 + 80 * i)) for i in range(8)]
    assert sideways(columns)
    assert not sideways(rows)
    assert not sideways(columns[:3])  # too little to tell

