"""Writes to initiatives: create, update (status workflow, optimistic concurrency), verify, delete."""

from __future__ import annotations

import datetime
from collections.abc import Collection, Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civsam.core.models import AuditEntry, Consequence, Municipality, Principle, SocietalRole
from civsam.core.services import audit_log, model_diff
from civsam.registry.models import Organisation

from .. import permissions
from ..models import FrameTag, Initiative, InitiativeStatus, PriorityArea
from ..selectors.followup import initiative_version
from .initiative_parts import (
    CONSEQUENCE_FIELDS,
    FundingIn,
    LinkIn,
    MilestoneIn,
    OutputIn,
    replace_children,
    state,
    validate,
)

# An update argument left out: the field keeps its value. (None is a value: "no end date".)
UNCHANGED: Any = object()


class InitiativeChanged(Exception):
    """The initiative changed after the caller read it: its version is not the one the caller saw."""

    def __init__(self, current_version: str):
        super().__init__(_("Insatsen har ändrats av någon annan sedan du hämtade den."))
        self.current_version = current_version


def _consequences(values: dict[str, str] | None, *, partial: bool = False) -> dict[str, str]:
    """The assessed consequences given as {"environment_assessment": ..., "children_note": ...}; an
    unknown name is a mistake of the caller's. Not partial: the ones left out are "not assessed"."""
    values = dict(values or {})
    unknown = set(values) - set(CONSEQUENCE_FIELDS)
    if unknown:
        raise TypeError(f"unknown consequence fields: {sorted(unknown)}")
    names = values if partial else CONSEQUENCE_FIELDS
    return {
        name: values.get(name) or (Consequence.NOT_ASSESSED if name.endswith("_assessment") else "") for name in names
    }


def _check_parent(actor, parent: Initiative) -> None:
    """Linking under `parent` (or unlinking from it) moves the parent's figures in the roll-up."""
    parent = Initiative.objects.select_related("lead_organisation", "lead_municipality").get(pk=parent.pk)
    if not permissions.can_link_sub_initiative(actor, parent):
        raise PermissionDenied(
            _("Du får inte koppla insatser till eller från ”%(title)s”: du får inte ändra den insatsen.")
            % {"title": parent.title}
        )


@transaction.atomic
def initiative_create(
    *,
    actor,
    title: str,
    start_date: datetime.date,
    status: InitiativeStatus,
    priority_areas: Iterable[PriorityArea],
    description: str = "",
    ref: str | None = None,
    parent: Initiative | None = None,
    lead_organisation: Organisation | None = None,
    lead_municipality: Municipality | None = None,
    lead_name: str = "",
    partner_organisations: Iterable[Organisation] = (),
    partner_names: str = "",
    principles: Iterable[Principle] = (),
    roles: Iterable[SocietalRole] = (),
    frame_tags: Iterable[FrameTag] = (),
    municipalities: Iterable[Municipality] = (),
    consequences: dict[str, str] | None = None,
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
    if (
        actor is not None
        and not (lead_organisation or lead_municipality)
        and not permissions.can_name_other_lead(actor)
    ):
        raise PermissionDenied(_("Insatser för andra aktörer registreras av regionens samordnare."))
    if actor is not None and parent is not None:
        _check_parent(actor, parent)
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
        **_consequences(consequences),
    )
    validate(initiative, priority_areas=priority_areas)
    initiative.save()
    initiative.priority_areas.set(priority_areas)
    # Partners and the municipalities reached are named, not bound: they get no right and no figure
    # of theirs moves, so no permission of theirs is asked for (plan/permissions.py).
    initiative.partner_organisations.set(list(partner_organisations))
    initiative.principles.set(list(principles))
    initiative.roles.set(list(roles))
    initiative.frame_tags.set(list(frame_tags))
    initiative.municipalities.set(list(municipalities))
    replace_children(initiative, milestones, funding, outputs, links)
    audit_log(actor=actor, action=AuditEntry.Action.CREATE, obj=initiative, changes=model_diff({}, state(initiative)))
    return initiative


