"""The import's storage on PostgreSQL.

Existing rows are fetched with = ANY(...) on one list parameter; new rows are copied in (COPY) with
ids reserved from the table's sequence; changed rows go through a temporary staging table and one
UPDATE ... FROM; set rows are inserted from two unnested arrays; audit entries are copied in. A
first big load drops the secondary indexes and foreign keys and rebuilds them (ADR 0043).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection

from civsam.core.batching import chunks
from civsam.core.models import AuditEntry

from ...models import Organisation
from . import common

BULK_LOAD_WORK_MEM = "256MB"  # maintenance_work_mem for the index builds, this transaction only
SET_INSERT_CHUNK = 200_000  # (organisation, code) pairs per INSERT ... SELECT unnest(...)


def lock_register() -> None:
    """Keep other writers out of the register while the import compares and writes (readers go on)."""
    with connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {common.ORG_TABLE} IN SHARE ROW EXCLUSIVE MODE")


def stored_rows() -> int:
    """About how many organisations are stored: the planner's estimate tells a first load from a
    top-up and costs no scan."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT GREATEST(reltuples, 0)::bigint FROM pg_class WHERE oid = %s::regclass", [common.ORG_TABLE]
        )
        return cursor.fetchone()[0]


@contextmanager
def bulk_load() -> Iterator[None]:
    """Within the import's transaction: drop the register's secondary indexes and foreign keys, let
    the caller write, then build them again, as pg_restore does.

    Building an index over sorted rows once is several times faster than maintaining it row by row,
    and re-adding a foreign key checks every row in one join instead of one trigger call per row.
    Unique and primary keys stay, so duplicates are still impossible while the rows go in. The
    definitions are read from the catalogue and replayed unchanged (same names, same options), so
    the schema after the import is exactly the migrated one; a failure rolls everything back with
    the transaction. The price: from the first DROP the tables are locked against readers too, until
    the import commits (ADR 0043).
    """
    tables = common.bulk_tables()
    with connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {', '.join(tables)} IN ACCESS EXCLUSIVE MODE")
        cursor.execute(
            "SELECT i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
            "WHERE x.indrelid = ANY(%s::regclass[]) AND NOT x.indisprimary AND NOT x.indisunique "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid) ORDER BY i.relname",
            [tables],
        )
        indexes = cursor.fetchall()
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE contype = 'f' AND conrelid = ANY(%s::regclass[]) ORDER BY conname",
            [tables],
        )
        foreign_keys = cursor.fetchall()
        for table, name, _definition in foreign_keys:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = %s", [BULK_LOAD_WORK_MEM])
        for _name, definition in indexes:
            cursor.execute(definition)
        for table, name, definition in foreign_keys:
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')


# Reading by lists -----------------------------------------------------------------------------


def id_filter(column: str) -> str:
    """A WHERE clause matching a list given as one parameter (list_param), not one placeholder per value.

    The list travels as one comma-separated string: much cheaper to send than an array of thousands
    of values. Organisationsnummer and ids never contain a comma.
    """
    cast = "::bigint[]" if column.endswith("id") else ""
    return f"{column} = ANY(string_to_array(%s, ','){cast})"


def list_param(values: list) -> Any:
    return ",".join(map(str, values))


def set_aggregate(column: str) -> str:
    """SQL aggregating a set's target ids per organisation (read by set_members)."""
    return f"array_agg({column})"


def set_members(aggregated: list[int]) -> frozenset[int]:
    return frozenset(aggregated)


# Writing --------------------------------------------------------------------------------------


def insert_created(rows: Iterable[tuple], numbers: list[str], *, now) -> list[int]:
    """COPY new rows (WRITE_COLUMNS) straight into the table with reserved ids; returns the ids in order."""
    ids = next_ids(len(numbers))
    copy_insert(zip(ids, rows, strict=True), now=now)
    return ids


def next_ids(count: int) -> list[int]:
    """Reserve a block of primary keys from the table's sequence, so rows can be copied in with their ids.

    One nextval and one setval, not one call per row: safe because the register is locked against
    other writers (lock_register), and an insert takes that lock before it draws from the sequence.
    """
    if not count:
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [common.ORG_TABLE])
        (sequence,) = cursor.fetchone()
        cursor.execute("SELECT nextval(%s)", [sequence])
        (first,) = cursor.fetchone()
        if count > 1:
            cursor.execute("SELECT setval(%s, %s)", [sequence, first + count - 1])
    return list(range(first, first + count))


