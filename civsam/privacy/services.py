"""Writes of the data protection work: retention runs and requests for a person's data."""

from __future__ import annotations

import datetime
import logging

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civsam.core.models import AuditEntry
from civsam.core.privacy import RetentionPass, processing_record, retention_cutoff, retention_handlers
from civsam.core.services import audit_log, model_diff

from . import permissions
from .models import RetentionRun, SubjectAccessRequest

logger = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 1000


def retention_apply(
    *,
    actor: AbstractBaseUser | None = None,
    now: datetime.datetime | None = None,
    dry_run: bool = False,
    batch_size: int = DEFAULT_BATCH_SIZE,
    kinds: list[str] | None = None,
) -> RetentionRun:
    """Remove or de-identify what every automatic retention in the record of processing allows, in
    batches (each its own transaction, so a long run holds no lock for long), and write what was
    done: a RetentionRun with the count per kind, and an audit entry for it. A dry run counts what
    would go and changes nothing. `kinds` limits the run to some kinds (unknown names are an error).

    An automatic kind that no app handles is recorded in the run (and logged): the record promises
    a removal nobody does."""
    now = now or timezone.now()
    record = processing_record()
    known = {kind.key for kind in record.kinds}
    if kinds is not None and not set(kinds) <= known:
        raise ValidationError(
            _("Okänd sorts personuppgifter: %(kinds)s") % {"kinds": ", ".join(sorted(set(kinds) - known))}
        )
    if batch_size < 1:
        raise ValidationError(_("Satsstorleken måste vara minst 1."))
    handlers = retention_handlers()
    run = RetentionRun.objects.create(started_at=now, dry_run=dry_run)
    counts: dict[str, int] = {}
    unhandled: list[str] = []
    try:
        for kind in record.kinds:
            if not kind.retention.automatic or (kinds is not None and kind.key not in kinds):
                continue
            if not handlers.get(kind.key):
                unhandled.append(kind.key)
                logger.warning("Retention of %s is automatic in the record, but no app handles it", kind.key)
                continue
            step = RetentionPass(
                kind=kind.key,
                now=now,
                cutoff=retention_cutoff(kind.key, now),
                dry_run=dry_run,
                batch_size=batch_size,
            )
            counts[kind.key] = sum(handler(step) for handler in handlers[kind.key])
    except Exception as exc:
        run.error = f"{type(exc).__name__}: {exc}"[:2000]
        raise
    finally:
        run.counts = counts
        run.unhandled = unhandled
        run.finished_at = timezone.now()
        run.save(update_fields=["counts", "unhandled", "finished_at", "error"])
        audit_log(
            actor=actor,
            action=AuditEntry.Action.CREATE,
            obj=run,
            changes={kind: [None, count] for kind, count in counts.items()},
            note=("dry run" if dry_run else "retention") + (" failed" if run.error else ""),
        )
    return run


@transaction.atomic
def subject_request_create(
    *,
    actor: AbstractBaseUser,
    email: str = "",
    name: str = "",
    reference: str = "",
    account: AbstractBaseUser | None = None,
) -> SubjectAccessRequest:
    """Record a person's request to know what Civsam holds about them, as a member of staff takes it."""
    if not permissions.can_handle_subject_requests(actor):
        raise PermissionDenied(_("Du får inte handlägga begäranden om registerutdrag."))
    email = email.strip().lower()
    if account is not None and not email:
        email = (getattr(account, "email", "") or "").lower()
    request = SubjectAccessRequest(
        email=email, name=name.strip(), reference=reference.strip(), handled_by=actor, account=account
    )
    request.full_clean()
    request.save()
    audit_log(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=request,
        changes=model_diff({}, {"email": request.email, "name": request.name, "reference": request.reference}),
    )
    return request


@transaction.atomic
def subject_request_read(*, actor: AbstractBaseUser, request: SubjectAccessRequest, export: bool) -> None:
    """Log a look at the person's data for the request: the preview, or the export (which is also
    recorded on the request). Both are reads of personal data and show in the read-access log."""
    if not permissions.can_handle_subject_requests(actor):
        raise PermissionDenied(_("Du får inte handlägga begäranden om registerutdrag."))
    if export:
        request.exported_at = timezone.now()
        request.save(update_fields=["exported_at"])
    audit_log(actor=actor, action=AuditEntry.Action.READ, obj=request, note="export" if export else "preview")
