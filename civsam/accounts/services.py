"""Writes to accounts and roles."""

from __future__ import annotations

import uuid

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from civsam.core.models import AuditEntry
from civsam.core.services import audit_log

from . import selectors
from .models import DELETED_USER, EidLink, RoleAssignment, User
from .personal_data import personal_data_erase


@transaction.atomic
def role_assign(
    *, actor=None, user: User, role: str, municipality=None, organisation=None, mandate: str = ""
) -> RoleAssignment:
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user, role=role, municipality=municipality, organisation=organisation, defaults={"mandate": mandate}
    )
    if created:
        audit_log(
            actor=actor,
            action=AuditEntry.Action.CREATE,
            obj=assignment,
            changes={"mandate": [None, mandate]} if mandate else None,
            note=f"user {user.username}",
        )
    return assignment


@transaction.atomic
def role_remove(*, actor=None, assignment: RoleAssignment, note: str = "") -> None:
    """End a role. Who may end which role is the calling app's permission (registry: ADR 0099)."""
    audit_log(
        actor=actor,
        action=AuditEntry.Action.DELETE,
        obj=assignment,
        note=f"user {assignment.user.username}" + (f"; {note}" if note else ""),
    )
    assignment.delete()


@transaction.atomic
def account_delete(*, actor: User, user: User) -> dict[str, dict[str, int]]:
    """The person deletes their own account.

    What the public record needs stays and points at the emptied account, shown as "borttagen
    användare": decisions, published texts, the audit log of what they did. Everything else about
    them goes: name, e-mail addresses, password, second factors, roles, the e-ID link, login history
    and every session; each app's provider erases its own part (personal_data.register). Audit
    entries about the account itself keep what happened and when, not who it was. Returns what
    the providers erased.
    """
    if not getattr(actor, "is_authenticated", False) or actor.pk != user.pk:
        raise PermissionDenied
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.deleted_at is not None:
        raise PermissionDenied
    username = user.username
    subject_entries = selectors.audit_entries_about(user)
    erased = personal_data_erase(user)

    for session in UserSession.objects.filter(user=user):
        session.end()
    removed = {
        "roles": RoleAssignment.objects.filter(user=user).delete()[0],
        "eidLink": EidLink.objects.filter(user=user).delete()[0],
        "emailAddresses": EmailAddress.objects.filter(user=user).delete()[0],
        "secondFactors": Authenticator.objects.filter(user=user).delete()[0],
        "loginRecords": sum(
            model.objects.filter(username__iexact=username).delete()[0]
            for model in (AccessAttempt, AccessFailureLog, AccessLog)
        ),
    }
    # Kept for the record, without who it was: the user's own entries and their roles'.
    subject_entries.update(object_repr=str(DELETED_USER), note="", changes={})

    user.username = f"borttagen-{uuid.uuid4().hex}"
    user.first_name = user.last_name = user.email = ""
    user.is_active = user.is_staff = user.is_superuser = False
    user.deleted_at = timezone.now()
    user.set_unusable_password()  # also ends any session not recorded above: its auth hash changes
    user.save()
    audit_log(
        actor=user,
        action=AuditEntry.Action.DELETE,
        obj=user,
        changes={"removed": removed, "erased": erased},
        note="account deleted by its holder",
    )
    return {"accounts": removed, **erased}
