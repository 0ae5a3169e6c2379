"""Printable manifests: HTML structure and print CSS, and PDFs read back with pypdf."""

from __future__ import annotations

import io
import re
from dataclasses import replace

import pytest
from pypdf import PdfReader

from maps.manifest import manifest_html, manifest_pdf
from routing.errors import InputError
from routing.model import TimeWindow
from routing.phones import display_phone
from tests.helpers.html import Tags
from tests.helpers.sample_plans import IMG, SCRIPT, long_plan, make_plan

URL = "https://example.org/p/abc/drivers/dana"


def pdf_pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def test_manifest_html_table_in_visit_order_with_totals_and_qr():
    """One section with date, driver, hub and pickup time, totals, a checkbox row per stop
    in visit order, and a QR code (inline SVG) of the driver page."""
    plan = make_plan()
    page = manifest_html(plan, "d1", driver_page_url=URL)
    tags = Tags(page)
    assert [a["data-driver"] for a in tags.named("section")] == ["d1"]
    assert [a["data-stop"] for a in tags.named("tr") if "data-stop" in a] == [
        "s1",
        "s2",
        "s3",
        "s4",
    ]
    text = " ".join(" ".join(tags.text).split())
    for want in (
        "2026-11-28",
        "Dana Rivera",
        "Queens Village Pantry",
        "09:10",
        "4 stops",
        "8 boxes",
        "Ana Lopez",
        "89-12 217th St",
        "Apt 2",
        "555-0101",
        "Ring twice",
        "Language: Spanish",
        "(10:00-12:00)",
    ):
        assert want in text, want
    assert len(tags.named("svg")) == 1 and URL in text
    assert len([a for a in tags.named("span") if a.get("class") == "box"]) == 4
    assert "@page" in page and "break-inside: avoid" in page
    assert "display: table-header-group" in page


def test_manifest_html_all_drivers_one_document_page_per_driver():
    """driver_id=None puts every route in one document, each on a new printed page, with a
    QR code only for drivers whose page URL is known."""
    plan = make_plan()
    page = manifest_html(plan, None, driver_page_url={"d2": URL})
    tags = Tags(page)
    assert [a["data-driver"] for a in tags.named("section")] == ["d1", "d2"]
    assert ".sheet + .sheet { break-before: page" in page
    assert len(tags.named("svg")) == 1


def test_manifest_html_escapes_and_privacy():
    """Hostile text is inert; initials mode hides names; reveal prints initials without
    phones; a QR URL must be http(s)."""
    plan = make_plan(hostile=True)
    page = manifest_html(plan, None)
    tags = Tags(page)
    assert tags.named("img") == [] and len(tags.named("script")) == 0
    assert tags.handlers() == [("button", "onclick")]  # our Print button
    assert IMG in "".join(tags.text) and SCRIPT in "".join(tags.text)
    plain = make_plan()
    initials = manifest_html(plain, "d1", privacy="initials")
    assert "Ana Lopez" not in initials and "A. L." in initials and "555-0101" in initials
    reveal = manifest_html(plain, "d1", privacy="reveal")
    assert "Ana Lopez" not in reveal and "555-0101" not in reveal
    with pytest.raises(InputError, match="driver_page_url"):
        manifest_html(plain, "d1", driver_page_url="javascript:alert(1)")
    with pytest.raises(InputError, match="no route"):
        manifest_html(plain, "d3")


def test_manifest_pdf_has_every_stop_and_escapes():
    """The PDF reads back with each stop's name, address and phone, the hostile text as
    plain text (reportlab's markup did not swallow it), and a page per driver."""
    plan = make_plan(hostile=True)
    pages = pdf_pages(manifest_pdf(plan, None, driver_page_url={"d1": URL}))
    assert len(pages) == 2
    first = " ".join(pages[0].split())
    assert "<img src=x onerror=alert(1)>" in first.replace("\n", " ")
    for sid in ("s1", "s2", "s3", "s4"):
        stop = plan.problem.stop(sid)
        assert stop.address in first and display_phone(stop.phone) in first
    second = " ".join(pages[1].split())
    for sid in ("s6", "s7", "s8", "s9", "s10"):
        stop = plan.problem.stop(sid)
        assert stop.recipient in second and stop.address in second


