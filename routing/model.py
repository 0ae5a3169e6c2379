"""The domain model: hubs, stops, drivers, a problem to solve, and the plan that answers it.

All types are frozen dataclasses, validated at construction: a bad value raises
:class:`~routing.errors.InputError` naming the field and the value. Times of day are
whole seconds since midnight of the plan's day (``start_s``), durations are seconds
(``service_s``), distances metres (``distance_m``), loads whole boxes (``boxes``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

import numpy as np

from routing.errors import InputError, InputProblem, check

DAY_S = 24 * 3600
#: Service time at a door when the input says nothing: park, carry, knock, hand over.
DEFAULT_SERVICE_S = 5 * 60
Profile = Literal["drive", "bike", "walk"]
PROFILES: tuple[str, ...] = ("drive", "bike", "walk")
EndPlace = Literal["hub", "home", "anywhere"]
StartPlace = Literal["hub", "home"]
#: The languages aidroute writes drivers' pages in (``maps/locale`` holds a catalog for each
#: but English, the source); "" is the plan's own language.
PAGE_LANGUAGES: tuple[str, ...] = ("en", "es")


def format_hhmm(seconds: float) -> str:
    """``37800`` -> ``"10:30"``. Times past midnight keep counting (``"24:15"``)."""
    minutes = round(seconds / 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


_HHMM = re.compile(r"^\s*(\d{1,2})(?::(\d{2}))?\s*$")


def parse_hhmm(text: str, field: str = "time") -> int:
    """``"10:30"`` or ``"10"`` -> seconds since midnight. Raises :class:`InputError`."""
    m = _HHMM.match(str(text))
    if not m or int(m.group(1)) > 48 or int(m.group(2) or 0) > 59:
        raise InputError(InputProblem(field, str(text), "expected a time of day as HH:MM"))
    return int(m.group(1)) * 3600 + int(m.group(2) or 0) * 60


@dataclass(frozen=True, slots=True)
class LatLon:
    """A point in WGS84 degrees."""

    lat: float
    lon: float

    def __post_init__(self) -> None:
        problems: list[InputProblem] = []
        lat_ok = isinstance(self.lat, int | float) and math.isfinite(self.lat)
        lon_ok = isinstance(self.lon, int | float) and math.isfinite(self.lon)
        check(
            problems,
            lat_ok and -90 <= self.lat <= 90,
            "lat",
            self.lat,
            "latitude must be a number from -90 to 90",
            None,
        )
        check(
            problems,
            lon_ok and -180 <= self.lon <= 180,
            "lon",
            self.lon,
            "longitude must be a number from -180 to 180",
            None,
        )
        if problems:
            raise InputError(problems)

    @classmethod
    def parse(cls, text: str, field: str = "location") -> LatLon:
        """``"40.71, -73.74"`` -> ``LatLon(40.71, -73.74)``."""
        parts = str(text).replace(";", ",").split(",")
        try:
            lat, lon = (float(p) for p in parts)
        except ValueError:
            reason = "expected LAT,LON in degrees"
            raise InputError(InputProblem(field, str(text), reason)) from None
        try:
            return cls(lat, lon)
        except InputError as e:
            raise InputError(InputProblem(field, str(text), e.problems[0].reason)) from None

    def __str__(self) -> str:
        return f"{self.lat:.6f},{self.lon:.6f}"


@dataclass(frozen=True, slots=True)
class TimeWindow:
    """A span of the plan's day, ``start_s`` to ``end_s`` inclusive, in seconds since midnight."""

    start_s: int
    end_s: int

    def __post_init__(self) -> None:
        problems: list[InputProblem] = []
        check(
            problems,
            0 <= self.start_s <= 2 * DAY_S,
            "window_start",
            format_hhmm(self.start_s),
            "must be a time of day from 00:00",
            None,
        )
        check(
            problems,
            self.end_s >= self.start_s,
            "window_end",
            format_hhmm(self.end_s),
            f"is before window_start {format_hhmm(self.start_s)}",
            None,
        )
        if problems:
            raise InputError(problems)

    @classmethod
    def from_hhmm(cls, start: str, end: str) -> TimeWindow:
        return cls(parse_hhmm(start, "window_start"), parse_hhmm(end, "window_end"))

    @property
    def duration_s(self) -> int:
        return self.end_s - self.start_s

    def __str__(self) -> str:
        return f"{format_hhmm(self.start_s)}-{format_hhmm(self.end_s)}"


