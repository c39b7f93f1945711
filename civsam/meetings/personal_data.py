"""Meetings' part of a person's data export (accounts.personal_data, ADR 0080), and what goes when
the account is deleted.

Export: the person's event registrations (with their answers), the events they created, the
networks they coordinate and the budget commitments they entered. Deletion: their registrations
keep the seat's history (the event's figures, the check-in) but lose the name, e-mail address,
answers and requested support; events, networks and commitments stay, shown as by "borttagen
användare"."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction

from civsam.accounts.models import DELETED_USER
from civsam.accounts.personal_data import register
from civsam.core.privacy import (
    RetentionPass,
    audit_entries_deidentify,
    register_email_source,
    register_personal_model,
    register_retention,
)

from .models import BudgetCommitment, Event, Invitation, Network, Registration


def export(user: AbstractBaseUser) -> dict[str, Any]:
    registrations = Registration.objects.filter(user_id=user.pk).select_related("event", "organisation")
    return {
        "registrations": [
            {
                "event": {"id": r.event_id, "title": r.event.title, "startsAt": r.event.starts_at.isoformat()},
                "status": r.status,
                "name": r.name,
                "email": r.email,
                "organisation": r.affiliation,
                "answers": r.answers,
                "services": r.services,
                "registeredAt": r.created_at.isoformat(),
                "checkedInAt": r.checked_in_at.isoformat() if r.checked_in_at else None,
            }
            for r in registrations.order_by("created_at", "id")
        ],
        "eventsCreated": [
            {"id": e.pk, "title": e.title} for e in Event.objects.filter(created_by_id=user.pk).order_by("id")
        ],
        "networksCoordinated": [
            {"id": n.pk, "name": n.name} for n in Network.objects.filter(coordinator_id=user.pk).order_by("id")
        ],
        "budgetCommitmentsEntered": [
            {"id": c.pk, "description": c.description, "committedOn": c.committed_on.isoformat()}
            for c in BudgetCommitment.objects.filter(created_by_id=user.pk).order_by("id")
        ],
    }


def erase(user: AbstractBaseUser) -> dict[str, int]:
    registrations = Registration.objects.filter(user_id=user.pk)
    count = registrations.update(name=str(DELETED_USER), email="", answers={}, services=[], organisation_name="")
    return {"registrations": count}


# People without an account, and retention (core.privacy, ADR 0085) ------------------------------


def export_by_email(email: str) -> dict[str, list[dict[str, Any]]]:
    """Registrations made with this address without an account, and invitations sent to it."""
    registrations = (
        Registration.objects.filter(email__iexact=email, user__isnull=True)
        .select_related("event", "organisation")
        .order_by("created_at", "id")
    )
    invitations = Invitation.objects.filter(email__iexact=email).select_related("event").order_by("id")
    return {
        "registrations": [
            {
                "event": {"id": r.event_id, "title": r.event.title, "startsAt": r.event.starts_at.isoformat()},
                "status": r.status,
                "name": r.name,
                "email": r.email,
                "organisation": r.affiliation,
                "answers": r.answers,
                "services": r.services,
                "registeredAt": r.created_at.isoformat(),
            }
            for r in registrations
        ],
        "invitations": [
            {"event": {"id": i.event_id, "title": i.event.title}, "name": i.name, "email": i.email} for i in invitations
        ],
    }


def registrations_retention_apply(run: RetentionPass) -> int:
    """Registrations and invitations of events that ended before the cut-off lose the person's
    name, address, organisation, answers and requested support, in batches; the seat, its status
    and target group stay for the figures. An emptied address marks what is done (as erase does)."""
    registrations = Registration.objects.filter(event__ends_at__lt=run.cutoff).exclude(email="").order_by("pk")
    # An invitation's address is unique per event, so an emptied one is marked by its empty name.
    invitations = Invitation.objects.filter(event__ends_at__lt=run.cutoff).exclude(name="").order_by("pk")
    if run.dry_run:
        return registrations.count() + invitations.count()
    done = 0
    while batch := list(registrations.values_list("pk", flat=True)[: run.batch_size]):
        with transaction.atomic():
            Registration.objects.filter(pk__in=batch).update(
                name="", email="", answers={}, services=[], organisation_name=""
            )
            audit_entries_deidentify(model=Registration, object_ids=batch, batch_size=run.batch_size)
        done += len(batch)
    while batch := list(invitations.values_list("pk", flat=True)[: run.batch_size]):
        with transaction.atomic():
            for pk in batch:  # one address per invitation and event: each gets a placeholder of its own
                Invitation.objects.filter(pk=pk).update(name="", email=f"borttagen-{pk}@invalid")
            audit_entries_deidentify(model=Invitation, object_ids=batch, batch_size=run.batch_size)
        done += len(batch)
    return done


def register_provider() -> None:
    register("meetings", export=export, erase=erase)
    register_email_source("meetings", export=export_by_email)
    register_personal_model(Registration)
    register_personal_model(Invitation)
    register_retention("event_registrations", registrations_retention_apply)
