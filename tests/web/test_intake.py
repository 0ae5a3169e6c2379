"""The week page's Deliveries section over HTTP: the column step before any row is read, the
rows read and stored for the week, and the problems table's changes (fix, pin, skip)."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import openpyxl

from api.storage.engine import Database
from api.storage.models import ImportRecord
from api.storage.weeks import latest_import
from tests.helpers.intake import DEMO, FIXTURES
from tests.helpers.web_intake import INSIDE, choose_columns, day, new_week, read, row_action


def _stored(web_service, week: str) -> tuple[dict, dict]:
    _app, settings = web_service
    db = Database(settings.db_url())
    with db.session() as s:
        week_id = week.rsplit("/", 1)[1]
        record = s.scalar(
            __import__("sqlalchemy").select(ImportRecord).where(ImportRecord.week_id == week_id)
        )
        group_id = record.group_id
        record = latest_import(s, group_id, week_id)
        out = json.loads(record.report), json.loads(record.items)
    db.dispose()
    return out


def _counts(html: str) -> dict[str, int]:
    text = re.search(r'id="deliveries-counts"[^>]*>(.*?)</p>', html, re.S).group(1)
    words = ("rows", "placed as read", "fixed", "placed on the map", "skipped", "merged", "still")
    return {w: int(re.search(rf"(\d+) {w}", text).group(1)) for w in words}


def test_demo_spreadsheet_columns_then_rows(web_service, logged_in):
    """The demo list: each field's column is said before reading; reading it stores the
    stops for the week and the table lists the rows not placed, every row counted."""
    week = new_week(logged_in)
    data = (DEMO / "deliveries.csv").read_bytes()
    r, columns = choose_columns(logged_in, week, "deliveries.csv", data)
    assert r.status_code == 200
    assert columns["address"] == "Address" and columns["boxes"] == "Boxes"
    assert "We read 'Address' as address: change?" in r.text
    r = read(logged_in, week, "deliveries.csv", data, columns)
    assert r.status_code == 200, r.text
    counts = _counts(r.text)
    assert counts["rows"] == 120
    assert sum(v for k, v in counts.items() if k != "rows") == 120  # every row accounted for
    assert counts["still"] == 2  # "123 Nonexistent Street", an address in Manhattan
    report, items = _stored(web_service, week)
    assert report["kind"] == "deliveries" and report["area"] == "queens-village"
    assert len(items["stops"]) == 119  # one household written twice is planned once
    assert {"id", "address", "location", "boxes"} <= set(items["stops"][0])


def test_google_form_question_corrected_before_reading(web_service, logged_in):
    """A Google Forms export: the questions are read as fields; the dispatcher moves the
    notes to another question before the rows are read, and the stops carry it."""
    week = new_week(logged_in, day(10))
    data = (FIXTURES / "form_responses.csv").read_bytes()
    r, columns = choose_columns(logged_in, week, "form_responses.csv", data)
    assert columns["address"] == "Street address (include apt #)"
    assert columns["boxes"] == "How many bags?"
    assert "Is anyone home on weekdays?" in r.text  # offered, not read
    columns["notes"] = "Is anyone home on weekdays?"
    r = read(logged_in, week, "form_responses.csv", data, columns)
    assert r.status_code == 200, r.text
    _report, items = _stored(web_service, week)
    assert {st["notes"] for st in items["stops"]} >= {"Yes", "No"}


def test_a_second_phone_column_is_read_where_the_first_is_blank(web_service, logged_in):
    """A food bank's client export (Home Phone and Cell Phone, State): the column step says
    which phone stands in where the first is blank, and does not list it as not read; the
    household with only a home phone keeps it."""
    week = new_week(logged_in, day(12))
    data = (FIXTURES / "pantry_export.csv").read_bytes()
    r, columns = choose_columns(logged_in, week, "pantry.csv", data)
    assert columns["phone"] == "Cell Phone"
    assert "We read 'Cell Phone' as phone: change? Where it is blank: 'Home Phone'." in r.text
    not_read = r.text.split("Not read:")[1].split("</p>")[0]
    assert "Home Phone" not in not_read and "Delivery Day" in not_read
    r = read(logged_in, week, "pantry.csv", data, columns)
    assert r.status_code == 200, r.text
    _report, items = _stored(web_service, week)
    phones = {st["recipient"]: st["phone"] for st in items["stops"]}
    assert phones == {
        "Maria Lopez": "(347) 555-0168",
        "John Smith": "(718) 555-0100",
        "Fatima Begum": "(917) 555-0172",
    }


def test_spanish_form_is_read_and_page_is_in_spanish(web_service, logged_in):
    """A Spanish form on a Spanish page: the columns found, the step's words in Spanish."""
    logged_in.cookies.set("aidroute_lang", "es")
    week = new_week(logged_in, day(17))
    data = (FIXTURES / "respuestas_formulario.csv").read_bytes()
    r, columns = choose_columns(logged_in, week, "respuestas.csv", data)
    assert columns["address"] == "Dirección (calle y número)"
    assert columns["boxes"] == "¿Cuántas cajas necesita?"
    assert "Leer las filas" in r.text
    r = read(logged_in, week, "respuestas.csv", data, columns)
    assert r.status_code == 200
    assert "4 filas" in r.text


