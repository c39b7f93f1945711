"""Reading and writing organisations in bulk for the import: the SQL, per database.

PostgreSQL: existing rows are fetched with = ANY(...) on one list parameter, new rows are copied in
(COPY) with ids reserved from the table's sequence, changed rows go through a temporary staging
table and one UPDATE ... FROM, set rows are inserted from two unnested arrays and audit entries are
copied in. SQLite: executemany in batches, and the history of created rows made by one
INSERT ... SELECT (audit_created). A first big load on either drops and rebuilds the secondary
indexes (bulk_load, ADRs 0043 and 0054).

The callers hold the register locked against other writers for the whole transaction
(lock_register), so a row found new is still new when it is inserted.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from itertools import islice
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection

from civsam.core.models import AuditEntry, LegalForm, Municipality

from . import importer
from .importer import FIELDS
from .models import Organisation

FETCH_CHUNK = 20_000
WRITE_BATCH = 5000  # rows per executemany where COPY is not available

# Organisation columns the import writes, in the order rows are written (FIELDS without the sets).
SCALAR_FIELDS = tuple(f for f in FIELDS if f not in importer.M2M_FIELDS)
SCALAR_POSITIONS = tuple(FIELDS.index(f) for f in SCALAR_FIELDS)
_COLUMN_OF = {"legal_form": "legal_form_id", "municipality": "municipality_id"}
WRITE_COLUMNS = ("orgnr", *(_COLUMN_OF.get(f, f) for f in SCALAR_FIELDS), "search_document", "name_key")
# Set only when a row is created: the rest of the NOT NULL columns.
_CREATE_ONLY = ("created_at", "is_public", "is_demo", "social_enterprise_source", "work_integrating_source",
                "ideburen_source")  # fmt: skip
_ORG_TABLE = Organisation._meta.db_table


def lock_register() -> None:
    """Keep other writers out of the register while the import compares and writes (readers go on).

    SQLite already holds the write lock: transactions there begin IMMEDIATE.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {_ORG_TABLE} IN SHARE ROW EXCLUSIVE MODE")


# Bulk loads ------------------------------------------------------------------------

# An import that at least doubles the register and brings this many new rows is a bulk load (ADR 0043).
BULK_LOAD_MIN_ROWS = 50_000
BULK_LOAD_WORK_MEM = "256MB"  # maintenance_work_mem for the index builds, this transaction only


def _bulk_tables() -> list[str]:
    return [
        _ORG_TABLE,
        Organisation.activity_classes.through._meta.db_table,
        Organisation.roles.through._meta.db_table,
    ]


def is_bulk_load(new_rows: int) -> bool:
    """The import brings at least BULK_LOAD_MIN_ROWS new rows and at least as many as are stored."""
    if new_rows < BULK_LOAD_MIN_ROWS:
        return False
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The planner's estimate is enough to tell a first load from a top-up, and costs no scan.
            cursor.execute("SELECT GREATEST(reltuples, 0)::bigint FROM pg_class WHERE oid = %s::regclass", [_ORG_TABLE])
        else:
            cursor.execute(f"SELECT count(*) FROM {_ORG_TABLE}")  # noqa: S608 - SQLite counts from an index
        (stored,) = cursor.fetchone()
    return new_rows >= stored


@contextmanager
def bulk_load(enabled: bool):
    """Within the import's transaction: drop the register's secondary indexes and foreign keys, let the
    caller write, then build them again, as pg_restore does.

    Building an index over sorted rows once is several times faster than maintaining it row by row,
    and re-adding a foreign key checks every row in one join instead of one trigger call per row.
    Unique and primary keys stay, so duplicates are still impossible while the rows go in. The
    definitions are read from the catalogue and replayed unchanged (same names, same options), so
    the schema after the import is exactly the migrated one; a failure rolls everything back with
    the transaction. The price: from the first DROP the tables are locked against readers too, until
    the import commits (ADR 0043).
    """
    if not enabled:
        yield
        return
    if connection.vendor != "postgresql":
        with _sqlite_bulk_load():
            yield
        return
    tables = _bulk_tables()
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


# SQLite: the FTS5 table of migration 0002, filled by this trigger for each inserted row.
_FTS_TABLE = "registry_organisation_fts"
_FTS_INSERT_TRIGGER = "registry_organisation_fts_ai"


