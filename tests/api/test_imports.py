"""POST /imports through TestClient: real uploads, clear 4xx answers, never a 500."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from tests.helpers.service import client as service_client
from tests.helpers.service import new_member, settings_for

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "data" / "demo"
FIXTURES = ROOT / "tests" / "fixtures"


@pytest.fixture
def client(tmp_path) -> TestClient:
    """The real app, on a scratch SQLite file, with a 64 kB upload limit."""
    settings = settings_for(tmp_path, default_area="queens-village", max_upload_bytes=64_000)
    member = new_member(settings, "imports", "imports@example.org")
    return service_client(create_app(settings), member, raise_server_exceptions=False)


def _upload(client: TestClient, name: str, data: bytes, **form: str):
    return client.post("/imports", files={"file": (name, data)}, data=form)


def test_demo_deliveries(client) -> None:
    """The sample week answers its stops and the per-row report."""
    r = _upload(client, "deliveries.csv", (DEMO / "deliveries.csv").read_bytes())
    assert r.status_code == 200
    body = r.json()
    # Row 9 repeats row 35's household: merged into it, with a warning on both rows.
    assert body["summary"] == {
        "rows": 120,
        "placed": 117,
        "warnings": 4,
        "errors": 2,
        "blank_rows": 2,
    }
    assert len(body["stops"]) == 119 and len(body["rows"]) == 120
    first = body["stops"][0]
    assert first["id"] == "2" and first["precision"] == "exact"
    assert first["location"]["lat"] == pytest.approx(body["rows"][0]["lat"])
    errors = [row for row in body["rows"] if row["status"] == "error"]
    assert {row["precision"] for row in errors} == {"not_found", "outside_area"}


def test_drivers_roster(client) -> None:
    """kind=drivers reads a roster."""
    r = _upload(client, "drivers.csv", (DEMO / "drivers.csv").read_bytes(), kind="drivers")
    assert r.status_code == 200
    assert r.json()["kind"] == "drivers" and len(r.json()["drivers"]) == 12


def test_a_roster_row_left_out_names_the_driver(client) -> None:
    """A roster row that gives no driver names who is left out in the problems' reasons,
    as the command line's table does."""
    data = (FIXTURES / "roster_left_out.csv").read_bytes()
    r = _upload(client, "roster.csv", data, kind="drivers")
    assert r.status_code == 200, r.text
    body = r.json()
    assert len(body["drivers"]) == 7
    errors = {(p["row"], p["reason"]) for p in body["problems"] if p["severity"] == "error"}
    assert (8, "Gus Hall is left out: expected a number of boxes, such as 20") in errors
    assert (10, "Bob Smith is left out: no capacity: how many boxes fit in the car?") in errors
    row = next(row for row in body["rows"] if row["row"] == 10)
    assert row["status"] == "error" and row["id"] == "Bob Smith"
    assert row["problems"][0]["reason"].startswith("Bob Smith is left out:")


def test_ods_upload(client) -> None:
    """A LibreOffice .ods spreadsheet gives the same report as its Excel twin."""
    ods = _upload(client, "list.ods", (FIXTURES / "messy_deliveries.ods").read_bytes())
    xlsx = _upload(client, "list.xlsx", (FIXTURES / "messy_deliveries.xlsx").read_bytes())
    assert ods.status_code == xlsx.status_code == 200
    assert ods.json()["rows"] == xlsx.json()["rows"]


def test_xlsx_upload(client) -> None:
    """An Excel workbook gives the same report as its CSV twin."""
    xlsx = _upload(client, "list.xlsx", (FIXTURES / "messy_deliveries.xlsx").read_bytes())
    csv = _upload(client, "list.csv", (FIXTURES / "messy_deliveries.csv").read_bytes())
    assert xlsx.status_code == csv.status_code == 200
    assert xlsx.json()["rows"] == csv.json()["rows"]
    bad_sheet = _upload(
        client, "list.xlsx", (FIXTURES / "messy_deliveries.xlsx").read_bytes(), sheet="Week 3"
    )
    assert bad_sheet.status_code == 422 and "Deliveries" in bad_sheet.json()["detail"]


def test_non_utf8_file(client) -> None:
    """A Windows-1252 file (Excel's 'CSV' on Windows) is read with its accents intact."""
    data = ("Nombre,Dirección,Código postal\nJosé Peña,206-16 Hollis Ave,11429\n").encode("cp1252")
    r = _upload(client, "lista.csv", data)
    assert r.status_code == 200
    body = r.json()
    assert body["stops"][0]["recipient"] == "José Peña"
    assert body["columns"]["address"] == "Dirección"
    assert body["rows"][0]["precision"] == "exact"


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("empty.csv", b"", "empty"),
        ("headers.csv", b"Name,Address,Zip\n", "only a header row"),
        ("photo.csv", bytes(range(256)) * 8, "not a text spreadsheet"),
        ("report.csv", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "PDF"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, ".xls"),
        ("fake.xlsx", b"PK\x03\x04 this is not a workbook", "Excel"),
        ("who.csv", b"Who,Drop-off spot\nAna,206-16 Hollis Ave\n", "--columns"),
    ],
)
def test_unreadable_files_answer_422(client, name: str, data: bytes, words: str) -> None:
    """Empty, headers-only, binary-renamed-.csv and similar files: 422 and a plain message."""
    r = _upload(client, name, data)
    assert r.status_code == 422
    body = r.json()
    assert words in body["detail"]
    assert body["problems"][0]["field"] in {"file", "address"}


