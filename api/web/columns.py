"""Which column is read as what: the web page's step between choosing a file and reading it.

The dispatcher drops a spreadsheet in; the page says what each field is read from ("we read
'Where do you live?' as the address") with a select per field to correct it, before any row
is read. The detection is the import's own (:func:`routing.intake.columns.read_mapped_table`:
known headers, Google Forms questions in English and Spanish, a workbook's instructions tab
skipped); what the dispatcher chooses goes to the import as its ``columns`` mapping, as
``--columns`` and ``POST /imports`` take it. The file stays in the browser's form between the
two steps: nothing is kept on the server until the rows are read.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from fastapi import UploadFile

from api.settings import Settings
from maps.i18n import N_, Language
from routing.errors import InputError, InputProblem
from routing.intake.columns import map_columns, read_mapped_table
from routing.intake.questions import DELIVERY_FIELDS, DRIVER_FIELDS
from routing.intake.tables import read_table

#: Every field the page can name, in words (translated where shown).
FIELD_LABELS: dict[str, str] = {
    "id": N_("Row id"),
    "name": N_("Name"),
    "first_name": N_("First name"),
    "last_name": N_("Last name"),
    "address": N_("Address"),
    "housenumber": N_("House number"),
    "unit": N_("Apartment"),
    "postcode": N_("Zip code"),
    "city": N_("City"),
    "phone": N_("Phone"),
    "boxes": N_("Boxes"),
    "window": N_("Delivery time"),
    "window_start": N_("From (time)"),
    "window_end": N_("Until (time)"),
    "notes": N_("Notes"),
    "language": N_("Language"),
    "driver": N_("Driver for this stop"),
    "lat": N_("Latitude"),
    "lon": N_("Longitude"),
    "email": N_("Email"),
    "service_min": N_("Minutes at the door"),
    "requires": N_("Needs"),
    "urgent": N_("Urgent"),
    "frozen": N_("Frozen bags"),
    "stairs": N_("Stairs"),
    "exclude_drivers": N_("Never send"),
    "capacity": N_("Car size (boxes)"),
    "home": N_("Home address"),
    "start": N_("Starts at"),
    "end": N_("Ends at"),
    "languages": N_("Languages spoken"),
    "page_language": N_("Page language"),
    "skills": N_("Skills"),
    "profile": N_("Vehicle"),
    "max_stops": N_("Most stops"),
    "capacity_frozen": N_("Cooler (frozen bags)"),
    "max_minutes": N_("Longest route (minutes)"),
    "max_km": N_("Longest route (km)"),
    "hub": N_("Hub"),
}
#: Where a roster's field means something else than a delivery list's.
ROSTER_LABELS: dict[str, str] = {"window": N_("Hours")}
#: The fields always offered, in this order; any other field is offered once it is read.
MAIN_FIELDS = {
    "deliveries": ("name", "address", "unit", "postcode", "phone", "boxes", "window", "notes",
                   "language"),
    "drivers": ("name", "phone", "capacity", "window", "home", "languages", "page_language"),
}  # fmt: skip
FIELDSETS = {"deliveries": DELIVERY_FIELDS, "drivers": DRIVER_FIELDS}


def field_label(fld: str, kind: str, lang: Language) -> str:
    """A field in words, as the spreadsheet of ``kind`` means it (a roster's "window" is
    the driver's hours, a delivery list's the delivery time)."""
    own = ROSTER_LABELS if kind == "drivers" else {}
    return lang.gettext(own.get(fld) or FIELD_LABELS[fld])


ALLOWED_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".ods")


@dataclass(frozen=True)
class FieldChoice:
    field: str
    label: str
    #: The header read as this field ("" for none).
    header: str
    #: Read from the words of a longer question: say so, it may be wrong.
    guessed: bool = False
    #: Headers read where this field's column is blank ("Home phone" for "Cell phone").
    spares: tuple[str, ...] = ()


@dataclass
class ColumnsView:
    """What the column step shows: the headers, each field's column, what is not read."""

    kind: str
    filename: str
    headers: list[str]
    choices: list[FieldChoice]
    more: list[FieldChoice]
    sheet: str = ""
    #: Headers nothing reads, with why (the import's own note, English).
    ignored: list[str] = field(default_factory=list)
    #: Why the file cannot be read yet (a required column not found), in words.
    error: str = ""


