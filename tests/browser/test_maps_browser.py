"""The pages in a real headless Chromium: they render, stay on 127.0.0.1, run no injected script.

Needs Debian's ``chromium`` and Playwright for Python (``pip install playwright``; Playwright's
own browser download is not needed: the tests launch ``/usr/bin/chromium``). Without them the
tests skip, unless ``AIDROUTE_REQUIRE_BROWSER=1`` (CI), where they fail instead.

A local HTTP server on 127.0.0.1 serves a folder written by ``maps.outputs.write_outputs`` from
a plan full of hostile text. Every request the page makes is intercepted: those to 127.0.0.1 go
through, any other (the OSM tiles) is recorded and aborted, so nothing leaves the machine and
the pages are seen exactly as on a phone without tiles.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import io
import re
import threading
from collections.abc import Iterator
from dataclasses import replace
from urllib.parse import urlsplit

import pytest
from pypdf import PdfReader

from maps.assets import AssetMode, TileSettings
from maps.driver_page import driver_page
from maps.manifest import manifest_html
from maps.outputs import write_outputs
from routing.model import Instructions, TimeWindow
from routing.roads.area import load_area
from tests.helpers.chromium import launch
from tests.helpers.sample_plans import IMG, long_plan, make_plan, many_routes_plan

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    """A headless Debian Chromium driven by Playwright."""
    with launch() as b:
        yield b


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@contextlib.contextmanager
def _serve(root) -> Iterator[str]:
    """Serve the folder ``root`` on 127.0.0.1; yield its base URL."""
    handler = functools.partial(_Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """An output folder (hostile plan) plus a reveal-mode page, served on 127.0.0.1."""
    root = tmp_path_factory.mktemp("site")
    plan = make_plan(hostile=True)
    streets = load_area("queens-village").streets
    write_outputs(plan, root, pdf=False, tiles=TileSettings(streets=streets))
    (root / "drivers" / "reveal.html").write_text(
        driver_page(make_plan(), "d2", privacy="reveal", assets=AssetMode.relative("../static/")),
        encoding="utf-8",
    )
    (root / "manifests" / "long.html").write_text(
        manifest_html(long_plan(40), "lg"), encoding="utf-8"
    )
    with _serve(root) as base:
        yield base, root


def _street_pixels(page) -> int:
    """How many pixels of the streets canvas are not bare land: streets drawn there."""
    return page.evaluate(
        """() => {
        const c = document.querySelector("canvas.aid-streets");
        if (!c) return 0;
        const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 0; i < d.length; i += 4) {
          if (Math.abs(d[i] - 242) + Math.abs(d[i + 1] - 239) + Math.abs(d[i + 2] - 233) > 30) n++;
        }
        return n;
      }"""
    )


class Visit:
    """One page load with every request, dialog and script error recorded."""

    def __init__(self, browser, url: str, width: int, height: int):
        self.context = browser.new_context(viewport={"width": width, "height": height})
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.blocked: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.page.route("**/*", self._route)
        self.page.on("dialog", self._dialog)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(url)
        self.page.wait_for_selector(".leaflet-marker-icon")

    def _route(self, route) -> None:
        url = route.request.url
        self.requests.append(url)
        if urlsplit(url).hostname == "127.0.0.1":
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def assert_clean(self) -> None:
        """Nothing left 127.0.0.1 (the map background is drawn by the page itself); no
        alert; no JS error."""
        assert self.blocked == []
        assert self.dialogs == []
        assert self.errors == []
        assert self.page.locator("img[src='x']").count() == 0
        assert self.page.evaluate("typeof window.__pwned") == "undefined"

    def close(self) -> None:
        self.context.close()


def test_driver_page_on_a_phone(browser, site, tmp_path):
    """At 390x844 the driver page shows the route line, four numbered stops, the hub, the
    list with call and navigation links, no horizontal scrolling, and no injected script."""
    base, _ = site
    visit = Visit(browser, base + "drivers/img-src-x-onerror-alert-1.html", 390, 844)
    page = visit.page
    try:
        assert page.locator(".aid-num").count() == 4
        assert page.locator(".aid-hub").count() == 1
        assert page.locator("path.leaflet-interactive").count() == 1  # the route line
        assert page.locator(".aid-card").count() == 4
        assert page.locator("a[href^='tel:']").count() == 4
        assert page.locator(".aid-card >> text=Navigate").count() == 4
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        box = page.locator(".aid-map").bounding_box()
        assert box is not None and box["width"] == 390 and box["height"] >= 240
        assert IMG in page.locator("h1").inner_text()
        page.locator(".aid-num").first.click()
        popup = page.locator(".leaflet-popup-content")
        popup.wait_for()
        assert IMG in popup.inner_text()
        assert popup.locator("img").count() == 0
        page.screenshot(path=str(tmp_path / "driver-page-390.png"), full_page=True)
        for width in (360, 430):
            page.set_viewport_size({"width": width, "height": 800})
            assert page.evaluate("document.documentElement.scrollWidth") <= width
        visit.assert_clean()
        assert _street_pixels(page) > 2000, "the area's streets should be drawn under the route"
    finally:
        visit.close()


def test_overview_on_a_desktop(browser, site, tmp_path):
    """At 1280x800 the overview shows both routes, every marker, the legend, and a toggle in
    the side panel that hides one driver's route; tooltips show hostile names as text."""
    base, _ = site
    visit = Visit(browser, base + "overview.html", 1280, 800)
    page = visit.page
    try:
        assert page.locator(".aid-num").count() == 10
        assert page.locator(".aid-hub").count() == 1
        assert page.locator(".aid-unassigned").count() == 1
        assert page.locator("path.leaflet-interactive").count() == 2
        toggles = page.locator("#aid-legend input[type=checkbox]")
        assert toggles.count() == 4  # two drivers, hubs, unassigned stops
        labels = page.locator("#aid-legend tbody tr .aid-zoom").all_inner_texts()
        assert IMG in labels[0]
        assert page.locator("#aid-legend tbody tr").count() == 2
        page.locator("#aid-legend tbody tr").nth(1).click()  # zoom to the second route
        page.locator(".aid-num").first.hover()
        tooltip = page.locator(".leaflet-tooltip")
        tooltip.wait_for()
        assert IMG in tooltip.inner_text()
        page.screenshot(path=str(tmp_path / "overview-1280.png"))
        toggles.first.uncheck()
        assert page.locator(".aid-num").count() == 6
        assert page.locator("path.leaflet-interactive").count() == 1
        visit.assert_clean()
    finally:
        visit.close()


