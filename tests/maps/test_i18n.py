"""The language layer: complete catalogs, the reader's language chosen, numbers and dates
written as the language writes them, and templates that translate and still escape."""

from __future__ import annotations

import datetime as dt
import io

import jinja2
import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from maps.i18n import (
    SUPPORTED,
    catalog_path,
    default_language,
    environment,
    language,
    negotiate,
    translations,
)
from maps.words import STATUSES, language_name, reason_detail, reason_text, status_text
from routing.errors import InputError
from routing.model import PAGE_LANGUAGES, REASONS, TimeWindow
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The messages of the code, extracted as the README's `pybabel extract` does it (the
    mapping in pyproject.toml's [tool.babel]), read back as a catalog template."""
    pot = tmp_path_factory.mktemp("pot") / "aidroute.pot"
    CommandLineInterface().run(
        [
            "pybabel",
            "-q",
            "extract",
            "-F",
            str(ROOT / "pyproject.toml"),
            "-o",
            str(pot),
            str(ROOT),
        ]
    )
    with pot.open("rb") as f:
        return read_po(f)


def _catalog(code: str):
    with catalog_path(code).open("rb") as f:
        return read_po(f, locale=code)


def test_extraction_finds_pages_python_and_the_core_sentences(extracted):
    """The extraction reads the templates, maps/ Python and the core's reasons: a message
    of each kind is in the template, statuses and every reason a stop is left out included."""
    ids = {m.id for m in extracted if m.id}
    assert "Navigate the whole route" in ids  # driver_page.html
    assert ("%(num)s box", "%(num)s boxes") in ids  # a plural, from Python and templates
    assert "Other app" in ids  # maps/navigation.py
    assert set(REASONS.values()) <= ids  # routing/model.py, by maps.i18n.extract_constants
    assert set(STATUSES.values()) <= ids


@pytest.mark.parametrize("code", [c for c in SUPPORTED if c != "en"])
def test_every_message_is_translated(extracted, code):
    """Every message the code has is in the catalog, translated (every plural form) and not
    marked fuzzy; the catalog keeps none the code no longer has; each translation has the
    placeholders of its message (Babel's checks). A new English string fails here until it
    is translated."""
    catalog = _catalog(code)
    wanted = {m.id for m in extracted if m.id}
    have = {m.id: m for m in catalog if m.id}
    assert sorted(map(str, wanted - set(have))) == []
    untranslated = [
        m.id
        for m in have.values()
        if m.fuzzy or not (all(m.string) if isinstance(m.string, tuple) else m.string)
    ]
    assert untranslated == []
    assert sorted(map(str, set(have) - wanted)) == []
    assert [(m.id, [str(e) for e in errors]) for m, errors in catalog.check()] == []


def test_every_page_language_has_a_catalog():
    """The core's list of page languages is the catalogs': English is the source."""
    assert SUPPORTED == PAGE_LANGUAGES and SUPPORTED[0] == "en"
    for code in SUPPORTED[1:]:
        assert catalog_path(code).is_file()
    with pytest.raises(ValueError, match="en, es"):
        translations("fr")


def test_spanish_messages_and_plurals():
    """Messages fill their values by name; plurals follow the language's rule."""
    es = language("es")
    assert es.gettext("Call %(phone)s", phone="(718) 555-0155") == "Llamar al (718) 555-0155"
    assert es.ngettext("%(num)s box", "%(num)s boxes", 1) == "1 caja"
    assert es.ngettext("%(num)s box", "%(num)s boxes", 3) == "3 cajas"
    assert es.ngettext("%(num)s box", "%(num)s boxes", 0) == "0 cajas"
    en = language("en")
    assert en.ngettext("%(num)s stop", "%(num)s stops", 1) == "1 stop"
    assert en.gettext("Call %(phone)s", phone="1") == "Call 1"


def test_numbers_times_and_dates_per_language_and_area():
    """English writes 1,234.5 and 09:13; Spanish 1.234,5 and 9:13; Spanish in the United
    States writes numbers as the US does; a day is said in words in each language."""
    en, es, es_us = language("en"), language("es"), language("es", "US")
    assert (en.decimal(1234.5), es.decimal(1234.5), es_us.decimal(1234.5)) == (
        "1,234.5",
        "1.234,5",
        "1,234.5",
    )
    assert (en.time(33180), es.time(33180)) == ("09:13", "9:13")
    assert en.time(24 * 3600 + 900) == "24:15"  # a route past midnight keeps counting
    window = TimeWindow(9 * 3600, 11 * 3600)
    assert (en.window(window), es.window(window)) == ("09:00-11:00", "9:00-11:00")
    assert en.date("2026-11-28") == "Saturday, November 28, 2026"
    assert es.date("2026-11-28") == "sábado, 28 de noviembre de 2026"
    assert es.date("2026-11-28", "MMMMEEEEd") == "sáb, 28 de noviembre"
    assert (es.date(None), es.date("next week")) == ("", "next week")
    assert es.date(dt.date(2026, 11, 28)) == es.date("2026-11-28")
    assert language("fr") is language("en")  # no pages in French: English
    assert language("en", "MX").locale == language("en").locale  # no such pair in CLDR


