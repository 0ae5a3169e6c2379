"""The search portfolio: one or two searches in parallel processes, the best plan kept.

Each search is a *lane*:

* ``pyvrp``: a first complete plan at once (stops swept around the hub, then PyVRP's local
  search: about a second for 1,000 stops), then PyVRP's iterated local search from it
  (:mod:`routing.solve.seed`); when PyVRP's relaxation of the model is not exact (several
  windows, a choice of hubs, box balance, preferred drivers, locks) or its plan had to be
  repaired, OR-Tools GLS then keeps improving it under every constraint.
* ``ortools-gls``: OR-Tools alone, from its own first solution (PATH_CHEAPEST_ARC with
  every visit optional) or from the previous plan, then GLS.

``workers=2`` (default) runs a second lane in a child process: with PyVRP installed
(``seeding="auto"``) the main lane is ``pyvrp`` and the second one ``pyvrp`` from another
seed and sweep, or ``ortools-gls`` for small problems whose objective PyVRP does not fully
see; when re-planning a previous plan, ``ortools-gls`` from that plan and ``pyvrp``;
without PyVRP, two differently set OR-Tools searches. ``workers=1`` runs OR-Tools alone.
A lane whose PyVRP fails carries on with OR-Tools.
Two lanes pay on two cores even where they slow each other (on the project's machine each
runs at about two thirds of its speed alone): one PyVRP lane searched the demo 0.3 s less
on average, for routes up to 0.4 % longer (seeds 0-5).

Every plan a lane finds on the way is priced the same way (:mod:`routing.solve.cost`) and
the cheapest one kept, whichever lane found it: the child sends its plans down a pipe as
it goes. The lanes stop together (:mod:`routing.solve.stall`): at the time limit or, by
default, once neither has improved for a while. Every route returned passes the solver's
own check (:func:`~routing.solve.schedule.evaluate`).
"""

from __future__ import annotations

import math
import multiprocessing
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from routing.errors import SolverError
from routing.solve.cost import PlanCost, Pricing
from routing.solve.data import SolveData
from routing.solve.locks import with_locks
from routing.solve.options import SolveProgress
from routing.solve.ortools_model import run_search
from routing.solve.seed import INFEASIBLE, PyvrpSearch, pyvrp_fits
from routing.solve.stall import Lane, Watch

#: Above this many stops the second lane is PyVRP even when OR-Tools sees more of the
#: objective: OR-Tools' own first solution takes tens of seconds at 1,000 stops.
ORTOOLS_LANE_MAX_STOPS = 400

#: From this many stops the sweep (PyVRP's starting point) is handed on as a first plan
#: while local search improves it (1-5 s at 1,000-2,000 stops).
SWEEP_FIRST_MIN_STOPS = 1000
#: The name's suffix of such a plan: a rough start, not the scale of the search's gains.
SWEPT = " (sweep)"

Routes = list[list[int]]
#: What a lane runs: (kind, seed or OR-Tools variant, sweep turn, OR-Tools' first routes).
_Spec = tuple[str, int, float, "Routes | None"]
#: Where a lane's plans go: (routes or None, lane name, whether it is the lane's last).
Sink = Callable[[Routes | None, str, bool], None]


@dataclass
class Outcome:
    """What the portfolio found: the best plan, its cost and how the search went."""

    routes: Routes
    cost: PlanCost
    name: str
    first_s: float | None
    stopped: str
    searches: dict[str, int | None] = field(default_factory=dict)


def _plain(data: SolveData) -> bool:
    """Whether PyVRP sees the whole objective: travel, fleet size and time balance
    (as overtime above each driver's fair share), but no box balance or preferences."""
    opts = data.options
    return (opts.balance in ("off", "time") or opts.minimize_drivers) and not (
        opts.continuity or data.previous is not None
    )


