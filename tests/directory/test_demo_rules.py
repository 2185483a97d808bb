"""Demo data (determinism, role coverage, accounts) and the pure directory rules."""

from __future__ import annotations

import pytest

from modules.common.errors import ValidationFailed
from modules.directory import rules
from modules.directory.demo import DEMO_PASSWORD, demo_accounts, demo_directory, generate_province
from modules.directory.pinyin import full_pinyin

# --------------------------------------------------------------------------- demo


def test_same_seed_same_data_other_seed_other_names() -> None:
    a, b = demo_directory(), demo_directory()
    assert a == b
    other = demo_directory(seed=7)
    assert [p.name for p in other.people] != [p.name for p in a.people]
    # Structure (ids, bodies, titles) does not depend on the seed.
    assert [p.id for p in other.people] == [p.id for p in a.people]
    assert [(p.body_id, p.title) for p in other.posts] == [(p.body_id, p.title) for p in a.posts]


def test_demo_is_a_clean_plan_covering_every_role_and_tier() -> None:
    demo = demo_directory()
    plan = demo.plan()
    assert plan.ok, [e.text() for e in plan.errors]
    assert {r for p in demo.posts for r in p.roles} == set(rules.ROLES)
    assert {b.tier for b in demo.bodies} == set(rules.TIERS)
    assert 55 <= len(demo.people) <= 70
    names = [p.name for p in demo.people]
    assert len(set(names)) == len(names)
    assert len({n[0] for n in names}) >= 25  # varied surnames
    for surname in "单曾解区仇朴查":
        assert any(n.startswith(surname) for n in names)
    # Every organ (机关) has a registry clerk.
    organs = {b.id for b in demo.bodies if b.kind == "body"}
    clerks = {p.body_id for p in demo.posts if "registry_clerk" in p.roles}
    assert organs <= clerks
    # Some people hold posts in two bodies.
    counts: dict[str, int] = {}
    for post in demo.posts:
        counts[post.person_id] = counts.get(post.person_id, 0) + 1
    assert sum(1 for c in counts.values() if c == 2) >= 3
    # Phones and e-mails are valid and unique.
    assert all(rules.normalize_phone(p.phone) == p.phone for p in demo.people)
    assert all(rules.normalize_email(p.email) == p.email for p in demo.people)
    assert len({p.phone for p in demo.people}) == len(demo.people)


def test_demo_accounts_have_pinyin_logins_and_role_descriptions() -> None:
    accounts = demo_accounts()
    demo = demo_directory()
    assert len(accounts) == len(demo.people)
    logins = [a.login for a in accounts]
    assert len(set(logins)) == len(logins)
    by_id = {p.id: p for p in demo.people}
    for account in accounts:
        assert account.login.startswith(full_pinyin(by_id[account.person_id].name))
        assert account.description and account.roles
    first = accounts[0]
    assert first.description == "省政务服务数据管理局 局长（领导）"
    assert any("；" in a.description for a in accounts)  # two posts described
    assert any("sys_admin" in a.roles for a in accounts)
    assert DEMO_PASSWORD.isalnum() and any(c.isdigit() for c in DEMO_PASSWORD)


def test_generate_province_is_deterministic_and_shaped() -> None:
    one = generate_province(2000, 5000, seed=3)
    two = generate_province(2000, 5000, seed=3)
    assert one == two
    assert len(one.bodies) == 2000 and len(one.people) == 5000
    tiers = {b.tier for b in one.bodies}
    assert tiers == set(rules.TIERS)
    ids = {b.id for b in one.bodies}
    assert len(ids) == len(one.bodies)
    assert all(b.parent_id in ids for b in one.bodies if b.parent_id)
    organs = [b for b in one.bodies if b.kind == "body"]
    clerks = {p.body_id for p in one.posts if "registry_clerk" in p.roles}
    assert {b.id for b in organs} <= clerks


