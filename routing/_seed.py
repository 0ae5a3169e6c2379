"""Seed solutions from PyVRP for the second search (optional: needs the ``pyvrp`` package)."""

from __future__ import annotations

from typing import Any


def pyvrp_fits(data: Any) -> bool:
    """Whether PyVRP is installed and can model ``data`` (not yet: always False)."""
    return False


def pyvrp_routes(data: Any, limit_s: float, seed: int) -> list[list[int]] | None:
    return None
