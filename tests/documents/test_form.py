"""办文单 PDF (modules/documents/form.py): content, opinions, handwriting, fonts."""

from __future__ import annotations

import copy
import importlib.util
import io
import re
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from pypdf import PdfReader

from modules.common.errors import ClassifiedRefused, ValidationFailed
from modules.documents.archive.pdf import inspect_pdf
from modules.documents.form import (
    LABEL_W,
    MARGIN_L,
    MARGIN_R,
    format_time,
    normalise_ink,
    render_form,
)

ROOT = Path(__file__).resolve().parents[2]


def _samples() -> Any:
    spec = importlib.util.spec_from_file_location("make_archive_sample",
                                                  ROOT / "scripts" / "make_archive_sample.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SAMPLES = _samples()


def _text(pdf: bytes, values_only: bool = False) -> str:
    """The text of every page; ``values_only``: right of the label column, so a row
    label printed beside a wrapped opinion does not land inside its words."""
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        pages = doc.pages
        if values_only:
            pages = [p.crop((MARGIN_L + LABEL_W + 1, 0, p.width, p.height)) for p in pages]
        return "".join(page.extract_text() or "" for page in pages)


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _ops(pdf: bytes) -> list[bytes]:
    reader = PdfReader(io.BytesIO(pdf))
    from pypdf.generic import ContentStream

    out: list[bytes] = []
    for page in reader.pages:
        out += [op for _, op in ContentStream(page.get_contents(), reader).operations]
    return out


@pytest.fixture(scope="module")
def incoming_pdf() -> bytes:
    return render_form(SAMPLES.sample_incoming())


def test_incoming_form_has_heading_rows_and_every_opinion(incoming_pdf: bytes) -> None:
    doc = SAMPLES.sample_incoming()
    text = _flat(_text(incoming_pdf))
    values = _flat(_text(incoming_pdf, values_only=True))
    assert "江海市政务服务数据管理局收文处理笺" in text
    for label in ("来文机关", "来文字号", "紧急程度", "办理时限", "拟办意见", "领导批示",
                  "承办结果", "传阅", "初审意见", "办结"):
        assert label in text, label
    assert "广东省政务服务和数据管理局" in text
    assert "粤政数〔2026〕12号" in text
    assert "江数收〔2026〕87号" in text
    assert _flat(doc["title"]) in values
    for op in doc["opinions"]:
        assert _flat(op["text"]) in values, op["text"]
        assert op["person"]["name"] in values
        assert op["person"]["post"] in values
        assert _flat(format_time(op["at"])) in values
    # times are shown in China time: 07:42Z is 15:42
    assert "2026年11月16日15:42" in values


def test_outgoing_form_is_a_draft_sheet_with_sign_and_countersign() -> None:
    doc = SAMPLES.sample_outgoing()
    pdf = render_form(doc)
    text = _flat(_text(pdf))
    assert "广东省人民政府办公厅发文稿纸" in text
    for label in ("签发", "会签", "核稿意见", "拟稿单位", "拟稿人", "主送", "抄送", "复核", "分发"):
        assert _flat(label) in text, label
    # 签发 and 会签 share a row: read each half on its own
    with pdfplumber.open(io.BytesIO(pdf)) as d:
        page = d.pages[0]
        mid = MARGIN_L + LABEL_W * 2 + (page.width - MARGIN_L - MARGIN_R - 2 * LABEL_W) / 2
        left = _flat(page.crop((MARGIN_L + LABEL_W + 1, 0, mid - LABEL_W - 1, page.height)).extract_text())
        right = _flat(page.crop((mid + 1, 0, page.width, page.height)).extract_text())
    assert "同意印发。" in left and "局长王志强" in left
    assert _flat(doc["opinions"][2]["text"]) in right
    values = _flat(_text(pdf, values_only=True))
    for op in doc["opinions"][:1] + doc["opinions"][4:]:
        assert _flat(op["text"]) in values
    assert "粤办发〔2026〕9号" in text
    assert "江海市人民政府" in text


def test_fonts_are_embedded_and_nothing_unembedded_draws_text(incoming_pdf: bytes) -> None:
    reader = PdfReader(io.BytesIO(incoming_pdf))
    seen = 0
    for page in reader.pages:
        fonts = page["/Resources"]["/Font"]
        for ref in fonts.values():
            font = ref.get_object()
            descriptor = font["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor, font["/BaseFont"]
            seen += 1
    assert seen >= 3
    facts = inspect_pdf(incoming_pdf)
    assert facts.error == "" and facts.unembedded == [] and facts.pages >= 1


def test_ink_is_drawn_as_curves_with_pressure_widths() -> None:
    doc = SAMPLES.sample_incoming()
    with_ink = render_form(doc)
    bare = copy.deepcopy(doc)
    for op in bare["opinions"]:
        op.pop("ink", None)
    without = render_form(bare)
    curves_ink = _ops(with_ink).count(b"c")
    curves_bare = _ops(without).count(b"c")
    assert curves_ink - curves_bare > 100  # two signatures of ~190 points, as Béziers
    reader = PdfReader(io.BytesIO(with_ink))
    from pypdf.generic import ContentStream

    widths = {round(float(args[0]), 2)
              for page in reader.pages
              for args, op in ContentStream(page.get_contents(), reader).operations if op == b"w"}
    assert len(widths) > 10  # width follows the pen pressure


def test_ink_pad_format_and_point_lists_are_accepted() -> None:
    pad = {"format": "office-collab/ink/1", "width": 480, "height": 200,
           "strokes": [[[10, 20, 0.5, 0], [100, 120, 0.9, 16], [200, 40, 0.2, 33]]]}
    aspect, strokes = normalise_ink(pad)
    assert aspect == pytest.approx(2.4)
    assert strokes[0][1] == pytest.approx((100 / 480, 120 / 200, 0.9))
    aspect, strokes = normalise_ink([[[0.1, 0.2], [0.3, 0.4, 1.5]]])
    assert strokes[0][1][2] == 1.0  # pressure clamped
    doc = SAMPLES.sample_incoming()
    doc["opinions"][2]["ink"] = pad
    assert b"%PDF" in render_form(doc)[:8]


@pytest.mark.parametrize("ink", [
    "scribble",
    [["not a point"]],
    [[{"x": "a", "y": 1}]],
    [[]],
    {"format": "office-collab/ink/1", "width": 0, "height": 10, "strokes": []},
])
def test_malformed_ink_is_refused_with_the_persons_name(ink: Any) -> None:
    doc = SAMPLES.sample_incoming()
    doc["opinions"][2]["ink"] = ink
    with pytest.raises(ValidationFailed) as exc:
        render_form(doc)
    assert exc.value.code == "document.form_bad_ink"
    assert "王志强" in exc.value.message()


def test_delegated_opinion_and_circled_instruction() -> None:
    doc = SAMPLES.sample_incoming()
    doc["opinions"][2]["written_by"] = {"id": "p-sec", "name": "刘洋", "post": "秘书"}
    doc["opinions"].append({"step": "instruct", "kind": "批示", "text": "",
                            "person": {"id": "p-dep", "name": "赵丽", "post": "副局长"},
                            "at": "2026-11-16T08:00:00Z"})
    text = _flat(_text(render_form(doc), values_only=True))
    assert "刘洋（代王志强）" in text
    assert "（圈阅）" in text


def test_long_processing_spills_onto_numbered_pages() -> None:
    doc = SAMPLES.sample_incoming()
    extra = [{"step": "circulate", "kind": "意见", "text": f"已阅，第{i}位传阅人意见。" * 3,
              "person": {"id": f"p-{i}", "name": f"传阅人{i}", "post": "处长"},
              "at": "2026-11-18T02:00:00Z"} for i in range(40)]
    doc["opinions"] = doc["opinions"] + extra
    pdf = render_form(doc)
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    assert pages >= 3
    text = _flat(_text(pdf, values_only=True))
    assert f"共{pages}页" in _flat(_text(pdf))
    assert "传阅人39" in text and "传阅人0" in text


def test_same_input_same_bytes() -> None:
    doc = SAMPLES.sample_outgoing()
    assert render_form(doc) == render_form(doc)


def test_classified_document_is_refused() -> None:
    doc = SAMPLES.sample_incoming()
    doc["spec"] = dict(doc["spec"], classification="机密")
    with pytest.raises(ClassifiedRefused):
        render_form(doc)


def test_not_a_mapping_is_a_clear_error() -> None:
    with pytest.raises(ValidationFailed) as exc:
        render_form(["not", "a", "document"])  # type: ignore[arg-type]
    assert exc.value.code == "document.form_bad_document"


def test_sparse_entities_still_render_a_blank_form() -> None:
    for doc in ({}, {"kind": "incoming"},
                {"kind": "incoming", "spec": None, "workflow": None,
                 "opinions": [{"step": "instruct", "text": "同意", "person": "张三", "at": "bad"}]}):
        pdf = render_form(doc)
        text = _flat(_text(pdf))
        assert ("收文处理笺" if doc.get("kind") == "incoming" else "发文稿纸") in text
    assert "同意" in text and "张三" in text


def test_many_countersigners_get_full_width_rows() -> None:
    doc = SAMPLES.sample_outgoing()
    doc["opinions"] = doc["opinions"] + [
        {"step": "countersign", "kind": "意见", "text": f"第{i}会签单位同意。",
         "person": {"id": f"p-c{i}", "name": f"会签人{i}", "post": "处长"},
         "at": "2026-11-04T03:00:00Z"} for i in range(12)]
    pdf = render_form(doc)
    values = _flat(_text(pdf, values_only=True))
    for i in range(12):
        assert f"第{i}会签单位同意。" in values
        assert f"处长会签人{i}2026年11月4日11:00" in values
