"""What a group keeps from week to week: ``/hubs``, ``/drivers`` (the roster: usual hours,
car, whether they drive this week) and ``/households`` (remembered from published plans,
with the drivers who brought their groceries)."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, HTTPException, Response

from api.deps import CallerDep, SessionDep, SettingsDep
from api.planning import get_area, get_geocoder
from api.resources import HouseholdOut, HubOut, Listing, RosterDriverIn, RosterDriverOut
from api.schemas import DriverIn, HubIn
from api.storage import roster
from api.storage.models import Household, HubRecord, RosterDriver
from routing.errors import InputError, InputProblem
from routing.geocoding.places import find_hub

router = APIRouter(tags=["roster"])


def _hub(h: HubRecord) -> HubOut:
    return HubOut(id=h.id, hub=HubIn.model_validate(h.fields()))


def _driver(d: RosterDriver) -> RosterDriverOut:
    return RosterDriverOut(
        id=d.id, available=d.available, driver=DriverIn.model_validate(d.fields())
    )


def _household(h: Household) -> HouseholdOut:
    return HouseholdOut(
        id=h.id,
        key=h.key,
        last_delivery=h.last_delivery.isoformat() if h.last_delivery else None,
        drivers=json.loads(h.drivers),
        fields=h.fields(),
    )


def _one(s: SessionDep, caller: CallerDep, model: roster.Keyed, item_id: str) -> Any:
    """The group's item with this id, or 404."""
    found = roster.item(s, model, caller.group_id, item_id)
    if found is None:
        kind = {"hubs": "hub", "roster_drivers": "driver"}.get(model.__tablename__, "household")
        raise HTTPException(404, f"no {kind} {item_id!r}")
    return found


@router.get("/hubs", response_model=Listing[HubOut])
def list_hubs(caller: CallerDep, s: SessionDep) -> Listing[HubOut]:
    """The group's hubs."""
    data = [_hub(h) for h in roster.items(s, HubRecord, caller.group_id)]
    return Listing[HubOut](data=data, count=len(data))


@router.post("/hubs", response_model=HubOut, status_code=201)
def put_hub(body: HubIn, caller: CallerDep, s: SessionDep, settings: SettingsDep) -> HubOut:
    """Add a hub, or replace the one with the same ``id``. A hub without ``lat``/``lon`` is
    placed now in the server's area, as the page and ``--hub`` place one: a named place
    ("Compare Foods"), an address with its house number or a corner; 422 says why not
    (a whole street, a name two places share, nothing close), rather than the first plan."""
    if body.lat is None or body.lon is None:
        if not body.address.strip():
            reason = "give lat and lon, or an address or a place's name in the area"
            raise InputError(InputProblem("address", "", reason))
        area = settings.default_area
        hub, _warnings = find_hub(
            body.address,
            get_geocoder(area),
            lambda: get_area(area).places,
            name=body.name if "name" in body.model_fields_set else None,
            field="address",
        )
        placed = {"name": hub.name, "lat": hub.location.lat, "lon": hub.location.lon}
        body = body.model_copy(update={**placed, "address": hub.address or body.address})
    record = roster.upsert(s, HubRecord, caller.group_id, body.id, body.model_dump(mode="json"))
    return _hub(record)


@router.get("/hubs/{hub_id}", response_model=HubOut)
def get_hub(hub_id: str, caller: CallerDep, s: SessionDep) -> HubOut:
    return _hub(_one(s, caller, HubRecord, hub_id))


@router.delete("/hubs/{hub_id}", status_code=204)
def delete_hub(hub_id: str, caller: CallerDep, s: SessionDep) -> Response:
    s.delete(_one(s, caller, HubRecord, hub_id))
    return Response(status_code=204)


@router.get("/drivers", response_model=Listing[RosterDriverOut])
def list_drivers(caller: CallerDep, s: SessionDep) -> Listing[RosterDriverOut]:
    """The group's drivers roster, with who drives this week."""
    data = [_driver(d) for d in roster.items(s, RosterDriver, caller.group_id)]
    return Listing[RosterDriverOut](data=data, count=len(data))


@router.post("/drivers", response_model=RosterDriverOut, status_code=201)
def put_driver(body: RosterDriverIn, caller: CallerDep, s: SessionDep) -> RosterDriverOut:
    """Add a driver to the roster, or replace the one with the same ``id`` (or name)."""
    data = body.model_dump(mode="json", exclude={"available"})
    record = roster.upsert(s, RosterDriver, caller.group_id, body.id or body.name, data)
    record.available = body.available
    return _driver(record)


@router.get("/drivers/{roster_id}", response_model=RosterDriverOut)
def get_driver(roster_id: str, caller: CallerDep, s: SessionDep) -> RosterDriverOut:
    return _driver(_one(s, caller, RosterDriver, roster_id))


@router.delete("/drivers/{roster_id}", status_code=204)
def delete_driver(roster_id: str, caller: CallerDep, s: SessionDep) -> Response:
    s.delete(_one(s, caller, RosterDriver, roster_id))
    return Response(status_code=204)


@router.get("/households", response_model=Listing[HouseholdOut])
def list_households(caller: CallerDep, s: SessionDep) -> Listing[HouseholdOut]:
    """Households delivered to within the retention period, with their drivers."""
    data = [_household(h) for h in roster.items(s, Household, caller.group_id)]
    return Listing[HouseholdOut](data=data, count=len(data))


@router.get("/households/{household_id}", response_model=HouseholdOut)
def get_household(household_id: str, caller: CallerDep, s: SessionDep) -> HouseholdOut:
    return _household(_one(s, caller, Household, household_id))


@router.delete("/households/{household_id}", status_code=204)
def delete_household(household_id: str, caller: CallerDep, s: SessionDep) -> Response:
    """Forget a household now (it asked to be removed)."""
    s.delete(_one(s, caller, Household, household_id))
    return Response(status_code=204)
