"""The yearly figures, computed by a job into stored rows (ADR 0112), every year in one pass (ADR 0128).

The database groups each source table once per dimension by first year, last year and key; the
pure `tally` module turns the groups into counts for every year asked for. A run therefore makes
the same number of queries for one year as for ten, and none of them grows with the years.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable, Sequence

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Case, CharField, Count, F, IntegerField, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from civsam.core.models import ActivityClass, LegalForm, Municipality, SocietalRole

from .. import figures, permissions, tally
from ..figures import ACTIVITY_CLASS, FLAG, LEGAL_FORM, MUNICIPALITY, ROLE, SECTOR, TOTAL
from ..models import Figure, Population

# The first plan (2018) is where the county's follow-up begins.
FIRST_YEAR = 2018
COUNTY_CODE = "18"


def existing_q(year: int) -> Q:
    """The definition of figures.FIGURES["organisations"] as one filter for one year: registered by
    31 December (else founded by the year, else entered into Civsam before the year ended) and not
    deregistered by then. The job counts the same thing for all years at once (`_organisation_spans`);
    the tests hold the two against each other."""
    end = datetime.date(year, 12, 31)
    end_moment = timezone.make_aware(datetime.datetime(year + 1, 1, 1))
    started = (
        Q(registered_on__lte=end)
        | Q(registered_on__isnull=True, founded_year__lte=year)
        | Q(registered_on__isnull=True, founded_year__isnull=True, created_at__lt=end_moment)
    )
    ceased = Q(status="deregistered", status_date__lte=end)
    return started & ~ceased


class _Years:
    """The rows of the years being computed, as they are counted."""

    def __init__(self, years: Sequence[int], populations: dict[int, dict[str, int]], labels, now):
        self.years = list(years)
        self.populations = populations
        self.municipalities = len(labels[MUNICIPALITY])
        self.labels = labels
        self.now = now
        self.rows: list[Figure] = []

    def _population(self, definition: figures.FigureDefinition, dimension: str, key: str, year: int) -> int | None:
        if not definition.per_1000:
            return None
        known = self.populations.get(year, {})
        if dimension == TOTAL:
            # The county's population only when every municipality's is known for the year.
            return sum(known.values()) if len(known) == self.municipalities else None
        if dimension == MUNICIPALITY:
            return known.get(key)
        return None

    def add(self, code: str, dimension: str, key: str, label: str, year: int, value: int) -> None:
        definition = figures.FIGURES[code]
        shown, hidden = figures.suppress(value, person_based=definition.person_based)
        self.rows.append(
            Figure(
                figure=code,
                dimension=dimension,
                key=key,
                label=str(label)[:200],
                year=year,
                value=shown,
                suppressed=hidden,
                population=self._population(definition, dimension, key, year),
                computed_at=self.now,
            )
        )

    def total(self, code: str, counted: dict[int, Counter] | dict[int, int]) -> None:
        """The county's row of every year; `counted` is {year: Counter} (summed) or {year: int}."""
        for year in self.years:
            value = counted.get(year, 0)
            total = sum(value.values()) if isinstance(value, Counter) else value
            self.add(code, TOTAL, COUNTY_CODE, str(figures.DIMENSIONS[TOTAL]), year, int(total))

    def grouped(self, code: str, dimension: str, counted: dict[int, Counter]) -> None:
        """One row per key the dimension has and year (zero where nothing was counted)."""
        for year in self.years:
            found = counted.get(year, Counter())
            for key, label in self.labels[dimension].items():
                self.add(code, dimension, key, label, year, int(found.get(key, 0)))


def _spans(queryset: QuerySet, key: str, **extra) -> list[dict]:
    """The groups of `queryset` (annotated with start, end and born) by first and last year and key."""
    return list(queryset.values("start", "end", "born", key).annotate(n=Count("id"), **extra).order_by())


