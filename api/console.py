"""Terminal output shared by the CLI's commands: consoles and the problems table."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.table import Table

from routing.errors import InputProblem

console = Console()
err_console = Console(stderr=True)


def problems_table(problems: Sequence[InputProblem], title: str) -> Table:
    """Row, column, value, problem and severity (errors red, warnings yellow)."""
    table = Table(title=title)
    for col in ("row", "column", "value", "problem", "severity"):
        table.add_column(col, overflow="fold")
    for p in problems:
        style = "red" if p.severity == "error" else "yellow"
        table.add_row(
            "" if p.row is None else str(p.row),
            p.field,
            p.value,
            p.reason,
            f"[{style}]{p.severity}[/]",
        )
    return table
