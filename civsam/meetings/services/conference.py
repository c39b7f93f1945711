"""Writes for the conference: programme, speakers, partners, registration types, quotas, planning
group and the budget. Commitments are checked against the allocation under a lock on the
conference row, so parallel requests can never over-commit it."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from civsam.core.models import AuditEntry
from civsam.core.services import audit_log
from civsam.registry.models import Organisation

from .. import budget, permissions, selectors
from ..models import (
    BudgetCommitment,
    BudgetLine,
    BudgetYear,
    Conference,
    Event,
    Partner,
    PlanningGroupMember,
    RegistrationType,
    Session,
    Speaker,
    TargetGroupQuota,
)
from .registrations import lock_seats


def _require_manager(actor, event: Event) -> None:
    if actor is not None and not permissions.can_manage_event(actor, event):
        raise PermissionDenied(_("Du får inte ändra den här konferensen."))


def _require_programme_editor(actor, conference: Conference) -> None:
    """The programme (sessions and speakers) is edited by the organisers and the planning group."""
    if actor is not None and not permissions.can_edit_programme(actor, conference):
        raise PermissionDenied(_("Du får inte ändra konferensens program."))


def _save_new(actor, obj: Model, *, note: str = "") -> Model:
    obj.full_clean()
    obj.save()
    audit_log(actor=actor, action=AuditEntry.Action.CREATE, obj=obj, note=note)
    return obj


@transaction.atomic
def conference_create(
    *,
    actor,
    event: Event,
    budget_amount: Decimal = budget.ZERO,
    budget_decision_reference: str = "",
    budget_decided_by: str = "",
    budget_decided_on: datetime.date | None = None,
) -> Conference:
    """Make an event a conference (a multi-session event with its own budget)."""
    _require_manager(actor, event)
    if Conference.objects.filter(event=event).exists():
        raise ValidationError(_("Evenemanget är redan en konferens."))
    conference = Conference(
        event=event,
        budget_amount=budget_amount,
        budget_decision_reference=budget_decision_reference.strip(),
        budget_decided_by=budget_decided_by,
        budget_decided_on=budget_decided_on,
    )
    _save_new(actor, conference)
    if budget_amount and budget_amount > 0:
        # The first allocation belongs to the year it was decided in (or the conference's year).
        _save_new(
            actor,
            BudgetYear(
                conference=conference,
                year=budget_decided_on.year if budget_decided_on else _conference_year(conference),
                allocated=budget_amount,
                decision_reference=budget_decision_reference.strip(),
                decided_by=budget_decided_by,
                decided_on=budget_decided_on,
            ),
            note=f"conference {conference.pk}",
        )
    return conference


def _conference_year(conference: Conference) -> int:
    return timezone.localtime(conference.event.starts_at).year


@transaction.atomic
def session_add(
    *,
    actor,
    conference: Conference,
    title: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    room: str = "",
    kind: str = "plenary",
    description: str = "",
    speakers: Iterable[Speaker] = (),
) -> Session:
    _require_programme_editor(actor, conference)
    event = conference.event
    if starts_at and ends_at and (starts_at < event.starts_at or ends_at > event.ends_at):
        raise ValidationError(_("Programpunkten måste ligga inom konferensens tid."))
    session = Session(
        conference=conference,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        room=room,
        kind=kind,
        description=description,
    )
    _save_new(actor, session, note=f"conference {conference.pk}")
    if speakers:
        session.speakers.set(speakers)
    return session


@transaction.atomic
def speaker_add(
    *,
    actor,
    conference: Conference,
    name: str,
    affiliation: str = "",
    bio: str = "",
    is_internal: bool = False,
    sessions: Iterable[Session] = (),
) -> Speaker:
    _require_programme_editor(actor, conference)
    speaker = Speaker(conference=conference, name=name, affiliation=affiliation, bio=bio, is_internal=is_internal)
    _save_new(actor, speaker, note=f"conference {conference.pk}")
    if sessions:
        speaker.sessions.set([s for s in sessions if s.conference_id == conference.pk])
    return speaker


@transaction.atomic
def partner_add(
    *, actor, conference: Conference, name: str, role: str = "co_organiser", organisation: Organisation | None = None
) -> Partner:
    _require_manager(actor, conference.event)
    return _save_new(
        actor,
        Partner(conference=conference, name=name, role=role, organisation=organisation),
        note=f"conference {conference.pk}",
    )


@transaction.atomic
def registration_type_add(
    *, actor, conference: Conference, name: str, sessions: Iterable[Session] = ()
) -> RegistrationType:
    _require_manager(actor, conference.event)
    if RegistrationType.objects.filter(conference=conference, name=name).exists():
        raise ValidationError(_("Det finns redan en anmälningstyp med det namnet."))
    registration_type = _save_new(
        actor, RegistrationType(conference=conference, name=name), note=f"conference {conference.pk}"
    )
    registration_type.sessions.set([s for s in sessions if s.conference_id == conference.pk])
    return registration_type


@transaction.atomic
def quota_set(*, actor, conference: Conference, target_group: str, quota: int) -> TargetGroupQuota:
    """Set (or change) the number of seats for one target group; quotas together may not exceed capacity."""
    _require_manager(actor, conference.event)
    # The event's counter row is the lock seat decisions take, so a quota never changes under one.
    lock_seats(conference.event_id)
    capacity = Event.objects.get(pk=conference.event_id).capacity
    others = sum(
        TargetGroupQuota.objects.filter(conference=conference)
        .exclude(target_group=target_group)
        .values_list("quota", flat=True)
    )
    if capacity is not None and others + quota > capacity:
        raise ValidationError(
            _("Kvoterna blir tillsammans %(total)s platser, fler än konferensens %(capacity)s.")
            % {"total": others + quota, "capacity": capacity}
        )
    existing = TargetGroupQuota.objects.filter(conference=conference, target_group=target_group).first()
    if existing:
        before = existing.quota
        existing.quota = quota
        existing.full_clean()
        existing.save(update_fields=["quota"])
        audit_log(actor=actor, action=AuditEntry.Action.UPDATE, obj=existing, changes={"quota": [before, quota]})
        return existing
    return _save_new(actor, TargetGroupQuota(conference=conference, target_group=target_group, quota=quota))


@transaction.atomic
def planning_member_add(
    *,
    actor,
    conference: Conference,
    name: str,
    sector: str,
    affiliation: str = "",
    role: str = "member",
    user=None,
) -> PlanningGroupMember:
    """Add a member; one with a user account (`user`) may then edit the programme."""
    _require_manager(actor, conference.event)
    if user is not None and PlanningGroupMember.objects.filter(conference=conference, user=user).exists():
        raise ValidationError({"user": _("Användaren är redan med i planeringsgruppen.")})
    member = PlanningGroupMember(
        conference=conference, name=name, sector=sector, affiliation=affiliation, role=role, user=user
    )
    return _save_new(actor, member, note=f"conference {conference.pk}")


@transaction.atomic
def planning_member_remove(*, actor, member: PlanningGroupMember) -> None:
    """Take a member out of the planning group; a member with an account loses the programme right."""
    _require_manager(actor, member.conference.event)
    audit_log(actor=actor, action=AuditEntry.Action.DELETE, obj=member, note=f"conference {member.conference_id}")
    member.delete()


# Budget ----------------------------------------------------------------------------------------


def _over_commitment_error(exc: budget.OverCommitment, *, year: int | None = None) -> ValidationError:
    if year is not None:
        return ValidationError(
            _("Åtagandet på %(requested)s kr ryms inte: bara %(remaining)s kr återstår av budgeten för %(year)s.")
            % {"requested": exc.requested, "remaining": exc.remaining, "year": year}
        )
    return ValidationError(
        _("Åtagandet på %(requested)s kr ryms inte: bara %(remaining)s kr återstår av budgeten.")
        % {"requested": exc.requested, "remaining": exc.remaining}
    )


@transaction.atomic
def budget_year_set(
    *,
    actor,
    conference: Conference,
    year: int,
    allocated: Decimal,
    purpose: str = "",
    decision_reference: str = "",
    decided_by: str = "",
    decided_on: datetime.date | None = None,
) -> BudgetYear:
    """Record (or change) the allocation of one year; the conference's total follows. An allocation
    may not fall below what that year has already spent or committed."""
    conference = Conference.objects.select_for_update().select_related("event").get(pk=conference.pk)
    _require_manager(actor, conference.event)
    if allocated is None or allocated < 0:
        raise ValidationError({"allocated": _("Anslaget kan inte vara negativt.")})
    if decided_on is not None and decided_on.year > year:
        raise ValidationError({"decided_on": _("Beslutet kan inte vara fattat efter det år anslaget gäller.")})
    spent = next((y.state.spent for y in selectors.budget_by_year(conference) if y.year == year), budget.ZERO)
    if allocated < spent:
        raise ValidationError(
            {
                "allocated": _("År %(year)s har redan %(spent)s kr i åtaganden; anslaget kan inte vara lägre.")
                % {"year": year, "spent": spent}
            }
        )
    row = BudgetYear.objects.filter(conference=conference, year=year).first()
    fields = {
        "allocated": allocated,
        "purpose": purpose.strip(),
        "decision_reference": decision_reference.strip(),
        "decided_by": decided_by.strip(),
        "decided_on": decided_on,
    }
    if row is None:
        row = _save_new(
            actor, BudgetYear(conference=conference, year=year, **fields), note=f"conference {conference.pk}"
        )
    else:
        changes = {k: [str(getattr(row, k)), str(v)] for k, v in fields.items() if getattr(row, k) != v}
        for k, v in fields.items():
            setattr(row, k, v)
        row.full_clean()
        row.save()
        if changes:
            audit_log(actor=actor, action=AuditEntry.Action.UPDATE, obj=row, changes=changes)
    total = sum(BudgetYear.objects.filter(conference=conference).values_list("allocated", flat=True), budget.ZERO)
    if total != conference.budget_amount:
        audit_log(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            obj=conference,
            changes={"budget_amount": [str(conference.budget_amount), str(total)]},
        )
        Conference.objects.filter(pk=conference.pk).update(budget_amount=total)
    return row


@transaction.atomic
def budget_line_add(
    *, actor, conference: Conference, title: str, planned: Decimal, year: int | None = None
) -> BudgetLine:
    """A budget line of one year (by default the conference's year)."""
    _require_manager(actor, conference.event)
    if BudgetLine.objects.filter(conference=conference, title=title).exists():
        raise ValidationError(_("Det finns redan en budgetpost med det namnet."))
    line = BudgetLine(conference=conference, title=title, planned=planned, year=year or _conference_year(conference))
    return _save_new(actor, line)


def _check_fits(conference: Conference, line: BudgetLine, change: Decimal) -> None:
    """Refuse `change` more spending on `line` if it passes its year's allocation (or, for a
    conference whose budget is not divided into years, the whole allocation)."""
    year: int | None = None
    if conference.budget_years.exists():
        year = line.year or _conference_year(conference)
        current = next((y.state for y in selectors.budget_by_year(conference) if y.year == year), None)
        allocated = current.allocated if current else budget.ZERO
        spent = current.spent if current else budget.ZERO
    else:
        allocated, spent = conference.budget_amount, selectors.budget_state(conference).spent
    try:
        budget.check(allocated=allocated, spent=spent, change=change)
    except budget.OverCommitment as exc:
        raise _over_commitment_error(exc, year=year) from exc


@transaction.atomic
def commitment_add(
    *, actor, line: BudgetLine, description: str, amount: Decimal, committed_on: datetime.date | None = None
) -> BudgetCommitment:
    """Commit money on a budget line. Refused if it would take spending past the year's allocation."""
    conference = Conference.objects.select_for_update().select_related("event").get(pk=line.conference_id)
    _require_manager(actor, conference.event)
    if amount is None or amount <= 0:
        raise ValidationError(_("Beloppet måste vara större än noll."))
    _check_fits(conference, line, amount)
    commitment = BudgetCommitment(
        line=line,
        description=description,
        amount=amount,
        committed_on=committed_on or timezone.localdate(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    return _save_new(actor, commitment, note=f"conference {conference.pk}")


@transaction.atomic
def commitment_record_outcome(*, actor, commitment: BudgetCommitment, outcome: Decimal) -> BudgetCommitment:
    """Record what was finally paid. An outcome above the commitment must fit in what remains."""
    line = BudgetLine.objects.get(pk=commitment.line_id)
    conference = Conference.objects.select_for_update().select_related("event").get(pk=line.conference_id)
    _require_manager(actor, conference.event)
    commitment.refresh_from_db()
    if outcome is None or outcome < 0:
        raise ValidationError(_("Utfallet kan inte vara negativt."))
    change = outcome - budget.effective(commitment.amount, commitment.outcome)
    if change > 0:
        _check_fits(conference, line, change)
    before = commitment.outcome
    commitment.outcome = outcome
    commitment.save(update_fields=["outcome", "updated_at"])
    audit_log(
        actor=actor, action=AuditEntry.Action.UPDATE, obj=commitment, changes={"outcome": [str(before), str(outcome)]}
    )
    return commitment
