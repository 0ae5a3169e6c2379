"""The errors aidroute raises, and the problem records that batch imports collect.

Every fault in what a user gave us is an :class:`InputProblem`: which row (spreadsheet
row number, header = row 1), which field, the value as given, and a sentence saying what
was expected. Validation collects every problem it finds, then raises one
:class:`InputError` listing them all, so a dispatcher fixes a file in one pass.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class InputProblem:
    """One fault in the input.

    ``severity`` is ``"error"`` when the row cannot be planned as given and
    ``"warning"`` when it can still be planned but someone should look at it.
    """

    field: str
    value: str
    reason: str
    row: int | None = None
    severity: Severity = "error"

    def __str__(self) -> str:
        where = f"row {self.row}, " if self.row is not None else ""
        value = f" {self.value!r}" if self.value != "" else " (empty)"
        return f"{where}{self.field}{value}: {self.reason}"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class AidrouteError(Exception):
    """Base class of every error aidroute raises on purpose."""


class InputError(AidrouteError, ValueError):
    """Input that cannot be used as given. Carries every problem found, not only the first."""

    def __init__(self, problems: Iterable[InputProblem] | InputProblem):
        if isinstance(problems, InputProblem):
            problems = [problems]
        self.problems: list[InputProblem] = list(problems)
        if not self.problems:
            raise ValueError("InputError needs at least one problem")
        super().__init__(self._message())

    def _message(self) -> str:
        if len(self.problems) == 1:
            return str(self.problems[0])
        lines = [f"{len(self.problems)} problems in the input:"]
        lines += [f"  - {p}" for p in self.problems]
        return "\n".join(lines)


class AreaError(AidrouteError):
    """An area (road graph + address table) is missing, unreadable or from another version."""


class SolverError(AidrouteError):
    """The solver could not run at all (not: could not place a stop, which is a plan result)."""


def check(
    problems: list[InputProblem], ok: bool, field: str, value: object, reason: str, row: int | None
) -> None:
    """Append a problem to ``problems`` unless ``ok``. A helper for validators that collect."""
    if not ok:
        problems.append(InputProblem(field=field, value=str(value), reason=reason, row=row))
