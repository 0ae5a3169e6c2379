"""What drivers read: corrected addresses, phone numbers as people write and dial them,
languages by name, and what every driver is told (pickup note, nobody home, whom to call).

Issue 10, finding 12 and the instructions of finding 13: a driver was shown "227-46 Murdok ave"
although the geocoder had matched "227-46 Murdock Avenue, 11429", "7185550155", "[bn]" and
"Language: ht", and nothing about where to park or what to do when nobody answers.
"""

from __future__ import annotations

import csv
import io
from dataclasses import replace

from pypdf import PdfReader

from maps.driver_page import driver_page
from maps.export import gpx, plan_csv
from maps.manifest import manifest_html, manifest_pdf
from maps.overview import overview_map
from maps.words import language_name, languages_text, reason_text
from routing.model import Instructions, Plan
from tests.helpers.html import Tags, bound_html, icon_html
from tests.helpers.sample_plans import make_plan

TYPED = "227-46 Murdok ave"
MATCHED = "227-46 Murdock Avenue, 11429"
PICKUP = "Park on 217th St and use the side door; ask for Rosa."
NOBODY_HOME = "Leave the bags with a neighbour and text the dispatcher."


def corrected_plan() -> Plan:
    """Dana's first stop typed with a typo and no zip, matched by the geocoder; phones as
    typed; languages as the intake stores them (codes); the plan's instructions set."""
    plan = make_plan()
    fixes = {
        "s1": {
            "address": TYPED,
            "matched": MATCHED,
            "phone": "7185550155",
            "language": "bn",
            "unit": "",
        },
        "s2": {"phone": "(917) 555-0172", "language": "ht"},
        "s3": {"phone": "+44 20 7946 0958", "precision": "street"},
    }
    stops = tuple(replace(s, **fixes.get(s.id, {})) for s in plan.problem.stops)
    hubs = tuple(replace(h, note=PICKUP) for h in plan.problem.hubs)
    problem = replace(
        plan.problem,
        stops=stops,
        hubs=hubs,
        region="US",
        instructions=Instructions(dispatcher_phone="718.555.0100", nobody_home=NOBODY_HOME),
    )
    return replace(plan, problem=problem)


def _text(page: str) -> str:
    return " ".join(" ".join(Tags(page).text).split())


def test_driver_page_shows_the_matched_address_local_phones_and_language_names():
    """The driver page reads the matched address, never the typo; phones in the US format
    and dialled in E.164; Bengali and Haitian Creole, not bn and ht; and the pickup note,
    what to do when nobody is home, and a button to call the dispatcher."""
    page = driver_page(corrected_plan(), "d1")
    text = _text(page)
    assert MATCHED in text and "Murdok" not in page
    assert "(718) 555-0155" in text and "7185550155" not in text
    assert "+44 20 7946 0958" in text  # a number from abroad keeps its country code
    assert "Language: Bengali" in text and "Language: Haitian Creole" in text
    assert "Language: bn" not in text and "Language: ht" not in text
    hrefs = [a["href"] for a in Tags(page).named("a")]
    assert "tel:+17185550155" in hrefs and "tel:+19175550172" in hrefs
    assert "tel:+442079460958" in hrefs and "tel:+17185550100" in hrefs
    assert PICKUP in text and NOBODY_HOME in text
    assert "Call the dispatcher (718) 555-0100" in text
    assert "placed on the street only" in text  # s3's pin is approximate, and marked
    assert [("aid-approx-pin" in h) for h in icon_html(page) if "aid-num" in h] == [
        False,
        False,
        True,
        False,
    ]
    popups = " ".join(html for _, html in bound_html(page))
    assert MATCHED in popups and "Murdok" not in popups and "speaks Bengali" in popups


def test_manifests_print_what_the_driver_page_shows():
    """The HTML and the PDF manifest carry the same corrected text and instructions."""
    plan = corrected_plan()
    html = _text(manifest_html(plan, "d1"))
    pdf = " ".join(
        " ".join(page.extract_text().split())
        for page in PdfReader(io.BytesIO(manifest_pdf(plan, "d1"))).pages
    )
    for text in (html, pdf):
        assert MATCHED in text and "Murdok" not in text
        assert "(718) 555-0155" in text and "(917) 555-0172" in text
        assert "Language: Bengali" in text and "Language: Haitian Creole" in text
        assert "[bn]" not in text and "[ht]" not in text
        assert PICKUP in text and NOBODY_HOME in text and "(718) 555-0100" in text
    assert 'href="tel:+17185550155"' in manifest_html(plan, "d1")


def test_the_longest_note_a_plan_keeps_prints_whole_over_pages():
    """A note as long as a plan keeps (an e-mail pasted into a form's answer) goes on over
    the next page of the PDF manifest, every word of it: such a row taller than a page
    stopped the whole plan's outputs (reportlab's LayoutError)."""
    from routing.intake.limits import NOTE_CHARS

    words = [f"w{i:03d}" for i in range(NOTE_CHARS // 5)]
    note = " ".join(words)[:NOTE_CHARS]
    plan = make_plan()
    stops = tuple(
        replace(s, notes=note) if s.id == "s2" else s for s in plan.problem.stops
    )  # fmt: skip
    plan = replace(plan, problem=replace(plan.problem, stops=stops))
    pages = PdfReader(io.BytesIO(manifest_pdf(plan, "d1"))).pages
    text = " ".join(page.extract_text() for page in pages).split()
    assert len(pages) > 1
    kept = note.split()
    assert [w for w in text if w.startswith("w") and w[1:].isdigit()] == kept
    assert note[-20:] in _text(manifest_html(plan, "d1"))


def test_gpx_and_exports_keep_both_addresses_where_each_belongs():
    """The GPX a driver loads names the matched address; the dispatcher's CSV keeps the
    address as typed next to the one it was matched to; the overview shows both."""
    plan = corrected_plan()
    track = gpx(plan, "d1")
    assert MATCHED in track and "Murdok" not in track and "(718) 555-0155" in track
    assert "speaks Bengali" in track and PICKUP in track
    rows = {r["stop_id"]: r for r in csv.DictReader(io.StringIO(plan_csv(plan)))}
    assert rows["s1"]["address"] == TYPED and rows["s1"]["matched_address"] == MATCHED
    popups = " ".join(html for _, html in bound_html(overview_map(plan)))
    assert MATCHED in popups and f"typed: {TYPED}" in popups


def test_words_for_codes():
    """Language codes become English names (CLDR through Babel); what is not a code stays
    as written; a reason code is never shown, its sentence is."""
    assert language_name("bn") == "Bengali"
    assert language_name("ht") == "Haitian Creole"
    assert language_name("es-MX") == "Spanish (Mexico)"
    assert language_name("zh-Hant") == "Chinese (Traditional)"
    assert language_name("tigrinya") == "Tigrinya"
    assert languages_text("es, en") == "Spanish, English"
    assert reason_text("outside_all_hours", "outside_all_hours: window 07:00-08:00") == (
        "Window 07:00-08:00"
    )
    assert reason_text("capacity").startswith("The cars are full")
