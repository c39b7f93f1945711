"""A registration without signing in, written on PostgreSQL as one SQL statement (ADR 0094).

The common registration (not signed in, no invitation, no target-group quotas, no approval by the
organiser) ends held or unconfirmed, and what decides between them is only whether the counter row
gives a seat. On PostgreSQL that decision, the registration row and its audit entry are one
statement with data-modifying CTEs, run without an explicit transaction: one round trip to the
server instead of six (BEGIN, two INSERTs, the seat's UPDATE, sometimes a second UPDATE, COMMIT),
and no model instance saved through the ORM. The counter row's lock lasts only for that statement
and its commit, as ADR 0079 wants. A unique or check constraint that fails aborts the whole
statement, the seat's increment included, so nothing is half-written.

The columns are taken from the model instances themselves (every concrete field, with the values
`save()` would write), so a field added to Registration or AuditEntry is written here too.
"""

from __future__ import annotations

from contextlib import nullcontext

from django.db import connection, models, transaction

from civsam.core.models import AuditEntry
from civsam.core.services import audit_entry

from ...models import Event, EventSeats, Registration

Status = Registration.Status


def applies(*, event: Event, address_confirmed: bool, has_quotas: bool, requires_approval: bool) -> bool:
    """Is this registration one the single statement writes? PostgreSQL only: SQLite has no
    data-modifying CTEs (and serialises its writers anyway)."""
    return connection.vendor == "postgresql" and not (address_confirmed or has_quotas or requires_approval)


def _row(obj: models.Model, *, skip: tuple[str, ...] = ()) -> tuple[list[str], list]:
    """(quoted columns, database values) of every concrete field of an unsaved instance but its
    automatic primary key and `skip`, as save() would insert them."""
    quote = connection.ops.quote_name
    columns, values = [], []
    for field in obj._meta.concrete_fields:
        if field.primary_key or field.attname in skip:
            continue
        columns.append(quote(field.column))
        values.append(field.get_db_prep_save(field.pre_save(obj, add=True), connection))
    return columns, values


def _sql(registration_columns: list[str], audit_columns: list[str]) -> str:
    quote = connection.ops.quote_name
    seats, event = EventSeats._meta, Event._meta
    registrations, audit = Registration._meta, AuditEntry._meta
    # Only table and column names from the models' own metadata are put in; every value is a parameter.
    return (
        # The seat: one more if one is free and nobody waits (ADR 0079), the capacity read now.
        f"WITH seat AS (UPDATE {quote(seats.db_table)} SET taken = taken + 1"  # noqa: S608 - names from the models
        " WHERE event_id = %s AND waiting = 0"
        f" AND taken < COALESCE((SELECT capacity FROM {quote(event.db_table)} WHERE id = %s), 2147483647)"
        " RETURNING 1),"
        f" new AS (INSERT INTO {quote(registrations.db_table)} ({', '.join(registration_columns)}, status)"
        f" VALUES ({', '.join(['%s'] * len(registration_columns))},"
        " CASE WHEN EXISTS (SELECT 1 FROM seat) THEN %s ELSE %s END)"
        f" RETURNING {quote(registrations.pk.column)}, status),"
        f" logged AS (INSERT INTO {quote(audit.db_table)} ({', '.join(audit_columns)}, object_id)"
        f" SELECT {', '.join(['%s'] * len(audit_columns))}, CAST(new.{quote(registrations.pk.column)} AS text)"
        " FROM new)"
        f" SELECT {quote(registrations.pk.column)}, status FROM new"
    )


def insert_held_or_unconfirmed(registration: Registration, *, note: str) -> str:
    """Write `registration` (unsaved, validated) held if the counter row gives it a seat, else
    unconfirmed, with its audit entry; return the status. Raises IntegrityError when a constraint
    refuses it (then nothing was written). The counter row must exist (ensure_seats)."""
    registration_columns, registration_values = _row(registration, skip=("status",))
    entry = audit_entry(actor=None, action=AuditEntry.Action.CREATE, obj=registration, note=note)
    audit_columns, audit_values = _row(entry, skip=("object_id",))
    event_id = registration.event_id
    params = [event_id, event_id, *registration_values, Status.HELD, Status.UNCONFIRMED, *audit_values]
    # Inside a caller's transaction a refused statement must not break it: a savepoint then.
    with transaction.atomic() if connection.in_atomic_block else nullcontext(), connection.cursor() as cursor:
        cursor.execute(_sql(registration_columns, audit_columns), params)
        pk, status = cursor.fetchone()
    registration.pk = pk
    registration._state.adding = False
    registration._state.db = connection.alias
    return status
