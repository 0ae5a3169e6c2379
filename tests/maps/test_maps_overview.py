"""The overview of a big week (issue 10, finding 14): 25 routes, seventeen stops left out for
one reason, approximate pins. What the dispatcher reads, from the page's HTML and scripts
(the real-browser checks of the layout are in tests/browser)."""

from __future__ import annotations

import re

from maps._render import PALETTE, PATTERNS, route_style
from maps.assets import AssetMode
from maps.outputs import write_outputs
from maps.overview import overview_map
from routing.model import REASONS
from tests.helpers.html import Tags, bound_html, icon_html
from tests.helpers.sample_plans import SHARED_FIX, SHARED_WHY, many_routes_plan


def _panel_text(page: str) -> str:
    start, end = page.index('<aside class="aid-panel"'), page.index("</aside>")
    return " ".join(" ".join(Tags(page[start:end]).text).split())


def test_no_route_colour_repeats_up_to_30_then_patterns_tell_them_apart():
    """30 routes, 30 colours; past 30, every route still differs from every other in its
    colour, its line pattern or its markers' shape."""
    styles = [route_style(i) for i in range(len(PALETTE) * len(PATTERNS))]
    assert len(PALETTE) >= 30
    assert len({s.colour for s in styles[:30]}) == 30
    assert len({(s.colour, s.dash, s.shape) for s in styles}) == len(styles)
    assert styles[30].colour == styles[0].colour and styles[30].dash != styles[0].dash


def test_25_routes_get_25_colours_on_the_map_and_in_the_legend():
    """Every route line and its legend swatch has a colour of its own (drivers 01, 13 and
    25 were the same blue)."""
    page = overview_map(many_routes_plan(25), assets=AssetMode.relative())
    lines = re.findall(r'"color": "(#[0-9a-f]{6})"', page)
    swatches = re.findall(r'<line x1="1" y1="6" x2="25" y2="6" stroke="(#[0-9a-f]{6})"', page)
    assert len(swatches) == 25 and len(set(swatches)) == 25
    assert set(lines) == set(swatches)


def test_one_message_for_many_stops_is_said_once_in_words():
    """Seventeen stops left out for the same reason and fix make one entry listing the
    seventeen; no reason code (``outside_all_hours:``) reaches the panel or a popup."""
    page = overview_map(many_routes_plan(25), assets=AssetMode.relative())
    panel = _panel_text(page)
    why = SHARED_WHY[0].upper() + SHARED_WHY[1:]
    assert panel.count(why) == 1 and panel.count(SHARED_FIX) == 1
    assert f"{why} (17 stops)" in panel
    assert all(f"Left Out {k:02d}" in panel for k in range(18))
    assert "Window 06:00-07:00" in panel
    popups = " ".join(html for _, html in bound_html(page))
    for code in REASONS:
        assert code not in panel and code not in popups, code


def test_approximate_pins_are_marked_and_listed():
    """Stops placed on the street only or between house numbers have a marked pin and are
    listed in the panel with what to check."""
    plan = many_routes_plan(25)
    page = overview_map(plan, assets=AssetMode.relative())
    approx = [s for s in plan.problem.stops if s.precision in ("street", "interpolated")]
    marked = [h for h in icon_html(page) if "aid-approx-pin" in h]
    assert len(approx) == len(marked) == 7
    panel = _panel_text(page)
    assert f"Placed approximately ({len(approx)})" in panel
    assert "placed on the street only" in panel and "between the known house numbers" in panel


def test_overview_links_to_every_drivers_page_and_manifest(tmp_path):
    """In the written folder, each legend row links to that driver's page, manifest and
    PDF, and each link opens a file that is there."""
    plan = many_routes_plan(25)
    write_outputs(plan, tmp_path)
    page = (tmp_path / "overview.html").read_text(encoding="utf-8")
    rows = re.findall(r'<tr data-layer="[^"]+" data-driver="([^"]+)">(.*?)</tr>', page, re.S)
    assert len(rows) == 25
    for _driver, row in rows:
        hrefs = [a["href"] for a in Tags(row).named("a")]
        assert [h.split("/")[0] for h in hrefs] == ["drivers", "manifests", "manifests"]
        assert hrefs[1].endswith(".html") and hrefs[2].endswith(".pdf")
        assert all((tmp_path / h).is_file() for h in hrefs)