def merge_windows(windows: Iterable[TimeWindow]) -> tuple[TimeWindow, ...]:
    """Sorted, with overlapping or touching windows merged: 9-15, 10-11, 13-14 -> 9-15."""
    merged: list[TimeWindow] = []
    for w in sorted(windows, key=lambda w: (w.start_s, w.end_s)):
        if merged and w.start_s <= merged[-1].end_s:
            last = merged[-1]
            merged[-1] = TimeWindow(last.start_s, max(last.end_s, w.end_s))
        else:
            merged.append(w)
    return tuple(merged)


@dataclass(frozen=True, slots=True)
class Hub:
    """A pickup place where drivers load boxes (a pantry, a supermarket, a church hall)."""

    id: str
    name: str
    location: LatLon
    address: str = ""
    #: Minutes a driver spends loading at the hub before the first stop, in seconds.
    loading_s: int = 0
    #: When the hub is open for pickup; ``None`` means whenever drivers are.
    open: TimeWindow | None = None
    #: What drivers should know at pickup: where to park, which door, whom to ask.
    note: str = ""

    def __post_init__(self) -> None:
        problems: list[InputProblem] = []
        check(problems, bool(str(self.id).strip()), "hub.id", self.id, "must not be empty", None)
        check(
            problems,
            self.loading_s >= 0,
            "hub.loading_s",
            self.loading_s,
            "cannot be negative",
            None,
        )
        if problems:
            raise InputError(problems)


@dataclass(frozen=True, slots=True)
class Stop:
    """A household to deliver to.

    ``location`` is ``None`` while the address has not been placed on the map; such a
    stop is kept and comes back unassigned with reason ``address_not_found``.
    ``windows`` empty means any time during the drivers' hours.
    """

    id: str
    recipient: str = ""
    address: str = ""
    unit: str = ""
    location: LatLon | None = None
    boxes: int = 1
    windows: tuple[TimeWindow, ...] = ()
    service_s: int = DEFAULT_SERVICE_S
    phone: str = ""
    notes: str = ""
    language: str = ""
    #: Spreadsheet row number (header = row 1), to point a dispatcher at the source.
    row: int | None = None
    #: Second quantity limited per car (frozen bags, say); 0 when not used.
    frozen: int = 0
    #: Skills a driver must have: a language code, "large_car", "heavy" ...
    requires: frozenset[str] = frozenset()
    #: Pinned to this driver id, or ``None``.
    driver: str | None = None
    exclude_drivers: frozenset[str] = frozenset()
    #: Urgent stops are served before optional ones.
    urgent: bool = False
    #: How the address was placed: "given", "exact", "interpolated", "intersection" (a
    #: corner of two streets), "street", or "".
    precision: str = ""
    #: The address as the geocoder matched it in the area ("227-46 Murdock Avenue, 11429"):
    #: what drivers are shown; ``address`` keeps what the dispatcher typed.
    matched: str = ""

    def __post_init__(self) -> None:
        problems: list[InputProblem] = []
        check(problems, bool(str(self.id).strip()), "id", self.id, "must not be empty", self.row)
        check(
            problems,
            isinstance(self.boxes, int) and self.boxes >= 0,
            "boxes",
            self.boxes,
            "must be a whole number of boxes, 0 or more",
            self.row,
        )
        check(
            problems,
            isinstance(self.frozen, int) and self.frozen >= 0,
            "frozen",
            self.frozen,
            "must be a whole number, 0 or more",
            self.row,
        )
        check(
            problems,
            self.service_s >= 0,
            "service_min",
            self.service_s / 60,
            "cannot be negative",
            self.row,
        )
        if problems:
            raise InputError(problems)
        # Accept lists and sets from callers; store hashable, ordered, disjoint windows.
        object.__setattr__(self, "windows", merge_windows(self.windows))
        object.__setattr__(self, "requires", frozenset(self.requires))
        object.__setattr__(self, "exclude_drivers", frozenset(self.exclude_drivers))

    @property
    def full_address(self) -> str:
        return f"{self.address}, {self.unit}" if self.unit else self.address

    @property
    def shown_address(self) -> str:
        """What a driver reads: the matched address (else the typed one), with the unit."""
        address = self.matched or self.address
        return f"{address}, {self.unit}" if self.unit else address


