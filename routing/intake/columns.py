"""Which column holds which field: headers matched to fields, and the header row found.

:func:`map_columns` matches a sheet's headers as written to fields: an explicit mapping
first (``columns={"address": "Where do you live?"}``, or ``--columns`` pairs read by
:func:`parse_column_mapping`), then the strongest evidence wins: a header spelled as a
field's alias (:mod:`routing.intake.aliases`, also once a parenthesis or "your" is taken
off: "Capacidad (cajas)"), else the words of a longer question
(:mod:`routing.intake.questions`), stronger in the question than in its parenthesis.
:func:`read_mapped_table` reads a file, finds its header row (a title may sit above it)
and, in a workbook whose first sheet is not the table, the sheet that is; or says which
column is missing and how to name it. :func:`column_notes` says what happened to every
column nothing reads.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from routing.errors import InputError, InputProblem
from routing.geocoding.normalize import fold
from routing.intake.questions import DELIVERY_FIELDS, DRIVER_FIELDS, FLAG_FIELDS, FieldSet
from routing.intake.tables import Table, quote_all, read_table, workbook_sheets

#: Evidence (0-100) below which words in a question are not enough to read a column.
MIN_SCORE = 50
#: A header spelled as an alias; the same once a parenthesis or "your" is taken off.
EXACT, ALMOST = 100, 95
#: What being in the question rather than in its parenthesis or hint adds to the
#: words' weight (taken at 4/5, so that words never reach a known spelling).
IN_QUESTION = 10
#: Taken off the words' evidence for a yes/no question ("Is anyone home on weekdays?"),
#: except for yes/no fields.
YES_NO_PENALTY = 40

_FILLER = re.compile(
    r"^(?:(?:please|por favor) (?:enter|give|write|tell us|escriba|indique) |what is |"
    r"what s |whats |your |the |cual es |su |tu )+"
)
_YES_NO = re.compile(
    r"^(?:is|are|do|does|did|can|could|will|would|have|has|should|tiene|tienes|hay|puede|"
    r"puedes|es|esta|necesita|necesitas)\b"
)


#: An instruction, not a header: a numbered item, or several words ending with a full stop.
_SENTENCE = re.compile(r"^(?:\d+[.)]\s|(?:\S+\s+){4,}.*\.$)")


def fold_header(text: str) -> str:
    """``"Dirección (calle y número)"`` -> ``"direccion calle y numero"``, as aliases are kept."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", fold(text)).split())


def _question(header: str) -> str:
    """The question without its parentheses, brackets or what follows its "?", folded:
    ``"Street address (include apt #)"`` -> ``"street address"``."""
    main = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", header)
    head = main.split("?")[0]
    return fold_header(head if head.strip() else main)


def header_scores(header: str, fields: FieldSet) -> dict[str, int]:
    """Field -> evidence (0-100) that the column headed ``header`` holds it; ``""`` is the
    evidence that it holds nothing a plan uses."""
    folded = fold_header(header)
    question = _question(header)
    core = _FILLER.sub("", question)
    yes_no = bool(_YES_NO.match(question))
    out: dict[str, int] = {}
    for fld, spellings in fields.aliases.items():
        if folded in spellings:
            out[fld] = EXACT
        elif question in spellings or core in spellings:
            out[fld] = ALMOST
    if _SENTENCE.match(header.strip()):
        return out  # "2. Put the address in the Address column." is no question
    for words, fld, weight in fields.words:
        pattern = rf"\b{words}\b"
        if re.search(pattern, question):
            score = weight * 4 // 5 + IN_QUESTION
        elif re.search(pattern, folded):
            score = weight * 4 // 5
        else:
            continue
        if yes_no and fld and fld not in FLAG_FIELDS:
            score -= YES_NO_PENALTY
        if score > out.get(fld, 0):
            out[fld] = score
    return out