@contextmanager
def _sqlite_bulk_load():
    """SQLite's counterpart: drop the secondary indexes and the FTS5 insert trigger, let the caller
    write, then create the indexes again from their stored SQL and fill the full-text index in one
    'rebuild' from the table. SQLite's DDL is transactional, like PostgreSQL's: a failure rolls
    everything back, and readers (WAL) see the old schema until the import commits.
    """
    tables = _bulk_tables()
    marks = ", ".join(["%s"] * len(tables))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN ({marks}) "  # noqa: S608
            "AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%%' ORDER BY name",
            tables,
        )
        indexes = cursor.fetchall()
        cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = %s", [_FTS_INSERT_TRIGGER])
        trigger = cursor.fetchone()
        for name, _sql in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        if trigger:
            cursor.execute(f"DROP TRIGGER {_FTS_INSERT_TRIGGER}")
    yield
    with connection.cursor() as cursor:
        for _name, sql in indexes:
            cursor.execute(sql)
        if trigger:
            cursor.execute(trigger[0])
            cursor.execute(f"INSERT INTO {_FTS_TABLE}({_FTS_TABLE}) VALUES ('rebuild')")  # noqa: S608


# Reading what is stored --------------------------------------------------------------------------


def _id_filter(column: str) -> str:
    """A WHERE clause matching a list given as one parameter (_list_param), not one placeholder per value.

    On PostgreSQL the list travels as one comma-separated string: much cheaper to send than an array
    of thousands of values. Organisationsnummer and ids never contain a comma.
    """
    if connection.vendor == "postgresql":
        cast = "::bigint[]" if column.endswith("id") else ""
        return f"{column} = ANY(string_to_array(%s, ','){cast})"
    return f"{column} IN (SELECT value FROM json_each(%s))"  # noqa: S608 - column names are ours


def _list_param(values: list) -> Any:
    if connection.vendor == "postgresql":
        return ",".join(map(str, values))
    return json.dumps(values)


def batches(rows: Iterable, size: int) -> Iterator[list]:
    """Any iterable in lists of at most size items, for executemany."""
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


def _chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# fetch_existing builds the stored tuples field by field, in this order.
_FIELD_ORDER = ("name", "legal_form", "municipality", "activity_classes", "roles", "website", "email",
                "description", "founded_year", "member_count", "social_enterprise", "work_integrating",
                "ideburen_registered")  # fmt: skip
if FIELDS != _FIELD_ORDER:
    raise RuntimeError("import_layout.FIELDS changed: update fetch_existing to match.")


def fetch_existing(numbers: list[str], *, fetch_sets: Iterable[str]) -> dict[str, tuple[int, tuple]]:
    """orgnr -> (id, values ordered as importer.FIELDS) for the stored organisations among these numbers.

    The sets (activity classes, roles) are read only when the file has their column; otherwise
    they are None, and never compared or written.
    """
    wanted = set(fetch_sets)
    columns = ", ".join(_COLUMN_OF.get(f, f) for f in SCALAR_FIELDS)
    rows: list[tuple] = []
    with connection.cursor() as cursor:
        for chunk in _chunks(numbers, FETCH_CHUNK):
            cursor.execute(
                f"SELECT id, orgnr, {columns} FROM {_ORG_TABLE} WHERE {_id_filter('orgnr')}",  # noqa: S608
                [_list_param(chunk)],
            )
            rows += cursor.fetchall()
        ids = [row[0] for row in rows]
        activities = _fetch_sets(cursor, "activity_classes", ids) if "activity_classes" in wanted else None
        roles = _fetch_sets(cursor, "roles", ids) if "roles" in wanted else None
    empty: frozenset[int] = frozenset()
    newlines = importer.normalise_newlines
    stored = {}
    for pk, number, name, legal_form, municipality, website, email, description, founded, members, se, wi, ib in rows:
        stored[number] = (
            pk,
            (
                name,
                legal_form,
                municipality,
                None if activities is None else activities.get(pk, empty),
                None if roles is None else roles.get(pk, empty),
                website,
                email,
                newlines(description),
                founded,
                members,
                bool(se),  # SQLite returns 0 and 1
                bool(wi),
                bool(ib),
            ),
        )
    return stored


