"""The week page's Drivers section: who drives this week, their hours and car, and the hubs.

The roster (``RosterDriver``) is the group's, kept from week to week: a tick for who is
available, their hours and car size (boxes) edited in place, so next week starts from this
week's. A roster spreadsheet is read with the same column step as the deliveries
(:mod:`api.web.columns`); drivers already on the roster keep their tick. Hubs
(``HubRecord``) are ticked in use, and added by a place's name or an address of the area,
found as ``aidroute plan --hub`` finds them.
"""

from __future__ import annotations

import json
import re
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse
from pydantic import ValidationError

from api.convert import parse_shift
from api.deps import SessionDep, SettingsDep
from api.planning import get_area, get_geocoder
from api.schemas import DriverIn, HubIn, reason_of
from api.storage import roster
from api.storage.models import HubRecord, RosterDriver
from api.storage.weeks import input_counts
from api.web.columns import columns_view, mapping_from_form, read_upload
from api.web.intake import BAD_FILE, problems_answer
from api.web.render import PageCaller, lang_of, not_found, render
from api.web.weeks import PageWeek, week_of
from maps.i18n import Language
from routing.errors import InputError, InputProblem
from routing.geocoding.places import find_hub
from routing.intake.cells import MAX_CAPACITY
from routing.intake.roster import import_drivers
from routing.model import format_hhmm
from routing.phones import is_valid_phone
from routing.serialize import driver_to_dict

router = APIRouter(include_in_schema=False)
WEEK = "/app/weeks/{week_id}"


def hours_text(shift: Any) -> str:
    """A stored shift as the page shows it: ``["09:00", "13:00"]`` -> ``"09:00-13:00"``."""
    if isinstance(shift, list):
        return "-".join(str(x) for x in shift)
    return str(shift or "")


def section(request: Request, caller: Any, s: Any, week: Any, **context: Any) -> HTMLResponse:
    drivers = roster.items(s, RosterDriver, caller.group_id)
    hubs = roster.items(s, HubRecord, caller.group_id)
    return render(
        request,
        "drivers.html",
        caller,
        week=week,
        drivers=drivers,
        hubs=hubs,
        available=sum(1 for d in drivers if d.available),
        inputs=input_counts(s, caller.group_id, week.id),
        hours_text=hours_text,
        typed=context.pop("typed", {}),
        **context,
    )


@router.get(WEEK + "/drivers", response_class=HTMLResponse)
def drivers_section(
    request: Request,
    week_id: str,
    caller: PageCaller,
    week: PageWeek,
    s: SessionDep,
) -> HTMLResponse:
    return section(request, caller, s, week)


def _driver_data(
    current: dict[str, Any], shift: str, capacity: str, lang: Language, name: str | None = None
) -> dict[str, Any]:
    """The driver's JSON with the hours and car size as typed; InputError in words naming
    the field and the value."""
    problems = []
    data = dict(current)
    if name is not None:
        if not name.strip():
            problems.append(InputProblem("name", name, lang.gettext("Type the driver's name.")))
        data["name"] = name.strip()
    try:
        window = parse_shift(shift.strip(), "shift")
        data["shift"] = [format_hhmm(window.start_s), format_hhmm(window.end_s)]
    except InputError:
        reason = lang.gettext("Hours such as 9-13, 9am-1pm or 09:00-13:00.")
        problems.append(InputProblem("shift", shift, reason))
    try:
        boxes = int(capacity.strip())
        if not 0 <= boxes <= MAX_CAPACITY:
            raise ValueError(capacity)
        data["capacity_boxes"] = boxes
    except ValueError:
        reason = lang.gettext("A number of boxes, from 0 to %(most)s.", most=MAX_CAPACITY)
        problems.append(InputProblem("capacity_boxes", capacity, reason))
    if problems:
        raise InputError(problems)
    return DriverIn.model_validate(data).model_dump(mode="json")


