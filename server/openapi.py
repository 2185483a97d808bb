"""The OpenAPI description, made to tell the truth about the server.

FastAPI's generated description is corrected in one place:

* every 4xx/5xx answer has the one error envelope (``ErrorEnvelope``) as its schema,
  and each operation lists the statuses it can really answer;
* operations that need a signed-in user carry the ``bearer`` (HTTP bearer, JWT)
  security scheme — found from the route's dependencies, not a hand list;
* ``POST /sync/push`` documents its mutations as a union discriminated by ``name``, one
  schema per intent the server handles, built from the shared intent definitions
  (``modules.common.intents``, via ``server.mutations.registered_intents``): its
  arguments, its ``summary`` as the description and ``x-offline`` (whether the client
  applies it at once, offline too, or it waits for the server);
* routes that answer files or streams name their real media type;
* path and query text parameters state the text rule (no control characters).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal, Union, cast

from fastapi import FastAPI, routing
from fastapi.dependencies.models import Dependant
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute
from pydantic import BaseModel, ConfigDict, Field, create_model

from modules.common.intents import Intent
from server.auth.deps import current_principal

ERROR_ENVELOPE: dict[str, Any] = {
    "title": "ErrorEnvelope",
    "type": "object",
    "description": "Every failure: a stable code, a sentence in the user's language, and "
                   "the id of the request in the server's log.",
    "required": ["error", "request_id"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "params"],
            "properties": {
                "code": {"type": "string", "minLength": 1},
                "message": {"type": "string", "minLength": 1},
                "params": {"type": "object"},
            },
        },
        "request_id": {"type": "string", "minLength": 1},
    },
}

_STATUS_TEXT = {
    400: "Bad request (malformed JSON, bad cursor, a rule that refuses it)",
    401: "Not signed in, or the token expired or was revoked",
    403: "Signed in but not allowed",
    404: "No such thing (or not visible to this user)",
    409: "The state moved on (someone acted first)",
    410: "The cursor is no longer honoured: pull from the beginning",
    413: "Body, file or batch too large",
    416: "Range not satisfiable",
    422: "Input that does not validate (types, lengths, text that cannot be stored)",
    423: "Account locked after failed logins",
    500: "A bug: logged with the request id",
}

#: Paths whose handlers read the bearer token themselves (not through a dependency).
_SELF_AUTHENTICATED = {("PUT", "/blobs/{sha256}"), ("GET", "/sync/events")}

#: Real media types of routes that do not answer JSON (path suffix -> media type).
_MEDIA_TYPES = {
    "/sync/events": "text/event-stream",
    "/blobs/{sha256}": "application/octet-stream",
    ".csv": "text/csv",
    ".zip": "application/zip",
    ".pem": "application/x-pem-file",
    ".ics": "text/calendar",
    ".png": "image/png",
}

#: A day as the seal register's ``since``/``until`` read it (empty: no bound).
_DAY = "^([0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01]))?$"

#: Patterns of parameters whose handlers parse them (path suffix, parameter) -> pattern.
_PARAMETER_PATTERNS = {
    ("/seals/register", "since"): _DAY, ("/seals/register", "until"): _DAY,
    ("/seals/register.csv", "since"): _DAY, ("/seals/register.csv", "until"): _DAY,
}

#: Statuses particular to one operation, beyond those every operation of its kind has.
_EXTRA_STATUSES = {
    ("POST", "/auth/login"): {401, 423},
    ("POST", "/auth/refresh"): {401},
    ("POST", "/auth/logout"): {401},
    ("POST", "/auth/device-wiped"): {401},  # signed by the revoked credentials themselves
    ("GET", "/sync/pull"): {410},
    ("GET", "/directory/demo-accounts"): {404},
    ("GET", "/blobs/{sha256}"): {206, 416},
    ("GET", "/meetings/{meeting_id}.ics"): {409},  # a draft is not exported
}


def _uses(dependant: Dependant, call: Any) -> bool:
    return any(dep.call is call or _uses(dep, call) for dep in dependant.dependencies)


def intent_model(intent: Intent[Any]) -> type[BaseModel]:
    """One push item of ``intent``: ``{id, name, args}``, described by the intent's
    summary, with ``x-offline`` saying whether it works offline."""
    # Literal and Annotated are filled in at run time: cast so mypy takes them as values
    name_type: Any = cast(Any, Literal)[intent.name]
    return create_model(
        "Intent_" + intent.name.replace(".", "_"),
        __config__=ConfigDict(extra="forbid", json_schema_extra={"x-offline": intent.offline}),
        __doc__=intent.summary or None,
        id=(str, Field(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_\-]+$")),
        name=(name_type, ...),
        args=(intent.args, ...),
    )


def _intent_union(intents: Mapping[str, Intent[Any]]) -> Any:
    """``list[Intent_<name> | ...]`` discriminated by ``name``, one model per intent."""
    models = [intent_model(intent) for _, intent in sorted(intents.items())]
    if not models:
        return list[dict[str, Any]]
    member: Any = models[0] if len(models) == 1 else Union[tuple(models)]  # noqa: UP007
    item: Any = cast(Any, Annotated)[member, Field(discriminator="name")]
    return list[item]


def push_request_schema(intents: Mapping[str, Intent[Any]]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(schema of the push body, component schemas it refers to)."""
    doc = create_model("PushRequest", __config__=ConfigDict(extra="forbid"),
                       mutations=(_intent_union(intents), Field(max_length=100)))
    schema = doc.model_json_schema(ref_template="#/components/schemas/push.{model}")
    defs = {f"push.{key}": value for key, value in schema.pop("$defs", {}).items()}
    return schema, defs


