"""Pages in the reader's language: a driver's page, manifest and GPX in the driver's (from the
roster), the overview in the dispatcher's, `<html lang>` saying which, numbers and dates as
that language writes them."""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import replace

from pypdf import PdfReader

from maps.driver_page import driver_page
from maps.export import gpx
from maps.manifest import manifest_html, manifest_pdf
from maps.outputs import write_outputs
from maps.overview import overview_map
from routing.model import Plan
from tests.helpers.html import Tags
from tests.helpers.intake import import_roster
from tests.helpers.sample_plans import make_plan

URL = "https://example.org/p/abc/drivers/dana"


def roster_plan(region: str | None = "US") -> Plan:
    """The sample plan with its drivers' languages read from a roster as volunteers write
    it: Dana "Español, English" (Spanish pages), Sam "English, Spanish" (English)."""
    roster = import_roster(["Languages"], ["Español, English"], ["English, Spanish"])
    said = dict(zip(("d1", "d2"), roster.drivers, strict=True))
    plan = make_plan()
    drivers = tuple(
        replace(d, languages=said[d.id].languages, locale=said[d.id].locale) if d.id in said else d
        for d in plan.problem.drivers
    )
    return replace(plan, problem=replace(plan.problem, drivers=drivers, region=region))


def text(page: str) -> str:
    """What a reader sees: the page's text without its styles and scripts, spaces joined."""
    page = re.sub(r"<(style|script)\b[^>]*>.*?</\1>", " ", page, flags=re.S)
    return " ".join(" ".join(Tags(page).text).split())


def html_lang(page: str) -> str | None:
    return Tags(page).named("html")[0].get("lang")


def reads(page: str, code: str, *wants: str) -> str:
    """Check that ``page`` says it is in ``code`` and shows each of ``wants``; its text."""
    said = text(page)
    assert html_lang(page) == code
    missing = [w for w in wants if w not in said]
    assert missing == []
    return said


def test_a_spanish_driver_gets_a_spanish_page():
    """Dana's roster says "Español, English": her page is in Spanish, `<html lang="es">`,
    her stops' languages named in Spanish, her times as Spanish writes them."""
    page = driver_page(roster_plan(), "d1")
    said = reads(
        page,
        "es",
        "sáb, 28 de noviembre",
        "recoge en Queens Village Pantry a las 09:10",
        "4 paradas",
        "8 cajas",
        "Navegar toda la ruta",
        "Salida: Queens Village Pantry",
        "Paradas",
        "2 cajas",
        "(horario 10:00-12:00)",
        "Idioma: español",
        "Idioma: chino",
        "Cómo llegar",
        "Llamar al 555-0101",
        "Otra app",
        "Fin: de vuelta en el punto de recogida",
        "Todas las paradas 1-4",
        "Hecho con aidroute",
    )
    for english in ("Navigate", "Stops", "boxes", "Language:", "Call ", "Finish"):
        assert english not in said, english
    assert "geo:" in page and "(Parada%201)" in page  # the label other apps show


def test_an_english_driver_gets_an_english_page():
    """Sam's roster says "English, Spanish": his page stays in English."""
    said = reads(
        driver_page(roster_plan(), "d2"),
        "en",
        "Navigate the whole route",
        "Leg 1 of 2: stops 1-4",
        "Language: Hebrew",
        "Finish: home",
    )
    assert "Paradas" not in said


def test_the_dispatchers_language_is_the_fallback():
    """A driver the roster gives no language of their own reads the dispatcher's."""
    plan = make_plan()
    assert html_lang(driver_page(plan, "d2")) == "en"
    page = driver_page(plan, "d2", locale="es")
    assert html_lang(page) == "es" and "Tramo 1 de 2: paradas 1-4" in text(page)
    assert html_lang(driver_page(roster_plan(), "d2", locale="es")) == "en"  # his own wins


def test_reveal_mode_counts_what_is_left_in_spanish():
    """The "delivered" button and the count of stops left are the driver's language too."""
    plan = roster_plan()
    page = driver_page(plan, "d1", privacy="reveal")
    assert ">Entregado</button>" in page
    left = next(a for a in Tags(page).named("p") if a.get("id") == "aid-remaining")
    assert json.loads(left["data-left"] or "") == [
        "",
        "Queda 1 parada después de esta.",
        "Quedan 2 paradas después de esta.",
        "Quedan 3 paradas después de esta.",
    ]
    assert "Toca “Entregado” para ver la siguiente." in text(page)


def test_a_spanish_driver_gets_a_spanish_manifest():
    """Dana's printable manifest: Spanish headings, labels, dates and numbers; the title
    keeps the ISO day (a printed file sorts by it)."""
    page = manifest_html(roster_plan(region=None), "d1", driver_page_url=URL)
    reads(
        page,
        "es",
        "Hoja de ruta: Dana Rivera, 2026-11-28",
        "sábado, 28 de noviembre de 2026",
        "Recoge las cajas en Queens Village Pantry (217-01 Jamaica Ave) a las 9:10",
        "4 paradas · 8 cajas · 3,6 km · unos 54 min, de vuelta hacia las 9:54",
        "Tu página de ruta",
        "Llegada Nombre Dirección Teléfono Cajas Notas",
        "(10:00-12:00)",
        "Idioma: español",
        "Imprimir",
    )
    assert '"página " counter(page) " de " counter(pages)' in page  # printed pages' foot


