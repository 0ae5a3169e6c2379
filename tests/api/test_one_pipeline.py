"""The CLI and the API are two front ends of one pipeline: the same week gives the same plan."""

from __future__ import annotations

import datetime as dt
import json

from api.cli import main

HUB = (40.7073238, -73.7505106)
#: Real addresses of the bundled Queens Village area, as a dispatcher types them.
STOPS = [
    ("s1", "98-12 218th st", "11429", 1, "10:00-12:00"),
    ("s2", "216-25 114th Rd", "11411", 2, ""),
    ("s3", "93-22 202nd Street", "11423", 3, ""),
    ("s4", "104-06 223rd St", "11429", 1, "09:30-11:00"),
    ("s5", "227-46 Murdock Ave", "11429", 2, ""),
    ("s6", "211-10 Hollis Ave", "11429", 1, ""),
]
DRIVERS = [("Ana", 6, "09:00-13:00"), ("Bo", 6, "09:00-12:00")]


#: Keys of wall-clock seconds (and whether the search stalled or met its limit first,
#: which depends on the machine's load), and of spreadsheet row numbers.
SECONDS = ("row", "timings", "first_solution_s", "solve_s", "search_s", "stopped")


def _strip(plan: dict) -> dict:
    """plan.json without what differs by front end on purpose: the spreadsheet row numbers
    (a JSON request has none), and the seconds each phase took."""

    def clean(value):
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items() if k not in SECONDS}
        if isinstance(value, list):
            return [clean(v) for v in value]
        return value

    return clean(plan)


def test_cli_and_api_plan_the_same_week_to_the_same_plan_json(tmp_path, api):
    """`aidroute plan` on two spreadsheets and POST /plans with the same week as JSON go
    through the same pipeline: same stops placed, same routes in the same order, same times."""
    deliveries = tmp_path / "deliveries.csv"
    deliveries.write_text(
        "id,Name,Address,Zip,Boxes,Delivery window\n"
        + "".join(f"{i},N {i},{a},{z},{b},{w}\n" for i, a, z, b, w in STOPS),
        encoding="utf-8",
    )
    roster = tmp_path / "drivers.csv"
    roster.write_text(
        "Name,Capacity,Available\n" + "".join(f"{n},{c},{s}\n" for n, c, s in DRIVERS),
        encoding="utf-8",
    )
    out = tmp_path / "week"
    args = ["plan", str(deliveries), "--drivers", str(roster), "--hub", f"{HUB[0]},{HUB[1]}"]
    args += ["--area", "queens-village", "--out", str(out), "--time-limit", "2", "--seed", "3"]
    when = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    assert main([*args, "--date", when]) == 0
    from_cli = json.loads((out / "plan.json").read_text(encoding="utf-8"))

    body = {
        "date": when,
        "hubs": [{"id": "hub", "name": "Hub", "lat": HUB[0], "lon": HUB[1]}],
        "stops": [
            {
                "id": i,
                "name": f"N {i}",
                "address": a,
                "postcode": z,
                "boxes": b,
                "windows": [w] if w else [],
            }
            for i, a, z, b, w in STOPS
        ],
        "drivers": [{"id": n, "name": n, "capacity_boxes": c, "shift": s} for n, c, s in DRIVERS],
        "options": {"time_limit_s": 2, "seed": 3},
    }
    r = api.post("/plans", json=body)
    assert r.status_code == 201, r.text
    from_api = r.json()["plan"]

    assert from_cli["summary"]["assigned"] == len(STOPS)
    assert _strip(from_api) == _strip(from_cli)
