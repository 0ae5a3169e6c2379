"""The week page's Drivers section over HTTP: a roster read from a spreadsheet (the same
column step), ticks, hours and car size edited in place and kept, hubs by a place's name;
and week_inputs, the body the plan step sends to POST /jobs."""

from __future__ import annotations

import re

from api.schemas import PlanCreate
from api.storage.engine import Database
from api.storage.models import WeekRecord
from api.storage.weeks import week_inputs
from tests.helpers.intake import DEMO, FIXTURES
from tests.helpers.service import wait_job
from tests.helpers.web_intake import choose_columns, day, headers, new_week, read, row_action


def _driver_id(html: str, name: str) -> str:
    found = re.search(
        rf'<tr id="driver-(\w+)"[^>]*>\s*<td>[^<]*<input[^>]*aria-label="{name}', html
    )
    assert found, html[:2000]
    return found.group(1)


def _inputs(web_service, week: str) -> dict:
    _app, settings = web_service
    db = Database(settings.db_url())
    with db.session() as s:
        record = s.get(WeekRecord, week.rsplit("/", 1)[1])
        body = week_inputs(s, record.group_id, record.id)
    db.dispose()
    return body


def test_spanish_roster_read_ticked_and_edited(web_service, logged_in):
    """A Spanish roster through the column step; a driver unticked, another's hours and
    car size changed: the roster keeps them for the next week."""
    week = new_week(logged_in, day(94))
    data = (FIXTURES / "voluntarios.csv").read_bytes()
    r, columns = choose_columns(logged_in, week, "voluntarios.csv", data, kind="drivers")
    assert columns["capacity"] == "Capacidad (cajas)" and columns["window"] == "Disponible"
    r = read(logged_in, week, "voluntarios.csv", data, columns, kind="drivers")
    assert r.status_code == 200, r.text
    assert "5 drivers available this week" in r.text
    maria = _driver_id(r.text, "María López")
    h = headers(logged_in, week)
    r = logged_in.post(
        f"{week}/drivers/{maria}", data={"shift": "10-14", "capacity": "20"}, headers=h
    )
    assert r.status_code == 200 and 'value="10:00-14:00"' in r.text and "checked" not in r.text
    pedro = _driver_id(logged_in.get(f"{week}/drivers").text, "Pedro Sánchez")
    r = logged_in.post(
        f"{week}/drivers/{pedro}",
        data={"available": "on", "shift": "whenever", "capacity": "lots"},
        headers=h,
    )
    assert r.status_code == 422
    assert "Hours such as 9-13" in r.text and "A number of boxes" in r.text
    assert 'value="whenever"' in r.text and 'value="lots"' in r.text  # nothing typed lost
    next_week = new_week(logged_in, day(101))
    page = logged_in.get(f"{next_week}/drivers").text
    assert "4 drivers available this week" in page
    assert 'value="10:00-14:00"' in page and 'value="20"' in page


def test_add_driver_and_hubs(web_service, logged_in):
    """A driver added by hand; hubs by a place's name and by an address; a whole street is
    refused with the text kept; a hub unticked is left out of the week's inputs."""
    week = new_week(logged_in, day(108))
    h = headers(logged_in, week)
    r = logged_in.post(
        f"{week}/drivers", data={"name": "Dee", "shift": "9am-1pm", "capacity": "12"}, headers=h
    )
    assert r.status_code == 200 and "1 driver available this week" in r.text
    r = logged_in.post(
        f"{week}/drivers", data={"name": "", "shift": "9-13", "capacity": "x"}, headers=h
    )
    assert r.status_code == 422 and "Type the driver&#39;s name" in r.text
    # A phone that cannot be dialled is said with the other mistakes, what was typed kept;
    # a real one, or none, is taken.
    bob = {"name": "Bob Smith", "phone": "12", "shift": "10am-2pm", "capacity": "10"}
    r = logged_in.post(f"{week}/drivers", data={**bob, "capacity": "lots"}, headers=h)
    assert r.status_code == 422 and "A number of boxes" in r.text
    assert "Not a phone number that can be dialled in US" in r.text and 'value="12"' in r.text
    spanish = logged_in.post(f"{week}/drivers", data=bob, headers={**h, "Accept-Language": "es"})
    assert spanish.status_code == 422 and "No es un número de teléfono" in spanish.text
    r = logged_in.post(f"{week}/drivers", data={**bob, "phone": "(718) 464-2300"}, headers=h)
    assert r.status_code == 200 and "2 drivers available this week" in r.text
    r = logged_in.post(f"{week}/drivers", data={**bob, "name": "Cy", "phone": ""}, headers=h)
    assert r.status_code == 200 and "3 drivers available this week" in r.text
    r = logged_in.post(f"{week}/hubs", data={"place": "Compare Foods"}, headers=h)
    assert r.status_code == 200 and "Use Compare Foods" in r.text
    r = logged_in.post(f"{week}/hubs", data={"place": "Hollis Avenue"}, headers=h)
    assert r.status_code == 422 and "a street, not a place" in r.text
    assert 'value="Hollis Avenue"' in r.text
    r = logged_in.post(
        f"{week}/hubs", data={"place": "206-16 Hollis Avenue", "name": "Church hall"}, headers=h
    )
    assert "Use Church hall" in r.text
    body = _inputs(web_service, week)
    assert {x["name"] for x in body["hubs"]} == {"Compare Foods", "Church hall"}
    hall = re.search(r'<li id="hub-(\w+)">(?:(?!</li>).)*Use Church hall', r.text, re.S).group(1)
    li = logged_in.post(f"{week}/hubs/{hall}", data={}, headers=h).text  # unticked
    assert "Use Church hall" in li and "checked" not in li
    assert [x["name"] for x in _inputs(web_service, week)["hubs"]] == ["Compare Foods"]


