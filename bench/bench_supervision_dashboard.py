"""Benchmark: the supervision dashboard (督办看数) over 10 000 and 100 000 items.

Builds items spread over 40 lead units, four sources and three grades, registered over the
past year with deadlines of 5–60 working days on the bundled holiday calendar, a third of
them done (some late), a few with extension requests, three in four signed (签收) by their
lead unit on the day or a day late, the weekly ones reported on every 6–9 days. Measures:

* ``stats``: ``modules.supervision.stats.compute`` for this month and this year — the
  lights, deadlines and every figure per unit (what the dashboard's background load does
  after reading the cache);
* ``draw``: applying a 10 000-item load to the dashboard widget and painting it once
  offscreen at 1280 px (figures, the bar chart of 40 units, the trend, the pie, the red
  list, the table, the ranking);
* ``open``: both — the statistics of the year and the draw, what a leader waits for;
* ``excel`` / ``pdf``: the workbook and the printable PDF of the 10 000 items.

Run:  QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_supervision_dashboard.py
Figures: docs/PERFORMANCE.md ("Supervision dashboard").
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from modules.calendar.rules import add_working_days
from modules.calendar.service import seed
from modules.supervision import rules as R
from modules.supervision import stats as S

TODAY = dt.date(2026, 10, 12)
UNITS = [(f"b-unit-{i:02d}", f"第{i:02d}单位") for i in range(40)]
SOURCES = ["instruction", "meeting", "higher", "other"]
GRADES = ["normal", "important", "urgent"]


def items(n: int) -> list[dict[str, Any]]:
    rnd = random.Random(n)
    table = seed()
    out = []
    for i in range(n):
        unit = UNITS[i % len(UNITS)]
        assigned = TODAY - dt.timedelta(days=rnd.randrange(0, 360))
        days = rnd.choice([5, 10, 15, 20, 30, 60])
        due = add_working_days(assigned, days, table).day
        item: dict[str, Any] = {
            "id": f"sv-bench-{i:06d}", "number": f"督字〔2026〕{i + 1}号", "title": f"事项{i}",
            "source": SOURCES[i % 4], "grade": GRADES[i % 3], "lead_unit_id": unit[0],
            "lead_unit_name": unit[1], "deadline_days": days, "assigned_on": assigned.isoformat(),
            "due": due.isoformat(), "cycle": "weekly" if i % 5 == 0 else "none",
            "last_report_on": None, "state": R.IN_PROGRESS, "extensions": [], "extension": None,
            "completion": None, "closed_at": None,
        }
        if i % 3 == 0 and due < TODAY:
            finished = due + dt.timedelta(days=rnd.choice([-3, -1, 0, 2]))
            stamp = f"{finished.isoformat()}T02:00:00Z"
            item.update(state=R.DONE, completion={"at": stamp}, closed_at=stamp)
        if i % 4 != 0:
            signed = assigned + dt.timedelta(days=i % 3 // 2)
            item["acks"] = {unit[0]: {"at": f"{signed.isoformat()}T03:00:00Z", "by": "p",
                                      "by_name": "陈"}}
            item["ack_days"] = 1
        if item["cycle"] == "weekly":
            day, reports = assigned, []
            while True:
                day += dt.timedelta(days=rnd.choice([6, 7, 8, 9]))
                if day >= TODAY:
                    break
                reports.append({"at": f"{day.isoformat()}T02:00:00Z", "unit_id": unit[0]})
            item["reports"] = reports
            item["last_report_on"] = reports[-1]["at"][:10] if reports else None
        if i % 17 == 0:
            item["extensions"] = [{"requested_at": f"{assigned.isoformat()}T03:00:00Z",
                                   "approved": i % 2 == 0}]
        out.append(item)
    return out


def timed(fn: Any, runs: int = 3) -> tuple[float, float, Any]:
    """Median wall and CPU seconds of ``fn()`` (CPU time shows the cost on a busy machine)."""
    walls, cpus, result = [], [], None
    for _ in range(runs):
        start, cpu = time.perf_counter(), time.process_time()
        result = fn()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus), result


def draw(rows: list[dict[str, Any]], with_stats: bool = False,
         kind: str = S.YEAR) -> tuple[float, float]:
    from PySide6.QtWidgets import QApplication

    from modules.supervision.views_dashboard import Dashboard, SupervisionDashboard
    from office_app.bus import ChangeBus
    from office_app.context import AppContext
    from office_app.settings import AppSettings

    app = QApplication.instance() or QApplication([])
    stats = S.compute(rows, TODAY, seed(), S.YEAR)
    by_id = {r["id"]: r for r in rows}
    data = Dashboard(stats, [(by_id[i], stats.lights[i]) for i in stats.total.alerts],
                     [(u.key, u.name) for u in stats.units])
    ctx = AppContext(AppSettings.at_path(Path("/tmp/bench-dashboard.ini")), {}, cache=None,
                     engine=None, bus=ChangeBus())
    boards = []
    table = seed()

    def once() -> None:
        shown = data
        if with_stats:
            found = S.compute(rows, TODAY, table, kind)
            shown = Dashboard(found, [(by_id[i], found.lights[i]) for i in found.total.alerts],
                              [(u.key, u.name) for u in found.units])
        board = SupervisionDashboard(ctx)
        board.resize(1280, 900)
        board._apply(shown)
        board.grab()
        app.processEvents()
        boards.append(board)

    wall, cpu, _ = timed(once, runs=5)
    return wall, cpu


def main() -> None:
    table = seed()
    for n in (10_000, 100_000):
        rows = items(n)
        for kind in (S.MONTH, S.YEAR):
            wall, cpu, stats = timed(lambda k=kind, r=rows: S.compute(r, TODAY, table, k))
            print(f"stats {n:>7} items, {kind:<5}: {wall * 1000:8.1f} ms wall, {cpu * 1000:8.1f} ms CPU "
                  f"({stats.total.items} in the period, {len(stats.units)} units, "
                  f"on time {stats.total.rate_words()})")
    rows = items(10_000)
    wall, cpu = draw(rows)
    print(f"draw    10000 items, year : {wall * 1000:8.1f} ms wall, {cpu * 1000:8.1f} ms CPU "
          "(apply + paint at 1280 px)")
    for kind in (S.MONTH, S.YEAR):
        wall, cpu = draw(rows, with_stats=True, kind=kind)
        print(f"open    10000 items, {kind:<5}: {wall * 1000:8.1f} ms wall, {cpu * 1000:8.1f} ms CPU "
              "(statistics + apply + paint)")
    from modules.supervision import stats_export as X

    stats = S.compute(rows, TODAY, table, S.YEAR)
    wall, cpu, book = timed(lambda: X.workbook_bytes(stats))
    print(f"excel   10000 items, year : {wall * 1000:8.1f} ms wall, {cpu * 1000:8.1f} ms CPU "
          f"({len(book) // 1024} KiB)")
    wall, cpu, pdf = timed(lambda: X.render_pdf(stats, "省政数局"))
    print(f"pdf     10000 items, year : {wall * 1000:8.1f} ms wall, {cpu * 1000:8.1f} ms CPU "
          f"({len(pdf) // 1024} KiB)")


if __name__ == "__main__":
    main()