@router.post(WEEK + "/drivers/{roster_id}", response_class=HTMLResponse)
def change_driver(
    request: Request,
    week_id: str,
    roster_id: str,
    caller: PageCaller,
    s: SessionDep,
    available: Annotated[str, Form(max_length=10)] = "",
    shift: Annotated[str, Form(max_length=50)] = "",
    capacity: Annotated[str, Form(max_length=20)] = "",
) -> HTMLResponse:
    """The tick, hours and car size of one driver; the row again, or the reason next to it
    with what was typed kept."""
    lang = lang_of(request)
    week = week_of(s, caller.group_id, week_id)
    driver = roster.item(s, RosterDriver, caller.group_id, roster_id) if week else None
    if week is None or driver is None:
        return not_found(request, caller, lang.gettext("No such driver on your roster."))
    typed = {"shift": shift, "capacity": capacity}
    try:
        data = _driver_data(driver.fields(), shift, capacity, lang)
    except InputError as e:
        return render(
            request, "_driver_row.html", caller, status_code=422, d=driver, week=week,
            error=e, typed=typed, hours_text=hours_text,
        )  # fmt: skip
    driver.data = json.dumps(data)
    driver.available = available == "on"
    s.flush()
    count = sum(1 for d in roster.items(s, RosterDriver, caller.group_id) if d.available)
    return render(
        request, "_driver_answer.html", caller, d=driver, week=week, typed={},
        hours_text=hours_text, available=count, inputs=input_counts(s, caller.group_id, week.id),
    )  # fmt: skip


@router.post(WEEK + "/drivers", response_class=HTMLResponse)
def add_driver(
    request: Request,
    week_id: str,
    caller: PageCaller,
    week: PageWeek,
    s: SessionDep,
    settings: SettingsDep,
    name: Annotated[str, Form(max_length=200)] = "",
    phone: Annotated[str, Form(max_length=50)] = "",
    shift: Annotated[str, Form(max_length=50)] = "",
    capacity: Annotated[str, Form(max_length=20)] = "",
) -> HTMLResponse:
    """A new driver on the roster, available this week. A phone that cannot be dialled is
    refused (the links sent to it would go nowhere); it may be left empty."""
    lang = lang_of(request)
    typed = {"name": name, "phone": phone, "shift": shift, "capacity": capacity}
    try:
        wrong = _undialled(phone, get_area(settings.default_area).country, lang)
        try:
            data = _driver_data({"phone": phone.strip()}, shift, capacity, lang, name=name)
        except InputError as e:
            raise InputError([*e.problems, *wrong]) from None
        if wrong:
            raise InputError(wrong)
    except (InputError, ValidationError) as e:
        error = e if isinstance(e, InputError) else _invalid(e)
        return section(request, caller, s, week, typed=typed, add_error=error, status_code=422)
    data["id"] = data["name"]
    record = roster.upsert(s, RosterDriver, caller.group_id, data["name"], data)
    record.available = True
    s.flush()
    return section(request, caller, s, week)


def _undialled(phone: str, region: str | None, lang: Language) -> list[InputProblem]:
    """The problem with ``phone`` when it cannot be dialled in the area's country."""
    if not phone.strip() or not region or is_valid_phone(phone, region):
        return []
    reason = lang.gettext(
        "Not a phone number that can be dialled in %(country)s: check the digits and the "
        "area code (+ and the country code for a number from abroad), or leave it empty.",
        country=region.upper(),
    )
    return [InputProblem("phone", phone, reason)]


def _invalid(e: ValidationError) -> InputError:
    return InputError(
        [
            InputProblem(".".join(str(x) for x in err["loc"]), "", reason_of(err))
            for err in e.errors()
        ]
    )


@router.post(WEEK + "/drivers-file/columns", response_class=HTMLResponse)
def roster_columns(
    request: Request,
    week_id: str,
    caller: PageCaller,
    week: PageWeek,
    s: SessionDep,
    settings: SettingsDep,
    file: Annotated[UploadFile | None, File()] = None,
) -> HTMLResponse:
    """A roster spreadsheet's columns, to confirm before reading it."""
    lang = lang_of(request)
    try:
        data, name = read_upload(file, settings, lang)
    except InputError as e:
        return problems_answer(request, caller, e, *BAD_FILE["drivers"], english=False)
    try:
        view = columns_view(data, name, "drivers", lang)
    except InputError as e:
        return problems_answer(request, caller, e, *BAD_FILE["drivers"])
    return render(request, "_columns.html", caller, view=view)