def test_workbook_with_an_instructions_tab(web_service, logged_in):
    """A workbook whose first sheet is instructions: the table's sheet is read, and said."""
    book = openpyxl.Workbook()
    book.active.title = "Instructions"
    book.active.append(["Fill in one row per household. Thank you!"])
    sheet = book.create_sheet("Deliveries")
    sheet.append(["Name", "Where do you live?", "How many bags?"])
    sheet.append(["Ana", "206-16 Hollis Avenue", "2"])
    sheet.append(["Bo", "203-06 109th Ave", "1"])
    buf = io.BytesIO()
    book.save(buf)
    week = new_week(logged_in, day(24))
    r, columns = choose_columns(logged_in, week, "week.xlsx", buf.getvalue())
    assert "Deliveries" in r.text and columns["address"] == "Where do you live?"
    r = read(logged_in, week, "week.xlsx", buf.getvalue(), columns, sheet="Deliveries")
    assert r.status_code == 200, r.text
    assert _counts(r.text)["placed as read"] == 2


def test_no_address_column_asks_for_it_then_reads(web_service, logged_in):
    """Headers nobody recognises: the step says which field is missing and offers the
    columns; with the address chosen the rows are read."""
    week = new_week(logged_in, day(31))
    data = b"Who,Drop-off spot\nAna,206-16 Hollis Avenue\n"
    r, columns = choose_columns(logged_in, week, "odd.csv", data)
    assert r.status_code == 200
    assert "No column was recognised as address" in r.text
    r = read(logged_in, week, "odd.csv", data, {**columns, "address": "Drop-off spot"})
    assert r.status_code == 200 and _counts(r.text)["placed as read"] == 1


def test_a_libreoffice_spreadsheet_is_read_on_the_page(web_service, logged_in):
    """An .ods saved by LibreOffice Calc goes through the page as an Excel file does (it
    was refused as "no spreadsheet")."""
    stored = []
    for n, name in enumerate(("lista.ods", "lista.xlsx")):
        week = new_week(logged_in, day(39 + n))
        data = (FIXTURES / f"messy_deliveries{Path(name).suffix}").read_bytes()
        r, columns = choose_columns(logged_in, week, name, data)
        assert r.status_code == 200, r.text
        r = read(logged_in, week, name, data, columns)
        assert r.status_code == 200, r.text
        stored.append(_stored(web_service, week)[1]["stops"])
    assert stored[0] == stored[1] and len(stored[0]) == 12


def test_bad_files_and_choices_are_said_next_to_them(web_service, logged_in):
    """A file that is no spreadsheet, and one column chosen twice: 422 fragments in words,
    retargeted next to the file input and the read button."""
    week = new_week(logged_in, day(38))
    r, _ = choose_columns(logged_in, week, "photo.png", b"\x89PNG....")
    assert r.status_code == 422 and r.headers["HX-Retarget"] == "#deliveries-file-error"
    assert "Choose a spreadsheet" in r.text
    data = (DEMO / "deliveries.csv").read_bytes()
    r = read(logged_in, week, "deliveries.csv", data, {"address": "Address", "notes": "Address"})
    assert r.status_code == 422 and r.headers["HX-Retarget"] == "#deliveries-read-error"
    assert "chosen for both Address and Notes" in r.text


def test_a_bad_file_is_named_as_the_page_names_it(web_service, logged_in):
    """A photo renamed .xlsx, on the Spanish page: the reason names "the file", not the
    form's field; a roster's bad file says the same."""
    logged_in.cookies.set("aidroute_lang", "es")
    week = new_week(logged_in, day(39))
    photo = b"\x89PNG\r\n\x1a\n" + bytes(200)
    for kind in ("deliveries", "drivers"):
        r, _ = choose_columns(logged_in, week, "photo.xlsx", photo, kind=kind)
        assert r.status_code == 422 and r.headers["HX-Retarget"] == f"#{kind}-file-error"
        text = re.sub(r"<[^>]+>", "", r.text)
        assert "El archivo (valor 'photo.xlsx'): " in text
        assert "columna" not in text and "'file'" not in text
    r, _ = choose_columns(logged_in, week, "", b"")
    assert "El archivo: " in re.sub(r"<[^>]+>", "", r.text)