def install_openapi(app: FastAPI, prefix: str, intents: Mapping[str, Intent[Any]]) -> None:
    """Replace ``app.openapi`` with the corrected description (built once, cached);
    ``intents``: what push accepts (``server.mutations.registered_intents()``)."""

    def build() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        spec = get_openapi(title=app.title, version=app.version, routes=app.routes)
        components = spec.setdefault("components", {})
        schemas = components.setdefault("schemas", {})
        schemas["ErrorEnvelope"] = ERROR_ENVELOPE
        schemas.pop("HTTPValidationError", None)
        schemas.pop("ValidationError", None)
        components["securitySchemes"] = {
            "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}
        push_schema, push_defs = push_request_schema(intents)
        schemas.update(push_defs)
        routes = {}
        for context in routing.iter_route_contexts(app.routes):
            if isinstance(context.original_route, APIRoute):
                for method in context.methods or ():
                    routes[(method, context.path_format)] = context
        for path, operations in spec.get("paths", {}).items():
            local = path.removeprefix(prefix)
            for method, op in operations.items():
                route = routes.get((method.upper(), path))
                key = (method.upper(), local)
                protected = key in _SELF_AUTHENTICATED or (
                    route is not None and _uses(route.dependant, current_principal))
                has_body = "requestBody" in op or method in ("put", "post", "patch")
                statuses = {400, 422, 500}
                if protected:
                    op["security"] = [{"bearer": []}]
                    statuses |= {401, 403}
                if "{" in path or protected:
                    statuses.add(404)
                if method != "get":
                    statuses.add(409)
                if has_body:
                    statuses.add(413)
                statuses |= _EXTRA_STATUSES.get(key, set())
                _document_responses(op, statuses)
                for parameter in op.get("parameters", ()):
                    pattern = _PARAMETER_PATTERNS.get((local, parameter.get("name")))
                    if pattern:
                        parameter.setdefault("schema", {})["pattern"] = pattern
                    _state_the_text_rule(parameter.get("schema", {}))
                if method == "get":
                    _fix_media_type(op, local)
                if key == ("POST", "/sync/push"):
                    op["requestBody"]["content"]["application/json"]["schema"] = push_schema
        for name, component in schemas.items():
            if name != "ErrorEnvelope":
                _state_no_nul(component)
        app.openapi_schema = spec
        return spec

    app.openapi = build  # type: ignore[method-assign]


def _document_responses(op: dict[str, Any], statuses: set[int]) -> None:
    responses = op.setdefault("responses", {})
    envelope = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorEnvelope"}}}
    for status in sorted(statuses):
        if status < 400:
            responses.setdefault(str(status), {"description": "Partial content"})
            continue
        entry: dict[str, Any] = {"description": _STATUS_TEXT.get(status, "Error"),
                                 "content": envelope}
        if status == 401:
            entry["headers"] = {"WWW-Authenticate": {"schema": {"type": "string"}}}
        responses[str(status)] = entry


#: Path and query text holds no control character (modules.common.text, the guard).
NO_CONTROLS = "^[^\u0000-\u001f\u007f-\u009f]*$"


def _state_the_text_rule(schema: dict[str, Any]) -> None:
    if schema.get("type") == "string" and "pattern" not in schema and "format" not in schema:
        schema["pattern"] = NO_CONTROLS
    for option in schema.get("anyOf", ()):
        _state_the_text_rule(option)


#: Body text holds no NUL (the guard refuses it, and lone surrogates, in any JSON body).
NO_NUL = "^[^\u0000]*$"


def _state_no_nul(schema: Any) -> None:
    if isinstance(schema, list):
        for item in schema:
            _state_no_nul(item)
        return
    if not isinstance(schema, dict):
        return
    if schema.get("type") == "string" and not {"pattern", "format", "enum", "const"} & set(schema):
        schema["pattern"] = NO_NUL
    for key in ("properties", "patternProperties", "$defs"):
        for sub in (schema.get(key) or {}).values():
            _state_no_nul(sub)
    for key in ("items", "additionalProperties", "anyOf", "oneOf", "allOf", "prefixItems"):
        if key in schema:
            _state_no_nul(schema[key])


def _fix_media_type(op: dict[str, Any], local_path: str) -> None:
    for suffix, media_type in _MEDIA_TYPES.items():
        if local_path.endswith(suffix):
            for status in ("200", "206"):
                if status in op.get("responses", {}):
                    op["responses"][status]["content"] = {media_type: {"schema": {}}}
            return