# --------------------------------------------------------------------------- rules


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13800138000", "13800138000"),
        ("+86 138-0013-8000", "13800138000"),
        ("020-83133333", "020-83133333"),
        ("02083133333", "020-83133333"),
        ("(0755) 8600 1234", "0755-86001234"),
        ("0768-2233445-801", "0768-2233445-801"),
        ("", None),
    ],
)
def test_phone_normalisation(raw: str, expected: str | None) -> None:
    assert rules.normalize_phone(raw) == expected


@pytest.mark.parametrize("raw", ["12800138000", "1380013800", "83133333", "0208-3133333", "phone"])
def test_bad_phones(raw: str) -> None:
    with pytest.raises(rules.DirectoryInvalid) as info:
        rules.normalize_phone(raw)
    assert info.value.code == "directory.bad_phone"
    assert isinstance(info.value, ValidationFailed)
    assert raw in info.value.message() and raw in info.value.message("en")


def test_codes_tiers_roles() -> None:
    assert rules.normalize_code("粤政数") == "粤政数"
    for bad in ("粤", "ABC", "粤政数〔2026〕"):
        with pytest.raises(rules.DirectoryInvalid):
            rules.normalize_code(bad)
    assert rules.parse_tier("乡镇") == "township" and rules.parse_tier("City") == "city"
    assert rules.parse_roles("领导、秘书;leader") == ["leader", "secretary"]
    assert rules.parse_roles(["科员", "收发员"]) == ["staff", "registry_clerk"]
    with pytest.raises(rules.DirectoryInvalid) as info:
        rules.parse_roles("boss")
    assert info.value.code == "directory.unknown_role"
    assert rules.role_label("seal_custodian") == "印章保管员"
    assert rules.role_label("seal_custodian", "en") == "seal custodian"


def test_placement_rules() -> None:
    province = rules.BodyFacts("b-p", None, "省政府", "province", "body")
    city = rules.BodyFacts("b-c", "b-p", "市政府", "city", "body")
    dept = rules.BodyFacts("b-d", "b-c", "办公室", "city", "department")
    rules.check_placement(city, province)
    rules.check_placement(dept, city)
    with pytest.raises(rules.DirectoryInvalid) as info:
        rules.check_placement(rules.BodyFacts("x", "b-c", "省厅", "province", "body"), city)
    assert info.value.code == "directory.tier_above_parent"
    assert "市级" in info.value.message()
    with pytest.raises(rules.DirectoryInvalid) as info:
        rules.check_placement(rules.BodyFacts("x", "b-d", "某局", "city", "body"), dept)
    assert info.value.code == "directory.body_under_department"
    with pytest.raises(rules.DirectoryInvalid) as info:
        rules.check_placement(rules.BodyFacts("x", None, "某处", "city", "department"), None)
    assert info.value.code == "directory.department_without_body"
    with pytest.raises(rules.DirectoryInvalid) as info:
        rules.check_placement(rules.BodyFacts("x", "b-c", "某处", "county", "department"), city)
    assert info.value.code == "directory.department_tier"


def test_cycles_and_regions() -> None:
    assert rules.cycles_in({"a": "b", "b": "c", "c": "a", "d": "a", "e": None}) == [["a", "b", "c", "a"]]
    assert rules.cycles_in({"a": "a"}) == [["a", "a"]]
    assert rules.find_cycle("a", {"a": "b", "b": None}.get) is None
    assert rules.find_cycle("a", {"a": "b", "b": "a"}.get) == ["a", "b", "a"]
    assert rules.region_for("b-p", "province", "body", None, None) == "b-p"
    assert rules.region_for("b-s", "province", "body", "b-p", "province") == "b-p"
    assert rules.region_for("b-c", "city", "body", "b-p", "province") == "b-c"
    assert rules.region_for("b-cj", "city", "body", "b-c", "city") == "b-c"
    assert rules.region_for("b-x", "county", "body", "b-c", "city") == "b-c"