@dataclass(frozen=True, slots=True)
class Driver:
    """A volunteer with a car (or a bike, or on foot) and a few free hours."""

    id: str
    name: str
    capacity_boxes: int
    shift: TimeWindow
    phone: str = ""
    #: Where the driver lives or sets out from; needed when start or end is "home".
    home: LatLon | None = None
    home_address: str = ""
    start: StartPlace = "hub"
    end: EndPlace = "hub"
    #: Hub this driver loads at; ``None`` lets the solver choose.
    hub: str | None = None
    languages: frozenset[str] = frozenset()
    skills: frozenset[str] = frozenset()
    profile: str = "drive"
    capacity_frozen: int | None = None
    max_stops: int | None = None
    max_route_s: int | None = None
    max_distance_m: int | None = None
    row: int | None = None
    #: The language of the driver's page, manifest and GPX (one of PAGE_LANGUAGES), or "".
    locale: str = ""

    def __post_init__(self) -> None:
        problems: list[InputProblem] = []
        r = self.row
        check(problems, bool(str(self.id).strip()), "id", self.id, "must not be empty", r)
        check(problems, bool(str(self.name).strip()), "name", self.name, "must not be empty", r)
        check(
            problems,
            isinstance(self.capacity_boxes, int) and self.capacity_boxes >= 0,
            "capacity_boxes",
            self.capacity_boxes,
            "must be a whole number, 0 or more",
            r,
        )
        check(
            problems,
            self.start in ("hub", "home"),
            "start",
            self.start,
            "must be 'hub' or 'home'",
            r,
        )
        check(
            problems,
            self.end in ("hub", "home", "anywhere"),
            "end",
            self.end,
            "must be 'hub', 'home' or 'anywhere'",
            r,
        )
        needs_home = self.start == "home" or self.end == "home"
        check(
            problems,
            not needs_home or self.home is not None,
            "home",
            self.home_address,
            f"start={self.start} end={self.end} needs the driver's home location",
            r,
        )
        for name, allowed in (("profile", PROFILES), ("locale", ("", *PAGE_LANGUAGES))):
            v, say = getattr(self, name), ", ".join(a for a in allowed if a)
            check(problems, v in allowed, name, v, f"must be one of {say}", r)
        for name in ("max_stops", "max_route_s", "max_distance_m", "capacity_frozen"):
            v = getattr(self, name)
            check(problems, v is None or v >= 0, name, v, "cannot be negative", r)
        if problems:
            raise InputError(problems)
        object.__setattr__(self, "languages", frozenset(self.languages))
        object.__setattr__(self, "skills", frozenset(self.skills))


@dataclass(frozen=True, slots=True)
class Instructions:
    """What every driver of a plan is told besides their stops."""

    #: Whom to call with a question on the run.
    dispatcher_phone: str = ""
    #: What to do when nobody answers the door ("leave it with a neighbour and text us").
    nobody_home: str = ""


