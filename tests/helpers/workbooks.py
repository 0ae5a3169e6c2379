"""Excel workbooks built part by part, as Excel writes them (shared strings), for the
tests of hostile files: a part can be replaced by streamed content (a huge cell, a million
rows, a row of millions of cells) without building it in memory."""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path

SHEET = "xl/worksheets/sheet1.xml"
STRINGS = "xl/sharedStrings.xml"
_SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
_SHEET_TAIL = b"</sheetData></worksheet>"


_NS = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_REL = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CT = b"application/vnd.openxmlformats-officedocument.spreadsheetml"
_PARTS: dict[str, bytes] = {
    "[Content_Types].xml": b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" '
    b'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/xl/workbook.xml" ContentType="' + _CT + b'.sheet.main+xml"/>'
    b'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="' + _CT + b'.worksheet+xml"/>'
    b'<Override PartName="/xl/sharedStrings.xml" ContentType="' + _CT + b'.sharedStrings+xml"/>'
    b"</Types>",
    "_rels/.rels": b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="' + _REL + b'/officeDocument" Target="xl/workbook.xml"/>'
    b"</Relationships>",
    "xl/workbook.xml": b'<?xml version="1.0" encoding="UTF-8"?><workbook ' + _NS + b" "
    b'xmlns:r="' + _REL + b'"><sheets><sheet name="Deliveries" sheetId="1" r:id="rId1"/>'
    b"</sheets></workbook>",
    "xl/_rels/workbook.xml.rels": b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="' + _REL + b'/worksheet" Target="worksheets/sheet1.xml"/>'
    b'<Relationship Id="rId2" Type="' + _REL + b'/sharedStrings" Target="sharedStrings.xml"/>'
    b"</Relationships>",
    SHEET: _SHEET_HEAD
    + b'<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
    + b'<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" t="s"><v>3</v></c></row>'
    + _SHEET_TAIL,
    STRINGS: b"<sst " + _NS + b"><si><t>Name</t></si><si><t>Address</t></si><si><t>Ana</t></si>"
    b"<si><t>206-16 Hollis Avenue</t></si></sst>",
}


def workbook(path: Path, replace: dict[str, Callable[[], Iterable[bytes]]]) -> Path:
    """A workbook as Excel writes it (shared strings), some parts replaced by streamed
    content."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        for name, content in _PARTS.items():
            with out.open(name, "w", force_zip64=True) as f:
                for chunk in replace[name]() if name in replace else [content]:
                    f.write(chunk)
    return path


def huge_cell(n_chars: int) -> Callable[[], Iterable[bytes]]:
    def strings() -> Iterable[bytes]:
        yield b"<sst " + _NS + b"><si><t>Name</t></si><si><t>Address</t></si><si><t>Ana</t></si>"
        yield b"<si><t>"
        block = b"A" * (1 << 20)
        for _ in range(n_chars >> 20):
            yield block
        yield b"</t></si></sst>"

    return strings


def rows(n: int, cells_per_row: int = 2) -> Callable[[], Iterable[bytes]]:
    def sheet() -> Iterable[bytes]:
        yield _SHEET_HEAD
        yield b'<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
        batch = []
        for i in range(2, n + 2):
            batch.append(b'<row r="%d">' % i + b'<c t="s"><v>3</v></c>' * cells_per_row + b"</row>")
            if len(batch) == 10_000:
                yield b"".join(batch)
                batch = []
        yield b"".join(batch)
        yield _SHEET_TAIL

    return sheet


def wide_row(cells: int) -> Callable[[], Iterable[bytes]]:
    def sheet() -> Iterable[bytes]:
        yield _SHEET_HEAD + b'<row r="1">'
        for _ in range(cells // 10_000):
            yield b"<c/>" * 10_000
        yield b"</row>" + _SHEET_TAIL

    return sheet
