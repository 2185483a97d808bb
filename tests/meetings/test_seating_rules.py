"""Seating rules (座次): centre first, alternating sides as seen by the chair's row,
the two centre seats of an even row, overflow into the next rows, facing tables with a
host and a guest side, U shapes, the derived rank, and the stored plan's effect."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from modules.common.access import ActorFacts, BodyFacts, PostFacts
from modules.common.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from modules.meetings import seating as S

NOW = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)


def _drawing(n: int, honour: str = S.LEFT, faces_viewer: bool = True) -> list[int]:
    """The rank numbers as the drawing shows them, left to right."""
    row = [0] * n
    for rank, pos in enumerate(S.centre_order(n, honour, faces_viewer=faces_viewer), start=1):
        row[pos] = rank
    return row


@pytest.mark.parametrize(("n", "left", "right"), [
    (1, [1], [1]),
    (2, [1, 2], [2, 1]),
    (3, [3, 1, 2], [2, 1, 3]),
    (4, [3, 1, 2, 4], [4, 2, 1, 3]),
    (5, [5, 3, 1, 2, 4], [4, 2, 1, 3, 5]),
    (6, [5, 3, 1, 2, 4, 6], [6, 4, 2, 1, 3, 5]),
    (7, [7, 5, 3, 1, 2, 4, 6], [6, 4, 2, 1, 3, 5, 7]),
    (8, [7, 5, 3, 1, 2, 4, 6, 8], [8, 6, 4, 2, 1, 3, 5, 7]),
])
def test_a_row_seen_from_the_hall_puts_no_1_at_the_centre_and_alternates(
        n: int, left: list[int], right: list[int]) -> None:
    # 以左为尊: the No. 2 sits on the No. 1's own left, i.e. to their right seen from the hall
    assert _drawing(n, S.LEFT) == left
    assert _drawing(n, S.RIGHT) == right


@pytest.mark.parametrize("n", range(1, 40))
def test_every_row_order_is_a_permutation_from_the_centre_outwards(n: int) -> None:
    for honour in (S.LEFT, S.RIGHT):
        for faces in (True, False):
            order = S.centre_order(n, honour, faces_viewer=faces)
            assert sorted(order) == list(range(n))
            centre = (n - 1) / 2
            distances = [abs(p - centre) for p in order]
            assert distances == sorted(distances)  # nearer the centre is more senior
            if n % 2 == 0 and n > 1:
                assert {order[0], order[1]} == {n // 2 - 1, n // 2}  # the two centre seats


def test_a_row_seen_from_behind_is_the_mirror_image() -> None:
    for n in range(1, 12):
        assert _drawing(n, S.LEFT, faces_viewer=False) == _drawing(n, S.RIGHT)


def _people(n: int, **kw: Any) -> list[S.Attendee]:
    return [S.Attendee(f"p-{i}", f"人{i}", ({"roles": ["staff"], "sort_order": i},), invited=i, **kw)
            for i in range(n)]


def test_rostrum_then_hall_rows_fill_in_order_and_overflow_is_unseated() -> None:
    layout = S.build_layout(S.LayoutArgs(kind="rostrum", rostrum=[5], hall=[4, 3]))
    assert len(layout.seats) == 12
    people = _people(14)
    result = S.fill(layout, people)
    assert len(result.seats) == 12 and result.unseated == ["p-12", "p-13"]
    rostrum = [s for s in layout.seats if s.zone == "rostrum"]
    assert [result.seats[s.id] for s in rostrum] == ["p-4", "p-2", "p-0", "p-1", "p-3"]
    hall1 = sorted((s for s in layout.seats if s.zone == "hall" and s.row == 1), key=lambda s: s.x)
    assert [result.seats[s.id] for s in hall1] == ["p-7", "p-5", "p-6", "p-8"]
    hall2 = sorted((s for s in layout.seats if s.zone == "hall" and s.row == 2), key=lambda s: s.x)
    assert [result.seats[s.id] for s in hall2] == ["p-11", "p-9", "p-10"]
    # rows are centred in the drawing, the hall behind the 主席台 with a gap
    assert min(s.y for s in hall1) > max(s.y for s in rostrum) + 1
    assert [s.x for s in hall2] == [1.0, 2.0, 3.0]


def test_fewer_people_than_seats_fill_the_seats_of_honour_first() -> None:
    layout = S.build_layout(S.LayoutArgs(rostrum=[7, 9], hall=[12]))
    result = S.fill(layout, _people(3))
    taken = [layout.seat(k) for k in result.seats]
    assert all(s is not None and s.zone == "rostrum" and s.row == 1 for s in taken)
    # the row of 7 is centred on the widest row (12): its middle three seats
    assert sorted(s.x for s in taken if s) == [4.5, 5.5, 6.5]
    assert result.unseated == []


def test_facing_table_seats_hosts_and_guests_each_from_their_centre() -> None:
    layout = S.build_layout(S.LayoutArgs(kind="facing", per_side=5))
    hosts = _people(4)
    guests = [S.Attendee(f"g-{i}", f"客{i}", ({"roles": ["leader"], "sort_order": i},),
                         invited=10 + i, guest=True) for i in range(6)]
    result = S.fill(layout, S.rank_order([*hosts, *guests]))
    guest_row = sorted((s for s in layout.seats if s.zone == "guest"), key=lambda s: s.x)
    host_row = sorted((s for s in layout.seats if s.zone == "host"), key=lambda s: s.x)
    # guests face the viewer: 5 3 1 2 4; hosts are seen from behind: 4 2 1 3 (mirror)
    assert [result.seats.get(s.id) for s in guest_row] == ["g-4", "g-2", "g-0", "g-1", "g-3"]
    assert [result.seats.get(s.id) for s in host_row] == ["p-3", "p-1", "p-0", "p-2", None]
    assert result.unseated == ["g-5"]


def test_u_shape_fills_the_head_then_the_arms_nearest_first_honour_side_first() -> None:
    layout = S.build_layout(S.LayoutArgs(kind="u_shape", head=3, arms=2))
    result = S.fill(layout, _people(7))
    head = sorted((s for s in layout.seats if s.zone == "head"), key=lambda s: s.x)
    assert [result.seats[s.id] for s in head] == ["p-2", "p-0", "p-1"]
    assert result.seats["arm_r-1-1"] == "p-3" and result.seats["arm_l-1-1"] == "p-4"
    assert result.seats["arm_r-1-2"] == "p-5" and result.seats["arm_l-1-2"] == "p-6"
    mirrored = S.fill(S.build_layout(S.LayoutArgs(kind="u_shape", head=3, arms=2,
                                                  honour="right")), _people(7))
    assert mirrored.seats["arm_l-1-1"] == "p-3"


def test_rank_explicit_order_then_leaders_then_post_order_guests_last() -> None:
    staff = S.Attendee("s", "科员", ({"roles": ["staff"], "sort_order": 1},), invited=0)
    head = S.Attendee("h", "处长", ({"roles": ["division_head"], "sort_order": 9},), invited=1)
    boss2 = S.Attendee("b2", "副局长", ({"roles": ["leader"], "sort_order": 2},), invited=2)
    boss1 = S.Attendee("b1", "局长", ({"roles": ["leader", "sys_admin"], "sort_order": 1},), invited=3)
    observer = S.Attendee("o", "列席", ({"roles": ["leader"], "sort_order": 0},), observer=True,
                          invited=4)
    guest = S.Attendee("g", "来宾", (), invited=5)
    everyone = [staff, head, boss2, boss1, observer, guest]
    assert [a.person_id for a in S.rank_order(everyone)] == ["b1", "b2", "h", "s", "o", "g"]
    assert [a.person_id for a in S.rank_order(everyone, ["s", "g"])] == \
        ["s", "g", "b1", "b2", "h", "o"]
    assert [a.person_id for a in S.rank_order(reversed(everyone))] == \
        [a.person_id for a in S.rank_order(everyone)]  # deterministic whatever the input order


def test_swap_and_place() -> None:
    plan = {"rostrum-1-1": "a", "rostrum-1-2": "b"}
    assert S.swap(plan, "rostrum-1-1", "rostrum-1-2") == {"rostrum-1-1": "b", "rostrum-1-2": "a"}
    assert S.swap(plan, "rostrum-1-1", "rostrum-1-3") == {"rostrum-1-3": "a", "rostrum-1-2": "b"}
    placed, out = S.place(plan, "c", "rostrum-1-2")
    assert placed == {"rostrum-1-1": "a", "rostrum-1-2": "c"} and out == "b"
    moved, out = S.place(plan, "a", "rostrum-1-3")
    assert moved == {"rostrum-1-3": "a", "rostrum-1-2": "b"} and out == ""


def test_layouts_without_seats_or_too_many_are_refused_in_words() -> None:
    with pytest.raises(ValidationFailed):
        S.build_layout(S.LayoutArgs(rostrum=[0], hall=[]))
    with pytest.raises(ValidationFailed):
        S.build_layout(S.LayoutArgs(rostrum=[60] * 5, hall=[60] * 10))


def test_default_layout_has_room_for_everyone() -> None:
    for n in (0, 1, 7, 8, 30, 131):
        layout = S.build_layout(S.default_layout(n))
        assert len(layout.seats) >= n


# --------------------------------------------------------------------------- the effect

HOST = BodyFacts(id="b-1", name="测试局", organ_id="b-1", organs_above=("b-1",))
SECRETARY = ActorFacts("p-sec", (PostFacts("b-1", "b-1", frozenset({"secretary"})),))
OUTSIDER = ActorFacts("p-x", (PostFacts("b-9", "b-9", frozenset({"secretary"})),))
MEETING = {"id": "mt-abcd", "state": "published", "host_body_id": "b-1"}
NAMES = {"p-1": "张伟", "p-2": "李娜"}


def _args(**kw: Any) -> S.SaveSeatingArgs:
    base: dict[str, Any] = {"meeting_id": "mt-abcd", "layout": {"rostrum": [3]},
                            "seats": [{"seat_id": "rostrum-1-1", "person_id": "p-1"},
                                      {"seat_id": "rostrum-1-2", "name": "王来宾"}]}
    return S.SaveSeatingArgs.model_validate({**base, **kw})


def test_the_effect_stores_the_plan_with_names_and_raises_the_version() -> None:
    first = S.save_seating(MEETING, None, _args(), SECRETARY, "秘书", HOST, NAMES, NOW)
    assert first["version"] == 1 and first["by_name"] == "秘书"
    assert first["seats"] == [{"seat_id": "rostrum-1-1", "person_id": "p-1", "name": "张伟"},
                              {"seat_id": "rostrum-1-2", "person_id": "", "name": "王来宾"}]
    second = S.save_seating(MEETING, first, _args(version=1), SECRETARY, "秘书", HOST, NAMES, NOW)
    assert second["version"] == 2 and second["created_at"] == first["created_at"]
    with pytest.raises(Conflict):  # someone saved meanwhile: never overwritten silently
        S.save_seating(MEETING, second, _args(version=1), SECRETARY, "秘书", HOST, NAMES, NOW)


@pytest.mark.parametrize(("seats", "code"), [
    ([{"seat_id": "rostrum-1-9", "person_id": "p-1"}], "meetings.seating_unknown_seat"),
    ([{"seat_id": "rostrum-1-1", "person_id": "p-1"}, {"seat_id": "rostrum-1-1", "person_id": "p-2"}],
     "meetings.seating_seat_twice"),
    ([{"seat_id": "rostrum-1-1", "person_id": "p-1"}, {"seat_id": "rostrum-1-2", "person_id": "p-1"}],
     "meetings.seating_person_twice"),
    ([{"seat_id": "rostrum-1-1", "person_id": "p-404"}], "meetings.unknown_person"),
    ([{"seat_id": "rostrum-1-1"}], "meetings.seating_empty_name"),
])
def test_bad_plans_are_refused_in_words(seats: list[dict[str, str]], code: str) -> None:
    with pytest.raises(ValidationFailed) as err:
        S.save_seating(MEETING, None, _args(seats=seats), SECRETARY, "秘书", HOST, NAMES, NOW)
    assert err.value.code == code


def test_only_organisers_of_a_live_meeting_save_its_seating() -> None:
    with pytest.raises(PermissionDenied):
        S.save_seating(MEETING, None, _args(), OUTSIDER, "外人", HOST, NAMES, NOW)
    with pytest.raises(NotFound):
        S.save_seating(None, None, _args(), SECRETARY, "秘书", None, NAMES, NOW)
    with pytest.raises(ValidationFailed) as err:
        S.save_seating({**MEETING, "state": "cancelled"}, None, _args(), SECRETARY, "秘书", HOST,
                       NAMES, NOW)
    assert err.value.code == "meetings.seating_closed"


def test_cards_come_in_seat_order() -> None:
    layout = S.build_layout(S.LayoutArgs(rostrum=[3]))
    seats = {"rostrum-1-3": {"person_id": "", "name": "丙"},
             "rostrum-1-1": {"person_id": "p", "name": "甲"}}
    assert S.cards_in_order(layout, seats) == ["甲", "丙"]
