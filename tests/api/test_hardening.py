"""The security review's findings, each a test: numbers bounded, text checked, dates bounded,
queues bounded, no 500 for any of the inputs that used to make one, tokens out of the logs."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest

from api.app import create_app
from api.security import RedactTokens
from tests.helpers.api import plan_body
from tests.helpers.service import client, new_member, settings_for


def _with(path: list[Any], value: Any) -> dict:
    body = plan_body(3)
    where: Any = body
    for key in path[:-1]:
        where = where[key]
    where[path[-1]] = value
    return body


#: (where in the body, value, the field the 422 names): each made a 500 before.
BAD = [
    (["stops", 0, "service_min"], 1e308, "stops.0.service_min"),
    (["stops", 0, "service_min"], float("inf"), "stops.0.service_min"),
    (["hubs", 0, "loading_min"], 1e308, "hubs.0.loading_min"),
    (["hubs", 0, "loading_min"], float("inf"), "hubs.0.loading_min"),
    (["drivers", 0, "max_distance_km"], 1e308, "drivers.0.max_distance_km"),
    (["drivers", 0, "max_route_min"], 1e308, "drivers.0.max_route_min"),
    (["options", "change_cost_min"], 1e308, "options.change_cost_min"),
    (["drivers", 0, "capacity_boxes"], 2**63, "drivers.0.capacity_boxes"),
    (["options", "max_drivers"], 10**30, "options.max_drivers"),
    (["date"], "9999-12-31", "date"),
    (["stops", 0, "name"], "\ud800", "stops.0.name"),
    (["stops", 0, "notes"], "a\x00b", "stops.0.notes"),
    (["stops", 0, "lat"], float("nan"), "stops.0.lat"),
    (["options", "time_limit_s"], 1e308, "options.time_limit_s"),
]


@pytest.mark.parametrize("endpoint", ["/plans", "/jobs"])
def test_inputs_that_made_500s_answer_422_naming_the_field(api, endpoint):
    """Huge, infinite or not-a-number numbers, a year 9999, a lone surrogate, a NUL: each a
    422 that names the field, checked before anything is stored or solved."""
    for path, value, field in BAD:
        raw = json.dumps(_with(path, value))  # Infinity and NaN as Python's json writes them
        r = api.post(endpoint, content=raw, headers={"Content-Type": "application/json"})
        assert r.status_code == 422, (path, value, r.status_code, r.text[:300])
        assert field in [p["field"] for p in r.json()["problems"]], (field, r.json())
    assert api.get("/plans").json()["count"] == 0 and api.get("/jobs").json()["count"] == 0


def test_every_number_text_and_list_of_a_request_is_bounded(service):
    """In the OpenAPI document, every number a request can carry has a minimum and a
    maximum, every string a maximum length (or a fixed set of values), every list a
    maximum length: nothing unbounded reaches the solver or the database."""
    doc = service.app.openapi()
    schemas = doc["components"]["schemas"]
    seen: set[str] = set()
    loose: list[str] = []

    def walk(schema: dict, where: str) -> None:
        if "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[1]
            if name not in seen:
                seen.add(name)
                walk(schemas[name], name)
            return
        for key in ("anyOf", "oneOf", "allOf"):
            for i, sub in enumerate(schema.get(key, [])):
                walk(sub, f"{where}|{i}")
        kind = schema.get("type")
        if kind in ("number", "integer"):
            has_lo = "minimum" in schema or "exclusiveMinimum" in schema
            has_hi = "maximum" in schema or "exclusiveMaximum" in schema
            if not (has_lo and has_hi):
                loose.append(where)
        elif kind == "string" and "maxLength" not in schema and "enum" not in schema:
            fixed = schema.get("format") in ("date", "date-time", "binary")
            if not fixed and "contentMediaType" not in schema:  # an uploaded file
                loose.append(where)
        elif kind == "array":
            if "maxItems" not in schema and not where.startswith(("HTTPValidationError",)):
                loose.append(where)
            walk(schema.get("items", {}), f"{where}[]")
        elif kind == "object":
            for name, sub in schema.get("properties", {}).items():
                walk(sub, f"{where}.{name}")
            extra = schema.get("additionalProperties")
            if isinstance(extra, dict):
                walk(extra, f"{where}.*")

    for path, operations in doc["paths"].items():
        for method, op in operations.items():
            content = op.get("requestBody", {}).get("content", {})
            for media in content.values():
                walk(media["schema"], f"{method.upper()} {path}")
            for param in op.get("parameters", []):
                if param["in"] != "path":
                    walk(param["schema"], f"{method.upper()} {path} ?{param['name']}")
    assert loose == [], loose


def test_the_job_queue_is_bounded_per_group(tmp_path):
    """A group cannot fill the server with jobs: past its share, 429 with Retry-After."""
    settings = settings_for(tmp_path, max_jobs_per_group=2)
    member = new_member(settings, "A", "a@example.org")
    c = client(create_app(settings), member)
    assert [c.post("/jobs", json=plan_body(2)).status_code for _ in range(2)] == [202, 202]
    r = c.post("/jobs", json=plan_body(2))
    assert r.status_code == 429 and r.headers["retry-after"] == "30"


def test_driver_pages_are_not_cached_and_the_access_log_hides_tokens(api):
    """A driver's page says no-store and no-referrer; an access-log line shows /d/… instead
    of the token."""
    out = api.post("/plans", json=plan_body(2)).json()
    url = out["driver_links"][0]["url"]
    page = api.get(url)
    assert page.headers["cache-control"] == "no-store"
    assert page.headers["referrer-policy"] == "no-referrer"
    token = url.rsplit("/", 1)[1]
    record = logging.LogRecord(
        "uvicorn.access", logging.INFO, "", 0, '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", f"/d/{token}/route.gpx", "1.1", 200), None,
    )  # fmt: skip
    RedactTokens().filter(record)
    assert token not in record.getMessage() and "/d/…/route.gpx" in record.getMessage()
