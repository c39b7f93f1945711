"""What the import's storage has in common on every database: the columns it writes and the
tables a bulk load touches. The SQL itself is in postgres.py and sqlite.py."""

from __future__ import annotations

from ...models import Organisation
from ..layout import FIELDS, M2M_FIELDS

FETCH_CHUNK = 20_000  # organisationsnummer or ids per statement that reads or deletes by a list

# Organisation columns the import writes, in the order rows are written (FIELDS without the sets).
SCALAR_FIELDS = tuple(f for f in FIELDS if f not in M2M_FIELDS)
SCALAR_POSITIONS = tuple(FIELDS.index(f) for f in SCALAR_FIELDS)
COLUMN_OF = {"legal_form": "legal_form_id", "municipality": "municipality_id"}
SCALAR_COLUMNS = tuple(COLUMN_OF.get(f, f) for f in SCALAR_FIELDS)
WRITE_COLUMNS = ("orgnr", *SCALAR_COLUMNS, "search_document", "name_key")
# A created row gets these besides WRITE_COLUMNS: the timestamps, then the rest of the NOT NULL
# columns at their defaults (CREATE_DEFAULTS: is_public, is_demo, the three sources, and the
# official status with its two sources, ADR 0110).
CREATE_EXTRA = ("updated_at", "created_at", "is_public", "is_demo", "social_enterprise_source",
                "work_integrating_source", "ideburen_source", "status", "status_source",
                "registered_source")  # fmt: skip
CREATE_DEFAULTS = (True, False, "", "", "", "active", "", "")
ORG_TABLE = Organisation._meta.db_table


def bulk_tables() -> list[str]:
    """The tables whose secondary indexes a bulk load drops and rebuilds."""
    return [
        ORG_TABLE,
        Organisation.activity_classes.through._meta.db_table,
        Organisation.roles.through._meta.db_table,
    ]


def through_table(name: str) -> str:
    return getattr(Organisation, name).through._meta.db_table


def through_target(name: str) -> str:
    """The link table's column that points at the code (activity class, role)."""
    through = getattr(Organisation, name).through
    return next(f.column for f in through._meta.concrete_fields if f.column not in ("id", "organisation_id"))