def read_upload(file: UploadFile | None, settings: Settings, lang: Language) -> tuple[bytes, str]:
    """The uploaded file's bytes and name; InputError (in words) for none, an unknown kind
    of file or one over the size limit."""
    name = (file.filename or "").strip() if file is not None else ""
    if not name:
        raise InputError(InputProblem("file", "", lang.gettext("Choose a file first.")))
    assert file is not None
    if not name.lower().endswith(ALLOWED_SUFFIXES):
        reason = lang.gettext(
            "Choose a spreadsheet: a .csv, .xlsx or .ods file (Excel, Google Sheets, LibreOffice)."
        )
        raise InputError(InputProblem("file", name, reason))
    limit = settings.max_upload_bytes
    data = file.file.read(limit + 1)
    if len(data) > limit:
        reason = lang.gettext(
            "The file is larger than %(size)s MB: split it or remove columns.",
            size=f"{limit / 1e6:.1f}",
        )
        raise InputError(InputProblem("file", name, reason))
    return data, name


def columns_view(data: bytes, filename: str, kind: str, lang: Language) -> ColumnsView:
    """The columns the import would read, for the dispatcher to confirm or correct.

    Raises InputError when the file cannot be read at all (empty, not a spreadsheet)."""
    fields = FIELDSETS[kind]
    error = ""
    try:
        mapped = read_mapped_table(data, filename, None, None, fields)
        table, match = mapped.table, mapped.match
    except InputError as e:
        table = read_table(data, filename=filename)  # raises when nothing can be read
        match = map_columns(table.headers, fields)
        missing = fields.required(match.cols) or "address"
        error = lang.gettext(
            "No column was recognised as %(field)s: choose it below.",
            field=field_label(missing, kind, lang).lower(),
        )
        if not table.headers or not any(table.headers):
            raise e
    by_field = {f: table.headers[i] for f, i in match.cols.items()}
    spares = {
        f: tuple(table.headers[i] for i in cols) for f, cols in match.spares(table.headers).items()
    }
    main = MAIN_FIELDS[kind]
    choices = [_choice(f, kind, by_field, match.guessed, lang, spares) for f in main]
    more = [
        _choice(f, kind, by_field, match.guessed, lang, spares)
        for f in fields.aliases
        if f not in main
    ]
    used = set(by_field.values()).union(*spares.values())
    return ColumnsView(
        kind=kind,
        filename=filename,
        headers=[h for h in table.headers if h],
        choices=choices,
        more=more,
        sheet=table.sheet,
        ignored=[h for h in table.headers if h and h not in used],
        error=error,
    )


def _choice(
    fld: str,
    kind: str,
    by_field: Mapping[str, str],
    guessed: Any,
    lang: Language,
    spares: Mapping[str, tuple[str, ...]],
) -> FieldChoice:
    label = field_label(fld, kind, lang)
    return FieldChoice(fld, label, by_field.get(fld, ""), fld in guessed, spares.get(fld, ()))


def mapping_from_form(pairs: list[str], kind: str, lang: Language) -> dict[str, str]:
    """field -> header as the dispatcher chose them (each select sends ``field=Header``,
    ``field=`` for none); InputError when one header is chosen for two fields, naming both."""
    fields = FIELDSETS[kind]
    out: dict[str, str] = {}
    for pair in pairs:
        fld, _, header = pair.partition("=")
        if fld in fields.aliases and header.strip():
            out[fld] = header.strip()
    seen: dict[str, str] = {}
    problems = []
    for fld, header in out.items():
        if header in seen:
            reason = lang.gettext(
                "The column '%(header)s' is chosen for both %(one)s and %(other)s: choose one.",
                header=header,
                one=field_label(seen[header], kind, lang),
                other=field_label(fld, kind, lang),
            )
            problems.append(InputProblem(fld, header, reason))
        seen[header] = fld
    if problems:
        raise InputError(problems)
    return out
