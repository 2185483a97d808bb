"""Bulk import (批量导入) of an organisation tree, people and posts from CSV or JSON.

Pure: parses and validates a file into an :class:`ImportPlan` (bodies, people, posts to
upsert) plus every problem found, each with its line (CSV) or item path (JSON) and a
reason in the user's language. Writing the plan to the database is
``server.directory.storage.apply_import``.

Contract
--------
* Everything is validated before anything is written; the plan is clean only when
  ``plan.errors`` is empty. With ``valid_rows=True`` the caller may apply the valid part:
  rows that depend on a bad row (children of a bad body, posts of a bad person or in a
  bad body) are left out as well and listed in ``plan.skipped``.
* Ids in the file are the caller's own codes. Body ids get the prefix ``b-``, person ids
  ``p-`` and post ids ``post-`` unless they already carry it, so ``GD01`` and ``b-GD01``
  name the same body; references (parent, person, body) are mapped the same way.
  Rows are upserts: importing a corrected file again updates the same records.
* Runs in time linear in the number of rows (a province file of 100 000+ rows takes
  seconds); the only lookups into existing data go through :class:`Existing`, called a
  fixed number of times with sets of ids.

The file format is described in ``docs/DIRECTORY_IMPORT.md``.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from modules.common import messages
from modules.common.classified import find_classified_marking
from modules.common.errors import DomainError, ValidationFailed
from modules.directory import rules
from modules.directory.rules import DirectoryInvalid

messages.register(
    {
        "directory.import.bad_encoding": {
            "zh_CN": "文件编码无法识别：请保存为 UTF-8 或 GB18030 编码。",
            "en": "The file encoding is not recognised; save it as UTF-8 or GB18030.",
        },
        "directory.import.bad_json": {
            "zh_CN": "JSON 格式错误（第 {line} 行第 {column} 列）：{detail}",
            "en": "The JSON is malformed (line {line}, column {column}): {detail}",
        },
        "directory.import.bad_shape": {
            "zh_CN": "JSON 文件应为对象，包含 bodies、people、posts 列表；“{key}”不符合要求。",
            "en": "The JSON file must be an object with lists bodies, people and posts; '{key}' is not.",
        },
        "directory.import.empty": {
            "zh_CN": "文件中没有任何数据行。",
            "en": "The file has no data rows.",
        },
        "directory.import.missing_column": {
            "zh_CN": "表头缺少必需的列“{column}”。",
            "en": "The header lacks the required column '{column}'.",
        },
        "directory.import.unknown_column": {
            "zh_CN": "表头中的列“{column}”无法识别。",
            "en": "The header column '{column}' is not recognised.",
        },
        "directory.import.duplicate_column": {
            "zh_CN": "表头中的列“{column}”重复出现。",
            "en": "The header column '{column}' appears twice.",
        },
        "directory.import.bad_columns": {
            "zh_CN": "本行有 {found} 列，而表头有 {expected} 列（是否有多余的逗号或缺少引号？）。",
            "en": "This row has {found} columns but the header has {expected} (stray comma or missing quotes?).",
        },
        "directory.import.unknown_type": {
            "zh_CN": "记录类型“{type}”无效，应为：机关、内设机构、人员、岗位（body/department/person/post）。",
            "en": "Unknown record type '{type}'; use body, department, person or post.",
        },
        "directory.import.duplicate_id": {
            "zh_CN": "编号“{id}”重复，已在{first}出现。",
            "en": "The id '{id}' is duplicated; it first appears at {first}.",
        },
        "directory.import.login_taken": {
            "zh_CN": "登录账号“{login}”已被{owner}使用。",
            "en": "The login '{login}' is already used by {owner}.",
        },
        "directory.import.unknown_person": {
            "zh_CN": "人员“{person_id}”不存在（文件和系统中都没有）。",
            "en": "The person '{person_id}' exists neither in the file nor in the system.",
        },
        "directory.import.unknown_body": {
            "zh_CN": "机构“{body_id}”不存在（文件和系统中都没有）。",
            "en": "The body '{body_id}' exists neither in the file nor in the system.",
        },
        "directory.import.two_primary": {
            "zh_CN": "人员“{person_id}”有多个主岗（另见{first}），每人只能有一个主岗。",
            "en": "The person '{person_id}' has more than one primary post (see also {first}).",
        },
        "directory.import.depends_on": {
            "zh_CN": "因所依赖的{other}有错误，本行未导入。",
            "en": "Not imported because the row it depends on ({other}) has errors.",
        },
        "directory.import.rejected": {
            "zh_CN": "导入文件有 {count} 处错误，未导入任何数据。请修改后重新导入，或选择“仅导入正确的行”。",
            "en": "The import file has {count} errors; nothing was imported. Fix them and retry, or choose 'import valid rows'.",
        },
        "directory.import.location_line": {"zh_CN": "第 {line} 行", "en": "line {line}"},
        "directory.import.location_item": {"zh_CN": "{path}", "en": "{path}"},
    }
)

BODY_PREFIX = "b-"
PERSON_PREFIX = "p-"
POST_PREFIX = "post-"


def body_id(raw: str) -> str:
    """The stored id for a body code from a file (``GD01`` → ``b-GD01``)."""
    return raw if raw.startswith(BODY_PREFIX) else BODY_PREFIX + raw


def person_id(raw: str) -> str:
    return raw if raw.startswith(PERSON_PREFIX) else PERSON_PREFIX + raw


def post_id(raw: str) -> str:
    return raw if raw.startswith(POST_PREFIX) else POST_PREFIX + raw


# --------------------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class Where:
    """Where a row is in the file: a CSV line (1-based) or a JSON item path."""

    line: int | None = None
    path: str | None = None

    def text(self, lang: str = "zh_CN") -> str:
        if self.line is not None:
            return messages.render("directory.import.location_line", lang, {"line": self.line})
        return messages.render("directory.import.location_item", lang, {"path": self.path or ""})


@dataclass(frozen=True, slots=True)
class RowError:
    """One problem with one row; ``message(lang)`` is the reason in the user's language."""

    where: Where
    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def message(self, lang: str = "zh_CN") -> str:
        params = dict(self.params)
        for key in ("first", "other", "owner"):
            value = params.get(key)
            if isinstance(value, Where):
                params[key] = value.text(lang)
        return messages.render(self.code, lang, params)

    def text(self, lang: str = "zh_CN") -> str:
        """"第 12 行：电话号码“123”无效……" — location and reason in one sentence."""
        sep = ": " if messages.normalise_lang(lang) == "en" else "："
        return f"{self.where.text(lang)}{sep}{self.message(lang)}"

    def to_dict(self, lang: str = "zh_CN") -> dict[str, Any]:
        params = {
            k: (v.text(lang) if isinstance(v, Where) else v) for k, v in self.params.items()
        }
        return {
            "line": self.where.line,
            "path": self.where.path,
            "location": self.where.text(lang),
            "code": self.code,
            "message": self.message(lang),
            "params": params,
        }


