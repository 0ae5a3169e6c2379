"""The row loop shared by deliveries and the roster: one row's cells by field and the
problems found in it, lat/lon columns read and checked, addresses geocoded in one batch."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from routing.errors import InputProblem, Severity
from routing.geocoding.normalize import fold
from routing.intake.cells import only_digits, parse_float
from routing.intake.report import RowReport, Status
from routing.model import LatLon
from routing.phones import is_valid_phone

if TYPE_CHECKING:
    # Types only: the offline geocoder's module loads pandas, which a command that only
    # reads a sheet does not need.
    from routing.geocoding.result import Geocoder, GeocodeResult


class RowCells:
    """Cells of one row by field, and the problems found in it."""

    def __init__(
        self,
        number: int,
        cells: list[str],
        cols: Mapping[str, int],
        headers: Sequence[str],
        spares: Mapping[str, Sequence[int]] | None = None,
    ):
        self.number = number
        self.cells = cells
        self.cols = dict(cols)
        self.headers = headers
        self.problems: list[InputProblem] = []
        # A blank cell read from the first column standing in for its field that is not
        # (ColumnMatch.spares): that column is then the field's, for this row.
        for fld, spare in (spares or {}).items():
            if not self.get(fld):
                self.cols[fld] = next((i for i in spare if self._cell(i)), self.cols[fld])

    def _cell(self, i: int | None) -> str:
        return self.cells[i].strip() if i is not None and i < len(self.cells) else ""

    def get(self, fld: str) -> str:
        """The field's cell, stripped; ``""`` when the sheet has no such column."""
        return self._cell(self.cols.get(fld))

    def header(self, fld: str) -> str:
        """The field's header as written, or the field's name when the column is absent."""
        i = self.cols.get(fld)
        return self.headers[i] if i is not None else fld

    def add(self, fld: str, value: str, reason: str, severity: Severity = "error") -> None:
        """Report a problem with the field's value, under the field's header."""
        self.problems.append(
            InputProblem(self.header(fld), str(value), reason, self.number, severity)
        )

    def fit(self, fld: str, text: str, most: int) -> str:
        """``text`` (the field's value as read) cut to ``most`` characters, with a warning
        saying so; as it is when it fits (see :mod:`routing.intake.limits`)."""
        if len(text) <= most:
            return text
        shown = text if len(text) <= 60 else text[:60].rstrip() + "…"
        self.add(
            fld,
            shown,
            f"{len(text):,} characters, more than the {most:,} a plan keeps: the first "
            f"{most:,} are kept (the rest stays in your spreadsheet)",
            "warning",
        )
        return text[:most].rstrip()

    def fit_all(self, fld: str, items: Iterable[str], most: int, count: int) -> list[str]:
        """Each of ``items`` fitted (:meth:`fit`), and no more than ``count`` of them, with
        a warning for what is left out."""
        kept = [self.fit(fld, item, most) for item in sorted(items)]
        if len(kept) > count:
            self.add(
                fld,
                ", ".join(kept[count:]),
                f"{len(kept)} given, more than the {count} a plan keeps: the first {count} "
                "are kept",
                "warning",
            )
        return kept[:count]

    @property
    def status(self) -> Status:
        """The worst severity among the row's problems, ``"ok"`` when none."""
        if any(p.severity == "error" for p in self.problems):
            return "error"
        return "warning" if self.problems else "ok"


def read_name(row: RowCells) -> str:
    """The row's name: its name column, with the surname column's words where it lacks
    them ("Nombre" and "Apellido", "Name" and "Last name"), else first and last names."""
    name, last = row.get("name"), row.get("last_name")
    if not name:
        return " ".join(x for x in (row.get("first_name"), last) if x)
    if last and not set(fold(last).split()) <= set(fold(name).split()):
        return f"{name} {last}"  # "Thomas" and "Ho": "Thomas Ho" (a substring is no word)
    return name


def read_phone(row: RowCells, region: str | None = None) -> str:
    """The row's phone as written (kept so), warned about when it is not a number that can
    be dialled: in the area's country ``region`` as libphonenumber knows its numbering
    plan (area codes, lengths), or, with no country known, when it is not 7 to 15 digits."""
    phone = row.get("phone")
    if not phone:
        return phone
    if region:
        if not is_valid_phone(phone, region):
            row.add(
                "phone",
                phone,
                f"not a phone number that can be dialled in {region.upper()} (check the "
                "digits and the area code; write +country code for a number from abroad)",
                "warning",
            )
    elif not 7 <= len(only_digits(phone)) <= 15:
        row.add("phone", phone, "does not look like a phone number (7 to 15 digits)", "warning")
    return phone


def geocode_rows(
    geocoder: Geocoder | None, requests: Sequence[tuple[str, str, str] | None]
) -> list[GeocodeResult | None]:
    """One answer per ``(address, postcode, unit)`` request, geocoded in one batch;
    ``None`` where the request is ``None`` (nothing to geocode), and all ``None`` without a
    geocoder."""
    out: list[GeocodeResult | None] = [None] * len(requests)
    asked = [(i, r) for i, r in enumerate(requests) if r is not None]
    if geocoder is None or not asked:
        return out
    results = geocoder.geocode_many(
        [a for _, (a, _, _) in asked],
        postcodes=[p for _, (_, p, _) in asked],
        units=[u for _, (_, _, u) in asked],
    )
    for (i, _), result in zip(asked, results, strict=True):
        out[i] = result
    return out


def row_report(
    row: RowCells,
    rid: str,
    precision: str,
    score: float | None,
    matched: str,
    placed: LatLon | None,
    suggestion: str = "",
    *,
    name: str = "",
    address: str = "",
) -> RowReport:
    """The report of a row as it stands: its id, placement and problems; ``placed`` is
    the location the row's stop or driver got (``None`` when it got none, or no item);
    ``name`` and ``address`` whose row it is, as read."""
    return RowReport(
        row=row.number,
        id=rid,
        status=row.status,
        precision=precision,
        score=score,
        matched=matched,
        suggestion=suggestion,
        lat=placed.lat if placed is not None else None,
        lon=placed.lon if placed is not None else None,
        problems=tuple(row.problems),
        name=name,
        address=address,
    )


def read_latlon(
    row: RowCells, geocoder: Geocoder | None, fallback: str, no_fallback: tuple[str, Severity]
) -> LatLon | None:
    """The row's lat/lon, or ``None`` when absent or unusable.

    An unusable point (not degrees, or outside the area's map) is a warning ending
    ``"; <fallback>"`` when the row has something else to go by (its address), else
    ``no_fallback`` (reason ending, severity): an error when the row cannot be planned.
    """
    lat_t, lon_t = row.get("lat"), row.get("lon")
    if not lat_t and not lon_t:
        return None
    ending, severity = no_fallback
    if fallback:
        ending, severity = fallback, "warning"
    lat, lon = parse_float(lat_t), parse_float(lon_t)
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
