"""Reads of users and their roles, with the joins done."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from axes.models import AccessLog
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet

from civsam.core.models import AuditEntry

from .eid.models import EidLink
from .models import Role, RoleAssignment
from .models import User as UserModel
from .permissions import User


def role_assignments_of(user: User) -> QuerySet[RoleAssignment]:
    """The user's roles with the municipality or organisation each is scoped to."""
    if user is None or not user.is_authenticated:
        return RoleAssignment.objects.none()
    return RoleAssignment.objects.filter(user_id=user.pk).select_related("municipality", "organisation")


def verified_emails_of(user: User) -> set[str]:
    """The user's verified e-mail addresses, lower-cased (an invitation goes to one of them)."""
    if user is None or not user.is_authenticated:
        return set()
    return {
        e.lower() for e in EmailAddress.objects.filter(user_id=user.pk, verified=True).values_list("email", flat=True)
    }


def representatives_of(organisation_id: int) -> QuerySet[RoleAssignment]:
    """The representative roles of one organisation, oldest first, with their holders."""
    return (
        RoleAssignment.objects.filter(role=Role.ORGANISATION_REP, organisation_id=organisation_id)
        .select_related("user")
        .order_by("since", "id")
    )


def decider_emails(*, organisation_id: int, municipality_id: int | None) -> list[str]:
    """Who hears of a new request to represent an organisation (ADR 0099): its representatives;
    when it has none, the municipal officers of its municipality; when there are none either, the
    region administrators. Active accounts with an address only."""
    holders = RoleAssignment.objects.filter(user__is_active=True).exclude(user__email="")
    for condition in (
        Q(role=Role.ORGANISATION_REP, organisation_id=organisation_id),
        Q(role=Role.MUNICIPAL_OFFICER, municipality_id=municipality_id) if municipality_id else None,
        Q(role=Role.REGION_ADMIN),
    ):
        if condition is None:
            continue
        emails = sorted(set(holders.filter(condition).values_list("user__email", flat=True)))
        if emails:
            return emails
    return []


def audit_entries_by(user: User) -> QuerySet[AuditEntry]:
    """What the user did, as the audit log recorded it."""
    if user is None or not user.is_authenticated:
        return AuditEntry.objects.none()
    return AuditEntry.objects.filter(actor_id=user.pk).select_related("content_type").order_by("at", "id")


def audit_entries_about(user: User) -> QuerySet[AuditEntry]:
    """Audit entries about the user, whoever wrote them: the account, its roles and its e-ID link.

    Roles removed since are found by the note role_assign writes ("user <username>")."""
    if user is None or not user.is_authenticated:
        return AuditEntry.objects.none()
    types = ContentType.objects.get_for_models(UserModel, RoleAssignment, EidLink, for_concrete_models=True)
    role_ids = [str(pk) for pk in RoleAssignment.objects.filter(user_id=user.pk).values_list("pk", flat=True)]
    link_ids = [str(pk) for pk in EidLink.objects.filter(user_id=user.pk).values_list("pk", flat=True)]
    condition = (
        Q(content_type=types[UserModel], object_id=str(user.pk))
        | Q(content_type=types[RoleAssignment], object_id__in=role_ids)
        | Q(content_type=types[RoleAssignment], note=f"user {user.get_username()}")
        | Q(content_type=types[EidLink], object_id__in=link_ids)
    )
    return AuditEntry.objects.filter(condition).select_related("content_type").order_by("at", "id")


def _entry(entry: AuditEntry) -> dict[str, Any]:
    return {
        "at": entry.at.isoformat(),
        "action": entry.action,
        "object": f"{entry.content_type.app_label}.{entry.content_type.model}",
        "objectId": entry.object_id,
        "objectRepr": entry.object_repr,
        "changes": entry.changes,
        "note": entry.note,
    }


def account_personal_data(user: UserModel) -> dict[str, Any]:
    """Accounts' part of a person's data export (personal_data.register("accounts", ...)): the
    profile, addresses, roles, whether an e-ID is linked (never its hash), second factors (never
    their secrets), sessions, logins and the audit log by and about them."""
    link = EidLink.objects.filter(user_id=user.pk).first()
    return {
        "profile": {
            "username": user.username,
            "firstName": user.first_name,
            "lastName": user.last_name,
            "email": user.email,
            "dateJoined": user.date_joined.isoformat(),
            "lastLogin": user.last_login.isoformat() if user.last_login else None,
        },
        "emailAddresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary}
            for a in EmailAddress.objects.filter(user_id=user.pk).order_by("-primary", "email")
        ],
        "roles": [
            {
                "role": a.role,
                "label": str(a.get_role_display()),
                "municipality": a.municipality.name if a.municipality else None,
                "organisation": {"id": a.organisation.pk, "name": a.organisation.name} if a.organisation else None,
                "mandate": a.mandate or None,
                "since": a.since.isoformat(),
            }
            for a in role_assignments_of(user).order_by("role", "id")
        ],
        "eid": {
            "linked": link is not None,
            "linkedAt": link.created_at.isoformat() if link else None,
            "lastUsedAt": link.last_used_at.isoformat() if link and link.last_used_at else None,
        },
        "secondFactors": [
            {
                "type": a.type,
                "createdAt": a.created_at.isoformat(),
                "lastUsedAt": a.last_used_at.isoformat() if a.last_used_at else None,
            }
            for a in Authenticator.objects.filter(user_id=user.pk).order_by("created_at", "id")
        ],
        "sessions": [
            {
                "ip": s.ip,
                "userAgent": s.user_agent,
                "createdAt": s.created_at.isoformat(),
                "lastSeenAt": s.last_seen_at.isoformat(),
            }
            for s in UserSession.objects.filter(user_id=user.pk).order_by("created_at", "id")
        ],
        "logins": [
            {"at": log.attempt_time.isoformat(), "ip": log.ip_address, "userAgent": log.user_agent}
            for log in AccessLog.objects.filter(username__iexact=user.username).order_by("attempt_time", "id")
        ],
        "auditEntriesByYou": [_entry(e) for e in audit_entries_by(user)],
        "auditEntriesAboutYou": [_entry(e) for e in audit_entries_about(user)],
    }
