"""Request bodies for the API tests: real addresses of the bundled Queens Village area."""

from __future__ import annotations

import datetime as dt

from routing.roads.area import load_area


def _demo_points(n: int) -> list[dict]:
    """Real placed addresses from the bundled area's address table (deterministic sample)."""
    table = load_area("queens-village").addresses
    rows = table.iloc[:: max(1, len(table) // (n * 3))].head(n)
    return [
        {"address": f"{r.housenumber} {r.street}", "lat": float(r.lat), "lon": float(r.lon)}
        for r in rows.itertuples()
    ]


def run_day() -> str:
    """Tomorrow: a delivery day whose drivers' links still work whenever the tests run
    (they expire hours after the day)."""
    return (dt.date.today() + dt.timedelta(days=1)).isoformat()


def plan_body(n_stops: int = 8) -> dict:
    """A valid POST /plans body for :func:`run_day`: ``n_stops`` stops, two drivers, one
    hub, a 1 s limit."""
    points = _demo_points(n_stops)
    stops = [
        {
            "id": f"s{i}",
            "name": f"Neighbour {i}",
            "address": p["address"],
            "lat": p["lat"],
            "lon": p["lon"],
            "boxes": 1 + i % 3,
            "phone": f"555-01{i:02d}",
        }
        for i, p in enumerate(points)
    ]
    stops[0]["windows"] = ["10:00-12:00"]
    return {
        "date": run_day(),
        "hubs": [{"id": "pantry", "name": "Compare Foods", "lat": 40.7073238, "lon": -73.7505106}],
        "stops": stops,
        "drivers": [
            {"id": "ana", "name": "Ana", "capacity_boxes": 10, "shift": "09:00-13:00"},
            {"id": "bo", "name": "Bo", "capacity_boxes": 10, "shift": "09:00-13:00"},
        ],
        "options": {"time_limit_s": 1},
    }
