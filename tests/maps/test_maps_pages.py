"""The overview map and the driver page, read back as a browser's tokenizer would."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest

from maps._render import js_string
from maps.assets import AssetMode, TileSettings
from maps.driver_page import driver_page
from maps.overview import overview_map
from routing.errors import InputError
from tests.helpers.html import Tags, bound_html, icon_html, markers, polylines
from tests.helpers.sample_plans import IMG, RTL, SCRIPT, make_plan

ATTACKS = ("<img", "<script>alert", "onerror=alert")


def assert_inert(page: str, n_scripts: int) -> Tags:
    """No attack text became markup: no <img>, no handler attribute, only our own scripts."""
    tags = Tags(page)
    assert tags.named("img") == []
    assert tags.handlers() == []
    assert len(tags.named("script")) == n_scripts
    for src in (a.get("src") for a in tags.named("script")):
        assert src is None or not re.match(r"(https?:)?//", src)
    for href in (a.get("href") for a in tags.named("link")):
        assert href is None or not re.match(r"(https?:)?//", href)
    for kind, fragment in bound_html(page):
        inner = Tags(fragment)
        assert inner.named("img") == [] and inner.named("script") == [], (kind, fragment)
        assert inner.handlers() == []
    return tags


def test_overview_draws_every_route_along_its_path():
    """Each route is one polyline through its road path; each stop, hub and located
    unassigned stop is a marker; stops are numbered in visit order."""
    plan = make_plan()
    page = overview_map(plan, assets=AssetMode.relative())
    lines = polylines(page)
    assert [len(x) for x in lines] == [len(r.path) for r in plan.routes]
    assert lines[0] == [pytest.approx(p) for p in plan.routes[0].path]
    points = markers(page)
    for stop in plan.problem.stops:
        if stop.location and stop.id != "u1":
            assert (stop.location.lat, stop.location.lon) in points
    assert (plan.problem.hubs[0].location.lat, plan.problem.hubs[0].location.lon) in points
    # 10 routed stops + 1 hub + 1 located unassigned stop (u1 has no location).
    assert len(points) == 12
    numbers = [re.search(r">(\d+)<", h) for h in icon_html(page) if "aid-num" in h]
    assert [int(m.group(1)) for m in numbers] == [1, 2, 3, 4, 1, 2, 3, 4, 5, 6]


def test_overview_legend_layers_unassigned_and_attribution():
    """The legend gives driver, stops, boxes, minutes; every driver, the hubs and the
    unassigned stops have a toggle in the side panel (none over the map); unassigned stops
    show why in words and the fix, even the one not on the map; OSM is credited."""
    plan = make_plan()
    page = overview_map(plan, assets=AssetMode.relative())
    legend = re.findall(
        r'<tr data-layer="feature_group_[0-9a-f]+" data-driver="(d\d)">.*?'
        r'<td class="num">(\d+)</td><td class="num">(\d+)</td>\s*<td class="num">(\d+)</td>',
        page,
        re.S,
    )
    assert legend == [("d1", "4", "8", "54"), ("d2", "6", "11", "73")]
    assert "Dana Rivera" in page and "Sam Green" in page
    assert "L.control.layers" not in page  # the legend lives in the side panel
    toggles = Tags(page).named("input")
    assert len([t for t in toggles if t.get("class") == "aid-show"]) == 2
    assert len([t for t in toggles if t.get("class") == "aid-layer"]) == 2
    assert "The address could not be placed on the map" in page
    assert "address_not_found" not in page
    assert "Kim Lee" in page and "not on the map" in page
    assert "Dana Rivera&#39;s route can take it with 1 more box" in page
    assert "OpenStreetMap" in page and "tile.openstreetmap.org" not in page  # private default
    assert "Idle Ida" in page


def test_overview_escapes_spreadsheet_text_everywhere():
    """Attack names, notes and fixes show as text in the panel, popups, tooltips and
    layer names; no markup or script comes out of them."""
    page = overview_map(make_plan(hostile=True), assets=AssetMode.relative())
    tags = assert_inert(page, n_scripts=4)
    text = "".join(tags.text)
    assert IMG in text and SCRIPT in text and RTL in text
    popups = " ".join(h for _, h in bound_html(page))
    assert "&lt;img src=x onerror=alert(1)&gt;" in popups
    assert "${alert(1)}" in popups  # inside a JSON string, not a template literal
    map_script = next(x for x in tags.scripts if "L.map(" in x)
    assert "`" not in re.sub(r'"(?:[^"\\]|\\.)*"', "", map_script)


@pytest.mark.parametrize("text", [SCRIPT, IMG, 'it\'s "quoted"', "a\u2028b", "<!--", RTL])
def test_js_string_cannot_leave_its_script(text):
    """A JS string literal of hostile text has no <, >, & or ' and decodes back exactly."""
    literal = js_string(text)
    assert not set("<>&'\u2028") & set(literal)
    assert json.loads(literal) == text


