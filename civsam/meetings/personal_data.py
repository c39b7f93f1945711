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

from civsam.accounts.models import DELETED_USER
from civsam.accounts.personal_data import register

from .models import BudgetCommitment, Event, Network, Registration


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


def register_provider() -> None:
    register("meetings", export=export, erase=erase)