@dataclass(frozen=True)
class ColumnMatch:
    """Which column holds which field, and how each was recognised."""

    #: field -> column index
    cols: dict[str, int]
    #: Fields read from the words of a longer question rather than a known header.
    guessed: frozenset[str] = frozenset()
    #: Columns that hold nothing a plan uses (a form's timestamp).
    not_needed: frozenset[int] = frozenset()
    #: column index -> field -> evidence, for saying what an unread column looks like.
    scores: list[dict[str, int]] = field(default_factory=list, repr=False)

    def spares(self, headers: Sequence[str]) -> dict[str, tuple[int, ...]]:
        """For each field of :data:`SPARE_FIELDS` read from a column, the other columns of
        the sheet (``headers``) that hold another line of the same person, in the sheet's
        order: a row whose cell in the field's column is blank is read from the first of
        them that is not ("Home phone" where "Cell phone" is blank). Never a column of
        somebody else's ("Emergency contact phone", "Case worker phone")."""
        used = set(self.cols.values())
        out: dict[str, tuple[int, ...]] = {}
        for fld in sorted(SPARE_FIELDS & set(self.cols)):
            spare = tuple(
                i
                for i, s in enumerate(self.scores)
                if i not in used
                and i not in self.not_needed
                and s.get(fld, 0) >= MIN_SCORE // 2
                and s[fld] == max(v for f, v in s.items() if f)
                and _SAME_PERSON.search(fold_header(headers[i]))
                and not _SOMEBODY_ELSE.search(fold_header(headers[i]))
            )
            if spare:
                out[fld] = spare
        return out


#: Fields a second column may stand in for, row by row, where the first is blank.
SPARE_FIELDS = frozenset({"phone"})
#: Words of a header that name another line of the same person: "Home phone", "Alt. phone",
#: "Teléfono de casa", "Phone 2".
_SAME_PERSON = re.compile(
    r"\b(?:home|cell|cellphone|mobile|movil|celular|casa|work|trabajo|office|oficina|alt|"
    r"alternate|alternative|other|otro|second|secondary|segundo|landline|fijo|whatsapp|"
    r"day|daytime|evening|2)\b"
)
#: Words of a header that name somebody else's number, or something else about it.
_SOMEBODY_ELSE = re.compile(
    r"\b(?:emergency|emergencia|contact|contacto|referr\w*|referral|case|worker|manager|"
    r"caseworker|driver|volunteer|voluntario|familiar|family|relative|pariente|neighbou?r|"
    r"vecino|doctor|type|tipo|ext|extension)\b"
)


def map_columns(
    headers: Sequence[str], fields: FieldSet, columns: Mapping[str, str] | None = None
) -> ColumnMatch:
    """Which column holds which field, from the headers as written.

    ``columns`` (field -> header) wins; then, column by column, the strongest evidence
    (:func:`header_scores`); each column is read as one field at most. An unknown field
    or a header not in the file raises :class:`InputError` listing the headers.
    """
    folded = [fold_header(h) for h in headers]
    out: dict[str, int] = {}
    problems: list[InputProblem] = []
    for fld, header in (columns or {}).items():
        if fld not in fields.aliases:
            problems.append(_unknown_field(fld, header, fields))
            continue
        hits = [i for i, h in enumerate(folded) if h == fold_header(header)]
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
    scores = [header_scores(h, fields) if h.strip() else {} for h in headers]
    not_needed = {
        i
        for i, s in enumerate(scores)
        if s.get("", 0) and s[""] >= max((v for f, v in s.items() if f), default=0)
    }
    order = {f: k for k, f in enumerate(fields.aliases)}
    candidates = sorted(
        (-score, i, order[fld], fld)
        for i, s in enumerate(scores)
        if i not in not_needed
        for fld, score in s.items()
        if fld and score >= MIN_SCORE
    )
    used = set(out.values())
    guessed = set()
    for neg, i, _, fld in candidates:
        if fld in out or i in used:
            continue
        if -neg < max(v for f, v in scores[i].items() if f):
            # Its stronger field is another column's: "Home phone" beside "Mobile" is a
            # second phone, not the driver's home.
            continue
        out[fld] = i
        used.add(i)
        if -neg < ALMOST:
            guessed.add(fld)
    return ColumnMatch(out, frozenset(guessed), frozenset(not_needed - used), scores)


