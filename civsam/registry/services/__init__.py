"""Every write to the register: atomic, permission-checked when given a user, audit-logged.
One module per area, re-exported here."""

from .contacts import contact_create, contact_delete, contact_update, contacts_read
from .demo import demo_users_create
from .duplicate_review import duplicate_resolve, duplicates_detect
from .organisations import (
    FLAG_FIELDS,
    M2M_FIELDS,
    SIMPLE_FIELDS,
    UNCHANGED,
    Unchanged,
    organisation_create,
    organisation_delete,
    organisation_snapshot,
    organisation_update,
    search_document_for,
)

__all__ = [
    "FLAG_FIELDS",
    "M2M_FIELDS",
    "SIMPLE_FIELDS",
    "UNCHANGED",
    "Unchanged",
    "contact_create",
    "contact_delete",
    "contact_update",
    "contacts_read",
    "demo_users_create",
    "duplicate_resolve",
    "duplicates_detect",
    "organisation_create",
    "organisation_delete",
    "organisation_snapshot",
    "organisation_update",
    "search_document_for",
]