def _alive(groups: list[dict], key: str, years: Sequence[int], weight: str = "n") -> dict[int, Counter]:
    return tally.alive(((g["start"], g["end"], g[key], g[weight] or 0) for g in groups), years)


def _born(groups: list[dict], key: str, years: Sequence[int], weight: str = "n") -> dict[int, Counter]:
    return tally.dated(((g["born"], g[key], g[weight] or 0) for g in groups), years)


def _ended(groups: list[dict], key: str, years: Sequence[int]) -> dict[int, Counter]:
    return tally.dated(((g["end"], g[key], g["n"]) for g in groups), years)


def _organisations(year_rows: _Years) -> None:
    Organisation = apps.get_model("registry", "Organisation")
    years = year_rows.years
    born = Coalesce(ExtractYear("registered_on"), F("founded_year"), output_field=IntegerField())
    organisations = Organisation.objects.filter(listing="listed").annotate(
        born=born,
        start=Coalesce(born, ExtractYear("created_at"), output_field=IntegerField()),
        end=Case(
            When(status="deregistered", then=ExtractYear("status_date")), default=None, output_field=IntegerField()
        ),
    )
    official = ~Q(registered_source="") | ~Q(status_source="")
    by_municipality = _spans(
        organisations,
        "municipality__code",
        official=Count("id", filter=official),
        social=Count("id", filter=Q(social_enterprise=True)),
        members=Sum("member_count"),
        reporting=Count("member_count"),
    )
    flags = list(organisations.values("start", "end", "born", *figures.FLAGS).annotate(n=Count("id")).order_by())
    for group in flags:
        group["all"] = COUNTY_CODE
    municipality = "municipality__code"
    year_rows.total("organisations", _alive(flags, "all", years))
    year_rows.grouped("organisations", MUNICIPALITY, _alive(by_municipality, municipality, years))
    for dimension, field in (
        (LEGAL_FORM, "legal_form__code"),
        (SECTOR, "sector"),
        (ACTIVITY_CLASS, "activity_classes__code"),
        (ROLE, "roles__code"),
    ):
        groups = _spans(organisations, field)
        year_rows.grouped("organisations", dimension, _alive(groups, field, years))
        if dimension in (LEGAL_FORM, SECTOR):
            year_rows.grouped("founded", dimension, _born(groups, field, years))
            year_rows.grouped("ceased", dimension, _ended(groups, field, years))
    for name, label in figures.FLAGS.items():
        flagged = _alive([g for g in flags if g[name]], "all", years)
        for year in years:
            year_rows.add("organisations", FLAG, name, str(label), year, flagged[year][COUNTY_CODE])
    for code, weight in (
        ("in-official-registers", "official"),
        ("members", "members"),
        ("members-reported", "reporting"),
    ):
        counted = _alive(by_municipality, municipality, years, weight)
        year_rows.total(code, counted)
        year_rows.grouped(code, MUNICIPALITY, counted)
    for code, counted in (
        ("founded", _born(by_municipality, municipality, years)),
        ("ceased", _ended(by_municipality, municipality, years)),
        ("new-social-enterprises", _born(by_municipality, municipality, years, "social")),
    ):
        year_rows.total(code, counted)
        year_rows.grouped(code, MUNICIPALITY, counted)


def _network_memberships(year_rows: _Years) -> None:
    NetworkMembership = apps.get_model("meetings", "NetworkMembership")
    groups = list(
        NetworkMembership.objects.filter(status__in=["active", "ended"])
        .annotate(
            start=Coalesce(ExtractYear("joined_on"), ExtractYear("created_at"), output_field=IntegerField()),
            # An ended membership without a date ended when it was last changed.
            end=Case(
                When(
                    status="ended",
                    then=Coalesce(ExtractYear("ended_on"), ExtractYear("updated_at"), output_field=IntegerField()),
                ),
                default=ExtractYear("ended_on"),
                output_field=IntegerField(),
            ),
        )
        .values("start", "end", "organisation__municipality__code")
        .annotate(n=Count("id"))
        .order_by()
    )
    counted = tally.alive(
        ((g["start"], g["end"], g["organisation__municipality__code"], g["n"]) for g in groups), year_rows.years
    )
    year_rows.total("network-memberships", counted)
    year_rows.grouped("network-memberships", MUNICIPALITY, counted)


