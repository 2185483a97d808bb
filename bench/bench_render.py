"""Render benchmark: time per page of the GB/T 9704 PDF renderer.

Usage::

    .venv/bin/python bench/bench_render.py [--pages 1 5 20 50] [--repeat 5]

What it measures (figures go to docs/PERFORMANCE.md):

1. **Cold start**: the first render in a fresh process (font registration, cmap
   loading, the title lexicon) — one-off cost paid once per process.
2. **Warm render** of a generated 通知 with N pages of body text (headings, mixed
   Latin/digits, punctuation, 附件说明, seal block, 版记): median wall time over
   ``--repeat`` runs, per document and per page, and the PDF size.
3. Each shipped example in ``docs/examples``: median wall time.

Single-threaded, bundled fonts (``OFFICE_BUNDLED_FONTS_ONLY=1``), invariant output.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("OFFICE_BUNDLED_FONTS_ONLY", "1")

PARAS = [
    "一、总体要求",
    "为进一步提升政务数据共享质量，根据《广东省公共数据管理办法》等有关规定，结合2026年工作安排，"
    "现就做好政务数据共享工作提出如下意见：一是加强统筹；二是压实责任；三是强化考核。",
    "（一）工作目标。到2026年底，全省政务数据共享目录覆盖率达到100%，数据更新及时率不低于95%。",
    "1.完善数据资源目录，做到“应编尽编、应享尽享”。",
    "（1）各单位应当于每月10日前更新本单位数据资源目录……",
    "各地、各部门要高度重视，明确责任人和联系人，确保各项工作按时保质完成，"
    "检查结果纳入年度数字政府建设考核评价体系，作为领导班子综合考核评价的重要参考。",
]


def make_spec(pages: int) -> dict:
    """A 通知 whose body fills about ``pages`` pages (≈ 22 lines × 28 characters)."""
    body: list[str] = []
    target_chars = pages * 22 * 26 * 3 // 4  # headings and short last lines take room
    k = 0
    while sum(len(p) for p in body) < target_chars:
        body.append(PARAS[k % len(PARAS)])
        k += 1
    return {
        "doc_type": "通知",
        "issuer_mark": "广东省政务服务和数据管理局文件",
        "doc_number": "粤政数〔2026〕12号",
        "title": "关于开展2026年度全省政务数据共享质量专项检查工作的通知",
        "recipients": "各地级以上市政务服务和数据管理局，省直有关单位",
        "body": body,
        "attachments": ["政务数据共享质量自查表", "专项检查联系人名单"],
        "signature": "广东省政务服务和数据管理局",
        "date": "2026-03-05",
        "sealed": True,
        "cc": "省委办公厅，省人大常委会办公厅，省政府办公厅",
        "printer": "广东省政务服务和数据管理局办公室",
        "print_date": "2026-03-06",
    }


def timed(fn, repeat: int) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    times = []
    result = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="GB/T 9704 renderer: time per page")
    ap.add_argument("--pages", type=int, nargs="+", default=[1, 5, 20, 50])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    from modules.documents.render import render_pdf

    cold = render_pdf(make_spec(1), invariant=True)
    cold_s = time.perf_counter() - t0
    print(f"python {platform.python_version()} on {platform.machine()}, "
          f"{os.cpu_count()} CPUs; median of {args.repeat} runs")
    print(f"cold start (import + fonts + first {cold.pages}-page render): {cold_s * 1000:.0f} ms")
    print()
    print(f"{'target':>7} {'pages':>5} {'total ms':>9} {'ms/page':>8} {'PDF KiB':>8}")
    for n in args.pages:
        spec = make_spec(n)
        secs, result = timed(lambda spec=spec: render_pdf(spec, invariant=True), args.repeat)
        pages = result.pages  # type: ignore[attr-defined]
        size = len(result.pdf) / 1024  # type: ignore[attr-defined]
        print(f"{n:>7} {pages:>5} {secs * 1000:>9.0f} {secs * 1000 / pages:>8.1f} {size:>8.0f}")
    print()
    print(f"{'example':<12} {'pages':>5} {'ms':>6}")
    for path in sorted((ROOT / "docs" / "examples").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if "doc_type" not in data:
            continue
        secs, result = timed(lambda data=data: render_pdf(data, invariant=True), args.repeat)
        print(f"{path.stem:<12} {result.pages:>5} {secs * 1000:>6.0f}")  # type: ignore[attr-defined]
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