def _unknown_field(fld: str, header: str, fields: FieldSet) -> InputProblem:
    other = DRIVER_FIELDS if fields.kind == "deliveries" else DELIVERY_FIELDS
    hint = ""
    if fld in other.aliases:
        which = "the drivers' roster" if other.kind == "drivers" else "the delivery list"
        hint = f" ({fld} is a field of {which}: map it with {other.option} {fld}=...)"
    return InputProblem(
        "columns",
        f"{fld}={header}",
        f"unknown field {fld!r}{hint}; fields: {', '.join(fields.aliases)}",
    )


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


@dataclass(frozen=True)
class MappedTable:
    """A sheet, its columns, and what choosing them found (a sheet read instead of the
    first one)."""

    table: Table
    match: ColumnMatch
    problems: tuple[InputProblem, ...] = ()

    @property
    def cols(self) -> dict[str, int]:
        return self.match.cols


def read_mapped_table(
    source: Path | str | bytes,
    filename: str | None,
    sheet: str | None,
    columns: Mapping[str, str] | None,
    fields: FieldSet,
) -> MappedTable:
    """The file's table and its columns.

    When the first row's headers lack the required field, the next few rows are tried as
    the header row (titles above it). A workbook read without ``sheet`` is read from the
    sheet that holds this kind of table (the first may hold instructions, a workbook may
    hold both the deliveries and the drivers): a problem says which when it is not the
    first.

    Raises :class:`InputError` when the file cannot be read, ``columns`` names an unknown
    field or header, or the required column is missing (saying how to name it, and which
    sheets a workbook has).
    """
    try:
        table = read_table(source, filename=filename, sheet=sheet)
    except InputError:
        # A first sheet with a line of instructions and no table is no reason to give up.
        names = workbook_sheets(source, filename) if sheet is None else []
        if len(names) < 2:
            raise
        chosen = _best_sheet(names, None, source, filename, columns, fields)
        if chosen is None:
            raise InputError(_no_sheet(names, fields)) from None
        return _chosen(*chosen, names[0], fields)
    if sheet is not None or len(table.sheets) < 2:
        found = _find_header(table, columns, fields)
        if found is not None:
            return MappedTable(*found)
    else:
        chosen = _best_sheet(list(table.sheets), table, source, filename, columns, fields)
        if chosen is not None:
            return _chosen(*chosen, table.sheet, fields)
    match = map_columns(table.headers, fields, columns)  # raises for a bad mapping
    missing = fields.required(match.cols) or "address"  # never None here
    raise InputError(_missing(table, match, fields, missing))


#: Words in a sheet's name that say what it holds.
_SHEET_WORDS = {
    "deliveries": re.compile(
        r"deliver|entrega|stops|paradas|households|familias|recipients|clients|clientes"
        r"|orders|pedidos|despensas"
    ),
    "drivers": re.compile(r"driver|volunteer|voluntari|roster|conductor|chofer|repartidor|drivers"),
}
#: Sheets of a workbook looked at, at most.
MAX_SHEETS = 12


def _chosen(
    found: tuple[Table, ColumnMatch], name: str, first: str, fields: FieldSet
) -> MappedTable:
    """The sheet chosen, with a warning when it is not the first one."""
    if name == first:
        return MappedTable(*found)
    note = InputProblem(
        "sheet",
        name,
        f"sheet {name!r} was read: it holds the {fields.kind} table, the first sheet "
        f"({first!r}) does not (choose another with {fields.sheet_option} NAME)",
        None,
        "warning",
    )
    return MappedTable(*found, problems=(note,))


def _no_sheet(names: list[str], fields: FieldSet) -> InputProblem:
    return InputProblem(
        "sheet",
        "",
        f"no sheet of this workbook holds a {fields.kind} table; sheets: "
        f"{quote_all(names)}: choose the table's sheet with {fields.sheet_option} NAME",
    )