def test_week_inputs_is_what_post_jobs_takes(web_service, logged_in):
    """The demo week through the page (a row skipped, a driver unticked, the hub by name):
    week_inputs gives a body PlanCreate accepts, and POST /jobs plans it."""
    when = day(115)
    week = new_week(logged_in, when)
    data = (DEMO / "deliveries.csv").read_bytes()
    page = read(logged_in, week, "deliveries.csv", data, {}).text
    row_action(logged_in, week, page, 99, "skip")
    roster = (DEMO / "drivers.csv").read_bytes()
    page = read(logged_in, week, "drivers.csv", roster, {}, kind="drivers").text
    h = headers(logged_in, week)
    ana = _driver_id(page, "Ana Delgado")
    logged_in.post(f"{week}/drivers/{ana}", data={"shift": "9-13", "capacity": "30"}, headers=h)
    logged_in.post(f"{week}/hubs", data={"place": "Compare Foods"}, headers=h)
    body = _inputs(web_service, week)
    assert body["date"] == when and body["area"] == "queens-village"
    assert len(body["stops"]) == 118 and "99" not in {str(st["row"]) for st in body["stops"]}
    assert "Ana Delgado" not in {d["name"] for d in body["drivers"]}
    assert len(body["drivers"]) == 11 and len(body["hubs"]) == 1
    PlanCreate.model_validate(body)
    r = logged_in.post("/jobs", json={**body, "options": {"time_limit_s": 2}}, headers=h)
    assert r.status_code == 202, r.text
    job = wait_job(logged_in, r.json()["id"])
    assert job["status"] == "done" and job["stops"] == 118


def test_empty_week_inputs(web_service, logged_in):
    """A week with nothing read yet: empty lists, the day, no area."""
    week = new_week(logged_in, day(122))
    body = _inputs(web_service, week)
    assert body["stops"] == [] and body["date"] == day(122) and body["area"] is None


def _hub_error(html: str) -> str:
    found = re.search(r'<div id="hub-error">(.*?)</div></div>', html, re.S)
    assert found, html[-3000:]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", found.group(1))).strip()


def test_hub_errors_name_the_box_not_the_command_line(web_service, logged_in):
    """A hub nobody can find, and an empty hub box: the reason names the box as the page
    does ("Hub"), never the command line's option or the form's field; what was typed stays
    in the box."""
    week = new_week(logged_in, day(129))
    h = headers(logged_in, week)
    r = logged_in.post(f"{week}/hubs", data={"place": "12345 Imaginary Lane"}, headers=h)
    assert r.status_code == 422
    said = _hub_error(r.text)
    assert said.startswith("Hub (value '12345 Imaginary Lane'): neither a named place")
    assert "--hub" not in r.text and "column" not in said
    assert 'value="12345 Imaginary Lane"' in r.text
    r = logged_in.post(f"{week}/hubs", data={"place": "  "}, headers=h)
    assert r.status_code == 422
    assert _hub_error(r.text) == "Hub: Type the place&#39;s name or its address."
    logged_in.cookies.set("aidroute_lang", "es")
    r = logged_in.post(f"{week}/hubs", data={"place": "12345 Imaginary Lane"}, headers=h)
    assert _hub_error(r.text).startswith("Punto de recogida (valor '12345 Imaginary Lane")


def test_roster_column_step_speaks_of_drivers(web_service, logged_in):
    """A roster's "Hours" column is read as the driver's hours, not a delivery time, and
    its extra fields are a driver's; the delivery list's column step keeps its own words."""
    week = new_week(logged_in, day(136))
    roster = b"Name,Phone,Hours,Car size\nDee Lopez,718-555-0110,9-13,12\n"
    r, columns = choose_columns(logged_in, week, "roster.csv", roster, kind="drivers")
    assert r.status_code == 200 and columns["window"] == "Hours"
    assert "We read 'Hours' as hours: change?" in r.text
    assert 'for="drivers-col-window">Hours</label>' in r.text
    assert "delivery time" not in r.text.lower()
    assert "More fields (skills, cooler, longest route…)" in r.text
    assert "stairs" not in r.text and "driver for a stop" not in r.text
    r = read(logged_in, week, "roster.csv", roster, {"window": "Hours", "name": "Hours"}, "drivers")
    assert r.status_code == 422 and "chosen for both Hours and Name" in r.text
    deliveries = b"Name,Address,Time\nAna,206-16 Hollis Avenue,9-12\n"
    r, columns = choose_columns(logged_in, week, "list.csv", deliveries)
    assert columns["window"] == "Time" and "We read 'Time' as delivery time" in r.text
    assert "More fields (driver for a stop, stairs, frozen bags…)" in r.text
    logged_in.cookies.set("aidroute_lang", "es")
    r, _ = choose_columns(logged_in, week, "roster.csv", roster, kind="drivers")
    assert "Leímos 'Hours' como horario" in r.text and "Más campos (habilidades" in r.text
