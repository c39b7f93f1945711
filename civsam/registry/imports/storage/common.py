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
# columns at their defaults (CREATE_DEFAULTS: is_public, is_demo, the three sources, what an
# imported Swedish organisation is: kind, country, listing, no number abroad; its sector is set from
# its legal form right after, by sectors_from_legal_forms, ADR 0096; and the official status with its
# two sources, ADR 0110).
CREATE_EXTRA = ("updated_at", "created_at", "is_public", "is_demo", "social_enterprise_source",
                "work_integrating_source", "ideburen_source", "kind", "country", "listing",
                "sector", "foreign_registration_number", "status", "status_source",
                "registered_source")  # fmt: skip
CREATE_DEFAULTS = (True, False, "", "", "", "swedish", "SE", "listed", "civil_society", "", "active", "", "")
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


def sectors_from_legal_forms(ids: list[int]) -> None:
    """Give created organisations their legal form's default sector; a social enterprise that is
    not a public body belongs to the social economy (services.default_sector). Two UPDATEs a chunk."""
    from django.db.models import OuterRef, Subquery

    from civsam.core.models import LegalForm

    default = Subquery(LegalForm.objects.filter(pk=OuterRef("legal_form_id")).values("default_sector")[:1])
    for start in range(0, len(ids), 20_000):
        chunk = Organisation.objects.filter(pk__in=ids[start : start + 20_000])
        chunk.update(sector=default)
        chunk.filter(social_enterprise=True).exclude(sector="public").update(sector="social_economy")
