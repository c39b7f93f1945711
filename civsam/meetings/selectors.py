"""Reads for events and networks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civsam.plan.models import Initiative

from . import budget, survey_stats
from .models import (
    BudgetCommitment,
    BudgetLine,
    BudgetYear,
    Conference,
    Event,
    Network,
    Registration,
    Session,
    Survey,
    SurveyResponse,
    TargetGroup,
)
from .permissions import events_visible_to


def event_list(
    *,
    user,
    network: str | None = None,
    organiser: str | None = None,
    municipality: str | None = None,
    starts_from: datetime | None = None,
    starts_to: datetime | None = None,
) -> QuerySet[Event]:
    qs = events_visible_to(user).select_related("network", "organiser", "municipality")
    if network:
        qs = qs.filter(network__slug=network)
    if organiser:
        qs = qs.filter(organiser__orgnr=organiser)
    if municipality:
        qs = qs.filter(municipality__code=municipality)
    if starts_from:
        qs = qs.filter(ends_at__gte=starts_from)
    if starts_to:
        qs = qs.filter(starts_at__lte=starts_to)
    return qs.annotate(
        # The counter row the registration services keep (ADR 0079); an event nobody has registered
        # for yet may have none.
        seats_taken=Coalesce(F("seats__taken"), 0),
        is_conference=Exists(Conference.objects.filter(event_id=OuterRef("pk"))),
    ).order_by("starts_at", "id")


def upcoming_events(*, user) -> QuerySet[Event]:
    return event_list(user=user, starts_from=timezone.now())


def initiatives_for_event(event: Event) -> QuerySet[Initiative]:
    """The plan's initiatives the event belongs to (initiatives are public), in one query."""
    return Initiative.objects.filter(events=event).select_related("status").order_by("title", "id")


def events_for_initiative(*, user, initiative: Initiative) -> QuerySet[Event]:
    """The initiative's meetings that the user may see, in one query."""
    return events_visible_to(user).filter(initiatives=initiative).select_related("network").order_by("starts_at", "id")


def network_list() -> QuerySet[Network]:
    return Network.objects.exclude(visibility=Network.Visibility.MEMBERS).order_by("name")


# The conference and the follow-up -----------------------------------------------------------


def conference_programme(conference: Conference) -> list[tuple[date, list[Session]]]:
    """Sessions by local day, each day in time and room order, speakers prefetched."""
    sessions = conference.sessions.prefetch_related("speakers").order_by("starts_at", "room", "id")
    days: dict[date, list[Session]] = {}
    for session in sessions:
        days.setdefault(timezone.localtime(session.starts_at).date(), []).append(session)
    return list(days.items())


def budget_state(conference: Conference) -> budget.BudgetState:
    """What the conference has allocated, planned, committed and spent (two queries)."""
    return budget.state(
        allocated=conference.budget_amount,
        planned=BudgetLine.objects.filter(conference=conference).values_list("planned", flat=True),
        commitments=BudgetCommitment.objects.filter(line__conference=conference).values_list("amount", "outcome"),
    )


def budget_by_year(conference: Conference) -> list[budget.YearState]:
    """The budget year by year: each year's allocation against its lines (three queries). A line
    without a year (kept from before budgets had years) counts in the conference's year."""
    own_year = timezone.localtime(conference.event.starts_at).year
    return budget.by_year(
        allocations=BudgetYear.objects.filter(conference=conference).values_list("year", "allocated"),
        lines=[
            (pk, year or own_year, planned)
            for pk, year, planned in BudgetLine.objects.filter(conference=conference).values_list(
                "pk", "year", "planned"
            )
        ],
        commitments=BudgetCommitment.objects.filter(line__conference=conference).values_list(
            "line_id", "amount", "outcome"
        ),
    )


@dataclass(frozen=True)
class TargetGroupRow:
    key: str
    label: str
    quota: int | None
    registered: int  # holding a seat
    waiting: int  # on the waitlist, offered or awaiting approval
    checked_in: int


def registrations_by_target_group(conference: Conference) -> list[TargetGroupRow]:
    """Registrations per target group against the group's quota (one query for the counts)."""
    rows = {
        row["target_group"] or "": row
        for row in conference.event.registrations.values("target_group").annotate(
            registered=Count("id", filter=Q(status__in=Registration.SEAT_HOLDING)),
            waiting=Count(
                "id",
                filter=Q(status__in=[Registration.Status.WAITLISTED, Registration.Status.AWAITING_APPROVAL]),
            ),
            checked_in=Count("id", filter=Q(checked_in_at__isnull=False)),
        )
    }
    quotas = dict(conference.quotas.values_list("target_group", "quota"))
    result = []
    for key, label in [*TargetGroup.choices, ("", _("Ej angiven"))]:
        row = rows.get(key)
        if row is None and key not in quotas:
            continue
        result.append(
            TargetGroupRow(
                key,
                str(label),
                quotas.get(key),
                row["registered"] if row else 0,
                row["waiting"] if row else 0,
                row["checked_in"] if row else 0,
            )
        )
    return result


