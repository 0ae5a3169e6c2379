"""When to stop searching: the time cap, the stall rule, and a stop flag that the searches
of one solve share across processes.

A :class:`Watch` lives in shared memory, made before the second process starts. Each
search (a *lane*) keeps its own clock: the CPU time of its process, so that a busy machine
slows a search down without making it look stalled (and a search does the same work
whatever else runs). A lane has stalled when its best plan has not improved by a
meaningful amount for the rule's patience; it says so in the watch. The solve stops when
the cap (wall time) is reached or, unless the dispatcher asked for the full time, when
the solve's best plan (every lane's plans priced alike, in the main process) has not
improved meaningfully for the patience, on the main process's CPU clock, or when every
lane that has a plan has stalled. A gain is meaningful when it is at least
``StallRule.min_gain`` of the first plan's cost without penalties (its travel and balance:
a share of a cost made mostly of penalties for stops nobody can take would be far too
much). A lane also tells its search when the current phase has stalled (after half the
patience), so that the search can move on to its next method.
"""

from __future__ import annotations

import time
from typing import Any

from routing.solve.options import StallRule

#: Why a solve stopped, as ``Plan.stats["stopped"]`` says.
REASONS = ("stalled", "time limit", "done")

#: A lane's state in the watch.
_RUNNING, _STALLED = 0.0, 1.0


class Watch:
    """The stop rule of one solve, shared by its lanes (pass it to a child process when
    starting it)."""

    def __init__(self, ctx: Any, lanes: int, rule: StallRule, cap_s: float, early: bool):
        #: Per lane: running (0), stalled (1), or no plan yet (-1); then the scale of a
        #: gain (0: not known yet); then the stop flag (0, or 1 + index in REASONS).
        self.shared = ctx.RawArray("d", lanes + 2)
        for k in range(lanes):
            self.shared[k] = -1.0
        self.lanes = lanes
        self.rule = rule
        self.deadline = time.monotonic() + cap_s
        self.early = early
        # The solve's best plan, in the main process (see :meth:`best`).
        self.start_cpu = time.process_time()
        self.best_ref: float | None = None
        self.best_cpu = self.start_cpu

    def stop(self, reason: str = "done") -> None:
        """Raise the stop flag: every lane ends with its best plan."""
        flag = self.lanes + 1
        if not self.shared[flag]:
            self.shared[flag] = 1 + REASONS.index(reason)

    @property
    def reason(self) -> str:
        """Why the lanes were stopped ("" while they run)."""
        flag = int(self.shared[self.lanes + 1])
        return REASONS[flag - 1] if flag else ""

    def set_scale(self, cost: float) -> None:
        """The first plan's cost without penalties: gains are measured against it."""
        if not self.shared[self.lanes] and cost > 0:
            self.shared[self.lanes] = cost

    def min_gain(self, cost: float) -> float:
        """The least drop from ``cost`` that counts as a gain."""
        return self.rule.min_gain * (self.shared[self.lanes] or cost)

    def best(self, cost: float) -> None:
        """The solve's best plan so far costs ``cost`` (every lane's plans priced alike;
        called in the main process): note a meaningful gain."""
        if self.best_ref is None or cost <= self.best_ref - self.min_gain(self.best_ref):
            self.best_ref = cost
            self.best_cpu = time.process_time()

    def stalled(self) -> bool:
        """Whether the solve's best plan has stalled (in the main process), or every lane
        with a plan has (and some lane has a plan)."""
        if self.best_ref is not None:
            now = time.process_time()
            if now - self.best_cpu > self.rule.patience(now - self.start_cpu):
                return True
        states = self.shared[: self.lanes]
        return max(states) == _STALLED and _RUNNING not in states

    def stopped(self) -> bool:
        """Whether the lanes should end now: flag, cap, or (early stopping) all stalled."""
        if self.shared[self.lanes + 1]:
            return True
        if time.monotonic() >= self.deadline:
            self.stop("time limit")
            return True
        if self.early and self.stalled():
            self.stop("stalled")
            return True
        return False

    def lane(self, k: int) -> Lane:
        return Lane(self, k)


class Lane:
    """One search's side of the :class:`Watch`, on its process's CPU clock."""

    def __init__(self, watch: Watch, k: int):
        self.watch = watch
        self.k = k
        self.ref: float | None = None  # the cost at the phase's last meaningful gain
        self.start = time.process_time()
        self.last = self.start  # CPU time of the last meaningful gain
        self.phase_start = self.start

    def new_phase(self) -> None:
        """A new phase starts (another search method, another cost scale): its first
        solution counts as a gain."""
        self.ref = None
        self.last = self.phase_start = time.process_time()

    def offer(self, cost: float) -> bool:
        """Note a solution's cost; ``True`` when it beats the phase's best by the rule's
        least gain."""
        if self.ref is not None and cost > self.ref - self.watch.min_gain(self.ref):
            return False
        self.ref = cost
        self.last = time.process_time()
        self.watch.shared[self.k] = _RUNNING
        return True

    def _idle(self) -> tuple[float, float]:
        """CPU seconds since the last gain, and the patience at this point."""
        now = time.process_time()
        return now - self.last, self.watch.rule.patience(now - self.start)

    def should_stop(self) -> bool:
        """What the search asks all along: note whether this lane has stalled, then whether
        the watch says stop."""
        if self.ref is not None:
            idle, patience = self._idle()
            self.watch.shared[self.k] = _STALLED if idle > patience else _RUNNING
        return self.watch.stopped()

    def phase_stalled(self) -> bool:
        """Whether this phase has gone half the patience without a meaningful gain."""
        idle, patience = self._idle()
        return idle > 0.5 * patience

    def done(self) -> None:
        """The lane has finished: it waits for nothing more."""
        self.watch.shared[self.k] = _STALLED