def test_assets_are_local_in_both_modes():
    """Leaflet loads from the given prefix; no CDN link of folium's defaults is left."""
    plan = make_plan()
    for mode, prefix in (
        (AssetMode.relative("static/"), "static/"),
        (AssetMode.served("/static/"), "/static/"),
    ):
        tags = Tags(overview_map(plan, assets=mode))
        srcs = [a["src"] for a in tags.named("script") if a.get("src")]
        hrefs = [a["href"] for a in tags.named("link") if a.get("rel") == "stylesheet"]
        assert srcs == [prefix + "leaflet/leaflet.js"]
        assert hrefs == [prefix + "leaflet/leaflet.css"]
    with pytest.raises(ValueError, match="local path"):
        AssetMode("https://cdn.example/")


def test_tile_server_is_a_setting():
    """A tile server the group chooses is used; none at all still credits OSM for the
    roads."""
    plan = make_plan()
    page = overview_map(plan, tiles=TileSettings(url="/tiles/{z}/{x}/{y}.png", attribution="x"))
    assert '"/tiles/{z}/{x}/{y}.png"' in page and "tile.openstreetmap.org" not in page
    bare = overview_map(plan, tiles=TileSettings(url=""))
    assert "L.tileLayer" not in bare and "OpenStreetMap" in bare


def test_driver_page_lists_stops_in_order_with_links():
    """The driver page maps the route and lists stops in visit order with arrival, address
    and unit, boxes, notes, language, a call link and four navigation apps per stop."""
    plan = make_plan()
    page = driver_page(plan, "d1")
    tags = assert_inert(page, n_scripts=3)
    cards = re.findall(r'<li class="aid-card" id="stop-(\d+)"', page)
    assert cards == ["1", "2", "3", "4"]
    assert polylines(page)[0] == [pytest.approx(p) for p in plan.routes[0].path]
    assert len(markers(page)) == 5  # 4 stops + hub (the end is the hub)
    body = "".join(tags.text)
    for want in (
        "09:13",
        "Ana Lopez",
        "89-12 217th St",
        "Apt 2",
        "Ring twice",
        "Language: Spanish",
        "2 boxes",
        "(window 10:00-12:00)",
    ):
        assert want in body
    hrefs = [a["href"] for a in tags.named("a")]
    assert "tel:5550101" in hrefs
    assert sum(h.startswith("https://www.google.com/maps/dir/?api=1") for h in hrefs) == 1 + 4 + 1
    assert sum(h.startswith("https://maps.apple.com/?daddr=") for h in hrefs) == 4 + 1
    assert sum(h.startswith("geo:") for h in hrefs) == 4 + 1
    assert sum(h.startswith("https://waze.com/ul?ll=") for h in hrefs) == 4 + 1
    assert "../static/leaflet/leaflet.js" in page
    viewport = [a for a in tags.named("meta") if a.get("name") == "viewport"]
    assert viewport == [{"name": "viewport", "content": "width=device-width, initial-scale=1"}]


def test_driver_page_with_home_end_and_long_route():
    """A six-stop route gets two Google legs; a driver ending at home gets an end marker."""
    plan = make_plan()
    page = driver_page(plan, "d2", page_url="https://example.org/d/abc")
    assert "Leg 1 of 2: stops 1-4" in page and "Leg 2 of 2: stops 5-6" in page
    assert "Finish: home" in page
    assert (40.73, -73.75) in markers(page)
    assert '<link rel="canonical" href="https://example.org/d/abc">' in page


