"""Which column holds which field: headers matched to fields, and the header row found.

:func:`map_columns` matches a sheet's headers as written to fields, by an explicit
mapping (``columns={"address": "Where do you live?"}``, or ``--columns`` pairs read by
:func:`parse_column_mapping`), then by the spellings of :mod:`routing.intake.aliases`,
then by keywords inside long questions. :func:`read_mapped_table` reads a file and finds
its header row (a title may sit above it) and columns, or says which column is missing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

from routing.errors import InputError, InputProblem
from routing.geocoding.normalize import fold
from routing.intake.tables import Table, quote_all, read_table


def fold_header(text: str) -> str:
    """``"Dirección (calle y número)"`` -> ``"direccion calle y numero"``, as aliases are kept."""
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
    folded = [fold_header(h) for h in headers]
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
        want = fold_header(header)
        hits = [i for i, h in enumerate(folded) if h == want]
        if not hits:
            problems.append(
                InputProblem(
                    "columns",
                    f"{fld}={header}",
                    f"no column headed {header!r}; headers found: {quote_all(headers)}",
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


def read_mapped_table(
    source: Path | str | bytes,
    filename: str | None,
    sheet: str | None,
    columns: Mapping[str, str] | None,
    aliases: Mapping[str, Sequence[str]],
    keywords: Sequence[tuple[str, str]],
    required: Callable[[dict[str, int]], str | None],
) -> tuple[Table, dict[str, int]]:
    """The file's table and its columns (field -> index).

    ``required(cols)`` names the field still missing, or ``None``. When the first row's
    headers lack it, the next few rows are tried as the header row (titles above it).

    Raises :class:`InputError` when the file cannot be read, ``columns`` names an unknown
    field or header, or the required column is missing (saying how to name it).
    """
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
        found = quote_all([h for h in table.headers if h])
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


def title_problems(table: Table) -> list[InputProblem]:
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


def unused_headers(table: Table, cols: Mapping[str, int]) -> list[str]:
    """The non-blank headers no field uses, as written."""
    used = set(cols.values())
    return [h for i, h in enumerate(table.headers) if i not in used and h]
