"""Retention of the personal data below the domain apps: logins and sessions, the read-access log,
audit entries of personal data whose row is gone, and the requests for a person's data. Each is a
kind in the record of processing (core/data/processing.json); apply_retention runs them."""

from __future__ import annotations

from allauth.usersessions.models import UserSession
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.sessions.models import Session
from django.db import models, transaction

from civsam.core.models import AuditEntry
from civsam.core.privacy import (
    RetentionPass,
    audit_entries_deidentify,
    audit_orphans_deidentify,
    personal_models,
    register_personal_model,
    register_retention,
)

from .models import SubjectAccessRequest


def delete_in_batches(qs: models.QuerySet, run: RetentionPass) -> int:
    """Delete the rows of `qs` (ordered by key) in transactions of at most run.batch_size rows."""
    if run.dry_run:
        return qs.count()
    removed = 0
    qs = qs.order_by("pk")
    while batch := list(qs.values_list("pk", flat=True)[: run.batch_size]):
        with transaction.atomic():
            qs.model._default_manager.filter(pk__in=batch).delete()
        removed += len(batch)
    return removed


def login_sessions_apply(run: RetentionPass) -> int:
    """Ended sessions, session records and login attempts older than the period."""
    return (
        delete_in_batches(Session.objects.filter(expire_date__lt=run.now), run)
        + delete_in_batches(UserSession.objects.filter(last_seen_at__lt=run.cutoff), run)
        + delete_in_batches(AccessAttempt.objects.filter(attempt_time__lt=run.cutoff), run)
        + delete_in_batches(AccessFailureLog.objects.filter(attempt_time__lt=run.cutoff), run)
        + delete_in_batches(AccessLog.objects.filter(attempt_time__lt=run.cutoff), run)
    )


def read_access_log_apply(run: RetentionPass) -> int:
    return delete_in_batches(AuditEntry.objects.filter(action=AuditEntry.Action.READ, at__lt=run.cutoff), run)


def audit_personal_apply(run: RetentionPass) -> int:
    """Entries of personal data whose row is gone without its service emptying them."""
    return sum(
        audit_orphans_deidentify(model=model, dry_run=run.dry_run, batch_size=run.batch_size)
        for model in personal_models()
    )


def subject_requests_apply(run: RetentionPass) -> int:
    due = SubjectAccessRequest.objects.filter(requested_at__lt=run.cutoff).order_by("pk")
    if run.dry_run:
        return due.count()
    removed = 0
    while batch := list(due.values_list("pk", flat=True)[: run.batch_size]):
        with transaction.atomic():
            SubjectAccessRequest.objects.filter(pk__in=batch).delete()
            audit_entries_deidentify(model=SubjectAccessRequest, object_ids=batch, batch_size=run.batch_size)
        removed += len(batch)
    return removed


def register_handlers() -> None:
    register_personal_model(SubjectAccessRequest)
    register_retention("login_sessions", login_sessions_apply)
    register_retention("read_access_log", read_access_log_apply)
    register_retention("audit_personal", audit_personal_apply)
    register_retention("subject_requests", subject_requests_apply)
