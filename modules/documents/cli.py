"""Command line: render a document spec (JSON) to a GB/T 9704 PDF.

Wired as ``python main.py document render SPEC.json OUT.pdf``. Prints a clear message
and returns non-zero on bad input; never shows a traceback for expected errors.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

from modules.common.errors import DomainError
from modules.common.messages import normalise_lang


def _lang() -> str:
    return normalise_lang(os.environ.get("OFFICE_LANG") or os.environ.get("LANG", "zh_CN"))


def render_command(spec_path: str, out_path: str, *, strict: bool = False) -> int:
    """Render ``spec_path`` to ``out_path``. Returns 0 on success, 2 on bad input,
    1 when the output cannot be written. The PDF appears only when complete."""
    lang = _lang()
    zh = lang == "zh_CN"
    src = Path(spec_path)
    try:
        raw = src.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        print(f"找不到文件：{src}" if zh else f"File not found: {src}", file=sys.stderr)
        return 2
    except (OSError, UnicodeDecodeError) as exc:
        print(f"无法读取 {src}：{exc}" if zh else f"Cannot read {src}: {exc}", file=sys.stderr)
        return 2
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        msg = (f"{src} 不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列：{exc.msg}）" if zh
               else f"{src} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})")
        print(msg, file=sys.stderr)
        return 2

    from modules.documents.render import render_pdf

    try:
        # SOURCE_DATE_EPOCH (reproducible-builds convention): byte-identical output.
        result = render_pdf(data, strict=strict, lang=lang,
                            invariant=bool(os.environ.get("SOURCE_DATE_EPOCH")))
    except DomainError as exc:
        print(exc.message(lang), file=sys.stderr)
        return 2

    out = Path(out_path)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".render-", suffix=".pdf", dir=out.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(result.pdf)
            os.chmod(tmp, 0o644)
            os.replace(tmp, out)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        print(f"无法写入 {out}：{exc}" if zh else f"Cannot write {out}: {exc}", file=sys.stderr)
        return 1
    for w in result.warnings:
        print(("提示：" if zh else "Note: ") + w, file=sys.stderr)
    pages = result.pages
    print(f"已生成 {out}（{pages} 页）" if zh else f"Wrote {out} ({pages} page{'s' if pages != 1 else ''})")
    return 0


def main(argv: list[str] | None = None) -> int:
    """``python -m modules.documents.cli SPEC.json OUT.pdf``."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 2:
        print("用法 / usage: document render SPEC.json OUT.pdf", file=sys.stderr)
        return 2
    return render_command(args[0], args[1])


if __name__ == "__main__":
    raise SystemExit(main())