def _exact(data: SolveData) -> bool:
    """Whether PyVRP's relaxation is the model itself: the whole objective, one window per
    stop, one hub per driver and no locks (so its plans need no OR-Tools polish)."""
    return (
        _plain(data)
        and not data.options.locked_routes
        and all(len(s.windows) <= 1 for s in data.stops)
        and all(len(alts) == 1 for alts in data.driver_alts.values())
    )


class _Best:
    """The cheapest plan of the solve so far (in the main process), and progress reports."""

    def __init__(
        self,
        data: SolveData,
        progress: Callable[[SolveProgress], None] | None,
        t0: float,
        limit_s: float,
        watch: Watch,
    ):
        self.data = data
        self.watch = watch
        self.pricing = Pricing(data)
        self.progress = progress
        self.t0 = t0
        self.limit_s = limit_s
        self.routes: Routes | None = None
        self.cost: PlanCost | None = None
        self.name = ""
        self.first_s: float | None = None
        self.finals: dict[str, int | None] = {}
        self.next_tick = 0.0

    def offer(self, routes: Routes | None, name: str, final: bool = False) -> None:
        """Keep ``routes`` when they are the cheapest so far; ``final``: a lane's last word."""
        if routes is None:
            if final:
                self.finals.setdefault(name, None)
            return
        cost = self.pricing.cost(routes)
        if final:
            self.finals[name] = cost.objective
        if self.first_s is None:
            self.first_s = time.monotonic() - self.t0
        if not name.endswith(SWEPT):
            self.watch.set_scale(cost.objective - cost.penalty)
        if self.cost is None or cost.objective < self.cost.objective:
            self.routes, self.cost, self.name = routes, cost, name
            if not name.endswith(SWEPT):
                self.watch.best(cost.objective)
            self.report()

    def report(self) -> None:
        """Tell the progress callback about the best plan (also as a heartbeat)."""
        now = time.monotonic()
        self.next_tick = now + 0.25
        if self.progress is not None and self.cost is not None:
            c = self.cost
            total = len(self.data.problem.stops)
            self.progress(
                SolveProgress(
                    now - self.t0, c.objective, c.assigned, total, self.limit_s, c.route_s
                )
            )

    def tick(self) -> None:
        """A heartbeat for the progress bar, a few times a second."""
        if time.monotonic() >= self.next_tick:
            self.report()


class _Hand:
    """How a lane hands its plans on (to :class:`_Best`, or down the pipe from the child).

    Pricing a big plan takes a while, so a lane's better plans are handed on every so
    often: the latest one waits (:meth:`better`) until the interval has passed
    (:meth:`flush`, called all along); a lane's first and last plans go at once.
    """

    def __init__(self, sink: Sink, interval_s: float, poll: Callable[[], None] = lambda: None):
        self.sink = sink
        self.interval_s = interval_s
        self.poll = poll
        self.next = 0.0
        self.pending: tuple[Callable[[], Routes], str] | None = None

    def better(self, routes: Callable[[], Routes], name: str) -> None:
        """The lane has a better plan (``routes()`` gives it): hand it on when due."""
        self.pending = (routes, name)
        self.flush()

    def flush(self) -> None:
        """Hand on the waiting plan if the interval has passed; hear from the other lane."""
        now = time.monotonic()
        if self.pending is not None and now >= self.next:
            routes, name = self.pending
            self.pending = None
            self.next = now + self.interval_s
            self.sink(routes(), name, False)
        self.poll()

    def plan(self, routes: Routes | None, name: str, final: bool = False) -> None:
        """Hand on ``routes`` now (a lane's first or last)."""
        self.pending = None
        self.next = time.monotonic() + self.interval_s
        self.sink(routes, name, final)


def _interval(data: SolveData) -> float:
    """Seconds between plans handed on: pricing a plan is about 25 us per stop."""
    return max(0.1, 0.0005 * data.n_stops)


def _remaining(lane: Lane) -> float:
    """OR-Tools' own limit: a little past the cap, which the watch enforces."""
    return max(0.05, lane.watch.deadline - time.monotonic()) + 1.0


