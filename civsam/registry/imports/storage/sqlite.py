"""The import's storage on SQLite.

Lists travel as one JSON parameter (json_each); rows, sets and audit entries are written with
executemany in batches, and the history of created rows is made by one INSERT ... SELECT over the
rows just written (audit_created, ADR 0054). A first big load drops the secondary indexes and the
full-text insert trigger and rebuilds them (ADR 0043). Transactions begin IMMEDIATE, so the import
already holds the write lock.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection

from civsam.core.batching import batches, chunks
from civsam.core.models import AuditEntry, LegalForm, Municipality

from ...models import Organisation
from ..layout import FLAG_FIELDS, M2M_FIELDS
from . import common

WRITE_BATCH = 5000  # rows per executemany

# The FTS5 table of migration 0002, filled by this trigger for each inserted row.
FTS_TABLE = "registry_organisation_fts"
FTS_INSERT_TRIGGER = "registry_organisation_fts_ai"


def lock_register() -> None:
    """Nothing to do: transactions begin IMMEDIATE, so the import holds the write lock already."""


def stored_rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {common.ORG_TABLE}")  # noqa: S608 - SQLite counts from an index
        return cursor.fetchone()[0]


@contextmanager
def bulk_load() -> Iterator[None]:
    """Drop the secondary indexes and the FTS5 insert trigger, let the caller write, then create the
    indexes again from their stored SQL and fill the full-text index in one 'rebuild' from the
    table. SQLite's DDL is transactional: a failure rolls everything back, and readers (WAL) see the
    old schema until the import commits.
    """
    tables = common.bulk_tables()
    marks = ", ".join(["%s"] * len(tables))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN ({marks}) "  # noqa: S608
            "AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%%' ORDER BY name",
            tables,
        )
        indexes = cursor.fetchall()
        cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = %s", [FTS_INSERT_TRIGGER])
        trigger = cursor.fetchone()
        for name, _sql in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        if trigger:
            cursor.execute(f"DROP TRIGGER {FTS_INSERT_TRIGGER}")
    yield
    with connection.cursor() as cursor:
        for _name, sql in indexes:
            cursor.execute(sql)
        if trigger:
            cursor.execute(trigger[0])
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")  # noqa: S608


# Reading by lists -----------------------------------------------------------------------------


def id_filter(column: str) -> str:
    """A WHERE clause matching a list given as one JSON parameter (list_param)."""
    return f"{column} IN (SELECT value FROM json_each(%s))"  # noqa: S608 - column names are ours


def list_param(values: list) -> Any:
    return json.dumps(values)


def set_aggregate(column: str) -> str:
    return f"group_concat({column})"


def set_members(aggregated: str) -> frozenset[int]:
    return frozenset(map(int, aggregated.split(",")))


# Writing --------------------------------------------------------------------------------------


def insert_created(rows: Iterable[tuple], numbers: list[str], *, now) -> list[int]:
    """Insert new rows (WRITE_COLUMNS) in batches, then read back their ids in the order of numbers."""
    stamp = connection.ops.adapt_datetimefield_value(now)
    columns = ", ".join((*common.WRITE_COLUMNS, *common.CREATE_EXTRA))
    defaults = ", ".join(str(int(v)) if isinstance(v, bool) else f"'{v}'" for v in common.CREATE_DEFAULTS)
    placeholders = ", ".join(["%s"] * (len(common.WRITE_COLUMNS) + 2)) + ", " + defaults
    sql = f"INSERT INTO {common.ORG_TABLE} ({columns}) VALUES ({placeholders})"  # noqa: S608 - names are ours
    ids: dict[str, int] = {}
    with connection.cursor() as cursor:
        for batch in batches(((*row, stamp, stamp) for row in rows), WRITE_BATCH):
            cursor.executemany(sql, batch)
        for chunk in chunks(numbers, common.FETCH_CHUNK):
            cursor.execute(
                f"SELECT id, orgnr FROM {common.ORG_TABLE} WHERE {id_filter('orgnr')}",  # noqa: S608
                [list_param(chunk)],
            )
            ids.update({number: pk for pk, number in cursor.fetchall()})
    return [ids[number] for number in numbers]


def update_rows(rows: Iterable[tuple], *, now) -> None:
    """Write changed rows (id, then WRITE_COLUMNS without orgnr) over the stored ones."""
    stamp = connection.ops.adapt_datetimefield_value(now)
    assignments = ", ".join(f"{c} = %s" for c in common.WRITE_COLUMNS[1:])
    sql = f"UPDATE {common.ORG_TABLE} SET {assignments}, updated_at = %s WHERE id = %s"  # noqa: S608
    with connection.cursor() as cursor:
        for batch in batches(((*values, stamp, pk) for pk, *values in rows), WRITE_BATCH):
            cursor.executemany(sql, batch)


def insert_set_pairs(name: str, pairs: list[tuple[int, int]]) -> None:
    """Insert (organisation id, target id) rows into a set's link table."""
    through, target = common.through_table(name), common.through_target(name)
    sql = f"INSERT INTO {through} (organisation_id, {target}) VALUES (%s, %s)"  # noqa: S608
    with connection.cursor() as cursor:
        for chunk in chunks(pairs, WRITE_BATCH):
            cursor.executemany(sql, chunk)


