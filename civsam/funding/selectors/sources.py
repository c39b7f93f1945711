"""Reads of the funding app, with their joins done: sources, open calls and eligibility, the
grant register's search, and the stored grant figures."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL

from civsam.core.models import LegalForm, Municipality
from civsam.registry import search
from civsam.registry.models import Organisation

from .. import eligibility, permissions, schedule
from ..models import CallSubscription, Funder, FundingCall, FundingSource, GrantDecision, GrantFigure

DECISION_TABLE = GrantDecision._meta.db_table
FTS_TABLE = "funding_grantdecision_fts"  # SQLite: FTS5 index of search_document (migration 0002)


# --- Sources and calls --------------------------------------------------------------------------


def with_rules(qs: QuerySet[FundingSource]) -> QuerySet[FundingSource]:
    return qs.select_related("funder").prefetch_related(
        "eligible_legal_forms", "eligible_municipalities", "eligible_activity_classes"
    )


def source_list(*, user) -> QuerySet[FundingSource]:
    return with_rules(permissions.funding_sources_visible_to(user)).order_by("funder__kind", "funder__name", "name")


def call_list(*, user) -> QuerySet[FundingCall]:
    return permissions.funding_calls_visible_to(user).select_related("source__funder")


def call_window(call: FundingCall, today: datetime.date) -> schedule.Window:
    return schedule.window(
        call.schedule,
        today=today,
        opens_on=call.opens_on,
        deadline=call.deadline,
        yearly_opens=call.yearly_opens,
        yearly_deadline=call.yearly_deadline,
    )


def deadline_order(call: FundingCall, today: datetime.date) -> tuple:
    window = call_window(call, today)
    return (window.deadline is None, window.deadline or datetime.date.max, call.title, call.pk)


def calls_open(*, user, today: datetime.date) -> list[FundingCall]:
    """Published calls open today, soonest deadline first. Calls are few (hundreds), and a
    yearly call's window is a rule, so this filters in Python after one query."""
    qs = (
        call_list(user=user)
        .filter(status=FundingCall.Status.PUBLISHED)
        .prefetch_related(
            "source__eligible_legal_forms", "source__eligible_municipalities", "source__eligible_activity_classes"
        )
    )
    open_calls = [c for c in qs if schedule.is_open(c.status, call_window(c, today), today)]
    return sorted(open_calls, key=lambda c: deadline_order(c, today))


def applicant_for(organisation: Organisation) -> eligibility.Applicant:
    """What eligibility reads about an organisation (prefetch its municipalities and classes)."""
    municipalities = {m.code for m in organisation.active_municipalities.all()} | {organisation.municipality.code}
    return eligibility.Applicant(
        legal_form=organisation.legal_form.code,
        municipalities=frozenset(municipalities),
        activity_classes=frozenset(a.code for a in organisation.activity_classes.all()),
        civil_society=organisation.legal_form.is_civil_society,
        social_enterprise=organisation.social_enterprise,
        work_integrating=organisation.work_integrating,
    )


def rules_for(source: FundingSource) -> eligibility.Rules:
    labels: dict[str, str] = {}
    legal_forms = frozenset(f.code for f in source.eligible_legal_forms.all())
    municipalities = frozenset(m.code for m in source.eligible_municipalities.all())
    classes = frozenset(a.code for a in source.eligible_activity_classes.all())
    for group in (source.eligible_legal_forms.all(), source.eligible_municipalities.all()):
        labels.update({o.code: o.name for o in group})
    labels.update({a.code: a.name for a in source.eligible_activity_classes.all()})
    return eligibility.Rules(legal_forms, municipalities, classes, source.sector, labels)


def organisation_for_eligibility(**lookup) -> Organisation | None:
    return (
        Organisation.objects.select_related("legal_form", "municipality")
        .prefetch_related("active_municipalities", "activity_classes")
        .filter(**lookup)
        .first()
    )