@dataclass(frozen=True)
class Problem:
    """Everything the solver needs besides travel times: hubs, stops and drivers.

    Ids must be unique within each kind. A stop pinned to, or excluding, a driver must
    name a driver that exists; a driver's hub must exist.
    """

    hubs: tuple[Hub, ...]
    stops: tuple[Stop, ...]
    drivers: tuple[Driver, ...]
    #: The plan's day, ISO ``YYYY-MM-DD``, when known.
    date: str | None = None
    #: The area's country (ISO 3166, "US"): how phone numbers written without a country
    #: code are read. None when not known.
    region: str | None = None
    #: What every driver is told besides their stops.
    instructions: Instructions = field(default_factory=Instructions)

    def __post_init__(self) -> None:
        object.__setattr__(self, "hubs", tuple(self.hubs))
        object.__setattr__(self, "stops", tuple(self.stops))
        object.__setattr__(self, "drivers", tuple(self.drivers))
        problems: list[InputProblem] = []
        check(problems, len(self.hubs) > 0, "hubs", "", "a plan needs at least one hub", None)
        for kind, items in (("hub", self.hubs), ("stop", self.stops), ("driver", self.drivers)):
            seen: set[str] = set()
            for item in items:
                row = getattr(item, "row", None)
                check(
                    problems,
                    item.id not in seen,
                    f"{kind}.id",
                    item.id,
                    f"duplicate {kind} id",
                    row,
                )
                seen.add(item.id)
        hub_ids = {h.id for h in self.hubs}
        driver_ids = {d.id for d in self.drivers}
        for d in self.drivers:
            check(
                problems,
                d.hub is None or d.hub in hub_ids,
                "hub",
                d.hub,
                f"no hub with this id (hubs: {', '.join(sorted(hub_ids))})",
                d.row,
            )
        for s in self.stops:
            check(
                problems,
                s.driver is None or s.driver in driver_ids,
                "driver",
                s.driver,
                "no driver with this id",
                s.row,
            )
        if problems:
            raise InputError(problems)

    def stop(self, stop_id: str) -> Stop:
        return self._stops_by_id[stop_id]

    def driver(self, driver_id: str) -> Driver:
        return self._drivers_by_id[driver_id]

    def hub(self, hub_id: str) -> Hub:
        return self._hubs_by_id[hub_id]

    # Frozen: computed once, stored in the instance dict by cached_property.
    @cached_property
    def _stops_by_id(self) -> dict[str, Stop]:
        return {s.id: s for s in self.stops}

    @cached_property
    def _drivers_by_id(self) -> dict[str, Driver]:
        return {d.id: d for d in self.drivers}

    @cached_property
    def _hubs_by_id(self) -> dict[str, Hub]:
        return {h.id: h for h in self.hubs}

    def places(self) -> dict[str, LatLon]:
        """Every located place, keyed as :class:`TravelMatrix` keys them.

        ``hub:<id>``, ``stop:<id>`` (placed stops only) and ``home:<driver id>``.
        """
        out: dict[str, LatLon] = {hub_key(h.id): h.location for h in self.hubs}
        out.update({stop_key(s.id): s.location for s in self.stops if s.location is not None})
        out.update({home_key(d.id): d.home for d in self.drivers if d.home is not None})
        return out


def hub_key(hub_id: str) -> str:
    return f"hub:{hub_id}"


def stop_key(stop_id: str) -> str:
    return f"stop:{stop_id}"


def home_key(driver_id: str) -> str:
    return f"home:{driver_id}"


@dataclass(frozen=True, eq=False)
class TravelMatrix:
    """Road travel times and distances between named places, for one travel profile.

    ``duration_s[i, j]`` is the travel time in seconds from ``keys[i]`` to ``keys[j]``;
    ``np.inf`` where no road leads there. ``distance_m`` likewise in metres.
    """

    keys: tuple[str, ...]
    duration_s: np.ndarray
    distance_m: np.ndarray
    profile: str = "drive"

    def __post_init__(self) -> None:
        n = len(self.keys)
        if self.duration_s.shape != (n, n) or self.distance_m.shape != (n, n):
            raise ValueError(
                f"matrix shapes {self.duration_s.shape} / {self.distance_m.shape} "
                f"do not match {n} keys"
            )
        if len(set(self.keys)) != n:
            raise ValueError("matrix keys must be unique")
        object.__setattr__(self, "_pos", {k: i for i, k in enumerate(self.keys)})

    def index(self, key: str) -> int:
        return self._pos[key]  # type: ignore[attr-defined,no-any-return]

    def __contains__(self, key: object) -> bool:
        return key in self._pos  # type: ignore[attr-defined]

    def duration(self, a: str, b: str) -> float:
        return float(self.duration_s[self.index(a), self.index(b)])

    def distance(self, a: str, b: str) -> float:
        return float(self.distance_m[self.index(a), self.index(b)])


# --- The plan ---------------------------------------------------------------------------

#: Machine-readable reasons a stop is not in any route.
REASONS: dict[str, str] = {
    "address_not_found": "the address could not be placed on the map",
    "unreachable": "no road connects this place to the hub",
    "too_many_boxes": "it has more boxes than any car holds",
    "no_driver_with_skill": "no driver has what this stop needs",
    "outside_all_hours": "its time window meets no driver's hours, travel included",
    "capacity": "the cars are full: total boxes exceed what the drivers can carry",
    "time": "the drivers' hours are full",
    "max_stops": "every driver who could take it has reached their maximum stops",
    "excluded": "every driver who could take it is excluded or pinned elsewhere",
}