def _fetch_sets(cursor, name: str, ids: list[int]) -> dict[int, frozenset[int]]:
    """organisation id -> its set of related ids, aggregated by the database."""
    through = getattr(Organisation, name).through._meta.db_table
    target = _through_target(name)
    aggregate = f"array_agg({target})" if connection.vendor == "postgresql" else f"group_concat({target})"
    members: dict[int, frozenset[int]] = {}
    for chunk in _chunks(ids, FETCH_CHUNK):
        cursor.execute(
            f"SELECT organisation_id, {aggregate} FROM {through} "  # noqa: S608 - names are ours
            f"WHERE {_id_filter('organisation_id')} GROUP BY organisation_id",
            [_list_param(chunk)],
        )
        if connection.vendor == "postgresql":
            members.update((org_id, frozenset(targets)) for org_id, targets in cursor.fetchall())
        else:
            members.update((org_id, frozenset(map(int, joined.split(",")))) for org_id, joined in cursor.fetchall())
    return members


def _through_target(name: str) -> str:
    through = getattr(Organisation, name).through
    return next(f.column for f in through._meta.concrete_fields if f.column not in ("id", "organisation_id"))


# Writing ----------------------------------------------------------------------------------------------


# Columns a created row gets besides WRITE_COLUMNS: timestamps, then the NOT NULL ones left at their defaults.
_CREATE_EXTRA = ("updated_at", *_CREATE_ONLY)
_CREATE_DEFAULTS = (True, False, "", "", "")  # is_public, is_demo, the three sources


def next_ids(count: int) -> list[int]:
    """Reserve a block of primary keys from the table's sequence, so rows can be copied in with their ids.

    One nextval and one setval, not one call per row: safe because the register is locked against
    other writers (lock_register), and an insert takes that lock before it draws from the sequence.
    """
    if not count:
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [_ORG_TABLE])
        (sequence,) = cursor.fetchone()
        cursor.execute("SELECT nextval(%s)", [sequence])
        (first,) = cursor.fetchone()
        if count > 1:
            cursor.execute("SELECT setval(%s, %s)", [sequence, first + count - 1])
    return list(range(first, first + count))


def copy_insert(rows: Iterable[tuple[int, tuple]], *, now) -> None:
    """PostgreSQL: COPY new rows, with their reserved ids, straight into the table."""
    columns = ", ".join(("id", *WRITE_COLUMNS, *_CREATE_EXTRA))
    # The timestamps as ISO text, which the server reads into the same timestamptz: adapting a
    # datetime object per row took psycopg longer than all the rest of the row.
    stamp = now.isoformat()
    tail = (stamp, stamp, *_CREATE_DEFAULTS)
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {_ORG_TABLE} ({columns}) FROM STDIN") as copy:
        for pk, row in rows:
            copy.write_row((pk, *row, *tail))


def insert_rows(rows: Iterable[tuple], numbers: list[str], *, now) -> list[int]:
    """Other databases: insert in batches, then read back the ids in the order of numbers."""
    stamp = connection.ops.adapt_datetimefield_value(now)
    columns = ", ".join((*WRITE_COLUMNS, *_CREATE_EXTRA))
    placeholders = ", ".join(["%s"] * (len(WRITE_COLUMNS) + 2)) + ", 1, 0, '', '', ''"
    sql = f"INSERT INTO {_ORG_TABLE} ({columns}) VALUES ({placeholders})"  # noqa: S608 - names are ours
    ids: dict[str, int] = {}
    with connection.cursor() as cursor:
        for batch in batches(((*row, stamp, stamp) for row in rows), WRITE_BATCH):
            cursor.executemany(sql, batch)
        for chunk in _chunks(numbers, FETCH_CHUNK):
            cursor.execute(
                f"SELECT id, orgnr FROM {_ORG_TABLE} WHERE {_id_filter('orgnr')}",  # noqa: S608
                [_list_param(chunk)],
            )
            ids.update({number: pk for pk, number in cursor.fetchall()})
    return [ids[number] for number in numbers]