def calls_open_for(organisation: Organisation, *, user, today: datetime.date) -> list[FundingCall]:
    """The open calls the organisation may apply for, by its legal form, sector, municipalities
    and activity classes."""
    applicant = applicant_for(organisation)
    return [c for c in calls_open(user=user, today=today) if eligibility.is_eligible(applicant, rules_for(c.source))]


def subscriptions_eligible_for(call: FundingCall) -> list[CallSubscription]:
    """The subscriptions whose organisation may apply to the call."""
    source = with_rules(FundingSource.objects.filter(pk=call.source_id)).get()
    rules = rules_for(source)
    subscriptions = CallSubscription.objects.select_related(
        "organisation__legal_form", "organisation__municipality"
    ).prefetch_related("organisation__active_municipalities", "organisation__activity_classes")
    return [s for s in subscriptions if eligibility.is_eligible(applicant_for(s.organisation), rules)]


def subscriptions_for(organisation: Organisation) -> QuerySet[CallSubscription]:
    return CallSubscription.objects.filter(organisation=organisation).order_by("email")


# --- The grant register -------------------------------------------------------------------------

SORTS = {
    "": ("-decision_date", "-id"),
    "-date": ("-decision_date", "-id"),
    "date": ("decision_date", "id"),
    "-amount": ("-amount_granted", "-id"),
    "amount": ("amount_granted", "id"),
}

# With a year, the same orders read from the covered-years row the filter joined (same values:
# its date, amount and decision id are the decision's), so that its index gives the page.
YEAR_SORTS = {
    "": ("-covered_years__decision_date", "-covered_years__decision_id"),
    "-date": ("-covered_years__decision_date", "-covered_years__decision_id"),
    "date": ("covered_years__decision_date", "covered_years__decision_id"),
    "-amount": ("-covered_years__amount_granted", "-covered_years__decision_id"),
    "amount": ("covered_years__amount_granted", "covered_years__decision_id"),
}
assert YEAR_SORTS.keys() == SORTS.keys()


@dataclass(frozen=True)
class RegisterFilter:
    q: str = ""
    funder: tuple[str, ...] = ()  # funder slugs
    programme: tuple[str, ...] = ()
    municipality: tuple[str, ...] = ()  # the recipient's municipality (code)
    recipient: str = ""  # orgnr
    legal_form: tuple[str, ...] = ()  # codes
    year: int | None = None  # grants covering this year
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    sort: str = ""


def _text_filter(qs: QuerySet[GrantDecision], terms: list[str]) -> QuerySet[GrantDecision]:
    """Rows matching every term (prefixes), through the index of migration 0002."""
    if connection.vendor == "postgresql":
        return qs.filter(
            RawSQL(  # noqa: S611 - the table name is a constant, the query a bound parameter
                f"to_tsvector('simple'::regconfig, COALESCE({DECISION_TABLE}.search_document, '')) "
                "@@ to_tsquery('simple', %s)",
                [search.tsquery(terms)],
                output_field=BooleanField(),
            )
        )
    return qs.filter(
        RawSQL(  # noqa: S611
            f"{DECISION_TABLE}.id IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)",  # noqa: S608
            [search.fts5_match(terms)],
            output_field=BooleanField(),
        )
    )


