"""Attachments to an application or its reports: checked by content, stored under a generated name."""

from __future__ import annotations

from typing import BinaryIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from civsam.core.models import AuditEntry
from civsam.core.services import audit_log

from ... import filetypes, permissions
from ...models import Application, ApplicationAttachment
from .common import _check, _user, locked

# Attachments: at most this large each, and this many to an application (reports included).
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS = 20


# --- Attachments --------------------------------------------------------------------------------


@transaction.atomic
def attachment_add(
    *, actor, application: Application, name: str, stream: BinaryIO, size: int, report=None
) -> ApplicationAttachment:
    """Attach a file, checked by its content (filetypes.py), stored under a generated name."""
    application = locked(application)
    if actor is not None:
        if report is None:
            _check(permissions.can_edit_application(actor, application))
        else:
            _check(permissions.can_report_on_application(actor, application))
    if report is None and not application.is_editable:
        raise ValidationError(_("Ansökan är inskickad; bilagor kan bara läggas till när den är ett utkast."))
    if application.attachments.count() >= MAX_ATTACHMENTS:
        raise ValidationError(_("Ansökan har redan %(max)s bilagor, så många som tas emot.") % {"max": MAX_ATTACHMENTS})
    try:
        accepted = filetypes.check(
            name,
            stream,
            size=size,
            max_bytes=getattr(settings, "CIVSAM_FUNDING_ATTACHMENT_MAX_BYTES", ATTACHMENT_MAX_BYTES),
        )
    except filetypes.FileRejected as exc:
        raise ValidationError({"file": str(exc)}) from exc
    attachment = ApplicationAttachment(
        application=application,
        report=report,
        original_name=name.replace("/", "_").replace("\\", "_")[-255:],
        extension=accepted.extension,
        content_type=accepted.content_type,
        size=size,
        uploaded_by=_user(actor),
    )
    stream.seek(0)
    # The name is made by attachment_path; the file is written before its row, as FileField does.
    attachment.file.save(f"upload.{accepted.extension}", File(stream), save=False)
    attachment.save()
    audit_log(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=attachment,
        changes={"file": [None, attachment.original_name], "size": [None, size]},
        note=f"application {application.pk}",
    )
    return attachment


@transaction.atomic
def attachment_delete(*, actor, attachment: ApplicationAttachment) -> None:
    application = locked(attachment.application)
    if actor is not None:
        _check(permissions.can_edit_application(actor, application))
    if attachment.report_id is not None:
        raise ValidationError(_("En bilaga till en återrapport finns kvar med rapporten."))
    audit_log(
        actor=actor,
        action=AuditEntry.Action.DELETE,
        obj=attachment,
        changes={"file": [attachment.original_name, None]},
        note=f"application {application.pk}",
    )
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))
