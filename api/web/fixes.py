"""One click to apply a fix the solver suggested for stops it left out.

The solver says its fixes in sentences (``routing.solve.explain``: "Dana's route can take it
with 20 more minutes (until 13:20)", "one more driver with 4 boxes from 14:45 to 15:15
(loading at Compare Foods) covers this stop"). Here they are read back into changes to the
week's request: longer hours for a driver, one more stop allowed, one more driver. Each is
re-planned with minimal change into a new version. A fix that is not one of these (an address
to correct) stays a sentence for the dispatcher.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from maps.i18n import Language

_HOURS = re.compile(
    r"^(?P<name>.+)'s route can take it with (?P<minutes>\d+) more minutes "
    r"\(until (?P<until>\d\d:\d\d)\)$"
)
_STOPS = re.compile(
    r"^(?P<name>.+)'s route can take it if their maximum goes from \d+ to (?P<stops>\d+) stops$"
)
_DRIVER = re.compile(
    r"^one more driver(?: who has (?P<skills>.+?))? with (?P<boxes>\d+) box(?:es)? "
    r"from (?P<start>\d\d:\d\d) to (?P<end>\d\d:\d\d) \(loading at (?P<hub>.+)\) covers .+$"
)


@dataclass(frozen=True)
class Fix:
    """A fix the page can apply: ``kind`` is ``driver_hours``, ``max_stops`` or ``add_driver``."""

    kind: str
    driver_id: str = ""
    driver: str = ""
    minutes: int = 0
    until: str = ""
    stops: int = 0
    boxes: int = 0
    start: str = ""
    end: str = ""
    hub_id: str = ""
    skills: tuple[str, ...] = ()

    def label(self, lang: Language) -> str:
        """The button's words, in the page's language."""
        if self.kind == "driver_hours":
            return lang.gettext(
                "Give %(name)s %(minutes)s more minutes (until %(until)s)",
                name=self.driver,
                minutes=self.minutes,
                until=self.until,
            )
        if self.kind == "max_stops":
            return lang.gettext(
                "Let %(name)s take %(stops)s stops", name=self.driver, stops=self.stops
            )
        return lang.gettext(
            "Add a driver from %(start)s to %(end)s with room for %(boxes)s boxes",
            start=self.start,
            end=self.end,
            boxes=self.boxes,
        )


def read_fix(sentence: str, plan: dict[str, Any]) -> Fix | None:
    """The fix a sentence of the solver describes, for the drivers and hubs of ``plan``
    (plan.json); None when it is not one the page can apply."""
    problem = plan.get("problem") or {}
    drivers = {d.get("name"): d for d in problem.get("drivers", [])}
    if m := _HOURS.match(sentence):
        d = drivers.get(m["name"])
        if d is None:
            return None
        return Fix(
            "driver_hours",
            driver_id=d["id"],
            driver=d["name"],
            minutes=int(m["minutes"]),
            start=(d.get("shift") or [""])[0],
            until=m["until"],
        )
    if m := _STOPS.match(sentence):
        d = drivers.get(m["name"])
        if d is None:
            return None
        return Fix("max_stops", driver_id=d["id"], driver=d["name"], stops=int(m["stops"]))
    if m := _DRIVER.match(sentence):
        hubs = [h for h in problem.get("hubs", []) if h.get("name") == m["hub"]]
        skills = tuple(x.strip() for x in (m["skills"] or "").split(",") if x.strip())
        return Fix(
            "add_driver",
            boxes=int(m["boxes"]),
            start=m["start"],
            end=m["end"],
            hub_id=hubs[0]["id"] if hubs else "",
            skills=skills,
        )
    return None


def apply_fix(request: dict[str, Any], fix: Fix, lang: Language) -> dict[str, Any]:
    """The version's request with ``fix`` applied (a copy). Raises LookupError when the
    driver it names is not in the request any more."""
    body = json.loads(json.dumps(request))
    drivers = body["drivers"]

    def driver() -> dict[str, Any]:
        for i, d in enumerate(drivers):
            if (d.get("id") or f"d{i + 1}") == fix.driver_id:
                return d  # type: ignore[no-any-return]
        raise LookupError(fix.driver_id)

    if fix.kind == "driver_hours":
        driver()["shift"] = f"{fix.start}-{fix.until}"
    elif fix.kind == "max_stops":
        driver()["max_stops"] = fix.stops
    elif fix.kind == "add_driver":
        taken = {d.get("id") for d in drivers}
        n = 1
        while f"extra-{n}" in taken:
            n += 1
        extra: dict[str, Any] = {
            "id": f"extra-{n}",
            "name": lang.gettext("Extra driver %(number)s", number=n),
            "capacity_boxes": fix.boxes,
            "shift": f"{fix.start}-{fix.end}",
            "skills": list(fix.skills),
        }
        if fix.hub_id and len(body.get("hubs", [])) > 1:
            extra["hub"] = fix.hub_id
        drivers.append(extra)
    return body