def decision_register(*, user, filters: RegisterFilter) -> QuerySet[GrantDecision]:
    """The public register, filtered and sorted. Codes, slugs and the organisation number are
    matched in subqueries (small tables, unique keys), so that the register's query filters one
    table on its own indexes and the planner sees the same shape as hand-written SQL."""
    qs = permissions.grant_decisions_visible_to(user)
    if filters.funder:
        qs = qs.filter(funder_id__in=Funder.objects.filter(slug__in=filters.funder).values("pk"))
    if filters.programme:
        qs = qs.filter(programme__in=filters.programme)
    if filters.municipality:
        qs = qs.filter(
            recipient_municipality_id__in=Municipality.objects.filter(code__in=filters.municipality).values("pk")
        )
    if filters.legal_form:
        qs = qs.filter(recipient_legal_form_id__in=LegalForm.objects.filter(code__in=filters.legal_form).values("pk"))
    if filters.recipient:
        qs = qs.filter(recipient_id=Organisation.objects.filter(orgnr=filters.recipient).values("pk")[:1])
    if filters.year is not None:
        # Through the covered years (ADR 0142): the year leads an index in the register's order.
        qs = qs.filter(covered_years__year=filters.year)
    if filters.amount_min is not None:
        qs = qs.filter(amount_granted__gte=filters.amount_min)
    if filters.amount_max is not None:
        qs = qs.filter(amount_granted__lte=filters.amount_max)
    terms = search.query_terms(filters.q)
    if terms:
        qs = _text_filter(qs, terms)
    if filters.year is not None:
        return qs.order_by(*YEAR_SORTS.get(filters.sort, YEAR_SORTS[""]))
    return qs.order_by(*SORTS.get(filters.sort, SORTS[""]))


def with_listing_relations(qs) -> QuerySet[GrantDecision]:
    """What the register page shows of each row, and no more (the stored search text stays)."""
    return qs.select_related("funder", "recipient", "recipient_municipality").only(
        "id",
        "case_number",
        "decision_date",
        "programme",
        "year_from",
        "year_to",
        "amount_granted",
        "source",
        "funder__name",
        "recipient__name",
        "recipient__orgnr",
        "recipient_municipality__name",
    )


def with_register_relations(qs) -> QuerySet[GrantDecision]:
    return qs.select_related("funder", "recipient", "recipient_municipality", "recipient_legal_form", "source")


def decision_detail(pk: int) -> GrantDecision | None:
    return with_register_relations(GrantDecision.objects.filter(pk=pk)).first()


def register_facets() -> dict[str, list]:
    """Choices for the register's filters: funders with decisions, programmes, municipalities."""
    funder_ids = GrantFigure.objects.filter(dimension=GrantFigure.Dimension.FUNDER).values_list("key", flat=True)
    funders = list(Funder.objects.filter(slug__in=funder_ids).order_by("name").values_list("slug", "name"))
    if not funders:
        funders = list(Funder.objects.order_by("name").values_list("slug", "name"))
    programmes = sorted(
        set(
            GrantFigure.objects.filter(dimension=GrantFigure.Dimension.PROGRAMME)
            .values_list("key", flat=True)
            .distinct()
        )
    )
    return {
        "funders": funders,
        "programmes": [(p, p) for p in programmes],
        "municipalities": list(Municipality.objects.order_by("name_key").values_list("code", "name")),
        "legal_forms": [(f.code, f.name) for f in LegalForm.objects.order_by("code")],
    }


def decisions_for_recipient(organisation: Organisation, *, limit: int = 10) -> list[GrantDecision]:
    return list(
        GrantDecision.objects.filter(recipient=organisation).select_related("funder").order_by("-decision_date")[:limit]
    )


# --- Stored figures -----------------------------------------------------------------------------


def figures(*, dimension: str, year: int | None = None, grant_form: str | None = "") -> QuerySet[GrantFigure]:
    """Stored figures of a dimension; grant_form "" is every form together, None each form apart."""
    qs = GrantFigure.objects.filter(dimension=dimension)
    qs = qs.exclude(grant_form="") if grant_form is None else qs.filter(grant_form=grant_form)
    if year is not None:
        qs = qs.filter(year=year)
    return qs.order_by("year", "label", "key")


def figure_years() -> list[int]:
    return list(
        GrantFigure.objects.filter(dimension=GrantFigure.Dimension.TOTAL, grant_form="")
        .order_by("year")
        .values_list("year", flat=True)
    )


def figures_computed_at() -> datetime.datetime | None:
    row = GrantFigure.objects.filter(dimension=GrantFigure.Dimension.TOTAL).order_by("-computed_at").first()
    return row.computed_at if row else None
