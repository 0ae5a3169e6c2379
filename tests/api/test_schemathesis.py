"""Schemathesis against the running service (uvicorn, a real database file, a worker), as a
dispatcher: every operation of the OpenAPI document, with generated input and the documented
examples (which reach the solver). No answer is a 5xx, and every answer matches the document:
its status code, content type, headers and body schema. Bounded: a few examples per
operation."""

from __future__ import annotations

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.settings import Settings
from tests.helpers.servers import serve
from tests.helpers.service import new_member

pytestmark = pytest.mark.slow

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture(scope="module")
def running(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("schemathesis")
    env = {
        "AIDROUTE_HOME": str(tmp / "home"),
        "AIDROUTE_DATABASE": str(tmp / "aidroute.sqlite3"),
        "AIDROUTE_WORKERS": "1",
        "AIDROUTE_MAX_TIME_LIMIT_S": "2",
        "AIDROUTE_LOGIN_ATTEMPTS": "1000",
    }
    member = new_member(Settings(database=tmp / "aidroute.sqlite3"), "A", "a@example.org")
    with serve(env, tmp / "serve.log") as url:
        yield url, member


def _run(strategy, call, examples: int) -> list[str]:
    """Draw up to ``examples`` cases from ``strategy`` and check each; returns the failures."""
    failures: list[str] = []

    @given(case=strategy)
    @settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
    )
    def check(case):
        try:
            call(case)
        except (Exception, BaseExceptionGroup) as e:  # collect it, keep testing the others
            failures.append(f"{case.method} {case.formatted_path}: {str(e)[:600]}")

    check()
    return failures


def test_no_server_error_and_every_answer_matches_the_document(running):
    """Every operation: a handful of generated cases, and each documented example."""
    url, member = running
    schema = schemathesis.openapi.from_url(f"{url}/openapi.json")

    def call(case):
        case.call_and_validate(base_url=url, headers=member.auth, checks=CHECKS, timeout=120)

    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        failures += _run(operation.as_strategy(), call, 8)
        for example in schema.get_strategies_from_examples(operation):
            failures += _run(example, call, 2)
    assert operations >= 40
    assert failures == [], "\n".join(failures[:20])
    # The documented examples reached the solver: plans were made and stored.
    plans = httpx.get(f"{url}/plans", headers=member.auth).json()
    assert plans["count"] >= 1
