"""Deterministic demo data for the directory (演示数据), and a province-scale generator.

* :func:`demo_directory` — a small, realistic province: the province government, a
  provincial department (省政务服务数据管理局, 机关代字 粤政数) with its divisions, the
  finance department, two cities with a county, a township and a village; 60 people with
  posts covering every role, some holding posts in two bodies; every body has a registry
  clerk (收发员). Each person gets a demo account (pinyin login, one shared password).
  Bodies and person ids are fixed; names, phones and e-mails come from a seeded RNG, so
  the same seed always gives the same data. No wall-clock, no I/O.
* :func:`generate_province` — hundreds of thousands of bodies/people for benchmarks and
  scale tests, in linear time; :func:`write_csv` writes it in the import format.

All names are generated from common surname and given-name characters; they are not
meant to name real people.
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from modules.directory import pinyin, rules
from modules.directory.importer import (
    BodyRow,
    ImportPlan,
    PersonRow,
    PostRow,
    plan_from_rows,
)

#: The one password of every demo account (shown on the login screen in demo mode).
DEMO_PASSWORD = "Demo2026"
DEFAULT_SEED = 20261122

# Surnames weighted roughly by frequency; the 多音字 surnames appear on purpose.
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭肖田董潘袁蔡蒋余杜叶程"
    "魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛段雷龙黎史陶贺毛"
    "郝顾龚邵万覃武钱戴严欧莫孔向常汤康易乔赖文"
)
_HETERONYM_SURNAMES = "单曾解区仇朴查"
_GIVEN_MALE = "伟强磊军勇杰涛明超辉刚健峰浩鹏宇俊志建国庆文斌波海东晓立新永成华平亮飞凯锋"
_GIVEN_FEMALE = "芳娜敏静丽艳娟霞燕玲婷雪慧琳颖洁倩梅红云兰莉萍晶丹瑶悦欣怡佳蕾薇琴月嘉"
_SECOND_MALE = "明华军平国林涛荣宁安彬德清源泽阳宏卫振斌波峰杰超鹏文海春"
_SECOND_FEMALE = "婷云琳慧怡雪芳敏静丽欣然宁雨晨月思佳瑶英玉秀红兰萍"
#: Combinations that name well-known people are not generated.
_AVOID = frozenset({"王菲", "李娜", "刘翔", "姚明", "张杰", "李宁", "周涛", "王刚", "陈红", "何静"})


@dataclass(frozen=True, slots=True)
class DemoAccount:
    """A demo sign-in for the login screen: ``login`` / :data:`DEMO_PASSWORD`."""

    login: str
    person_id: str
    name: str
    roles: tuple[str, ...]
    description: str


@dataclass(frozen=True, slots=True)
class DemoData:
    bodies: list[BodyRow]
    people: list[PersonRow]
    posts: list[PostRow]
    accounts: list[DemoAccount]
    password: str = DEMO_PASSWORD

    def plan(self) -> ImportPlan:
        """The data as a validated import plan (regions computed, parents first)."""
        return plan_from_rows(self.bodies, self.people, self.posts)


# (id, parent, name, short name, 机关代字, tier, kind, e-mail domain)
#: id, parent id, name, short name, code, tier, kind, mail domain
_Body = tuple[str, str | None, str, str | None, str | None, str, str, str]
_BODIES: tuple[_Body, ...] = (
    ("b-gd", None, "省人民政府", "省政府", "粤府", "province", "body", "gd.example.gov.cn"),
    ("b-gd-bgt", "b-gd", "办公厅", None, None, "province", "department", "gd.example.gov.cn"),
    ("b-gd-szj", "b-gd", "省政务服务数据管理局", "省政数局", "粤政数", "province", "body", "szj.gd.example.gov.cn"),
    ("b-gd-szj-bgs", "b-gd-szj", "办公室", None, None, "province", "department", "szj.gd.example.gov.cn"),
    ("b-gd-szj-zhc", "b-gd-szj", "综合处", None, None, "province", "department", "szj.gd.example.gov.cn"),
    ("b-gd-szj-zcfgc", "b-gd-szj", "政策法规处", None, None, "province", "department", "szj.gd.example.gov.cn"),
    ("b-gd-szj-sjzyc", "b-gd-szj", "数据资源处", None, None, "province", "department", "szj.gd.example.gov.cn"),
    ("b-gd-szj-dzzwc", "b-gd-szj", "电子政务处", None, None, "province", "department", "szj.gd.example.gov.cn"),
    ("b-gd-szj-aqc", "b-gd-szj", "安全保障处", None, None, "province", "department", "szj.gd.example.gov.cn"),
    ("b-gd-czt", "b-gd", "省财政厅", None, "粤财", "province", "body", "czt.gd.example.gov.cn"),
    ("b-gd-czt-bgs", "b-gd-czt", "办公室", None, None, "province", "department", "czt.gd.example.gov.cn"),
    ("b-gd-czt-ysc", "b-gd-czt", "预算处", None, None, "province", "department", "czt.gd.example.gov.cn"),
    ("b-jh", "b-gd", "江海市人民政府", "江海市政府", "江府", "city", "body", "jh.example.gov.cn"),
    ("b-jh-szj", "b-jh", "江海市政务服务数据管理局", "江海市政数局", "江政数", "city", "body", "szj.jh.example.gov.cn"),
    ("b-jh-szj-bgs", "b-jh-szj", "办公室", None, None, "city", "department", "szj.jh.example.gov.cn"),
    ("b-jh-szj-ywk", "b-jh-szj", "数据业务科", None, None, "city", "department", "szj.jh.example.gov.cn"),
    ("b-jh-lj", "b-jh", "临江县人民政府", "临江县政府", "临府", "county", "body", "lj.jh.example.gov.cn"),
    ("b-jh-lj-bgs", "b-jh-lj", "县政府办公室", None, None, "county", "department", "lj.jh.example.gov.cn"),
    ("b-jh-lj-qs", "b-jh-lj", "青石镇人民政府", "青石镇政府", "青石府", "township", "body", "qs.lj.example.gov.cn"),
    ("b-jh-lj-qs-sq", "b-jh-lj-qs", "石桥村民委员会", "石桥村委会", None, "village", "body", "qs.lj.example.gov.cn"),
    ("b-ys", "b-gd", "云山市人民政府", "云山市政府", "云府", "city", "body", "ys.example.gov.cn"),
    ("b-ys-dp", "b-ys", "东坪区人民政府", "东坪区政府", "东府", "county", "body", "dp.ys.example.gov.cn"),
)

# Posts in template order: (body, title, roles, primary?). A row with primary=False
# is a second post (兼职) of the person on the previous primary row marked with "+".
_POSTS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("b-gd-szj", "局长", ("leader",)),
    ("b-gd-szj", "副局长", ("leader",)),
    ("+b-gd-bgt", "副秘书长（兼）", ("leader",)),
    ("b-gd-szj", "副局长", ("leader",)),
    ("b-gd-szj", "秘书", ("secretary",)),
    ("b-gd-szj", "收发员", ("registry_clerk",)),
    ("b-gd-szj", "印章管理员", ("seal_custodian",)),
    ("b-gd-szj-bgs", "主任", ("division_head",)),
    ("b-gd-szj-bgs", "一级主任科员", ("staff",)),
    ("+b-gd-szj", "收发员（B角）", ("registry_clerk",)),
    ("b-gd-szj-bgs", "科员", ("staff",)),
    ("b-gd-szj-zhc", "处长", ("division_head",)),
    ("b-gd-szj-zhc", "二级主任科员", ("staff",)),
    ("b-gd-szj-zhc", "科员", ("staff",)),
    ("b-gd-szj-zcfgc", "处长", ("division_head",)),
    ("b-gd-szj-zcfgc", "副处长", ("division_head",)),
    ("b-gd-szj-zcfgc", "科员", ("staff",)),
    ("b-gd-szj-sjzyc", "处长", ("division_head",)),
    ("b-gd-szj-sjzyc", "一级主任科员", ("staff",)),
    ("b-gd-szj-sjzyc", "科员", ("staff",)),
    ("b-gd-szj-dzzwc", "处长", ("division_head",)),
    ("b-gd-szj-dzzwc", "系统管理员", ("sys_admin", "staff")),
    ("+b-gd", "系统管理员（兼）", ("sys_admin",)),  # administers the whole tree
    ("b-gd-szj-dzzwc", "科员", ("staff",)),
    ("b-gd-szj-aqc", "处长", ("division_head",)),
    ("b-gd-szj-aqc", "科员", ("staff",)),
    ("b-gd", "秘书长", ("leader",)),
    ("b-gd", "收发员", ("registry_clerk",)),
    ("b-gd-bgt", "秘书处处长", ("division_head", "secretary")),
    ("b-gd", "印章管理员", ("seal_custodian",)),
    ("b-gd-czt", "厅长", ("leader",)),
    ("b-gd-czt", "副厅长", ("leader",)),
    ("b-gd-czt", "收发员", ("registry_clerk",)),
    ("b-gd-czt", "印章管理员", ("seal_custodian",)),
    ("b-gd-czt-bgs", "主任", ("division_head",)),
    ("b-gd-czt-ysc", "处长", ("division_head",)),
    ("b-gd-czt-ysc", "科员", ("staff",)),
    ("b-gd-czt-ysc", "科员", ("staff",)),
    ("b-jh", "市长", ("leader",)),
    ("b-jh", "收发员", ("registry_clerk",)),
    ("b-jh", "秘书", ("secretary",)),
    ("b-jh-szj", "局长", ("leader",)),
    ("+b-jh", "副秘书长（兼）", ("leader",)),
    ("b-jh-szj", "收发员", ("registry_clerk",)),
    ("b-jh-szj", "印章管理员", ("seal_custodian",)),
    ("b-jh-szj-bgs", "主任", ("division_head",)),
    ("b-jh-szj-bgs", "系统管理员", ("sys_admin", "staff")),
    ("+b-jh", "系统管理员（兼）", ("sys_admin",)),  # administers the city
    ("b-jh-szj-ywk", "科长", ("division_head",)),
    ("b-jh-szj-ywk", "科员", ("staff",)),
    ("b-jh-szj-ywk", "科员", ("staff",)),
    ("b-jh-lj", "县长", ("leader",)),
    ("b-jh-lj", "收发员", ("registry_clerk",)),
    ("b-jh-lj-bgs", "主任", ("division_head",)),
    ("b-jh-lj-bgs", "科员", ("staff",)),
    ("b-jh-lj-qs", "镇长", ("leader",)),
    ("b-jh-lj-qs", "收发员", ("registry_clerk",)),
    ("b-jh-lj-qs", "工作人员", ("staff",)),
    ("b-jh-lj-qs-sq", "村委会主任", ("leader",)),
    ("b-jh-lj-qs-sq", "文书", ("registry_clerk",)),
    ("b-ys", "市长", ("leader",)),
    ("b-ys", "收发员", ("registry_clerk",)),
    ("b-ys", "科员", ("staff",)),
    ("b-ys-dp", "区长", ("leader",)),
    ("b-ys-dp", "收发员", ("registry_clerk",)),
    # 三员分立: the other two duties at the province and at the city (appended, so the
    # people above keep their generated names). The auditor holds nothing else: an
    # auditor changes nothing, not even the work of an ordinary post.
    ("b-gd-szj-aqc", "安全保密管理员", ("security_admin",)),
    ("+b-gd", "安全保密管理员（兼）", ("security_admin",)),  # roles and seals of the whole tree
    ("b-gd-szj-aqc", "安全审计员", ("audit_admin",)),
    ("+b-gd", "安全审计员（兼）", ("audit_admin",)),
    ("b-jh-szj-bgs", "安全保密管理员", ("security_admin",)),
    ("+b-jh", "安全保密管理员（兼）", ("security_admin",)),  # roles and seals of the city
    ("b-jh-szj-bgs", "安全审计员", ("audit_admin",)),
    ("+b-jh", "安全审计员（兼）", ("audit_admin",)),
)

#: People (by order, 0-based) whose surname is a 多音字 surname, so search can be tried.
_HETERONYM_AT = {4: "单", 9: "曾", 15: "解", 22: "区", 30: "仇", 41: "朴", 51: "查"}


def _name(rng: random.Random, taken: set[str], surname: str | None = None) -> str:
    while True:
        sur = surname or rng.choice(_SURNAMES)
        female = rng.random() < 0.45
        first = rng.choice(_GIVEN_FEMALE if female else _GIVEN_MALE)
        second = rng.choice(_SECOND_FEMALE if female else _SECOND_MALE)
        given = first if rng.random() < 0.35 else first + second
        name = sur + given
        if name not in taken and name not in _AVOID:
            taken.add(name)
            return name


_MOBILE_PREFIXES = ("135", "136", "137", "138", "139", "150", "158", "186", "189", "133", "177")


def _mobile(rng: random.Random, taken: set[str]) -> str:
    while True:
        number = rng.choice(_MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"
        if number not in taken:
            taken.add(number)
            return number


def demo_directory(seed: int = DEFAULT_SEED) -> DemoData:
    """The demo organisation, people, posts and accounts for ``seed`` (deterministic)."""
    rng = random.Random(seed)
    body_info = {b[0]: b for b in _BODIES}
    bodies = [
        BodyRow(id=b[0], parent_id=b[1], name=b[2], short_name=b[3], code=b[4], tier=b[5], kind=b[6], sort_order=i)
        for i, b in enumerate(_BODIES)
    ]
    people: list[PersonRow] = []
    posts: list[PostRow] = []
    logins: set[str] = set()
    names: set[str] = set()
    phones: set[str] = set()
    primary_post: dict[str, tuple[str, str, tuple[str, ...]]] = {}
    for body, title, roles in _POSTS:
        if body.startswith("+"):
            person = people[-1]
            n = sum(1 for p in posts if p.person_id == person.id) + 1
            posts.append(
                PostRow(f"post-{person.id.removeprefix('p-')}-{n}", person.id, body[1:], title, list(roles), False, len(posts))
            )
            continue
        index = len(people)
        pid = f"p-demo-{index + 1:02d}"
        name = _name(rng, names, _HETERONYM_AT.get(index))
        login = pinyin.full_pinyin(name)
        suffix = 2
        base = login
        while login in logins:
            login = f"{base}{suffix}"
            suffix += 1
        logins.add(login)
        domain = body_info[body][7]
        people.append(
            PersonRow(pid, name, _mobile(rng, phones), f"{login}@{domain}", login)
        )
        posts.append(
            PostRow(f"post-{pid.removeprefix('p-')}-1", pid, body, title, list(roles), True, len(posts))
        )
        primary_post[pid] = (body, title, roles)
    accounts: list[DemoAccount] = []
    for person in people:
        body, title, _roles = primary_post[person.id]
        mine = [p for p in posts if p.person_id == person.id]
        all_roles = tuple(dict.fromkeys(r for p in mine for r in p.roles))
        parts = [rules.describe_post(p.title, p.roles, _display_body(body_info, p.body_id)) for p in mine]
        accounts.append(
            DemoAccount(person.login or "", person.id, person.name, all_roles, "；".join(parts))
        )
    return DemoData(bodies, people, posts, accounts)


def _display_body(info: dict[str, _Body], body_id: str) -> str:
    row = info[body_id]
    if row[6] == "department" and row[1]:
        return f"{info[row[1]][2]}{row[2]}"
    return row[2]


def demo_accounts(seed: int = DEFAULT_SEED) -> list[DemoAccount]:
    """The demo sign-ins, in organisation order, with their role descriptions."""
    return demo_directory(seed).accounts


# --------------------------------------------------------------------------- scale


@dataclass(frozen=True, slots=True)
class ProvinceData:
    """Generated province: bodies parent-first with ``region_id`` set, people, posts."""

    bodies: list[BodyRow]
    people: list[PersonRow]
    posts: list[PostRow]


def generate_province(n_bodies: int, n_people: int, seed: int = 1) -> ProvinceData:
    """A synthetic province with about ``n_bodies`` bodies/departments and ``n_people``.

    Shape: one province root; province-level bodies; up to 21 cities; counties under
    cities, townships under counties, villages under townships; departments under
    province/city/county bodies (≈ 30 %). Every organ (机关) gets a registry clerk first,
    then leaders; the rest are staff and division heads; about 5 % of people hold a
    second post. Deterministic for a seed; linear time, no pinyin (``login`` is empty).
    """
    rng = random.Random(seed)
    n_bodies = max(n_bodies, 3)
    n_dept = int(n_bodies * 0.3)
    organs = n_bodies - n_dept - 1
    n_prov = max(1, organs // 100)
    n_city = max(1, min(21, organs // 200 or 1))
    n_county = max(1, organs // 20)
    n_town = max(1, organs // 5)
    n_village = max(0, organs - n_prov - n_city - n_county - n_town)

    bodies: list[BodyRow] = [BodyRow("b-p", None, "省人民政府", "省政府", "粤府", "province", "body", 0, "b-p")]
    by_tier: dict[str, list[BodyRow]] = {t: [] for t in rules.TIERS}
    by_tier["province"].append(bodies[0])

    def add(i: int, parent: BodyRow, tier: str, suffix: str, code: str | None) -> BodyRow:
        bid = f"b-{_TIER_PREFIX[tier]}{i}"
        region = bid if tier == "city" else parent.region_id
        row = BodyRow(bid, parent.id, f"第{i}{suffix}", None, code, tier, "body", i, region)
        bodies.append(row)
        by_tier[tier].append(row)
        return row

    for i in range(n_prov):
        add(i, bodies[0], "province", "厅", "粤厅" + _cn_number(i))
    for i in range(n_city):
        add(i, bodies[0], "city", "市人民政府", "市府" + _cn_number(i))
    for i in range(n_county):
        add(i, rng.choice(by_tier["city"]), "county", "县人民政府", "县府" + _cn_number(i))
    for i in range(n_town):
        add(i, rng.choice(by_tier["county"]), "township", "镇人民政府", None)
    for i in range(n_village):
        add(i, rng.choice(by_tier["township"]), "village", "村民委员会", None)
    upper = by_tier["province"] + by_tier["city"] + by_tier["county"]
    departments: list[BodyRow] = []
    for i in range(n_dept):
        parent = rng.choice(upper)
        row = BodyRow(f"b-d{i}", parent.id, f"第{i}处", None, None, parent.tier, "department", i, parent.region_id)
        departments.append(row)
    bodies.extend(departments)

    organs_list = [b for b in bodies if b.kind == "body"]
    people: list[PersonRow] = []
    posts: list[PostRow] = []
    names: set[str] = set()
    for i in range(n_people):
        pid = f"p-{i}"
        sur = rng.choice(_SURNAMES)
        female = rng.random() < 0.45
        first = rng.choice(_GIVEN_FEMALE if female else _GIVEN_MALE)
        second = rng.choice(_SECOND_FEMALE if female else _SECOND_MALE)
        name = sur + first + (second if rng.random() < 0.65 else "")
        names.add(name)
        people.append(PersonRow(pid, name, f"13{rng.randrange(3, 10)}{i % 10**8:08d}", None, None))
        if i < len(organs_list):
            body, title, roles = organs_list[i], "收发员", ["registry_clerk"]
        elif i < 2 * len(organs_list):
            body, title, roles = organs_list[i - len(organs_list)], "负责人", ["leader"]
        else:
            body = bodies[rng.randrange(len(bodies))]
            if body.kind == "department" and rng.random() < 0.15:
                title, roles = "处长", ["division_head"]
            else:
                title, roles = "科员", ["staff"]
        posts.append(PostRow(f"post-{i}-1", pid, body.id, title, roles, True, 0))
        if rng.random() < 0.05:
            other = bodies[rng.randrange(len(bodies))]
            if other.id != body.id:
                posts.append(PostRow(f"post-{i}-2", pid, other.id, "科员（兼）", ["staff"], False, 1))
    return ProvinceData(bodies, people, posts)


_CN_DIGITS = "零一二三四五六七八九"
_TIER_PREFIX = {"province": "pv", "city": "ct", "county": "co", "township": "tw", "village": "vl"}


def _cn_number(i: int) -> str:
    return "".join(_CN_DIGITS[int(d)] for d in str(i))


_CSV_HEADER = (
    "type", "id", "parent_id", "name", "short_name", "code", "tier", "sort_order",
    "phone", "email", "login", "person_id", "body_id", "title", "roles", "is_primary",
)


def write_csv(bodies: Iterable[BodyRow], people: Iterable[PersonRow], posts: Sequence[PostRow]) -> str:
    """The rows as an import CSV (English header; person rows carry their primary post)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(_CSV_HEADER)
    for b in bodies:
        w.writerow([b.kind, b.id, b.parent_id or "", b.name, b.short_name or "", b.code or "",
                    b.tier, b.sort_order, "", "", "", "", "", "", "", ""])
    primary = {p.person_id: p for p in posts if p.is_primary}
    for person in people:
        ps = primary.get(person.id)
        w.writerow(["person", person.id, "", person.name, "", "", "", "", person.phone or "",
                    person.email or "", person.login or "", "",
                    ps.body_id if ps else "", ps.title if ps else "",
                    ";".join(ps.roles) if ps else "", "yes" if ps else ""])
    for ps in posts:
        if ps.is_primary and primary.get(ps.person_id) is ps:
            continue
        w.writerow(["post", ps.id, "", "", "", "", "", ps.sort_order, "", "", "", ps.person_id,
                    ps.body_id, ps.title, ";".join(ps.roles), "yes" if ps.is_primary else "no"])
    return buf.getvalue()