def test_manifest_prints_without_running_injected_script(browser, site, tmp_path):
    """The all-drivers manifest renders its tables with the hostile text as text, and its
    print layout puts each driver on a new page; a 40-stop manifest prints on several pages
    with the table header on each, every row exactly once, and "page k of n" in the margin."""
    base, _ = site
    context = browser.new_context(viewport={"width": 1100, "height": 800})
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        page.goto(base + "manifests/all.html")
        assert page.locator("section.sheet").count() == 2
        assert page.locator("tr[data-stop]").count() == 10
        assert IMG in page.locator("section.sheet h1").first.inner_text()
        printed = PdfReader(io.BytesIO(page.pdf(format="Letter", landscape=True)))
        texts = [pg.extract_text() for pg in printed.pages]
        assert len(texts) == 2  # one sheet per driver, each fits one page
        assert "Jo Smith" in texts[1] and "Jo Smith" not in texts[0]
        page.screenshot(path=str(tmp_path / "manifest.png"), full_page=True)
        assert dialogs == []
        page.goto(base + "manifests/long.html")
        long_pages = [
            pg.extract_text()
            for pg in PdfReader(io.BytesIO(page.pdf(format="Letter", landscape=True))).pages
        ]
        assert len(long_pages) >= 2
        assert all("Arrive" in text for text in long_pages)  # header repeats on every page
        for k, text in enumerate(long_pages, 1):  # numbered in the page margin
            assert f"page {k} of {len(long_pages)}" in text
        names = [n for text in long_pages for n in re.findall(r"Recipient \d\d", text)]
        assert names == [f"Recipient {i:02d}" for i in range(40)]  # no row lost or doubled
    finally:
        context.close()


def test_reveal_mode_shows_one_stop_at_a_time(browser, site, tmp_path):
    """In reveal mode the phone shows one stop and its marker; "Delivered" reveals the next,
    and the progress survives a reload."""
    base, _ = site
    visit = Visit(browser, base + "drivers/reveal.html", 390, 844)
    page = visit.page
    try:
        visible = page.locator(".aid-card:visible")
        assert visible.count() == 1
        assert page.locator(".aid-num").count() == 1
        page.locator(".aid-card:visible .aid-done").click()
        assert visible.count() == 2
        assert page.locator(".aid-num").count() == 2
        page.reload()
        page.wait_for_selector(".leaflet-marker-icon")
        assert page.locator(".aid-card:visible").count() == 2
        page.screenshot(path=str(tmp_path / "reveal-390.png"), full_page=True)
        visit.assert_clean()
    finally:
        visit.close()


