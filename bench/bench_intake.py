"""Benchmark: intake (收文录入) accuracy and speed on scans of the 15 document types.

For each of the 15 types of the 条例 (Art. 8) a document is generated with its own
issuer, 发文字号, title, 主送, attachments, urgency and date, rendered by the project's
renderer (modules/documents/render.py), a red seal pressed on the 署名 where the
renderer leaves room for it, and page 1 rasterised with pypdfium2 at 150, 200 and
300 dpi. Each image is read twice: clean (as rendered) and degraded (rotated 2-4°,
grey noise, blur, JPEG at quality 75; at 150 dpi that is a poor fax-like scan). Every
field is compared with what the spec says.

Speed: seconds per page (wall and process CPU) with the model loaded once for the run,
and with the model loaded again for every call (what a naive per-request server would
do). The machine is shared, so CPU seconds are the steadier figure.

Run:  .venv/bin/python bench/bench_intake.py [--plan 200:15,150:15,300:15] [--write]
(``--plan`` gives, per resolution, how many of the 15 types are scanned.)
With ``--write`` the tables replace the marked sections of docs/INTAKE.md and
docs/PERFORMANCE.md ("Intake OCR (issue 13)").
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PIL import Image  # noqa: E402

from modules.documents.intake import ocr  # noqa: E402
from modules.documents.intake.model import FIELD_NAMES  # noqa: E402
from modules.documents.intake.read import read_bytes  # noqa: E402
from tests.documents_intake import support  # noqa: E402

TYPES = ("通知", "通报", "报告", "请示", "批复", "意见", "决定", "函", "纪要", "公告",
         "通告", "决议", "命令", "议案", "公报")
BODIES = ("广州市政务服务数据管理局", "广东省人民政府办公厅", "深圳市发展和改革委员会",
          "佛山市人民政府", "珠海市财政局", "广东省教育厅", "东莞市自然资源局",
          "中山市卫生健康局", "江门市交通运输局", "惠州市生态环境局", "汕头市商务局",
          "湛江市水务局", "韶关市农业农村局", "肇庆市应急管理局", "清远市文化广电旅游体育局")
CODES = ("穗政数", "粤办", "深发改", "佛府", "珠财", "粤教", "莞自然资", "中卫健", "江交",
         "惠环", "汕商", "湛水", "韶农", "肇应急", "清文旅")
TOPICS = ("政务数据共享质量专项检查", "2026年度重点项目建设资金安排", "汛期安全生产工作",
          "一体化政务服务平台升级改造", "基层治理数字化试点", "优化营商环境若干措施",
          "城市更新项目用地保障", "公共卫生应急能力建设", "农村公路养护管理",
          "重点流域水污染防治", "外贸稳规模优结构", "城乡供水一体化", "高标准农田建设",
          "森林防灭火工作", "公共文化服务体系建设")
FIELDS = [n for n in FIELD_NAMES if n != "classification"]


def spec_for(i: int, rng: random.Random) -> dict[str, Any]:
    """The i-th benchmark document (type TYPES[i])."""
    kind = TYPES[i % len(TYPES)]
    body = BODIES[i % len(BODIES)]
    code = CODES[i % len(CODES)]
    topic = TOPICS[i % len(TOPICS)]
    date = dt.date(2026, 1, 5) + dt.timedelta(days=rng.randint(0, 330))
    number = rng.randint(1, 260)
    filler = ("为做好" + topic + "有关工作，经研究，现将有关事项明确如下，请各单位结合实际认真贯彻落实，"
              "及时报送工作进展情况。")
    spec: dict[str, Any] = {
        "doc_type": kind,
        "issuer_mark": body + ("文件" if kind not in ("函",) else ""),
        "doc_number": f"{code}{'函' if kind == '函' else ''}〔2026〕{number}号",
        "title": f"关于{topic}的{kind}" if kind != "命令" else "",
        "recipients": rng.choice(["各区人民政府，市政府各部门", "省直有关单位", "各地级以上市人民政府",
                                  "市人民政府", "各县（市、区）人民政府，市直各单位"]),
        "body": [filler],
        "signature": body,
        "date": date.isoformat(),
        "sealed": True,
        "printer": body + "办公室",
        "print_date": (date + dt.timedelta(days=1)).isoformat(),
    }
    if rng.random() < 0.5:
        spec["urgency"] = rng.choice(["特急", "加急"])
    if rng.random() < 0.6:
        spec["attachments"] = rng.sample(["工作任务分工表", "项目清单", "联系人名单", "检查内容及评分标准",
                                          "资金安排明细表"], k=rng.randint(1, 2))
    if kind in ("请示", "报告"):
        spec["signers"] = [rng.choice(["李明", "王芳", "陈静"])]
        spec["recipients"] = rng.choice(["市人民政府", "省人民政府"])
    if kind == "纪要":
        spec.update(issuer_mark=body + "专题会议纪要", title="", doc_number=f"〔2026〕{number}号",
                    present=["李明", "赵强"], sealed=False)
        spec.pop("recipients")
        spec.pop("signature")
        spec.pop("date")
    if kind == "命令":
        spec.update(issuer_mark=body.removesuffix("办公厅") + "令", order_number=f"第{number}号",
                    signer_post="市长", signers=["张明远"])
        for k in ("doc_number", "recipients", "signature", "attachments", "urgency"):
            spec.pop(k, None)
    return spec


def pages_needed(pdf: bytes) -> int:
    """Pages up to the one holding the 署名 and 成文日期 (the 版记 page after it is not
    scanned): found from the rendering's own text layer."""
    result = read_bytes(pdf, "x.pdf", page_images=False)
    boxes = result.fields["date"].boxes or result.fields["title"].boxes
    return (max(b.page for b in boxes) + 1) if boxes else 1


