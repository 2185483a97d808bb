"""Benchmark: local document search and inbox paging over 100,000 cached documents.

Builds a local cache file with N synthetic documents (realistic Chinese text made from a
pool of official-document phrases, several workflow states, opinions, 文号), written
through the same path a pull uses (``sync.local.apply_server_changes`` → projections),
then measures:

* full-text search latency (p50/p95/max) for a mix of queries: 1, 2, 4 and 6+ Chinese
  characters, a 文号, a person's name in opinions, and queries with filters;
* opening the inbox: counts of the five tabs, the first page of each tab, and the time
  until the list view model (modules.documents.views.models.InboxModel) has its first
  rows, plus a deep page (keyset paging at row ~50,000).

Run:  QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_documents.py [--n 100000]
      [--cache /tmp/docbench.sqlite] (an existing file with the same N is reused)
      [--plain] (a plain SQLite cache instead of the product's SQLCipher one; the
      benchmark's own switch, for the encryption cost — issue 12)
Figures: docs/PERFORMANCE.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from modules.documents import search as doc_search
from modules.documents import service, workflow
from sync.cache import LocalCache
from sync.local import apply_server_changes

ME = {"person_id": "p-1", "name": "张伟", "posts": [{"title": "处长", "is_primary": True}]}

SUBJECTS = [
    "防汛抗旱", "安全生产", "数字政府建设", "政务服务", "营商环境", "乡村振兴", "森林防火",
    "疫情防控", "耕地保护", "城市更新", "生态环境保护", "公共数据开放", "一网通办", "财政预算",
    "民生实事", "招商引资", "河长制", "粮食安全", "消防安全", "信访维稳", "教育督导",
    "医疗保障", "养老服务", "住房保障", "交通运输", "文明城市创建", "科技创新", "人才引进",
]
VERBS = ["做好", "加强", "推进", "开展", "落实", "规范", "深化", "组织", "部署", "统筹"]
TAILS = ["工作", "专项行动", "检查", "试点", "考核", "培训", "宣传月活动", "三年行动计划"]
SENTENCES = [
    "各地各部门要切实提高政治站位，把{s}摆在突出位置。",
    "要建立健全{s}长效机制，明确责任分工，确保各项措施落到实处。",
    "请各单位于{m}月{d}日前将{s}进展情况报送市政府办公室。",
    "对{s}中发现的问题，要立行立改，逐项销号。",
    "加强统筹协调，形成{s}工作合力，及时研究解决重大问题。",
    "严格落实属地管理责任和部门监管责任，坚决防止{s}出现漏洞。",
    "各级领导干部要靠前指挥，深入一线检查指导{s}。",
    "做好信息报送工作，重要情况第一时间报告。",
]
OPINIONS = ["同意。", "拟同意，请领导审定。", "请办公室牵头办理。", "已阅。", "请抓紧落实，按期报送。",
            "同意按此方案执行，注意做好宣传解读。", "请财政局会同有关部门研究提出意见。"]
NAMES = ["张伟", "李娜", "王强", "刘洋", "陈静", "杨帆", "赵磊", "黄敏", "周杰", "吴芳"]
CODES = ["粤数政", "江府办", "江府", "粤政数", "江数据"]


def make_doc(i: int, rng: random.Random, base: dt.datetime) -> dict[str, Any]:
    subject = rng.choice(SUBJECTS)
    doc_type = rng.choice(["通知", "通知", "通知", "意见", "报告", "请示", "函", "通报", "纪要", "批复"])
    title = f"关于{rng.choice(VERBS)}{subject}{rng.choice(TAILS)}的{doc_type}"
    paras = [f"一、{subject}总体要求"]
    for _ in range(rng.randint(6, 14)):
        s = rng.choice(SUBJECTS) if rng.random() < 0.3 else subject
        paras.append(rng.choice(SENTENCES).format(s=s, m=rng.randint(1, 12), d=rng.randint(1, 28)))
    now = base - dt.timedelta(minutes=37 * i)
    people = [{"id": f"p-{k + 1}", "name": n, "post": ""} for k, n in enumerate(NAMES)]
    owner = rng.choice(people)
    wf = workflow.new_workflow("outgoing", owner, now, doc_id=f"d-{i:08x}")
    signer = rng.choice(people)
    reviewer = rng.choice(people)
    steps = rng.randint(0, 4)
    t = now
    try:
        for k in range(steps):
            t += dt.timedelta(hours=rng.randint(1, 30))
            actor = workflow.Actor.of(wf["pending"][0])
            nxt = {"review": [reviewer], "sign": [signer], "recheck": [people[9]],
                   "register": [people[9]], "seal": [people[8]], "dispatch": [people[9]]} if k == 0 else None
            wf = workflow.approve(wf, actor, t, opinion=rng.choice(OPINIONS) if k else "请审核",
                                  next_assignees=nxt)
    except Exception:
        pass
    year = 2020 + (i % 7)
    spec = {"doc_type": doc_type, "title": title, "issuer_mark": "江海市人民政府办公室文件",
            "body": paras, "urgency": rng.choice(["", "", "", "", "加急", "特急"])}
    record = service._new_record(f"d-{i:08x}", spec, workflow.Actor.of(owner), now, ("b-1", "江海市人民政府办公室"))
    record["workflow"] = wf
    if rng.random() < 0.7:
        record["doc_number"] = f"{rng.choice(CODES)}〔{year}〕{i % 900 + 1}号"
    service._refresh(record, t)
    return record


def bench_key(plain: bool) -> Any:
    """A fixed data key for the benchmark's encrypted cache (None: plain SQLite)."""
    import hashlib

    from sync.vault import CacheKey

    return None if plain else CacheKey(hashlib.sha256(b"office bench key").digest(), "keyring")


