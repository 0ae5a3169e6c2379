"""The PDF manifest laid out with reportlab (see :func:`maps.manifest.manifest_pdf`).

reportlab takes a good part of a second to import: this module is imported when a PDF is
asked for, never when ``maps`` is.
"""

from __future__ import annotations

import functools
import io
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from reportlab import rl_config
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing, Group
from reportlab.lib import colors
from reportlab.lib.pagesizes import landscape, letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

try:  # Right-to-left names in PDFs (HTML needs neither: browsers do bidi themselves).
    import arabic_reshaper
except ImportError:  # pragma: no cover - optional
    arabic_reshaper = None
try:
    from bidi import get_display  # python-bidi >= 0.5
except ImportError:  # pragma: no cover - older python-bidi, or none
    try:
        from bidi.algorithm import get_display
    except ImportError:
        get_display = None

from maps._render import Briefing, StopRow
from maps._sections import COLUMNS, CREDIT, Section, page_of
from maps.i18n import Language
from routing.model import Plan

_FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))


def _fonts() -> tuple[str, str]:
    """Register a Unicode TTF pair (DejaVu Sans where installed, else reportlab's Vera)."""
    if "aid-regular" in pdfmetrics.getRegisteredFontNames():
        return "aid-regular", "aid-bold"
    for folder in _FONT_DIRS:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.exists() and bold.exists():
            break
    else:
        fonts = Path(rl_config.__file__).resolve().parent / "fonts"
        regular, bold = fonts / "Vera.ttf", fonts / "VeraBd.ttf"
    pdfmetrics.registerFont(TTFont("aid-regular", str(regular)))
    pdfmetrics.registerFont(TTFont("aid-bold", str(bold)))
    return "aid-regular", "aid-bold"


_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
MISSING_GLYPH = "\u25a1"  # WHITE SQUARE, in DejaVu Sans


def _pdf_text(text: str, font: str) -> str:
    """Prepare text for a PDF line: right-to-left scripts in visual order (Arabic shaped),
    characters the font cannot draw (emoji, CJK with DejaVu) as a white square."""
    if _RTL.search(text) and get_display is not None:
        text = get_display(arabic_reshaper.reshape(text) if arabic_reshaper else text)
    face = pdfmetrics.getFont(font).face
    cmap = face.charToGlyph
    return "".join(ch if ord(ch) in cmap or ch in "\n\t" else MISSING_GLYPH for ch in text)


#: Type sizes of the PDF, in points: large enough to read in a car.
_BODY_PT, _SMALL_PT = 11.5, 10.0
_PAD = 4  # cell padding, points


def manifest_document(plan: Plan, sections: Sequence[Section], lang: Language) -> bytes:
    """The PDF of ``sections`` (see :func:`maps.manifest.manifest_pdf`), in ``lang`` where
    no section says otherwise."""
    regular, bold = _fonts()
    body = ParagraphStyle("body", fontName=regular, fontSize=_BODY_PT, leading=14)
    small = ParagraphStyle("small", parent=body, fontSize=_SMALL_PT, leading=12)
    title = ParagraphStyle("title", parent=body, fontName=bold, fontSize=18, leading=22)

    def p(text: object, style: ParagraphStyle = body) -> Paragraph:
        # Paragraph parses a markup of its own (<b>, <img>, <a>...): escape every input text.
        lines = text if isinstance(text, list) else [text]
        font = style.fontName
        return Paragraph("<br/>".join(xml_escape(_pdf_text(str(x), font)) for x in lines), style)

    page_w, page_h = landscape(letter)
    margin = 12 * mm
    width = page_w - 2 * margin
    story: list[Flowable] = []
    for k, s in enumerate(sections):
        if k:
            story.append(PageBreak())
        story.append(_SectionMarker(_pdf_text(s.driver.name, regular), s.lang))
        story += _pdf_header(plan, s, width, p, title, small)
        story.append(_pdf_table(s, width, regular, bold))
    if not sections:
        story.append(p(lang.gettext("No routes in this plan."), title))

    buf = io.BytesIO()
    doc = BaseDocTemplate(
        buf,
        pagesize=(page_w, page_h),
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=14 * mm,
        title=" ".join(x for x in (lang.gettext("Manifest"), plan.problem.date) if x),
        author="aidroute",
        lang=lang.code,
    )
    frame = Frame(margin, 14 * mm, width, page_h - margin - 14 * mm, id="body")
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    doc.build(story, canvasmaker=_footed_canvas(regular, margin, page_w, lang))
    return buf.getvalue()


