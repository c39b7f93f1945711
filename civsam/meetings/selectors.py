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