def conference_status(conference: Conference) -> dict:
    """The status report's content: budget by year, registrations per target group, survey results."""
    event = conference.event
    years = budget_by_year(conference)
    total = budget.total(years)
    groups = registrations_by_target_group(conference)
    return {
        "conference": conference,
        "event": event,
        "budget_years": years,
        "allocations": list(conference.budget_years.all()),
        "budget_total": total,
        "target_groups": groups,
        "registered_total": sum(g.registered for g in groups),
        "checked_in_total": sum(g.checked_in for g in groups),
        "knowledge": knowledge_change(event),
        "evaluation": evaluation_summary(event),
        "min_cell": survey_stats.MIN_CELL,
        "generated_at": timezone.now(),
    }


def survey_recipients(survey: Survey, phase: str) -> QuerySet[Registration]:
    """Before the meeting: everyone with a seat. After it: those who attended (checked in)."""
    registrations = survey.event.registrations.select_related("event")
    if phase == SurveyResponse.Phase.BEFORE:
        return registrations.filter(status=Registration.Status.CONFIRMED)
    return registrations.filter(status=Registration.Status.CONFIRMED, checked_in_at__isnull=False)


def programme_rooms(day_sessions: list[Session]) -> list[str]:
    return sorted({s.room for s in day_sessions if s.room})


def attendees(event: Event) -> QuerySet[Registration]:
    """Everyone with a seat, for the attendance list and name badges, in name order."""
    return (
        event.registrations.filter(status=Registration.Status.CONFIRMED)
        .select_related("organisation", "municipality", "registration_type")
        .order_by("name", "id")
    )


@dataclass(frozen=True)
class AttendanceRow:
    key: str
    label: str
    registered: int
    attended: int


def attendance_by(event: Event, dimension: str) -> list[AttendanceRow]:
    """Confirmed and checked-in participants per municipality or per target group (one query)."""
    field = {"municipality": "municipality__name", "target_group": "target_group"}[dimension]
    rows = (
        event.registrations.filter(status=Registration.Status.CONFIRMED)
        .values(field)
        .annotate(registered=Count("id"), attended=Count("id", filter=Q(checked_in_at__isnull=False)))
        .order_by(field)
    )
    labels = dict(TargetGroup.choices)
    result = []
    for row in rows:
        key = row[field] or ""
        if dimension == "target_group":
            label = str(labels.get(key, _("Ej angiven")))
        else:
            label = key or str(_("Ej angiven"))
        result.append(AttendanceRow(key, label, row["registered"], row["attended"]))
    return result


def attending_organisations(event: Event) -> list[str]:
    names = set()
    for registration in event.registrations.filter(checked_in_at__isnull=False).select_related("organisation"):
        if registration.affiliation:
            names.add(registration.affiliation)
    return sorted(names)


def knowledge_change(event: Event) -> list[survey_stats.GroupChange]:
    survey = Survey.objects.filter(event=event, kind=Survey.Kind.KNOWLEDGE).first()
    if survey is None:
        return []
    scale_ids = [str(pk) for pk in survey.questions.filter(kind="scale").values_list("pk", flat=True)]
    rows = []
    for group, phase, answers in survey.responses.values_list("registration__target_group", "phase", "answers"):
        score = survey_stats.response_score(answers, scale_ids)
        if score is not None:
            rows.append((group, phase, score))
    return survey_stats.knowledge_change(rows)


def evaluation_summary(event: Event) -> dict | None:
    """Per question of the evaluation: the mean (1–5, suppressed under the minimum cell) or the texts."""
    survey = Survey.objects.filter(event=event, kind=Survey.Kind.EVALUATION).prefetch_related("questions").first()
    if survey is None:
        return None
    responses = list(survey.responses.values_list("answers", flat=True))
    questions = []
    for question in survey.questions.all():
        values = [r[str(question.pk)] for r in responses if str(question.pk) in r]
        if question.kind == "scale":
            mean = round(sum(values) / len(values), 2) if len(values) >= survey_stats.MIN_CELL else None
            questions.append({"question": question, "n": len(values), "mean": mean, "texts": []})
        else:
            questions.append({"question": question, "n": len(values), "mean": None, "texts": sorted(values)})
    return {"survey": survey, "responses": len(responses), "questions": questions}
