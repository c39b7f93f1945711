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