def _row_cells(html: str, row: int) -> tuple[str, str]:
    """The Name and "Address as written" cells of row ``row`` of the table."""
    found = re.search(
        rf'<tr id="row-{row}"[^>]*>\s*<th[^>]*>{row}</th>\s*<td>(.*?)</td>\s*<td>(.*?)</td>',
        html,
        re.S,
    )
    assert found, html[-3000:]
    return found.group(1).strip(), found.group(2).strip()


def test_rows_without_a_stop_say_whose_they_are(web_service, logged_in):
    """Rows whose box count cannot be guessed, and a household written twice: each row of
    the table shows the name and the address as read, and both rows of the household
    quote the same address."""
    week = new_week(logged_in, day(46))
    data = (
        b"Name,Address,Boxes\n"
        b"A,102-33 212th Street,99999999999999999999999999\n"
        b"B,113-46 212th Street,1e308\n"
        b"C,215-27 Hollis Avenue,2\n"
        b'Maria Lopez,"113-46 212th Street Apt 3B",2\n'
        b'Maria Lopez,"113-46 212th Street Apt 3B",2\n'
    )
    r = read(logged_in, week, "list.csv", data, {})
    assert r.status_code == 200, r.text
    assert _row_cells(r.text, 2) == ("A", "102-33 212th Street")
    assert _row_cells(r.text, 3) == ("B", "113-46 212th Street")
    assert _row_cells(r.text, 5) == ("Maria Lopez", "113-46 212th Street, Apt 3B")
    assert _row_cells(r.text, 6) == ("Maria Lopez", "113-46 212th Street, Apt 3B")
    quoted = re.findall(r"Address '([^']+)': same address", r.text)
    assert quoted == ["113-46 212th Street, Apt 3B"] * 2


def test_fix_pin_skip_and_restore_rows(web_service, logged_in):
    """The two rows not found: one fixed (a street without that door is refused with the
    nearest doors suggested, the suggestion then taken), one pinned; a third skipped, then
    brought back. The stored stops follow each change."""
    week = new_week(logged_in, day(45))
    data = (DEMO / "deliveries.csv").read_bytes()
    _r, columns = choose_columns(logged_in, week, "deliveries.csv", data)
    page = read(logged_in, week, "deliveries.csv", data, columns).text
    # Row 99: "123 Nonexistent Street".
    r = row_action(logged_in, week, page, 99, "fix", address="218-10 Hollis Ave")
    assert r.status_code == 422
    assert 'value="218-10 Hollis Ave"' in r.text  # what was typed is kept
    suggestions = re.findall(r'name="suggestion" value="([^"]+)"', r.text)
    assert suggestions and all("Hollis Avenue" in s for s in suggestions)
    r = row_action(logged_in, week, page, 99, "fix", suggestion=suggestions[0])
    assert r.status_code == 200 and "state-fixed" in r.text
    assert "hx-swap-oob" in r.text  # the counts follow
    # Row 100: in Manhattan. A point outside the area is refused, one inside kept.
    r = row_action(logged_in, week, page, 100, "pin", point="40.7484, -73.9857")
    assert r.status_code == 422 and "outside the area" in r.text
    r = row_action(logged_in, week, page, 100, "pin", point=f"{INSIDE[0]}, {INSIDE[1]}")
    assert r.status_code == 200 and "state-pinned" in r.text
    r = row_action(logged_in, week, page, 36, "skip")
    assert "state-skipped" in r.text
    report, items = _stored(web_service, week)
    stops = {st["row"]: st for st in items["stops"]}
    assert stops[99]["address"] == suggestions[0] and stops[99]["precision"] == "exact"
    assert (stops[100]["lat"], stops[100]["lon"]) == INSIDE
    assert 36 not in stops and "36" in report["skipped"]
    counts = _counts(r.text)
    assert (counts["fixed"], counts["placed on the map"], counts["skipped"]) == (1, 1, 1)
    assert counts["still"] == 0
    r = row_action(logged_in, week, page, 36, "restore")
    _report, items = _stored(web_service, week)
    assert 36 in {st["row"] for st in items["stops"]}


