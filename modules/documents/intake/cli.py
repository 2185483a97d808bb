"""``python main.py intake FILE [--json]``: read one incoming file and print the
proposed 登记 fields. Returns 0 on success, 2 on an expected error (printed in the
user's language on stderr, never a traceback), 130 when interrupted."""

from __future__ import annotations

import json
import os
import sys
import unicodedata

from modules.common.errors import DomainError
from modules.common.messages import normalise_lang
from modules.documents.intake.model import FIELD_NAMES

#: Field labels for the human output.
LABELS: dict[str, tuple[str, str]] = {
    "issuer": ("来文单位", "Issuer"),
    "doc_number": ("发文字号", "Document number"),
    "title": ("标题", "Title"),
    "date": ("成文日期", "Date"),
    "classification": ("密级", "Classification"),
    "urgency": ("紧急程度", "Urgency"),
    "addressees": ("主送", "Addressees"),
    "attachments": ("附件", "Attachments"),
    "page_count": ("页数", "Pages"),
}


def _display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal (CJK characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _lang() -> str:
    return normalise_lang(os.environ.get("OFFICE_LANG") or os.environ.get("LANG", "zh_CN"))


def intake_command(path: str, as_json: bool = False) -> int:
    """Read ``path`` and print its fields (``as_json``: ``IntakeResult.to_dict()``)."""
    from modules.documents.intake.read import read_file

    lang = _lang()
    zh = lang == "zh_CN"
    show_progress = not as_json and sys.stderr.isatty()

    def progress(done: int, total: int) -> None:
        if show_progress:
            print(f"\r{done}/{total}", end="" if done < total else "\n", file=sys.stderr, flush=True)

    try:
        result = read_file(path, progress=progress)
    except DomainError as exc:
        if as_json:
            print(json.dumps({"error": exc.to_dict(lang)}, ensure_ascii=False))
        else:
            print(exc.message(lang), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("已中断" if zh else "Interrupted", file=sys.stderr)
        return 130
    if as_json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        return 0
    kinds = {"pdf": "PDF", "image": "图片" if zh else "image", "docx": "Word (.docx)", "ofd": "OFD"}
    print(f"{'类型' if zh else 'Kind'}: {kinds.get(result.kind, result.kind)}  "
          f"{'页数' if zh else 'Pages'}: {result.page_count}")
    width = 10 if zh else 17
    for name in FIELD_NAMES:
        f = result.fields[name]
        label = LABELS[name][0 if zh else 1]
        pages = sorted({b.page + 1 for b in f.boxes})
        where = (f"{'第' if zh else 'p. '}{','.join(map(str, pages))}{'页' if zh else ''}" if pages else "")
        if f.value:
            value = f.value.replace("\n", "；")
        elif name == "classification":
            value = "无（未见密级标志）" if zh else "none (no marking seen)"
        else:
            value = "（未识别）" if zh else "(not read)"
        pad = " " * max(1, width - _display_width(label))
        print(f"{label}{pad}{value}  [{f.confidence:.2f}{'  ' + where if where else ''}]")
    for w in result.warnings:
        print(("注意：" if zh else "Note: ") + w)
    return 0