def test_manifest_pdf_long_route_continues_with_header_on_each_page():
    """A 40-stop route takes several pages; every stop appears once, in order, the table
    header repeats and the footer numbers the pages."""
    plan = long_plan(40)
    pages = pdf_pages(manifest_pdf(plan, "lg"))
    assert len(pages) >= 3
    names = [m for p in pages for m in re.findall(r"Recipient \d\d", p)]
    assert names == [f"Recipient {i:02d}" for i in range(40)]
    for k, text in enumerate(pages, 1):
        assert "Arrive" in text and "Address" in text
        assert f"Long Route Lee · page {k} of {len(pages)}" in text


def test_manifest_pdf_privacy():
    """Initials and reveal modes keep names off the PDF; no_phone keeps phones off."""
    plan = make_plan()
    assert "Ana Lopez" not in pdf_pages(manifest_pdf(plan, "d1", privacy="initials"))[0]
    assert "555-0101" not in pdf_pages(manifest_pdf(plan, "d1", privacy="no_phone"))[0]
    reveal = pdf_pages(manifest_pdf(plan, "d1", privacy="reveal"))[0]
    assert "Ana Lopez" not in reveal and "555-0101" not in reveal and "A. L." in reveal


def test_manifest_of_a_plan_without_routes():
    """A plan where nothing was routed still prints one page saying so."""
    plan = replace(make_plan(), routes=())
    assert "No routes in this plan." in manifest_html(plan, None)
    pages = pdf_pages(manifest_pdf(plan, None))
    assert len(pages) == 1 and "No routes in this plan." in pages[0]


def test_pdf_text_shapes_right_to_left_and_marks_missing_glyphs():
    """Arabic reaches the PDF shaped and in visual order; a glyph the font lacks (emoji)
    becomes a white square instead of an invisible character."""
    from maps._pdf import MISSING_GLYPH, _fonts, _pdf_text

    pytest.importorskip("bidi")
    pytest.importorskip("arabic_reshaper")
    regular, _ = _fonts()
    from reportlab.pdfbase import pdfmetrics

    if 0xFEE3 not in pdfmetrics.getFont(regular).face.charToGlyph:
        pytest.skip("no Arabic glyphs in the PDF font (install fonts-dejavu-core)")
    shaped = _pdf_text("مريم", regular)
    assert shaped != "مريم" and all(0xFE70 <= ord(ch) <= 0xFEFF for ch in shaped)
    assert _pdf_text("Rose 🍎", regular) == "Rose " + MISSING_GLYPH


def test_manifest_pdf_never_splits_a_time_or_a_word():
    """A window, a phone number and every word of a name or an address stay whole on one
    line, however long (issue 10, finding 13: "(09:00-11:" / "00)"); pages count per driver
    ("page 1 of 1" for each of two drivers in one document)."""
    plan = make_plan()
    long_name = "Maria-Guadalupe Wolfeschlegelsteinhausenbergerdorff Hernández-Villalobos"
    long_street = "Springfield-Boulevard-Service-Road-Northbound"
    windows = (TimeWindow(9 * 3600, 11 * 3600), TimeWindow(13 * 3600, 15 * 3600))
    stops = tuple(
        replace(s, recipient=long_name, address=f"88-20 {long_street}", windows=windows)
        if s.id == "s3"
        else s
        for s in plan.problem.stops
    )
    plan = replace(plan, problem=replace(plan.problem, stops=stops, region="US"))
    pages = pdf_pages(manifest_pdf(plan, None))
    lines = [line.strip() for line in pages[0].splitlines()]
    words = [w.strip(",") for line in lines for w in line.split()]
    assert "(09:00-11:00)" in lines and "(13:00-15:00)" in lines
    for word in (*long_name.split(), long_street):
        assert word in words, word
    assert "Dana Rivera · page 1 of 1" in pages[0] and "Sam Green · page 1 of 1" in pages[1]
