"""Who gets a seat: the pure rules behind registrations. No database."""

from __future__ import annotations

CONFIRMED = "confirmed"
WAITLISTED = "waitlisted"
AWAITING_APPROVAL = "awaiting_approval"


def initial_status(*, capacity: int | None, seats_taken: int, requires_approval: bool, queue_waiting: bool) -> str:
    """The status of a new registration.

    A new registration never jumps a waiting queue: if anyone is already waitlisted, the newcomer
    joins the queue even when a seat looks free (that seat is being offered to the queue).
    """
    if requires_approval:
        return AWAITING_APPROVAL
    if capacity is None:
        return CONFIRMED
    if seats_taken < capacity and not queue_waiting:
        return CONFIRMED
    return WAITLISTED


def seats_to_offer(*, capacity: int | None, seats_taken: int, queue_length: int) -> int:
    """How many people at the head of the waitlist should be offered a seat now."""
    if capacity is None:
        return queue_length
    return max(0, min(capacity - seats_taken, queue_length))