def _best_sheet(
    names: list[str],
    first: Table | None,
    source: Path | str | bytes,
    filename: str | None,
    columns: Mapping[str, str] | None,
    fields: FieldSet,
) -> tuple[tuple[Table, ColumnMatch], str] | None:
    """The sheet of a workbook that holds this kind of table, and its name: of the sheets
    where the required column is found, the one named for this kind (not for the other),
    else the one with the most columns recognised; the first one on a tie."""
    other = "drivers" if fields.kind == "deliveries" else "deliveries"
    best: tuple[tuple[int, int, int], tuple[Table, ColumnMatch], str] | None = None
    for k, name in enumerate(names[:MAX_SHEETS]):
        try:
            if first is not None and name == first.sheet:
                table = first
            else:
                table = read_table(source, filename=filename, sheet=name)
        except InputError:
            continue
        found = _find_header(table, columns, fields)
        if found is None:
            continue
        folded = fold_header(name)
        rank = (
            int(bool(_SHEET_WORDS[fields.kind].search(folded)))
            - int(bool(_SHEET_WORDS[other].search(folded))),
            len(found[1].cols),
            -k,
        )
        if best is None or rank > best[0]:
            best = (rank, found, name)
    return None if best is None else (best[1], best[2])


def _find_header(
    table: Table, columns: Mapping[str, str] | None, fields: FieldSet
) -> tuple[Table, ColumnMatch] | None:
    """The table with its header row (the first row, or one of the next few non-blank
    rows when titles sit above it) and its columns, when they include the required field."""
    for candidate in _header_rows(table):
        try:
            match = map_columns(candidate.headers, fields, columns)
        except InputError:
            continue
        if not fields.required(match.cols):
            return candidate, match
    return None


def _header_rows(table: Table) -> Iterator[Table]:
    """The table read with its headers in the first row, then in each of the next four
    rows with two cells or more."""
    yield table
    tried = 0
    for row_number, cells in table.rows:
        if sum(1 for c in cells if c) < 2:
            continue  # a header row below a title names two columns at least
        tried += 1
        if tried > 4:
            return
        try:
            yield table.with_header_at(row_number)
        except InputError:
            continue


def _missing(table: Table, match: ColumnMatch, fields: FieldSet, missing: str) -> InputProblem:
    found = quote_all([h for h in table.headers if h])
    reason = f"no {missing} column recognised; headers found: {found}."
    other = DRIVER_FIELDS if fields.kind == "deliveries" else DELIVERY_FIELDS
    theirs = map_columns(table.headers, other)
    if not other.required(theirs.cols) and len(theirs.cols) > len(match.cols):
        if other.kind == "drivers":
            reason += (
                " This looks like a drivers' roster, not a delivery list: check it with "
                "`aidroute import check FILE --drivers`, plan with it as --drivers FILE "
                '(kind="drivers" in the API).'
            )
        else:
            reason += (
                " This looks like a delivery list, not a drivers' roster: check it without "
                "--drivers, plan with it as the deliveries file "
                '(kind="deliveries" in the API).'
            )
        return InputProblem(missing, "", reason)
    if len(table.sheets) > 1:
        reason += (
            f" Sheets in this workbook: {quote_all(list(table.sheets))}; this is "
            f"{table.sheet!r}: choose the table's sheet with {fields.sheet_option} NAME."
        )
    reason += (
        f' Name the column, e.g. {fields.option} {missing}="Your header" on the command '
        f'line (columns={{"{missing}": "Your header"}} in the API)'
    )
    return InputProblem(missing, "", reason)


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


def unused_headers(table: Table, match: ColumnMatch) -> list[str]:
    """The non-blank headers no field uses (nor stands in for one), as written."""
    used = set(match.cols.values()).union(*match.spares(table.headers).values())
    return [h for i, h in enumerate(table.headers) if i not in used and h]