@dataclass(frozen=True, slots=True)
class Visit:
    """A stop on a route: when the driver arrives, starts serving (after any wait) and leaves."""

    stop_id: str
    arrival_s: int
    start_s: int
    departure_s: int
    #: Travel from the previous place on the route.
    travel_s: int = 0
    distance_m: int = 0
    #: Boxes still in the car on arrival.
    load_boxes: int = 0

    @property
    def wait_s(self) -> int:
        return self.start_s - self.arrival_s


@dataclass(frozen=True)
class Route:
    """One driver's run: load at ``hub``, visit ``visits`` in order, finish at ``end_s``."""

    driver_id: str
    hub_id: str
    start_s: int
    end_s: int
    visits: tuple[Visit, ...]
    distance_m: int = 0
    #: Road geometry from start to end, as (lat, lon) pairs; empty until drawn.
    path: tuple[tuple[float, float], ...] = ()
    #: Time the driver leaves the hub, loaded.
    depart_hub_s: int | None = None

    @property
    def duration_s(self) -> int:
        return self.end_s - self.start_s

    def boxes(self, problem: Problem) -> int:
        return sum(problem.stop(v.stop_id).boxes for v in self.visits)

    def places(self, problem: Problem) -> list[LatLon]:
        """The places the route passes in order: the driver's home when they start there,
        the hub, every located stop, then the hub or home they end at (none for "anywhere")."""
        driver = problem.driver(self.driver_id)
        hub = problem.hub(self.hub_id).location
        points: list[LatLon] = []
        if driver.start == "home" and driver.home is not None:
            points.append(driver.home)
        points.append(hub)
        points += [loc for v in self.visits if (loc := problem.stop(v.stop_id).location)]
        if driver.end == "hub":
            points.append(hub)
        elif driver.end == "home" and driver.home is not None:
            points.append(driver.home)
        return points


@dataclass(frozen=True, slots=True)
class Unassigned:
    """A stop left out of every route, why, and what would fix it."""

    stop_id: str
    reason: str
    message: str = ""
    #: The smallest concrete fix the solver checked, in a sentence ("Dana's route can
    #: take it with 20 more minutes"), or "" when none was found.
    fix: str = ""

    def __post_init__(self) -> None:
        if self.reason not in REASONS:
            raise ValueError(f"unknown unassigned reason {self.reason!r}")
        if not self.message:
            object.__setattr__(self, "message", REASONS[self.reason])


@dataclass(frozen=True, slots=True)
class Household:
    """A stop named in a list of changes: ``stop_id`` is this plan's, or the earlier plan's
    when the household is no longer in the week (``in_week`` False)."""

    stop_id: str
    name: str
    address: str
    in_week: bool = True


@dataclass(frozen=True, slots=True)
class RouteChange:
    """One driver's route against the plan they already have: households ``added`` (in visit
    order), ``removed`` (in their former order), the others ``reordered`` or not. ``status``:
    "changed", "new" (no route before) or "dropped" (none now)."""

    driver_id: str
    driver: str
    status: Literal["changed", "new", "dropped"]
    added: tuple[Household, ...] = ()
    removed: tuple[Household, ...] = ()
    reordered: bool = False


@dataclass(frozen=True, slots=True)
class Move:
    """A household moved from one driver's route to another's."""

    household: Household
    from_driver_id: str
    from_driver: str
    to_driver_id: str
    to_driver: str


@dataclass(frozen=True)
class PlanChanges:
    """A re-plan against the plan drivers already have: the routes that changed (in route
    order, then dropped ones), households moved, and the drivers whose route is the same."""

    routes: tuple[RouteChange, ...] = ()
    moved: tuple[Move, ...] = ()
    unchanged: tuple[str, ...] = ()


@dataclass(frozen=True)
class Plan:
    """The answer to a :class:`Problem`: routes and unassigned stops, every stop in exactly one."""

    problem: Problem
    routes: tuple[Route, ...]
    unassigned: tuple[Unassigned, ...]
    #: Free-form figures from the solver: objective, solve_s, solver name, seed ...
    stats: Mapping[str, Any] = field(default_factory=dict)
    #: For a re-plan: what changed since the plan drivers already had.
    changes: PlanChanges | None = None

    def route_for(self, driver_id: str) -> Route | None:
        return next((r for r in self.routes if r.driver_id == driver_id), None)

    def stops_accounted(self) -> list[str]:
        """Every stop id that appears in a route or in unassigned, in that order."""
        ids = [v.stop_id for r in self.routes for v in r.visits]
        return ids + [u.stop_id for u in self.unassigned]
