"""Conference budget arithmetic: what is spent, what remains, and when to warn. No database.

A commitment counts with its outcome once the outcome is known, otherwise with the committed amount.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from civsam.core.budget import ZERO, OverCommitment, check  # noqa: F401 - the shared rule, read here by meetings

# Warn when nine tenths of the allocation are spent or committed.
WARN_SHARE = Decimal("0.9")


def effective(amount: Decimal, outcome: Decimal | None) -> Decimal:
    return outcome if outcome is not None else amount


@dataclass(frozen=True)
class BudgetState:
    allocated: Decimal
    planned: Decimal
    committed: Decimal  # all commitments at their committed amount
    outcome: Decimal  # sum of known outcomes
    spent: Decimal  # outcome where known, else commitment
    remaining: Decimal

    @property
    def near_limit(self) -> bool:
        return self.allocated > 0 and self.spent >= self.allocated * WARN_SHARE

    @property
    def planned_exceeds(self) -> bool:
        return self.planned > self.allocated


def state(
    *, allocated: Decimal, planned: Iterable[Decimal], commitments: Iterable[tuple[Decimal, Decimal | None]]
) -> BudgetState:
    rows = list(commitments)
    spent = sum((effective(a, o) for a, o in rows), ZERO)
    return BudgetState(
        allocated=allocated,
        planned=sum(planned, ZERO),
        committed=sum((a for a, _o in rows), ZERO),
        outcome=sum((o for _a, o in rows if o is not None), ZERO),
        spent=spent,
        remaining=allocated - spent,
    )


@dataclass(frozen=True)
class YearState:
    """One budget year: its allocation against what its lines planned, committed and spent."""

    year: int
    state: BudgetState

    @property
    def outcome_share(self) -> Decimal | None:
        """The known outcome as a share (0–1) of the allocation; None without an allocation."""
        if self.state.allocated <= 0:
            return None
        return self.state.outcome / self.state.allocated


def by_year(
    *,
    allocations: Iterable[tuple[int, Decimal]],
    lines: Iterable[tuple[int, int, Decimal]],
    commitments: Iterable[tuple[int, Decimal, Decimal | None]],
) -> list[YearState]:
    """Each year that has an allocation or a budget line, in order.

    allocations: (year, allocated); lines: (line id, year, planned); commitments: (line id, amount,
    outcome). A year without an allocation has allocated 0: whatever is spent in it is over budget."""
    allocated: dict[int, Decimal] = {}
    for year, amount in allocations:
        allocated[year] = allocated.get(year, ZERO) + amount
    line_year: dict[int, int] = {}
    planned: dict[int, list[Decimal]] = {}
    for line_id, year, amount in lines:
        line_year[line_id] = year
        planned.setdefault(year, []).append(amount)
    spent: dict[int, list[tuple[Decimal, Decimal | None]]] = {}
    for line_id, amount, outcome in commitments:
        spent.setdefault(line_year[line_id], []).append((amount, outcome))
    years = sorted(set(allocated) | set(planned) | set(spent))
    return [
        YearState(
            year,
            state(allocated=allocated.get(year, ZERO), planned=planned.get(year, []), commitments=spent.get(year, [])),
        )
        for year in years
    ]


def total(years: Iterable[YearState]) -> BudgetState:
    """All years together: each figure the sum of the years'."""
    states = [y.state for y in years]
    return BudgetState(
        **{name: sum((getattr(st, name) for st in states), ZERO) for name in BudgetState.__dataclass_fields__}
    )
