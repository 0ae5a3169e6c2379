"""plan.json round trip."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from routing.model import (
    Driver,
    Household,
    Hub,
    Instructions,
    LatLon,
    Move,
    Plan,
    PlanChanges,
    Problem,
    Route,
    RouteChange,
    Stop,
    TimeWindow,
    Unassigned,
    Visit,
)
from routing.serialize import plan_from_dict, plan_to_dict


def _plan() -> Plan:
    hub = Hub(
        "hub",
        "Pantry",
        LatLon(40.72, -73.74),
        address="1 Main St",
        loading_s=600,
        note="Park on 109th; side door",
    )
    stops = (
        Stop(
            "1",
            recipient="Ana",
            address="203-06 109th Avenue",
            unit="3B",
            location=LatLon(40.71, -73.75),
            boxes=2,
            row=2,
            windows=(TimeWindow.from_hhmm("10:00", "12:00"),),
            language="es",
            matched="203-06 109th Avenue, 11412",
            precision="exact",
        ),
        Stop("2", recipient="Bo <b>", address="nowhere", row=3),
    )
    driver = Driver(
        "d1",
        "Dana",
        10,
        TimeWindow.from_hhmm("09:00", "13:00"),
        home=LatLon(40.73, -73.73),
        end="home",
        languages=frozenset({"es"}),
        locale="es",
    )
    problem = Problem(
        (hub,),
        stops,
        (driver,),
        date="2026-11-28",
        region="US",
        instructions=Instructions("(718) 555-0100", "Leave it with a neighbour, text us"),
    )
    route = Route(
        "d1",
        "hub",
        32400,
        36000,
        (Visit("1", 33000, 36000, 36300, travel_s=600, distance_m=4000, load_boxes=2),),
        distance_m=8000,
        path=((40.72, -73.74), (40.71, -73.75)),
        depart_hub_s=33000,
    )
    return Plan(problem, (route,), (Unassigned("2", "address_not_found"),), {"solver": "test"})


def test_plan_json_round_trip_keeps_everything():
    """What plan_to_dict writes, plan_from_dict reads back equal, through real JSON."""
    plan = _plan()
    d = json.loads(json.dumps(plan_to_dict(plan)))
    back = plan_from_dict(d)
    assert back.problem == plan.problem
    assert back.routes == plan.routes
    assert back.unassigned == plan.unassigned


def test_plan_json_stable_core():
    """The documented core: routes[].driver, stops[].id/arrival, unassigned[].id/reason."""
    d = plan_to_dict(_plan())
    assert d["routes"][0]["driver"] == "Dana"
    assert d["routes"][0]["stops"][0]["id"] == "1"
    assert d["routes"][0]["stops"][0]["arrival"] == "09:10"
    assert d["unassigned"] == [
        {
            "id": "2",
            "reason": "address_not_found",
            "message": "the address could not be placed on the map",
            "fix": "",
            "row": 3,
            "name": "Bo <b>",
            "address": "nowhere",
        }
    ]
    assert d["summary"]["assigned"] == 1 and d["summary"]["boxes"] == 2
    assert d["problem"]["drivers"][0]["locale"] == "es"


def test_plan_from_dict_refuses_other_formats():
    """A file that is not an aidroute plan is refused with a message naming the format."""
    with pytest.raises(ValueError, match="not an aidroute plan"):
        plan_from_dict({"format": "geojson"})


def test_what_a_replan_changed_round_trips_under_changes():
    """``changes`` is null for a first plan; a re-plan's drivers to tell and households
    moved are written under it and read back equal."""
    plan = _plan()
    assert plan_to_dict(plan)["changes"] is None
    moved = Household("1", "Al", "1 Main St")
    changes = PlanChanges(
        routes=(
            RouteChange("d1", "Dana", "changed", added=(moved,), reordered=True),
            RouteChange("x", "Xi", "dropped", removed=(Household("9", "Gone", "9 Elm", False),)),
        ),
        moved=(Move(moved, "x", "Xi", "d1", "Dana"),),
        unchanged=("d2",),
    )
    d = json.loads(json.dumps(plan_to_dict(replace(plan, changes=changes))))
    assert d["changes"]["drivers"][0]["added"] == [
        {"id": "1", "name": "Al", "address": "1 Main St", "in_week": True}
    ]
    assert d["changes"]["moved"][0]["from_driver"] == "Xi"
    assert plan_from_dict(d).changes == changes