def test_numbers_follow_the_area_in_the_drivers_language():
    """Spanish in the United States writes 3.6 km and 09:10, as the US does; Spanish with no
    area known writes 3,6 km and 9:10. English is as it always was."""
    assert "3.6 km" in text(manifest_html(roster_plan("US"), "d1"))
    assert "a las 09:10" in text(manifest_html(roster_plan("US"), "d1"))
    assert "3,6 km" in text(manifest_html(roster_plan(None), "d1"))
    english = text(manifest_html(roster_plan(None), "d2"))
    assert "Load at" in english and re.search(r"\b\d+\.\d km", english)


def test_the_pdf_manifest_in_spanish_keeps_its_accents():
    """The PDF, read back with pypdf: Spanish words with their accents (no character
    drawn as a square), the foot of each page in Spanish, and the document's language."""
    pdf = manifest_pdf(roster_plan(region=None), "d1", driver_page_url=URL)
    reader = PdfReader(io.BytesIO(pdf))
    said = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    for want in (
        "sábado, 28 de noviembre de 2026",
        "Recoge las cajas en Queens Village Pantry",
        "3,6 km",
        "Dirección",
        "Teléfono",
        "Idioma: español",
        "Idioma: árabe",
        "Tu página de ruta",
        "Dana Rivera · página 1 de 1",
        "datos del mapa © OpenStreetMap",
    ):
        assert want in said, want
    assert "\u25a1" not in said  # no character the font could not draw
    assert reader.trailer["/Root"]["/Lang"] == "es"
    assert reader.metadata is not None and reader.metadata.title == "Hoja de ruta 2026-11-28"


def test_every_drivers_manifest_speaks_each_drivers_language():
    """The document of every driver is the dispatcher's; each driver's pages are in theirs,
    in HTML (a `lang` per section) and in the PDF (each page's foot)."""
    plan = roster_plan()
    page = manifest_html(plan, None)
    assert html_lang(page) == "en"
    sections = {a["data-driver"]: a["lang"] for a in Tags(page).named("section")}
    assert sections == {"d1": "es", "d2": "en"}
    said = text(page)
    assert "Manifest: All drivers" in said
    assert "Recoge las cajas en" in said and "Load at Queens Village Pantry" in said
    reader = PdfReader(io.BytesIO(manifest_pdf(plan, None, locale="es")))
    feet = [" ".join(p.extract_text().split()) for p in reader.pages]
    assert any("Dana Rivera · página 1 de 1" in f for f in feet)
    assert any("Sam Green · page 1 of 1" in f for f in feet)
    assert reader.trailer["/Root"]["/Lang"] == "es"  # the dispatcher's document


def test_gpx_names_in_the_drivers_language():
    """A GPS app shows the hub and each stop's description in the driver's language."""
    track = ET.fromstring(gpx(roster_plan(), "d1"))
    ns = {"g": "http://www.topografix.com/GPX/1/1"}
    names = [e.text for e in track.findall("g:wpt/g:name", ns)]
    assert names[0] == "Punto de recogida: Queens Village Pantry"
    desc = track.find("g:wpt[2]/g:desc", ns)
    assert desc is not None and desc.text is not None
    assert "2 cajas; llegada 09:13" in desc.text and "habla español" in desc.text
    english = gpx(roster_plan(), "d2")
    assert "Hub: Queens Village Pantry" in english and "arrive 09:" in english


def test_the_overview_in_the_dispatchers_language():
    """The overview in Spanish: `<html lang="es">`, the panel's words, the reasons stops are
    left out translated; the solver's own sentences and fixes, English for now, say so with
    `lang="en"`."""
    page = overview_map(roster_plan(), locale="es")
    reads(
        page,
        "es",
        "Entregas del sábado, 28 de noviembre de 2026",
        "2 rutas · 10 paradas · 19 cajas · 2 sin asignar",
        "Conductor Paradas Cajas Min",
        "Sin asignar (2)",
        "No se pudo ubicar la dirección en el mapa",
        "(fila 12)",
        "(no está en el mapa)",
        "Solución:",
    )
    fixes = [a for a in Tags(page).named("span") if a.get("lang") == "en"]
    assert fixes, "a fix the solver wrote stays English, marked as such"
    assert html_lang(overview_map(roster_plan())) == "en"


def test_the_results_folder_in_spanish(tmp_path):
    """write_outputs in Spanish: the overview and the pages of drivers without a language
    of their own in Spanish; a driver whose roster says English keeps English."""
    plan = roster_plan()
    drivers = tuple(replace(d, locale="") if d.id == "d1" else d for d in plan.problem.drivers)
    plan = replace(plan, problem=replace(plan.problem, drivers=drivers))
    write_outputs(plan, tmp_path, pdf=False, locale="es", workers=1)

    def lang_of(relative: str) -> str | None:
        return html_lang((tmp_path / relative).read_text(encoding="utf-8"))

    assert lang_of("overview.html") == "es"
    assert lang_of("drivers/dana-rivera.html") == "es"
    assert lang_of("manifests/dana-rivera.html") == "es"
    assert lang_of("drivers/sam-green.html") == "en"
    assert lang_of("manifests/all.html") == "es"
    assert "Parada" not in (tmp_path / "plan.csv").read_text(encoding="utf-8")  # for scripts
