"""Reading a week's spreadsheets into a problem: pins by driver name, typos in pins."""

from __future__ import annotations

import json

from api.services import load_problem_inputs
from routing.paths import bundled_data

DEMO = bundled_data() / "demo"


def _hub() -> dict:
    return json.loads((DEMO / "hub.json").read_text(encoding="utf-8"))


def test_pins_match_roster_names_and_a_typo_is_a_warning_not_a_stop(tmp_path):
    """A Driver column naming 'ana delgado' pins the stop to her id; 'Nobody Here' plans the
    stop unpinned with a warning on its row, and nothing is dropped."""
    deliveries = tmp_path / "d.csv"
    deliveries.write_text(
        "Name,Address,Zip,Boxes,Driver\n"
        "A One,98-20 218th St,11429,1,ana delgado\n"
        "B Two,216-25 114th Rd,11411,2,Nobody Here\n",
        encoding="utf-8",
    )
    inputs = load_problem_inputs(deliveries, DEMO / "drivers.csv", _hub(), "queens-village")
    stops = {s.row: s for s in inputs.problem.stops}
    ana = next(d for d in inputs.problem.drivers if d.name == "Ana Delgado")
    assert stops[2].driver == ana.id
    assert stops[3].driver is None
    (warning,) = [p for p in inputs.problems if p.value == "Nobody Here"]
    assert warning.row == 3 and warning.severity == "warning"


def test_online_geocoder_is_asked_only_for_what_the_area_cannot_place(tmp_path):
    """With `online`, the one unknown address goes to the (loopback) service and is placed;
    the address the area's table knows is never sent."""
    import threading
    from http.server import ThreadingHTTPServer

    from tests.helpers.geocoding import FakeGeocoderHandler

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), FakeGeocoderHandler)
    httpd.seen = []  # type: ignore[attr-defined]
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    sheet = tmp_path / "d.csv"
    sheet.write_text(
        "Name,Address,Zip\nA One,98-20 218th St,11429\nB Two,1 Main St,\n", encoding="utf-8"
    )
    try:
        inputs = load_problem_inputs(
            sheet,
            DEMO / "drivers.csv",
            _hub(),
            "queens-village",
            online=f"http://127.0.0.1:{httpd.server_address[1]}",
        )
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert [q for _, q, _ in httpd.seen] == ["1 Main St"]
    assert all(s.location is not None for s in inputs.problem.stops)


def test_exclusions_and_hubs_resolve_by_name():
    """'Not driver: ana delgado' excludes her id; an unknown name is a warning; a driver's
    hub written by name maps to the hub's id."""
    from api.services import resolve_hubs, resolve_pins
    from routing.model import Driver, Hub, LatLon, Stop, TimeWindow

    shift = TimeWindow.from_hhmm("09:00", "12:00")
    crew = [
        Driver("Ana Delgado", "Ana Delgado", 5, shift, hub="compare foods"),
        Driver("b", "Bo", 5, shift),
    ]
    stops, problems = resolve_pins(
        [Stop("1", exclude_drivers=frozenset({"ana delgado", "Zed"}), row=2)], crew
    )
    assert stops[0].exclude_drivers == {"Ana Delgado"}
    assert [(p.value, p.row, p.severity) for p in problems] == [("Zed", 2, "warning")]
    hub = Hub("cf", "Compare Foods", LatLon(40.7073, -73.7505))
    drivers, problems = resolve_hubs(crew, [hub])
    assert [d.hub for d in drivers] == ["cf", None] and problems == []
