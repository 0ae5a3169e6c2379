"""What the CLI and the API share: read the inputs, place the hub, render and write outputs."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from api.settings import Settings, get_settings
from maps.assets import AssetMode, TileSettings
from maps.driver_page import driver_page
from maps.export import problems_csv
from maps.manifest import manifest_html
from maps.outputs import published_tokens, write_outputs
from maps.overview import overview_map
from routing.errors import InputError, InputProblem
from routing.geocoding.offline import Geocoder, OfflineGeocoder
from routing.geocoding.online import FallbackGeocoder, OnlineGeocoder
from routing.intake.deliveries import import_deliveries
from routing.intake.roster import import_drivers
from routing.model import Driver, Hub, LatLon, Plan, Problem, Stop
from routing.planning import match_drivers
from routing.roads.area import Area, load_area
from routing.serialize import plan_to_dict


@dataclass
class Inputs:
    """A problem read from files, the area it lives in, and everything to tell the user."""

    problem: Problem
    area: Area
    problems: list[InputProblem]
    #: Stop id -> what to do about its address, for stops that could not be placed.
    suggestions: dict[str, str]


def locator_for(geocoder: OfflineGeocoder) -> Callable[[str, str], tuple[LatLon, str] | None]:
    """address, postcode -> (location, precision), or None when not placed."""

    def locate(address: str, postcode: str) -> tuple[LatLon, str] | None:
        result = geocoder.geocode(address, postcode=postcode)
        if result.location is None or result.precision not in ("exact", "interpolated", "street"):
            return None
        return result.location, result.precision

    return locate


def resolve_hub(spec: str | Mapping[str, Any], geocoder: OfflineGeocoder) -> Hub:
    """A hub from ``"LAT,LON"``, an address in the area, or a dict with id/name/address/lat/lon."""
    if isinstance(spec, Mapping):
        return Hub(
            id=str(spec.get("id", "hub")),
            name=str(spec.get("name", "Hub")),
            address=str(spec.get("address", "")),
            location=LatLon(float(spec["lat"]), float(spec["lon"])),
        )
    text = spec.strip()
    try:
        return Hub("hub", "Hub", LatLon.parse(text, "--hub"), address="")
    except InputError:
        pass
    found = locator_for(geocoder)(text, "")
    if found is None:
        raise InputError(
            InputProblem("--hub", text, "address not found in the area; give it as LAT,LON instead")
        )
    return Hub("hub", text, found[0], address=text)


def load_problem_inputs(
    deliveries: Path,
    drivers: Path,
    hub: str | Mapping[str, Any],
    area_name: str,
    *,
    columns: Mapping[str, str] | None = None,
    date: str | None = None,
    on_phase: Callable[[str], None] | None = None,
    online: str | None = None,
    online_service: str = "nominatim",
) -> Inputs:
    """Read both spreadsheets, place every address, and build the problem.

    Rows that cannot be planned are kept (as unplaced stops) or reported; a file that
    cannot be read at all raises :class:`InputError`. ``online`` is the URL of a
    Nominatim-compatible service, asked only for addresses the area's table cannot place.
    """
    say = on_phase or (lambda _n: None)
    say("loading area")
    area = load_area(area_name)
    offline = OfflineGeocoder.from_area(area)
    hub_obj = resolve_hub(hub, offline)  # before the long part, so a bad hub fails fast
    geocoder: Geocoder = offline
    remote = None
    if online:
        remote = OnlineGeocoder(
            online,
            service=online_service,  # type: ignore[arg-type]
            bbox=area.bbox,
        )
        geocoder = FallbackGeocoder(offline, remote)
    try:
        say("reading deliveries")
        stops = import_deliveries(deliveries, columns=columns, geocoder=geocoder)
        say("reading drivers")
        roster = import_drivers(drivers, geocoder=geocoder)
    finally:
        if remote is not None:
            remote.close()
    if not roster.drivers:
        raise InputError(
            roster.problems or [InputProblem("drivers", str(drivers), "no usable driver rows")]
        )
    pinned, pin_problems = resolve_pins(stops.stops, roster.drivers)
    crew, hub_problems = resolve_hubs(roster.drivers, (hub_obj,))
    problem = Problem((hub_obj,), tuple(pinned), tuple(crew), date=date)
    problems = [
        *_tagged(stops.problems, deliveries.name),
        *_tagged(roster.problems, drivers.name),
        *_tagged(pin_problems, deliveries.name),
        *_tagged(hub_problems, drivers.name),
    ]
    return Inputs(problem, area, problems, dict(stops.suggestions))


def resolve_pins(
    stops: Sequence[Stop], drivers: Sequence[Driver]
) -> tuple[list[Stop], list[InputProblem]]:
    """Match each stop's Driver (pin) and excluded-driver names to roster drivers by id or
    name (case-insensitive).

    A name nobody on the roster has is not fatal: the stop is planned without that pin or
    exclusion, with a warning naming the row, so one typo does not stop the week's plan.
    """
    by_key = {}
    for d in drivers:
        by_key[d.id.casefold().strip()] = d.id
        by_key.setdefault(d.name.casefold().strip(), d.id)
    out, problems = [], []
    for stop in stops:
        driver_id = None
        if stop.driver is not None:
            driver_id = by_key.get(stop.driver.casefold().strip())
            if driver_id is None:
                problems.append(
                    InputProblem(
                        "Driver",
                        stop.driver,
                        "no driver with this name on the roster; planned without a pinned driver",
                        stop.row,
                        "warning",
                    )
                )
        excluded = set()
        for name in stop.exclude_drivers:
            found = by_key.get(name.casefold().strip())
            if found is None:
                problems.append(
                    InputProblem(
                        "exclude_drivers",
                        name,
                        "no driver with this name on the roster; nobody excluded for this stop",
                        stop.row,
                        "warning",
                    )
                )
            else:
                excluded.add(found)
        out.append(replace(stop, driver=driver_id, exclude_drivers=frozenset(excluded)))
    return out, problems


def resolve_hubs(
    drivers: Sequence[Driver], hubs: Sequence[Hub]
) -> tuple[list[Driver], list[InputProblem]]:
    """Match each driver's Hub column to a hub by id or name; unknown: the solver picks."""
    by_key = {}
    for h in hubs:
        by_key[h.id.casefold().strip()] = h.id
        by_key.setdefault(h.name.casefold().strip(), h.id)
    out, problems = [], []
    for d in drivers:
        hub_id = None
        if d.hub is not None:
            hub_id = by_key.get(d.hub.casefold().strip())
            if hub_id is None and len(hubs) > 1:
                problems.append(
                    InputProblem(
                        "hub",
                        d.hub,
                        "no hub with this name; the nearest hub in their hours will be chosen",
                        d.row,
                        "warning",
                    )
                )
            hub_id = hub_id or (hubs[0].id if len(hubs) == 1 else None)
        out.append(replace(d, hub=hub_id))
    return out, problems


