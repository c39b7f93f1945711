"""Every write of the statistics: the yearly figures (a job) and the population they divide by."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from civsam.core.models import ActivityClass, LegalForm, Municipality

from . import figures, permissions
from .figures import ACTIVITY_CLASS, FLAG, LEGAL_FORM, MUNICIPALITY, TOTAL
from .models import Figure, Population

# The first plan (2018) is where the county's follow-up begins.
FIRST_YEAR = 2018
COUNTY_CODE = "18"


def population_load_reference() -> int:
    """Each municipality's population from the reference data (core.Municipality, Statistics Sweden)
    as that year's figure, where the date is a 31 December. Kept as loaded: a later load of another
    year adds that year. Returns how many rows were created or changed."""
    changed = 0
    for municipality in Municipality.objects.all():
        date = municipality.population_date
        if (date.month, date.day) != (12, 31):
            continue
        _row, created = Population.objects.update_or_create(
            municipality=municipality,
            year=date.year,
            defaults={"population": municipality.population, "source": municipality.population_source[:300]},
        )
        changed += 1 if created else 0
    return changed


def population_set(*, year: int, values: dict[str, int], source: str) -> int:
    """Store one year's population per municipality code (an import of Statistics Sweden's table).
    Unknown codes are refused as a whole, in Swedish."""
    by_code = {m.code: m for m in Municipality.objects.all()}
    unknown = sorted(set(values) - set(by_code))
    if unknown:
        raise ValueError(_("Okända kommunkoder: %(codes)s.") % {"codes": ", ".join(unknown)})
    with transaction.atomic():
        for code, population in values.items():
            Population.objects.update_or_create(
                municipality=by_code[code], year=year, defaults={"population": population, "source": source[:300]}
            )
    return len(values)


def _year_end(year: int) -> datetime.date:
    return datetime.date(year, 12, 31)


def _existing_q(year: int) -> Q:
    """Organisations that existed at the end of the year (figures.FIGURES["organisations"])."""
    end = _year_end(year)
    end_moment = timezone.make_aware(datetime.datetime(year + 1, 1, 1))
    started = (
        Q(registered_on__lte=end)
        | Q(registered_on__isnull=True, founded_year__lte=year)
        | Q(registered_on__isnull=True, founded_year__isnull=True, created_at__lt=end_moment)
    )
    ceased = Q(status="deregistered", status_date__lte=end)
    return started & ~ceased


def _founded_q(year: int) -> Q:
    return Q(registered_on__year=year) | Q(registered_on__isnull=True, founded_year=year)


def _ceased_q(year: int) -> Q:
    return Q(status="deregistered", status_date__year=year)


class _Year:
    """The rows of one year, as they are counted."""

    def __init__(self, year: int, populations: dict[str, int], now: datetime.datetime, *, municipalities: int):
        self.year = year
        self.populations = populations
        # The county's population only when every municipality's is known for the year.
        self.county_population = sum(populations.values()) if len(populations) == municipalities else None
        self.now = now
        self.rows: list[Figure] = []

    def add(self, code: str, dimension: str, key: str, label: str, value: int) -> None:
        definition = figures.FIGURES[code]
        shown, hidden = figures.suppress(value, person_based=definition.person_based)
        population = None
        if definition.per_1000 and dimension == TOTAL:
            population = self.county_population
        elif definition.per_1000 and dimension == MUNICIPALITY:
            population = self.populations.get(key)
        self.rows.append(
            Figure(
                figure=code,
                dimension=dimension,
                key=key,
                label=str(label)[:200],
                year=self.year,
                value=shown,
                suppressed=hidden,
                population=population,
                computed_at=self.now,
            )
        )

    def grouped(self, code: str, dimension: str, counts: Iterable[tuple[str | None, int]], labels: dict) -> None:
        """One row per key the dimension has (zero where nothing was counted)."""
        found = {key: value for key, value in counts if key is not None}
        for key, label in labels.items():
            self.add(code, dimension, key, label, found.get(key, 0))


def _counts(queryset: QuerySet, field: str) -> list[tuple[str | None, int]]:
    return [(row[field], row["n"]) for row in queryset.values(field).annotate(n=Count("id", distinct=True)).order_by()]


def _organisation_figures(year: _Year, labels: dict[str, dict[str, str]]) -> None:
    Organisation = apps.get_model("registry", "Organisation")
    y = year.year
    existing = Organisation.objects.filter(_existing_q(y))
    flag_counts = existing.aggregate(
        total=Count("id"), **{name: Count("id", filter=Q(**{name: True})) for name in figures.FLAGS}
    )
    year.add("organisations", TOTAL, COUNTY_CODE, str(figures.DIMENSIONS[TOTAL]), flag_counts["total"])
    year.grouped("organisations", MUNICIPALITY, _counts(existing, "municipality__code"), labels[MUNICIPALITY])
    year.grouped("organisations", LEGAL_FORM, _counts(existing, "legal_form__code"), labels[LEGAL_FORM])
    year.grouped("organisations", ACTIVITY_CLASS, _counts(existing, "activity_classes__code"), labels[ACTIVITY_CLASS])
    for name, label in figures.FLAGS.items():
        year.add("organisations", FLAG, name, str(label), flag_counts[name])
    official = existing.filter(~Q(registered_source="") | ~Q(status_source=""))
    year.add("in-official-registers", TOTAL, COUNTY_CODE, str(figures.DIMENSIONS[TOTAL]), official.count())
    year.grouped("in-official-registers", MUNICIPALITY, _counts(official, "municipality__code"), labels[MUNICIPALITY])
    for code, condition in (("founded", _founded_q(y)), ("ceased", _ceased_q(y))):
        chosen = Organisation.objects.filter(condition)
        year.add(code, TOTAL, COUNTY_CODE, str(figures.DIMENSIONS[TOTAL]), chosen.count())
        year.grouped(code, MUNICIPALITY, _counts(chosen, "municipality__code"), labels[MUNICIPALITY])
        year.grouped(code, LEGAL_FORM, _counts(chosen, "legal_form__code"), labels[LEGAL_FORM])


def _event_figures(year: _Year, labels: dict[str, dict[str, str]]) -> None:
    Event = apps.get_model("meetings", "Event")
    Registration = apps.get_model("meetings", "Registration")
    events = Event.objects.filter(starts_at__year=year.year)
    year.add("events", TOTAL, COUNTY_CODE, str(figures.DIMENSIONS[TOTAL]), events.count())
    year.grouped("events", MUNICIPALITY, _counts(events, "municipality__code"), labels[MUNICIPALITY])
    confirmed = Registration.objects.filter(event__starts_at__year=year.year, status="confirmed")
    year.add("participants", TOTAL, COUNTY_CODE, str(figures.DIMENSIONS[TOTAL]), confirmed.count())
    year.grouped(
        "participants",
        MUNICIPALITY,
        [
            (row["event__municipality__code"], row["n"])
            for row in confirmed.values("event__municipality__code").annotate(n=Count("id")).order_by()
        ],
        labels[MUNICIPALITY],
    )


def _initiative_figures(year: _Year, labels: dict[str, dict[str, str]]) -> None:
    Initiative = apps.get_model("plan", "Initiative")
    y = year.year
    ongoing = (
        Initiative.objects.filter(start_date__year__lte=y)
        .filter(Q(end_date__isnull=True) | Q(end_date__year__gte=y))
        .exclude(status__kind="cancelled")
    )
    year.add("initiatives", TOTAL, COUNTY_CODE, str(figures.DIMENSIONS[TOTAL]), ongoing.count())
    by_lead = ongoing.annotate(lead_code=Coalesce("lead_municipality__code", "lead_organisation__municipality__code"))
    year.grouped("initiatives", MUNICIPALITY, _counts(by_lead, "lead_code"), labels[MUNICIPALITY])


def _labels() -> dict[str, dict[str, str]]:
    return {
        MUNICIPALITY: dict(Municipality.objects.values_list("code", "name")),
        LEGAL_FORM: {f.code: f.name_sv for f in LegalForm.objects.all()},
        ACTIVITY_CLASS: {a.code: a.name_sv for a in ActivityClass.objects.all()},
    }


def years_due(*, today: datetime.date | None = None) -> list[int]:
    """The years a scheduled run computes: every year since FIRST_YEAR not stored yet, and the
    current and the previous year (late registrations still land there). Older years are kept."""
    today = today or timezone.localdate()
    stored = set(Figure.objects.order_by().values_list("year", flat=True).distinct())
    return [y for y in range(FIRST_YEAR, today.year + 1) if y not in stored or y >= today.year - 1]


def statistics_compute(*, actor=None, years: Iterable[int] | None = None) -> int:
    """Compute and store the figures of the given years (default: years_due()), each year replaced
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
    now = timezone.now()
    written = 0
    with transaction.atomic():
        labels = _labels()
        for y in chosen:
            populations = dict(Population.objects.filter(year=y).values_list("municipality__code", "population"))
            year = _Year(y, populations, now, municipalities=len(labels[MUNICIPALITY]))
            _organisation_figures(year, labels)
            _event_figures(year, labels)
            _initiative_figures(year, labels)
            Figure.objects.filter(year=y).delete()
            Figure.objects.bulk_create(year.rows, batch_size=2000)
            written += len(year.rows)
    return written
