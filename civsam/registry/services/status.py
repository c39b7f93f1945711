"""An organisation's status in the official register: active, being wound up, deregistered (ADR 0110).

`organisation_status_change` is the one service that changes one organisation's status, through the
model's WORKFLOW. The official import (`imports/official/`) writes the same fields in bulk, checking
each step against the same WORKFLOW before it writes.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from civsam.core.models import AuditEntry
from civsam.core.services import audit_log

from .. import permissions
from ..models import Organisation


@transaction.atomic
def organisation_status_change(
    *,
    actor=None,
    organisation: Organisation,
    status: str,
    status_date: datetime.date,
    source: str,
) -> Organisation:
    """Move the organisation to `status` as of `status_date`, saying which source says so."""
    if actor is not None and not permissions.can_change_organisation_status(actor, organisation):
        raise PermissionDenied
    source = source.strip()
    if not source:
        raise ValidationError({"status_source": _("Ange källan till statusen.")})
    if status_date > datetime.date.today():
        raise ValidationError({"status_date": _("Datumet kan inte ligga i framtiden.")})
    locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
    before = {"status": locked.status, "status_date": locked.status_date, "status_source": locked.status_source}
    if locked.status != status:
        action = Organisation.WORKFLOW.action(locked.status, status)
    else:
        action = "status_correct"  # the same status, with a corrected date or source
    locked.status = status
    locked.status_date = status_date
    locked.status_source = source[:200]
    locked.save(update_fields=["status", "status_date", "status_source", "updated_at"])
    after = {"status": status, "status_date": status_date, "status_source": locked.status_source}
    changes = {key: [str(before[key] or ""), str(after[key] or "")] for key in before if before[key] != after[key]}
    audit_log(actor=actor, action=AuditEntry.Action.UPDATE, obj=locked, changes=changes, note=f"status: {action}")
    organisation.status, organisation.status_date, organisation.status_source = (
        locked.status,
        locked.status_date,
        locked.status_source,
    )
    return organisation