def _tagged(problems: Sequence[InputProblem], filename: str) -> list[InputProblem]:
    """Prefix each problem's field with the file it came from, when two files are read."""
    return [
        InputProblem(f"{filename}: {p.field}", p.value, p.reason, p.row, p.severity)
        for p in problems
    ]


def write_all_outputs(
    plan: Plan,
    out: Path,
    problems: Sequence[InputProblem],
    *,
    privacy: str = "full",
    base_url: str | None = None,
    tokens: Mapping[str, str] | None = None,
) -> list[Path]:
    """Maps, manifests and exports (``maps.outputs``), plus plan.json and problems.csv.

    ``base_url`` is where the folder will be published, if anywhere: manifests then carry
    a QR code of each driver's page; ``tokens`` keeps drivers' published links from an
    earlier run (:func:`previous_tokens`).
    """
    out.mkdir(parents=True, exist_ok=True)
    written = list(
        write_outputs(
            plan,
            out,
            privacy=privacy,
            base_url=base_url,
            tiles=tiles_of(get_settings()),
            tokens=tokens,
        )
    )
    plan_json = out / "plan.json"
    plan_json.write_text(
        json.dumps(plan_to_dict(plan), indent=1, ensure_ascii=False), encoding="utf-8"
    )
    written.append(plan_json)
    path = out / "problems.csv"
    path.unlink(missing_ok=True)  # an earlier run's, which would now mislead
    if problems:
        path.write_text(problems_csv(problems), encoding="utf-8")
        written.append(path)
    return written


def tiles_of(settings: Settings) -> TileSettings:
    return TileSettings(url=settings.tile_url, attribution=settings.tile_attribution)


SERVED = AssetMode.served("/static/")


def render_overview(plan: Plan, settings: Settings) -> str:
    return overview_map(plan, assets=SERVED, tiles=tiles_of(settings))


def render_driver_page(
    plan: Plan,
    driver_id: str,
    settings: Settings,
    *,
    privacy: str | None = None,
    page_url: str | None = None,
    gpx_url: str | None = None,
    manifest_url: str | None = None,
) -> str:
    return driver_page(
        plan,
        driver_id,
        privacy=privacy or settings.driver_privacy,
        assets=SERVED,
        tiles=tiles_of(settings),
        page_url=page_url,
        gpx_url=gpx_url,
        manifest_url=manifest_url,
    )


def render_manifest(plan: Plan, driver_id: str, page_url: str | None, privacy: str) -> str:
    return manifest_html(plan, driver_id, privacy=privacy, driver_page_url=page_url)


def previous_tokens(previous_plan_json: Path, previous: Plan, problem: Problem) -> dict[str, str]:
    """The published page names of the run that wrote ``previous_plan_json``, keyed by the
    new problem's driver ids, so a re-plan keeps the links drivers already have."""
    old = published_tokens(previous_plan_json.parent)
    drivers = match_drivers(previous.problem, problem)
    return {drivers[d]: t for d, t in old.items() if d in drivers}
