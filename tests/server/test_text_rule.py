"""The one text rule (modules/common/text.py), the flush guard on every String(n)
column, and the OpenAPI description's promises."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel, ValidationError
from sqlalchemy import String

from modules.common.errors import ValidationFailed
from modules.common.text import MultilineText, Text, find_unreadable, text_problem
from server.db import Base, session_scope


def test_text_problems_are_named() -> None:
    assert text_problem("公文 title") is None
    assert text_problem("a\ud800") == "surrogate"
    assert text_problem("a\x00") == "nul"
    assert text_problem("a\nb") == "control"
    assert text_problem("a\nb\tc", multiline=True) is None
    assert text_problem("a\x85", multiline=True) == "control"
    assert text_problem("abc", max_len=2) == "too_long"
    assert find_unreadable({"a": [1, {"b\x00": "x"}]}) == ("a.1.b\x00", "nul")
    assert find_unreadable({"a": ["ok", "\udc00"]}, "args") == ("args.a.1", "surrogate")
    assert find_unreadable({"a": "line\nnext"}) is None


def test_field_types_apply_the_rule() -> None:
    class Form(BaseModel):
        title: Text(10)  # type: ignore[valid-type]
        body: MultilineText(100)  # type: ignore[valid-type]

    assert Form(title="通知", body="第一行\n第二行").title == "通知"
    for bad in ({"title": "a\nb", "body": ""}, {"title": "x" * 11, "body": ""},
                {"title": "a", "body": "\x00"}, {"title": "\ud800", "body": ""}):
        with pytest.raises(ValidationError):
            Form(**bad)


def _string_columns() -> list[tuple[type, str, int]]:
    found = []
    for mapper in Base.registry.mappers:
        for attr in mapper.column_attrs:
            column_type = attr.columns[0].type
            if isinstance(column_type, String) and column_type.length:
                found.append((mapper.class_, attr.key, column_type.length))
    return found


def test_every_string_column_refuses_an_over_long_value_on_both_databases(app: Any) -> None:
    columns = _string_columns()
    assert len(columns) > 50
    for cls, key, length in columns:
        with pytest.raises(ValidationFailed) as info, session_scope(app.state.sessions) as s:
            obj = cls()
            setattr(obj, key, "x" * (length + 1))
            s.add(obj)
            s.flush()
        assert info.value.code == "request.too_long"
        assert info.value.params == {"field": key, "limit": length}


def test_the_description_states_errors_auth_intents_and_allow(app: Any) -> None:
    from server.mutations import args_models

    spec = TestClient(app).get("/openapi.json").json()
    assert spec["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    envelope = {"$ref": "#/components/schemas/ErrorEnvelope"}
    for path, operations in spec["paths"].items():
        for method, op in operations.items():
            errors = {k: v for k, v in op["responses"].items() if k[0] in "45"}
            assert "500" in errors and "422" in errors, (method, path)
            for status, answer in errors.items():
                assert answer["content"]["application/json"]["schema"] == envelope, (path, status)
    assert spec["paths"]["/api/v1/me"]["get"]["security"] == [{"bearer": []}]
    assert "security" not in spec["paths"]["/api/v1/auth/login"]["post"]
    assert "410" in spec["paths"]["/api/v1/sync/pull"]["get"]["responses"]
    push = spec["paths"]["/api/v1/sync/push"]["post"]["requestBody"]["content"]
    items = push["application/json"]["schema"]["properties"]["mutations"]["items"]
    assert items["discriminator"]["propertyName"] == "name"
    assert set(items["discriminator"]["mapping"]) == set(args_models())
    assert TestClient(app).put("/api/v1/me").headers["allow"] == "GET"