def build(path: Path, n: int, key: Any = None) -> LocalCache:
    cache = LocalCache(path, key=key)
    have = cache.count(service.ENTITY)
    if have == n:
        return cache
    if have:
        cache.close()
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        cache = LocalCache(path, key=key)
    rng = random.Random(20261122)
    base = dt.datetime(2026, 11, 22, 10, 0, tzinfo=dt.UTC)
    t0 = time.perf_counter()
    batch = 1000
    seq = 0
    for start in range(0, n, batch):
        changes = []
        # Oldest first, as a first pull delivers them (the change feed is in seq order).
        for i in range(n - 1 - start, max(-1, n - 1 - start - batch), -1):
            doc = make_doc(i, rng, base)
            seq += 1
            changes.append(((service.ENTITY, doc["id"]), doc, seq))
        with cache.write() as s:
            apply_server_changes(s, changes, principal=ME)
    print(f"built {n} documents in {time.perf_counter() - t0:.1f} s wall "
          f"({path.stat().st_size / 1e6:.0f} MB)")
    return cache


def timed(fn: Any, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


QUERIES: list[tuple[str, str, dict[str, Any]]] = [
    ("1 char", "汛", {}),
    ("2 chars, frequent", "工作", {}),
    ("2 chars", "防汛", {}),
    ("4 chars", "营商环境", {}),
    ("6 chars", "明确责任分工", {}),
    ("6 chars across a comma", "长效机制明确", {}),
    ("title phrase", "关于加强安全生产", {}),
    ("文号", "粤数政〔2024〕12号", {}),
    ("opinion name + word", "李娜 同意", {}),
    ("2 chars + type filter", "防汛", {"doc_type": "请示"}),
    ("2 chars + date range", "工作", {"date_from": "2026-01-01", "date_to": "2026-06-30"}),
    ("4 chars + status", "乡村振兴", {"status": "draft"}),
    ("4 chars + rare status (none)", "乡村振兴", {"status": "done"}),
    ("no match", "量子纠缠", {}),
]


def bench_search(cache: LocalCache, repeat: int) -> list[tuple[str, str, int, float, float, float]]:
    rows = []
    for label, q, filters in QUERIES:
        hits = doc_search.search(cache, q, filters=filters, limit=50)
        times = timed(lambda q=q, f=filters: doc_search.search(cache, q, filters=f, limit=50), repeat)
        rows.append((label, q, len(hits), statistics.median(times), pct(times, 95), max(times)))
    return rows


def bench_inbox(cache: LocalCache, repeat: int) -> list[tuple[str, float, float]]:
    svc = service.DocumentService(cache, None, ME)
    out = []
    t = timed(svc.counts, repeat)
    out.append(("counts of the 5 tabs", statistics.median(t), pct(t, 95)))
    for tab, _ in service.TABS:
        t = timed(lambda tab=tab: svc.page(tab, limit=200), repeat)
        out.append((f"first page (200) of {tab}", statistics.median(t), pct(t, 95)))
    rows = svc.page("all", limit=200)
    after = None
    for _ in range(250):  # walk to row ~50,000
        rows = svc.page("all", after=after, limit=200)
        if not rows:
            break
        after = (rows[-1]["sort_at"], rows[-1]["id"])
    t = timed(lambda: svc.page("all", after=after, limit=200), repeat)
    out.append(("page at row ~50,000 (keyset)", statistics.median(t), pct(t, 95)))
    return out


def bench_model(cache: LocalCache, repeat: int) -> list[tuple[str, float, float]]:
    from PySide6.QtWidgets import QApplication

    from modules.documents.views.models import InboxModel

    app = QApplication.instance() or QApplication([])
    svc = service.DocumentService(cache, None, ME)
    out = []
    for tab in ("all", "todo"):
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            model = InboxModel()
            model.reset_rows(svc.page(tab, limit=InboxModel.PAGE), tab)
            assert model.rowCount() > 0
            model.data(model.index(0, 0))
            times.append((time.perf_counter() - t0) * 1000)
        out.append((f"inbox '{tab}': query + model reset + first row", statistics.median(times),
                    pct(times, 95)))
    del app
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--cache", type=Path, default=Path("/tmp/office-docbench.sqlite"))
    ap.add_argument("--repeat", type=int, default=40)
    ap.add_argument("--plain", action="store_true",
                    help="a plain SQLite cache (default: encrypted, as the product)")
    a = ap.parse_args()
    path = a.cache if a.plain else a.cache.with_name(a.cache.stem + "-enc" + a.cache.suffix)
    c0 = time.process_time()
    cache = build(path, a.n, bench_key(a.plain))
    print(f"cache: {'plain SQLite' if a.plain else 'SQLCipher (encrypted)'}; "
          f"open/build CPU {time.process_time() - c0:.1f} s; load {os.getloadavg()[0]:.1f}")
    print(f"\nsearch over {a.n} documents (limit 50), ms:")
    print(f"{'query':28} {'text':22} {'hits':>5} {'p50':>7} {'p95':>7} {'max':>7}")
    w0, c0 = time.perf_counter(), time.process_time()
    for label, q, hits, p50, p95, mx in bench_search(cache, a.repeat):
        print(f"{label:28} {q:22} {hits:>5} {p50:7.1f} {p95:7.1f} {mx:7.1f}")
    print(f"search section: {time.perf_counter() - w0:.1f} s wall, "
          f"{time.process_time() - c0:.1f} s CPU")
    print("\ninbox, ms:")
    for label, p50, p95 in bench_inbox(cache, a.repeat) + bench_model(cache, max(5, a.repeat // 4)):
        print(f"{label:48} p50 {p50:7.1f}  p95 {p95:7.1f}")
    cache.close()


if __name__ == "__main__":
    main()