@router.post(WEEK + "/drivers-file/read", response_class=HTMLResponse)
def roster_read(
    request: Request,
    week_id: str,
    caller: PageCaller,
    week: PageWeek,
    s: SessionDep,
    settings: SettingsDep,
    file: Annotated[UploadFile | None, File()] = None,
    sheet: Annotated[str, Form(max_length=200)] = "",
    columns: Annotated[list[str] | None, Form(max_length=1000)] = None,
) -> HTMLResponse:
    """Read a roster: each driver added, or updated (keeping their tick) by id or name."""
    lang = lang_of(request)
    try:
        data, name = read_upload(file, settings, lang)
        mapping = mapping_from_form(columns or [], "drivers", lang)
    except InputError as e:
        return problems_answer(request, caller, e, "drivers-read-error", english=False)
    area = settings.default_area
    try:
        found = import_drivers(
            data,
            filename=name,
            sheet=sheet or None,
            columns=mapping,
            geocoder=get_geocoder(area),
            region=get_area(area).country,
        )
    except InputError as e:
        return problems_answer(request, caller, e, "drivers-read-error")
    known = {d.key for d in roster.items(s, RosterDriver, caller.group_id)}
    for driver in found.drivers:
        fields = DriverIn.model_validate(driver_to_dict(driver)).model_dump(mode="json")
        record = roster.upsert(s, RosterDriver, caller.group_id, driver.id, fields)
        if driver.id not in known:
            record.available = True
    s.flush()
    report = found.to_dict()
    problems = [p for p in report["problems"] if p.get("severity") == "error"]
    return section(
        request, caller, s, week, roster_problems=problems, roster_read=len(found.drivers)
    )


def _hub_id(name: str, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")[:60] or "hub"
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    return key


@router.post(WEEK + "/hubs", response_class=HTMLResponse)
def add_hub(
    request: Request,
    week_id: str,
    caller: PageCaller,
    week: PageWeek,
    s: SessionDep,
    settings: SettingsDep,
    place: Annotated[str, Form(max_length=500)] = "",
    name: Annotated[str, Form(max_length=200)] = "",
) -> HTMLResponse:
    """A hub by the name of a place of the area ("Compare Foods"), an address with its house
    number, a corner or LAT,LON; in use from now on."""
    lang = lang_of(request)
    typed = {"place": place, "hub_name": name}
    area = settings.default_area
    try:
        if not place.strip():
            reason = lang.gettext("Type the place's name or its address.")
            raise InputError(InputProblem("place", "", reason))
        hub, _warnings = find_hub(
            place,
            get_geocoder(area),
            get_area(area).places,
            name=name.strip() or None,
            field="place",
        )
    except InputError as e:
        return section(request, caller, s, week, typed=typed, hub_error=e, status_code=422)
    taken = {h.key for h in roster.items(s, HubRecord, caller.group_id)}
    hub_id = _hub_id(hub.name, taken)
    body = HubIn(
        id=hub_id, name=hub.name, address=hub.address, lat=hub.location.lat, lon=hub.location.lon
    )
    record = roster.upsert(s, HubRecord, caller.group_id, hub_id, body.model_dump(mode="json"))
    record.in_use = True
    s.flush()
    return section(request, caller, s, week)


@router.post(WEEK + "/hubs/{hub_id}", response_class=HTMLResponse)
def tick_hub(
    request: Request,
    week_id: str,
    hub_id: str,
    caller: PageCaller,
    s: SessionDep,
    in_use: Annotated[str, Form(max_length=10)] = "",
) -> HTMLResponse:
    """Whether plans use this hub."""
    lang = lang_of(request)
    week = week_of(s, caller.group_id, week_id)
    hub = roster.item(s, HubRecord, caller.group_id, hub_id) if week else None
    if week is None or hub is None:
        return not_found(request, caller, lang.gettext("No such hub in your group."))
    hub.in_use = in_use == "on"
    s.flush()
    inputs = input_counts(s, caller.group_id, week.id)
    return render(request, "_hub_answer.html", caller, h=hub, week=week, inputs=inputs)
