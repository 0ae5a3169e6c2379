"""The API accepts what a spreadsheet accepts: the same window parser, and what POST
/imports answers sent as it is to POST /plans and /jobs; hostile uploads refused."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.helpers.api import plan_body
from tests.helpers.workbooks import STRINGS, huge_cell, workbook

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
HUB = {"id": "hub", "name": "Compare Foods", "lat": 40.7073238, "lon": -73.7505106}


@pytest.fixture
def client(api) -> TestClient:
    """A dispatcher of the session's service (its worker solves the plans)."""
    return api


def test_windows_and_shifts_as_spreadsheets_write_them(client) -> None:
    """Finding 9: "morning", "10am-12pm", "11-1" and a shift "9am-1pm" are read as the
    spreadsheet import reads them."""
    body = plan_body(4)
    body["stops"][0]["windows"] = ["morning"]
    body["stops"][1]["windows"] = ["10am-12pm"]
    body["stops"][2]["windows"] = ["11-1"]
    body["stops"][3]["windows"] = [["09:30", "11:00"]]
    body["drivers"][0]["shift"] = "9am-1pm"
    r = client.post("/plans", json=body)
    assert r.status_code == 201, r.text
    problem = r.json()["plan"]["problem"]
    windows = {s["id"]: s["windows"] for s in problem["stops"]}
    assert windows == {
        "s0": [["09:00", "12:00"]],
        "s1": [["10:00", "12:00"]],
        "s2": [["11:00", "13:00"]],
        "s3": [["09:30", "11:00"]],
    }
    assert problem["drivers"][0]["shift"] == ["09:00", "13:00"]


def _import(client: TestClient, path: Path, kind: str) -> dict:
    r = client.post("/imports", files={"file": (path.name, path.read_bytes())}, data={"kind": kind})
    assert r.status_code == 200, r.text
    return r.json()


def test_imports_output_is_a_plan_request(client) -> None:
    """Finding 9: the stops and drivers POST /imports answers go to POST /plans and POST
    /jobs as they are; the plan keeps the rows, the matched addresses and the windows."""
    stops = _import(client, FIXTURES / "form_responses.csv", "deliveries")["stops"]
    drivers = _import(client, FIXTURES / "voluntarios.csv", "drivers")["drivers"]
    body = {"hubs": [HUB], "stops": stops, "drivers": drivers, "options": {"time_limit_s": 1}}
    r = client.post("/plans", json=body)
    assert r.status_code == 201, r.text
    plan = r.json()["plan"]
    assert plan["summary"]["stops"] == len(stops)
    planned = {s["id"]: s for s in plan["problem"]["stops"]}
    for stop in stops:
        assert planned[stop["id"]]["row"] == stop["row"]
        assert planned[stop["id"]]["matched"] == stop["matched"]
        assert planned[stop["id"]]["windows"] == stop["windows"]
    r = client.post("/jobs", json=body)
    assert r.status_code == 202, r.text
    job = r.json()
    for _ in range(120):
        job = client.get(f"/jobs/{job['id']}").json()
        if job["status"] in ("done", "failed"):
            break
        time.sleep(0.5)
    assert job["status"] == "done", job


ROSTERS = ("roster_left_out.csv", "roster_with_notes.csv", "voluntarios.csv")
LISTS = sorted(
    p.name
    for p in FIXTURES.glob("*.*")
    if p.suffix in (".csv", ".xlsx", ".ods") and p.name not in ROSTERS
)


@pytest.mark.parametrize("name", [*LISTS, *ROSTERS])
def test_what_an_import_reads_can_be_planned(client, name: str) -> None:
    """Every stop and driver POST /imports reads from spreadsheets we did not write (Google
    Forms with long answers, Spanish forms, messy lists, rosters) passes POST /plans'
    checks: a list the page accepted is never refused when the week is planned."""
    from pydantic import ValidationError

    from api.schemas import DriverIn, StopIn

    kind, key, model = (
        ("drivers", "drivers", DriverIn) if name in ROSTERS else ("deliveries", "stops", StopIn)
    )
    answer = _import(client, FIXTURES / name, kind)
    assert answer[key]
    for item in answer[key]:
        try:
            model.model_validate(item)
        except ValidationError as e:  # pragma: no cover - the failure's message
            pytest.fail(f"row {item.get('row')} of {name}: {e}")


def test_numbers_and_days_are_bounded(client) -> None:
    """A capacity of 1e23 boxes or a year 9999 is a 422 naming the field, not an overflow."""
    body = plan_body(2)
    body["drivers"][0]["capacity_boxes"] = 99999999999999999999999
    body["date"] = "9999-11-28"
    r = client.post("/plans", json=body)
    assert r.status_code == 422
    said = {p["field"]: p["reason"] for p in r.json()["problems"]}
    assert said["drivers.0.capacity_boxes"] == "Input should be less than or equal to 1000"
    assert "within 366 days of today" in said["date"]


def test_an_upload_that_unpacks_into_a_huge_cell_is_refused(client, tmp_path: Path) -> None:
    """Finding 10: a 1 MB .xlsx holding a 200 MB cell answers 422 at once, not 200 with
    the cell in JSON."""
    path = workbook(tmp_path / "bomb.xlsx", {STRINGS: huge_cell(200 << 20)})
    r = client.post("/imports", files={"file": ("bomb.xlsx", path.read_bytes())})
    assert r.status_code == 422
    assert "unpacks to" in r.json()["detail"]


def test_a_drivers_language_goes_from_the_roster_to_their_page(client) -> None:
    """A roster in Spanish ("Idiomas: español, inglés") gives drivers Spanish pages through
    the API too: /imports answers each driver's `locale`, /plans keeps it, and the driver's
    page and manifest are in Spanish; a language aidroute has no pages in is a 422 naming
    the field."""
    drivers = _import(client, FIXTURES / "voluntarios.csv", "drivers")["drivers"]
    assert {d["locale"] for d in drivers} == {"es"}
    body = plan_body(4)
    body["drivers"] = [{**drivers[0], "id": "maria"}, body["drivers"][1]]
    r = client.post("/plans", json=body)
    assert r.status_code == 201, r.text
    plan_id = r.json()["id"]
    served = {d["id"]: d for d in r.json()["plan"]["problem"]["drivers"]}
    assert (served["maria"]["locale"], served["bo"]["locale"]) == ("es", "")
    page = client.get(f"/plans/{plan_id}/drivers/maria")
    assert page.status_code == 200 and '<html lang="es">' in page.text
    manifest = client.get(f"/plans/{plan_id}/drivers/maria/manifest")
    assert '<html lang="es">' in manifest.text and "Llegada" in manifest.text
    assert '<html lang="en">' in client.get(f"/plans/{plan_id}/drivers/bo").text
    body["drivers"][0]["locale"] = "fr"
    r = client.post("/plans", json=body)
    assert r.status_code == 422
    said = {p["field"]: (p["value"], p["reason"]) for p in r.json()["problems"]}
    assert said["drivers[0].locale"] == ("fr", "must be one of en, es")
