"""The push body in the OpenAPI description is the shared intent definitions, published."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from modules.common import intents
from tests.intents import product_intents


def _push_items(spec: dict[str, Any]) -> dict[str, Any]:
    body = spec["paths"]["/api/v1/sync/push"]["post"]["requestBody"]["content"]
    items: dict[str, Any] = body["application/json"]["schema"]["properties"]["mutations"]["items"]
    return items


def test_every_product_intent_is_published_with_its_summary_and_offline_flag(app: Any) -> None:
    spec = TestClient(app).get("/openapi.json").json()
    mapping = _push_items(spec)["discriminator"]["mapping"]
    schemas = spec["components"]["schemas"]
    names = product_intents()
    assert names
    for name in names:
        definition = intents.get(name)
        assert definition is not None, name
        assert definition.summary, f"{name} has no summary= in its define() call"
        assert name in mapping, name
        schema = schemas[mapping[name].removeprefix("#/components/schemas/")]
        assert schema["description"] == definition.summary, name
        assert schema["x-offline"] is definition.offline, name
        assert schema["properties"]["name"]["const"] == name
        args_ref = schema["properties"]["args"]["$ref"].removeprefix("#/components/schemas/")
        assert schemas[args_ref]["title"] == definition.args.__name__, name
