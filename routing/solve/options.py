"""How to search: :class:`SolveOptions`, the :class:`SolveProgress` snapshots, and the
choices other packages offer (balance, objective, seeding) as ``Literal`` types.

Defaults a dispatcher would pick
--------------------------------
``balance="time"``: volunteers give their time, so the default spreads route minutes among
the available drivers: each minute of a route above the driver's fair share (the work
split in proportion to the drivers' hours) costs two minutes of travel on top. With it,
``[6, 2, 2, 2]`` stops beats ``[6, 6, 0, 0]``; ``"time_and_boxes"`` also evens out boxes.
``minimize_drivers=True`` instead uses as few drivers as possible (each driver used costs
more than any detour), freeing volunteers for another day.

``time_limit_s`` is a cap: by default the search ends sooner, once the best plan has
stopped improving (:class:`StallRule`); ``full_time=True`` searches for the whole limit.
The default cap grows with the number of stops.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, get_args

from routing.errors import InputError, InputProblem

#: What the search evens out among drivers.
Balance = Literal["off", "time", "boxes", "time_and_boxes"]
BALANCES: tuple[Balance, ...] = get_args(Balance)

#: What the search minimises: travel time (seconds) or travel distance (metres).
Objective = Literal["time", "distance"]
OBJECTIVES: tuple[Objective, ...] = get_args(Objective)

#: Whether a second search may start from a PyVRP plan.
Seeding = Literal["auto", "off"]
SEEDINGS: tuple[Seeding, ...] = get_args(Seeding)


def _one_of(values: Sequence[str]) -> str:
    """``"a, b or c"``."""
    return f"{', '.join(values[:-1])} or {values[-1]}" if len(values) > 1 else values[0]


@dataclass(frozen=True)
class StallRule:
    """When the search has stalled: the best plan has not improved by ``min_gain`` (a share
    of the first plan's cost without penalties: its travel and balance) for ``patience_s``
    seconds of search, or for ``patience_share`` of the time searched so far when that is
    longer (improvements come further apart as a search goes on). Seconds are each search
    process's CPU time, so that a busy machine does not cut a search short.

    A search that has another phase to go to (PyVRP, then OR-Tools under every rule) moves
    on after half that patience; the solve stops once every search has stalled.
    """

    # Tuned on the demo and generated weeks of 500, 1,000 and 2,000 stops against a 60 s
    # search (benchmarks/everyday.py, November 2026), then checked on the VRPLIB sets
    # (benchmarks/solver.py --rule). The dispatcher's measure is route minutes: with 0.5 % /
    # 1 s / a tenth of the search so far, the solve's best plan watched, every week stopped
    # stalled within 1 % of the 60 s plan's route minutes with as many stops placed (demo
    # 0.2 %, 500 stops 0.9 %, 1,000 0.8 %, 2,000 1.0 %; 8 to 33 s end to end against 21 to
    # 100 s with the whole default limit). A gain of 1 % or 2 % stopped the 2,000- and
    # 500-stop weeks 1.4 % off; a quarter of the search so far, or 2 s, kept searching
    # 24-30 s on 500 stops for 0.3-0.5 % more. On the VRPLIB sets (travel only, 10 s cap)
    # it searched about 2 s on average for mean gaps to the best-known solutions of 0.6-0.9 %
    # (seeds 0 and 1, November 29; 0.53 % searching the whole 10 s); X-n153-k22 can stall at
    # 1-2 s at 3.6 % (0.8 % with 10 s: PyVRP finds one route fewer late), which a
    # dispatcher's week with drivers' hours fixed does not see.
    #
    # A small week's search moves faster, but a shorter patience for it does not hold up:
    # on the demo (116 of 120 stops placed) 0.35 s searched 1.4 s on average, within 0.29 %
    # of the 60 s plan's route minutes (at most 0.66 %, seeds 0-9), but generated weeks of
    # the same harness (a window on 3 stops in 7) went 1.1-1.9 % off a 30 s search with
    # 0.35-0.72 s (120-180 stops, seeds 0-3), within 0.93 % with the whole second. Nor did
    # other signals tell the demo from those weeks (simulated on each lane's plans over
    # time, demo seeds 0-9, 120-250 stops seeds 0-5): the two lanes' costs differ as much
    # on the demo (0-15 %) as on them; stopping after a 0.35-0.5 s stall once the lanes'
    # route minutes agree (within 0.1-0.5 %) left a 180-stop week 1.9-2.1 % off; a stall
    # counted on route minutes alone, where it shortened the demo's search, 1.6-2.1 %.
    # Weeks that size are most groups' weeks: every week has the whole second.
    min_gain: float = 0.005
    patience_s: float = 1.0
    patience_share: float = 0.1

    def patience(self, elapsed_s: float) -> float:
        """Seconds without a meaningful gain after which the search stops."""
        return max(self.patience_s, self.patience_share * elapsed_s)


@dataclass(frozen=True)
class SolveOptions:
    """How to search.

    Attributes
    ----------
    time_limit_s:
        The longest the search may take: it ends sooner once the best plan stops improving
        (see ``stall``), unless ``full_time``. ``None`` picks a default that grows with the
        number of stops (:func:`default_time_limit_s`: 2 s plus 0.1 s per stop, at most 60 s).
    full_time:
        Search for the whole ``time_limit_s``, even after the plan has stopped improving.
    stall:
        When the plan has stopped improving (:class:`StallRule`).
    seed:
        Seed of the randomised parts (the second search and any seeding heuristic).
    balance:
        ``"time"`` (default) evens out route minutes, ``"boxes"`` the boxes carried,
        ``"time_and_boxes"`` both, ``"off"`` minimises travel only.
    balance_weight:
        Extra cost of one second of route time above a driver's fair share, in seconds
        of travel (2.0: such minutes count three times). Boxes above the fair share cost
        ``balance_weight * 60`` seconds each.
    minimize_drivers:
        Use as few drivers as possible (overrides ``balance``).
    workers:
        Parallel searches (processes); 2 uses both cores of a small machine.
    objective:
        ``"time"`` minimises travel time (seconds), ``"distance"`` travel distance (metres).
    change_cost_s:
        With ``previous``: cost, in seconds of travel, of moving a stop to another driver.
    continuity:
        Stop id -> driver id from last week's plan; preferred, softly.
    continuity_cost_s:
        Cost of giving a stop in ``continuity`` to another driver.
    locked_routes:
        Driver id -> stop ids in order: that driver's route is exactly this.
    suggest_fixes:
        Look for, and check, a fix for every stop the search leaves out.
    max_vehicles:
        When not ``None``, at most this many drivers are used.
    seeding:
        ``"auto"`` lets the second worker start from a PyVRP solution when pyvrp is
        installed and the problem fits its model; ``"off"`` uses OR-Tools only.
    """

    time_limit_s: float | None = None
    full_time: bool = False
    stall: StallRule = field(default_factory=StallRule)
    seed: int = 0
    balance: Balance = "time"
    balance_weight: float = 2.0
    minimize_drivers: bool = False
    workers: int = 2
    objective: Objective = "time"
    change_cost_s: int = 1800
    continuity: Mapping[str, str] = field(default_factory=dict)
    continuity_cost_s: int = 600
    locked_routes: Mapping[str, Sequence[str]] = field(default_factory=dict)
    suggest_fixes: bool = True
    max_vehicles: int | None = None
    seeding: Seeding = "auto"

    def __post_init__(self) -> None:
        problems: list[InputProblem] = []
        if self.time_limit_s is not None and not self.time_limit_s > 0:
            problems.append(InputProblem("time_limit_s", str(self.time_limit_s), "must be > 0"))
        if self.balance not in BALANCES:
            problems.append(
                InputProblem("balance", str(self.balance), f"must be {_one_of(BALANCES)}")
            )
        if self.max_vehicles is not None and self.max_vehicles < 1:
            problems.append(
                InputProblem("max_drivers", str(self.max_vehicles), "must be 1 or more")
            )
        if not (0 <= self.stall.min_gain < 1 and self.stall.patience_s > 0):
            problems.append(
                InputProblem("stall", repr(self.stall), "needs 0 <= min_gain < 1, patience_s > 0")
            )
        if self.workers < 1:
            problems.append(InputProblem("workers", str(self.workers), "must be 1 or more"))
        if self.objective not in OBJECTIVES:
            problems.append(
                InputProblem("objective", str(self.objective), f"must be {_one_of(OBJECTIVES)}")
            )
        if problems:
            raise InputError(problems)


@dataclass(frozen=True)
class SolveProgress:
    """A snapshot of the search, passed to the ``progress`` callback: the best plan so far.

    ``objective`` is the plan's cost as ``Plan.stats["objective"]`` reports it, ``assigned``
    the stops it places of ``total``, ``route_s`` the sum of its routes' durations (seconds,
    as the plan's route minutes count them), ``time_limit_s`` the cap.
    """

    elapsed_s: float
    objective: int
    assigned: int
    total: int
    time_limit_s: float
    route_s: int = 0

    @property
    def fraction(self) -> float:
        """Share of the time limit used, 0..1 (for a progress bar; the search may end
        sooner)."""
        return min(1.0, self.elapsed_s / self.time_limit_s) if self.time_limit_s else 1.0


def default_time_limit_s(n_stops: int) -> float:
    """Default cap on the search for ``n_stops`` stops: 2 s + 0.1 s per stop, at most 60 s."""
    return float(min(60.0, 2.0 + 0.1 * n_stops))