def update_rows(rows: Iterable[tuple], *, now) -> None:
    """Write changed rows (id, then WRITE_COLUMNS without orgnr) over the stored ones."""
    columns = WRITE_COLUMNS[1:]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            rows = iter(rows)
            first = next(rows, None)
            if first is None:
                return
            stage = f"import_stage_{uuid.uuid4().hex}"
            names = ", ".join(columns)
            cursor.execute(
                f"CREATE TEMP TABLE {stage} ON COMMIT DROP AS "  # noqa: S608 - names are ours
                f"SELECT id, {names} FROM {_ORG_TABLE} WITH NO DATA"
            )
            with cursor.cursor.copy(f"COPY {stage} (id, {names}) FROM STDIN") as copy:
                copy.write_row(first)
                for row in rows:
                    copy.write_row(row)
            assignments = ", ".join(f"{c} = s.{c}" for c in columns)
            cursor.execute(
                f"UPDATE {_ORG_TABLE} AS o SET {assignments}, updated_at = %s "  # noqa: S608
                f"FROM {stage} AS s WHERE o.id = s.id",
                [now],
            )
            cursor.execute(f"DROP TABLE {stage}")
            return
        stamp = connection.ops.adapt_datetimefield_value(now)
        assignments = ", ".join(f"{c} = %s" for c in columns)
        sql = f"UPDATE {_ORG_TABLE} SET {assignments}, updated_at = %s WHERE id = %s"  # noqa: S608
        for batch in batches(((*values, stamp, pk) for pk, *values in rows), WRITE_BATCH):
            cursor.executemany(sql, batch)


def replace_set(name: str, replace_ids: list[int], pairs: list[tuple[int, int]]) -> None:
    """Delete the set rows of replace_ids, then insert pairs (organisation id, target id)."""
    through = getattr(Organisation, name).through._meta.db_table
    target = _through_target(name)
    with connection.cursor() as cursor:
        for chunk in _chunks(replace_ids, FETCH_CHUNK):
            cursor.execute(
                f"DELETE FROM {through} WHERE {_id_filter('organisation_id')}",  # noqa: S608
                [_list_param(chunk)],
            )
        if not pairs:
            return
        if connection.vendor == "postgresql":
            # Two columns of integers as two strings, unnested by the server: far less Python work
            # per row than COPY, and still one statement per chunk.
            for chunk in _chunks(pairs, 200_000):
                cursor.execute(
                    f"INSERT INTO {through} (organisation_id, {target}) "
                    "SELECT unnest(string_to_array(%s, ',')::bigint[]), unnest(string_to_array(%s, ',')::bigint[])",
                    [",".join(str(org) for org, _t in chunk), ",".join(str(t) for _org, t in chunk)],
                )
        else:
            for chunk in _chunks(pairs, WRITE_BATCH):
                cursor.executemany(
                    f"INSERT INTO {through} (organisation_id, {target}) VALUES (%s, %s)",  # noqa: S608
                    chunk,
                )


# SQLite: the change history of created rows, built by the database from the stored rows (ADR 0054) ----------

# field -> (SQL for the stored value as the history keeps it, SQL that is true when it is blank).
# Blank as in the service layer's history: empty text, no number, "nej", no codes; 0 is a value.
_AUDIT_SCALARS = {
    "name": ("o.name", "o.name = ''"),
    "legal_form": ("lf.name_sv", "lf.name_sv IS NULL"),
    "municipality": ("mu.name", "mu.name IS NULL"),
    "website": ("o.website", "o.website = ''"),
    "email": ("o.email", "o.email = ''"),
    "description": ("o.description", "o.description = ''"),
    "founded_year": ("o.founded_year", "o.founded_year IS NULL"),
    "member_count": ("o.member_count", "o.member_count IS NULL"),
}
_AUDIT_FLAGS = ("social_enterprise", "work_integrating", "ideburen_registered")