def test_a_corrected_spreadsheet_read_again_keeps_the_pages_fixes(web_service, logged_in):
    """The dispatcher fixes one address and skips a row on the page, then corrects other
    rows in the spreadsheet (a box count, the address of the household pinned in
    Manhattan) and reads it again: the fix and the skip are kept, the pin is not (the
    spreadsheet now writes that row differently), and the page says so."""
    week = new_week(logged_in, day(53))
    data = (DEMO / "deliveries.csv").read_bytes()
    page = read(logged_in, week, "deliveries.csv", data, {}).text
    r = row_action(logged_in, week, page, 99, "fix", address="218-10 Hollis Ave")
    fixed = re.findall(r'name="suggestion" value="([^"]+)"', r.text)[0]
    assert row_action(logged_in, week, page, 99, "fix", suggestion=fixed).status_code == 200
    assert row_action(logged_in, week, page, 36, "skip").status_code == 200
    r = row_action(logged_in, week, page, 100, "pin", point=f"{INSIDE[0]}, {INSIDE[1]}")
    assert r.status_code == 200
    lines = data.decode("utf-8").splitlines()
    assert lines[99].startswith("Paulette Noel") and lines[1].startswith("Amina Hernandez")
    lines[99] = "Paulette Noel,98-12 218th st,,11429,9295550100,2,,,Haitian Creole"
    lines[1] = lines[1].replace(",1,,,English", ",3,,,English")
    corrected = ("\n".join(lines) + "\n").encode("utf-8")
    page = read(logged_in, week, "deliveries-v2.csv", corrected, {}).text
    assert "Kept from the list read before: 2 changes made on this page." in page
    assert "1 change was for a row this file no longer has, or now writes differently" in page
    report, items = _stored(web_service, week)
    stops = {st["row"]: st for st in items["stops"]}
    assert stops[99]["address"] == fixed and stops[99]["precision"] == "exact"
    assert 36 not in stops and "36" in report["skipped"]
    assert stops[100]["address"] == "98-12 218th st" and stops[100].get("lat") is None
    assert stops[2]["boxes"] == 3
    counts = _counts(page)
    assert (counts["fixed"], counts["skipped"], counts["placed on the map"]) == (1, 1, 0)


def test_a_household_written_twice_keeps_its_skip_on_the_row_that_was_planned(
    web_service, logged_in
):
    """Two identical rows are one household, planned from one of them: the dispatcher skips
    that one, reads the same file again, and the household is still left out (the skip is
    not given to the other row, which gives no stop)."""
    week = new_week(logged_in, day(54))
    lines = (DEMO / "deliveries.csv").read_text(encoding="utf-8").splitlines()
    data = ("\n".join([*lines, lines[1]]) + "\n").encode("utf-8")  # row 2 again, as row 121
    page = read(logged_in, week, "twice.csv", data, {}).text
    _report, items = _stored(web_service, week)
    (planned,) = [st["row"] for st in items["stops"] if st["recipient"] == "Amina Hernandez"]
    assert row_action(logged_in, week, page, planned, "skip").status_code == 200
    page = read(logged_in, week, "twice.csv", data, {}).text
    assert "Kept from the list read before: 1 change made on this page." in page
    report, items = _stored(web_service, week)
    assert "Amina Hernandez" not in {st["recipient"] for st in items["stops"]}
    assert [e["row"] for e in report["rows"] if e.get("action") == "skipped"] == [planned]


def test_another_groups_import_is_not_found(web_service, logged_in, dispatcher):
    """A row of a list of another group's week answers 404, whatever the ids."""
    week = new_week(logged_in, day(52))
    data = (DEMO / "deliveries.csv").read_bytes()
    page = read(logged_in, week, "deliveries.csv", data, {}).text
    import_id = re.search(r"/imports/(\w+)/rows/", page).group(1)
    from tests.helpers.service import client
    from tests.web.conftest import PASSWORD

    app, settings = web_service
    other = client(app, follow_redirects=False)
    from api.storage import accounts
    from tests.helpers.service import new_member

    new_member(settings, "Other group", "other-intake@example.org")
    db = Database(settings.db_url())
    with db.session() as s:
        accounts.set_password(s, "other-intake@example.org", PASSWORD)
    db.dispose()
    other.post("/login", data={"email": "other-intake@example.org", "password": PASSWORD})
    r = row_action(other, week, page, 99, "skip")
    assert r.status_code == 404
    their_week = new_week(other, day(52))
    r = other.post(
        f"{their_week}/imports/{import_id}/rows/99/skip",
        headers={
            "X-CSRF-Token": re.search(r'"X-CSRF-Token": "([\w-]+)"', other.get("/app").text).group(
                1
            )
        },
    )
    assert r.status_code == 404


def test_start_from_last_week(web_service, logged_in):
    """A new week starts from the last week's list as it was left (a skip kept)."""
    first = new_week(logged_in, day(59))
    data = (DEMO / "deliveries.csv").read_bytes()
    page = read(logged_in, first, "deliveries.csv", data, {}).text
    row_action(logged_in, first, page, 36, "skip")
    second = new_week(logged_in, day(66))
    body = logged_in.get(f"{second}/deliveries").text
    assert "Start from last week" in body
    from tests.helpers.web_intake import headers

    r = logged_in.post(f"{second}/deliveries/last-week", headers=headers(logged_in, second))
    assert r.status_code == 200
    report, items = _stored(web_service, second)
    assert len(items["stops"]) == 118 and "36" in report["skipped"]
