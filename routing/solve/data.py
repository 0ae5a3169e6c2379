"""The solver's plain data: a problem laid out as nodes, vehicles and integer arrays.

:func:`routing.solve.build.build` makes a :class:`SolveData` from a
:class:`~routing.model.Problem`; the schedule check, OR-Tools model, PyVRP seed and the
explanations all read it. Nodes ``0 .. n_stops - 1`` are the routable stops; then each
vehicle has a start node (its hub) and an end node (its end place).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypeAlias

import numpy as np

from routing.model import Driver, Hub, Plan, Problem, Stop, TravelMatrix
from routing.solve.options import SolveOptions

#: Travel time or distance standing for "no road": far beyond any shift, still an int64.
#: Also "no limit" for capacities, stop counts, route times and distances.
BIG = 10**9

#: One travel matrix, or one per travel profile (``"drive"``, ``"bike"``, ``"walk"``).
Matrices: TypeAlias = TravelMatrix | Mapping[str, TravelMatrix]


@dataclass
class Vehicle:
    """One (driver, hub) pair the driver may load at; a driver has one per hub option."""

    driver: Driver
    hub: Hub
    profile: str
    pre_travel_s: int  # home -> hub, when the driver starts at home
    pre_distance_m: int
    earliest_hub_s: int  # earliest arrival at the hub
    latest_hub_s: int
    end_key: str | None  # None: the route ends anywhere
    capacity: int
    capacity_frozen: int
    max_stops: int
    max_span_s: int  # route time after reaching the hub
    max_distance_m: int  # distance after reaching the hub


@dataclass
class SolveData:
    """Everything the search and the plan builder need, in plain arrays."""

    problem: Problem
    options: SolveOptions
    stops: list[Stop]  # routable stops; node i < len(stops) is stops[i]
    vehicles: list[Vehicle]
    allowed: list[list[int]]  # per stop: vehicles allowed
    travel: dict[str, np.ndarray]  # profile -> int seconds between nodes (BIG = none)
    dist: dict[str, np.ndarray]  # profile -> int metres
    loc_keys: list[str | None]
    service: np.ndarray
    horizon: int
    penalty: list[int]
    driver_alts: dict[str, list[int]]
    fixed_cost: int = 0
    previous: Plan | None = None

    @property
    def n_stops(self) -> int:
        return len(self.stops)

    def start_node(self, v: int) -> int:
        return self.n_stops + 2 * v

    def end_node(self, v: int) -> int:
        return self.n_stops + 2 * v + 1

    @property
    def n_nodes(self) -> int:
        return self.n_stops + 2 * len(self.vehicles)