def copy_insert(rows: Iterable[tuple[int, tuple]], *, now) -> None:
    columns = ", ".join(("id", *common.WRITE_COLUMNS, *common.CREATE_EXTRA))
    # The timestamps as ISO text, which the server reads into the same timestamptz: adapting a
    # datetime object per row took psycopg longer than all the rest of the row.
    stamp = now.isoformat()
    tail = (stamp, stamp, *common.CREATE_DEFAULTS)
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {common.ORG_TABLE} ({columns}) FROM STDIN") as copy:
        for pk, row in rows:
            copy.write_row((pk, *row, *tail))


def update_rows(rows: Iterable[tuple], *, now) -> None:
    """Write changed rows (id, then WRITE_COLUMNS without orgnr) through a staging table and one UPDATE."""
    columns = common.WRITE_COLUMNS[1:]
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        return
    stage = f"import_stage_{uuid.uuid4().hex}"
    names = ", ".join(columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMP TABLE {stage} ON COMMIT DROP AS "  # noqa: S608 - names are ours
            f"SELECT id, {names} FROM {common.ORG_TABLE} WITH NO DATA"
        )
        with cursor.cursor.copy(f"COPY {stage} (id, {names}) FROM STDIN") as copy:
            copy.write_row(first)
            for row in rows:
                copy.write_row(row)
        assignments = ", ".join(f"{c} = s.{c}" for c in columns)
        cursor.execute(
            f"UPDATE {common.ORG_TABLE} AS o SET {assignments}, updated_at = %s "  # noqa: S608
            f"FROM {stage} AS s WHERE o.id = s.id",
            [now],
        )
        cursor.execute(f"DROP TABLE {stage}")


def insert_set_pairs(name: str, pairs: list[tuple[int, int]]) -> None:
    """Insert (organisation id, target id) rows into a set's link table.

    Two columns of integers as two strings, unnested by the server: far less Python work per row
    than COPY, and still one statement per chunk."""
    through, target = common.through_table(name), common.through_target(name)
    with connection.cursor() as cursor:
        for chunk in chunks(pairs, SET_INSERT_CHUNK):
            cursor.execute(
                f"INSERT INTO {through} (organisation_id, {target}) "
                "SELECT unnest(string_to_array(%s, ',')::bigint[]), unnest(string_to_array(%s, ',')::bigint[])",
                [",".join(str(org) for org, _t in chunk), ",".join(str(t) for _org, t in chunk)],
            )


# The change history ---------------------------------------------------------------------------


def audit_created(
    actor, *, fields: Iterable[str], ids: list[int], entries: Iterable[tuple[int, str, dict]], note: str, now
) -> None:
    """The CREATE entries of new organisations, from the diffs made in Python (entries), copied in.

    This measured faster here than building the documents in SQL (sqlite.audit_created): jsonb
    documents cost the server about as much to build as to parse, and Python's share runs beside
    the server's (ADR 0054)."""
    audit_rows(actor, AuditEntry.Action.CREATE, entries, note=note, now=now)


def audit_rows(actor, action: str, entries: Iterable[tuple[int, str, dict]], *, note: str, now) -> None:
    """One audit entry per organisation from (id, label, changes), copied in.

    Raw rather than through the ORM: model instances for hundreds of thousands of entries cost more
    than writing them."""
    columns = "at, actor_id, action, content_type_id, object_id, object_repr, changes, note"
    content_type = ContentType.objects.get_for_model(Organisation, for_concrete_model=True).pk
    actor_id = actor.pk if getattr(actor, "is_authenticated", False) else None
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    at = now.isoformat()  # as text, as in copy_insert
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {AuditEntry._meta.db_table} ({columns}) FROM STDIN") as copy,
    ):
        for pk, label, changes in entries:
            copy.write_row((at, actor_id, action, content_type, str(pk), str(label)[:300], dumps(changes), note))
