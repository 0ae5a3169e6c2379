"""JSON request bodies -> the domain model, placing addresses with the area's geocoder.

Windows and shifts are read by the spreadsheet import's own parser
(:func:`routing.intake.cells.parse_windows`): the API accepts what a spreadsheet accepts
("10-12", "10am-12pm", "11-1", "morning", "after 3pm"), and the ``["10:00", "12:00"]``
pairs ``plan.json`` and ``POST /imports`` write. Every problem is collected (field paths
such as ``stops[3].windows[0]``) before one :class:`~routing.errors.InputError` is raised,
so the caller fixes a request in one pass.
"""

from __future__ import annotations

from collections.abc import Callable

from api.schemas import DriverIn, HubIn, PlanCreate, StopIn, WindowText
from routing.errors import InputError, InputProblem
from routing.intake.cells import parse_windows
from routing.intake.deliveries import service_time_s
from routing.model import Driver, Hub, LatLon, Stop, TimeWindow
from routing.pipeline import Week

#: Turns an address (and postcode) into a location, a precision and the address matched,
#: or None.
Locate = Callable[[str, str], tuple[LatLon, str, str] | None]


def parse_window(text: WindowText, field: str) -> tuple[TimeWindow, ...]:
    """A window as a spreadsheet holds it (``"10am-12pm"``, ``"11-1"``, ``"morning"``) or
    a ``["10:00", "12:00"]`` pair -> its spans (empty: any time). Raises InputError
    naming ``field``."""
    if isinstance(text, list):
        if len(text) != 2:
            raise InputError(InputProblem(field, str(text), 'expected ["HH:MM", "HH:MM"]'))
        text = "-".join(text)
    notes: list[str] = []
    try:
        windows = parse_windows(text, notes)
    except (ValueError, InputError):
        raise InputError(
            InputProblem(
                field,
                text,
                "could not read this time window (write e.g. 10-12, 10am-12pm, 10:00-12:00, "
                "morning, after 3pm)",
            )
        ) from None
    if notes:  # a guess ("12-10" read as 12:00-22:00): a request has no one to warn
        raise InputError(InputProblem(field, text, f"the end is before the start: {notes[0]}"))
    return windows


def parse_shift(text: WindowText, field: str) -> TimeWindow:
    """A driver's available hours, read like a roster's: one span from the first window's
    start to the last one's end. Raises InputError naming ``field``."""
    windows = parse_window(text, field)
    if not windows:
        raise InputError(InputProblem(field, str(text), "expected hours such as 9-13 or 9am-1pm"))
    return TimeWindow(windows[0].start_s, windows[-1].end_s)


def _collect(problems: list[InputProblem], prefix: str, fn: Callable[[], object]) -> object:
    try:
        return fn()
    except InputError as e:
        for p in e.problems:
            where = f"{prefix}.{p.field}" if prefix else p.field
            problems.append(InputProblem(where, p.value, p.reason, p.row))
        return None


def _hub(h: HubIn, i: int, locate: Locate, problems: list[InputProblem]) -> Hub | None:
    where = f"hubs[{i}]"
    if h.lat is not None and h.lon is not None:
        loc: LatLon | None = LatLon(h.lat, h.lon)
    else:
        found = locate(h.address, "") if h.address else None
        loc = found[0] if found else None
    if loc is None:
        problems.append(
            InputProblem(
                f"{where}.address", h.address, "hub needs lat/lon or an address found in the area"
            )
        )
        return None
    return _collect(
        problems,
        where,
        lambda: Hub(
            h.id,
            h.name,
            loc,
            h.address,  # type: ignore
            round(h.loading_min * 60),
        ),
    )


