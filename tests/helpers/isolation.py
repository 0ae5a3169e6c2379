"""The isolation matrix: group A asks for every object of group B, on every route.

:func:`seed_group` makes one of everything in a group (through the API, with a real solve);
:func:`check_isolation` walks the app's whole route table: every dispatcher route that names
an object answers A with 404 for B's object; every listing of A shows none of B's ids; and
every route that needs no dispatcher is one of the few known public ones (so a new endpoint
cannot skip the check by forgetting it).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from tests.helpers.api import plan_body
from tests.helpers.service import wait_job

#: Routes anyone may call: capability links (the token is the key), login, the invite page.
PUBLIC = {
    ("POST", "/auth/login"),
    ("POST", "/auth/logout"),
    ("GET", "/invite/{token}"),
    ("POST", "/invite/{token}"),
    ("POST", "/auth/invite/{token}"),
    ("GET", "/d/{token}"),
    ("GET", "/d/{token}/manifest"),
    ("GET", "/d/{token}/manifest.pdf"),
    ("GET", "/d/{token}/route.gpx"),
    ("GET", "/d/{token}/stops"),
    ("POST", "/d/{token}/status"),
    ("GET", "/health"),
}

#: A valid body for each route that takes one (so a 404 is the object check, not a 422).
BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", "/plans/{plan_id}/edits"): {"change": "reoptimise", "time_limit_s": 1},
    ("PATCH", "/weeks/{week_id}"): {"date": (dt.date.today() + dt.timedelta(days=5)).isoformat()},
}


def routes(doc: dict[str, Any]) -> list[tuple[str, str, bool]]:
    """(method, path, needs a dispatcher) for every operation of an OpenAPI document (a
    route that asks who the dispatcher is lists the token and session schemes)."""
    out = []
    for path, operations in doc["paths"].items():
        for method, op in operations.items():
            out.append((method.upper(), path, bool(op.get("security"))))
    return sorted(out)


def page_routes(app: Any) -> list[tuple[str, str]]:
    """(method, path) of every route of the web page (``/app/...``) that names an object."""
    out = []
    flat = []
    for route in app.routes:  # routers included lazily hold their routes (FastAPI 0.16x)
        more = getattr(route, "effective_candidates", None)
        flat.extend(more() if more else [route])
    for route in flat:
        path = getattr(route, "path", "")
        if path.startswith("/app/") and "{" in path:
            out.extend((m, path) for m in sorted(getattr(route, "methods", ())) if m != "HEAD")
    return sorted(out)


def check_page_isolation(app: Any, a: Any, ids_b: dict[str, str]) -> int:
    """Every web page route naming an object answers A with 404 for B's object (pages are
    not in the OpenAPI document, so they are walked from the app's route table)."""
    checked = 0
    for method, path in page_routes(app):
        url = path
        for name in re.findall(r"{(\w+)}", path):
            assert name in ids_b, f"{method} {path}: add an object for {{{name}}} to seed_group"
            url = url.replace("{" + name + "}", ids_b[name])
        if path.endswith("/events"):
            with a.stream(method, url) as r:
                assert r.status_code == 404, (method, path, r.status_code)
        else:
            r = a.request(method, url)
            assert r.status_code == 404, (method, path, r.status_code, r.text[:200])
        checked += 1
    return checked


def seed_group(c: Any) -> dict[str, str]:
    """One of everything in the group of client ``c``; returns the path parameters that name
    them."""
    body = plan_body(4)
    body["options"]["time_limit_s"] = 1
    r = c.post("/plans", json=body)
    assert r.status_code == 201, r.text
    plan = r.json()
    driver_id = plan["driver_links"][0]["driver_id"]
    job = c.post("/jobs", json=body).json()
    assert wait_job(c, job["id"])["status"] == "done"
    hub = c.post("/hubs", json={"id": "pantry", "lat": 40.7073, "lon": -73.7505}).json()
    roster = c.post(
        "/drivers", json={"id": "ana", "name": "Ana", "capacity_boxes": 9, "shift": "09:00-12:00"}
    ).json()
    week = c.post("/weeks", json={"date": plan["plan"]["date"]}).json()
    upload = c.post(
        "/imports",
        files={"file": ("d.csv", b"Name,Address\nAna,98-20 218th Street\n", "text/csv")},
        data={"week_id": week["id"]},
    )
    assert upload.status_code == 200, upload.text
    household = c.get("/households").json()["data"][0]
    token = c.get("/tokens").json()["data"][0]
    return {
        "plan_id": plan["id"],
        "number": "1",
        "driver": driver_id,
        "driver_id": driver_id,
        "job_id": job["id"],
        "hub_id": hub["id"],
        "roster_id": roster["id"],
        "household_id": household["id"],
        "week_id": week["id"],
        "import_id": upload.json()["id"],
        "row": "2",
        "kind": "csv",
        "token_id": token["id"],
        "token": plan["driver_links"][0]["url"].rsplit("/", 1)[1],
    }


def check_isolation(a: Any, b: Any, ids_b: dict[str, str]) -> int:
    """Walk every route of the service's own OpenAPI document as A against B's objects;
    returns how many requests were checked."""
    table = routes(a.get("/openapi.json").json())
    public = {(m, p) for m, p, needs in table if not needs}
    assert public <= PUBLIC, f"routes without a dispatcher check: {public - PUBLIC}"
    checked = 0
    secrets = {v for k, v in ids_b.items() if k not in ("number", "row", "driver", "driver_id")}
    for method, path, needs in table:
        if not needs:
            continue
        params = re.findall(r"{(\w+)}", path)
        url = path
        for name in params:
            assert name in ids_b, f"{method} {path}: add an object for {{{name}}} to seed_group"
            url = url.replace("{" + name + "}", ids_b[name])
        if not params:
            if method == "GET":
                r = a.get(url)
                assert r.status_code == 200, (path, r.status_code)
                leaked = {v for v in secrets if v in r.text}
                assert not leaked, f"GET {path} shows group B's {leaked}"
                checked += 1
            continue
        kw = {"json": BODIES[(method, path)]} if (method, path) in BODIES else {}
        if method == "GET" and path.endswith("/events"):
            with a.stream("GET", url) as r:
                assert r.status_code == 404, (method, path, r.status_code)
        else:
            r = a.request(method, url, **kw)
            assert r.status_code == 404, (method, path, r.status_code, r.text[:200])
        checked += 1
    # B itself still reaches its plan: the ids above were real.
    assert b.get(f"/plans/{ids_b['plan_id']}").status_code == 200
    return checked