@pytest.mark.parametrize(
    ("cell", "english", "spanish"),
    [
        ("before noon", "before 12:00", "antes de 12:00"),
        ("until 2pm", "before 14:00", "antes de 14:00"),
        ("after 11", "after 11:00", "después de 11:00"),
        ("después de las 3pm", "after 15:00", "después de 15:00"),
        ("10-12", "10:00-12:00", "10:00-12:00"),
    ],
)
def test_a_window_open_at_one_end_reads_as_the_spreadsheet_said_it(cell, english, spanish):
    """A driver reads "before 12:00", not "00:00-12:00" (a window from midnight), for a
    household that wrote "before noon"; "after 11:00", not "11:00-24:00"."""
    from routing.intake.cells import parse_windows

    (window,) = parse_windows(cell)
    assert (language("en").window(window), language("es").window(window)) == (english, spanish)


def test_language_names_in_the_page_language():
    """Households' languages are named in the reader's language (CLDR)."""
    es = language("es")
    assert (language_name("bn"), language_name("bn", es)) == ("Bengali", "bengalí")
    assert language_name("ht", es) == "criollo haitiano"
    assert language_name("es-MX", es) == "español (México)"
    assert language_name("tigrinya", es) == "Tigrinya"


def test_reasons_and_statuses_in_spanish():
    """A reason's sentence is translated; the solver's own sentence (with its figures) gives
    way to its reason's translation and is kept, in English, as the detail."""
    es = language("es")
    assert reason_text("address_not_found", lang=es) == "No se pudo ubicar la dirección en el mapa"
    own = "the cars are full: 40 boxes to deliver, 30 boxes of room in all cars (10 short)"
    assert reason_text("capacity", own, es).startswith("Los carros están llenos")
    assert reason_detail("capacity", own, es) == own[:1].upper() + own[1:]
    assert reason_detail("capacity", own) == ""  # English says it all already
    assert reason_detail("address_not_found", lang=es) == ""
    said = [status_text(s, es) for s in STATUSES]
    assert said == ["Pendiente", "Entregado", "No había nadie", "Rechazado"]
    assert status_text("lost", es) == "lost"


@pytest.mark.parametrize(
    ("header", "chosen"),
    [
        ("es-MX,es;q=0.9,en;q=0.8", "es"),
        ("en-US,en;q=0.9,es;q=0.8", "en"),
        ("fr-CA,fr;q=0.9,es;q=0.5", "es"),
        ("es;q=0.2, en;q=0.9", "en"),
        ("es;q=0", "en"),
        ("de, *;q=0.1", "en"),
        ("ES-us", "es"),
        ("", "en"),
        (None, "en"),
        ("es;q=banana, en", "en"),
        (",;;,=q" * 500, "en"),
    ],
)
def test_negotiate_reads_accept_language(header, chosen):
    """The browser's languages by preference (q-values), the first aidroute writes; English
    when none is, or the header is missing or garbled."""
    assert negotiate(header) == chosen


def test_default_language_from_the_environment():
    """AIDROUTE_LANGUAGE first, then the POSIX variables; a desktop in another language
    gets English; AIDROUTE_LANGUAGE set to a language aidroute does not write is an error
    naming it."""
    assert default_language({}) == "en"
    assert default_language({"LANG": "es_MX.UTF-8"}) == "es"
    assert default_language({"LANGUAGE": "fr:es", "LANG": "fr_FR.UTF-8"}) == "es"
    assert default_language({"LANG": "C.UTF-8"}) == "en"
    assert default_language({"AIDROUTE_LANGUAGE": "en", "LANG": "es_ES.UTF-8"}) == "en"
    assert default_language({"AIDROUTE_LANGUAGE": "es-MX"}) == "es"
    with pytest.raises(InputError) as e:
        default_language({"AIDROUTE_LANGUAGE": "fr"})
    (p,) = e.value.problems
    assert (p.field, p.value) == ("AIDROUTE_LANGUAGE", "fr") and "en, es" in p.reason


def test_template_environment_translates_and_escapes():
    """A template's `_()` and `{% trans %}` speak the environment's language; the values they
    carry are escaped, the translation's own text is not."""
    loader = jinja2.DictLoader(
        {
            "t.html": '<html lang="{{ lang.code }}"><p>{{ _("Call %(phone)s", phone=x) }}</p>'
            "<p>{% trans n=n %}{{ n }} stop{% pluralize %}{{ n }} stops{% endtrans %}</p>"
            "<p>{{ lang.decimal(2.5) }} km</p>"
        }
    )
    page = (
        environment("es", loader)
        .get_template("t.html")
        .render(lang=language("es"), x="<script>", n=2)
    )
    assert page.startswith('<html lang="es">')
    assert "<p>Llamar al &lt;script&gt;</p>" in page
    assert "<p>2,5 km</p>" in page
    # {% trans %} messages are looked up as written: an untranslated one stays English.
    assert "<p>2 stops</p>" in page


def test_catalog_loads_from_the_po_file_without_a_compiled_copy():
    """The Spanish catalog is read from its .po file: no .mo is kept in the package."""
    assert not list((ROOT / "maps" / "locale").rglob("*.mo"))
    with catalog_path("es").open("rb") as f:
        po = read_po(io.BytesIO(f.read()), locale="es")
    assert translations("es").gettext("Navigate") == po["Navigate"].string == "Cómo llegar"