def _stop(
    s: StopIn, i: int, locate: Locate, problems: list[InputProblem], driver_ids: set[str]
) -> Stop | None:
    where = f"stops[{i}]"
    for name, ids in (
        ("driver", [s.driver] if s.driver else []),
        ("exclude_drivers", s.exclude_drivers),
    ):
        for d in ids:
            if d not in driver_ids:
                problems.append(
                    InputProblem(
                        f"{where}.{name}",
                        d,
                        f"no driver with this id (drivers: {', '.join(sorted(driver_ids))})",
                    )
                )
                return None
    windows: list[TimeWindow] = []
    for j, w in enumerate(s.windows):
        try:
            windows.extend(parse_window(w, f"{where}.windows[{j}]"))
        except InputError as e:
            problems.extend(e.problems)
    location, precision, matched = None, "", ""
    if s.lat is not None and s.lon is not None:
        location, precision = LatLon(s.lat, s.lon), "given"
    elif s.location is not None:
        location = LatLon(s.location.lat, s.location.lon)
        precision, matched = s.precision or "given", s.matched
    elif s.address:
        found = locate(s.address, s.postcode)
        if found:
            location, precision, matched = found
            matched = matched if precision in ("exact", "interpolated", "intersection") else ""
    return _collect(
        problems,
        where,
        lambda: Stop(  # type: ignore[return-value]
            id=s.id,
            recipient=s.name,
            address=s.address,
            unit=s.unit,
            location=location,
            precision=precision,
            matched=matched,
            row=s.row,
            boxes=s.boxes,
            frozen=s.frozen,
            windows=tuple(windows),
            service_s=(
                round(s.service_min * 60)
                if s.service_min is not None
                else service_time_s(s.boxes, s.stairs)
            ),
            phone=s.phone,
            notes=s.notes,
            language=s.language,
            requires=frozenset(s.requires),
            driver=s.driver,
            exclude_drivers=frozenset(s.exclude_drivers),
            urgent=s.urgent,
        ),
    )


def _driver(
    d: DriverIn, i: int, locate: Locate, problems: list[InputProblem], hub_ids: set[str]
) -> Driver | None:
    where = f"drivers[{i}]"
    if d.hub is not None and d.hub not in hub_ids:
        problems.append(
            InputProblem(
                f"{where}.hub", d.hub, f"no hub with this id (hubs: {', '.join(sorted(hub_ids))})"
            )
        )
        return None
    shift: TimeWindow | None = None
    try:
        shift = parse_shift(d.shift, f"{where}.shift")
    except InputError as e:
        problems.extend(e.problems)
    home = None
    if d.home_lat is not None and d.home_lon is not None:
        home = LatLon(d.home_lat, d.home_lon)
    elif d.home is not None:
        home = LatLon(d.home.lat, d.home.lon)
    elif d.home_address:
        found = locate(d.home_address, "")
        if found:
            home = found[0]
        else:
            problems.append(
                InputProblem(
                    f"{where}.home_address",
                    d.home_address,
                    "address not found in the area; give home_lat/home_lon",
                )
            )
            return None
    if shift is None:
        return None
    return _collect(
        problems,
        where,
        lambda: Driver(  # type: ignore[return-value]
            id=d.id or f"d{i + 1}",
            name=d.name,
            phone=d.phone,
            capacity_boxes=d.capacity_boxes,
            capacity_frozen=d.capacity_frozen,
            max_distance_m=None if d.max_distance_km is None else round(d.max_distance_km * 1000),
            shift=shift,
            home=home,
            home_address=d.home_address,
            start=d.start,
            end=d.end,
            hub=d.hub,
            languages=frozenset(d.languages),
            locale=d.locale,
            skills=frozenset(d.skills),
            profile=d.profile,
            max_stops=d.max_stops,
            max_route_s=None if d.max_route_min is None else round(d.max_route_min * 60),
            row=d.row,
        ),
    )


def week_from_request(body: PlanCreate, locate: Locate) -> Week:
    """Build the week to plan, or raise one InputError listing every problem."""
    problems: list[InputProblem] = []
    hubs = [_hub(h, i, locate, problems) for i, h in enumerate(body.hubs)]
    hub_ids = {h.id for h in body.hubs}
    drivers = [_driver(d, i, locate, problems, hub_ids) for i, d in enumerate(body.drivers)]
    # Ids as requested (not only of drivers that built), so one bad shift does not also
    # make every stop pinned to that driver "no driver with this id".
    driver_ids = [d.id or f"d{i + 1}" for i, d in enumerate(body.drivers)]
    stops = [_stop(s, i, locate, problems, set(driver_ids)) for i, s in enumerate(body.stops)]
    for kind, ids in (
        ("hubs", [h.id for h in body.hubs]),
        ("stops", [s.id for s in body.stops]),
        ("drivers", driver_ids),
    ):
        seen: set[str] = set()
        for i, item_id in enumerate(ids):
            if item_id in seen:
                problems.append(InputProblem(f"{kind}[{i}].id", item_id, "duplicate id"))
            seen.add(item_id)
    if problems:
        raise InputError(problems)
    return Week(
        stops=tuple(s for s in stops if s),
        drivers=tuple(d for d in drivers if d),
        hubs=tuple(h for h in hubs if h),
        date=body.date.isoformat() if body.date else None,
    )
