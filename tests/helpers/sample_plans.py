"""Hand-made plans in Queens Village, NY, as input for the renderers.

The solver and the road graph are other modules' business: these plans are what they hand to
``maps/`` (a hub near Jamaica Ave & 217th St, stops a few blocks away, short road paths drawn
by hand along the street grid). ``hostile=True`` puts attack and awkward text in every field a
spreadsheet fills, to prove it is escaped everywhere it appears.
"""

from __future__ import annotations

from dataclasses import replace

from routing.model import (
    Driver,
    Hub,
    LatLon,
    Plan,
    Problem,
    Route,
    Stop,
    TimeWindow,
    Unassigned,
    Visit,
)

IMG = "<img src=x onerror=alert(1)>"
SCRIPT = "</script><script>alert(1)</script>"
QUOTES = 'O\'Brien "Bud" `tick` ${alert(1)}'
RTL = "مريم العلي"
EMOJI = "Grandma Rose 🍎🥖"
FORMULA = '=HYPERLINK("http://x","y")'

HUB = Hub(
    "qv",
    "Queens Village Pantry",
    LatLon(40.71840, -73.73740),
    address="217-01 Jamaica Ave",
    loading_s=600,
)

# id, recipient, address, unit, (lat, lon), boxes, phone, notes, language
_STOPS = [
    (
        "s1",
        "Ana Lopez",
        "89-12 217th St",
        "Apt 2",
        (40.72080, -73.73600),
        2,
        "555-0101",
        "Ring twice",
        "es",
    ),
    ("s2", "Ben Okafor", "90-05 218th St", "", (40.72250, -73.73420), 1, "555-0102", "", ""),
    (
        "s3",
        "Chen Wei",
        "88-20 Springfield Blvd",
        "1F",
        (40.72430, -73.73990),
        3,
        "555-0103",
        "Leave with neighbor",
        "zh",
    ),
    ("s4", "Dora Haddad", "92-11 220th St", "", (40.72600, -73.73180), 2, "555-0104", "", "ar"),
    (
        "s5",
        "Eli Cohen",
        "91-30 212th St",
        "",
        (40.72150, -73.74600),
        1,
        "555-0105",
        "Dog in yard",
        "he",
    ),
    ("s6", "Fay Brown", "93-02 210th St", "B", (40.72320, -73.74850), 2, "555-0106", "", ""),
    ("s7", "Gus Patel", "94-17 209th St", "", (40.72480, -73.75000), 1, "555-0107", "", "hi"),
    ("s8", "Hana Kim", "95-40 207th St", "", (40.72650, -73.75220), 4, "555-0108", "", "ko"),
    ("s9", "Ivan Petrov", "96-01 211th St", "", (40.72800, -73.74700), 2, "555-0109", "", "ru"),
    ("s10", "Jo Smith", "97-15 213th St", "", (40.72950, -73.74400), 1, "555-0110", "", ""),
    ("u1", "Kim Lee", "1 Nowhere Ln", "", None, 1, "555-0111", "", ""),
    ("u2", "Lou Diaz", "98-20 222nd St", "", (40.73100, -73.72900), 3, "555-0112", "", "es"),
]

_HOSTILE = {
    "s1": {"recipient": IMG, "notes": SCRIPT, "unit": QUOTES},
    "s2": {"recipient": QUOTES, "notes": IMG, "phone": "+1 555-0102"},
    "s3": {"recipient": RTL, "notes": EMOJI},
    "s4": {"recipient": EMOJI, "notes": RTL, "language": SCRIPT},
    "s5": {"recipient": FORMULA, "notes": "@SUM(A1)", "address": "-2+3 Main St"},
    "u1": {"recipient": IMG, "address": SCRIPT, "notes": QUOTES},
}


def _stops(hostile: bool) -> list[Stop]:
    out = []
    for row, (sid, name, addr, unit, loc, boxes, phone, notes, lang) in enumerate(_STOPS, 2):
        fields = {
            "recipient": name,
            "address": addr,
            "unit": unit,
            "phone": phone,
            "notes": notes,
            "language": lang,
        }
        if hostile:
            fields.update(_HOSTILE.get(sid, {}))
        windows = (TimeWindow(10 * 3600, 12 * 3600),) if sid == "s3" else ()
        out.append(
            Stop(
                sid,
                location=LatLon(*loc) if loc else None,
                boxes=boxes,
                windows=windows,
                row=row,
                **fields,
            )
        )
    return out


