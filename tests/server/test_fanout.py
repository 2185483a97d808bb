"""Issue 11: four server processes in two separate groups on one PostgreSQL database;
a change pushed through any of them pokes the devices on every other one, and they pull
it, within 2 s (harness: tests/server/fanout.py; figures: bench/bench_fanout.py).

The processes poll the counter only every 5 s here, so deliveries under 2 s come from
PostgreSQL NOTIFY, not from polling.
"""

from __future__ import annotations

from pathlib import Path

from tests.server.fanout import Fanout, two_groups

SLOW_POLL = {"OFFICE_PUSH_POLL_SECONDS": "5", "OFFICE_PUSH_NOTIFY_POLL_SECONDS": "5",
             "OFFICE_REMINDER_POLL_SECONDS": "0"}


def test_postgres_devices_on_four_processes_see_each_others_changes_within_2s(
        pg_url: str, tmp_path: Path) -> None:
    with two_groups(pg_url, tmp_path, SLOW_POLL) as groups:
        assert len({p for g in groups for p in g.workers}) == 4
        fanout = Fanout(groups)
        try:
            fanout.connect(per_worker=1)
            assert not [d.error for d in fanout.devices if d.error]
            assert {d.pid for d in fanout.devices} == set(fanout.pids)  # devices on all four
            fanout.run_rounds(4)
        finally:
            fanout.close()
        assert {r.writer_pid for r in fanout.rounds} == set(fanout.pids)  # written through all
        pairs = fanout.cross_process()
        late = [(r.number, d.index, seen) for r, d, seen in pairs
                if seen is None or max(seen) >= 2.0]
        assert not late, f"(round, device, (poke s, pull s)) over 2 s or missing: {late}"
        # every writer process reached devices on each of the three others
        reached = {(r.writer_pid, d.pid) for r, d, seen in pairs if seen is not None}
        assert len(reached) == 12, reached
