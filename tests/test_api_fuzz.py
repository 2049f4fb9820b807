"""Property-based API testing: schemathesis generates requests from the served OpenAPI
document (valid and invalid values, every operation) against a real server; none may
answer 5xx, and every answer must match the document (status codes, JSON shapes).

Run as an admin (who may call everything), and as a rep (whose scope and role turn most
calls into 403 / 404). Revoking tokens is left out: a generated id would revoke the token
the run signs in with; tests/test_api.py covers it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from conftest import demo_copy
from server_fixture import add_user, running_server

SKIP = {("DELETE", "/api/tokens/{token_id}")}
# Operations that recompute the whole company (seconds each) as a job: a few generated requests
# are enough to find a 5xx, and each queues work the server then does in the background.
HEAVY = {("POST", "/api/classify"), ("POST", "/api/reports"), ("POST", "/api/metrics"),
         ("POST", "/api/clv/fit"), ("POST", "/api/tasks/refresh"), ("POST", "/api/imports")}
# A request can match the document and still name what the data does not hold (a scheme
# never classified, a class the scheme lacks, a customer id): those answer 400/404/422 in
# the error shape, which this check would count as "valid data rejected".
EXCLUDED = [positive_data_acceptance]
# An uploaded file is bytes: a "file" generated as the integer 2201 travels as a file part
# holding the text 2201, a valid upload (its rows are then checked by the import job), so a
# multipart upload cannot reject it as the wrong type.
UPLOADS = {("POST", "/api/imports")}


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory: pytest.TempPathFactory, demo_company: Path) -> Iterator[dict[str, Any]]:
    db = demo_copy(demo_company, tmp_path_factory.mktemp("fuzz"))
    tokens = {"admin": add_user(db, "boss", "admin"), "rep": add_user(db, "li", "rep", "--rep-id", "S009")}
    with running_server(db) as base:
        yield {"base": base, "tokens": tokens, "log": db.with_name("serve.log")}


def _runner(operation: Any, fuzzed: dict[str, Any], headers: dict[str, str], examples: int) -> Any:
    """A Hypothesis test of ``operation``: valid and invalid generated requests."""
    key = (operation.method.upper(), operation.path)
    strategy = operation.as_strategy(generation_mode=GenerationMode.POSITIVE) | operation.as_strategy(
        generation_mode=GenerationMode.NEGATIVE
    )

    @given(case=strategy)
    @settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
        phases=[Phase.explicit, Phase.generate],
    )
    def run(case: Any) -> None:
        if key in HEAVY and isinstance(case.query, dict):
            case.query["wait"] = 0  # answer with the queued job at once, not after its work
        response = case.call(base_url=fuzzed["base"], headers=headers)
        assert response.status_code < 500, (operation.label, fuzzed["log"].read_text()[-3000:])
        # a 413 refuses a body over its address's limit before reading it: a rejection, which
        # the check's list of rejecting codes lacks
        refused = key in UPLOADS or response.status_code == 413
        excluded = EXCLUDED + ([negative_data_rejection] if refused else [])
        case.validate_response(response, additional_checks=[not_a_server_error], excluded_checks=excluded)

    return run


def _fuzz(fuzzed: dict[str, Any], who: str, examples: int) -> None:
    """Every operation of the served document, ``examples`` generated requests each, as ``who``."""
    schema = schemathesis.openapi.from_url(fuzzed["base"] + "/api/openapi.json")
    headers = {"Authorization": f"Bearer {fuzzed['tokens'][who]}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15
    for operation in operations:
        key = (operation.method.upper(), operation.path)
        if key not in SKIP:
            _runner(operation, fuzzed, headers, min(examples, 3) if key in HEAVY else examples)()


def test_as_an_admin(fuzzed: dict[str, Any]) -> None:
    _fuzz(fuzzed, "admin", 25)


def test_as_a_rep(fuzzed: dict[str, Any]) -> None:
    _fuzz(fuzzed, "rep", 10)
