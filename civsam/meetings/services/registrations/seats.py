"""The event's counter row (EventSeats) and the seat rules read under its lock: split from the
registrations services so that creating, confirming and cancelling share one place for the counts."""

from __future__ import annotations

from django.db import connection
from django.db.models import Count

from ... import seating
from ...models import Event, EventSeats, Registration, TargetGroupQuota

Status = Registration.Status


# The counter row -----------------------------------------------------------------------------------


def _count(event_id: int) -> tuple[int, int]:
    """(seats held, people waiting) counted from the registrations."""
    rows = dict(
        Registration.objects.filter(event_id=event_id)
        .values("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    return sum(rows.get(s, 0) for s in Registration.SEAT_HOLDING), rows.get(Status.WAITLISTED, 0)


def ensure_seats(event_id: int) -> None:
    """Create the event's counter row if it has none yet (events made outside event_create), counted
    from the registrations. Concurrent first registrations race to insert it; the losers' inserts are
    ignored, and every registration made through these services updates the row after it exists."""
    taken, waiting = _count(event_id)
    EventSeats.objects.bulk_create([EventSeats(event_id=event_id, taken=taken, waiting=waiting)], ignore_conflicts=True)


def lock_seats(event_id: int) -> EventSeats:
    """The event's counter row, locked until the transaction ends: counts read now stay true."""
    seats = EventSeats.objects.select_for_update().filter(pk=event_id).first()
    if seats is None:
        ensure_seats(event_id)
        seats = EventSeats.objects.select_for_update().get(pk=event_id)
    return seats


# The hot path's statements, written out: the ORM took a third of a registration's time to build them
# (ADR 0079). The capacity is read in the same statement, so a change of it made meanwhile counts; an
# event without a capacity (NULL) has no limit.
_TAKE_SEAT_SQL = (
    "UPDATE meetings_eventseats SET taken = taken + 1 WHERE event_id = %s AND waiting = 0"
    " AND taken < COALESCE((SELECT capacity FROM meetings_event WHERE id = %s), 2147483647)"
)


def _take_seat(event: Event) -> bool:
    """One conditional UPDATE of the counter row: a seat is taken if one is free and nobody waits in
    the queue (a newcomer never jumps it). Returns whether it was."""
    with connection.cursor() as cursor:
        cursor.execute(_TAKE_SEAT_SQL, [event.pk, event.pk])
        return cursor.rowcount == 1


# Reading the event's rules -------------------------------------------------------------------------


def _queue(event: Event):
    return event.registrations.filter(status=Status.WAITLISTED).order_by("created_at", "id")


def _quotas(event: Event) -> dict[str, int]:
    return dict(TargetGroupQuota.objects.filter(conference__event_id=event.pk).values_list("target_group", "quota"))


def _group_taken(event: Event) -> dict[str, int]:
    rows = (
        event.registrations.filter(status__in=Registration.SEAT_HOLDING)
        .values("target_group")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["target_group"]: row["n"] for row in rows}


def _offers_due(event: Event, seats: EventSeats, quotas: dict[str, int]) -> list[int]:
    """Ids of queued registrations that should be offered a seat now (the counter row is locked)."""
    if not seats.waiting or (event.capacity is not None and seats.taken >= event.capacity):
        return []  # nobody waiting or no free seat: no need to read the queue
    queue = list(_queue(event).values_list("id", "target_group"))
    if not queue:
        return []
    return seating.pick_offers(
        capacity=event.capacity,
        seats_taken=seats.taken,
        queue=queue,
        group_taken=_group_taken(event) if quotas else {},
        quotas=quotas,
    )


def _seat_status(event: Event, seats: EventSeats, *, target_group: str, requires_approval: bool) -> str:
    """The status a registration decided now gets, by the pure rule (seating.initial_status), from the
    counts under the counter row's lock."""
    quotas = _quotas(event)
    return seating.initial_status(
        capacity=event.capacity,
        seats_taken=seats.taken,
        requires_approval=requires_approval,
        queue_waiting=bool(_offers_due(event, seats, quotas)),
        group_is_full=bool(quotas) and seating.group_full(target_group, group_taken=_group_taken(event), quotas=quotas),
    )