@pytest.fixture(scope="module")
def big_site(tmp_path_factory):
    """The output folder of a 25-route week, and a manifest with long names and two
    windows, served on 127.0.0.1."""
    root = tmp_path_factory.mktemp("big")
    write_outputs(many_routes_plan(25), root, pdf=False)
    plan = make_plan()
    windows = (TimeWindow(9 * 3600, 11 * 3600), TimeWindow(13 * 3600, 15 * 3600))
    stops = tuple(
        replace(s, recipient=LONG_NAME, windows=windows, address=LONG_ADDRESS)
        if s.id in ("s1", "s3")
        else s
        for s in plan.problem.stops
    )
    plan = replace(plan, problem=replace(plan.problem, stops=stops, region="US"))
    (root / "manifests" / "long-names.html").write_text(manifest_html(plan, None), encoding="utf-8")
    with _serve(root) as base:
        yield base


LONG_NAME = "Maria-Guadalupe Hernández-Villalobos de la Cruz"
LONG_ADDRESS = "110-22 Springfield Boulevard Service Road"


def _boxes_meet(a: dict, b: dict) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


def _centre_is_clear(page) -> None:
    """The middle half of the map (both ways) shows the map: no panel, legend or control."""
    box = page.locator("#aid-map").bounding_box()
    centre = {
        "x": box["x"] + box["width"] / 4,
        "y": box["y"] + box["height"] / 4,
        "width": box["width"] / 2,
        "height": box["height"] / 2,
    }
    for selector in ("#aid-legend", ".leaflet-control"):
        for k in range(page.locator(selector).count()):
            other = page.locator(selector).nth(k).bounding_box()
            assert other is None or not _boxes_meet(centre, other), selector
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    assert page.evaluate(
        "([x, y]) => !!document.elementFromPoint(x, y).closest('#aid-map .leaflet-container')",
        [cx, cy],
    )


