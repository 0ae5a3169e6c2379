"""A week set up through the JSON API, as the Deliveries and Drivers sections leave it: the
demo's deliveries imported for the week, drivers on the roster (some ticked available), the
demo's hub."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "data" / "demo"


def csrf_of(c: Any, path: str = "/app") -> str:
    """The session's CSRF token, read from a page (as htmx sends it)."""
    page = c.get(path).text
    found = re.search(r'"X-CSRF-Token": "([\w-]+)"', page)
    assert found, "no CSRF token on the page: not logged in?"
    return found.group(1)


def set_up_week(
    c: Any, *, drivers: int = 4, day: dt.date | None = None, deliveries: Path | None = None
) -> dict[str, Any]:
    """Create a week (default: 10 days from today), import the deliveries for it, put the
    demo's drivers on the roster with the first ``drivers`` available, add the demo's hub.
    ``c`` is logged in (session cookie); returns the week's JSON and its page's path."""
    headers = {"X-CSRF-Token": csrf_of(c)}
    day = day or dt.date.today() + dt.timedelta(days=10)
    week = c.post("/weeks", json={"date": day.isoformat()}, headers=headers)
    assert week.status_code == 201, week.text
    week_id = week.json()["id"]
    path = deliveries or DEMO / "deliveries.csv"
    r = c.post(
        "/imports",
        files={"file": (path.name, path.read_bytes(), "text/csv")},
        data={"kind": "deliveries", "week_id": week_id},
        headers=headers,
    )
    assert r.status_code == 200, r.text
    roster = c.post(
        "/imports",
        files={"file": ("drivers.csv", (DEMO / "drivers.csv").read_bytes(), "text/csv")},
        data={"kind": "drivers"},
        headers=headers,
    )
    assert roster.status_code == 200, roster.text
    for i, d in enumerate(roster.json()["drivers"]):
        d = {k: v for k, v in d.items() if v is not None}
        r = c.post("/drivers", json={**d, "available": i < drivers}, headers=headers)
        assert r.status_code == 201, r.text
    hub = json.loads((DEMO / "hub.json").read_text())
    r = c.post("/hubs", json=hub, headers=headers)
    assert r.status_code == 201, r.text
    return {"id": week_id, "date": day.isoformat(), "path": f"/app/weeks/{week_id}"}