def _route(problem: Problem, driver_id: str, stop_ids: list[str], start_s: int) -> Route:
    """A route with plausible times (2 min per 300 m) and a path through each stop."""
    hub = problem.hub("qv").location
    t = start_s + HUB.loading_s
    depart = t
    prev = hub
    visits = []
    path = [(hub.lat, hub.lon)]
    load = sum(problem.stop(s).boxes for s in stop_ids)
    total_m = 0
    for sid in stop_ids:
        stop = problem.stop(sid)
        loc = stop.location
        assert loc is not None
        metres = int(abs(loc.lat - prev.lat) * 111_000 + abs(loc.lon - prev.lon) * 84_000)
        travel = max(60, metres * 120 // 300)
        t += travel
        total_m += metres
        # Along the grid: first north-south, then east-west, like the streets here.
        path += [(loc.lat, prev.lon), (loc.lat, loc.lon)]
        visits.append(
            Visit(
                sid,
                arrival_s=t,
                start_s=t,
                departure_s=t + stop.service_s,
                travel_s=travel,
                distance_m=metres,
                load_boxes=load,
            )
        )
        load -= stop.boxes
        t += stop.service_s
        prev = loc
    path += [(hub.lat, prev.lon), (hub.lat, hub.lon)]
    back = int(abs(hub.lat - prev.lat) * 111_000 + abs(hub.lon - prev.lon) * 84_000)
    end = t + max(60, back * 120 // 300)
    return Route(
        driver_id,
        "qv",
        start_s,
        end,
        tuple(visits),
        distance_m=total_m + back,
        path=tuple(path),
        depart_hub_s=depart,
    )


def make_plan(hostile: bool = False) -> Plan:
    """Two routes (4 and 6 stops), a third driver left idle, two unassigned stops."""
    drivers = (
        Driver(
            "d1",
            IMG if hostile else "Dana Rivera",
            10,
            TimeWindow(9 * 3600, 13 * 3600),
            phone="555-0199",
            row=2,
        ),
        Driver(
            "d2",
            RTL if hostile else "Sam Green",
            12,
            TimeWindow(9 * 3600, 13 * 3600),
            home=LatLon(40.7300, -73.7500),
            end="home",
            row=3,
        ),
        Driver("d3", "Idle Ida", 8, TimeWindow(14 * 3600, 16 * 3600), row=4),
    )
    hub = replace(HUB, name=f"Pantry {IMG}", address=SCRIPT) if hostile else HUB
    problem = Problem((hub,), tuple(_stops(hostile)), drivers, date="2026-11-28")
    r1 = _route(problem, "d1", ["s1", "s2", "s3", "s4"], 9 * 3600)
    r2 = _route(problem, "d2", ["s5", "s6", "s7", "s8", "s9", "s10"], 9 * 3600)
    unassigned = (
        Unassigned("u1", "address_not_found"),
        Unassigned(
            "u2",
            "capacity",
            fix=(
                f"{IMG} can take it with 1 more box"
                if hostile
                else "Dana Rivera's route can take it with 1 more box"
            ),
        ),
    )
    return Plan(problem, (r1, r2), unassigned, stats={"solver": "hand-made"})


def _on_block(sid: str, name: str, address: str, i: int) -> Stop:
    """The ``i``-th stop of a grid of blocks north of the hub: one box, a phone, a note on
    every third."""
    return Stop(
        sid,
        recipient=name,
        address=address,
        location=LatLon(40.7190 + 0.0004 * (i // 8), -73.7440 + 0.0006 * (i % 8)),
        boxes=1,
        phone=f"555-01{i % 100:02d}",
        notes="Knock loudly" if i % 3 == 0 else "",
        row=i + 2,
    )


def long_plan(n_stops: int = 40) -> Plan:
    """One driver with a long route on a grid of blocks north of the hub (for page breaks)."""
    stops = tuple(
        _on_block(f"L{i:02d}", f"Recipient {i:02d}", f"{88 + i // 10}-{10 + i} 214th St", i)
        for i in range(n_stops)
    )
    driver = Driver("lg", "Long Route Lee", 60, TimeWindow(8 * 3600, 18 * 3600), row=2)
    problem = Problem((HUB,), stops, (driver,), date="2026-11-28")
    return Plan(problem, (_route(problem, "lg", [s.id for s in stops], 8 * 3600),), ())


#: The message and the fix seventeen stops of :func:`many_routes_plan` share.
SHARED_WHY = "every car that could take it is full (it has 2 boxes)"
SHARED_FIX = "one more driver with 40 boxes from 09:00 to 13:00 covers these 17 stops"


def many_routes_plan(n_routes: int = 25, stops_per_route: int = 3) -> Plan:
    """``n_routes`` drivers with a few stops each on the blocks around the hub, seventeen
    stops left out for one and the same reason, one whose message starts with its code,
    and some stops placed only approximately (on the street, or between house numbers)."""
    stops = [
        replace(
            _on_block(
                f"r{k:03d}",
                f"Household {k:03d}",
                f"{88 + k // 20}-{10 + k % 20} {207 + k % 17}th St",
                k,
            ),
            location=LatLon(40.7120 + 0.0011 * (k // 9), -73.7560 + 0.0013 * (k % 9)),
            boxes=2,
            phone=f"718-555-{k % 10000:04d}",
            notes="",
            precision=("street", "interpolated")[k % 2] if k % 11 == 5 else "exact",
        )
        for k in range(n_routes * stops_per_route)
    ]
    left = [
        Stop(
            f"x{k:02d}",
            recipient=f"Left Out {k:02d}",
            address=f"{100 + k}-01 Hollis Ave",
            location=LatLon(40.7080 + 0.0007 * k, -73.7400),
            boxes=2,
            row=1000 + k,
        )
        for k in range(18)
    ]
    drivers = tuple(
        Driver(f"v{i:02d}", f"Volunteer {i:02d}", 20, TimeWindow(9 * 3600, 13 * 3600), row=i + 2)
        for i in range(n_routes)
    )
    problem = Problem((HUB,), (*stops, *left), drivers, date="2026-11-28", region="US")
    routes = tuple(
        _route(
            problem,
            f"v{i:02d}",
            [s.id for s in stops[i * stops_per_route : (i + 1) * stops_per_route]],
            9 * 3600,
        )
        for i in range(n_routes)
    )
    unassigned = tuple(Unassigned(s.id, "capacity", SHARED_WHY, SHARED_FIX) for s in left[:17])
    coded = Unassigned(left[17].id, "outside_all_hours", "outside_all_hours: window 06:00-07:00")
    return Plan(problem, routes, (*unassigned, coded), stats={"solver": "hand-made"})
