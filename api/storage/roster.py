"""What a group keeps from week to week: hubs, the drivers roster and the households.

Hubs and drivers are stored as the JSON the API takes (``HubIn``, ``DriverIn``), keyed by
their id. Households are remembered from each published plan: who they are, where, and which
driver brought their groceries on which day; that history feeds the solver's continuity
preference (a household keeps its driver when it can).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api.storage.models import Household, utcnow
from routing.model import Driver, Stop

#: HubRecord, RosterDriver or Household (each a KeyedItem).
Keyed = type[Any]

#: The household fields kept (personal data: purged with the rest).
HOUSEHOLD_FIELDS = ("name", "address", "unit", "postcode", "phone", "lat", "lon", "language")


def household_key(address: str, unit: str, fallback: str) -> str:
    """The same household week to week: address and unit, case and commas aside."""
    key = " ".join(f"{address} {unit}".casefold().replace(",", " ").split())
    return key or f"id:{fallback}"


def items(s: Session, model: Keyed, group_id: str) -> list[Any]:
    q = select(model).where(model.group_id == group_id)
    return list(s.scalars(q.order_by(model.key)))


def item(s: Session, model: Keyed, group_id: str, item_id: str) -> Any:
    found = s.get(model, item_id) if len(item_id) <= 32 else None
    return found if found is not None and found.group_id == group_id else None


def upsert(s: Session, model: Keyed, group_id: str, key: str, data: dict[str, Any]) -> Any:
    """Create the item with this key, or replace its data."""
    found = s.scalar(select(model).where(model.group_id == group_id, model.key == key))
    if found is None:
        found = model(group_id=group_id, key=key, data=json.dumps(data))
        s.add(found)
    else:
        found.data = json.dumps(data)
    s.flush()
    return found


def remember_households(s: Session, group_id: str, day: date | None, body: dict[str, Any]) -> int:
    """Record each delivered household of a published plan.json, with its driver that day.

    Another plan of the group may record the same household at the same moment: the work is
    done in a savepoint and done again, reading what the other recorded, when they collide.
    """
    for _ in range(3):
        try:
            with s.begin_nested():
                return _remember(s, group_id, day, body)
        except IntegrityError:
            continue
    return 0


def _remember(s: Session, group_id: str, day: date | None, body: dict[str, Any]) -> int:
    on = day or utcnow().date()
    n = 0
    for route in body.get("routes", []):
        for stop in route.get("stops", []):
            key = household_key(stop.get("address", ""), stop.get("unit", ""), stop["id"])
            data = {k: stop.get(k) for k in HOUSEHOLD_FIELDS if stop.get(k) not in (None, "")}
            record = s.scalar(
                select(Household).where(Household.group_id == group_id, Household.key == key)
            )
            if record is None:
                record = Household(group_id=group_id, key=key, data="{}", drivers="[]")
                s.add(record)
            record.data = json.dumps(data)
            history = [h for h in json.loads(record.drivers) if h[0] != on.isoformat()]
            history.append([on.isoformat(), route["driver_id"]])
            record.drivers = json.dumps(history[-12:])
            if record.last_delivery is None or on > record.last_delivery:
                record.last_delivery = on
            n += 1
    s.flush()
    return n


def continuity_for(
    s: Session, group_id: str, stops: Sequence[Stop], drivers: Sequence[Driver]
) -> dict[str, str]:
    """Stop id -> the driver who last brought that household its groceries, when that driver
    is on this run."""
    on_run = {d.id for d in drivers}
    keys = {household_key(st.address, st.unit, st.id): st.id for st in stops}
    if not keys:
        return {}
    out = {}
    rows = s.scalars(
        select(Household).where(Household.group_id == group_id, Household.key.in_(list(keys)))
    )
    for record in rows:
        history = json.loads(record.drivers)
        if history and history[-1][1] in on_run:
            out[keys[record.key]] = history[-1][1]
    return out