def test_overview_with_25_routes_keeps_the_map_clear(browser, big_site, tmp_path):
    """At 1280x800 the legend of 25 routes sits in a side panel beside the map, never over
    its centre; the 25 route lines have 25 different colours; a route hides with its toggle;
    the panel folds away and the map takes the room. On a phone the panel comes below."""
    visit = Visit(browser, big_site + "overview.html", 1280, 800)
    page = visit.page
    try:
        assert page.locator("#aid-legend tbody tr").count() == 25
        lines = page.locator("path.leaflet-interactive")
        assert lines.count() == 25
        colours = lines.evaluate_all("els => els.map(e => getComputedStyle(e).stroke)")
        assert len(set(colours)) == 25
        assert page.locator(".leaflet-control-layers").count() == 0
        _centre_is_clear(page)
        page.screenshot(path=str(tmp_path / "overview-25-1280.png"))
        page.locator("#aid-legend tbody tr .aid-show").nth(12).uncheck()
        assert lines.count() == 24
        width = page.locator("#aid-map").bounding_box()["width"]
        page.locator("#aid-toggle").click()
        assert page.locator("#aid-map").bounding_box()["width"] > width + 250
        assert page.locator("#aid-panel-body").is_hidden()
        _centre_is_clear(page)
        page.locator("#aid-toggle").click()
        assert page.locator("#aid-panel-body").is_visible()
        page.set_viewport_size({"width": 390, "height": 844})
        _centre_is_clear(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.screenshot(path=str(tmp_path / "overview-25-390.png"), full_page=True)
        visit.assert_clean()
    finally:
        visit.close()


_SPLIT_WORDS = """(selector) => {
  const split = [];
  document.querySelectorAll(selector).forEach((el) => {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const m of node.data.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const tops = new Set(Array.from(range.getClientRects(), (r) => Math.round(r.top)));
        if (tops.size > 1) { split.push(m[0]); }
      }
    }
  });
  return split;
}"""


def test_manifest_on_a_phone(browser, big_site, tmp_path):
    """At 360, 390 and 430 px the manifest needs no sideways scrolling, shows each stop as a
    card with its number, time, name, address, phone and boxes, and never splits a time, a
    phone number or a word of a name or an address over two lines."""
    context = browser.new_context(viewport={"width": 360, "height": 780})
    page = context.new_page()
    try:
        page.goto(big_site + "manifests/long-names.html")
        for width in (360, 390, 430):
            page.set_viewport_size({"width": width, "height": 780})
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            rows = page.locator("tr[data-stop]")
            assert rows.count() == 10
            first = rows.first.bounding_box()
            assert first["x"] >= 0 and first["x"] + first["width"] <= width
            assert page.locator("thead").first.is_hidden()
            assert page.evaluate(_SPLIT_WORDS, "td.time, td.name, td.addr, td.phone, h1") == []
            for k in range(rows.count()):  # nothing in a card covers anything else
                cells = rows.nth(k).locator("td:visible")
                boxes = [cells.nth(c).bounding_box() for c in range(cells.count())]
                for i, a in enumerate(boxes):
                    assert not any(_boxes_meet(a, b) for b in boxes[i + 1 :]), (k, i)
            text = rows.nth(2).inner_text()
            assert "(09:00-11:00)" in text and LONG_NAME in " ".join(text.split())
            page.screenshot(path=str(tmp_path / f"manifest-{width}.png"), full_page=True)
        assert page.locator("td.phone a[href^='tel:']").count() == 10
    finally:
        context.close()


@pytest.fixture(scope="module")
def spanish_site(tmp_path_factory):
    """A week written in Spanish (the dispatcher's language, which every driver here reads),
    with the long lines Spanish makes: the pickup note, what to do when nobody is home, the
    button to call the dispatcher; and a reveal-mode page. Served on 127.0.0.1."""
    root = tmp_path_factory.mktemp("es")
    plan = make_plan()
    hubs = tuple(
        replace(h, note="Estaciona detrás de la iglesia y pregunta por Rosa en la puerta lateral")
        for h in plan.problem.hubs
    )
    said = Instructions("(718) 555-0100", "Déjalo con un vecino de confianza y escríbenos")
    plan = replace(plan, problem=replace(plan.problem, hubs=hubs, instructions=said, region="US"))
    streets = load_area("queens-village").streets
    write_outputs(plan, root, pdf=False, tiles=TileSettings(streets=streets), locale="es")
    (root / "drivers" / "revelar.html").write_text(
        driver_page(
            plan, "d2", privacy="reveal", assets=AssetMode.relative("../static/"), locale="es"
        ),
        encoding="utf-8",
    )
    with _serve(root) as base:
        yield base


def test_spanish_driver_page_on_a_phone(browser, spanish_site, tmp_path):
    """A driver's page in Spanish at 390 px (and 360, 430): `<html lang="es">`, Spanish
    buttons and labels, and the longer Spanish words and buttons fit: no sideways scrolling,
    no button past the screen's edge, no word split over two lines."""
    visit = Visit(browser, spanish_site + "drivers/sam-green.html", 390, 844)
    page = visit.page
    try:
        assert page.evaluate("document.documentElement.lang") == "es"
        assert page.locator(".aid-card >> text=Cómo llegar").count() == 6
        assert page.locator("h2", has_text="Paradas").count() == 1
        assert page.get_by_text("Llamar a quien coordina (718) 555-0100").count() == 1
        assert page.get_by_text("Tramo 1 de 2: paradas 1-4").count() == 1
        for width in (390, 360, 430):
            page.set_viewport_size({"width": width, "height": 844})
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            edges = page.locator(".aid-btn").evaluate_all(
                "els => els.map(e => e.getBoundingClientRect().right)"
            )
            assert max(edges) <= width, width
            assert page.evaluate(_SPLIT_WORDS, ".aid-btn, h2, header p, .aid-card .when") == []
            page.screenshot(path=str(tmp_path / f"driver-page-es-{width}.png"), full_page=True)
        visit.assert_clean()
    finally:
        visit.close()


def test_spanish_reveal_mode_and_manifest_on_a_phone(browser, spanish_site, tmp_path):
    """In Spanish, "Entregado" reveals the next stop and says how many are left; the
    manifest on a phone has its Spanish card labels and no sideways scrolling."""
    visit = Visit(browser, spanish_site + "drivers/revelar.html", 390, 844)
    page = visit.page
    try:
        assert page.locator("#aid-remaining").inner_text() == "Quedan 5 paradas después de esta."
        page.locator(".aid-card:visible .aid-done", has_text="Entregado").click()
        assert page.locator("#aid-remaining").inner_text() == "Quedan 4 paradas después de esta."
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        visit.assert_clean()
        page.goto(spanish_site + "manifests/sam-green.html")
        assert page.evaluate("document.documentElement.lang") == "es"
        assert "4 cajas" in page.locator("tr[data-stop]").nth(3).inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.screenshot(path=str(tmp_path / "manifest-es-390.png"), full_page=True)
    finally:
        visit.close()
