"""Reads of applications and what follows them, with their joins done: lists and queues, one
application with everything its page shows, the reviewers' scores side by side, a call's budget,
payments due and payment files, and grant recipients' addresses."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, QuerySet, Sum

from civsam.accounts import permissions as seam
from civsam.core import budget
from civsam.registry.models import Organisation

from .. import permissions
from ..models import (
    Application,
    ApplicationDecision,
    FundingCall,
    GrantDecision,
    Instalment,
    PaymentBatch,
    Programme,
    ReportRequirement,
    ReviewAssignment,
    ReviewScore,
)

APPLICATION_RELATIONS = ("call__source__funder", "call__programme", "organisation", "decision")


def application_list(*, user, call: FundingCall | None = None, organisation: Organisation | None = None):
    """The applications the user may see, newest first."""
    qs = permissions.applications_visible_to(user).select_related(*APPLICATION_RELATIONS)
    if call is not None:
        qs = qs.filter(call=call)
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    return qs.order_by("-created_at", "-id")


def applications_of_user(user) -> QuerySet[Application]:
    """The applications of the organisations the user represents (their "Mina ansökningar")."""
    ids = seam.represented_organisation_ids(user)
    return (
        Application.objects.filter(organisation_id__in=ids)
        .select_related(*APPLICATION_RELATIONS)
        .order_by("-created_at", "-id")
    )


def call_queue(call: FundingCall) -> list[tuple[str, str, list[Application]]]:
    """A call's applications that have been sent in, by status in the workflow's order:
    (status, label, applications)."""
    rows = list(
        Application.objects.filter(call=call)
        .exclude(case_number="")
        .select_related("organisation", "decision")
        .prefetch_related("reviews")
        .order_by("submitted_at", "id")
    )
    groups = []
    for status, label in Application.Status.choices:
        members = [a for a in rows if a.status == status]
        if members:
            groups.append((status, str(label), members))
    return groups


def application_detail(pk: int) -> Application | None:
    return (
        Application.objects.filter(pk=pk)
        .select_related(*APPLICATION_RELATIONS, "decision__grant_decision", "organisation__payment_account")
        .prefetch_related(
            "attachments",
            "call__form_fields",
            "call__criteria",
            Prefetch("reviews", queryset=ReviewAssignment.objects.select_related("reviewer")),
            "instalments__batch",
            Prefetch(
                "report_requirements",
                queryset=ReportRequirement.objects.prefetch_related("reports__attachments"),
            ),
            "recoveries",
        )
        .first()
    )


@dataclass(frozen=True)
class CallBudget:
    allocated: Decimal | None
    committed: Decimal

    @property
    def remaining(self) -> Decimal | None:
        return None if self.allocated is None else self.allocated - self.committed


def call_budget(call: FundingCall) -> CallBudget:
    total = ApplicationDecision.objects.filter(application__call=call).aggregate(total=Sum("amount_granted"))["total"]
    return CallBudget(allocated=call.budget, committed=total or budget.ZERO)


@dataclass
class ScoreColumn:
    assignment: ReviewAssignment
    scores: dict[int, ReviewScore] = field(default_factory=dict)
    weighted: Decimal | None = None


@dataclass
class ScoreTable:
    """Criteria as rows, reviewers as columns, with each criterion's mean and each reviewer's
    weighted total (Σ weight × score / Σ weight × max, in per cent) once every criterion is scored."""

    criteria: list
    columns: list[ScoreColumn]
    means: dict[int, Decimal]
    recused: list[ReviewAssignment]


def score_table(application: Application) -> ScoreTable:
    criteria = list(application.call.criteria.all())
    assignments = list(
        ReviewAssignment.objects.filter(application=application).select_related("reviewer").prefetch_related("scores")
    )
    columns = []
    for assignment in assignments:
        if assignment.status == ReviewAssignment.Status.RECUSED:
            continue
        column = ScoreColumn(assignment, {s.criterion_id: s for s in assignment.scores.all()})
        if criteria and all(c.pk in column.scores for c in criteria):
            top = sum((c.weight * c.max_score for c in criteria), Decimal(0))
            got = sum((c.weight * column.scores[c.pk].score for c in criteria), Decimal(0))
            column.weighted = (got * 100 / top).quantize(Decimal("0.1")) if top else None
        columns.append(column)
    means = {}
    for criterion in criteria:
        values = [c.scores[criterion.pk].score for c in columns if criterion.pk in c.scores]
        if values:
            means[criterion.pk] = (Decimal(sum(values)) / len(values)).quantize(Decimal("0.1"))
    recused = [a for a in assignments if a.status == ReviewAssignment.Status.RECUSED]
    return ScoreTable(criteria, columns, means, recused)


def reviewers_available():
    """The users with the reviewer role, for the officer's choice."""
    User = get_user_model()
    return (
        User.objects.filter(seam.reviewers_q(), is_active=True)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def assignments_for(user) -> QuerySet[ReviewAssignment]:
    return (
        permissions.review_assignments_visible_to(user)
        .select_related("application__call", "application__organisation")
        .order_by("-assigned_at", "-id")
    )


def previous_application(organisation: Organisation, programme: Programme | None) -> Application | None:
    """The organisation's latest application sent in the same programme: its answers are offered
    again in a new one."""
    if programme is None:
        return None
    return (
        Application.objects.filter(organisation=organisation, call__programme=programme)
        .exclude(case_number="")
        .select_related("call")
        .order_by("-submitted_at", "-id")
        .first()
    )


def programme_list(*, user) -> QuerySet[Programme]:
    return permissions.programmes_visible_to(user).select_related("source__funder").prefetch_related("budgets")


# --- Payments -----------------------------------------------------------------------------------


def instalments_due(*, user, today: datetime.date) -> QuerySet[Instalment]:
    """Planned instalments due today or earlier, of grants of the funders the user keeps."""
    qs = Instalment.objects.filter(
        status=Instalment.Status.PLANNED,
        due_date__lte=today,
        application__status__in=[
            Application.Status.APPROVED,
            Application.Status.PARTLY_APPROVED,
            Application.Status.PAID,
            Application.Status.FOLLOW_UP_DUE,
            Application.Status.FOLLOW_UP_RECEIVED,
        ],
    ).select_related("application__organisation__payment_account", "application__call__source__funder")
    funders = permissions.funders_manageable_by(user).values("pk")
    return qs.filter(application__call__source__funder__in=funders).order_by("due_date", "application__case_number")


def payment_batches(*, user) -> QuerySet[PaymentBatch]:
    funders = permissions.funders_manageable_by(user).values("pk")
    return (
        PaymentBatch.objects.filter(funder__in=funders)
        .select_related("funder")
        .annotate(total=Sum("instalments__amount"))
    )


def payment_file_rows(batch: PaymentBatch) -> QuerySet[Instalment]:
    return batch.instalments.select_related("application__organisation").order_by("application__case_number", "number")


# --- Inviting grant recipients ------------------------------------------------------------------


@dataclass(frozen=True)
class RecipientContact:
    orgnr: str
    name: str
    email: str
    municipality: str


def grant_recipient_contacts(decisions: QuerySet[GrantDecision], *, limit: int = 5000) -> list[RecipientContact]:
    """The recipients of the decisions (the register, filtered), once each, with the address the
    organisation gives in the register: what an invitation to a dialogue meeting is sent to.
    Recipients without an address are left out."""
    # Read first, not nested: the register's text search is raw SQL naming the table, which a
    # subquery would alias away.
    ids = list(decisions.order_by().values_list("recipient_id", flat=True).distinct()[:limit])
    rows = (
        Organisation.objects.filter(pk__in=ids)
        .exclude(email="")
        .select_related("municipality")
        .order_by("name_key", "pk")
    )
    return [RecipientContact(o.orgnr, o.name, o.email, o.municipality.name) for o in rows]
