"""The device's side of the lifecycle's end: a 反馈 with files queued offline (the files
in the blob store, their uploads queued; readable offline once here), 催办 per unit
refused on the device within the interval, and the steps that wait for the server
(中止, 销号, the report draft) having no applier."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from modules.common.errors import Conflict
from modules.supervision import intents as I
from modules.supervision import lifecycle as L
from sync.blobs import BlobStore
from sync.cache import LocalCache, blob_queue, outbox, store_displayed
from sync.local import get_applier
from tests.supervision.test_service import CLERK, NOW, _Engine, item, principal

STAFF_P = principal("p-sec", "b-szj", ("secretary",))


@pytest.fixture
def cache() -> LocalCache:
    cache = LocalCache(None)
    with cache.write() as s:
        store_displayed(s, (I.ITEM, "sv-client-1"), item("sv-client-1", 5))
    return cache


def test_a_report_with_files_is_queued_offline_and_its_files_open_offline(
        cache: LocalCache, tmp_path: Path) -> None:
    from modules.supervision.service import SupervisionService

    blobs = BlobStore(cache, tmp_path / "blobs")
    svc = SupervisionService(cache, _Engine(cache, CLERK, NOW), CLERK, blobs)
    photo = tmp_path / "现场照片.jpg"
    photo.write_bytes(b"\xff\xd8 not really a jpeg")
    svc.acknowledge("sv-client-1")
    att = svc.attach(photo)
    assert att["name"] == "现场照片.jpg" and att["size"] == photo.stat().st_size
    svc.report("sv-client-1", "已完成两个小区", progress=60, attachments=[att])
    shown = svc.item("sv-client-1")
    assert shown is not None and shown["reports"][-1]["attachments"] == [att]
    with cache.read() as s:
        queued = [r.args for r in s.execute(outbox.select().where(outbox.c.name == I.REPORT.name))]
        uploads = [r.sha256 for r in s.execute(blob_queue.select().where(blob_queue.c.direction == "up"))]
    assert queued[0]["attachments"] == [att] and uploads == [att["sha256"]]
    local = svc.attachment(att["sha256"])
    assert local is not None and local.read_bytes() == photo.read_bytes()
    elsewhere = "b" * 64  # another unit's file not fetched yet: its download is queued
    assert svc.attachment(elsewhere) is None
    with cache.read() as s:
        downs = [r.sha256 for r in s.execute(blob_queue.select().where(blob_queue.c.direction == "down"))]
    assert downs == [elsewhere]


def test_urge_per_unit_on_the_device(cache: LocalCache) -> None:
    from modules.supervision.service import SupervisionService

    staff = SupervisionService(cache, _Engine(cache, STAFF_P, NOW + dt.timedelta(hours=1)), STAFF_P)
    staff.urge("sv-client-1", "请签收")
    staff.urge("sv-client-1", unit_id="b-county")
    with pytest.raises(Conflict) as again:
        staff.urge("sv-client-1")
    assert again.value.message() == ("市政数局已于2026-09-28 10:00由p-sec催办过，每24小时最多催办一次，"
                                     "请于2026-09-29 10:00后再催办。")
    shown = staff.item("sv-client-1")
    assert shown is not None
    assert [(u["unit_name"], u["missing"]) for u in shown["urges"]] == [
        ("市政数局", ["尚未签收"]), ("县政府", ["尚未签收", "协办部分尚无反馈"])]


def test_missing_lines_name_a_late_acknowledgement_and_an_overdue_subtask() -> None:
    record: dict[str, Any] = item("sv-client-9", 5)
    late = dt.datetime(2026, 10, 12, 9, tzinfo=dt.UTC)
    from modules.calendar.service import seed

    zh, en = L.missing_lines(record, "b-city", late, seed())
    assert zh == ["尚未签收（应于9月29日前签收）"] and en[0].startswith("not acknowledged")
    record["acks"] = {"b-city": {"at": "2026-09-28T02:00:00Z", "by_name": "张三"}}
    record["state"] = "in_progress"
    record["subtasks"] = [{"id": "st-1", "title": "摸底", "unit_id": "b-city", "due": "2026-10-09",
                           "state": "open"}]
    zh, _ = L.missing_lines(record, "b-city", late, seed())
    assert zh[0].startswith("已逾期") and zh[1] == "分解任务“摸底”未完成（时限10月9日，已逾期）"


def test_the_steps_that_wait_for_the_server_have_no_applier() -> None:
    for intent in (I.TERMINATE, I.STRIKE_OFF, I.DRAFT_REPORT):
        assert intent.offline is False and get_applier(intent.name) is None
    assert get_applier(I.URGE.name) is not None and get_applier(I.REPORT.name) is not None
