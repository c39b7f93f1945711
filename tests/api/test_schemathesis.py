"""schemathesis against the whole OpenAPI document, on PostgreSQL (issue #11, "Closing the classes").

Every operation of docs/openapi.json gets generated requests, valid and invalid ones, and the API's
links (create → read and change, list → item) are followed as stateful scenarios. Each request is
sent as an anonymous caller, as organisation A's representative and as a region administrator
(session cookie and CSRF token, as the pages send them), through the WSGI application in this
process. Every answer must be no 5xx, of a status the document lists, and of the documented schema.

The run is fixed (derandomized, one seed) and bounded (a few examples per operation and identity,
short scenarios), so CI stays within a few minutes; it does not shrink a failure, since the report
of every failing operation at once is worth more here than the smallest example of one.
"""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Iterator
from typing import Any

import hypothesis
import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from .conftest import World
from .support import document, session_client

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

SEED = 20261123
EXAMPLES = {GenerationMode.POSITIVE: 3, GenerationMode.NEGATIVE: 2}
# Scenarios start at any operation; with ~160 operations, 80 of them reach list → item for every identity.
SCENARIOS, STEPS = 80, 5
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
IDENTITIES = ["anonymous", "rep_a", "admin"]


def _settings(max_examples: int, **extra: Any) -> hypothesis.settings:
    return hypothesis.settings(
        max_examples=max_examples,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        **extra,
    )


@pytest.fixture
def signed_in(world: World, who: str) -> dict[str, Any]:
    """How `who` signs in, as keyword arguments of `Case.call`: the session and CSRF cookies, and the
    CSRF token in its header (nothing for an anonymous caller)."""
    if world.users[who] is None:
        return {"headers": {}}
    client, _csrf = session_client(world.users[who])
    return {
        "headers": {"X-CSRFToken": client.cookies["csrftoken"].value},
        "cookies": {name: morsel.value for name, morsel in client.cookies.items()},
    }


@pytest.fixture
def app(signed_in: dict[str, Any]) -> Iterator[WSGIHandler]:
    """Django's WSGI application, answering inside the test's transaction: like the test client, it
    must not close the connection at the end of each request. (After `signed_in`: the test client that
    signs in connects the signal again when it is done.)"""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _schema(app: WSGIHandler) -> schemathesis.BaseSchema:
    config = schemathesis.Config.from_dict({"seed": SEED, "generation": {"deterministic": True}})
    # schemathesis resolves the document in place: it gets its own copy.
    schema = schemathesis.openapi.from_dict(copy.deepcopy(document()), config=config)
    schema.app = app
    return schema


def test_the_document_links_creations_to_reads_and_changes():
    links = {
        (operation["operationId"], link["operationId"])
        for item in document()["paths"].values()
        for operation in item.values()
        for response in operation["responses"].values()
        for link in response.get("links", {}).values()
    }
    assert {
        ("createEvent", "getEvent"),
        ("createEvent", "updateEvent"),
        ("createEvent", "createRegistration"),
        ("createRegistration", "cancelRegistration"),
        ("createInitiative", "getInitiative"),
        ("createInitiative", "updateInitiative"),
        ("createInitiative", "replaceInitiative"),
        ("createSocialValueAnalysis", "getSocialValueAnalysis"),
        ("createApplication", "getApplication"),
        ("createApplication", "submitApplication"),
        ("listApplications", "getApplication"),
    } <= links


@pytest.mark.parametrize("who", IDENTITIES)
def test_every_operation_answers_as_documented(app, signed_in, who):
    schema = _schema(app)
    failures: list[str] = []
    calls = 0
    seen: Counter[tuple[str, int]] = Counter()
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode, examples in EXAMPLES.items():

            @_settings(examples)
            @hypothesis.given(case=operation.as_strategy(generation_mode=mode))
            def run(case: schemathesis.Case) -> None:
                nonlocal calls
                calls += 1
                response = case.call(**signed_in)
                seen[(case.operation.label, response.status_code)] += 1
                case.validate_response(response, checks=CHECKS, headers=signed_in["headers"])

            try:
                run()
            except Unsatisfiable:
                continue  # no invalid request can be made (an operation without parameters or body)
            except Exception as exc:  # every failing operation is reported, not only the first
                failures.append(f"{operation.label} ({mode.value}): {exc}")
    assert calls > 150
    # Who asks shows in the answers: writes are refused to an anonymous caller (401), and a signed-in
    # caller gets past that to the checks of the object and the body.
    writes = {status for (label, status) in seen if label == "POST /api/v1/events" or label.startswith("PATCH ")}
    assert (401 in writes) == (who == "anonymous"), sorted(seen.items())
    assert not failures, "\n\n".join(failures)


@pytest.mark.parametrize("who", IDENTITIES)
def test_scenarios_along_the_links_answer_as_documented(app, signed_in, who):
    schema = _schema(app)
    seen: Counter[tuple[str, int]] = Counter()

    class Scenario(schema.as_state_machine()):  # type: ignore[misc]
        def get_call_kwargs(self, case: schemathesis.Case) -> dict[str, Any]:
            return signed_in

        def validate_response(self, response, case, additional_checks=None, **kwargs: Any) -> None:
            seen[(case.operation.label, response.status_code)] += 1
            case.validate_response(response, checks=CHECKS, headers=signed_in["headers"])

    Scenario.run(settings=_settings(SCENARIOS, stateful_step_count=STEPS))
    # The scenarios went along the links: from a list to an item it names (a slug or id guessed at
    # random would not name one of the world's objects).
    # Signed-in callers only: an anonymous caller's scenarios start mostly from lists it may not read
    # (401), and whether one of them reaches an item varies with the order the suite runs in.
    reached = [label for (label, status) in seen if status == 200 and label.startswith("GET") and "{" in label]
    assert reached or who == "anonymous", sorted(seen.items())