def sealed_pages(spec: dict[str, Any], pdf: bytes, dpi: int, count: int) -> list[Any]:
    """Pages 1..count at ``dpi`` with the red seal pressed where the renderer left room."""
    images = support.rasterise(pdf, dpi)[:count]
    for anchor in support.seal_anchors(spec):
        page = anchor[0] - 1
        if page < count:
            images[page] = support.press_seal(images[page], anchor, dpi, name=spec.get("signature") or "")
    return images


def run(plan: list[tuple[int, int]], seed: int,
        after_group: Callable[[dict[str, Any]], None] | None = None) -> dict[str, Any]:
    """``plan``: (dpi, number of document types) pairs, read clean and degraded.
    ``after_group`` gets the results so far after every (dpi, variant) group."""
    rng = random.Random(seed)
    types = max(n for _, n in plan)
    dpis = [d for d, _ in plan]
    all_specs = [spec_for(i, rng) for i in range(types)]
    # first (so a sweep cut short still has them): the model loaded per call, three
    # reads each after forgetting the engine
    per_call: list[tuple[float, float]] = []
    pdf, _ = support.render(all_specs[0])
    data = support.jpeg(sealed_pages(all_specs[0], pdf, 200, 1)[0], 92)
    read_bytes(data, "page.jpg")  # warm-up: the imports, as in a running server
    for _ in range(3):
        ocr.reset()
        w0, c0 = time.perf_counter(), time.process_time()
        read_bytes(data, "page.jpg")
        per_call.append((time.perf_counter() - w0, time.process_time() - c0))
    # a new process for every call (python main.py intake FILE): imports + model + read
    per_process: list[tuple[float, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "page.jpg"
        path.write_bytes(data)
        for _ in range(2):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            w0 = time.perf_counter()
            subprocess.run([sys.executable, str(ROOT / "main.py"), "intake", str(path), "--json"],
                           check=True, capture_output=True, cwd=ROOT)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            per_process.append((time.perf_counter() - w0, cpu))
    ocr.engine()  # loaded once, before the clock
    hits: dict[tuple[int, str], dict[str, list[bool]]] = {}
    samples: list[tuple[float, float]] = []
    failures: list[str] = []
    for dpi, n_types in plan:
        specs = all_specs[:n_types]
        for variant in ("clean", "degraded"):
            key = (dpi, variant)
            hits[key] = {f: [] for f in FIELDS}
            for i, spec in enumerate(specs):
                pdf, _ = support.render(spec)
                count = pages_needed(pdf)
                images = sealed_pages(spec, pdf, dpi, count)
                if variant == "degraded":
                    images = [support.degrade(img, angle=rng.uniform(2, 4) * rng.choice([-1, 1]),
                                              noise=12, blur=0.8 if dpi >= 200 else 0.6, seed=i)
                              for img in images]
                    quality = 75
                else:
                    quality = 92
                # a scanner's PDF of JPEG pages (one page: the JPEG itself)
                if count == 1:
                    data, name = support.jpeg(images[0], quality), "page.jpg"
                else:
                    jpegs = [Image.open(io.BytesIO(support.jpeg(im, quality))) for im in images]
                    data, name = support.pdf_of(jpegs, dpi), "scan.pdf"
                want = support.expected(spec, count)
                w0, c0 = time.perf_counter(), time.process_time()
                try:
                    result = read_bytes(data, name)
                except Exception as exc:  # a refusal or bug counts as all fields wrong
                    failures.append(f"{spec['doc_type']} {dpi} {variant}: {exc!r}")
                    for f in FIELDS:
                        hits[key][f].append(False)
                    continue
                wall, cpu = time.perf_counter() - w0, time.process_time() - c0
                samples.extend([(wall / count, cpu / count)] * count)
                for f in FIELDS:
                    ok = result.fields[f].value == want[f]
                    hits[key][f].append(ok)
                    if not ok:
                        failures.append(f"{spec['doc_type']} {dpi} {variant} {f}: "
                                        f"{result.fields[f].value!r} != {want[f]!r}")
                print(f"{dpi} {variant} {spec['doc_type']}: "
                      f"{sum(h[-1] for h in hits[key].values())}/{len(FIELDS)} "
                      f"{samples[-1][0]:.1f}s", flush=True)
            if after_group is not None:
                after_group({"hits": hits, "samples": samples, "per_call": per_call,
                             "per_process": per_process, "failures": failures,
                             "plan": [(d, n) for d, n in plan if (d, "clean") in hits], "dpis": dpis})
    return {"hits": hits, "samples": samples, "per_call": per_call, "per_process": per_process,
            "failures": failures, "plan": plan, "dpis": dpis}


def _pct(values: list[bool]) -> str:
    return f"{100 * sum(values) / len(values):.0f}%" if values else "—"


def tables(res: dict[str, Any]) -> tuple[str, str]:
    hits = res["hits"]
    head = "| scan | " + " | ".join(FIELDS) + " | all fields |\n|---|" + "---|" * (len(FIELDS) + 1)
    lines = [head]
    for (dpi, variant), by_field in hits.items():
        all_ok = [all(by_field[f][i] for f in FIELDS) for i in range(len(by_field[FIELDS[0]]))]
        lines.append(f"| {dpi} dpi {variant} ({len(by_field[FIELDS[0]])} docs) | " + " | ".join(_pct(by_field[f]) for f in FIELDS)
                     + f" | {_pct(all_ok)} |")
    plan = ", ".join(f"{n} types at {d} dpi" for d, n in res["plan"])
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    accuracy = (f"Measured {stamp}: one document per type ({plan}), each "
                "clean and degraded, scanned up to the page with the 署名 (a JPEG, or a PDF of JPEG pages), red seal on the 署名. "
                "A field counts as right only when its value is exactly the spec's.\n\n"
                + "\n".join(lines))
    if res["failures"]:
        accuracy += "\n\nWrong readings (all of them):\n\n" + "\n".join(f"- {f}" for f in res["failures"])

    def stats(xs: list[tuple[float, float]]) -> str:
        if not xs:
            return "—"
        wall = sorted(x[0] for x in xs)
        cpu = sorted(x[1] for x in xs)
        return (f"{sum(wall) / len(wall):.1f} s wall (median {wall[len(wall) // 2]:.1f}, max {wall[-1]:.1f}), "
                f"{sum(cpu) / len(cpu):.1f} s CPU")
    perf = (f"Measured {stamp} on this 2-core VM while other helpers ran tests and benches "
            f"(load average {os.getloadavg()[0]:.1f} at the end), rapidocr 3.10.0, onnxruntime, "
            "one page (A4, 150-300 dpi, JPEG) per call, including straightening and the field rules:\n\n"
            "| model | pages | per page |\n|---|---|---|\n"
            f"| loaded once per process | {len(res['samples'])} | {stats(res['samples'])} |\n"
            f"| loaded again for every call (same process) | {len(res['per_call'])} | {stats(res['per_call'])} |\n"
            f"| a new process for every call (`main.py intake`) | {len(res['per_process'])} | "
            f"{stats(res['per_process'])} |\n")
    return accuracy, perf


def replace_section(path: Path, marker: str, text: str) -> None:
    content = path.read_text(encoding="utf-8")
    start, end = f"<!-- {marker}:start -->", f"<!-- {marker}:end -->"
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.S)
    if not pattern.search(content):
        raise SystemExit(f"{path} has no {start} … {end} section")
    path.write_text(pattern.sub(lambda _: f"{start}\n{text}\n{end}", content), encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--plan", default="200:15,150:15,300:15",
                    help="dpi:types pairs, e.g. 200:15,150:6,300:6 (types: how many of the 15)")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--write", action="store_true", help="update docs/INTAKE.md and docs/PERFORMANCE.md")
    args = ap.parse_args()
    plan = [(int(d), min(15, int(n))) for d, n in (p.split(":") for p in args.plan.split(","))]
    def write(res: dict[str, Any]) -> None:
        accuracy, perf = tables(res)
        replace_section(ROOT / "docs" / "INTAKE.md", "bench:intake-accuracy", accuracy)
        replace_section(ROOT / "docs" / "PERFORMANCE.md", "bench:intake-speed", perf)

    res = run(plan, args.seed, after_group=write if args.write else None)
    accuracy, perf = tables(res)
    print(accuracy)
    print(perf)
    if args.write:
        write(res)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