@dataclass(slots=True)
class BodyRow:
    """A body (机关) or department (内设机构) to upsert; ``region_id`` is computed."""

    id: str
    parent_id: str | None
    name: str
    short_name: str | None
    code: str | None
    tier: str
    kind: str
    sort_order: int = 0
    region_id: str | None = None
    where: Where = field(default_factory=Where)


@dataclass(slots=True)
class PersonRow:
    """A person (人员) to upsert; ``login`` (optional) asks for an account."""

    id: str
    name: str
    phone: str | None = None
    email: str | None = None
    login: str | None = None
    where: Where = field(default_factory=Where)


@dataclass(slots=True)
class PostRow:
    """A post (岗位) to upsert: ``person_id`` holds ``title`` with ``roles`` in ``body_id``."""

    id: str
    person_id: str
    body_id: str
    title: str
    roles: list[str]
    is_primary: bool = False
    sort_order: int = 0
    where: Where = field(default_factory=Where)


@dataclass(slots=True)
class ImportPlan:
    """What an import would write, and why some rows would not be written.

    ``bodies`` come parents first. ``errors`` are rows that are wrong; ``skipped`` are
    valid rows left out because they depend on a wrong row (only non-empty when there
    are errors). ``ok`` means the whole file is clean.
    """

    bodies: list[BodyRow] = field(default_factory=list)
    people: list[PersonRow] = field(default_factory=list)
    posts: list[PostRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    skipped: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def counts(self) -> dict[str, int]:
        return {
            "bodies": len(self.bodies),
            "people": len(self.people),
            "posts": len(self.posts),
            "errors": len(self.errors),
            "skipped": len(self.skipped),
        }

    def report(self, lang: str = "zh_CN", limit: int | None = None) -> dict[str, Any]:
        """JSON for the admin screen / API: counts plus errors and skipped rows."""
        errs = self.errors if limit is None else self.errors[:limit]
        skipped = self.skipped if limit is None else self.skipped[:limit]
        return {
            "counts": self.counts(),
            "errors": [e.to_dict(lang) for e in errs],
            "skipped": [e.to_dict(lang) for e in skipped],
        }


class ImportRejected(ValidationFailed):
    """The file has errors and the caller did not ask for "import valid rows"."""

    def __init__(self, plan: ImportPlan) -> None:
        super().__init__("directory.import.rejected", count=len(plan.errors))
        self.plan = plan


# --------------------------------------------------------------------------- existing data


@dataclass(frozen=True, slots=True)
class ExistingBody:
    id: str
    parent_id: str | None
    name: str
    tier: str
    kind: str
    region_id: str


class Existing(Protocol):
    """Read access to what is already stored; each method takes and returns sets of ids."""

    def bodies_with_ancestors(self, ids: set[str]) -> dict[str, ExistingBody]:
        """The named bodies that exist, together with all their ancestors."""
        ...

    def existing_people(self, ids: set[str]) -> set[str]:
        """The subset of ``ids`` that are stored people."""
        ...

    def login_owners(self, logins: set[str]) -> dict[str, str]:
        """login → person id for the logins already taken."""
        ...


class NoExisting:
    """An empty directory (first import, tests)."""

    def bodies_with_ancestors(self, ids: set[str]) -> dict[str, ExistingBody]:
        return {}

    def existing_people(self, ids: set[str]) -> set[str]:
        return set()

    def login_owners(self, logins: set[str]) -> dict[str, str]:
        return {}


@dataclass
class InMemoryExisting:
    """An :class:`Existing` over plain dicts (used by tests and the demo seeder)."""

    bodies: dict[str, ExistingBody] = field(default_factory=dict)
    people: set[str] = field(default_factory=set)
    logins: dict[str, str] = field(default_factory=dict)

    def bodies_with_ancestors(self, ids: set[str]) -> dict[str, ExistingBody]:
        out: dict[str, ExistingBody] = {}
        for i in ids:
            cur = self.bodies.get(i)
            while cur is not None and cur.id not in out:
                out[cur.id] = cur
                cur = self.bodies.get(cur.parent_id) if cur.parent_id else None
        return out

    def existing_people(self, ids: set[str]) -> set[str]:
        return ids & self.people

    def login_owners(self, logins: set[str]) -> dict[str, str]:
        return {k: v for k, v in self.logins.items() if k in logins}


# --------------------------------------------------------------------------- decoding


def decode(data: bytes | str) -> str:
    """Text of an import file: UTF-8 (with or without BOM), else GB18030.

    Raises ``DirectoryInvalid("directory.import.bad_encoding")`` naming the line of the
    first byte that fits neither.
    """
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as utf8_error:
        try:
            return data.decode("gb18030")
        except UnicodeDecodeError as gb_error:
            pos = max(utf8_error.start, gb_error.start)
            line = data.count(b"\n", 0, pos) + 1
            raise DirectoryInvalid("directory.import.bad_encoding", line=line) from None


# --------------------------------------------------------------------------- columns

#: Column names (English codes and Chinese headers) → field.
COLUMNS: dict[str, str] = {}
for _field, _names in {
    "type": ("type", "类型", "记录类型"),
    "id": ("id", "编号", "代码"),
    "parent_id": ("parent_id", "parent", "上级编号", "上级"),
    "name": ("name", "名称", "姓名", "机构名称"),
    "short_name": ("short_name", "简称"),
    "code": ("code", "机关代字", "代字"),
    "tier": ("tier", "层级"),
    "kind": ("kind", "类别", "机构类别"),
    "sort_order": ("sort_order", "sort", "排序", "序号"),
    "phone": ("phone", "mobile", "手机", "手机号", "电话"),
    "email": ("email", "邮箱", "电子邮箱"),
    "login": ("login", "account", "账号", "登录名", "登录账号"),
    "person_id": ("person_id", "人员编号"),
    "body_id": ("body_id", "单位编号", "机构编号", "所在机构"),
    "title": ("title", "职务", "岗位名称"),
    "roles": ("roles", "角色"),
    "is_primary": ("is_primary", "primary", "主岗"),
}.items():
    for _n in _names:
        COLUMNS[_n.lower()] = _field

RECORD_TYPES: dict[str, str] = {
    "body": "body", "机关": "body", "单位": "body",
    "department": "department", "内设机构": "department", "部门": "department",
    "处室": "department",
    "person": "person", "人员": "person", "people": "person",
    "post": "post", "岗位": "post", "职务": "post",
}

_FIELD_LABELS = {
    "type": "类型", "id": "编号", "parent_id": "上级编号", "name": "名称", "tier": "层级",
    "person_id": "人员编号", "body_id": "单位编号", "title": "职务", "roles": "角色",
}


# --------------------------------------------------------------------------- raw rows


@dataclass(slots=True)
class _Raw:
    type: str
    values: dict[str, Any]
    where: Where


def _csv_rows(text: str, errors: list[RowError]) -> Iterator[_Raw]:
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if ("\t" in first_line and "," not in first_line) else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    fields: list[str | None] = []
    prev_line = 0
    for row in reader:
        start = prev_line + 1
        prev_line = reader.line_num
        if not row or all(not c.strip() for c in row):
            continue
        if header is None:
            header = [c.strip() for c in row]
            seen: set[str] = set()
            bad = False
            for name in header:
                f = COLUMNS.get(name.lower())
                if f is None:
                    if name:
                        errors.append(
                            RowError(Where(line=start), "directory.import.unknown_column", {"column": name})
                        )
                        bad = True
                    fields.append(None)
                    continue
                if f in seen:
                    errors.append(
                        RowError(Where(line=start), "directory.import.duplicate_column", {"column": name})
                    )
                    bad = True
                seen.add(f)
                fields.append(f)
            if "type" not in seen:
                errors.append(
                    RowError(Where(line=start), "directory.import.missing_column", {"column": "type（类型）"})
                )
                bad = True
            if bad:
                return
            continue
        if len(row) > len(fields) and any(c.strip() for c in row[len(fields):]):
            errors.append(
                RowError(
                    Where(line=start),
                    "directory.import.bad_columns",
                    {"found": len(row), "expected": len(fields)},
                )
            )
            continue
        values: dict[str, Any] = {}
        for f, cell in zip(fields, row, strict=False):
            if f is not None:
                values[f] = cell.strip()
        yield _Raw(values.pop("type", ""), values, Where(line=start))
    if header is None:
        errors.append(RowError(Where(line=1), "directory.import.empty"))


def _json_rows(text: str, errors: list[RowError]) -> Iterator[_Raw]:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        errors.append(
            RowError(
                Where(line=exc.lineno),
                "directory.import.bad_json",
                {"line": exc.lineno, "column": exc.colno, "detail": exc.msg},
            )
        )
        return
    if not isinstance(doc, dict):
        errors.append(RowError(Where(path="$"), "directory.import.bad_shape", {"key": "$"}))
        return
    for key in doc:
        if key not in ("bodies", "people", "posts", "departments"):
            errors.append(RowError(Where(path=key), "directory.import.bad_shape", {"key": key}))
    count = 0
    for key, kind in (("bodies", "body"), ("departments", "department"), ("people", "person"), ("posts", "post")):
        items = doc.get(key, [])
        if not isinstance(items, list):
            errors.append(RowError(Where(path=key), "directory.import.bad_shape", {"key": key}))
            continue
        for i, item in enumerate(items):
            path = f"{key}[{i}]"
            if not isinstance(item, dict):
                errors.append(RowError(Where(path=path), "directory.import.bad_shape", {"key": path}))
                continue
            count += 1
            values = dict(item)
            typ = kind
            if kind == "body" and str(values.get("kind", "")).strip() in ("department", "内设机构"):
                typ = "department"
            nested = values.pop("posts", None)
            yield _Raw(typ, values, Where(path=path))
            if kind == "person" and nested is not None:
                if not isinstance(nested, list):
                    errors.append(
                        RowError(Where(path=f"{path}.posts"), "directory.import.bad_shape", {"key": f"{path}.posts"})
                    )
                    continue
                for j, post in enumerate(nested):
                    ppath = f"{path}.posts[{j}]"
                    if not isinstance(post, dict):
                        errors.append(RowError(Where(path=ppath), "directory.import.bad_shape", {"key": ppath}))
                        continue
                    count += 1
                    pvalues = dict(post)
                    pvalues.setdefault("person_id", values.get("id", ""))
                    yield _Raw("post", pvalues, Where(path=ppath))
    if count == 0 and not errors:
        errors.append(RowError(Where(path="$"), "directory.import.empty"))


def _text(values: Mapping[str, Any], key: str) -> str:
    v = values.get(key)
    if v is None:
        return ""
    if isinstance(v, bool | int | float):
        return str(v)
    if isinstance(v, list):
        return ";".join(str(x) for x in v)
    return str(v).strip()


# --------------------------------------------------------------------------- parse


class _RowParser:
    """Turns raw rows into typed rows, collecting every error of every row."""

    def __init__(self) -> None:
        self.errors: list[RowError] = []
        self.bodies: list[BodyRow] = []
        self.people: list[PersonRow] = []
        self.posts: list[PostRow] = []
        self.bad_body_ids: dict[str, Where] = {}
        self.bad_person_ids: dict[str, Where] = {}
        self._post_counter: dict[str, int] = {}
        #: stored id → the id as written in the file, for messages.
        self.raw_of: dict[str, str] = {}

    def _map(self, fn: Callable[[str], str], raw: str) -> str:
        mapped = fn(raw)
        self.raw_of.setdefault(mapped, raw)
        return mapped

    def _fail(self, where: Where, exc: DomainError) -> None:
        self.errors.append(RowError(where, exc.code, dict(exc.params)))

    def _required(self, values: Mapping[str, Any], key: str, where: Where, bad: list[bool]) -> str:
        text = _text(values, key)
        if not text:
            label = f"{key}（{_FIELD_LABELS.get(key, key)}）"
            self.errors.append(RowError(where, "directory.missing_field", {"field": label}))
            bad[0] = True
        return text

    def _unmarked(self, bad: list[bool], where: Where, text: str) -> None:
        """A name or title carrying a classification marking is a bad row."""
        level = find_classified_marking(text)
        if level is not None:
            self.errors.append(RowError(where, "document.classified_refused", {"level": level}))
            bad[0] = True

    def _try(self, bad: list[bool], where: Where, fn: Any, *args: Any) -> Any:
        try:
            return fn(*args)
        except DirectoryInvalid as exc:
            self._fail(where, exc)
            bad[0] = True
            return None

    def add(self, raw: _Raw) -> None:
        typ = RECORD_TYPES.get(raw.type.strip().lower()) if raw.type else None
        if typ is None:
            code = "directory.import.unknown_type"
            if not raw.type.strip():
                self.errors.append(RowError(raw.where, "directory.missing_field", {"field": "type（类型）"}))
            else:
                self.errors.append(RowError(raw.where, code, {"type": raw.type}))
            return
        if typ in ("body", "department"):
            self._body(raw, typ)
        elif typ == "person":
            self._person(raw)
        else:
            self._post(raw, _text(raw.values, "person_id"))

    def _body(self, raw: _Raw, typ: str) -> None:
        v, w, bad = raw.values, raw.where, [False]
        rid = self._required(v, "id", w, bad)
        bid = self._map(body_id, self._try(bad, w, rules.check_id, rid) or rid) if rid else ""
        name = self._required(v, "name", w, bad)
        if name:
            self._try(bad, w, rules.check_length, name, "name（名称）", rules.NAME_MAX)
            self._unmarked(bad, w, name)
        kind = typ
        if _text(v, "kind"):
            parsed = self._try(bad, w, rules.parse_kind, _text(v, "kind"))
            if parsed is not None:
                kind = parsed
        tier_text = _text(v, "tier")
        tier = ""
        if tier_text:
            tier = self._try(bad, w, rules.parse_tier, tier_text) or ""
        elif kind == "body":
            self._required(v, "tier", w, bad)
        parent_raw = _text(v, "parent_id")
        parent = None
        if parent_raw:
            checked = self._try(bad, w, rules.check_id, parent_raw)
            parent = self._map(body_id, checked) if checked else None
        elif kind == "department":
            self._fail(w, DirectoryInvalid("directory.department_without_body", name=name))
            bad[0] = True
        code = self._try(bad, w, rules.normalize_code, _text(v, "code"))
        if code:
            self._try(bad, w, rules.check_department_code, kind, code, name)
        short = _text(v, "short_name") or None
        if short:
            self._try(bad, w, rules.check_length, short, "short_name（简称）", rules.NAME_MAX)
            self._unmarked(bad, w, short)
        sort = self._try(bad, w, rules.parse_int, v.get("sort_order"), "sort_order（排序）")
        if bad[0]:
            if bid:
                self.bad_body_ids.setdefault(bid, w)
            return
        self.bodies.append(BodyRow(bid, parent, name, short, code, tier, kind, sort or 0, None, w))

    def _person(self, raw: _Raw) -> None:
        v, w, bad = raw.values, raw.where, [False]
        rid = self._required(v, "id", w, bad)
        pid = self._map(person_id, self._try(bad, w, rules.check_id, rid) or rid) if rid else ""
        name = self._required(v, "name", w, bad)
        if name:
            self._try(bad, w, rules.check_length, name, "name（姓名）", rules.PERSON_NAME_MAX)
            self._unmarked(bad, w, name)
        phone = self._try(bad, w, rules.normalize_phone, _text(v, "phone"))
        email = self._try(bad, w, rules.normalize_email, _text(v, "email"))
        login = self._try(bad, w, rules.normalize_login, _text(v, "login"))
        inline = any(_text(v, k) for k in ("body_id", "title", "roles"))
        if bad[0]:
            if pid:
                self.bad_person_ids.setdefault(pid, w)
            if inline:  # still report the problems of the post on the same row
                self._post(raw, rid, keep=False)
            return
        self.people.append(PersonRow(pid, name, phone, email, login, w))
        if inline:
            self._post(raw, rid)

    def _post(self, raw: _Raw, person_raw: str, keep: bool = True) -> None:
        v, w, bad = raw.values, raw.where, [False]
        if not person_raw:
            self._required(v, "person_id", w, bad)
        pid = ""
        if person_raw:
            checked = self._try(bad, w, rules.check_id, person_raw)
            pid = self._map(person_id, checked) if checked else ""
        body_raw = self._required(v, "body_id", w, bad)
        bid = ""
        if body_raw:
            checked = self._try(bad, w, rules.check_id, body_raw)
            bid = self._map(body_id, checked) if checked else ""
        title = self._required(v, "title", w, bad)
        if title:
            self._try(bad, w, rules.check_length, title, "title（职务）", rules.TITLE_MAX)
            self._unmarked(bad, w, title)
        roles_text = v.get("roles")
        roles: list[str] | None = None
        if roles_text in (None, "", []):
            self._required(v, "roles", w, bad)
        else:
            roles = self._try(bad, w, rules.parse_roles, roles_text)
        primary = self._try(bad, w, rules.parse_bool, v.get("is_primary", ""), "is_primary（主岗）")
        sort = self._try(bad, w, rules.parse_int, v.get("sort_order"), "sort_order（排序）")
        is_person_row = RECORD_TYPES.get(raw.type.strip().lower()) == "person"
        raw_id = "" if is_person_row else _text(v, "id")
        if raw_id:
            checked = self._try(bad, w, rules.check_id, raw_id)
            raw_id = checked or ""
        if bad[0] or not keep:
            return
        if raw_id:
            psid = post_id(raw_id)
        else:
            n = self._post_counter.get(pid, 0) + 1
            self._post_counter[pid] = n
            psid = f"{POST_PREFIX}{pid.removeprefix(PERSON_PREFIX)}-{n}"
        self.posts.append(
            PostRow(psid, pid, bid, title, roles or [], bool(primary), sort or 0, w)
        )


# --------------------------------------------------------------------------- validate


def parse(
    data: bytes | str,
    *,
    filename: str | None = None,
    existing: Existing | None = None,
) -> ImportPlan:
    """Parse and validate an import file (CSV or JSON) into a plan.

    The format is chosen by ``filename`` (``.json``/``.csv``/``.txt``) or, without one,
    by the content (a leading ``{`` means JSON). ``existing`` answers questions about
    stored records; by default the directory is empty. Never raises for bad content:
    every problem is an entry in ``plan.errors``.
    """
    errors: list[RowError] = []
    try:
        text = decode(data)
    except DirectoryInvalid as exc:
        return ImportPlan(errors=[RowError(Where(line=exc.params["line"]), exc.code, dict(exc.params))])
    is_json = (
        filename.lower().endswith(".json")
        if filename
        else text.lstrip().startswith(("{", "["))
    )
    rows = _json_rows(text, errors) if is_json else _csv_rows(text, errors)
    parser = _RowParser()
    for raw in rows:
        parser.add(raw)
    parser.errors[:0] = errors
    return _validate(parser, existing or NoExisting())


def _validate(p: _RowParser, existing: Existing) -> ImportPlan:
    errors = p.errors
    skipped: list[RowError] = []

    def shown(stored_id: str) -> str:
        return p.raw_of.get(stored_id, stored_id)

    # Duplicate ids inside the file (the first row with an id wins).
    def dedupe(rows: list[Any], bad_ids: Mapping[str, Where]) -> list[Any]:
        seen: dict[str, Where] = dict(bad_ids)
        out = []
        for r in rows:
            first = seen.get(r.id)
            if first is not None and first != r.where:
                errors.append(
                    RowError(r.where, "directory.import.duplicate_id", {"id": shown(r.id), "first": first})
                )
                continue
            seen[r.id] = r.where
            out.append(r)
        return out

    bodies: list[BodyRow] = dedupe(p.bodies, p.bad_body_ids)
    people: list[PersonRow] = dedupe(p.people, p.bad_person_ids)
    posts: list[PostRow] = dedupe(p.posts, {})

    file_bodies = {b.id: b for b in bodies}
    bad_bodies: dict[str, Where] = dict(p.bad_body_ids)

    # Existing bodies referenced by the file, with their ancestors (for cycles/regions).
    referenced = {b.parent_id for b in bodies if b.parent_id} | {b.id for b in bodies}
    referenced |= {ps.body_id for ps in posts}
    stored = existing.bodies_with_ancestors(referenced)

    # Merged parent map: stored links, overridden by the file.
    parent_of: dict[str, str | None] = {i: s.parent_id for i, s in stored.items()}
    for b in bodies:
        parent_of[b.id] = b.parent_id

    # Unknown parents.
    for b in bodies:
        if b.parent_id and b.parent_id not in file_bodies and b.parent_id not in stored:
            if b.parent_id in bad_bodies:
                continue  # handled as a dependency below
            errors.append(
                RowError(b.where, "directory.unknown_parent", {"parent_id": shown(b.parent_id)})
            )
            bad_bodies[b.id] = b.where

    # Cycles (in linear time over the merged map).
    for cycle in rules.cycles_in(parent_of):
        names = [file_bodies[i].name if i in file_bodies else stored[i].name for i in cycle]
        path = " → ".join(names)
        for i in cycle[:-1]:
            if i in file_bodies and i not in bad_bodies:
                errors.append(RowError(file_bodies[i].where, "directory.cycle", {"path": path}))
                bad_bodies[i] = file_bodies[i].where

    # Placement, tiers and regions, parents first.
    resolved: dict[str, tuple[str, str, str, str]] = {}  # id → (tier, kind, region, name)
    for s in stored.values():
        if s.id not in file_bodies:
            resolved[s.id] = (s.tier, s.kind, s.region_id, s.name)
    order: list[BodyRow] = []
    blocked: dict[str, Where] = {}  # id → the bad row it depends on

    def resolve(start: BodyRow) -> None:
        chain: list[BodyRow] = []
        cur: BodyRow | None = start
        while cur is not None and cur.id not in resolved and cur.id not in blocked:
            if cur.id in bad_bodies:
                break
            chain.append(cur)
            nxt = cur.parent_id
            cur = file_bodies.get(nxt) if nxt and nxt not in resolved else None
        culprit: Where | None = None
        if cur is not None and cur.id in bad_bodies:
            culprit = bad_bodies[cur.id]
        elif cur is not None and cur.id in blocked:
            culprit = blocked[cur.id]
        for b in reversed(chain):
            if culprit is None and b.parent_id and b.parent_id in bad_bodies and b.parent_id not in resolved:
                culprit = bad_bodies[b.parent_id]
            if culprit is not None:
                blocked[b.id] = culprit
                skipped.append(RowError(b.where, "directory.import.depends_on", {"other": culprit}))
                continue
            parent = resolved.get(b.parent_id) if b.parent_id else None
            if b.kind == "department" and not b.tier and parent is not None:
                b.tier = parent[0]
            try:
                if parent is not None:
                    facts = rules.BodyFacts(b.parent_id or "", None, parent[3], parent[0], parent[1])
                else:
                    facts = None
                rules.check_placement(rules.BodyFacts(b.id, b.parent_id, b.name, b.tier, b.kind), facts)
            except DirectoryInvalid as exc:
                errors.append(RowError(b.where, exc.code, dict(exc.params)))
                bad_bodies[b.id] = b.where
                culprit = b.where
                continue
            b.region_id = rules.region_for(
                b.id, b.tier, b.kind, parent[2] if parent else None, parent[0] if parent else None
            )
            resolved[b.id] = (b.tier, b.kind, b.region_id, b.name)
            order.append(b)

    for b in bodies:
        if b.id not in resolved and b.id not in blocked and b.id not in bad_bodies:
            resolve(b)

    # People: logins must be unique in the file and not taken by someone else.
    bad_people: dict[str, Where] = dict(p.bad_person_ids)
    logins = {pr.login for pr in people if pr.login}
    owners = existing.login_owners(logins) if logins else {}
    login_seen: dict[str, PersonRow] = {}
    kept_people: list[PersonRow] = []
    for pr in people:
        if pr.login:
            first = login_seen.get(pr.login)
            if first is not None:
                errors.append(
                    RowError(pr.where, "directory.import.login_taken", {"login": pr.login, "owner": first.where})
                )
                bad_people[pr.id] = pr.where
                continue
            owner = owners.get(pr.login)
            if owner is not None and owner != pr.id:
                errors.append(
                    RowError(pr.where, "directory.import.login_taken", {"login": pr.login, "owner": owner})
                )
                bad_people[pr.id] = pr.where
                continue
            login_seen[pr.login] = pr
        kept_people.append(pr)
    file_people = {pr.id for pr in kept_people}

    # Posts: person and body must exist (here or stored); one primary post per person.
    wanted_people = {ps.person_id for ps in posts} - file_people - set(bad_people)
    stored_people = existing.existing_people(wanted_people) if wanted_people else set()
    kept_posts: list[PostRow] = []
    primary_seen: dict[str, Where] = {}
    for ps in posts:
        culprit = bad_people.get(ps.person_id) or bad_bodies.get(ps.body_id) or blocked.get(ps.body_id)
        if culprit is not None:
            skipped.append(RowError(ps.where, "directory.import.depends_on", {"other": culprit}))
            continue
        row_bad = False
        if ps.person_id not in file_people and ps.person_id not in stored_people:
            errors.append(RowError(ps.where, "directory.import.unknown_person", {"person_id": shown(ps.person_id)}))
            row_bad = True
        if ps.body_id not in resolved:
            errors.append(RowError(ps.where, "directory.import.unknown_body", {"body_id": shown(ps.body_id)}))
            row_bad = True
        if not row_bad and ps.is_primary:
            first_primary = primary_seen.get(ps.person_id)
            if first_primary is not None:
                errors.append(
                    RowError(ps.where, "directory.import.two_primary", {"person_id": shown(ps.person_id), "first": first_primary})
                )
                row_bad = True
            else:
                primary_seen[ps.person_id] = ps.where
        if not row_bad:
            kept_posts.append(ps)

    errors.sort(key=_where_key)
    skipped.sort(key=_where_key)
    return ImportPlan(order, kept_people, kept_posts, errors, skipped)


def _where_key(e: RowError) -> tuple[int, str]:
    return (e.where.line if e.where.line is not None else 0, e.where.path or "")


def plan_from_rows(
    bodies: Iterable[BodyRow],
    people: Iterable[PersonRow],
    posts: Iterable[PostRow],
    existing: Existing | None = None,
) -> ImportPlan:
    """Validate already-typed rows (the demo generator uses this) like a file import.

    The rows are copied; the plan's rows carry the computed tiers and regions.
    """
    p = _RowParser()
    p.bodies = [replace(b) for b in bodies]
    p.people = [replace(x) for x in people]
    p.posts = [replace(x, roles=list(x.roles)) for x in posts]
    return _validate(p, existing or NoExisting())