def column_notes(
    table: Table, match: ColumnMatch, fields: FieldSet
) -> tuple[dict[str, str], list[InputProblem]]:
    """What happened to the columns a person should know about.

    Returns header -> a sentence for every column not used for planning (not read, or read
    but unused such as an email), and warnings for what may be a mistake: a column not
    recognised or looking like a field another column took, and a field that changes
    whom a stop may go to read from a question's words.
    """
    notes: dict[str, str] = {}
    problems: list[InputProblem] = []
    header_of = {i: f for f, i in match.cols.items()}
    spare_of = {i: f for f, spare in match.spares(table.headers).items() for i in spare}
    for guess in sorted(match.guessed & fields.confirm):
        header = table.headers[match.cols[guess]]
        problems.append(_warning(header, _guessed(guess, fields)))
    for i, header in enumerate(table.headers):
        if not header:
            continue
        fld = header_of.get(i)
        if fld is not None:
            if fld in fields.unused:
                notes[header] = _unused(fld, header, fields)
            continue
        if i in match.not_needed:
            notes[header] = "not needed for planning"
            continue
        if i in spare_of:
            fld = spare_of[i]
            taken = table.headers[match.cols[fld]]
            notes[header] = (
                f"read as {fld} where {taken!r} is blank; to read this one first: "
                f'{fields.option} {fld}="{header}"'
            )
            continue
        scores = match.scores[i] if i < len(match.scores) else {}
        best = max(((s, f) for f, s in scores.items() if f), default=(0, ""))
        if best[0] >= MIN_SCORE // 2 and best[1] in match.cols:
            taken = table.headers[match.cols[best[1]]]
            note = (
                f"not read: it looks like {best[1]}, but {taken!r} is read as {best[1]}; "
                f'to read this one instead: {fields.option} {best[1]}="{header}"'
            )
        elif best[0] >= MIN_SCORE // 2:
            note = (
                f'not read: it may hold {best[1]}; to read it: {fields.option} {best[1]}="{header}"'
            )
        else:
            note = (
                "not read: not a column aidroute knows; if the plan needs it, name its "
                f'field, e.g. {fields.option} {_COMMON[fields.kind]}="{header}"'
            )
        notes[header] = note
        problems.append(_warning(header, note))
    return notes, problems


@dataclass(frozen=True)
class SheetFindings:
    """What reading a sheet's columns found, for the import's report."""

    #: Problems of the file as a whole, before any row's.
    problems: list[InputProblem]
    #: field -> header as written.
    columns: dict[str, str]
    ignored: list[str]
    notes: dict[str, str]
    guessed: list[str]


def sheet_findings(mapped: MappedTable, fields: FieldSet) -> SheetFindings:
    """The sheet read, the title rows skipped, and every column's fate."""
    table, match = mapped.table, mapped.match
    notes, warnings = column_notes(table, match, fields)
    return SheetFindings(
        problems=[*mapped.problems, *title_problems(table), *warnings],
        columns={f: table.headers[i] for f, i in match.cols.items()},
        ignored=unused_headers(table, match),
        notes=notes,
        guessed=sorted(match.guessed),
    )


#: The field a question nobody recognised most often holds, for the example in the note.
_COMMON = {"deliveries": "notes", "drivers": "skills"}


def _warning(header: str, reason: str) -> InputProblem:
    return InputProblem(header, "", reason, None, "warning")


def _guessed(fld: str, fields: FieldSet) -> str:
    what = {
        "skills": "the drivers' skills (a stop that needs a skill goes only to drivers "
        "who have it)",
        "hub": "the hub each driver loads at",
        "requires": "what each stop needs of its driver",
        "driver": "the driver each stop is pinned to",
        "exclude_drivers": "drivers never to send",
    }.get(fld, fld)
    return (
        f"read as {what}, guessed from the question's words; check it, or name the right "
        f'column: {fields.option} {fld}="Header"'
    )


def _unused(fld: str, header: str, fields: FieldSet) -> str:
    if fld == "notes" and fields.kind == "drivers":
        return (
            "read as notes, not used for planning; if it lists skills a stop may need "
            f'(large_car, heavy), read it as skills: {fields.option} skills="{header}"'
        )
    return f"read as {fld}, not used for planning"