def _ortools_lane(
    data: SolveData, variant: int, initial: Routes | None, lane: Lane, hand: _Hand, name: str
) -> None:
    """OR-Tools from its own first solution (or ``initial``), then GLS, until stopped."""
    best = [math.inf]

    def on_solution(cost: int, routes: Callable[[], Routes]) -> None:
        lane.offer(cost)
        if cost < best[0]:
            # GLS moves on from this solution: read its routes now, hand them on when due.
            best[0] = cost
            now = routes()
            hand.better(lambda: now, name)

    def stop() -> bool:
        hand.flush()
        return lane.should_stop()

    routes, _ = run_search(data, _remaining(lane), variant, initial, on_solution, stop)
    hand.plan(routes, name, final=True)


def _pyvrp_lane(
    data: SolveData, seed: int, turn: float, lane: Lane, hand: _Hand, name: str
) -> None:
    """PyVRP's first plan at once, then its iterated local search until stopped; or, when
    PyVRP's model is not exact (or its first plan needed repair), until that stalls, then
    OR-Tools GLS under every rule."""
    watch = lane.watch
    search = PyvrpSearch(data, seed, turn)
    swept = search.swept()
    if data.n_stops >= SWEEP_FIRST_MIN_STOPS:
        # Local search from the sweep takes seconds on a big week: show the sweep meanwhile.
        hand.plan(with_locks(data, search.routes(swept)), name + SWEPT)
    current = search.first(swept)
    first = with_locks(data, search.routes(current))
    hand.plan(first, name)
    # Polish with OR-Tools when PyVRP's model is not exact or its plan needed repair.
    polish = not _exact(data) or sum(map(len, first)) < current.num_clients()

    def on_best(solution: Any) -> None:
        hand.better(lambda: with_locks(data, search.routes(solution)), name)

    def stop(cost: int) -> bool:
        if cost < INFEASIBLE:
            lane.offer(cost)
        hand.flush()
        return lane.should_stop() or (polish and lane.phase_stalled())

    best = search.improve(current, stop, on_best)
    routes = with_locks(data, search.routes(best))
    if not polish or watch.stopped():
        hand.plan(routes, name, final=True)
        return
    hand.plan(routes, name)
    lane.new_phase()
    polished = name.replace("pyvrp", "pyvrp+ortools")
    _ortools_lane(data, 0, routes, lane, hand, polished)


def _run_lane(data: SolveData, spec: _Spec, lane: Lane, hand: _Hand) -> None:
    kind, arg, turn, initial = spec
    try:
        if kind == "pyvrp":
            name = "pyvrp" if lane.k == 0 else "pyvrp (seed 2)"
            try:
                _pyvrp_lane(data, arg, turn, lane, hand, name)
                return
            except Exception as e:  # PyVRP is an extra: OR-Tools alone still plans it all
                hand.plan(None, f"{name}: error {e!r}", final=True)
                lane.new_phase()
            arg = 0
        name = "ortools-gls-bandit" if arg else "ortools-gls"
        _ortools_lane(data, arg, initial, lane, hand, name)
    finally:
        lane.done()


def _child(data: SolveData, spec: _Spec, watch: Watch, conn: Any) -> None:
    """The second lane, in a child process: plans go down ``conn`` as it finds them."""
    try:
        hand = _Hand(lambda *plan: conn.send(plan), 2 * _interval(data))
        _run_lane(data, spec, watch.lane(1), hand)
    except Exception as e:  # pragma: no cover - reported, the main search still counts
        conn.send((None, f"error: {e!r}", True))
    finally:
        conn.send(None)  # done
        conn.close()


