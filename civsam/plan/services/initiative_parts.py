"""What the initiative services share: the rows they take (milestones, funding, outputs, links),
the rules an initiative must meet, the state the audit log compares, and replacing child rows."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from civsam.core.models import CONSEQUENCE_PERSPECTIVES, Consequence

from ..models import Initiative, InitiativeFunding, InitiativeLink, InitiativeOutput, Milestone, ParticipantCount


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


# The assessed consequences for the environment, children and gender equality (ADR 0123).
CONSEQUENCE_FIELDS = tuple(
    f"{perspective}_{part}" for perspective in CONSEQUENCE_PERSPECTIVES for part in ("assessment", "note")
)


# The fields the audit log compares, besides the related sets and the child rows.
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
    *CONSEQUENCE_FIELDS,
)
RELATED_SETS = ("priority_areas", "partner_organisations", "principles", "roles", "frame_tags", "municipalities")


def state(initiative: Initiative) -> dict[str, Any]:
    """The initiative as the audit log compares it: scalars and the related sets, as display values."""
    state: dict[str, Any] = {name: getattr(initiative, name) for name in SCALAR_FIELDS}
    for name in ("budget", "weight"):
        # 120000 and 120000.00 are the same amount: compare at the column's precision.
        if state[name] is not None:
            state[name] = f"{Decimal(state[name]):.2f}"
    if initiative.pk:
        for name in RELATED_SETS:
            state[name] = [str(obj) for obj in getattr(initiative, name).all()]
        state["milestones"] = [str(m) + (" ✓" if m.completed_on else "") for m in initiative.milestones.all()]
        state["funding"] = [
            f"{f.source}: {f.amount if f.amount is not None else '–'}" for f in initiative.funding.all()
        ]
        state["outputs"] = [
            f"{o.year}: {o.meetings_held} / {o.reports_published}" for o in initiative.outputs.all()
        ] + [f"{p.year} {p.gender} {p.age_band}: {p.count}" for p in initiative.participants.all()]
        state["links"] = [f"{link.title} <{link.url}>" for link in initiative.links.all()]
    return state


def validate(initiative: Initiative, *, priority_areas: Sequence | None) -> None:
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if not initiative.title.strip():
        add("title", _("Ange en titel."))
    for perspective in CONSEQUENCE_PERSPECTIVES:
        if getattr(initiative, f"{perspective}_assessment") not in Consequence.values:
            add(f"{perspective}_assessment", _("Välj en av bedömningarna i listan."))
        if len(getattr(initiative, f"{perspective}_note")) > 1000:
            add(f"{perspective}_note", _("Motiveringen får vara högst 1 000 tecken."))
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


def replace_children(initiative: Initiative, milestones, funding, outputs, links=None) -> None:
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