def _dated(queryset: QuerySet, date_field: str, key: str, years: Sequence[int], **aggregates) -> list[dict]:
    return list(
        queryset.filter(**{f"{date_field}__year__gte": years[0], f"{date_field}__year__lte": years[-1]})
        .annotate(year=ExtractYear(date_field))
        .values("year", key)
        .annotate(n=Count("id"), **aggregates)
        .order_by()
    )


def _count(groups: list[dict], key: str, years: Sequence[int], weight: str = "n") -> dict[int, Counter]:
    return tally.dated(((g["year"], g[key], g[weight] or 0) for g in groups), years)


def _meetings(year_rows: _Years) -> None:
    Event = apps.get_model("meetings", "Event")
    Registration = apps.get_model("meetings", "Registration")
    EventOutput = apps.get_model("meetings", "EventOutput")
    years = year_rows.years
    events = _count(_dated(Event.objects.all(), "starts_at", "municipality__code", years), "municipality__code", years)
    year_rows.total("events", events)
    year_rows.grouped("events", MUNICIPALITY, events)
    confirmed = Registration.objects.filter(status="confirmed")
    where = _dated(confirmed, "event__starts_at", "event__municipality__code", years)
    participants = _count(where, "event__municipality__code", years)
    year_rows.total("participants", participants)
    year_rows.grouped("participants", MUNICIPALITY, participants)
    by_sector = _dated(
        confirmed.annotate(
            sector=Coalesce("organisation__sector", Value(figures.NO_ORGANISATION), output_field=CharField())
        ),
        "event__starts_at",
        "sector",
        years,
    )
    year_rows.grouped("participants", SECTOR, _count(by_sector, "sector", years))
    outputs = EventOutput.objects.filter(kind="collaboration")
    collaborations = _count(
        _dated(outputs, "event__starts_at", "event__municipality__code", years), "event__municipality__code", years
    )
    year_rows.total("new-collaborations", collaborations)
    year_rows.grouped("new-collaborations", MUNICIPALITY, collaborations)


def _initiatives(year_rows: _Years) -> None:
    Initiative = apps.get_model("plan", "Initiative")
    years = year_rows.years
    initiatives = list(
        Initiative.objects.exclude(status__kind="cancelled")
        .annotate(
            start=ExtractYear("start_date"),
            last=ExtractYear("end_date"),
            lead_code=Coalesce("lead_municipality__code", "lead_organisation__municipality__code"),
            lead_sector=Case(
                When(lead_organisation__isnull=False, then=F("lead_organisation__sector")),
                When(lead_municipality__isnull=False, then=Value("public")),
                default=None,
                output_field=CharField(),
            ),
        )
        .values_list("id", "start", "last", "lead_code", "lead_sector")
    )
    Partners = Initiative.partner_organisations.through
    partner_sectors: dict[int, set[str]] = {}
    for initiative_id, sector in Partners.objects.values_list("initiative_id", "organisation__sector"):
        partner_sectors.setdefault(initiative_id, set()).add(sector)
    spans = []
    for pk, start, last, lead_code, lead_sector in initiatives:
        end = None if last is None else last + 1  # ongoing in its last year too
        across = tally.cross_sector([lead_sector, *partner_sectors.get(pk, ())])
        spans.append((start, end, lead_code, lead_sector, across))
    by_lead = tally.alive(((s, e, code, 1) for s, e, code, _sector, _x in spans), years)
    ongoing = tally.alive(((s, e, COUNTY_CODE, 1) for s, e, _code, _sector, _x in spans), years)
    year_rows.total("initiatives", ongoing)
    year_rows.grouped("initiatives", MUNICIPALITY, by_lead)
    year_rows.grouped("initiatives", SECTOR, tally.alive(((s, e, sector, 1) for s, e, _c, sector, _x in spans), years))
    across = [(s, e, code) for s, e, code, _sector, x in spans if x]
    year_rows.total("cross-sector-initiatives", tally.alive(((s, e, COUNTY_CODE, 1) for s, e, _c in across), years))
    year_rows.grouped(
        "cross-sector-initiatives", MUNICIPALITY, tally.alive(((s, e, c, 1) for s, e, c in across), years)
    )


