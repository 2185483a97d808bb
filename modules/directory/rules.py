"""Directory (组织机构与通讯录) domain rules: tiers, body kinds, roles, validation.

Pure code: no Qt, no HTTP, no database session. Used by the importer, the server's
storage functions (authoritative checks) and the client's optimistic appliers.

Vocabulary
----------
* **Body** (机关): an organ such as 省政务服务数据管理局, with a tier (层级) from province
  down to village. Its 机关代字 (``code``) is what document numbers start with.
* **Department** (内设机构): an internal division such as 办公室 or 政策法规处. It lives under
  a body (or under another department) and shares its parent's tier.
* **Person** (人员) holds one or more **posts** (岗位/职务) in bodies or departments; each post
  carries role codes that decide what the person may do there.
* **Region** (区域): the city-level ancestor of a body, or the province root for
  province-level bodies and their departments. The change feed scopes the address book
  by region (see ``server/directory/audience.py``).

All validators raise :class:`DirectoryInvalid` (a ``ValidationFailed``) with a stable
code whose zh_CN / en sentences are registered below.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from modules.common import messages
from modules.common.errors import ValidationFailed

# --------------------------------------------------------------------------- tiers

#: Tier codes from the top of the province down; the index is the depth.
TIERS: tuple[str, ...] = ("province", "city", "county", "township", "village")

TIER_LABELS: dict[str, str] = {
    "province": "省级",
    "city": "市级",
    "county": "县级",
    "township": "乡镇级",
    "village": "村（社区）级",
}

#: Words accepted for a tier in import files, besides the codes themselves.
TIER_ALIASES: dict[str, str] = {
    "省": "province", "省级": "province", "省直": "province",
    "市": "city", "市级": "city", "地级市": "city", "地市": "city",
    "县": "county", "县级": "county", "区": "county", "县区": "county", "县（区）": "county",
    "乡": "township", "镇": "township", "乡镇": "township", "乡镇级": "township",
    "街道": "township", "乡级": "township",
    "村": "village", "村级": "village", "社区": "village", "村（社区）": "village",
    "村（社区）级": "village",
}


def tier_rank(tier: str) -> int:
    """0 for province … 4 for village. Raises ``DirectoryInvalid`` for an unknown tier."""
    try:
        return TIERS.index(tier)
    except ValueError:
        raise DirectoryInvalid("directory.bad_tier", tier=tier) from None


def parse_tier(text: str) -> str:
    """A tier code from a code or Chinese word ("市级", "county" …)."""
    value = (text or "").strip()
    low = value.lower()
    if low in TIERS:
        return low
    if value in TIER_ALIASES:
        return TIER_ALIASES[value]
    raise DirectoryInvalid("directory.bad_tier", tier=value)


# --------------------------------------------------------------------------- kinds

BODY_KINDS: tuple[str, ...] = ("body", "department")
KIND_LABELS: dict[str, str] = {"body": "机关", "department": "内设机构"}
KIND_ALIASES: dict[str, str] = {
    "机关": "body", "单位": "body", "机构": "body",
    "内设机构": "department", "部门": "department", "处室": "department",
    "科室": "department", "内设": "department",
}


def parse_kind(text: str) -> str:
    """A body kind from ``body``/``department`` or 机关/内设机构/处室 …; empty = body."""
    value = (text or "").strip()
    if not value:
        return "body"
    low = value.lower()
    if low in BODY_KINDS:
        return low
    if value in KIND_ALIASES:
        return KIND_ALIASES[value]
    raise DirectoryInvalid("directory.bad_kind", kind=value)


# --------------------------------------------------------------------------- roles

ROLES: tuple[str, ...] = (
    "staff",
    "registry_clerk",
    "division_head",
    "leader",
    "secretary",
    "seal_custodian",
    "sys_admin",
    "security_admin",
    "audit_admin",
)

#: The three separated administrator duties (三员分立, 等保三级): system administrator
#: (系统管理员: bodies, people, posts, settings), security administrator (安全保密管理员:
#: roles and permissions, seals, device revocation) and security auditor (安全审计员:
#: reads the audit trail, changes nothing). One person holds at most one of them, across
#: all their posts in every body (:func:`exclusive_admin_roles`).
SYS_ADMIN = "sys_admin"
SECURITY_ADMIN = "security_admin"
AUDIT_ADMIN = "audit_admin"
ADMIN_DUTIES: tuple[str, ...] = (SYS_ADMIN, SECURITY_ADMIN, AUDIT_ADMIN)

#: The retired single administrator role; an import or API still carrying it means
#: ``sys_admin`` (migration ``three_admin_duties`` moved every stored post).
RETIRED_ADMIN = "admin"

#: Ordinary job roles a system administrator sets with a post. Every other role
#: (:data:`PRIVILEGED_ROLES`) is granted or withdrawn only by a security administrator.
JOB_ROLES: frozenset[str] = frozenset({"staff", "registry_clerk", "division_head", "leader", "secretary"})
PRIVILEGED_ROLES: frozenset[str] = frozenset({"seal_custodian", *ADMIN_DUTIES})

ROLE_LABELS: dict[str, str] = {
    "staff": "工作人员",
    "registry_clerk": "收发员",
    "division_head": "处（科）长",
    "leader": "领导",
    "secretary": "秘书",
    "seal_custodian": "印章保管员",
    "sys_admin": "系统管理员",
    "security_admin": "安全保密管理员",
    "audit_admin": "安全审计员",
}

ROLE_LABELS_EN: dict[str, str] = {
    "staff": "staff",
    "registry_clerk": "registry clerk",
    "division_head": "division head",
    "leader": "leader",
    "secretary": "secretary",
    "seal_custodian": "seal custodian",
    "sys_admin": "system administrator",
    "security_admin": "security administrator",
    "audit_admin": "security auditor",
}

ROLE_ALIASES: dict[str, str] = {
    "科员": "staff", "工作人员": "staff", "干部": "staff", "职员": "staff",
    "收发员": "registry_clerk", "文书": "registry_clerk", "机要员": "registry_clerk",
    "处长": "division_head", "科长": "division_head", "处（科）长": "division_head",
    "处室负责人": "division_head", "部门负责人": "division_head", "主任": "division_head",
    "领导": "leader", "局长": "leader", "厅长": "leader", "负责人": "leader",
    "秘书": "secretary",
    "印章保管员": "seal_custodian", "印章管理员": "seal_custodian", "管章人": "seal_custodian",
    "管理员": "sys_admin", "系统管理员": "sys_admin", "admin": "sys_admin",
    "系统管理": "sys_admin", "administrator": "sys_admin", "system administrator": "sys_admin",
    "安全保密管理员": "security_admin", "保密管理员": "security_admin", "安全管理员": "security_admin",
    "security administrator": "security_admin",
    "安全审计员": "audit_admin", "审计管理员": "audit_admin", "审计员": "audit_admin",
    "security auditor": "audit_admin", "auditor": "audit_admin",
}

_ROLE_SPLIT = re.compile(r"[;；,，、|/\s]+")


def role_label(role: str, lang: str = "zh_CN") -> str:
    """Display label of a role code in ``lang`` (the code itself if unknown; the retired
    ``admin``, still in records a device cached before the migration, as ``sys_admin``)."""
    table = ROLE_LABELS_EN if messages.normalise_lang(lang) == "en" else ROLE_LABELS
    code = SYS_ADMIN if role == RETIRED_ADMIN else role
    return table.get(code, role)


def parse_roles(text: str | Iterable[str]) -> list[str]:
    """Role codes from "leader;secretary", "领导、秘书" or a list; order kept, no repeats.

    Raises ``DirectoryInvalid("directory.unknown_role")`` naming the first unknown word,
    and ``directory.missing_roles`` when nothing is given.
    """
    words = _ROLE_SPLIT.split(text.strip()) if isinstance(text, str) else [str(w) for w in text]
    out: list[str] = []
    for word in words:
        word = word.strip()
        if not word:
            continue
        low = word.lower()
        code = low if low in ROLES else ROLE_ALIASES.get(word, ROLE_ALIASES.get(low))
        if code is None:
            raise DirectoryInvalid("directory.unknown_role", role=word)
        if code not in out:
            out.append(code)
    if not out:
        raise DirectoryInvalid("directory.missing_roles")
    return out


def normalise_roles(roles: Iterable[str]) -> list[str]:
    """Stored role codes with the retired ``admin`` read as ``sys_admin`` (order kept, no
    repeats); other codes pass unchanged (validation is :func:`parse_roles`' job)."""
    out: list[str] = []
    for role in roles:
        code = SYS_ADMIN if role == RETIRED_ADMIN else role
        if code not in out:
            out.append(code)
    return out


def exclusive_admin_roles(posts_roles: Iterable[Iterable[str]]) -> tuple[str, str] | None:
    """The first two distinct administrator duties one person would hold across
    ``posts_roles`` (the role lists of ALL their posts, in any body), or ``None`` when
    they hold at most one. The retired ``admin`` counts as ``sys_admin``. Pair order
    follows :data:`ADMIN_DUTIES`."""
    held: set[str] = set()
    for roles in posts_roles:
        held.update(SYS_ADMIN if r == RETIRED_ADMIN else r for r in roles)
    duties = [d for d in ADMIN_DUTIES if d in held]
    return (duties[0], duties[1]) if len(duties) > 1 else None


def check_exclusive_admin_roles(posts_roles: Iterable[Iterable[str]], person: str) -> None:
    """Raise ``DirectoryInvalid("directory.admin_duties_combined")`` naming both duties
    when :func:`exclusive_admin_roles` finds two; ``person`` (a name or id) is quoted."""
    pair = exclusive_admin_roles(posts_roles)
    if pair is not None:
        raise DirectoryInvalid(
            "directory.admin_duties_combined", person=person,
            first=ROLE_LABELS[pair[0]], second=ROLE_LABELS[pair[1]],
            first_en=ROLE_LABELS_EN[pair[0]], second_en=ROLE_LABELS_EN[pair[1]],
        )


# --------------------------------------------------------------------------- errors


class DirectoryInvalid(ValidationFailed):
    """A directory record breaks a rule; ``code`` says which (see the catalog below)."""


messages.register(
    {
        "directory.bad_tier": {
            "zh_CN": "层级“{tier}”无效，应为：省级、市级、县级、乡镇级、村（社区）级。",
            "en": "Unknown tier '{tier}'; use province, city, county, township or village.",
        },
        "directory.bad_kind": {
            "zh_CN": "机构类别“{kind}”无效，应为“机关”或“内设机构”。",
            "en": "Unknown kind '{kind}'; use body (机关) or department (内设机构).",
        },
        "directory.unknown_role": {
            "zh_CN": "角色“{role}”无效，可选：工作人员、收发员、处（科）长、领导、秘书、印章保管员、"
                     "系统管理员、安全保密管理员、安全审计员。",
            "en": "Unknown role '{role}'; use staff, registry_clerk, division_head, leader, secretary, "
                  "seal_custodian, sys_admin, security_admin or audit_admin.",
        },
        "directory.admin_duties_combined": {
            "zh_CN": "三员分立：同一人不能同时担任“{first}”和“{second}”（{person}）。",
            "en": "Separated duties: one person cannot be both {first_en} and {second_en} ({person}).",
        },
        "directory.missing_roles": {
            "zh_CN": "岗位至少需要一个角色。",
            "en": "A post needs at least one role.",
        },
        "directory.missing_field": {
            "zh_CN": "缺少必填项“{field}”。",
            "en": "The required field '{field}' is missing.",
        },
        "directory.bad_id": {
            "zh_CN": "编号“{id}”无效：只能使用字母、数字、“-”“_”“.”，不超过 {max} 个字符。",
            "en": "The id '{id}' is not valid: letters, digits, '-', '_' and '.' only, at most {max} characters.",
        },
        "directory.too_long": {
            "zh_CN": "“{field}”过长（不超过 {max} 个字符）。",
            "en": "'{field}' is too long (at most {max} characters).",
        },
        "directory.bad_code": {
            "zh_CN": "机关代字“{code}”无效：应为 2 至 8 个汉字，如“粤政数”。",
            "en": "The issuing code (机关代字) '{code}' is not valid: 2 to 8 Chinese characters, e.g. 粤政数.",
        },
        "directory.department_code": {
            "zh_CN": "内设机构“{name}”不能单独设机关代字（内设机构不对外行文）。",
            "en": "The department '{name}' cannot have its own issuing code: internal units do not issue documents externally.",
        },
        "directory.unknown_parent": {
            "zh_CN": "上级机构“{parent_id}”不存在。",
            "en": "The parent body '{parent_id}' does not exist.",
        },
        "directory.tier_above_parent": {
            "zh_CN": "“{name}”的层级（{tier_label}）不能高于上级机构“{parent_name}”的层级（{parent_tier_label}）。",
            "en": "'{name}' ({tier}) cannot be above its parent '{parent_name}' ({parent_tier}).",
        },
        "directory.department_tier": {
            "zh_CN": "内设机构“{name}”的层级应与上级机构相同（{parent_tier_label}）。",
            "en": "The department '{name}' must have its parent's tier ({parent_tier}).",
        },
        "directory.department_without_body": {
            "zh_CN": "内设机构“{name}”必须设在某个机关之下，不能作为顶级机构。",
            "en": "The department '{name}' must sit under a body; it cannot be a top-level unit.",
        },
        "directory.body_under_department": {
            "zh_CN": "机关“{name}”不能设在内设机构“{parent_name}”之下。",
            "en": "The body '{name}' cannot sit under the department '{parent_name}'.",
        },
        "directory.cycle": {
            "zh_CN": "机构上下级关系形成了循环：{path}。",
            "en": "The parent links form a cycle: {path}.",
        },
        "directory.bad_phone": {
            "zh_CN": "电话号码“{phone}”无效：手机号应为 11 位（1 开头），座机应带区号，如 020-83133333。",
            "en": "The phone number '{phone}' is not valid: a mobile has 11 digits starting with 1; a landline needs its area code, e.g. 020-83133333.",
        },
        "directory.bad_email": {
            "zh_CN": "电子邮箱“{email}”格式不正确。",
            "en": "The e-mail address '{email}' is not valid.",
        },
        "directory.bad_login": {
            "zh_CN": "登录账号“{login}”无效：3 至 40 位字母、数字或“.”“_”“-”，以字母开头。",
            "en": "The login '{login}' is not valid: 3 to 40 letters, digits, '.', '_' or '-', starting with a letter.",
        },
        "directory.bad_number": {
            "zh_CN": "“{field}”应为整数，收到“{value}”。",
            "en": "'{field}' must be a whole number, got '{value}'.",
        },
        "directory.bad_bool": {
            "zh_CN": "“{field}”应为“是”或“否”，收到“{value}”。",
            "en": "'{field}' must be yes or no, got '{value}'.",
        },
        "directory.no_contact_change": {
            "zh_CN": "没有需要修改的联系方式。",
            "en": "There is no contact detail to change.",
        },
    }
)


# --------------------------------------------------------------------------- formats

#: Stored ids are at most 40 characters: a prefix (b-, p-, post-) plus the file's id.
ID_MAX = 32
NAME_MAX = 100
PERSON_NAME_MAX = 40
TITLE_MAX = 60
#: The stored column is 120 characters.
EMAIL_MAX = 120

_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
#: 机关代字: Chinese characters only (e.g. 粤政数, 穗府办), 2–8 of them.
_CODE_RE = re.compile(r"^[\u3400-\u9fff]{2,8}$")
#: Chinese mobile numbers: 1, then 3–9, then 9 digits.
_MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
#: Landline with area code (010, 020 … 0755, 0898), optional extension.
_LANDLINE_RE = re.compile(r"^(0\d{2,3})-?([2-9]\d{6,7})(?:-(\d{1,6}))?$")
_EMAIL_RE = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")
_LOGIN_RE = re.compile(r"^[A-Za-z][A-Za-z0-9._-]{2,39}$")
_PHONE_STRIP = re.compile(r"[\s()（）]")


def check_id(value: str) -> str:
    """A record id as given (stripped); letters, digits, ``-_.``, at most ``ID_MAX``."""
    value = (value or "").strip()
    if not value or len(value) > ID_MAX or not _ID_RE.match(value):
        raise DirectoryInvalid("directory.bad_id", id=value, max=ID_MAX)
    return value


def require(value: str | None, field: str) -> str:
    """``value`` stripped; ``directory.missing_field`` if empty."""
    text = (value or "").strip()
    if not text:
        raise DirectoryInvalid("directory.missing_field", field=field)
    return text


def check_length(value: str, field: str, maximum: int) -> str:
    if len(value) > maximum:
        raise DirectoryInvalid("directory.too_long", field=field, max=maximum)
    return value


def normalize_code(code: str | None) -> str | None:
    """The 机关代字 or ``None`` when empty. Raises ``directory.bad_code``."""
    text = (code or "").strip()
    if not text:
        return None
    if not _CODE_RE.match(text):
        raise DirectoryInvalid("directory.bad_code", code=text)
    return text


def normalize_phone(phone: str | None) -> str | None:
    """A phone in canonical form, or ``None`` when empty.

    Mobiles become 11 digits (a ``+86``/``86`` prefix and spaces or hyphens are removed);
    landlines become ``0AA-NNNNNNNN`` or ``0AAA-NNNNNNN`` with an optional ``-ext``.
    Raises ``directory.bad_phone``.
    """
    raw = (phone or "").strip()
    if not raw:
        return None
    text = _PHONE_STRIP.sub("", raw)
    if text.startswith("+86"):
        text = text[3:].lstrip("-")
    digits = text.replace("-", "")
    if digits.startswith("86") and len(digits) == 13 and _MOBILE_RE.match(digits[2:]):
        digits = digits[2:]
    if _MOBILE_RE.match(digits):
        return digits
    if "-" not in text and text[:1] == "0":
        # Without a hyphen, split by the area-code plan: three digits for 010 and 02X
        # (Beijing, Guangzhou, Shanghai …), four for the rest.
        area_len = 3 if text[:2] in ("01", "02") else 4
        text = text[:area_len] + "-" + text[area_len:]
    m = _LANDLINE_RE.match(text)
    if m is not None:
        area, number, ext = m.groups()
        three = area.startswith(("01", "02"))
        if (three and len(area) == 3) or (not three and len(area) == 4):
            return f"{area}-{number}" + (f"-{ext}" if ext else "")
    raise DirectoryInvalid("directory.bad_phone", phone=raw)


def normalize_email(email: str | None) -> str | None:
    """The e-mail lower-cased, or ``None`` when empty. Raises ``directory.bad_email``."""
    text = (email or "").strip()
    if not text:
        return None
    if len(text) > EMAIL_MAX or not _EMAIL_RE.match(text):
        raise DirectoryInvalid("directory.bad_email", email=text)
    return text.lower()


def normalize_login(login: str | None) -> str | None:
    """A login name lower-cased, or ``None`` when empty. Raises ``directory.bad_login``."""
    text = (login or "").strip()
    if not text:
        return None
    if not _LOGIN_RE.match(text):
        raise DirectoryInvalid("directory.bad_login", login=text)
    return text.lower()


_TRUE = {"1", "true", "yes", "y", "是", "主岗", "√", "t"}
_FALSE = {"", "0", "false", "no", "n", "否", "兼职", "兼任", "f"}


def parse_bool(value: object, field: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value if value is not None else "").strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise DirectoryInvalid("directory.bad_bool", field=field, value=str(value))


def parse_int(value: object, field: str, default: int = 0) -> int:
    if isinstance(value, bool):
        raise DirectoryInvalid("directory.bad_number", field=field, value=str(value))
    if isinstance(value, int):
        return value
    text = str(value if value is not None else "").strip()
    if not text:
        return default
    try:
        return int(text)
    except ValueError:
        raise DirectoryInvalid("directory.bad_number", field=field, value=text) from None


# --------------------------------------------------------------------------- records


@dataclass(frozen=True, slots=True)
class BodyFacts:
    """What the tree rules need to know about a body: used for file rows and DB rows."""

    id: str
    parent_id: str | None
    name: str
    tier: str
    kind: str


def check_placement(body: BodyFacts, parent: BodyFacts | None) -> None:
    """Rules between a body or department and its parent.

    * a department (内设机构) has a parent, which is a body or another department, and
      the parent's tier;
    * a body (机关) is not under a department;
    * a child's tier is at or below its parent's (a county body may sit under a city
      body, never the reverse).
    """
    if body.kind == "department":
        if parent is None:
            raise DirectoryInvalid("directory.department_without_body", name=body.name)
        if body.tier != parent.tier:
            raise DirectoryInvalid(
                "directory.department_tier",
                name=body.name,
                parent_tier=parent.tier,
                parent_tier_label=TIER_LABELS.get(parent.tier, parent.tier),
            )
        return
    if parent is None:
        return
    if parent.kind == "department":
        raise DirectoryInvalid(
            "directory.body_under_department", name=body.name, parent_name=parent.name
        )
    if tier_rank(body.tier) < tier_rank(parent.tier):
        raise DirectoryInvalid(
            "directory.tier_above_parent",
            name=body.name,
            tier=body.tier,
            tier_label=TIER_LABELS[body.tier],
            parent_name=parent.name,
            parent_tier=parent.tier,
            parent_tier_label=TIER_LABELS[parent.tier],
        )


def check_department_code(kind: str, code: str | None, name: str) -> None:
    """Only bodies carry a 机关代字; an internal department does not issue documents."""
    if kind == "department" and code:
        raise DirectoryInvalid("directory.department_code", name=name)


def find_cycle(start: str, parent_of: Callable[[str], str | None]) -> list[str] | None:
    """The cycle through ``start`` following ``parent_of``, or ``None``.

    ``parent_of(id)`` returns the parent id or ``None`` at a root (or an unknown id).
    Runs in O(depth); used by the admin routes for a single move. The importer checks a
    whole file at once in linear time with :func:`cycles_in`.
    """
    seen: list[str] = [start]
    index = {start: 0}
    current = parent_of(start)
    while current is not None:
        if current in index:
            return [*seen[index[current]:], current]
        index[current] = len(seen)
        seen.append(current)
        current = parent_of(current)
    return None


def cycles_in(parent_of: Mapping[str, str | None]) -> list[list[str]]:
    """Every cycle in a parent map (id → parent id), in linear time.

    Each returned list is one cycle, starting and ending with the same id. Ids that
    merely lead into a cycle are not reported as separate cycles.
    """
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    cycles: list[list[str]] = []
    for start in parent_of:
        if start in state:
            continue
        path: list[str] = []
        node: str | None = start
        while node is not None and node in parent_of and node not in state:
            state[node] = 1
            path.append(node)
            node = parent_of[node]
        if node is not None and state.get(node) == 1:
            cut = path.index(node)
            cycles.append([*path[cut:], node])
        for n in path:
            state[n] = 2
    return cycles


def region_for(
    body_id: str, tier: str, kind: str, parent_region: str | None, parent_tier: str | None
) -> str:
    """The region (区域) id of a body, given its parent's region and tier (``None`` at a root).

    * the top-most city-tier body (机关) of a city — the one whose parent is of
      province tier, e.g. 江海市人民政府 — is its own region; city bodies below it
      (江海市政务服务数据管理局) belong to it;
    * a root is its own region (the province root is the region of every
      province-level body and department);
    * everything else inherits its parent's region.
    """
    if parent_region is None:
        return body_id
    if kind == "body" and tier == "city" and parent_tier == "province":
        return body_id
    return parent_region


def describe_post(title: str, roles: Iterable[str], body_name: str, lang: str = "zh_CN") -> str:
    """"省政务服务数据管理局 局长（领导）" — used for demo account lists and pickers."""
    sep = ", " if messages.normalise_lang(lang) == "en" else "、"
    labels = sep.join(role_label(r, lang) for r in roles)
    if messages.normalise_lang(lang) == "en":
        return f"{body_name} {title} ({labels})"
    return f"{body_name} {title}（{labels}）"