def _pdf_header(
    plan: Plan,
    s: Section,
    width: float,
    p: Any,
    title: ParagraphStyle,
    small: ParagraphStyle,
) -> list[Flowable]:
    """Driver, pickup, totals, what every driver is told, and the QR code of their page."""
    f, lang = s.summary, s.lang
    when = f"{lang.date(plan.problem.date)} · " if plan.problem.date else ""
    load = f"{s.hub.name} ({s.hub.address})" if s.hub.address else s.hub.name
    b = s.brief
    figures = (
        lang.ngettext("%(num)s stop", "%(num)s stops", f["stops"]),
        lang.ngettext("%(num)s box", "%(num)s boxes", f["boxes"]),
        lang.gettext("%(km)s km", km=lang.decimal(f["km"])),
        lang.gettext(
            "about %(minutes)s min, back by %(time)s",
            minutes=lang.number(f["minutes"]),
            time=f["end"],
        ),
    )
    info: list[Any] = [
        Paragraph(xml_escape(_pdf_text(s.driver.name, title.fontName)), title),
        p(when + lang.gettext("Load at %(hub)s at %(time)s", hub=load, time=f["depart"])),
        p(" · ".join(figures)),
    ]
    info += [p(f"{label} {text}") for label, text in _brief_lines(b, lang)]
    if s.url:
        qr = _QrCode(s.url)
        x0, y0, x1, y1 = qr.getBounds()
        size = 28 * mm
        drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
        drawing.add(qr)
        table = Table(
            [[info, [drawing, p(lang.gettext("Driver page"), small)]]],
            colWidths=[width - 34 * mm, 34 * mm],
        )
    else:
        table = Table([[info]], colWidths=[width])
    table.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    )
    return [table, Spacer(1, 4 * mm)]


def _brief_lines(b: Briefing, lang: Language) -> list[tuple[str, str]]:
    """The instructions a manifest prints under its header, as (label, text)."""
    lines = []
    if b.pickup:
        lines.append((lang.gettext("Pickup:"), b.pickup))
    if b.nobody_home:
        lines.append((lang.gettext("If nobody is home:"), b.nobody_home))
    if b.dispatcher_phone:
        lines.append((lang.gettext("Questions? Call the dispatcher:"), b.dispatcher_phone))
    return lines


def _cells(r: StopRow, lang: Language) -> list[list[str]]:
    """The lines of each cell of a stop's row (before layout), in :data:`COLUMNS` order."""
    notes = [r.stop.notes] if r.stop.notes else []
    if r.language:
        notes.append(lang.gettext("Language: %(language)s", language=r.language))
    if r.placement:
        notes.append(f"≈ {r.placement}")
    windows = [f"({w})" for w in r.window.split(", ")] if r.window else []
    return [
        [],
        [str(r.number)],
        [r.arrival, *windows],
        [r.name],
        [r.full_address],
        [r.phone],
        [lang.number(r.stop.boxes)],
        notes,
    ]


def _pdf_table(s: Section, width: float, regular: str, bold: str) -> Table:
    """The stops in visit order: a row each, a header repeated on every page.

    Cells are plain text, wrapped here between words to their column's width: no time, phone
    number or word is ever split, and no markup of reportlab's is parsed (nor costs time).
    """
    fonts = [bold, bold, regular, regular, regular, regular, bold, regular]
    rows = [
        [[_pdf_text(x, fonts[c]) for x in cell] for c, cell in enumerate(_cells(r, s.lang))]
        for r in s.rows
    ]
    heads = [_pdf_text(s.lang.gettext(h), bold) if h else "" for h, _ in COLUMNS]
    widths, sizes = _column_widths(rows, fonts, width, heads)
    words = [c for c, (_, kind) in enumerate(COLUMNS) if kind == "words"]
    data: list[list[Any]] = [heads]
    for cells in rows:
        line: list[Any] = [_CheckBox()]
        for c, lines in enumerate(cells[1:], 1):
            if c in words:
                inner = widths[c] - 2 * _PAD
                lines = [w for x in lines for w in simpleSplit(x, fonts[c], sizes[c], inner)]
            line.append("\n".join(lines))
        data.append(line)
    # A row taller than a page (a long note) goes on over the next one.
    table = Table(data, colWidths=widths, repeatRows=1, splitInRow=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, 0), bold, _BODY_PT, 14),
                ("FONT", (1, 1), (-1, -1), regular, _BODY_PT, 14),
                ("FONT", (1, 1), (1, -1), bold, _BODY_PT, 14),
                ("FONT", (6, 1), (6, -1), bold, _BODY_PT, 14),
                *(("FONT", (c, 1), (c, -1), regular, sizes[c], sizes[c] * 1.22) for c in words),
                ("ALIGN", (1, 1), (1, -1), "CENTER"),
                ("ALIGN", (6, 0), (6, -1), "CENTER"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.grey),
                ("LINEBELOW", (0, 0), (-1, 0), 1.2, colors.black),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f6f6f6")]),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
                ("LEFTPADDING", (0, 0), (-1, -1), _PAD),
                ("RIGHTPADDING", (0, 0), (-1, -1), _PAD),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    return table


