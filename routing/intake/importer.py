"""Read the spreadsheets groups really keep: delivery lists and driver rosters.

:func:`import_deliveries` and :func:`import_drivers` take a CSV/TSV (UTF-8 with or
without BOM, UTF-16 with BOM, or Windows-1252/Latin-1, detected) or an Excel ``.xlsx``
file (first sheet, or ``sheet=``), recognise the columns from common English and Spanish
headers (or an explicit ``columns={"address": "Where do you live?"}`` mapping), read
values as people write them ("2 bags", "10am-12pm", "after 3pm", "Apt 3B" inside the
address) and place each address with a :class:`~routing.geocoding.offline.Geocoder`.

Optional constraint columns (English and Spanish headers; see :data:`DELIVERY_ALIASES`
and :data:`DRIVER_ALIASES` for every spelling):

- deliveries: ``frozen`` (frozen/cold bags, read like boxes: ``"2"``, ``"2 bags"``) ->
  ``Stop.frozen``; ``stairs`` (yes/no: ``"Stairs"``, ``"No elevator"``, ``"Walk-up"``,
  ``"Escaleras"``, ``"Sin ascensor"``); ``exclude_drivers`` (``"Not driver"``,
  ``"Never send"``, ``"No enviar a"``: names or ids separated by ``,`` ``;`` ``/``, kept
  as written) -> ``Stop.exclude_drivers``;
- roster: ``capacity_frozen`` (``"Cooler bags"``, ``"Frozen capacity"``) ->
  ``Driver.capacity_frozen``; ``max_minutes`` (``"90"``, ``"90 min"``, ``"1.5 h"``,
  ``"1h30"``) -> ``Driver.max_route_s``; ``max_km`` (``"25"``, ``"25 km"``, ``"15 mi"``,
  miles converted) -> ``Driver.max_distance_m``; ``hub`` (``"Hub"``, ``"Pickup"``,
  ``"Recoger en"``) -> ``Driver.hub`` as written (the caller maps hub names to ids).

**Service time.** A service-minutes value given in a row always wins. When the row has
none (no such column, a blank cell, or a value that cannot be read), the stop's
``service_s`` is :data:`SERVICE_BASE_S` (3 min) + :data:`SERVICE_PER_BOX_S` (1 min) x
boxes + :data:`SERVICE_STAIRS_S` (5 min) when the ``stairs`` flag is set: 2 boxes take
5 minutes, 2 boxes up the stairs 10 (see :func:`service_time_s`).

**Nothing is lost.** Every non-blank row becomes a :class:`~routing.model.Stop` (kept
with ``location=None`` when its address cannot be placed) or, when even that is
impossible (a box count that cannot be guessed: ``"-3"``, ``"1e9"``), appears in
``problems`` with severity ``error``. Blank rows are counted in
``blank_rows``, not reported. A file that cannot be read at all (empty, binary, no
address column) raises :class:`~routing.errors.InputError`.

The JSON report (``DeliveryImport.to_dict()``, printed by ``aidroute import check
--json`` and answered by ``POST /imports``)::

    {
      "kind": "deliveries",                  # or "drivers"
      "summary": {"rows": 122,               # non-blank rows read
                  "placed": 118,             # rows with a location on the map
                  "warnings": 7,             # rows whose worst problem is a warning
                  "errors": 4,               # rows that cannot be planned as given
                  "blank_rows": 2},
      "columns": {"address": "Address", "unit": "Apt", ...},   # field -> header used
      "ignored_columns": ["Timestamp"],      # headers not used
      "rows": [
        {"row": 2,                           # spreadsheet row, header = row 1
         "id": "2",                          # the id column, else the row number
         "status": "ok",                     # "ok" | "warning" | "error"
         "precision": "exact",               # "given" | "exact" | "interpolated" | "street"
                                             # | "not_found" | "outside_area" | ""
         "score": 1.0,                       # geocoding score 0-1, null when not geocoded
         "matched": "98-20 218th Street, 11429",
         "lat": 40.71, "lon": -73.73,        # null when not placed
         "suggestion": "",                   # what to do when the row needs a person
         "problems": [{"field": "Boxes", "value": "lots", "reason": "...",
                       "row": 2, "severity": "warning"}]},
        ...
      ],
      "problems": [...]                      # every problem, in row order (as in "rows")
    }

Problem ``field`` is the column header as written in the file (``"Delivery window"``),
or the field name when the problem concerns a column that is absent.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from routing.errors import InputError, InputProblem, Severity
from routing.geocoding.normalize import fold, housenumber_key, split_unit, street_key
from routing.geocoding.offline import Geocoder, GeocodeResult
from routing.model import DAY_S, Driver, LatLon, Stop, TimeWindow

Status = Literal["ok", "warning", "error"]

#: Files larger than this are refused (a delivery list is kilobytes).
MAX_FILE_BYTES = 20 * 1024 * 1024
#: More rows than this are refused: a sheet this long is not a week's deliveries.
MAX_ROWS = 20_000

# --- column recognition ------------------------------------------------------------------

#: field -> header spellings (folded: lower case, no accents, punctuation as spaces).
DELIVERY_ALIASES: dict[str, tuple[str, ...]] = {
    "id": (
        "id",
        "stop id",
        "delivery id",
        "ref",
        "reference",
        "no",
        "number",
        "num",
        "household id",
        "client id",
        "order id",
        "order",
    ),
    "name": (
        "name",
        "full name",
        "recipient",
        "recipient name",
        "client",
        "client name",
        "household",
        "contact",
        "contact name",
        "nombre",
        "nombre completo",
        "destinatario",
        "your name",
        "household name",
    ),
    "first_name": ("first name", "firstname", "given name", "first", "nombre de pila"),
    "last_name": (
        "last name",
        "lastname",
        "surname",
        "family name",
        "last",
        "apellido",
        "apellidos",
    ),
    "address": (
        "address",
        "street address",
        "street",
        "address line 1",
        "address 1",
        "delivery address",
        "home address",
        "addr",
        "direccion",
        "domicilio",
        "calle",
        "direccion de entrega",
        "location address",
        "full address",
    ),
    "housenumber": (
        "house number",
        "house no",
        "house num",
        "street number",
        "street no",
        "building number",
        "numero",
        "numero exterior",
        "no exterior",
        "num ext",
        "hausnummer",
        "nr",
        "no ext",
    ),
    "unit": (
        "apt",
        "apt no",
        "apt number",
        "apartment",
        "unit",
        "unit no",
        "suite",
        "apt unit",
        "apt suite",
        "floor",
        "apartamento",
        "depto",
        "departamento",
        "interior",
        "address line 2",
        "address 2",
        "piso",
        "apto",
    ),
    "postcode": (
        "zip",
        "zip code",
        "zipcode",
        "postal code",
        "postcode",
        "post code",
        "codigo postal",
        "cp",
        "c p",
        "plz",
    ),
    "city": (
        "city",
        "town",
        "borough",
        "neighborhood",
        "neighbourhood",
        "ciudad",
        "colonia",
        "municipio",
        "localidad",
    ),
    "phone": (
        "phone",
        "phone number",
        "telephone",
        "tel",
        "mobile",
        "cell",
        "cell phone",
        "contact number",
        "telefono",
        "celular",
        "movil",
        "whatsapp",
    ),
    "boxes": (
        "boxes",
        "box",
        "bags",
        "bag",
        "qty",
        "quantity",
        "boxes needed",
        "cajas",
        "bolsas",
        "cantidad",
        "no of boxes",
        "number of boxes",
        "packages",
        "items",
        "parcels",
        "count",
    ),
    "window": (
        "window",
        "time window",
        "delivery window",
        "available",
        "availability",
        "time",
        "delivery time",
        "preferred time",
        "best time",
        "when",
        "horario",
        "hora",
        "disponibilidad",
        "hours",
        "time slot",
        "slot",
    ),
    "window_start": ("window start", "from", "start time", "earliest", "desde"),
    "window_end": ("window end", "to", "end time", "latest", "until", "hasta"),
    "notes": (
        "notes",
        "note",
        "comments",
        "comment",
        "instructions",
        "delivery notes",
        "delivery instructions",
        "notas",
        "comentarios",
        "instrucciones",
        "observaciones",
        "remarks",
        "dietary needs",
        "special instructions",
    ),
    "language": (
        "language",
        "languages",
        "lang",
        "idioma",
        "lengua",
        "preferred language",
        "language spoken",
        "idiomas",
    ),
    "driver": (
        "driver",
        "volunteer",
        "assigned driver",
        "assigned to",
        "conductor",
        "chofer",
        "voluntario",
    ),
    "lat": ("lat", "latitude", "latitud", "y"),
    "lon": ("lon", "lng", "long", "longitude", "longitud", "x"),
    # Recognised so that "Email address" is never taken for the street address.
    "email": ("email", "email address", "e mail", "e mail address", "correo", "correo electronico"),
    "service_min": (
        "service min",
        "service minutes",
        "service time",
        "minutes at door",
        "stop minutes",
        "minutos",
    ),
    "requires": ("requires", "needs", "skills", "requirements", "necesita"),
    "urgent": ("urgent", "priority", "urgente", "prioridad"),
    # A second quantity, limited per car by the roster's frozen capacity.
    "frozen": (
        "frozen",
        "frozen bags",
        "frozen boxes",
        "frozen items",
        "cold bags",
        "cold",
        "cold items",
        "chilled",
        "freezer",
        "freezer bags",
        "congelados",
        "congelado",
        "bolsas congeladas",
        "refrigerados",
        "refrigerado",
        "frios",
    ),
    # Yes/no: more minutes at the door (see SERVICE_STAIRS_S).
    "stairs": (
        "stairs",
        "stairs only",
        "no elevator",
        "no lift",
        "walk up",
        "walkup",
        "walk up building",
        "escaleras",
        "escalera",
        "sin ascensor",
        "sin elevador",
    ),
    # Driver names or ids never to send here, separated by , ; /
    # (Not bare "Avoid" or "Exclude": such a column often lists foods, not drivers.)
    "exclude_drivers": (
        "not driver",
        "not drivers",
        "exclude driver",
        "exclude drivers",
        "excluded drivers",
        "avoid driver",
        "avoid drivers",
        "never send",
        "do not send",
        "don t send",
        "dont send",
        "not with",
        "no enviar a",
        "no enviar",
        "excluir conductor",
        "evitar conductor",
    ),
}

DRIVER_ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "driver id", "volunteer id"),
    "name": (
        "name",
        "driver",
        "driver name",
        "volunteer",
        "volunteer name",
        "full name",
        "nombre",
        "conductor",
        "voluntario",
        "chofer",
        "your name",
    ),
    "first_name": DELIVERY_ALIASES["first_name"],
    "last_name": DELIVERY_ALIASES["last_name"],
    "phone": DELIVERY_ALIASES["phone"],
    "capacity": (
        "capacity",
        "capacity boxes",
        "boxes",
        "max boxes",
        "how many boxes",
        "car capacity",
        "capacidad",
        "cajas",
        "bags",
        "max bags",
        "qty",
        "space",
    ),
    "window": (
        "available",
        "availability",
        "window",
        "hours",
        "shift",
        "time",
        "when",
        "horario",
        "disponibilidad",
        "available window",
        "time window",
    ),
    "window_start": ("start time", "from", "available from", "shift start", "desde"),
    "window_end": ("end time", "to", "available until", "until", "shift end", "hasta"),
    "home": (
        "home",
        "home address",
        "start address",
        "address",
        "starting address",
        "direccion",
        "domicilio",
        "from address",
        "start location",
    ),
    "start": (
        "start",
        "start at",
        "starts at",
        "start from",
        "starts from",
        "start place",
        "begin at",
        "empieza en",
    ),
    "end": (
        "end",
        "end at",
        "ends at",
        "finish",
        "end place",
        "return to",
        "end location",
        "termina",
        "fin",
    ),
    "languages": ("languages", "language", "languages spoken", "idiomas", "idioma", "speaks"),
    "skills": ("skills", "can do", "notes", "vehicle notes", "habilidades"),
    "profile": (
        "profile",
        "vehicle",
        "mode",
        "travel mode",
        "transport",
        "vehiculo",
        "transporte",
        "car type",
        "vehicle type",
    ),
    "max_stops": (
        "max stops",
        "maximum stops",
        "stops max",
        "max deliveries",
        "maximo de paradas",
        "paradas maximas",
    ),
    # Frozen bags the car can keep cold; a blank cell in this column is 0.
    "capacity_frozen": (
        "frozen capacity",
        "capacity frozen",
        "cooler",
        "coolers",
        "cooler bags",
        "cooler capacity",
        "freezer bags",
        "freezer",
        "frozen bags",
        "cold bags",
        "max frozen",
        "max frozen bags",
        "capacidad congelados",
        "capacidad de congelados",
        "congelados",
        "hielera",
        "neveras",
    ),
    # Longest route, in minutes unless the header or the value says hours.
    "max_minutes": (
        "max minutes",
        "max route minutes",
        "max route min",
        "max min",
        "max time",
        "max route time",
        "maximum minutes",
        "maximum time",
        "max drive time",
        "max driving time",
        "max hours",
        "maximum hours",
        "max route hours",
        "tiempo maximo",
        "minutos maximos",
        "maximo minutos",
        "horas maximas",
    ),
    # Longest route, in km unless the header or the value says miles.
    "max_km": (
        "max km",
        "max distance",
        "maximum km",
        "maximum distance",
        "max kms",
        "max distance km",
        "max kilometers",
        "max kilometres",
        "max miles",
        "maximum miles",
        "max distance miles",
        "max mi",
        "distancia maxima",
        "km maximos",
        "maximo km",
    ),
    # Hub name or id as written; the caller maps names to hub ids.
    "hub": (
        "hub",
        "hub id",
        "hub name",
        "pickup",
        "pick up",
        "pickup at",
        "pick up at",
        "pickup location",
        "pickup site",
        "pantry",
        "load at",
        "loads at",
        "loading at",
        "recoger en",
        "recoge en",
        "recogida",
        "punto de recogida",
    ),
    "postcode": DELIVERY_ALIASES["postcode"],
    "lat": ("home lat", "lat", "latitude"),
    "lon": ("home lon", "lon", "lng", "longitude"),
    "email": DELIVERY_ALIASES["email"],
}

# Words that, inside a long Google-Forms question, point at a field.
_DELIVERY_KEYWORDS: tuple[tuple[str, str], ...] = (
    ("frozen", "frozen"),
    ("congelados", "frozen"),
    ("refrigerados", "frozen"),
    ("stairs", "stairs"),
    ("walk up", "stairs"),
    ("escaleras", "stairs"),
    ("email", "email"),
    ("e mail", "email"),
    ("correo", "email"),
    ("zip", "postcode"),
    ("postal", "postcode"),
    ("apartment", "unit"),
    ("apt", "unit"),
    ("unit", "unit"),
    ("address", "address"),
    ("direccion", "address"),
    ("phone", "phone"),
    ("telefono", "phone"),
    ("boxes", "boxes"),
    ("bags", "boxes"),
    ("how many", "boxes"),
    ("cajas", "boxes"),
    ("language", "language"),
    ("idioma", "language"),
    ("window", "window"),
    ("what time", "window"),
    ("when", "window"),
    ("horario", "window"),
    ("available", "window"),
    ("notes", "notes"),
    ("anything else", "notes"),
    ("instructions", "notes"),
    ("comments", "notes"),
    ("first name", "first_name"),
    ("last name", "last_name"),
    ("name", "name"),
    ("nombre", "name"),
)
_DRIVER_KEYWORDS: tuple[tuple[str, str], ...] = (
    ("frozen", "capacity_frozen"),
    ("cooler", "capacity_frozen"),
    ("congelados", "capacity_frozen"),
    ("email", "email"),
    ("e mail", "email"),
    ("how many boxes", "capacity"),
    ("capacity", "capacity"),
    ("boxes", "capacity"),
    ("phone", "phone"),
    ("language", "languages"),
    ("available", "window"),
    ("what time", "window"),
    ("hours", "window"),
    ("home", "home"),
    ("address", "home"),
    ("end", "end"),
    ("finish", "end"),
    ("vehicle", "profile"),
    ("first name", "first_name"),
    ("last name", "last_name"),
    ("name", "name"),
)


def _fold_header(text: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", fold(text)).split())


def parse_column_mapping(pairs: Iterable[str], field: str = "--columns") -> dict[str, str]:
    """``['address="Where do you live?"', 'boxes=Bags']`` -> ``{"address": ..., "boxes": ...}``.

    Raises :class:`InputError` naming ``field`` and the malformed item.
    """
    out: dict[str, str] = {}
    for pair in pairs:
        fld, sep, header = pair.partition("=")
        if not sep or not fld.strip() or not header.strip():
            raise InputError(InputProblem(field, pair, 'expected FIELD="Header in file"'))
        out[fld.strip()] = header.strip().strip('"')
    return out


def map_columns(
    headers: Sequence[str],
    aliases: Mapping[str, Sequence[str]],
    keywords: Sequence[tuple[str, str]] = (),
    columns: Mapping[str, str] | None = None,
) -> dict[str, int]:
    """field -> column index, from the headers as written.

    ``columns`` (field -> header) wins; then exact aliases; then keywords inside long
    headers (Google Forms questions). A header is used for one field only. An unknown
    field or a header not in the file raises :class:`InputError` listing the headers.
    """
    folded = [_fold_header(h) for h in headers]
    out: dict[str, int] = {}
    problems: list[InputProblem] = []
    for fld, header in (columns or {}).items():
        if fld not in aliases:
            problems.append(
                InputProblem(
                    "columns",
                    f"{fld}={header}",
                    f"unknown field {fld!r}; fields: {', '.join(aliases)}",
                )
            )
            continue
        want = _fold_header(header)
        hits = [i for i, h in enumerate(folded) if h == want]
        if not hits:
            problems.append(
                InputProblem(
                    "columns",
                    f"{fld}={header}",
                    f"no column headed {header!r}; headers found: {_quote_all(headers)}",
                )
            )
            continue
        out[fld] = hits[0]
    if problems:
        raise InputError(problems)
    used = set(out.values())
    for fld, spellings in aliases.items():
        if fld in out:
            continue
        for i, h in enumerate(folded):
            if i not in used and h in spellings:
                out[fld] = i
                used.add(i)
                break
    for word, fld in keywords:
        if fld in out:
            continue
        for i, h in enumerate(folded):
            if i not in used and len(h) > len(word) and re.search(rf"\b{word}\b", h):
                out[fld] = i
                used.add(i)
                break
    return out


def _quote_all(headers: Sequence[str]) -> str:
    return ", ".join(repr(h) for h in headers) if headers else "(none)"


# --- reading files -----------------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    """A spreadsheet as text: headers and rows, each row with its spreadsheet row number."""

    headers: list[str]
    rows: list[tuple[int, list[str]]]
    #: "csv", "tsv" or "xlsx"; and the text encoding detected for CSV/TSV.
    format: str
    encoding: str = ""
    #: Spreadsheet row of the headers (1 unless title rows sit above them).
    header_row: int = 1
    #: Every record as read, for choosing another header row.
    records: list[list[str]] = field(default_factory=list, repr=False)
    name: str = ""

    def with_header_at(self, row: int) -> Table:
        """The same file read with its headers in spreadsheet row ``row``."""
        return _table_from_records(
            self.records, self.name, self.format, self.encoding, header_index=row - 1
        )


def read_table(
    source: Path | str | bytes, *, filename: str | None = None, sheet: str | None = None
) -> Table:
    """Read a CSV/TSV/XLSX file (path or bytes) into text cells.

    Raises :class:`InputError` for an empty, binary, oversized or unreadable file, an
    old ``.xls`` workbook, or an unknown sheet name.
    """
    if isinstance(source, bytes):
        data, name = source, filename or "upload"
    else:
        path = Path(source)
        name = filename or path.name
        try:
            size = path.stat().st_size
        except OSError as e:
            raise InputError(
                InputProblem("file", str(path), f"cannot read it: {e.strerror}")
            ) from None
        if size > MAX_FILE_BYTES:
            raise InputError(_too_big(name, size))
        data = path.read_bytes()
    if len(data) > MAX_FILE_BYTES:
        raise InputError(_too_big(name, len(data)))
    if not data.strip():
        raise InputError(InputProblem("file", name, "the file is empty"))
    lower = name.lower()
    if data[:4] == b"PK\x03\x04" or lower.endswith((".xlsx", ".xlsm")):
        return _read_xlsx(data, name, sheet)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" or lower.endswith(".xls"):
        raise InputError(
            InputProblem(
                "file", name, "this is an old Excel .xls workbook; save it as .xlsx or CSV"
            )
        )
    if data[:5] == b"%PDF-" or data[:4] in (b"\x89PNG", b"GIF8") or data[:3] == b"\xff\xd8\xff":
        raise InputError(
            InputProblem(
                "file",
                name,
                "this is not a spreadsheet (it looks like a PDF or an image); "
                "upload a CSV, TSV or .xlsx file",
            )
        )
    text, encoding = decode_text(data, name)
    return _read_delimited(text, name, encoding)


def _too_big(name: str, size: int) -> InputProblem:
    return InputProblem(
        "file", name, f"the file is {size / 1e6:.1f} MB; the limit is {MAX_FILE_BYTES / 1e6:.0f} MB"
    )


def decode_text(data: bytes, name: str = "file") -> tuple[str, str]:
    """Bytes -> text and the encoding used: BOMs first, then UTF-8, then Windows-1252.

    Raises :class:`InputError` when the bytes are not text (NUL bytes, control codes).
    """
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = ["utf-8-sig"]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8", "cp1252", "latin-1"]
    for enc in candidates:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        bad = sum(1 for c in text if (ord(c) < 32 and c not in "\t\r\n\f\v") or c == "\ufffd")
        if "\x00" in text or bad > max(2, len(text) // 200):
            break
        return text, enc
    raise InputError(
        InputProblem(
            "file",
            name,
            "this is not a text spreadsheet (binary content); upload a CSV, TSV or .xlsx file",
        )
    )


def _read_delimited(text: str, name: str, encoding: str) -> Table:
    sample = text[:20000]
    if name.lower().endswith((".tsv", ".tab")):
        delimiter = "\t"
    else:
        first = next((ln for ln in sample.splitlines() if ln.strip()), "")
        counts = {d: first.count(d) for d in (",", "\t", ";", "|")}
        delimiter = max(counts, key=lambda d: counts[d]) if max(counts.values()) else ","
        if counts[","] and counts[delimiter] == counts[","]:
            delimiter = ","
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as e:
        raise InputError(InputProblem("file", name, f"cannot read it as CSV: {e}")) from None
    fmt = "tsv" if delimiter == "\t" else "csv"
    return _table_from_records(records, name, fmt, encoding)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0) or value.date() <= dt.date(1900, 1, 1):
            return (
                value.date().isoformat() if value.time() == dt.time(0) else value.strftime("%H:%M")
            )
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _read_xlsx(data: bytes, name: str, sheet: str | None) -> Table:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as e:
        raise InputError(
            InputProblem(
                "file", name, f"cannot open it as an Excel .xlsx workbook ({type(e).__name__})"
            )
        ) from None
    try:
        if sheet is not None:
            if sheet not in book.sheetnames:
                raise InputError(
                    InputProblem(
                        "sheet", sheet, f"no such sheet; sheets: {_quote_all(book.sheetnames)}"
                    )
                )
            ws = book[sheet]
        else:
            ws = book.worksheets[0]
        records = []
        for i, values in enumerate(ws.iter_rows(values_only=True)):
            if i > MAX_ROWS + 10:
                break
            records.append([_cell_text(v) for v in values])
    finally:
        book.close()
    return _table_from_records(records, name, "xlsx", "")


def _table_from_records(
    records: list[list[str]], name: str, fmt: str, enc: str, header_index: int | None = None
) -> Table:
    # The header is the first non-blank row (normally row 1) unless told otherwise.
    start = (
        header_index
        if header_index is not None
        else next((i for i, r in enumerate(records) if any(c.strip() for c in r)), None)
    )
    if start is None:
        raise InputError(InputProblem("file", name, "the file has no rows"))
    if len(records) - start > MAX_ROWS + 1:
        raise InputError(
            InputProblem("file", name, f"{len(records) - start - 1} rows; the limit is {MAX_ROWS}")
        )
    headers = [c.strip() for c in records[start]]
    while headers and not headers[-1]:
        headers.pop()
    if not any(any(c.strip() for c in r) for r in records[start + 1 :]):
        raise InputError(
            InputProblem(
                "file", name, f"only a header row ({_quote_all(headers)}), no rows below it"
            )
        )
    width = len(headers)
    rows = []
    for i in range(start + 1, len(records)):
        cells = [c.strip() for c in records[i]]
        # Cells beyond the headers are kept only when non-empty (reported later).
        while len(cells) > width and not cells[-1]:
            cells.pop()
        rows.append((i + 1, cells + [""] * (width - len(cells))))
    return Table(headers, rows, fmt, enc, start + 1, records, name)


# --- values ------------------------------------------------------------------------------

_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "a": 1,
    "an": 1,
    "uno": 1,
    "una": 1,
    "dos": 2,
    "tres": 3,
    "cuatro": 4,
    "cinco": 5,
    "seis": 6,
    "siete": 7,
    "ocho": 8,
    "nueve": 9,
    "diez": 10,
    "single": 1,
    "double": 2,
}


def parse_count(text: str) -> int | None:
    """``"2"``, ``"2 bags"``, ``"2.0"``, ``"two"``, ``"dos cajas"`` -> 2; else ``None``."""
    t = fold(text).strip()
    m = re.match(r"^(\d+)(?:\.0+)?(?:\s*[a-z ()]*)?$", t)
    if m:
        return int(m.group(1))
    first = t.split()[0] if t.split() else ""
    return _NUMBER_WORDS.get(first)


_TIME = r"(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.|a|p|hrs|h)?"
_NAMED_WINDOWS = {
    "morning": (9, 12),
    "manana": (9, 12),
    "la manana": (9, 12),
    "am": (9, 12),
    "afternoon": (12, 17),
    "tarde": (12, 17),
    "la tarde": (12, 17),
    "pm": (12, 17),
    "evening": (17, 20),
    "noche": (17, 21),
    "midday": (11, 13),
    "lunch": (11, 13),
}
_ANYTIME = {
    "",
    "any",
    "anytime",
    "any time",
    "all day",
    "whenever",
    "flexible",
    "n a",
    "na",
    "none",
    "no preference",
    "cualquier hora",
    "todo el dia",
    "-",
    "x",
    "any time ok",
}


# "Sat 10-12", "Saturday only: 10-12", "sábado 10 a 12": the day is the plan's day.
_WEEKDAYS = re.compile(
    r"\b(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day)?s?\b\.?|\b(?:saturday|"
    r"wednesday|lunes|martes|miercoles|jueves|viernes|sabado|domingo)\b|\bonly\b|\bsolo\b"
)


def _hour(h: str, m: str | None, ampm: str | None) -> int:
    hour, minute = int(h), int(m or 0)
    if minute > 59 or hour > 24:
        raise ValueError
    tag = (ampm or "").replace(".", "")
    if tag in ("pm", "p") and hour < 12:
        hour += 12
    elif tag in ("am", "a") and hour == 12:
        hour = 0
    return hour * 3600 + minute * 60


def parse_windows(text: str, notes: list[str] | None = None) -> tuple[TimeWindow, ...]:
    """Time windows as people write them -> :class:`TimeWindow` tuple (empty = any time).

    ``"10-12"``, ``"10am-12pm"``, ``"10:00–12:00"``, ``"9:30 to 11"``, ``"after 3pm"``,
    ``"before noon"``, ``"morning"``, ``"de 10 a 12"``, ``"después de las 3"``,
    ``"10-12 or 2-4"``.

    Hours without am/pm are read by two rules:

    1. hours 1-7 are afternoon (nobody means 2 a.m.): ``"10-2"`` is 10:00-14:00 and
       ``"11-1"`` 11:00-13:00, read silently since that is how these are always meant;
    2. an end still at or before its start is moved 12 hours later: ``"12-10"`` is
       12:00-22:00, ``"9-9"`` 09:00-21:00. This is a guess (``"12-10"`` may be a typo
       for ``"10-12"``), so a sentence saying how the window was read is appended to
       ``notes`` when a list is given (the importer shows it as a warning).

    Raises :class:`ValueError` when the text cannot be read.
    """
    t = fold(text).strip().lower()
    t = re.sub(r"[\u2012-\u2015\u2212~]", "-", t)
    t = re.sub(r"\bnoon\b|\bmediodia\b|\b12 ?m\b", "12pm", t)
    t = re.sub(r"\bmidnight\b|\bmedianoche\b", "24", t)
    t = _WEEKDAYS.sub(" ", t)
    t = re.sub(r"\s+", " ", t).strip(" .:")
    if " ".join(re.sub(r"[^a-z ]", " ", t).split()) in _ANYTIME and not re.search(r"\d", t):
        return ()
    windows = []
    for part in re.split(r"\s*(?:\bor\b|\bo\b|/|;|,|&|\band\b|\by\b)\s*", t):
        part = part.strip()
        if not part:
            continue
        windows.append(_parse_one_window(part, notes))
    if not windows:
        raise ValueError(text)
    return tuple(windows)


def _parse_one_window(t: str, notes: list[str] | None = None) -> TimeWindow:
    if t in _NAMED_WINDOWS:
        a, b = _NAMED_WINDOWS[t]
        return TimeWindow(a * 3600, b * 3600)
    m = re.fullmatch(
        rf"(?:after|from|desde|despues de(?: las)?|a partir de(?: las)?|not before)"
        rf"\s*{_TIME}",
        t,
    )
    if m:
        return TimeWindow(_guess_pm(_hour(*m.groups()), m.group(3)), DAY_S)
    m = re.fullmatch(
        rf"(?:before|by|until|till|antes de(?: las)?|hasta(?: las)?|no later than)"
        rf"\s*{_TIME}",
        t,
    )
    if m:
        return TimeWindow(0, _guess_pm(_hour(*m.groups()), m.group(3)))
    m = re.fullmatch(
        rf"(?:de |from |between )?(?:las )?{_TIME}\s*(?:-|to|a|until|till|and|"
        rf"hasta)\s*(?:las )?{_TIME}",
        t,
    )
    if m:
        g = m.groups()
        start_ampm, end_ampm = g[2], g[5]
        if start_ampm is None and end_ampm in ("pm", "p", "p.m."):
            # "10-12pm": 10 is a.m. when 10 < 12, "1-3pm": both p.m.
            h = int(g[0])
            start_ampm = "pm" if h < int(g[3]) < 12 else None
        start = _hour(g[0], g[1], start_ampm)
        end = _hour(g[3], g[4], end_ampm)
        if start_ampm is None:
            start = _guess_pm(start, None)
        if end_ampm is None:
            end = _guess_pm(end, None)
            if end <= start and end + 12 * 3600 > start:
                end += 12 * 3600  # "12-10" is 12:00-22:00: said, since it may be a typo
                if notes is not None:
                    notes.append(_shifted_note(t, start, end))
        return TimeWindow(start, end)
    m = re.fullmatch(rf"(?:at |around |about |a las |~)?{_TIME}", t)
    if m and (m.group(3) or m.group(2) or t.startswith(("at", "around", "about", "a las"))):
        # "around 11": an hour either side.
        mid = _guess_pm(_hour(*m.groups()), m.group(3))
        return TimeWindow(max(0, mid - 3600), mid + 3600)
    raise ValueError(t)


def _ampm(seconds: int) -> str:
    """``50400`` -> ``"2pm"``, ``45000`` -> ``"12:30pm"``."""
    h, m = divmod(seconds // 60 % (24 * 60), 60)
    text = f"{(h - 1) % 12 + 1}" + (f":{m:02d}" if m else "")
    return text + ("am" if h < 12 else "pm")


def _shifted_note(t: str, start: int, end: int) -> str:
    window = TimeWindow(start, end)
    return (
        f"{t!r} read as {window} (the end taken 12 hours later); write "
        f"{_ampm(start)}-{_ampm(end)} or {window} to be sure"
    )


def _guess_pm(seconds: int, ampm: str | None) -> int:
    """Hours 1-7 with no am/pm are afternoon: deliveries happen in the day."""
    if ampm is None and 1 * 3600 <= seconds < 8 * 3600:
        return seconds + 12 * 3600
    return seconds


_LANGUAGES = {
    "en": "english ingles eng anglais",
    "es": "spanish espanol castellano spa espagnol",
    "ht": "haitian creole kreyol creole haitian kreyol ayisyen haitiano criollo",
    "fr": "french francais frances",
    "bn": "bengali bangla bengalí",
    "hi": "hindi",
    "ur": "urdu",
    "pa": "punjabi panjabi",
    "zh": "chinese mandarin cantonese chino",
    "ko": "korean coreano",
    "ru": "russian ruso",
    "ar": "arabic arabe",
    "pt": "portuguese portugues",
    "pl": "polish polaco",
    "tl": "tagalog filipino",
    "vi": "vietnamese",
    "yi": "yiddish",
    "el": "greek griego",
    "it": "italian italiano",
    "ja": "japanese japones",
    "de": "german aleman deutsch",
    "gu": "gujarati",
    "ne": "nepali",
    "ta": "tamil",
    "te": "telugu",
    "fa": "farsi persian",
    "he": "hebrew",
    "sw": "swahili",
    "so": "somali",
    "am": "amharic",
    "uk": "ukrainian",
    "tr": "turkish",
    "yo": "yoruba",
    "ig": "igbo",
    "jam": "patois jamaican patois",
}
_LANGUAGE_CODES: dict[str, str] = {}
for _code, _names in _LANGUAGES.items():
    _LANGUAGE_CODES[_code] = _code
    _LANGUAGE_CODES.update(dict.fromkeys(_names.split(), _code))
_LANGUAGE_CODES.update(
    {"haitian creole": "ht", "kreyol ayisyen": "ht", "creole": "ht", "jamaican patois": "jam"}
)
# Native scripts people type.
_LANGUAGE_CODES.update(
    {
        "বাংলা": "bn",
        "中文": "zh",
        "한국어": "ko",
        "русский": "ru",
        "عربي": "ar",
        "العربية": "ar",
        "اردو": "ur",
        "ਪੰਜਾਬੀ": "pa",
        "हिन्दी": "hi",
        "हिंदी": "hi",
    }
)


def parse_languages(text: str) -> list[str]:
    """``"Haitian Creole, English"`` -> ``["ht", "en"]``; unknown names kept, lower case."""
    out: list[str] = []
    for part in re.split(r"[,;/&+|]|\band\b|\by\b", str(text)):
        raw = part.strip()
        if not raw:
            continue
        key = " ".join(fold(raw).replace("(", " ").replace(")", " ").split())
        code = _LANGUAGE_CODES.get(raw.lower()) or _LANGUAGE_CODES.get(key)
        if code is None:
            words = key.split()
            code = next(
                (_LANGUAGE_CODES[w] for w in words if w in _LANGUAGE_CODES and len(w) > 2), None
            )
        code = code or key
        if code not in out:
            out.append(code)
    return out


def _digits(text: str) -> str:
    return re.sub(r"\D", "", str(text))


def _parse_float(text: str) -> float | None:
    try:
        v = float(str(text).strip().replace(",", "."))
    except ValueError:
        return None
    return v if v == v and abs(v) != float("inf") else None


def _yes(text: str) -> bool:
    return fold(text).strip() in {
        "y",
        "yes",
        "true",
        "1",
        "x",
        "si",
        "urgent",
        "high",
        "urgente",
        "alta",
        "priority",
    }


_NUM = r"(\d+(?:[.,]\d+)?|[.,]\d+)"
_MINUTE_UNITS = r"m|min|mins|minute|minutes|minuto|minutos|mn"
_HOUR_UNITS = r"h|hr|hrs|hour|hours|hora|horas"


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def parse_duration_min(text: str, default_unit: Literal["min", "h"] = "min") -> float | None:
    """A duration as people write it -> minutes, or ``None`` when it cannot be read.

    ``"90"``, ``"90 min"``, ``"1.5 h"``, ``"1,5 horas"``, ``"1h30"``, ``"1 hr 30 min"``,
    ``"1:30"`` (hours:minutes) -> 90. A bare number is in ``default_unit`` (``"h"``
    when the column's header says hours).
    """
    t = " ".join(fold(text).strip().split())
    m = re.fullmatch(rf"{_NUM}\s*(?:({_MINUTE_UNITS})|({_HOUR_UNITS}))?\.?", t)
    if m:
        value = _number(m.group(1))
        hours = m.group(3) is not None or (m.group(2) is None and default_unit == "h")
        return value * 60 if hours else value
    m = re.fullmatch(
        rf"(\d+)\s*(?:{_HOUR_UNITS})\s*(?:and\s*|y\s*)?(\d{{1,2}})\s*"
        rf"(?:{_MINUTE_UNITS})?\.?",
        t,
    )
    if m is None:
        m = re.fullmatch(r"(\d+):(\d{2})", t)
    if m and int(m.group(2)) < 60:
        return int(m.group(1)) * 60 + int(m.group(2))
    return None


_KM_UNITS = r"km|kms|k|kilometer|kilometers|kilometre|kilometres|kilometro|kilometros"
_MILE_UNITS = r"mi|mile|miles|milla|millas"
_METRE_UNITS = r"meter|meters|metre|metres|metro|metros"
#: Metres in a statute mile.
MILE_M = 1609.344


def parse_distance_km(text: str, default_unit: Literal["km", "mi"] = "km") -> float | None:
    """A distance as people write it -> kilometres, or ``None`` when it cannot be read.

    ``"25"``, ``"25 km"``, ``"25km"``, ``"2500 metres"`` -> 25 (for the last: 2.5); miles
    are converted: ``"10 miles"``, ``"10 mi"`` -> 16.09. A bare number is in
    ``default_unit`` (``"mi"`` when the column's header says miles).
    """
    t = " ".join(fold(text).strip().split())
    m = re.fullmatch(rf"{_NUM}\s*(?:({_KM_UNITS})|({_MILE_UNITS})|({_METRE_UNITS}))?\.?", t)
    if m is None:
        return None
    value = _number(m.group(1))
    if m.group(4):
        return value / 1000
    if m.group(3) or (m.group(2) is None and default_unit == "mi"):
        return value * MILE_M / 1000
    return value


_FLAG_NO = {
    "n",
    "no",
    "false",
    "0",
    "none",
    "nope",
    "-",
    "no stairs",
    "sin escaleras",
    "elevator",
    "has elevator",
    "lift",
    "has lift",
    "ascensor",
    "con ascensor",
    "elevador",
    "hay ascensor",
    "ground floor",
    "planta baja",
    "n a",
    "na",
}
_FLAG_YES = {
    "y",
    "yes",
    "true",
    "x",
    "si",
    "yes stairs",
    "stairs",
    "walk up",
    "walkup",
    "no elevator",
    "no lift",
    "sin ascensor",
    "sin elevador",
    "escaleras",
    "escalera",
    "steps",
}


def parse_flag(text: str) -> bool | None:
    """A yes/no cell -> ``True``/``False``; ``None`` when it says neither.

    ``"yes"``, ``"x"``, ``"sí"``, ``"walk-up"``, ``"no elevator"``, a number of floors or
    flights (``"3"``) -> ``True``; ``"no"``, ``"0"``, ``"elevator"``, ``"planta baja"``
    -> ``False``. Blank is ``False``.
    """
    if text.strip() in ("\u2713", "\u2714", "\u2611"):  # check marks
        return True
    t = " ".join(re.sub(r"[^0-9a-z]+", " ", fold(text)).split())
    if not t or t in _FLAG_NO:
        return False
    if t in _FLAG_YES or re.fullmatch(r"[1-9]\d?", t):
        return True
    if re.search(
        r"\b(stairs|walk up|walkup|no elevator|sin ascensor|escaleras|flights?)\b", t
    ) and not re.search(r"\b(no|sin) (stairs|escaleras)\b", t):
        return True
    return None


def parse_names(text: str) -> frozenset[str]:
    """``"Ana; Marcus / d7"`` -> ``{"Ana", "Marcus", "d7"}``: names or ids as written."""
    return frozenset(x for x in (p.strip() for p in re.split(r"[,;/]", str(text))) if x)


# --- results -----------------------------------------------------------------------------


@dataclass(frozen=True)
class RowReport:
    """What happened to one input row."""

    row: int
    id: str
    status: Status
    precision: str = ""
    score: float | None = None
    matched: str = ""
    lat: float | None = None
    lon: float | None = None
    problems: tuple[InputProblem, ...] = ()
    #: One sentence on how to fix the row's placement ("Check the street name: did you
    #: mean 109th Avenue? Or give lat/lon."); empty when it was placed as given or exactly.
    #: Not in :meth:`to_dict` (the JSON report's keys are fixed by its API tests).
    suggestion: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "id": self.id,
            "status": self.status,
            "precision": self.precision,
            "score": self.score,
            "matched": self.matched,
            "lat": self.lat,
            "lon": self.lon,
            "suggestion": self.suggestion,
            "problems": [p.to_dict() for p in self.problems],
        }


@dataclass(frozen=True)
class ImportSummary:
    """Counts for the one-line summary: rows read, placed, warnings, errors."""

    rows: int
    placed: int
    warnings: int
    errors: int
    blank_rows: int

    def to_dict(self) -> dict[str, int]:
        return {
            "rows": self.rows,
            "placed": self.placed,
            "warnings": self.warnings,
            "errors": self.errors,
            "blank_rows": self.blank_rows,
        }

    def __str__(self) -> str:
        blank = f", {self.blank_rows} blank" if self.blank_rows else ""
        return (
            f"{self.rows} rows read{blank}: {self.placed} placed, "
            f"{self.warnings} with warnings, {self.errors} with errors"
        )


@dataclass
class _ImportBase:
    problems: list[InputProblem]
    rows: list[RowReport]
    blank_rows: int
    #: field -> header as written in the file
    columns: dict[str, str]
    ignored_columns: list[str]
    kind: str = ""

    @property
    def summary(self) -> ImportSummary:
        return ImportSummary(
            rows=len(self.rows),
            placed=sum(1 for r in self.rows if r.lat is not None),
            warnings=sum(1 for r in self.rows if r.status == "warning"),
            errors=sum(1 for r in self.rows if r.status == "error"),
            blank_rows=self.blank_rows,
        )

    @property
    def ok(self) -> bool:
        """True when no row is an error."""
        return all(r.status != "error" for r in self.rows)

    def to_dict(self) -> dict[str, Any]:
        """The JSON report documented in this module's docstring."""
        return {
            "kind": self.kind,
            "summary": self.summary.to_dict(),
            "columns": dict(self.columns),
            "ignored_columns": list(self.ignored_columns),
            "rows": [r.to_dict() for r in self.rows],
            "problems": [p.to_dict() for p in self.problems],
        }

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)


@dataclass
class DeliveryImport(_ImportBase):
    """The stops read from a delivery list, with a report on every row."""

    stops: list[Stop] = field(default_factory=list)
    kind: str = "deliveries"

    @property
    def suggestions(self) -> dict[str, str]:
        """Stop id -> how to fix its placement, for every stop left without a location
        (``Unassigned.fix`` for ``address_not_found``)."""
        fixes = {r.id: r.suggestion for r in self.rows if r.suggestion}
        return {s.id: fixes.get(s.id, _UNPLACED_FIX) for s in self.stops if s.location is None}


@dataclass
class DriverImport(_ImportBase):
    """The drivers read from a roster, with a report on every row."""

    drivers: list[Driver] = field(default_factory=list)
    kind: str = "drivers"


# --- the row loop ------------------------------------------------------------------------


class _Row:
    """Cells of one row by field, and the problems found in it."""

    def __init__(
        self, number: int, cells: list[str], cols: Mapping[str, int], headers: Sequence[str]
    ):
        self.number = number
        self.cells = cells
        self.cols = cols
        self.headers = headers
        self.problems: list[InputProblem] = []

    def get(self, fld: str) -> str:
        i = self.cols.get(fld)
        return self.cells[i].strip() if i is not None and i < len(self.cells) else ""

    def header(self, fld: str) -> str:
        i = self.cols.get(fld)
        return self.headers[i] if i is not None else fld

    def add(self, fld: str, value: str, reason: str, severity: Severity = "error") -> None:
        self.problems.append(
            InputProblem(self.header(fld), str(value), reason, self.number, severity)
        )

    @property
    def status(self) -> Status:
        if any(p.severity == "error" for p in self.problems):
            return "error"
        return "warning" if self.problems else "ok"


def _prepare(
    source: Path | str | bytes,
    filename: str | None,
    sheet: str | None,
    columns: Mapping[str, str] | None,
    aliases: Mapping[str, Sequence[str]],
    keywords: Sequence[tuple[str, str]],
    required: Callable[[dict[str, int]], str | None],
) -> tuple[Table, dict[str, int]]:
    table = read_table(source, filename=filename, sheet=sheet)
    try:
        cols = map_columns(table.headers, aliases, keywords, columns)
    except InputError:
        cols = None
    if cols is None or required(cols):
        # A title above the headers ("Saturday deliveries, week 47")? Try the next rows.
        later = _later_header(table, aliases, keywords, columns, required)
        if later is not None:
            return later
    if cols is None:
        cols = map_columns(table.headers, aliases, keywords, columns)  # raises the error
    missing = required(cols)
    if missing:
        found = _quote_all([h for h in table.headers if h])
        raise InputError(
            InputProblem(
                missing,
                "",
                f"no {missing} column recognised; headers found: {found}. Name the column, "
                f'e.g. --columns {missing}="Your header" on the command line '
                f'(columns={{"{missing}": "Your header"}} in the API)',
            )
        )
    return table, cols


def _later_header(
    table: Table,
    aliases: Mapping[str, Sequence[str]],
    keywords: Sequence[tuple[str, str]],
    columns: Mapping[str, str] | None,
    required: Callable[[dict[str, int]], str | None],
) -> tuple[Table, dict[str, int]] | None:
    """The table re-read with its headers in one of the next few non-blank rows, when
    that row has the needed columns; else ``None``."""
    tried = 0
    for row_number, cells in table.rows:
        if not any(cells):
            continue
        tried += 1
        if tried > 4:
            break
        try:
            candidate = table.with_header_at(row_number)
            cols = map_columns(candidate.headers, aliases, keywords, columns)
        except InputError:
            continue
        if not required(cols):
            return candidate, cols
    return None


def _title_problems(table: Table) -> list[InputProblem]:
    """Rows above the header row, reported so that nothing is skipped silently."""
    out = []
    for i, record in enumerate(table.records[: table.header_row - 1]):
        text = " ".join(c.strip() for c in record if c.strip())
        if text:
            out.append(
                InputProblem(
                    "file",
                    text,
                    f"taken as a title above the headers in row {table.header_row}; "
                    "not read as data",
                    i + 1,
                    "warning",
                )
            )
    return out


def _unused(table: Table, cols: Mapping[str, int]) -> list[str]:
    used = set(cols.values())
    return [h for i, h in enumerate(table.headers) if i not in used and h]


def _geocode_rows(
    geocoder: Geocoder | None, requests: list[tuple[str, str, str]]
) -> list[GeocodeResult | None]:
    if geocoder is None or not requests:
        return [None] * len(requests)
    results = geocoder.geocode_many(
        [a for a, _, _ in requests],
        postcodes=[p for _, p, _ in requests],
        units=[u for _, _, u in requests],
    )
    return list(results)


def _read_latlon(
    row: _Row, geocoder: Geocoder | None, fallback: str, no_fallback: tuple[str, Severity]
) -> LatLon | None:
    """The row's lat/lon, or ``None`` when absent or unusable.

    An unusable point (not degrees, or outside the area's map) is a warning ending
    ``"; <fallback>"`` when the row has something else to go by (its address), else
    ``no_fallback`` (reason ending, severity): an error when the row cannot be planned.
    """
    lat_t, lon_t = row.get("lat"), row.get("lon")
    if not lat_t and not lon_t:
        return None
    ending, severity = (fallback, "warning") if fallback else no_fallback
    lat, lon = _parse_float(lat_t), _parse_float(lon_t)
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        bad = "lat" if lat is None or not -90 <= lat <= 90 else "lon"
        row.add(
            bad,
            lat_t if bad == "lat" else lon_t,
            "expected lat and lon in degrees (lat -90 to 90, lon -180 to 180); " + ending,
            severity,
        )
        return None
    point = LatLon(lat, lon)
    contains = getattr(geocoder, "contains", None)
    if contains is not None and not contains(point):
        row.add(
            "lat",
            f"{lat},{lon}",
            "this point is outside the area's map; check lat/lon (swapped? wrong sign?); " + ending,
            severity,
        )
        return None
    return point


def import_deliveries(
    source: Path | str | bytes,
    *,
    filename: str | None = None,
    sheet: str | None = None,
    columns: Mapping[str, str] | None = None,
    geocoder: Geocoder | None = None,
) -> DeliveryImport:
    """Read a delivery list into stops and a problems report.

    Parameters
    ----------
    source:
        A path, or the file's bytes (then ``filename`` tells the format, e.g. for uploads).
    sheet:
        Excel sheet name (default: the first sheet).
    columns:
        field -> header, for headers that are not recognised (``{"address": "Where?"}``).
        Fields: see :data:`DELIVERY_ALIASES`.
    geocoder:
        Places addresses; without one, only rows with ``lat``/``lon`` are placed and the
        others are kept unplaced with no error.

    Each stop's ``service_s`` is the row's service minutes when given and readable;
    otherwise :func:`service_time_s` of its boxes and stairs flag (3 min + 1 min per box
    + 5 min for stairs). Frozen bags go to ``Stop.frozen`` (blank = 0), excluded drivers
    to ``Stop.exclude_drivers`` as written.

    Raises
    ------
    InputError
        When the file cannot be read at all, or has no address (nor lat/lon) column.
    """
    table, cols = _prepare(
        source,
        filename,
        sheet,
        columns,
        DELIVERY_ALIASES,
        _DELIVERY_KEYWORDS,
        lambda c: None if "address" in c or ("lat" in c and "lon" in c) else "address",
    )
    blank = 0
    parsed: list[dict[str, Any]] = []
    requests: list[tuple[str, str, str]] = []
    req_index: list[int] = []
    width = len(table.headers)
    for number, cells in table.rows:
        if not any(cells):
            blank += 1
            continue
        row = _Row(number, cells, cols, table.headers)
        extra = [c for c in cells[width:] if c]
        if extra:
            row.add(
                "row",
                ", ".join(extra),
                f"{len(extra)} cell(s) beyond the last header were ignored",
                "warning",
            )
        info = _read_delivery(row)
        info["location"] = _read_latlon(
            row,
            geocoder,
            "the address is used instead" if info["address"] else "",
            ("there is no address to use instead, so the stop cannot be placed", "error"),
        )
        if info["location"] is None and info["address"]:
            req_index.append(len(parsed))
            requests.append((info["address"], info["postcode"], info["unit"]))
        parsed.append(info)
    for i, result in zip(req_index, _geocode_rows(geocoder, requests), strict=True):
        parsed[i]["geocode"] = result
    return _finish_deliveries(parsed, table, cols, blank, geocoder)


def _read_delivery(row: _Row) -> dict[str, Any]:
    info: dict[str, Any] = {"row": row.number, "_row": row, "geocode": None}
    info["id"] = row.get("id") or str(row.number)
    name = row.get("name")
    if not name:
        name = " ".join(x for x in (row.get("first_name"), row.get("last_name")) if x)
    info["recipient"] = name
    raw_address = row.get("address")
    number = row.get("housenumber")
    if number and fold(number) not in fold(raw_address).split():
        raw_address = f"{number} {raw_address}".strip()  # "House number" + "Street" columns
    address, unit_in_address = split_unit(raw_address)
    unit = row.get("unit")
    if unit_in_address and fold(unit_in_address) != fold(unit):
        unit = f"{unit}, {unit_in_address}" if unit else unit_in_address
    city = row.get("city")
    if city and address and fold(city) not in fold(address):
        address_for_geo = f"{address}, {city}"
    else:
        address_for_geo = address
    info["address"] = address_for_geo
    info["display_address"] = address
    info["unit"] = unit
    postcode = row.get("postcode")
    if re.fullmatch(r"\d+\.0", postcode):
        postcode = postcode[:-2]
    info["postcode"] = postcode
    if not raw_address and not (row.get("lat") and row.get("lon")):
        row.add("address", "", "no address (and no lat/lon): the stop cannot be placed")
    info["boxes"] = _read_boxes(row)
    info["frozen"] = _read_frozen(row)
    info["stairs"] = _read_stairs(row)
    info["windows"] = _read_windows(row)
    # Service time: the row's value wins; else the model (base + per box + stairs).
    service_s = None
    if row.get("service_min"):
        text = row.get("service_min")
        v = parse_duration_min(text)
        if v is None:
            v = _parse_float(text)
        if v is None or v < 0 or v > 240:
            row.add(
                "service_min",
                text,
                "expected minutes at the door, 0 to 240; the time from boxes and stairs is used",
                "warning",
            )
        else:
            service_s = round(v * 60)
    info["service_s"] = service_s
    phone = row.get("phone")
    if phone and not 7 <= len(_digits(phone)) <= 15:
        row.add("phone", phone, "does not look like a phone number (7 to 15 digits)", "warning")
    info["phone"] = phone
    info["notes"] = row.get("notes")
    langs = parse_languages(row.get("language"))
    info["language"] = langs[0] if langs else ""
    info["driver"] = row.get("driver") or None
    info["exclude_drivers"] = parse_names(row.get("exclude_drivers"))
    if info["driver"] and info["driver"] in info["exclude_drivers"]:
        row.add(
            "exclude_drivers",
            row.get("exclude_drivers"),
            f"the stop is pinned to {info['driver']!r} and also excludes them; it will "
            "not be planned until one of the two columns is changed",
            "warning",
        )
    info["requires"] = frozenset(
        x for x in (s.strip().lower() for s in re.split(r"[,;/]", row.get("requires"))) if x
    )
    info["urgent"] = _yes(row.get("urgent")) if row.get("urgent") else False
    return info


#: More boxes than this for one household is a typo (or a whole pantry), not an order.
MAX_BOXES = 200
#: Above this a count is warned about (still read).
MANY_BOXES = 20

# The service time model, used for a row whose sheet gives no service minutes (no
# column, a blank cell, or a value that cannot be read); a service-minutes value given
# in the row always wins. 2 boxes, no stairs: 3 + 2 x 1 = 5 minutes.

#: Minutes at every door, in seconds: park, walk up, knock, hand over.
SERVICE_BASE_S = 3 * 60
#: Carrying each box (``boxes``, not frozen bags), in seconds.
SERVICE_PER_BOX_S = 60
#: Extra when the ``stairs`` flag is set (walk-up, no elevator), in seconds.
SERVICE_STAIRS_S = 5 * 60


def service_time_s(boxes: int, stairs: bool = False) -> int:
    """Seconds at the door for a stop whose sheet gives no service minutes.

    :data:`SERVICE_BASE_S` + :data:`SERVICE_PER_BOX_S` x ``boxes`` +
    :data:`SERVICE_STAIRS_S` when ``stairs``: 2 boxes -> 300 s, 2 boxes with stairs
    -> 600 s.
    """
    return SERVICE_BASE_S + SERVICE_PER_BOX_S * max(0, boxes) + (SERVICE_STAIRS_S if stairs else 0)


def _read_boxes(row: _Row) -> int | None:
    """The row's box count, or ``None`` when the count makes the row unplannable.

    - blank, or words with no number (``"lots"``): 1 box assumed, with a warning;
    - ``"2"``, ``"2 bags"``, ``"two"``: 2; more than :data:`MANY_BOXES`: a warning;
    - a fraction (``"2.5"``): rounded up, with a warning: a part box is still a box to
      carry, and a car loaded for 3 can take 2;
    - negative, more than :data:`MAX_BOXES` (``"1e9"``) or not finite: an error, and the
      row gives no stop (the number cannot be guessed; the problem says so).
    """
    if "boxes" not in row.cols:
        return 1
    text = row.get("boxes")
    if not text:
        row.add("boxes", "", "no number of boxes; 1 assumed", "warning")
        return 1
    return _read_quantity(row, "boxes", text, "boxes")


def _read_frozen(row: _Row) -> int | None:
    """The row's frozen bags, read like boxes; ``None`` when that makes the row unplannable.

    Blank, ``"no"`` or ``"-"`` is 0 (most households get none); ``"yes"`` or ``"x"`` is 1;
    words with no number (``"some"``): 1 assumed, with a warning.
    """
    text = row.get("frozen")
    if not text or fold(text).strip() in ("no", "none", "-", "n", "n a", "na", "ninguno"):
        return 0
    if fold(text).strip() in ("yes", "y", "x", "si", "true"):
        return 1
    return _read_quantity(row, "frozen", text, "frozen bags")


def _read_quantity(row: _Row, fld: str, text: str, noun: str) -> int | None:
    n = parse_count(text)
    if n is None:
        m = re.fullmatch(
            r"([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?)(?:\s*[a-z ()]*)?", fold(text).strip()
        )
        if m is None:
            row.add(
                fld,
                text,
                f'expected a number of {noun} such as 2 or "2 bags"; 1 assumed',
                "warning",
            )
            return 1
        value = float(m.group(1))
        if value < 0:
            row.add(
                fld,
                text,
                f"a negative number of {noun}; write how many {noun} this "
                "household gets (the stop is left out until then)",
            )
            return None
        if not value <= MAX_BOXES:
            row.add(
                fld,
                text,
                f"more than {MAX_BOXES} {noun} for one household; check the "
                "number (the stop is left out until then)",
            )
            return None
        n = math.ceil(value)
        if n != value:
            row.add(
                fld,
                text,
                f"{m.group(1)} {noun} read as {n} (part {noun} are rounded "
                "up); write a whole number to be sure",
                "warning",
            )
    if n == 0:
        if fld == "boxes":
            row.add(fld, text, "0 boxes: nothing to deliver", "warning")
    elif n > MAX_BOXES:
        row.add(
            fld,
            text,
            f"more than {MAX_BOXES} {noun} for one household; check the "
            "number (the stop is left out until then)",
        )
        return None
    elif n > MANY_BOXES:
        row.add(fld, text, f"unusually many {noun}; check the number", "warning")
    return n


def _read_stairs(row: _Row) -> bool:
    text = row.get("stairs")
    flag = parse_flag(text)
    if flag is None:
        row.add(
            "stairs",
            text,
            "expected yes or no (stairs, no elevator); stairs assumed, "
            f"{SERVICE_STAIRS_S // 60} more minutes at the door",
            "warning",
        )
        return True
    return flag


def _read_windows(row: _Row) -> tuple[TimeWindow, ...]:
    text = row.get("window")
    start_t, end_t = row.get("window_start"), row.get("window_end")
    if not text and (start_t or end_t):
        text = f"{start_t or '0:00'}-{end_t or '24:00'}"
    if not text:
        return ()
    notes: list[str] = []
    fld = "window" if row.get("window") else ("window_start" if start_t else "window_end")
    try:
        windows = parse_windows(text, notes)
    except (ValueError, InputError):
        row.add(
            fld,
            text,
            "could not read this time window (write e.g. 10-12, 10am-12pm, "
            "after 3pm); any time assumed",
            "warning",
        )
        return ()
    for note in notes:
        row.add(fld, text, note, "warning")
    return windows


def _finish_deliveries(
    parsed: list[dict[str, Any]],
    table: Table,
    cols: Mapping[str, int],
    blank: int,
    geocoder: Geocoder | None,
) -> DeliveryImport:
    stops: list[Stop] = []
    reports: list[RowReport] = []
    problems: list[InputProblem] = _title_problems(table)
    seen_ids: dict[str, int] = {}
    seen_phone: dict[str, int] = {}
    seen_place: dict[tuple[str, str], int] = {}
    for info in parsed:
        row: _Row = info["_row"]
        precision, score, matched, suggestion = "", None, "", ""
        location: LatLon | None = info["location"]
        if location is not None:
            precision, score, matched = "given", 1.0, str(location)
        else:
            result: GeocodeResult | None = info["geocode"]
            if result is not None:
                precision, score, matched = result.precision, result.score, result.matched
                suggestion = result.suggestion
                if result.placed:
                    location = result.location
                    if result.precision == "street":
                        row.add(
                            "address",
                            info["display_address"],
                            f"placed on the street only: {result.reason}",
                            "warning",
                        )
                    elif result.score < 0.9:
                        row.add(
                            "address",
                            info["display_address"],
                            f"matched to {result.matched}; check it ({result.reason})",
                            "warning",
                        )
                elif info["address"]:
                    where = (
                        "outside the area: "
                        if result.precision == "outside_area"
                        else "address not found: "
                    )
                    row.add(
                        "address",
                        info["display_address"],
                        where + result.reason + "; fix the address or give lat/lon",
                    )
            if location is None and not suggestion:
                suggestion = _UNPLACED_FIX if info["address"] else _NO_ADDRESS_FIX
        # Duplicates: warned about, never merged.
        sid = info["id"]
        if sid in seen_ids:
            new = f"{sid}-row{row.number}"
            row.add(
                "id", sid, f"same id as row {seen_ids[sid]}; this stop's id is {new}", "warning"
            )
            sid = new
        seen_ids[sid] = row.number
        digits = _digits(info["phone"])[-10:]
        if len(digits) >= 7:
            if digits in seen_phone:
                row.add(
                    "phone", info["phone"], f"same phone as row {seen_phone[digits]}", "warning"
                )
            else:
                seen_phone[digits] = row.number
        place_key = _place_key(info["display_address"], info["unit"], matched, precision)
        if place_key is not None:
            if place_key in seen_place:
                row.add(
                    "address",
                    info["display_address"] + (f", {info['unit']}" if info["unit"] else ""),
                    f"same address and unit as row {seen_place[place_key]}",
                    "warning",
                )
            else:
                seen_place[place_key] = row.number
        stop = _make_stop(info, sid, location, precision, row)
        if stop is not None:
            stops.append(stop)
        reports.append(
            RowReport(
                row=row.number,
                id=sid,
                status=row.status,
                precision=precision,
                score=score,
                matched=matched,
                suggestion=suggestion,
                lat=location.lat if location is not None and stop is not None else None,
                lon=location.lon if location is not None and stop is not None else None,
                problems=tuple(row.problems),
            )
        )
        problems.extend(row.problems)
    return DeliveryImport(
        problems=problems,
        rows=reports,
        blank_rows=blank,
        columns={f: table.headers[i] for f, i in cols.items()},
        ignored_columns=_unused(table, cols),
        stops=stops,
    )


_UNPLACED_FIX = "Fix the address (street, house number, postcode) or give lat/lon."
_NO_ADDRESS_FIX = "Add the address, or lat/lon inside the area."


def _place_key(address: str, unit: str, matched: str, precision: str) -> tuple[str, str] | None:
    if precision in ("exact", "interpolated") and matched:
        base = matched
    elif address:
        base = " ".join(street_key(address).key.split())
        number = re.match(r"\s*(\S+)", address)
        base = f"{housenumber_key(number.group(1)) if number else ''} {base}"
    else:
        return None
    return fold(base), _unit_key(unit)


def _unit_key(unit: str) -> str:
    """``"Apt 2B"``, ``"#2b"``, ``"2B"`` -> ``"2b"``."""
    words = r"apt|apartment|apto|unit|suite|ste|no|num|depto|dpto|fl|floor|piso"
    text = re.sub(rf"\b(?:{words})\b\.?", " ", fold(unit))
    return housenumber_key(text)


def _make_stop(
    info: dict[str, Any], sid: str, location: LatLon | None, precision: str, row: _Row
) -> Stop | None:
    if info["boxes"] is None or info["frozen"] is None:
        return None  # a count that cannot be guessed: reported, not planned
    kwargs: dict[str, Any] = {
        "id": sid,
        "recipient": info["recipient"],
        "address": info["display_address"],
        "unit": info["unit"],
        "location": location,
        "boxes": info["boxes"],
        "windows": info["windows"],
        "phone": info["phone"],
        "notes": info["notes"],
        "language": info["language"],
        "row": row.number,
        "requires": info["requires"],
        "driver": info["driver"],
        "urgent": info["urgent"],
        "frozen": info["frozen"],
        "exclude_drivers": info["exclude_drivers"],
        "precision": precision if precision in ("given", "exact", "interpolated", "street") else "",
        "service_s": info["service_s"]
        if info["service_s"] is not None
        else service_time_s(info["boxes"], info["stairs"]),
    }
    try:
        return Stop(**kwargs)
    except InputError as e:
        for p in e.problems:
            row.add(p.field, p.value, p.reason)
        return None


# --- drivers -----------------------------------------------------------------------------

_PROFILES = {
    "drive": "drive",
    "car": "drive",
    "suv": "drive",
    "van": "drive",
    "minivan": "drive",
    "truck": "drive",
    "pickup": "drive",
    "auto": "drive",
    "coche": "drive",
    "carro": "drive",
    "camioneta": "drive",
    "sedan": "drive",
    "wagon": "drive",
    "hatchback": "drive",
    "bike": "bike",
    "bicycle": "bike",
    "cargo bike": "bike",
    "ebike": "bike",
    "e bike": "bike",
    "bici": "bike",
    "bicicleta": "bike",
    "cycle": "bike",
    "walk": "walk",
    "foot": "walk",
    "on foot": "walk",
    "walking": "walk",
    "a pie": "walk",
    "caminando": "walk",
}
_ENDS = {
    "hub": "hub",
    "back to hub": "hub",
    "return": "hub",
    "pantry": "hub",
    "base": "hub",
    "depot": "hub",
    "store": "hub",
    "same": "hub",
    "home": "home",
    "house": "home",
    "casa": "home",
    "anywhere": "anywhere",
    "any": "anywhere",
    "last stop": "anywhere",
    "wherever": "anywhere",
    "no": "anywhere",
    "none": "anywhere",
    "open": "anywhere",
    "donde sea": "anywhere",
}


def import_drivers(
    source: Path | str | bytes,
    *,
    filename: str | None = None,
    sheet: str | None = None,
    columns: Mapping[str, str] | None = None,
    geocoder: Geocoder | None = None,
) -> DriverImport:
    """Read a volunteer roster into drivers and a problems report.

    Columns: name, phone, capacity (boxes), available window (``"9-13"``,
    ``"09:00-13:00"``, ``"9am-1pm"``), home/start address, end (``home``, ``hub`` or
    ``anywhere``), languages, skills, vehicle/profile (car -> ``drive``, bike, walk),
    max stops, frozen capacity (bags; with the column present a blank cell is 0, no
    cooler), max minutes (``"90"``, ``"1.5 h"``, ``"1h30"``; hours when the header says
    so), max km (``"25"``, ``"15 mi"``; miles when the header says so), and hub (as
    written; ``"any"`` or blank lets the solver choose). Unreadable limits are warnings
    and give no limit. A driver's id is the ``id`` column, else the name as written. A row whose
    driver cannot be built (no name, no hours, ends at home with no home found) is an
    error and gives no driver.

    Raises
    ------
    InputError
        When the file cannot be read at all or has no name column.
    """
    table, cols = _prepare(
        source,
        filename,
        sheet,
        columns,
        DRIVER_ALIASES,
        _DRIVER_KEYWORDS,
        lambda c: None if "name" in c or ("first_name" in c) else "name",
    )
    blank = 0
    infos: list[tuple[_Row, dict[str, Any]]] = []
    requests: list[tuple[str, str, str]] = []
    req_index: list[int] = []
    for number, cells in table.rows:
        if not any(cells):
            blank += 1
            continue
        row = _Row(number, cells, cols, table.headers)
        info = _read_driver(row)
        info["home"] = _read_latlon(
            row,
            geocoder,
            "the home address is used instead" if info["home_address"] else "",
            ("the driver starts and ends at the hub", "warning"),
        )
        info["geocode"] = None
        if info["home"] is None and info["home_address"]:
            req_index.append(len(infos))
            requests.append((info["home_address"], row.get("postcode"), ""))
        infos.append((row, info))
    for i, result in zip(req_index, _geocode_rows(geocoder, requests), strict=True):
        infos[i][1]["geocode"] = result
    drivers: list[Driver] = []
    reports: list[RowReport] = []
    problems: list[InputProblem] = _title_problems(table)
    seen: dict[str, int] = {}
    for row, info in infos:
        home: LatLon | None = info["home"]
        precision, score, matched = ("given", 1.0, str(home)) if home else ("", None, "")
        found: GeocodeResult | None = info["geocode"]
        if found is not None:
            precision, score, matched = found.precision, found.score, found.matched
            if found.placed:
                home = found.location
                if found.precision == "street":
                    row.add(
                        "home",
                        info["home_address"],
                        f"home placed on the street only: {found.reason}",
                        "warning",
                    )
            else:
                row.add(
                    "home",
                    info["home_address"],
                    f"home address not found: {found.reason}; the driver starts and "
                    f"ends at the hub (fix the address or give lat/lon)",
                    "warning",
                )
        elif info["home_address"] and geocoder is None and home is None:
            row.add(
                "home",
                info["home_address"],
                "no map to place the home address; the driver starts and ends at the hub",
                "warning",
            )
        if home is None and (info["end"] == "home" or info["start"] == "home"):
            info["end"] = "hub" if info["end"] == "home" else info["end"]
            info["start"] = "hub"
        did = info["id"]
        if did in seen:
            new = f"{did} (row {row.number})"
            row.add(
                "id" if "id" in cols else "name",
                did,
                f"same as row {seen[did]}; this driver's id is {new!r}",
                "warning",
            )
            did = new
        seen[did] = row.number
        driver = None
        if not any(p.severity == "error" for p in row.problems):
            driver = _make_driver(info, did, home, row)
        if driver is not None:
            drivers.append(driver)
        reports.append(
            RowReport(
                row=row.number,
                id=did,
                status=row.status,
                precision=precision,
                score=score,
                matched=matched,
                lat=home.lat if home is not None and driver is not None else None,
                lon=home.lon if home is not None and driver is not None else None,
                problems=tuple(row.problems),
            )
        )
        problems.extend(row.problems)
    return DriverImport(
        problems=problems,
        rows=reports,
        blank_rows=blank,
        columns={f: table.headers[i] for f, i in cols.items()},
        ignored_columns=_unused(table, cols),
        drivers=drivers,
    )


def _read_driver(row: _Row) -> dict[str, Any]:
    info: dict[str, Any] = {}
    name = row.get("name") or " ".join(
        x for x in (row.get("first_name"), row.get("last_name")) if x
    )
    if not name:
        row.add("name", "", "every driver needs a name")
    info["name"] = name
    info["id"] = row.get("id") or name.strip() or f"row{row.number}"
    cap_t = row.get("capacity")
    capacity = None
    if not cap_t:
        row.add("capacity", "", "no capacity: how many boxes fit in the car?")
    else:
        capacity = parse_count(cap_t)
        if capacity is None:
            row.add("capacity", cap_t, "expected a number of boxes, such as 20")
    info["capacity"] = capacity
    shift = None
    text = row.get("window")
    if not text and (row.get("window_start") or row.get("window_end")):
        text = f"{row.get('window_start') or '9'}-{row.get('window_end') or '17'}"
    if not text:
        row.add("window", "", "no available hours (write e.g. 9-13 or 09:00-13:00)")
    else:
        notes: list[str] = []
        try:
            windows = parse_windows(text, notes)
        except (ValueError, InputError):
            windows = ()
            row.add(
                "window",
                text,
                "could not read the available hours (write e.g. 9-13, 09:00-13:00, 9am-1pm)",
            )
        else:
            for note in notes:
                row.add("window", text, note, "warning")
            if not windows:
                row.add("window", text, "no available hours (write e.g. 9-13 or 09:00-13:00)")
        if windows:
            shift = TimeWindow(windows[0].start_s, windows[-1].end_s)
            if len(windows) > 1:
                row.add(
                    "window",
                    text,
                    f"several spans; the driver is taken as available {shift}",
                    "warning",
                )
            if shift.end_s >= DAY_S and shift.start_s > 0:
                row.add("window", text, "no end time; taken as available until midnight", "warning")
    info["shift"] = shift
    home_t = row.get("home")
    if fold(home_t) in ("hub", "pantry", "depot", "base", "the hub", "store"):
        home_t = ""
    info["home_address"] = split_unit(home_t)[0]
    end_t = fold(row.get("end")).strip()
    end = "hub"
    if end_t:
        end = _ENDS.get(end_t) or next((v for k, v in _ENDS.items() if k in end_t.split()), "")
        if not end:
            row.add("end", row.get("end"), "expected home, hub or anywhere; hub assumed", "warning")
            end = "hub"
    info["end"] = end
    start_t = fold(row.get("start")).strip()
    start = "hub"
    if start_t in ("home", "house", "casa", "my house", "from home"):
        start = "home"
    elif start_t and start_t not in ("hub", "pantry", "depot", "base", "the hub", "store"):
        # An address in the "Start" column: the driver sets out from there.
        if not info["home_address"]:
            info["home_address"] = split_unit(row.get("start"))[0]
        start = "home"
    info["start"] = start
    if (
        "home" in (start, end)
        and not info["home_address"]
        and not (row.get("lat") and row.get("lon"))
    ):
        which = "starts and ends" if start == end else ("starts" if start == "home" else "ends")
        row.add(
            "home" if "home" in row.cols else "end",
            row.get("home") or row.get("end"),
            f"{which} at home but no home address is given; the hub is used instead",
            "warning",
        )
    info["languages"] = frozenset(parse_languages(row.get("languages")))
    info["skills"] = frozenset(
        x for x in (s.strip().lower() for s in re.split(r"[,;/]", row.get("skills"))) if x
    )
    profile_t = fold(row.get("profile")).strip()
    profile = "drive"
    if profile_t:
        profile = _PROFILES.get(profile_t) or next(
            (v for k, v in _PROFILES.items() if k in profile_t.split()), ""
        )
        if not profile:
            row.add(
                "profile",
                row.get("profile"),
                "expected a vehicle: car, bike or walk; car assumed",
                "warning",
            )
            profile = "drive"
    info["profile"] = profile
    max_stops = None
    if row.get("max_stops"):
        max_stops = parse_count(row.get("max_stops"))
        if max_stops is None:
            row.add(
                "max_stops", row.get("max_stops"), "expected a whole number; ignored", "warning"
            )
    info["max_stops"] = max_stops
    info["capacity_frozen"] = _read_capacity_frozen(row)
    info["max_route_s"] = _read_max_minutes(row)
    info["max_distance_m"] = _read_max_km(row)
    hub = row.get("hub")
    info["hub"] = None if fold(hub).strip() in _ANY_HUB else hub
    info["phone"] = row.get("phone")
    if info["phone"] and not 7 <= len(_digits(info["phone"])) <= 15:
        row.add(
            "phone", info["phone"], "does not look like a phone number (7 to 15 digits)", "warning"
        )
    return info


#: Hub cells that leave the choice to the solver.
_ANY_HUB = {
    "",
    "any",
    "anywhere",
    "auto",
    "any hub",
    "nearest",
    "closest",
    "either",
    "cualquiera",
    "cualquier",
    "el mas cercano",
    "-",
    "n a",
    "na",
}
#: A route limit above this is a typo, not a limit: 24 h, 1000 km.
MAX_ROUTE_MIN = 24 * 60
MAX_ROUTE_KM = 1000


def _read_capacity_frozen(row: _Row) -> int | None:
    """Frozen bags the car can keep cold: ``None`` (no limit) without the column; a blank
    cell or ``"no"`` is 0 (no cooler); an unreadable value is warned about, no limit."""
    if "capacity_frozen" not in row.cols:
        return None
    text = row.get("capacity_frozen")
    if not text or fold(text).strip() in ("no", "none", "n", "-", "0", "ninguno", "ninguna"):
        return 0
    n = parse_count(text)
    if n is None or n > MAX_BOXES:
        row.add(
            "capacity_frozen",
            text,
            "expected how many frozen bags the car keeps cold, "
            'such as 4 or "4 bags"; no limit assumed',
            "warning",
        )
        return None
    return n


def _read_max_minutes(row: _Row) -> int | None:
    """The longest route the driver will do, in seconds; ``None`` when blank or unreadable."""
    text = row.get("max_minutes")
    if not text:
        return None
    hours = re.search(r"\b(hours?|hrs?|horas?)\b", _fold_header(row.header("max_minutes")))
    minutes = parse_duration_min(text, "h" if hours else "min")
    if minutes is None or not 0 < minutes <= MAX_ROUTE_MIN:
        row.add(
            "max_minutes",
            text,
            "expected the longest route in minutes or hours, more "
            'than 0 and at most 24 h, such as 90, "90 min", '
            '"1.5 h" or "1h30"; no limit assumed',
            "warning",
        )
        return None
    return round(minutes * 60)


def _read_max_km(row: _Row) -> int | None:
    """The longest route the driver will drive, in metres; ``None`` when blank or unreadable."""
    text = row.get("max_km")
    if not text:
        return None
    miles = re.search(r"\b(mi|miles?|millas?)\b", _fold_header(row.header("max_km")))
    km = parse_distance_km(text, "mi" if miles else "km")
    if km is None or not 0 < km <= MAX_ROUTE_KM:
        row.add(
            "max_km",
            text,
            f'expected the longest route in km (or miles: "20 mi"), '
            f"more than 0 and at most {MAX_ROUTE_KM} km, such as 25 or "
            '"25 km"; no limit assumed',
            "warning",
        )
        return None
    return round(km * 1000)


def _make_driver(info: dict[str, Any], did: str, home: LatLon | None, row: _Row) -> Driver | None:
    if info["capacity"] is None or info["shift"] is None:
        return None
    try:
        return Driver(
            id=did,
            name=info["name"],
            capacity_boxes=info["capacity"],
            shift=info["shift"],
            phone=info["phone"],
            home=home,
            home_address=info["home_address"],
            start=info["start"],
            end=info["end"],
            languages=info["languages"],
            skills=info["skills"],
            profile=info["profile"],
            max_stops=info["max_stops"],
            capacity_frozen=info["capacity_frozen"],
            max_route_s=info["max_route_s"],
            max_distance_m=info["max_distance_m"],
            hub=info["hub"],
            row=row.number,
        )
    except InputError as e:
        for p in e.problems:
            row.add(p.field, p.value, p.reason)
        return None
