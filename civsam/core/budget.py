"""Budget arithmetic shared by every budget with an allocation: what remains, and refusing a
commitment that would pass it. No database; the caller holds the row lock that makes the check
and the write one step (the conference budget, a call's budget: ADR 0020)."""

from __future__ import annotations

from decimal import Decimal

ZERO = Decimal("0")


class OverCommitment(ValueError):
    """A commitment would take the spending past the allocated amount."""

    def __init__(self, *, remaining: Decimal, requested: Decimal):
        self.remaining = remaining
        self.requested = requested
        super().__init__(f"requested {requested}, remaining {remaining}")


def check(*, allocated: Decimal, spent: Decimal, change: Decimal) -> Decimal:
    """Raise OverCommitment if spending `change` more passes the allocation; return what then remains."""
    remaining = allocated - spent
    if change > remaining:
        raise OverCommitment(remaining=remaining, requested=change)
    return remaining - change