def _mp_context() -> Any:
    """``fork`` from the main thread (fast); ``forkserver`` from other threads (an API
    server's worker threads), where forking a threaded process is unsafe; ``spawn`` where
    neither exists."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.current_thread() is threading.main_thread():
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["routing.solve.portfolio"])
        return ctx
    return multiprocessing.get_context("spawn")


def _lanes(data: SolveData, limit_s: float, initial: Routes | None) -> list[_Spec]:
    """What each lane runs: ("pyvrp", seed, sweep turn, initial) or ("ortools", variant,
    0, initial); ``initial`` is where OR-Tools starts (a previous plan, locks)."""
    opts = data.options
    pyvrp = opts.seeding == "auto" and pyvrp_fits(data)
    if opts.workers < 2 or data.n_stops < 8 or limit_s < 0.5:
        return [("ortools", 0, 0.0, initial)]
    if not pyvrp:
        return [("ortools", 0, 0.0, initial), ("ortools", 1, 0.0, initial)]
    if data.previous is not None:
        # Re-planning: OR-Tools starts from the plan drivers have and prices every move.
        return [("ortools", 0, 0.0, initial), ("pyvrp", opts.seed, 0.0, initial)]
    if _plain(data) or data.n_stops > ORTOOLS_LANE_MAX_STOPS:
        second: _Spec = ("pyvrp", opts.seed + 1, 0.5, initial)
    else:
        second = ("ortools", 0, 0.0, initial)
    return [("pyvrp", opts.seed, 0.0, initial), second]


def run_portfolio(
    data: SolveData,
    limit_s: float,
    initial: Routes | None,
    progress: Callable[[SolveProgress], None] | None,
    t0: float,
) -> Outcome:
    """Run the lanes (the second in a child process) until stopped; the cheapest plan."""
    opts = data.options
    specs = _lanes(data, limit_s, initial)
    ctx = _mp_context()
    cap = max(0.0, limit_s - (time.monotonic() - t0))
    watch = Watch(ctx, len(specs), opts.stall, cap, early=not opts.full_time)
    best = _Best(data, progress, t0, limit_s, watch)
    done = [False]

    def take(message: tuple[Routes | None, str, bool] | None) -> None:
        if message is None:
            done[0] = True
        else:
            best.offer(*message)

    child = conn = None
    if len(specs) > 1:
        conn, child_conn = ctx.Pipe(duplex=False)
        child = ctx.Process(target=_child, args=(data, specs[1], watch, child_conn), daemon=True)
        child.start()
        child_conn.close()
    last_poll = [0.0]

    def poll() -> None:
        now = time.monotonic()
        if now - last_poll[0] < 0.02:
            return
        last_poll[0] = now
        try:
            while conn is not None and not done[0] and conn.poll():
                take(conn.recv())
        except (EOFError, OSError):
            done[0] = True
        best.tick()

    try:
        _run_lane(data, specs[0], watch.lane(0), _Hand(best.offer, _interval(data), poll))
    except BaseException:
        watch.stop()
        if child is not None:
            child.terminate()
            child.join()
        raise
    if child is not None and conn is not None:
        # The child runs on until it stalls too (or the cap): then it sends its last plan.
        grace: float | None = None
        while not done[0]:
            try:
                if conn.poll(0.05):
                    take(conn.recv())
                    continue
            except (EOFError, OSError):
                break
            best.tick()
            if watch.stopped():
                grace = grace or time.monotonic() + 5 + 0.005 * data.n_stops
                if time.monotonic() > grace:
                    break
        child.join(timeout=1)
        if child.is_alive():
            child.terminate()
            child.join()
    # Lanes that ended on their own: at or past the cap (OR-Tools' own limit is a little
    # longer, and a busy lane may not have looked at the watch since) it is the time limit.
    watch.stop("time limit" if time.monotonic() >= watch.deadline else "done")
    if best.routes is None or best.cost is None:
        raise SolverError("the search found no plan at all, not even an empty one")
    best.report()
    return Outcome(best.routes, best.cost, best.name, best.first_s, watch.reason, dict(best.finals))
