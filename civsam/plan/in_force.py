"""Which plan is in force on a date: pure, from each plan's period and the dates of its decisions.

A plan comes into force when it has been adopted and its first year has begun, and stays in force
until it is superseded – past its last year too, for the Region keeps following a plan until a new
one is adopted. When two are in force (a new plan adopted, the old not yet superseded), the one
whose period began last is followed. A plan recorded as adopted or superseded without a dated
decision (plans from before decisions were recorded) counts as adopted from the start of its
period and, if superseded, as no longer in force."""

from __future__ import annotations

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class PlanLife:
    key: object
    start_year: int
    status: str  # Plan.Status value
    adopted_on: datetime.date | None = None
    superseded_on: datetime.date | None = None


ADOPTED_STATES = frozenset({"adopted", "superseded"})


def in_force_on(plan: PlanLife, on: datetime.date) -> bool:
    if plan.adopted_on is not None:
        if plan.adopted_on > on:
            return False
    elif plan.status not in ADOPTED_STATES:
        return False
    if plan.start_year > on.year:
        return False
    if plan.superseded_on is not None:
        return plan.superseded_on > on
    return plan.status != "superseded"


def plan_in_force(plans: list[PlanLife], on: datetime.date) -> PlanLife | None:
    """The plan in force on `on`, or None when no adopted plan has begun by then."""
    candidates = [p for p in plans if in_force_on(p, on)]
    if not candidates:
        return None
    return max(candidates, key=lambda p: (p.start_year, p.adopted_on or datetime.date.min))
