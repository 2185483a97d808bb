"""A poke's ``jitter`` hint delays the pull it asks for, capped at 1 s (issue 11)."""

from __future__ import annotations

from sync.engine import MAX_POKE_JITTER, SyncEngine


def wanted(engine: SyncEngine) -> set[str]:
    with engine._cond:
        return set(engine._want)


def test_poke_without_jitter_asks_for_a_pull_at_once(engine: SyncEngine) -> None:
    engine._pull_after_poke({"seq": 3})
    assert wanted(engine) == {"pull"}


def test_poke_with_jitter_waits_at_most_a_second_and_once(engine: SyncEngine) -> None:
    engine._pull_after_poke({"seq": 3, "jitter": 60})
    timer = engine._poke_timer
    assert timer is not None and timer.interval == MAX_POKE_JITTER == 1.0
    assert wanted(engine) == set()  # not yet
    engine._pull_after_poke({"seq": 4, "jitter": 0.5})
    assert engine._poke_timer is timer  # one delayed pull covers both pokes
    timer.join(5)
    assert wanted(engine) == {"pull"}


def test_stop_cancels_a_delayed_pull(engine: SyncEngine) -> None:
    engine._pull_after_poke({"seq": 3, "jitter": "0.9"})
    timer = engine._poke_timer
    assert timer is not None
    engine.stop()
    timer.join(5)
    assert wanted(engine) == set()
