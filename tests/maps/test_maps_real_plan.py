"""The renderers on a plan the real solver made on the bundled Queens Village roads."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from maps.driver_page import driver_page
from maps.manifest import manifest_pdf
from maps.outputs import write_outputs
from maps.overview import overview_map
from routing.model import Driver, Hub, LatLon, Problem, Stop, TimeWindow
from routing.pipeline import plan_problem
from routing.roads.area import load_area
from routing.solve.options import SolveOptions
from tests.helpers.html import Tags, markers, polylines


@pytest.fixture(scope="module")
def solved():
    """Fourteen real addresses of the area, two drivers, solved and drawn along the roads."""
    area = load_area("queens-village")
    rows = area.addresses.iloc[:: max(1, len(area.addresses) // 15)].head(15)
    places = [
        (f"{r.housenumber} {r.street}", LatLon(float(r.lat), float(r.lon)))
        for r in rows.itertuples()
    ]
    hub_address, hub_loc = places[0]
    stops = tuple(
        Stop(
            f"r{i}",
            recipient=f"Household {i}",
            address=addr,
            location=loc,
            boxes=1 + i % 3,
            phone=f"555-01{i:02d}",
            row=i + 1,
        )
        for i, (addr, loc) in enumerate(places[1:], 1)
    )
    drivers = (
        Driver("a", "Avery", 20, TimeWindow(9 * 3600, 14 * 3600)),
        Driver("b", "Blake", 20, TimeWindow(9 * 3600, 14 * 3600)),
    )
    problem = Problem(
        (Hub("h", "Hub", hub_loc, address=hub_address),), stops, drivers, date="2026-11-28"
    )
    return plan_problem(problem, area, SolveOptions(time_limit_s=1, workers=1))


@pytest.mark.slow
def test_real_plan_renders_everywhere(solved, tmp_path):
    """Every routed stop is a marker on the overview and its driver's page, routes follow
    the road geometry, the PDF lists every stop, and the output folder is complete."""
    plan = solved
    routed = [v.stop_id for r in plan.routes for v in r.visits]
    assert routed, "the solver should route the stops"
    page = overview_map(plan)
    lines = polylines(page)
    assert len(lines) == len([r for r in plan.routes if len(r.path) >= 2])
    assert all(len(line) > len(r.visits) + 2 for line, r in zip(lines, plan.routes, strict=True))
    points = {(round(a, 6), round(b, 6)) for a, b in markers(page)}
    for sid in routed:
        loc = plan.problem.stop(sid).location
        assert (round(loc.lat, 6), round(loc.lon, 6)) in points
    for route in plan.routes:
        tags = Tags(driver_page(plan, route.driver_id))
        cards = [a for t, a in tags.tags if t == "li" and a.get("class") == "aid-card"]
        assert len(cards) == len(route.visits)
    pdf = PdfReader(io.BytesIO(manifest_pdf(plan, None)))
    text = " ".join(" ".join(p.extract_text() for p in pdf.pages).split())
    for sid in routed:
        assert plan.problem.stop(sid).address in text
    written = write_outputs(plan, tmp_path, pdf=False)
    assert (tmp_path / "overview.html") in written
