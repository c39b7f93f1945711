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
from .deminimis import de_minimis_aid_record, de_minimis_aid_remove
from .demo import demo_users_create
from .duplicate_review import duplicate_resolve, duplicates_detect
from .exports import directory_export_request
from .merge import actor_merge
from .merging import organisations_merge
from .organisations import (
    FLAG_FIELDS,
    M2M_FIELDS,
    SIMPLE_FIELDS,
    UNCHANGED,
    Unchanged,
    default_legal_form,
    default_sector,
    organisation_create,
    organisation_delete,
    organisation_snapshot,
    organisation_update,
    search_document_for,
)
from .reference import public_bodies_load_reference
from .registration import AlreadyListed, organisation_register
from .representation import representation_request_create, representation_request_decide
from .representatives import (
    invitation_by_token,
    representation_invitation_answer,
    representative_invite,
    representative_remove,
)
from .status import organisation_status_change
from .unmerging import UNDO_DAYS, merge_undo_refusal, organisation_merge_undo

__all__ = [
    "FLAG_FIELDS",
    "M2M_FIELDS",
    "SIMPLE_FIELDS",
    "UNCHANGED",
    "UNDO_DAYS",
    "AlreadyListed",
    "Unchanged",
    "actor_merge",
    "contact_confirm",
    "contact_create",
    "contact_delete",
    "contact_update",
    "contacts_read",
    "contacts_retention_apply",
    "de_minimis_aid_record",
    "de_minimis_aid_remove",
    "default_legal_form",
    "default_sector",
    "demo_users_create",
    "directory_export_request",
    "duplicate_resolve",
    "duplicates_detect",
    "invitation_by_token",
    "merge_undo_refusal",
    "organisation_create",
    "organisation_delete",
    "organisation_merge_undo",
    "organisation_register",
    "organisation_snapshot",
    "organisation_status_change",
    "organisation_update",
    "organisations_merge",
    "phone_clean",
    "public_bodies_load_reference",
    "representation_invitation_answer",
    "representation_request_create",
    "representation_request_decide",
    "representative_invite",
    "representative_remove",
    "search_document_for",
]