def _grants(year_rows: _Years) -> None:
    GrantDecision = apps.get_model("funding", "GrantDecision")
    years = year_rows.years
    for dimension, key in ((MUNICIPALITY, "recipient_municipality__code"), (LEGAL_FORM, "recipient_legal_form__code")):
        groups = _dated(GrantDecision.objects.all(), "decision_date", key, years, amount=Sum("amount_granted"))
        for group in groups:
            group["amount"] = round(group["amount"] or 0)
        counted, amounts = _count(groups, key, years), _count(groups, key, years, "amount")
        if dimension == MUNICIPALITY:
            year_rows.total("grants", counted)
            year_rows.total("grants-amount", amounts)
        year_rows.grouped("grants", dimension, counted)
        year_rows.grouped("grants-amount", dimension, amounts)


def _labels() -> dict[str, dict[str, str]]:
    Organisation = apps.get_model("registry", "Organisation")
    sectors = {str(value): str(label) for value, label in Organisation.Sector.choices}
    return {
        MUNICIPALITY: dict(Municipality.objects.values_list("code", "name")),
        LEGAL_FORM: {f.code: f.name_sv for f in LegalForm.objects.all()},
        ACTIVITY_CLASS: {a.code: a.name_sv for a in ActivityClass.objects.all()},
        ROLE: {r.code: r.name_sv for r in SocietalRole.objects.all()},
        SECTOR: sectors | {figures.NO_ORGANISATION: _("Utan organisation")},
    }


def years_due(*, today: datetime.date | None = None) -> list[int]:
    """The years a scheduled run computes: every year since FIRST_YEAR not stored yet, and the
    current and the previous year (late registrations still land there). Older years are kept."""
    today = today or timezone.localdate()
    stored = set(Figure.objects.order_by().values_list("year", flat=True).distinct())
    return [y for y in range(FIRST_YEAR, today.year + 1) if y not in stored or y >= today.year - 1]


def statistics_compute(*, actor=None, years: Iterable[int] | None = None) -> int:
    """Compute and store the figures of the given years (default: years_due()), the years replaced
    as a whole in one transaction. Returns how many rows were written. actor None is the job;
    otherwise the actor needs can_compute_statistics."""
    if actor is not None and not permissions.can_compute_statistics(actor):
        raise PermissionDenied(_("Du får inte beräkna statistiken."))
    today = timezone.localdate()
    chosen = sorted(set(years)) if years is not None else years_due(today=today)
    bad = [y for y in chosen if not FIRST_YEAR <= y <= today.year]
    if bad:
        raise ValueError(
            _("Statistik kan bara beräknas för åren %(first)s–%(last)s.") % {"first": FIRST_YEAR, "last": today.year}
        )
    if not chosen:
        return 0
    with transaction.atomic():
        populations: dict[int, dict[str, int]] = {}
        for year, code, population in Population.objects.filter(year__in=chosen).values_list(
            "year", "municipality__code", "population"
        ):
            populations.setdefault(year, {})[code] = population
        year_rows = _Years(chosen, populations, _labels(), timezone.now())
        _organisations(year_rows)
        _network_memberships(year_rows)
        _meetings(year_rows)
        _initiatives(year_rows)
        _grants(year_rows)
        Figure.objects.filter(year__in=chosen).delete()
        Figure.objects.bulk_create(year_rows.rows, batch_size=5000)
    return len(year_rows.rows)