def _column_widths(
    rows: list[list[list[str]]], fonts: list[str], width: float, heads: list[str]
) -> tuple[list[float], list[float]]:
    """Widths of the table's columns, and the type size of each, as a browser lays out a table.

    A "fixed" column is as wide as its longest line (a time, a window, a phone number). A
    "words" column gets at least its longest word and at most its longest line; the room
    left is shared in proportion to what each would still take. When even the longest words
    do not fit, the "words" columns are set smaller.
    """
    pad = 2 * _PAD + 1
    sizes = [_BODY_PT] * len(COLUMNS)
    least: list[float] = []
    most: list[float] = []
    for c, (head, kind) in enumerate(zip(heads, (k for _, k in COLUMNS), strict=True)):
        if c == 0:
            least.append(5 * mm + pad)
            most.append(5 * mm + pad)
            continue
        lines = [x for cells in rows for x in cells[c]]
        head_w = stringWidth(head, fonts[c], _BODY_PT)
        longest = max((stringWidth(x, fonts[c], _BODY_PT) for x in lines), default=0)
        if kind == "fixed":
            least.append(max(longest, head_w) + pad)
        else:
            words = [w for x in lines for w in x.split()]
            word = max((stringWidth(w, fonts[c], _BODY_PT) for w in words), default=0)
            least.append(max(word, head_w, 12 * mm) + pad)
        most.append(max(longest + pad, least[-1]))
    flexible = [c for c, (_, kind) in enumerate(COLUMNS) if kind == "words"]
    free = width - sum(least)
    if free < 0:
        # Long words: shrink the wrapping columns' type until their longest words fit.
        room = width - sum(w for c, w in enumerate(least) if c not in flexible)
        want = sum(least[c] - pad for c in flexible)
        scale = max(0.5, (room - pad * len(flexible)) / want)
        for c in flexible:
            sizes[c] = _BODY_PT * scale
            least[c] = (least[c] - pad) * scale + pad
            most[c] = least[c]
        free = max(0.0, width - sum(least))
    grow = sum(most[c] - least[c] for c in flexible)
    widths = list(least)
    for c in flexible:
        widths[c] = most[c] if grow <= free else least[c] + free * (most[c] - least[c]) / grow
    widths[flexible[-1]] += width - sum(widths)  # room to spare goes to the notes
    return widths, sizes


class _SectionMarker(Flowable):  # type: ignore[misc]
    """A zero-size flowable that tells the page footer whose manifest this page belongs to."""

    def __init__(self, driver_name: str, lang: Language):
        super().__init__()
        self.driver_name = driver_name
        self.lang = lang

    def wrap(self, *_: object) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        canvas = self.canv
        previous = getattr(canvas, "aid_section", (-1, "", self.lang))[0]
        canvas.aid_section = (previous + 1, self.driver_name, self.lang)


def _footed_canvas(font: str, margin: float, page_w: float, lang: Language) -> type[Canvas]:
    """A canvas that holds its pages until the document ends, then writes each page's
    footer: the driver's name and "page k of n", counted within that driver's manifest and
    in their language (``lang`` before the first manifest)."""

    class FootedCanvas(Canvas):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any):
            super().__init__(*args, **kwargs)
            self._held: list[tuple[dict[str, Any], tuple[int, str, Language]]] = []

        def showPage(self) -> None:  # noqa: N802 - reportlab's name
            section = getattr(self, "aid_section", (0, "", lang))
            self._held.append((dict(self.__dict__), section))
            self._startPage()

        def save(self) -> None:
            totals = Counter(section for _, (section, _name, _lang) in self._held)
            seen: Counter[int] = Counter()
            for state, (section, name, said) in self._held:
                self.__dict__.update(state)
                seen[section] += 1
                self.setFont(font, 9)
                who = f"{name} · " if name else ""
                page = page_of(said, said.number(seen[section]), said.number(totals[section]))
                self.drawString(margin, 7 * mm, _pdf_text(who + page, font))
                credit = _pdf_text(said.gettext(CREDIT), font)
                self.drawRightString(page_w - margin, 7 * mm, credit)
                Canvas.showPage(self)
            Canvas.save(self)

    return FootedCanvas


class _CheckBox(Flowable):  # type: ignore[misc]
    """An empty square to tick by hand."""

    def wrap(self, *_: object) -> tuple[float, float]:
        return 5 * mm, 5 * mm

    def draw(self) -> None:
        self.canv.setLineWidth(1.2)
        self.canv.rect(0, 0, 5 * mm, 5 * mm)


class _QrCode(QrCodeWidget):  # type: ignore[misc]
    """reportlab's QR code (its default size and error correction), its squares made once
    per text: laying out a page and drawing it each ask for them, a plan's folder prints each
    driver's code twice, and encoding a code and making its squares is most of a PDF's cost."""

    def draw(self) -> Group:
        return _qr_squares(self.value)


@functools.lru_cache(maxsize=256)
def _qr_squares(text: str) -> Group:
    # A drawing's shapes are only read while it is drawn, so one group serves every page.
    return QrCodeWidget(text).draw()
