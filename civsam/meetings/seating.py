"""Who gets a seat: the pure rules behind registrations, including target-group quotas. No database."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

CONFIRMED = "confirmed"
WAITLISTED = "waitlisted"
AWAITING_APPROVAL = "awaiting_approval"


def group_full(group: str, *, group_taken: Mapping[str, int], quotas: Mapping[str, int]) -> bool:
    """A target group with a quota is full when its seat-holders reach the quota; no quota, never full."""
    quota = quotas.get(group)
    return quota is not None and group_taken.get(group, 0) >= quota


def initial_status(
    *,
    capacity: int | None,
    seats_taken: int,
    requires_approval: bool,
    queue_waiting: bool,
    group_is_full: bool = False,
) -> str:
    """The status of a new registration.

    A new registration never jumps a waiting queue: if anyone waitlisted could take a free seat,
    the newcomer joins the queue even when a seat looks free (that seat is being offered to the
    queue). A registration in a target group whose quota is used up waits as well.
    """
    if requires_approval:
        return AWAITING_APPROVAL
    if group_is_full:
        return WAITLISTED
    if capacity is None:
        return CONFIRMED
    if seats_taken < capacity and not queue_waiting:
        return CONFIRMED
    return WAITLISTED


def pick_offers(
    *,
    capacity: int | None,
    seats_taken: int,
    queue: Sequence[tuple[int, str]],
    group_taken: Mapping[str, int] | None = None,
    quotas: Mapping[str, int] | None = None,
) -> list[int]:
    """Which queued registrations (id, target group), in queue order, get a freed seat now.

    Head first; someone whose group's quota is used up is passed over and keeps their place.
    """
    quotas = quotas or {}
    taken = dict(group_taken or {})
    free = None if capacity is None else capacity - seats_taken
    chosen: list[int] = []
    for registration_id, group in queue:
        if free is not None and free <= 0:
            break
        if group_full(group, group_taken=taken, quotas=quotas):
            continue
        chosen.append(registration_id)
        taken[group] = taken.get(group, 0) + 1
        if free is not None:
            free -= 1
    return chosen