def audit_created(actor, fields: Iterable[str], ids: list[int], *, note: str, now) -> None:
    """SQLite: one CREATE entry per new organisation (ids), each non-blank field of the file as [null, value].

    The entries the Python diff makes (import_services._creation_differ: legal form and municipality
    by name, codes sorted), made by SQLite itself in one INSERT ... SELECT over the rows just written:
    a big import spent half its time building and sending those documents one by one. PostgreSQL
    keeps the Python diff and COPY, which measured faster there: its jsonb documents cost the server
    about as much to build as to parse, and Python's share runs beside the server's (ADR 0054). A
    test holds the two equal.
    """
    if not ids:
        return
    first, last = min(ids), max(ids)
    # In practice contiguous: the table is locked and AUTOINCREMENT hands out ids in order.
    chunks: list[list[int] | None] = [None] if last - first + 1 == len(ids) else list(_chunks(ids, FETCH_CHUNK))
    members = ["'orgnr', json_array(NULL, o.orgnr)"]
    joins = []
    for name in fields:
        if name in _AUDIT_SCALARS:
            value, blank = _AUDIT_SCALARS[name]
            members.append(f"'{name}', CASE WHEN {blank} THEN NULL ELSE json_array(NULL, {value}) END")
        elif name in _AUDIT_FLAGS:
            members.append(f"'{name}', CASE WHEN o.{name} THEN json_array(NULL, json('true')) END")
        elif name in importer.M2M_FIELDS:
            members.append(f"'{name}', {_audit_codes(name)}")
    if "legal_form" in fields:
        joins.append(f"LEFT JOIN {LegalForm._meta.db_table} lf ON lf.id = o.legal_form_id")
    if "municipality" in fields:
        joins.append(f"LEFT JOIN {Municipality._meta.db_table} mu ON mu.id = o.municipality_id")
    # json_patch onto {} leaves out the members whose value is NULL, as the diff leaves out blank fields.
    changes = f"json_patch('{{}}', json_object({', '.join(members)}))"
    content_type = ContentType.objects.get_for_model(Organisation, for_concrete_model=True).pk
    actor_id = actor.pk if getattr(actor, "is_authenticated", False) else None
    at = connection.ops.adapt_datetimefield_value(now)
    sql = (
        f"INSERT INTO {AuditEntry._meta.db_table} "  # noqa: S608 - names and expressions are ours
        "(at, actor_id, action, content_type_id, object_id, object_repr, changes, note) "
        f"SELECT %s, %s, %s, %s, CAST(o.id AS TEXT), substr(o.name, 1, 300), {changes}, %s "
        f"FROM {_ORG_TABLE} o {' '.join(joins)} WHERE @where ORDER BY o.id"
    )
    with connection.cursor() as cursor:
        for chunk in chunks:
            if chunk is None:
                where, params = "o.id BETWEEN %s AND %s", [first, last]
            else:
                where, params = _id_filter("o.id"), [_list_param(chunk)]
            cursor.execute(
                sql.replace("@where", where), [at, actor_id, AuditEntry.Action.CREATE, content_type, note, *params]
            )


def _audit_codes(name: str) -> str:
    """SQL for [null, the organisation's codes in this set, sorted], or NULL when it has none.

    SQLite 3.40 has no ORDER BY inside an aggregate; json_group_array keeps the inner query's
    order. The outer json() keeps the value JSON (not a string) across the subquery.
    """
    through = getattr(Organisation, name).through._meta.db_table
    codes_table = getattr(Organisation, name).field.related_model._meta.db_table
    target = _through_target(name)
    return (
        "json((SELECT json_array(NULL, json_group_array(code)) FROM "  # noqa: S608 - names are ours
        f"(SELECT c.code FROM {through} t JOIN {codes_table} c ON c.id = t.{target} "
        "WHERE t.organisation_id = o.id ORDER BY c.code) HAVING count(*) > 0))"
    )


def audit_rows(actor, action: str, entries: Iterable[tuple[int, str, dict]], *, note: str, now) -> None:
    """One audit entry per organisation from (id, label, changes): COPY on PostgreSQL, executemany elsewhere.

    Raw rather than through the ORM: model instances for hundreds of thousands of entries cost more
    than writing them."""
    table = AuditEntry._meta.db_table
    content_type = ContentType.objects.get_for_model(Organisation, for_concrete_model=True).pk
    actor_id = actor.pk if getattr(actor, "is_authenticated", False) else None
    columns = "at, actor_id, action, content_type_id, object_id, object_repr, changes, note"
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            at = connection.ops.adapt_datetimefield_value(now)
            sql = f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"  # noqa: S608
            rows = ((at, actor_id, action, content_type, str(pk), str(label)[:300], dumps(changes), note)
                    for pk, label, changes in entries)  # fmt: skip
            for batch in batches(rows, WRITE_BATCH):
                cursor.executemany(sql, batch)
            return
        at = now.isoformat()  # as text, as in copy_insert
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for pk, label, changes in entries:
                copy.write_row((at, actor_id, action, content_type, str(pk), str(label)[:300], dumps(changes), note))
