"""When a solve stops early (``routing.solve.stall``): once its best plan has gone the
rule's patience, in CPU seconds, without a meaningful gain."""

from __future__ import annotations

import multiprocessing
import time

from routing.solve.options import StallRule
from routing.solve.stall import Watch


def _spin(cpu_s: float) -> None:
    """Search (burn CPU) for ``cpu_s`` seconds of this process's CPU time."""
    end = time.process_time() + cpu_s
    while time.process_time() < end:
        pass


def _watch(rule: StallRule, early: bool = True) -> Watch:
    return Watch(multiprocessing.get_context(), 2, rule, cap_s=60.0, early=early)


def test_the_best_plan_stalls_without_a_meaningful_gain() -> None:
    """Small gains (under ``min_gain`` of the first plan's cost) do not keep the solve
    going; a meaningful one does, for another patience."""
    watch = _watch(StallRule(min_gain=0.01, patience_s=0.05, patience_share=0.0))
    watch.set_scale(1000.0)
    watch.best(1000.0)
    assert not watch.stalled()
    _spin(0.03)
    watch.best(995.0)  # 0.5 %: not meaningful
    _spin(0.03)
    assert watch.stalled() and watch.stopped() and watch.reason == "stalled"


def test_a_meaningful_gain_restarts_the_patience() -> None:
    watch = _watch(StallRule(min_gain=0.01, patience_s=0.05, patience_share=0.0))
    watch.set_scale(1000.0)
    watch.best(1000.0)
    _spin(0.03)
    watch.best(980.0)  # 2 %: a gain
    _spin(0.03)
    assert not watch.stalled()
    _spin(0.04)
    assert watch.stalled()


def test_full_time_ignores_a_stalled_plan() -> None:
    """With the full time asked for, only the cap stops the solve."""
    watch = _watch(StallRule(min_gain=0.01, patience_s=0.02, patience_share=0.0), early=False)
    watch.best(1000.0)
    _spin(0.05)
    assert watch.stalled() and not watch.stopped()


def test_patience_grows_with_the_search_so_far() -> None:
    """Later in a search gains come further apart: the patience is a share of the CPU
    time searched so far when that is longer than ``patience_s``."""
    rule = StallRule(min_gain=0.01, patience_s=0.02, patience_share=0.5)
    watch = _watch(rule)
    _spin(0.2)  # searched 0.2 s before the first plan: the patience is now 0.1 s
    watch.best(1000.0)
    _spin(0.05)  # idle 0.05 s of a 0.125 s patience (0.25 s searched)
    assert not watch.stalled()
    _spin(0.2)  # idle 0.25 s of a 0.225 s patience
    assert watch.stalled()
