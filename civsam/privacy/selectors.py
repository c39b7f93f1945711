"""Reads for the data protection pages: the read-access log, and everything about one person."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Q, QuerySet
from django.utils import timezone

from civsam.accounts.personal_data import personal_data_collect
from civsam.core.models import AuditEntry
from civsam.core.privacy import email_sources

from .models import SubjectAccessRequest

FORMAT = "civsam-subject-access/1"


@dataclass(frozen=True)
class ReadLogFilter:
    actor: str = ""  # who read: part of a username or name
    subject: str = ""  # whose data: part of the name the entry shows
    organisation: str = ""  # the organisation's organisationsnummer, with or without the dash
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def read_log(filters: ReadLogFilter) -> QuerySet[AuditEntry]:
    """Reads of personal data, newest first, with who read and what kind of record."""
    qs = AuditEntry.objects.filter(action=AuditEntry.Action.READ).select_related("actor", "content_type")
    if filters.actor:
        words = filters.actor.split()
        for word in words:
            qs = qs.filter(
                Q(actor__username__icontains=word)
                | Q(actor__first_name__icontains=word)
                | Q(actor__last_name__icontains=word)
            )
    if filters.subject:
        qs = qs.filter(object_repr__icontains=filters.subject)
    if filters.organisation:
        digits = re.sub(r"\D", "", filters.organisation)
        # Reads of an organisation's contact persons carry it in the note (registry.services.contacts_read).
        qs = qs.filter(note=f"organisation {digits}")
    if filters.date_from:
        qs = qs.filter(at__gte=_day_start(filters.date_from))
    if filters.date_to:
        qs = qs.filter(at__lt=_day_start(filters.date_to + datetime.timedelta(days=1)))
    return qs.order_by("-at", "-id")


def accounts_matching(text: str, *, limit: int = 20) -> list[AbstractBaseUser]:
    """Accounts whose e-mail address is `text`, or whose name or username contains every word of it."""
    text = text.strip()
    if not text:
        return []
    users = get_user_model().objects.filter(deleted_at__isnull=True)
    if "@" in text:
        users = users.filter(email__iexact=text)
    else:
        for word in text.split():
            users = users.filter(
                Q(username__icontains=word) | Q(first_name__icontains=word) | Q(last_name__icontains=word)
            )
    return list(users.order_by("last_name", "first_name", "username")[:limit])


def by_email(email: str) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """What every app holds about whoever uses this address outside an account (core.privacy)."""
    email = email.strip().lower()
    if not email:
        return {}
    found = {source.name: source.export(email) for source in email_sources()}
    return {name: part for name, part in found.items() if any(part.values())}


def subject_emails(request: SubjectAccessRequest) -> list[str]:
    emails = {request.email.lower()}
    if request.account is not None and request.account.email:
        emails.add(request.account.email.lower())
    return sorted(e for e in emails if e)


def subject_data(request: SubjectAccessRequest) -> dict[str, Any]:
    """The export for a request: the account's data (the self-service export's, from every app's
    provider) and, for each address, what is held about it without an account."""
    data: dict[str, Any] = {
        "format": FORMAT,
        "generatedAt": timezone.now().isoformat(),
        "request": {
            "id": request.pk,
            "requestedAt": request.requested_at.isoformat(),
            "reference": request.reference,
        },
        "account": personal_data_collect(request.account) if request.account is not None else None,
        "byEmail": {email: by_email(email) for email in subject_emails(request)},
    }
    return data


def data_counts(part: Any) -> int:
    """How many records a part of the export holds (lists counted by their items)."""
    if isinstance(part, list):
        return len(part)
    if isinstance(part, dict):
        return sum(data_counts(value) for value in part.values())
    return 0
