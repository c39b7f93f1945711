"""Every write to the register: atomic, permission-checked when given a user, audit-logged.
One module per area, re-exported here."""

from .contacts import (
    contact_confirm,
    contact_create,
    contact_delete,
    contact_update,
    contacts_read,
    contacts_retention_apply,
    phone_clean,
)
from .demo import demo_users_create
from .duplicate_review import duplicate_resolve, duplicates_detect
from .exports import directory_export_request
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
from .representation import representation_request_create, representation_request_decide
from .status import organisation_status_change

__all__ = [
    "FLAG_FIELDS",
    "M2M_FIELDS",
    "SIMPLE_FIELDS",
    "UNCHANGED",
    "Unchanged",
    "contact_confirm",
    "contact_create",
    "contact_delete",
    "contact_update",
    "contacts_read",
    "contacts_retention_apply",
    "demo_users_create",
    "directory_export_request",
    "duplicate_resolve",
    "duplicates_detect",
    "organisation_create",
    "organisation_delete",
    "organisation_snapshot",
    "organisation_status_change",
    "organisation_update",
    "phone_clean",
    "representation_request_create",
    "representation_request_decide",
    "search_document_for",
]
