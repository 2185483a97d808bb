"""Bulk import: every error kind with its line, clean files, "valid rows", encodings."""

from __future__ import annotations

import json
from pathlib import Path

from modules.directory.demo import generate_province, write_csv
from modules.directory.importer import (
    ExistingBody,
    ImportPlan,
    InMemoryExisting,
    parse,
)

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"

HEADER = "type,id,parent_id,name,short_name,code,tier,phone,email,login,person_id,body_id,title,roles,is_primary\n"
GOOD = (
    "body,GD,,省人民政府,省政府,粤府,province,,,,,,,,\n"
    "body,SJ,GD,省政务服务数据管理局,省政数局,粤政数,省级,,,,,,,,\n"
    "department,SJ-BGS,SJ,办公室,,,,,,,,,,,\n"
    "body,JH,GD,江海市人民政府,,江府,市级,,,,,,,,\n"
    "body,LJ,JH,临江县人民政府,,临府,county,,,,,,,,\n"
    "person,1,,张伟,,,,13800138000,zhangwei@example.gov.cn,zhangwei,,SJ,局长,leader,yes\n"
    "person,2,,单晓梅,,,,020-83133333,,,,SJ-BGS,收发员,收发员,是\n"
    "post,P2,,,,,,,,,2,SJ,收发员（兼）,registry_clerk,no\n"
)


def codes(plan: ImportPlan) -> set[tuple[int | None, str]]:
    return {(e.where.line, e.code) for e in plan.errors}


def test_clean_csv_gives_a_plan_with_regions_and_tiers() -> None:
    plan = parse(HEADER + GOOD)
    assert plan.ok, [e.text() for e in plan.errors]
    bodies = {b.id: b for b in plan.bodies}
    assert [b.id for b in plan.bodies][:2] == ["b-GD", "b-SJ"]  # parents first
    assert bodies["b-SJ-BGS"].tier == "province" and bodies["b-SJ-BGS"].kind == "department"
    assert bodies["b-SJ"].region_id == "b-GD"
    assert bodies["b-JH"].region_id == "b-JH" and bodies["b-LJ"].region_id == "b-JH"
    people = {p.id: p for p in plan.people}
    assert people["p-1"].login == "zhangwei" and people["p-2"].phone == "020-83133333"
    posts = {p.id: p for p in plan.posts}
    assert posts["post-1-1"].roles == ["leader"] and posts["post-1-1"].is_primary
    assert posts["post-P2"].person_id == "p-2" and not posts["post-P2"].is_primary
    assert posts["post-2-1"].roles == ["registry_clerk"]


def test_bom_and_gb18030_are_accepted() -> None:
    text = HEADER + GOOD
    for data in (text.encode("utf-8"), b"\xef\xbb\xbf" + text.encode("utf-8"), text.encode("gb18030")):
        plan = parse(data)
        assert plan.ok and len(plan.people) == 2
        assert {p.name for p in plan.people} == {"张伟", "单晓梅"}


def test_bad_encoding_is_reported_with_its_line() -> None:
    data = (HEADER + GOOD).encode("utf-8") + b"person,9,,\xff\xfe\xff,,,,,,,,,,,\n"
    plan = parse(data)
    assert codes(plan) == {(10, "directory.import.bad_encoding")}
    assert "GB18030" in plan.errors[0].text()
    assert not plan.bodies and not plan.people


