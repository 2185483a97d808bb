"""The OpenAPI description tells the truth, checked by schemathesis against the real
server on both databases, and no intent's arguments can make the server answer 500."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.server.helpers import add_body, add_person, login

#: Streams until the client goes away: not something a generated request can end.
STREAMING = "/api/v1/sync/events"
EXAMPLES = 5


@schemathesis.check
def schema_valid_input_passes_validation(ctx: Any, response: Any, case: Any) -> None:
    """Stands in for ``positive_data_acceptance``: a schema-valid request may still be
    refused by a business rule (wrong old password, a rule of the workflow) with 400/422
    in words, but never by request validation — that would mean the schema lies."""
    from schemathesis import GenerationMode as Mode

    if case.meta is None or case.meta.generation.mode != Mode.POSITIVE:
        return
    if response.status_code in (400, 422):
        code = (response.json().get("error") or {}).get("code", "")
        assert code not in ("request.invalid", "request.invalid_text", "request.malformed_json"), (
            f"schema-valid input refused by validation: {response.text[:500]}")


@pytest.mark.slow
def test_the_server_keeps_its_described_contract(app: Any) -> None:
    add_body(app)
    bearer = login(TestClient(app), add_person(app, "p-1", "张伟"))
    schema = schemathesis.openapi.from_asgi("/openapi.json", app).exclude(path=STREAMING)
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
                      suppress_health_check=list(HealthCheck))
            def check(case: Any) -> None:
                case.call_and_validate(headers=bearer, excluded_checks=[positive_data_acceptance],
                                       additional_checks=[schema_valid_input_passes_validation])

            try:
                check()
            except Unsatisfiable:
                pass  # no input of this operation can be made invalid (it has none)
            except BaseException as exc:  # collect every operation's failure, then report
                if isinstance(exc, KeyboardInterrupt):
                    raise
                failures.append(f"{operation.method.upper()} {operation.path} ({mode.value}): "
                                f"{str(exc)[:1500]}")
    assert not failures, "\n\n".join(failures)