@transaction.atomic
def initiative_update(
    *,
    actor,
    initiative: Initiative,
    expected_version: str | Collection[str] | None = None,
    ref: str | None = UNCHANGED,
    title: str = UNCHANGED,
    description: str = UNCHANGED,
    parent: Initiative | None = UNCHANGED,
    lead_organisation: Organisation | None = UNCHANGED,
    lead_municipality: Municipality | None = UNCHANGED,
    lead_name: str = UNCHANGED,
    partner_names: str = UNCHANGED,
    start_date: datetime.date = UNCHANGED,
    end_date: datetime.date | None = UNCHANGED,
    budget: Decimal | None = UNCHANGED,
    status: InitiativeStatus = UNCHANGED,
    progress: int | None = UNCHANGED,
    weight: Decimal = UNCHANGED,
    priority_areas: Iterable[PriorityArea] = UNCHANGED,
    partner_organisations: Iterable[Organisation] = UNCHANGED,
    principles: Iterable[Principle] = UNCHANGED,
    roles: Iterable[SocietalRole] = UNCHANGED,
    frame_tags: Iterable[FrameTag] = UNCHANGED,
    municipalities: Iterable[Municipality] = UNCHANGED,
    consequences: dict[str, str] | None = None,
    milestones: Sequence[MilestoneIn] | None = None,
    funding: Sequence[FundingIn] | None = None,
    outputs: Sequence[OutputIn] | None = None,
    links: Sequence[LinkIn] | None = None,
) -> Initiative:
    """Change the fields given; the status follows InitiativeStatus.WORKFLOW. Child rows given
    (milestones, funding, outputs, links) replace the existing ones; None leaves them.

    `expected_version` is the initiative_version the caller read (an edit form's hidden field; an
    If-Match header, where any of several may match). It is compared under the row lock, so that of
    two concurrent changes from the same version one wins and the other gets InitiativeChanged
    instead of overwriting it (docs/adr/0048-*).

    A new status without an explicit progress sets the status's default progress. A change by anyone
    who may not verify clears the verification, since what was verified is no longer what is shown.
    """
    scalars = {
        name: value
        for name, value in (
            ("ref", ref),
            ("title", title),
            ("description", description),
            ("parent", parent),
            ("lead_organisation", lead_organisation),
            ("lead_municipality", lead_municipality),
            ("lead_name", lead_name),
            ("partner_names", partner_names),
            ("start_date", start_date),
            ("end_date", end_date),
            ("budget", budget),
            ("status", status),
            ("progress", progress),
            ("weight", weight),
        )
        if value is not UNCHANGED
    }
    scalars.update(_consequences(consequences, partial=True))
    related = {
        name: list(value)
        for name, value in (
            ("priority_areas", priority_areas),
            ("partner_organisations", partner_organisations),
            ("principles", principles),
            ("roles", roles),
            ("frame_tags", frame_tags),
            ("municipalities", municipalities),
        )
        if value is not UNCHANGED
    }
    initiative = Initiative.objects.select_for_update().select_related("status").get(pk=initiative.pk)
    if actor is not None and not permissions.can_change_initiative(actor, initiative):
        raise PermissionDenied(_("Du får inte ändra den här insatsen."))
    if expected_version is not None:
        current = initiative_version(initiative)
        if current not in ({expected_version} if isinstance(expected_version, str) else set(expected_version)):
            raise InitiativeChanged(current)
    before = state(initiative)
    new_parent_id = getattr(scalars.get("parent"), "pk", None)
    if actor is not None and "parent" in scalars and new_parent_id != initiative.parent_id:
        for parent in (initiative.parent, scalars["parent"]):
            if parent is not None:
                _check_parent(actor, parent)
    new_status = scalars.get("status")
    if new_status is not None and new_status.pk != initiative.status_id:
        if not InitiativeStatus.WORKFLOW.allows(initiative.status.kind, new_status.kind):
            raise ValidationError(
                {
                    "status": _("En insats med status ”%(old)s” kan inte få status ”%(new)s”.")
                    % {"old": initiative.status.name, "new": new_status.name}
                }
            )
        if scalars.get("progress") is None:
            scalars["progress"] = new_status.default_progress
    for name, value in scalars.items():
        setattr(initiative, name, value)
    initiative.ref = initiative.ref or None
    if actor is not None and not permissions.can_change_initiative(actor, initiative):
        raise PermissionDenied(_("Du får inte flytta insatsen till den ansvariga aktören."))
    validate(initiative, priority_areas=related.get("priority_areas"))
    initiative.save()
    for name, objects in related.items():
        getattr(initiative, name).set(objects)
    replace_children(initiative, milestones, funding, outputs, links)
    diff = model_diff(before, state(initiative))
    if (
        diff
        and initiative.verified_at
        and actor is not None
        and not permissions.can_verify_initiative(actor, initiative)
    ):
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