def test_every_bad_row_is_reported_with_line_and_reason() -> None:
    bad = (
        "body,GD,,省人民政府,,粤府,province,,,,,,,,\n"              # 2 ok
        "body,X1,NOPE,某局,,,province,,,,,,,,\n"                     # 3 unknown parent
        "body,GD,,重复,,,province,,,,,,,,\n"                         # 4 duplicate id
        "body,X2,GD,某局,,,galaxy,,,,,,,,\n"                         # 5 bad tier
        "body,X3,GD,某县,,,county,,,,,,,,\n"                         # 6 ok (county under province)
        "body,X4,X3,某市,,,city,,,,,,,,\n"                           # 7 tier above parent
        "body,C1,C2,甲,,,county,,,,,,,,\n"                           # 8 cycle
        "body,C2,C1,乙,,,county,,,,,,,,\n"                           # 9 cycle
        "body,X5,GD,,,,province,,,,,,,,\n"                           # 10 missing name
        "body,X6,GD,某厅,,ABC,province,,,,,,,,\n"                    # 11 bad 机关代字
        "department,X7,GD,某处,,粤某处,,,,,,,,,\n"                    # 12 department with code
        "person,9,,王五,,,,12345,,,,GD,科员,staff,\n"                 # 13 bad phone
        "person,10,,赵六,,,,,bad@,,,GD,科员,staff,\n"                 # 14 bad email
        "person,11,,钱七,,,,,,,,GD,科员,boss,\n"                      # 15 unknown role
        "post,,,,,,,,,,404,GD,科员,staff,\n"                          # 16 unknown person
        "post,,,,,,,,,,11,NOBODY,科员,staff,\n"                       # 17 unknown body
        "thing,Z,,,,,,,,,,,,,\n"                                      # 18 unknown type
        "person,12,,孙八,,,,,,zhangsan,,,,,\n"                        # 19 ok
        "person,13,,周九,,,,,,zhangsan,,,,,\n"                        # 20 login taken in file
        "person,14,,吴十,,,,,,,,GD,处长,division_head,yes\n"          # 21 ok
        "post,,,,,,,,,,14,GD,副处长,division_head,yes\n"              # 22 second primary
        "person,15,,郑一,,,,,,,,GD,科员,staff,maybe\n"                # 23 bad bool
        "person,16,,冯二,,,,,,1bad,,,,,\n"                            # 24 bad login
        "person,17,,陈三,,,,,,,,GD,,staff,\n"                         # 25 missing title
    )
    plan = parse(HEADER + bad)
    found = codes(plan)
    expected = {
        (3, "directory.unknown_parent"),
        (4, "directory.import.duplicate_id"),
        (5, "directory.bad_tier"),
        (7, "directory.tier_above_parent"),
        (8, "directory.cycle"),
        (9, "directory.cycle"),
        (10, "directory.missing_field"),
        (11, "directory.bad_code"),
        (12, "directory.department_code"),
        (13, "directory.bad_phone"),
        (14, "directory.bad_email"),
        (15, "directory.unknown_role"),
        (16, "directory.import.unknown_person"),
        (17, "directory.import.unknown_body"),
        (18, "directory.import.unknown_type"),
        (20, "directory.import.login_taken"),
        (22, "directory.import.two_primary"),
        (23, "directory.bad_bool"),
        (24, "directory.bad_login"),
        (25, "directory.missing_field"),
    }
    assert expected <= found, sorted(expected - found)
    assert not found - expected, sorted(found - expected)
    # Errors come in file order and read as sentences in both languages.
    lines = [e.where.line for e in plan.errors]
    assert lines == sorted(lines)
    by_line = {e.where.line: e for e in plan.errors}
    assert by_line[3].text() == "第 3 行：上级机构“NOPE”不存在。"
    assert by_line[3].text("en") == "line 3: The parent body 'NOPE' does not exist."
    assert "第 2 行" in by_line[4].text()  # the duplicate names the first occurrence
    assert "甲 → 乙 → 甲" in by_line[8].text() or "乙 → 甲 → 乙" in by_line[8].text()


def test_valid_rows_mode_skips_dependents_of_bad_rows() -> None:
    data = HEADER + (
        "body,GD,,省人民政府,,粤府,province,,,,,,,,\n"          # 2 ok
        "body,BAD,GD,某局,,,nowhere,,,,,,,,\n"                  # 3 bad tier
        "department,BAD-1,BAD,办公室,,,,,,,,,,,\n"               # 4 depends on 3
        "department,BAD-1-1,BAD-1,文书科,,,,,,,,,,,\n"           # 5 depends on 3 (via 4)
        "person,1,,张伟,,,,,,,,BAD-1,科员,staff,\n"              # 6 person ok, post skipped
        "person,2,,李娜,,,,1,,,,GD,科员,staff,\n"                # 7 bad phone
        "post,,,,,,,,,,2,GD,兼职,staff,no\n"                     # 8 depends on 7
        "person,3,,王芳,,,,,,,,GD,科员,staff,\n"                 # 9 ok
    )
    plan = parse(data)
    assert codes(plan) == {(3, "directory.bad_tier"), (7, "directory.bad_phone")}
    skipped = {(e.where.line, e.params["other"].line) for e in plan.skipped}
    assert skipped == {(4, 3), (5, 3), (6, 3), (8, 7)}
    assert [b.id for b in plan.bodies] == ["b-GD"]
    assert {p.id for p in plan.people} == {"p-1", "p-3"}
    assert {p.person_id for p in plan.posts} == {"p-3"}
    assert "第 3 行" in plan.skipped[0].text()


def test_references_to_stored_bodies_people_and_logins() -> None:
    existing = InMemoryExisting(
        bodies={
            "b-GD": ExistingBody("b-GD", None, "省人民政府", "province", "body", "b-GD"),
            "b-JH": ExistingBody("b-JH", "b-GD", "江海市人民政府", "city", "body", "b-JH"),
        },
        people={"p-7"},
        logins={"taken": "p-7"},
    )
    data = HEADER + (
        "department,JH-BGS,JH,市政府办公室,,,,,,,,,,,\n"
        "person,8,,韩梅,,,,,,taken,,,,,\n"
        "person,7,,李雷,,,,,,taken,,,,,\n"           # the owner may keep the login
        "post,,,,,,,,,,7,JH-BGS,主任,division_head,\n"
        "body,GD,JH,省人民政府,,,province,,,,,,,,\n"  # moving the root under its child: cycle
    )
    plan = parse(data, existing=existing)
    assert codes(plan) == {
        (3, "directory.import.login_taken"),
        (6, "directory.cycle"),
    }
    dept = next(b for b in plan.bodies if b.id == "b-JH-BGS")
    assert dept.tier == "city" and dept.region_id == "b-JH"
    assert [p.body_id for p in plan.posts] == ["b-JH-BGS"]


