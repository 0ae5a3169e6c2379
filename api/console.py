"""Terminal output shared by the CLI's commands: consoles, the problems table, what a re-plan
changed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from routing.errors import InputProblem
from routing.intake.duplicates import PLANNED_ONCE

if TYPE_CHECKING:  # the report's module loads numpy: not before the command has set BLAS up
    from routing.intake.report import LeftOut

console = Console()
err_console = Console(stderr=True)


def problems_table(problems: Sequence[InputProblem], title: str) -> Table:
    """Row, column, value, problem and severity (errors red, warnings yellow); a caption
    says how to plan both rows of a household written twice, when there is one."""
    merged = any(PLANNED_ONCE in p.reason for p in problems)
    caption = "a household written twice is planned once: --keep-duplicates plans both rows"
    table = Table(title=title, caption=caption if merged else None)
    for col in ("row", "column", "value", "problem", "severity"):
        table.add_column(col, overflow="fold")
    for p in problems:
        style = "red" if p.severity == "error" else "yellow"
        table.add_row(
            "" if p.row is None else str(p.row),
            escape(p.field),  # what people typed is shown as typed, never read as markup
            escape(p.value),
            escape(p.reason),
            f"[{style}]{p.severity}[/]",
        )
    return table


def left_out_line(left_out: Sequence[LeftOut]) -> str:
    """``left out of the roster: Bob Smith (row 5: capacity), ...``: the drivers who get no
    route, as markup (names escaped)."""
    return "[yellow]left out of the roster:[/] " + escape(", ".join(map(str, left_out)))


def changes_table(changes: dict[str, Any]) -> Table:
    """A re-plan's ``changes`` (plan.json): the drivers to tell, what was added to and removed
    from their route, whether the order changed; then the households moved between drivers."""
    routes = changes["drivers"]
    title = (
        f"What changed since the previous plan: {len(routes)} driver"
        f"{'' if len(routes) == 1 else 's'} to tell"
        if routes
        else "Nothing changed for any driver since the previous plan"
    )
    table = Table(title=title)
    for col in ("driver", "added", "removed", "order"):
        table.add_column(col, overflow="fold")

    def names(households: list[dict[str, Any]]) -> str:
        return "\n".join(
            f"{h['name'] or h['id']}, {h['address']}"
            + ("" if h.get("in_week", True) else " (no longer on the list)")
            for h in households
        )

    for r in routes:
        order = {"new": "new route", "dropped": "no route now"}.get(r["status"], "")
        table.add_row(
            r["driver"],
            names(r["added"]),
            names(r["removed"]),
            order or ("new order" if r["reordered"] else "same order"),
        )
    if changes["moved"]:
        table.add_section()
        for m in changes["moved"]:
            table.add_row(
                "moved",
                f"{m['name'] or m['id']}, {m['address']}",
                "",
                f"{m['from_driver']} → {m['to_driver']}",
            )
    return table
