"""The client side of supervision: 签收, 反馈, 延期 and 催办 applied on the device
(offline) with the same rules as the server's, refused in words for the wrong person or
step, and the queries a screen shows (my items, a body's items, items by light)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from modules.calendar.service import seed
from modules.common.access import ActorFacts, BodyFacts, PostFacts
from modules.common.errors import Conflict, PermissionDenied, ValidationFailed
from modules.supervision import intents as I
from modules.supervision import rules as R
from modules.supervision import service as S
from sync.cache import LocalCache, store_displayed
from sync.local import submit_intent

NOW = dt.datetime(2026, 9, 28, 9, 0, tzinfo=R.CHINA)
SUPERVISOR = BodyFacts("b-szj", "省政数局", "b-szj", ("b-szj",))
STAFF = ActorFacts("p-sec", (PostFacts("b-szj", "b-szj", frozenset({"secretary"})),))


def principal(person_id: str, body_id: str, roles: tuple[str, ...]) -> dict[str, Any]:
    return {"person_id": person_id, "name": person_id,
            "posts": [{"body_id": body_id, "organ_id": body_id, "roles": list(roles)}]}


CLERK = principal("p-clerk", "b-city", ("registry_clerk",))
LEADER = principal("p-lead", "b-szj", ("leader",))


def item(item_id: str, days: int, *, now: dt.datetime = NOW) -> dict[str, Any]:
    args = I.REGISTER.parse({"item_id": item_id, "body_id": "b-szj", "title": "督办事项",
                             "leader_id": "p-lead", "lead_unit_id": "b-city",
                             "co_unit_ids": ["b-county"], "deadline_days": days})
    return I.register(None, args, STAFF, "秘书", SUPERVISOR, ("b-city", "市政数局"),
                      [("b-county", "县政府")], "局长", "督字〔2026〕1号", now, seed())


class _Engine:
    def __init__(self, cache: LocalCache, who: dict[str, Any], now: dt.datetime) -> None:
        self.cache, self.who, self.now = cache, who, now

    def submit(self, name: str, args: dict[str, Any]) -> str:
        with self.cache.write() as s:
            return submit_intent(s, name, args, now=self.now, principal=self.who)[0]


@pytest.fixture
def cache() -> LocalCache:
    cache = LocalCache(None)
    with cache.write() as s:
        for record in (item("sv-client-1", 5), item("sv-client-2", 30)):
            store_displayed(s, (I.ITEM, record["id"]), record)
    return cache


def service(cache: LocalCache, who: dict[str, Any], now: dt.datetime = NOW) -> S.SupervisionService:
    return S.SupervisionService(cache, _Engine(cache, who, now), who)


def test_the_deadline_crosses_the_national_day_holiday(cache: LocalCache) -> None:
    assert service(cache, CLERK).item("sv-client-1")["due"] == "2026-10-10"  # type: ignore[index]


def test_acknowledge_report_and_ask_for_time_offline(cache: LocalCache) -> None:
    clerk = service(cache, CLERK, NOW + dt.timedelta(hours=1))
    clerk.acknowledge("sv-client-1")
    clerk.report("sv-client-1", "已部署", progress=20)
    clerk.request_extension("sv-client-1", dt.date(2026, 10, 20), "需协调多部门")
    shown = clerk.item("sv-client-1")
    assert shown is not None and shown["state"] == R.EXTENSION_REQUESTED
    assert shown["progress"] == 20 and shown["last_report_on"] == "2026-09-28"
    assert [h["action"] for h in shown["history"]] == [
        "register", "acknowledge", "report", "request_extension"]


def test_the_wrong_person_and_the_wrong_step_are_refused_on_the_device(cache: LocalCache) -> None:
    stranger = service(cache, principal("p-x", "b-other", ("registry_clerk",)))
    with pytest.raises(PermissionDenied) as denied:
        stranger.acknowledge("sv-client-1")
    assert denied.value.message() == "只有市政数局的收发员或负责人可以签收。"
    clerk = service(cache, CLERK)
    with pytest.raises(Conflict) as wrong:
        clerk.request_completion("sv-client-1", "完成")
    assert "不能申请办结" in wrong.value.message()
    clerk.acknowledge("sv-client-1")
    with pytest.raises(ValidationFailed) as early:
        clerk.request_extension("sv-client-1", dt.date(2026, 10, 9), "理由")
    assert early.value.code == "supervision.extension_not_later"


def test_an_extension_after_the_deadline_is_refused_offline(cache: LocalCache) -> None:
    clerk = service(cache, CLERK)
    clerk.acknowledge("sv-client-1")
    late = service(cache, CLERK, dt.datetime(2026, 10, 12, 9, tzinfo=R.CHINA))
    with pytest.raises(ValidationFailed) as err:
        late.request_extension("sv-client-1", dt.date(2026, 10, 30), "理由")
    assert err.value.message() == "办结时限（2026-10-10）已过，不能再申请延期。"


def test_my_items_a_bodys_items_and_items_by_light(cache: LocalCache) -> None:
    assert {i["id"] for i in service(cache, CLERK).my_items()} == {"sv-client-1", "sv-client-2"}
    assert len(service(cache, LEADER).my_items()) == 2
    assert service(cache, principal("p-x", "b-other", ("leader",))).my_items() == []
    assert len(service(cache, CLERK).items_of_body("b-county")) == 2
    groups = service(cache, CLERK).by_light(dt.date(2026, 10, 9))
    assert [i["id"] for i, _ in groups[R.YELLOW]] == ["sv-client-1"]
    assert [i["id"] for i, _ in groups[R.GREEN]] == ["sv-client-2"]
    assert groups[R.RED] == []
