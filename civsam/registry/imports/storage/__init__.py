"""Reading and writing organisations in bulk for the import: the SQL, one module per database.

postgres.py and sqlite.py offer the same functions (lock_register, bulk_load, insert_created,
update_rows, insert_set_pairs, audit_created, audit_rows, and the list parameters the reads
below use); backend() picks the one for the connection. What reads the same on both is here.

The callers hold the register locked against other writers for the whole transaction
(lock_register), so a row found new is still new when it is inserted.
"""

from __future__ import annotations

from collections.abc import Iterable
from types import ModuleType

from django.db import connection

from civsam.core.batching import chunks

from ..cells import normalise_newlines
from ..layout import FIELDS
from . import common, postgres, sqlite

# An import that at least doubles the register and brings this many new rows is a bulk load (ADR 0043).
BULK_LOAD_MIN_ROWS = 50_000


def backend() -> ModuleType:
    """The storage module for the database in use."""
    return postgres if connection.vendor == "postgresql" else sqlite


def is_bulk_load(new_rows: int) -> bool:
    """The import brings at least BULK_LOAD_MIN_ROWS new rows and at least as many as are stored."""
    if new_rows < BULK_LOAD_MIN_ROWS:
        return False
    return new_rows >= backend().stored_rows()


def replace_set(name: str, replace_ids: list[int], pairs: list[tuple[int, int]]) -> None:
    """Delete the set rows (activity classes or roles) of replace_ids, then insert pairs
    (organisation id, target id)."""
    db = backend()
    through = common.through_table(name)
    with connection.cursor() as cursor:
        for chunk in chunks(replace_ids, common.FETCH_CHUNK):
            cursor.execute(
                f"DELETE FROM {through} WHERE {db.id_filter('organisation_id')}",  # noqa: S608
                [db.list_param(chunk)],
            )
    if pairs:
        db.insert_set_pairs(name, pairs)


# Reading what is stored --------------------------------------------------------------------------

# fetch_existing builds the stored tuples field by field, in this order.
_FIELD_ORDER = ("name", "legal_form", "municipality", "activity_classes", "roles", "website", "email",
                "description", "founded_year", "member_count", "social_enterprise", "work_integrating",
                "ideburen_registered")  # fmt: skip
if FIELDS != _FIELD_ORDER:
    raise RuntimeError("layout.FIELDS changed: update fetch_existing to match.")


def fetch_existing(numbers: list[str], *, fetch_sets: Iterable[str]) -> dict[str, tuple[int, tuple]]:
    """orgnr -> (id, values ordered as layout.FIELDS) for the stored organisations among these numbers.

    The sets (activity classes, roles) are read only when the file has their column; otherwise
    they are None, and never compared or written.
    """
    db = backend()
    wanted = set(fetch_sets)
    columns = ", ".join(common.SCALAR_COLUMNS)
    rows: list[tuple] = []
    with connection.cursor() as cursor:
        for chunk in chunks(numbers, common.FETCH_CHUNK):
            cursor.execute(
                f"SELECT id, orgnr, {columns} FROM {common.ORG_TABLE} WHERE {db.id_filter('orgnr')}",  # noqa: S608
                [db.list_param(chunk)],
            )
            rows += cursor.fetchall()
        ids = [row[0] for row in rows]
        activities = _fetch_sets(cursor, db, "activity_classes", ids) if "activity_classes" in wanted else None
        roles = _fetch_sets(cursor, db, "roles", ids) if "roles" in wanted else None
    empty: frozenset[int] = frozenset()
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
                normalise_newlines(description),
                founded,
                members,
                bool(se),  # SQLite returns 0 and 1
                bool(wi),
                bool(ib),
            ),
        )
    return stored


def _fetch_sets(cursor, db: ModuleType, name: str, ids: list[int]) -> dict[int, frozenset[int]]:
    """organisation id -> its set of related ids, aggregated by the database."""
    through, target = common.through_table(name), common.through_target(name)
    members: dict[int, frozenset[int]] = {}
    for chunk in chunks(ids, common.FETCH_CHUNK):
        cursor.execute(
            f"SELECT organisation_id, {db.set_aggregate(target)} FROM {through} "  # noqa: S608 - names are ours
            f"WHERE {db.id_filter('organisation_id')} GROUP BY organisation_id",
            [db.list_param(chunk)],
        )
        members.update((org_id, db.set_members(targets)) for org_id, targets in cursor.fetchall())
    return members
