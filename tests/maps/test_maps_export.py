"""GPX, CSV and XLSX exports: content, order, and neutralised formulas."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET

import pytest
from openpyxl import load_workbook

from maps.export import COLUMNS, gpx, neutralise, plan_csv, plan_xlsx
from routing.errors import InputError
from tests.helpers.sample_plans import FORMULA, IMG, SCRIPT, make_plan

NS = {"g": "http://www.topografix.com/GPX/1/1"}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1 555", "'+1 555"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("Ana", "Ana"),
        ("", ""),
        (-73.74, -73.74),
        (3, 3),
    ],
)
def test_neutralise(value, expected):
    """Strings a spreadsheet would evaluate get a leading apostrophe; numbers stay numbers."""
    assert neutralise(value) == expected


def test_csv_has_every_stop_in_route_order_then_unassigned():
    """One row per stop: routed stops by driver and visit order, then unassigned with reason."""
    plan = make_plan()
    rows = list(csv.DictReader(io.StringIO(plan_csv(plan))))
    assert tuple(rows[0].keys()) == COLUMNS
    assert [r["stop_id"] for r in rows] == plan.stops_accounted()
    assert [r["order"] for r in rows[:4]] == ["1", "2", "3", "4"]
    assert rows[0]["driver"] == "Dana Rivera" and rows[0]["arrival"] == "09:13"
    assert rows[-2]["status"] == "unassigned" and rows[-2]["reason"] == "address_not_found"
    assert rows[-1]["fix"] == "Dana Rivera's route can take it with 1 more box"
    assert rows[2]["window"] == "10:00-12:00"


def test_csv_and_xlsx_neutralise_formulas_and_keep_text():
    """A formula-looking name, phone or address is stored as text, prefixed with ';
    other hostile text is kept verbatim (escaping is the job of whoever renders it)."""
    plan = make_plan(hostile=True)
    rows = list(csv.DictReader(io.StringIO(plan_csv(plan))))
    by_id = {r["stop_id"]: r for r in rows}
    assert by_id["s5"]["recipient"] == "'" + FORMULA
    assert by_id["s5"]["address"] == "'-2+3 Main St"
    assert by_id["s5"]["notes"] == "'@SUM(A1)"
    assert by_id["s2"]["phone"] == "'+1 555-0102"
    assert by_id["s1"]["recipient"] == IMG and by_id["s1"]["notes"] == SCRIPT

    wb = load_workbook(io.BytesIO(plan_xlsx(plan)))
    stops = wb["Stops"]
    header = [c.value for c in stops[1]]
    assert tuple(header) == COLUMNS
    cells = [c for row in stops.iter_rows(min_row=2) for c in row]
    assert all(c.data_type != "f" for c in cells)
    values = {r[header.index("stop_id")]: r for r in stops.iter_rows(min_row=2, values_only=True)}
    assert values["s5"][header.index("recipient")] == "'" + FORMULA
    assert values["s1"][header.index("lat")] == pytest.approx(40.7208)
    assert values["s1"][header.index("boxes")] == 2
    assert [r[1] for r in wb["Routes"].iter_rows(min_row=2, values_only=True)] == [
        IMG,
        "مريم العلي",
    ]


def test_gpx_is_valid_and_follows_the_route():
    """GPX 1.1 with the hub and one waypoint per stop, a route in visit order and the road
    track; hostile names survive as escaped text."""
    plan = make_plan(hostile=True)
    text = gpx(plan, "d1")
    root = ET.fromstring(text.encode())
    assert root.tag == "{http://www.topografix.com/GPX/1/1}gpx" and root.get("version") == "1.1"
    names = [w.find("g:name", NS).text for w in root.findall("g:wpt", NS)]
    assert names[0].startswith("Hub: ") and names[1] == f"1. {IMG}"
    assert len(names) == 5
    rte = [(float(p.get("lat")), float(p.get("lon"))) for p in root.findall("g:rte/g:rtept", NS)]
    assert rte[1:] == [
        (s.location.lat, s.location.lon) for s in (plan.problem.stop(f"s{i}") for i in range(1, 5))
    ]
    trk = root.findall("g:trk/g:trkseg/g:trkpt", NS)
    assert len(trk) == len(plan.routes[0].path)
    assert "<img" not in text


def test_gpx_privacy_and_errors():
    """Initials mode puts initials in GPX names; a driver without a route is an InputError."""
    plan = make_plan()
    assert "1. A. L." in gpx(plan, "d1", privacy="initials")
    assert "555-0101" not in gpx(plan, "d1", privacy="no_phone")
    assert "Ana Lopez" not in gpx(plan, "d1", privacy="reveal")
    with pytest.raises(InputError, match="no route"):
        gpx(plan, "d3")
