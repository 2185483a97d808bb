"""The OpenAPI description tells the truth, checked by schemathesis against the real
server on both databases, and no intent's arguments can make the server answer 500."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

import tests.server.test_push_batch_deferred  # noqa: F401  (defines testing.* intents)
from tests.server.helpers import add_body, add_person, login

#: Streams until the client goes away: not something a generated request can end.
STREAMING = "/api/v1/sync/events"
EXAMPLES = 5
PUSH = "/api/v1/sync/push"


@schemathesis.check
def push_refuses_each_bad_intent(ctx: Any, response: Any, case: Any) -> None:
    """Stands in for ``negative_data_rejection`` on push: arguments that break their
    intent's schema are rejected per intent in a 200 (the batch goes on), not with a 4xx
    for the whole batch — but never applied."""
    from schemathesis import GenerationMode as Mode

    if case.operation.path != PUSH or case.meta is None:
        return
    if case.meta.generation.mode != Mode.NEGATIVE or response.status_code != 200:
        return
    results = response.json()["results"]
    assert not results or any(r["status"] != "applied" for r in results), response.text[:500]


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


def _checker(operation: Any, mode: Any, bearer: dict[str, str]) -> Any:
    """A hypothesis test of one operation in one generation mode."""
    excluded = [positive_data_acceptance]
    if operation.path == PUSH:
        excluded.append(negative_data_rejection)

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    def check(case: Any) -> None:
        case.call_and_validate(headers=bearer, excluded_checks=excluded,
                               additional_checks=[schema_valid_input_passes_validation,
                                                  push_refuses_each_bad_intent])

    return check


#: Intents that other test modules (and benches) define for their own checks: some fail
#: on purpose (a handler's bug, an assertion), and collecting the whole suite registers
#: them all before this test runs. The contract is the product's.
TEST_ONLY = ("testing.", "benchwrite.")


@pytest.fixture
def app(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """The server whose push accepts the product's intents only (:data:`TEST_ONLY`)."""
    import server.app as server_app
    from server.mutations import registered_intents

    def product_intents() -> dict[str, Any]:
        return {name: intent for name, intent in registered_intents().items()
                if not name.startswith(TEST_ONLY)}

    monkeypatch.setattr(server_app, "registered_intents", product_intents)
    application = server_app.create_app(settings)
    yield application
    application.state.engine.dispose()


def test_test_only_intents_are_left_out(app: Any) -> None:
    described = str(app.openapi())
    assert "meetings.save_room" in described
    assert "testing.deferred_phone" not in described


@pytest.mark.slow
def test_the_server_keeps_its_described_contract(app: Any) -> None:
    add_body(app)
    bearer = login(TestClient(app), add_person(app, "p-1", "张伟"))
    schema = schemathesis.openapi.from_asgi("/openapi.json", app).exclude(path=STREAMING)
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            check = _checker(operation, mode, bearer)
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