def test_driver_page_privacy_modes():
    """initials hides names, no_phone hides phones and call links, full shows both."""
    plan = make_plan()
    full = driver_page(plan, "d1")
    initials = driver_page(plan, "d1", privacy="initials")
    no_phone = driver_page(plan, "d1", privacy="no_phone")
    assert "Ana Lopez" in full and "Ana Lopez" not in initials and "A. L." in initials
    assert "555-0101" in initials
    assert "555-0101" not in no_phone and "tel:" not in no_phone and "Ana Lopez" in no_phone
    with pytest.raises(InputError, match="privacy"):
        driver_page(plan, "d1", privacy="everything")


def test_driver_page_reveal_shows_the_next_stop_only():
    """In reveal mode only the first card is visible, no route line or whole-route links
    give away later doors, and the reveal script knows every stop's marker."""
    page = driver_page(make_plan(), "d1", privacy="reveal")
    tags = assert_inert(page, n_scripts=4)
    cards = [a for t, a in tags.tags if t == "li" and a.get("class") == "aid-card"]
    assert ["hidden" in c for c in cards] == [False, True, True, True]
    assert polylines(page) == []
    assert "Leg 1" not in page
    assert re.search(
        r"var markers = \{ 1: marker_\w+, 2: marker_\w+, 3: marker_\w+, "
        r"4: marker_\w+ \}",
        page,
    )


def test_driver_page_escapes_everything():
    """Hostile driver and stop text is inert in title, header, list, popups and tooltips."""
    page = driver_page(make_plan(hostile=True), "d1")
    tags = assert_inert(page, n_scripts=3)
    text = "".join(tags.text)
    assert IMG in text and SCRIPT in text and "${alert(1)}" in text
    title = page[page.index("<title>") : page.index("</title>")]
    assert "&lt;img" in title


def test_driver_page_errors_and_idle_driver():
    """An unknown driver id is an InputError; a driver without a route gets a kind page."""
    plan = make_plan()
    with pytest.raises(InputError, match="driver 'nobody'"):
        driver_page(plan, "nobody")
    idle = driver_page(plan, "d3")
    assert "No deliveries for you" in idle and "Idle Ida" in idle
    assert all(a not in idle for a in ATTACKS)


def test_routes_without_geometry_are_drawn_dashed_through_their_stops():
    """A route the solver did not draw yet still shows its order: dashed straight segments
    hub -> stops -> end. A plan without routes still renders its unassigned stops."""
    plan = make_plan()
    bare = replace(plan, routes=tuple(replace(r, path=()) for r in plan.routes))
    page = driver_page(bare, "d1")
    line = polylines(page)[0]
    hub = plan.problem.hubs[0].location
    assert line[0] == (hub.lat, hub.lon) and line[-1] == (hub.lat, hub.lon)
    assert len(line) == 2 + 4 and '"dashArray": "8 8"' in page
    empty = overview_map(replace(plan, routes=()))
    assert polylines(empty) == [] and "The address could not be placed on the map" in empty


def test_overview_shows_the_solvers_warnings_escaped():
    """A solver warning (an idle volunteer, say) is listed under "Check", as text."""
    plan = make_plan()
    plan = replace(plan, stats={**plan.stats, "warnings": [f"{IMG} has no hub in their hours"]})
    html = overview_map(plan, assets=AssetMode.relative())
    assert "<h2>Check</h2>" in html
    assert "&lt;img src=x onerror=alert(1)&gt; has no hub in their hours" in html
    assert "<h2>Check</h2>" not in overview_map(make_plan(), assets=AssetMode.relative())


def test_template_syntax_in_spreadsheet_text_stays_text():
    """A name or a note holding Jinja syntax reaches the page as typed: rendered pages are
    never parsed as templates a second time (which would run the spreadsheet's code)."""
    plan = make_plan()
    code = "{{ 7*7 }} {{ cycler.__init__.__globals__.os.getcwd() }} {% if 1 %}x{% endif %}"
    stops = tuple(
        replace(s, recipient=code, notes=code) if s.id == "s1" else s for s in plan.problem.stops
    )
    drivers = tuple(replace(d, name=code) if d.id == "d1" else d for d in plan.problem.drivers)
    plan = replace(plan, problem=replace(plan.problem, stops=stops, drivers=drivers))
    for page in (driver_page(plan, "d1"), overview_map(plan)):
        assert any(code in html for _, html in bound_html(page))
        assert str(Path.cwd()) not in page