def test_header_problems() -> None:
    plan = parse("名称,颜色\n省政府,红\n")
    assert codes(plan) == {(1, "directory.import.unknown_column"), (1, "directory.import.missing_column")}
    plan = parse("type,id,id\nbody,a,b\n")
    assert (1, "directory.import.duplicate_column") in codes(plan)
    plan = parse("")
    assert codes(plan) == {(1, "directory.import.empty")}
    plan = parse("type,id,name,tier\nbody,GD,省政府,province,extra\n")
    assert codes(plan) == {(2, "directory.import.bad_columns")}


def test_chinese_headers_and_tab_separated() -> None:
    text = "类型\t编号\t上级编号\t名称\t层级\n机关\tGD\t\t省人民政府\t省级\n内设机构\tBGS\tGD\t办公厅\t\n"
    plan = parse(text)
    assert plan.ok and [b.kind for b in plan.bodies] == ["body", "department"]


def test_json_import_with_nested_posts_and_item_paths() -> None:
    doc = {
        "bodies": [
            {"id": "GD", "name": "省人民政府", "tier": "province", "code": "粤府"},
            {"id": "BGS", "parent_id": "GD", "name": "办公厅", "kind": "department"},
        ],
        "people": [
            {"id": "1", "name": "张伟", "phone": "13800138000",
             "posts": [{"body_id": "GD", "title": "秘书长", "roles": ["leader"], "is_primary": True},
                       {"body_id": "BGS", "title": "主任（兼）", "roles": "处长"}]},
            {"id": "2", "name": "", "posts": [{"body_id": "NOPE", "title": "x", "roles": ["staff"]}]},
        ],
    }
    plan = parse(json.dumps(doc, ensure_ascii=False).encode(), filename="x.json")
    paths = {(e.where.path, e.code) for e in plan.errors}
    assert paths == {("people[1]", "directory.missing_field")}
    assert {(e.where.path) for e in plan.skipped} == {"people[1].posts[0]"}
    assert len(plan.posts) == 2 and {p.person_id for p in plan.posts} == {"p-1"}
    bad = parse(b'{"bodies": [', filename="x.json")
    assert [e.code for e in bad.errors] == ["directory.import.bad_json"]
    shape = parse(b'{"bodies": {}, "other": []}')
    assert {e.code for e in shape.errors} == {"directory.import.bad_shape"}


def test_documented_examples_import_cleanly() -> None:
    for name in ("directory-import.csv", "directory-import.json"):
        data = (EXAMPLES / name).read_bytes()
        plan = parse(data, filename=name)
        assert plan.ok, [e.text() for e in plan.errors]
        assert plan.bodies and plan.people and plan.posts


def test_a_generated_province_file_round_trips() -> None:
    province = generate_province(3000, 8000, seed=7)
    plan = parse(write_csv(province.bodies, province.people, province.posts))
    assert plan.ok, [e.text() for e in plan.errors[:5]]
    assert len(plan.bodies) == len(province.bodies)
    assert len(plan.people) == len(province.people)
    assert len(plan.posts) == len(province.posts)
    regions = {b.id: b.region_id for b in province.bodies}
    assert all(regions[b.id] == b.region_id for b in plan.bodies)


def test_names_and_titles_with_a_classification_marking_are_bad_rows() -> None:
    data = HEADER + GOOD + (
        "body,X1,GD,秘密★办公室,,,province,,,,,,,,\n"
        "body,X2,GD,某局,机 密☆,,province,,,,,,,,\n"
        "person,9,,绝\u200b密★,,,,,,,,SJ,科员,staff,yes\n"
        "post,P9,,,,,,,,,1,SJ,秘密＊5年,staff,no\n"
        "body,X3,GD,保守秘密工作领导小组办公室,,,province,,,,,,,,\n"
    )
    plan = parse(data)
    marked = {(line, code) for line, code in codes(plan) if code == "document.classified_refused"}
    assert marked == {(10, "document.classified_refused"), (11, "document.classified_refused"),
                      (12, "document.classified_refused"), (13, "document.classified_refused")}
    assert "b-X3" in {b.id for b in plan.bodies}
    assert not {"b-X1", "b-X2"} & {b.id for b in plan.bodies}