# The change history of created rows, built by the database from the stored rows (ADR 0054) --------

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


def audit_created(
    actor, *, fields: Iterable[str], ids: list[int], entries: Iterable[tuple[int, str, dict]], note: str, now
) -> None:
    """One CREATE entry per new organisation (ids), each non-blank field of the file as [null, value].

    The entries the Python diff makes (`entries`, which is left unread: legal form and municipality
    by name, codes sorted), made by SQLite itself in one INSERT ... SELECT over the rows just
    written: a big import spent half its time building and sending those documents one by one. A
    test holds the two equal.
    """
    if not ids:
        return
    first, last = min(ids), max(ids)
    # In practice contiguous: the table is locked and AUTOINCREMENT hands out ids in order.
    pieces: list[list[int] | None] = [None] if last - first + 1 == len(ids) else list(chunks(ids, common.FETCH_CHUNK))
    members = ["'orgnr', json_array(NULL, o.orgnr)"]
    joins = []
    for name in fields:
        if name in _AUDIT_SCALARS:
            value, blank = _AUDIT_SCALARS[name]
            members.append(f"'{name}', CASE WHEN {blank} THEN NULL ELSE json_array(NULL, {value}) END")
        elif name in FLAG_FIELDS:
            members.append(f"'{name}', CASE WHEN o.{name} THEN json_array(NULL, json('true')) END")
        elif name in M2M_FIELDS:
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
        f"FROM {common.ORG_TABLE} o {' '.join(joins)} WHERE @where ORDER BY o.id"
    )
    with connection.cursor() as cursor:
        for piece in pieces:
            if piece is None:
                where, params = "o.id BETWEEN %s AND %s", [first, last]
            else:
                where, params = id_filter("o.id"), [list_param(piece)]
            cursor.execute(
                sql.replace("@where", where), [at, actor_id, AuditEntry.Action.CREATE, content_type, note, *params]
            )


def _audit_codes(name: str) -> str:
    """SQL for [null, the organisation's codes in this set, sorted], or NULL when it has none.

    SQLite 3.40 has no ORDER BY inside an aggregate; json_group_array keeps the inner query's
    order. The outer json() keeps the value JSON (not a string) across the subquery.
    """
    through, target = common.through_table(name), common.through_target(name)
    codes_table = getattr(Organisation, name).field.related_model._meta.db_table
    return (
        "json((SELECT json_array(NULL, json_group_array(code)) FROM "  # noqa: S608 - names are ours
        f"(SELECT c.code FROM {through} t JOIN {codes_table} c ON c.id = t.{target} "
        "WHERE t.organisation_id = o.id ORDER BY c.code) HAVING count(*) > 0))"
    )


def audit_rows(actor, action: str, entries: Iterable[tuple[int, str, dict]], *, note: str, now) -> None:
    """One audit entry per organisation from (id, label, changes), in batches.

    Raw rather than through the ORM: model instances for hundreds of thousands of entries cost more
    than writing them."""
    columns = "at, actor_id, action, content_type_id, object_id, object_repr, changes, note"
    sql = f"INSERT INTO {AuditEntry._meta.db_table} ({columns}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"  # noqa: S608
    content_type = ContentType.objects.get_for_model(Organisation, for_concrete_model=True).pk
    actor_id = actor.pk if getattr(actor, "is_authenticated", False) else None
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    at = connection.ops.adapt_datetimefield_value(now)
    rows = ((at, actor_id, action, content_type, str(pk), str(label)[:300], dumps(changes), note)
            for pk, label, changes in entries)  # fmt: skip
    with connection.cursor() as cursor:
        for batch in batches(rows, WRITE_BATCH):
            cursor.executemany(sql, batch)