def test_columns_mapping(client) -> None:
    """The columns form field maps headers, as JSON or as field=Header lines."""
    data = b"Who,Drop-off spot\nAna,206-16 Hollis Ave\n"
    for columns in (
        '{"address": "Drop-off spot", "name": "Who"}',
        'address="Drop-off spot"\nname=Who',
    ):
        r = _upload(client, "who.csv", data, columns=columns)
        assert r.status_code == 200, r.json()
        assert r.json()["stops"][0]["recipient"] == "Ana"
    for bad in ("{not json", '{"address": 3}', "address", '{"colour": "Who"}'):
        r = _upload(client, "who.csv", data, columns=bad)
        assert r.status_code == 422 and r.json()["detail"]


def test_oversized_file_answers_413(client) -> None:
    """A file over the configured limit is refused with the limit in the message."""
    data = b"Name,Address\n" + b"Ana,206-16 Hollis Ave\n" * 4000
    r = _upload(client, "big.csv", data)
    assert r.status_code == 413
    assert "0.1 MB" in r.json()["detail"]


def test_missing_file_and_bad_kind(client) -> None:
    """A request without a file, or with an unknown kind, is a 422 naming the field."""
    assert client.post("/imports").status_code == 422
    r = _upload(client, "d.csv", b"Name,Address\nA,B\n", kind="trucks")
    assert r.status_code == 422


@pytest.mark.parametrize(
    "data",
    [
        b"\xff\xfe" + "Name,Address\nA,1 Main\n".encode("utf-16-le"),
        b'Name,Address\r\n"unterminated,1 Main\r\n',
        b"a" * 5000,
        b"\n\n\nName\n\n\nA\n",
        "Name,Address\nA,😀 Street 5\n".encode(),
        b"Name,Address,lat,lon\nA,,1e999,-1e999\n",
    ],
)
def test_never_a_500(client, data: bytes) -> None:
    """Odd uploads answer 200 or 4xx, never a server error."""
    r = _upload(client, "odd.csv", data)
    assert r.status_code < 500, r.text


# --- the same check from the command line ------------------------------------------------


def test_cli_import_check_json(capsys) -> None:
    """`aidroute import check --json` prints the report; exit 1 when a row is an error."""
    import json

    from api.cli import main

    code = main(
        ["import", "check", str(DEMO / "deliveries.csv"), "--area", "queens-village", "--json"]
    )
    assert code == 1
    body = json.loads(capsys.readouterr().out)
    assert body["summary"]["rows"] == 120 and body["summary"]["errors"] == 2
    assert {
        "row",
        "id",
        "status",
        "precision",
        "score",
        "matched",
        "lat",
        "lon",
        "suggestion",
        "name",
        "address",
        "problems",
    } == set(body["rows"][0])


def test_cli_import_check_table_and_columns(tmp_path, capsys) -> None:
    """The table form ends with the one-line summary; --columns maps a header; exit 0."""
    from api.cli import main

    path = tmp_path / "who.csv"
    path.write_text("Who,Drop-off spot\nAna,206-16 Hollis Ave\n", encoding="utf-8")
    assert main(["import", "check", str(path), "--area", "queens-village"]) == 2
    assert "Drop-off spot" in capsys.readouterr().err
    code = main(
        [
            "import",
            "check",
            str(path),
            "--area",
            "queens-village",
            "--columns",
            "address=Drop-off spot",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "1 rows read: 1 placed, 0 with warnings, 0 with errors" in out


def test_cli_import_check_drivers(capsys) -> None:
    """--drivers checks a roster."""
    from api.cli import main

    assert main(["import", "check", str(DEMO / "drivers.csv"), "--drivers"]) == 0
    assert "12 rows read" in capsys.readouterr().out


def test_cli_online_fallback(tmp_path, capsys) -> None:
    """--online asks a (local) Nominatim-compatible service only for what the area misses."""
    import json
    import threading
    from http.server import ThreadingHTTPServer

    from api.cli import main
    from tests.helpers.geocoding import FakeGeocoderHandler

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), FakeGeocoderHandler)
    httpd.seen = []  # type: ignore[attr-defined]
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        path = tmp_path / "list.csv"
        path.write_text("Name,Address\nAna,206-16 Hollis Ave\nBo,1 Main St\n", encoding="utf-8")
        code = main(
            [
                "import",
                "check",
                str(path),
                "--area",
                "queens-village",
                "--json",
                "--online",
                f"http://127.0.0.1:{httpd.server_address[1]}",
            ]
        )
    finally:
        httpd.shutdown()
        httpd.server_close()
    body = json.loads(capsys.readouterr().out)
    assert code == 0
    assert [r["precision"] for r in body["rows"]] == ["exact", "exact"]
    assert [q for _, q, _ in httpd.seen] == ["1 Main St"]  # the placed row was not sent


def test_cli_online_without_area_is_refused(tmp_path, capsys) -> None:
    """--online without --area would send every address out: refused, naming --online."""
    from api.cli import main

    path = tmp_path / "list.csv"
    path.write_text("Name,Address\nAna,206-16 Hollis Ave\n", encoding="utf-8")
    code = main(["import", "check", str(path), "--online", "http://127.0.0.1:9"])
    assert code == 2
    assert "--online" in capsys.readouterr().err
