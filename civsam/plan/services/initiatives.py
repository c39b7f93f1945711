"""Writes to initiatives: create, update (status workflow), verify, delete."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civsam.accounts.scopes import scope_for
from civsam.core.models import AuditEntry
from civsam.core.services import audit_log, model_diff
from civsam.meetings.permissions import events_visible_to

from .. import permissions
from ..models import (
    STATUS_TRANSITIONS,
    Initiative,
    InitiativeFunding,
    InitiativeLink,
    InitiativeOutput,
    InitiativeStatus,
    Milestone,
    ParticipantCount,
)


@dataclass(frozen=True)
class MilestoneIn:
    title: str
    due_date: datetime.date
    completed_on: datetime.date | None = None


@dataclass(frozen=True)
class FundingIn:
    source: str
    amount: Decimal | None = None


@dataclass(frozen=True)
class LinkIn:
    kind: str
    title: str
    url: str


@dataclass(frozen=True)
class OutputIn:
    """One year of outputs; participants as {(gender, age band): count}."""

    year: int
    meetings_held: int = 0
    reports_published: int = 0
    participants: dict[tuple[str, str], int] | None = None
    note: str = ""


SCALAR_FIELDS = (
    "ref",
    "title",
    "description",
    "parent",
    "lead_organisation",
    "lead_municipality",
    "lead_name",
    "partner_names",
    "start_date",
    "end_date",
    "budget",
    "status",
    "progress",
    "weight",
)
M2M_FIELDS = ("priority_areas", "partner_organisations", "principles", "roles", "municipalities", "events")


def _event_label(event) -> str:
    # The public timeline shows these values: a non-public meeting is named only by its id.
    return event.title if event.is_public else f"#{event.pk}"


def _events_for(actor, initiative: Initiative | None, events: Iterable) -> list:
    """The events to link: the actor may add only events they can see; links to events hidden from
    the actor (someone else's closed meeting) are kept, since the actor cannot see them to keep them."""
    events = list(events)
    existing = set(initiative.events.values_list("pk", flat=True)) if initiative is not None else set()
    if actor is None:
        return events
    wanted = {e.pk for e in events}
    visible = set(events_visible_to(actor).filter(pk__in=wanted | existing).values_list("pk", flat=True))
    if wanted - visible - existing:
        raise ValidationError({"events": _("Du kan bara koppla insatsen till möten som du kan se.")})
    hidden_kept = existing - visible
    return [*events, *hidden_kept]


def _state(initiative: Initiative) -> dict[str, Any]:
    """The initiative as the audit log compares it: scalars and the related sets, as display values."""
    state: dict[str, Any] = {name: getattr(initiative, name) for name in SCALAR_FIELDS}
    for name in ("budget", "weight"):
        # 120000 and 120000.00 are the same amount: compare at the column's precision.
        if state[name] is not None:
            state[name] = f"{Decimal(state[name]):.2f}"
    if initiative.pk:
        for name in M2M_FIELDS:
            if name != "events":
                state[name] = [str(obj) for obj in getattr(initiative, name).all()]
        state["events"] = [_event_label(e) for e in initiative.events.order_by("starts_at", "id")]
        state["milestones"] = [str(m) + (" ✓" if m.completed_on else "") for m in initiative.milestones.all()]
        state["funding"] = [
            f"{f.source}: {f.amount if f.amount is not None else '–'}" for f in initiative.funding.all()
        ]
        state["outputs"] = [
            f"{o.year}: {o.meetings_held} / {o.reports_published}" for o in initiative.outputs.all()
        ] + [f"{p.year} {p.gender} {p.age_band}: {p.count}" for p in initiative.participants.all()]
        state["links"] = [f"{link.title} <{link.url}>" for link in initiative.links.all()]
    return state


def _validate(initiative: Initiative, *, priority_areas: Sequence | None) -> None:
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if not initiative.title.strip():
        add("title", _("Ange en titel."))
    if not (initiative.lead_organisation_id or initiative.lead_municipality_id or initiative.lead_name.strip()):
        add("lead_organisation", _("Ange vem som ansvarar: en organisation, en kommun eller en annan aktör."))
    if initiative.end_date and initiative.start_date and initiative.end_date < initiative.start_date:
        add("end_date", _("Slutdatumet kan inte vara före startdatumet."))
    if initiative.progress is None or not 0 <= initiative.progress <= 100:
        add("progress", _("Andelen genomförd ska vara mellan 0 och 100 procent."))
    if initiative.budget is not None and initiative.budget < 0:
        add("budget", _("Budgeten kan inte vara negativ."))
    if initiative.weight is None or initiative.weight <= 0:
        add("weight", _("Vikten ska vara större än noll."))
    if priority_areas is not None and not list(priority_areas):
        add("priority_areas", _("Välj minst ett prioriterat aktivitetsområde."))
    # A parent may not be the initiative itself or one of its own sub-initiatives.
    parent, seen = initiative.parent, set()
    while parent is not None and parent.pk not in seen:
        if initiative.pk and parent.pk == initiative.pk:
            add("parent", _("En insats kan inte ingå i sig själv eller i en av sina delinsatser."))
            break
        seen.add(parent.pk)
        parent = parent.parent
    if errors:
        raise ValidationError(errors)


def _replace_children(initiative: Initiative, milestones, funding, outputs, links=None) -> None:
    if links is not None:
        initiative.links.all().delete()
        InitiativeLink.objects.bulk_create(
            InitiativeLink(initiative=initiative, kind=link.kind, title=link.title, url=link.url) for link in links
        )
    if milestones is not None:
        initiative.milestones.all().delete()
        Milestone.objects.bulk_create(
            Milestone(initiative=initiative, title=m.title, due_date=m.due_date, completed_on=m.completed_on)
            for m in milestones
        )
    if funding is not None:
        initiative.funding.all().delete()
        InitiativeFunding.objects.bulk_create(
            InitiativeFunding(initiative=initiative, source=f.source, amount=f.amount) for f in funding
        )
    if outputs is not None:
        initiative.outputs.all().delete()
        initiative.participants.all().delete()
        InitiativeOutput.objects.bulk_create(
            InitiativeOutput(
                initiative=initiative,
                year=o.year,
                meetings_held=o.meetings_held,
                reports_published=o.reports_published,
                note=o.note,
            )
            for o in outputs
        )
        ParticipantCount.objects.bulk_create(
            ParticipantCount(initiative=initiative, year=o.year, gender=gender, age_band=band, count=count)
            for o in outputs
            for (gender, band), count in (o.participants or {}).items()
            if count
        )


@transaction.atomic
def initiative_create(
    *,
    actor,
    title: str,
    start_date: datetime.date,
    status: InitiativeStatus,
    priority_areas: Iterable,
    description: str = "",
    ref: str | None = None,
    parent: Initiative | None = None,
    lead_organisation=None,
    lead_municipality=None,
    lead_name: str = "",
    partner_organisations: Iterable = (),
    partner_names: str = "",
    principles: Iterable = (),
    roles: Iterable = (),
    municipalities: Iterable = (),
    events: Iterable = (),
    end_date: datetime.date | None = None,
    budget: Decimal | None = None,
    progress: int | None = None,
    weight: Decimal = Decimal(1),
    milestones: Sequence[MilestoneIn] = (),
    funding: Sequence[FundingIn] = (),
    outputs: Sequence[OutputIn] = (),
    links: Sequence[LinkIn] = (),
    is_demo: bool = False,
) -> Initiative:
    if actor is not None and not permissions.can_create_initiative(
        actor, lead_organisation=lead_organisation, lead_municipality=lead_municipality
    ):
        raise PermissionDenied(_("Du får inte registrera insatser för den ansvariga aktören."))
    if actor is not None and not (lead_organisation or lead_municipality) and not scope_for(actor).region_admin:
        raise PermissionDenied(_("Insatser för andra aktörer registreras av regionens samordnare."))
    priority_areas = list(priority_areas)
    initiative = Initiative(
        ref=ref or None,
        title=title.strip(),
        description=description,
        parent=parent,
        lead_organisation=lead_organisation,
        lead_municipality=lead_municipality,
        lead_name=lead_name.strip(),
        partner_names=partner_names,
        start_date=start_date,
        end_date=end_date,
        budget=budget,
        status=status,
        progress=status.default_progress if progress is None else progress,
        weight=weight,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        is_demo=is_demo,
    )
    _validate(initiative, priority_areas=priority_areas)
    initiative.save()
    initiative.priority_areas.set(priority_areas)
    initiative.partner_organisations.set(list(partner_organisations))
    initiative.principles.set(list(principles))
    initiative.roles.set(list(roles))
    initiative.municipalities.set(list(municipalities))
    initiative.events.set(_events_for(actor, None, events))
    _replace_children(initiative, milestones, funding, outputs, links)
    audit_log(actor=actor, action=AuditEntry.Action.CREATE, obj=initiative, changes=model_diff({}, _state(initiative)))
    return initiative


@transaction.atomic
def initiative_update(
    *,
    actor,
    initiative: Initiative,
    milestones: Sequence[MilestoneIn] | None = None,
    funding: Sequence[FundingIn] | None = None,
    outputs: Sequence[OutputIn] | None = None,
    links: Sequence[LinkIn] | None = None,
    **changes: Any,
) -> Initiative:
    """Change fields (SCALAR_FIELDS and M2M_FIELDS by name); the status follows STATUS_TRANSITIONS.

    A new status without an explicit progress sets the status's default progress. A change by anyone
    but the coordinator clears the verification, since what was verified is no longer what is shown.
    """
    unknown = set(changes) - set(SCALAR_FIELDS) - set(M2M_FIELDS)
    if unknown:
        raise TypeError(f"unknown initiative fields: {sorted(unknown)}")
    initiative = Initiative.objects.select_for_update().select_related("status").get(pk=initiative.pk)
    if actor is not None and not permissions.can_change_initiative(actor, initiative):
        raise PermissionDenied(_("Du får inte ändra den här insatsen."))
    before = _state(initiative)
    new_status = changes.get("status")
    if new_status is not None and new_status.pk != initiative.status_id:
        if new_status.kind not in STATUS_TRANSITIONS[initiative.status.kind]:
            raise ValidationError(
                {
                    "status": _("En insats med status ”%(old)s” kan inte få status ”%(new)s”.")
                    % {"old": initiative.status.name, "new": new_status.name}
                }
            )
        if changes.get("progress") is None:
            changes["progress"] = new_status.default_progress
    for name in SCALAR_FIELDS:
        if name in changes:
            setattr(initiative, name, changes[name])
    initiative.ref = initiative.ref or None
    if actor is not None and not permissions.can_change_initiative(actor, initiative):
        raise PermissionDenied(_("Du får inte flytta insatsen till den ansvariga aktören."))
    _validate(initiative, priority_areas=changes.get("priority_areas"))
    if "events" in changes:
        changes["events"] = _events_for(actor, initiative, changes["events"])
    initiative.save()
    for name in M2M_FIELDS:
        if name in changes:
            getattr(initiative, name).set(list(changes[name]))
    _replace_children(initiative, milestones, funding, outputs, links)
    diff = model_diff(before, _state(initiative))
    if diff and initiative.verified_at and not scope_for(actor).region_admin and actor is not None:
        initiative.verified_at, initiative.verified_by = None, None
        initiative.save(update_fields=["verified_at", "verified_by"])
        diff["verified"] = [True, False]
    if diff:
        audit_log(actor=actor, action=AuditEntry.Action.UPDATE, obj=initiative, changes=diff)
    initiative.changes = diff  # what this call changed, for callers that report it (imports)
    return initiative


@transaction.atomic
def initiative_verify(*, actor, initiative: Initiative, verified: bool = True) -> Initiative:
    if actor is not None and not permissions.can_verify_initiative(actor, initiative):
        raise PermissionDenied(_("Bara regionens samordnare kan verifiera insatser."))
    initiative = Initiative.objects.select_for_update().get(pk=initiative.pk)
    was = initiative.verified_at is not None
    if was == verified:
        return initiative
    initiative.verified_at = timezone.now() if verified else None
    initiative.verified_by = actor if verified and getattr(actor, "is_authenticated", False) else None
    initiative.save(update_fields=["verified_at", "verified_by", "updated_at"])
    audit_log(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=initiative,
        changes={"verified": [was, verified]},
        note=_("Verifierad av samordnaren") if verified else _("Verifieringen togs bort"),
    )
    return initiative


@transaction.atomic
def initiative_delete(*, actor, initiative: Initiative) -> None:
    if actor is not None and not permissions.can_delete_initiative(actor, initiative):
        raise PermissionDenied(_("Bara regionens samordnare kan ta bort insatser."))
    if initiative.children.exists():
        raise ValidationError(_("Insatsen har delinsatser. Ta bort eller flytta dem först."))
    audit_log(actor=actor, action=AuditEntry.Action.DELETE, obj=initiative, changes={})
    initiative.delete()
