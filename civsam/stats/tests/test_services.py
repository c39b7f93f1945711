"""The yearly figures: what counts in which year, the population they divide by, and the indicator."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.utils import timezone

from civsam.core.models import Municipality
from civsam.plan import computations
from civsam.registry.models import Organisation
from civsam.stats import services
from civsam.stats.models import Figure, Population

D = datetime.date
YEARS = range(2019, 2025)


@pytest.fixture
def register(make_org):
    """Five organisations with official dates (the table in the test below)."""

    def org(name, municipality="1880", **dates):
        made = make_org(name=name, municipality=municipality, founded_year=dates.pop("founded_year", None))
        Organisation.objects.filter(pk=made.pk).update(**dates)
        return made

    org("A", registered_on=D(2020, 5, 1), registered_source="SCB, företagsregistret 2026-12-01")
    org("B", founded_year=2022)
    org("C")  # no date at all: counted from the day it was entered into Civsam (today)
    org(
        "D",
        registered_on=D(2019, 1, 1),
        status="deregistered",
        status_date=D(2023, 6, 30),
        status_source="Bolagsverket",
    )
    org("E", municipality="1881", registered_on=D(2021, 3, 1), status="winding_up", status_date=D(2024, 2, 1))
    return org


def _value(figure, year, dimension="total", key="18"):
    return Figure.objects.get(figure=figure, dimension=dimension, key=key, year=year).value


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("year", "organisations", "founded", "ceased", "orebro", "kumla", "official"),
    [
        (2019, 1, 1, 0, 1, 0, 1),
        (2020, 2, 1, 0, 2, 0, 2),
        (2021, 3, 1, 0, 2, 1, 2),
        (2022, 4, 1, 0, 3, 1, 2),
        (2023, 3, 0, 1, 2, 1, 1),
        (2024, 3, 0, 0, 2, 1, 1),
    ],
)
def test_what_counts_in_a_year(register, year, organisations, founded, ceased, orebro, kumla, official):
    services.statistics_compute(years=YEARS)
    assert _value("organisations", year) == organisations
    assert _value("founded", year) == founded
    assert _value("ceased", year) == ceased
    assert _value("organisations", year, "municipality", "1880") == orebro
    assert _value("organisations", year, "municipality", "1881") == kumla
    assert _value("organisations", year, "municipality", "1814") == 0  # every municipality has a row
    assert _value("in-official-registers", year) == official
    assert _value("organisations", year, "legal_form", "61") == organisations


@pytest.mark.django_db
def test_the_population_is_that_years_and_the_indicator_reads_the_figures(register):
    services.population_load_reference()  # 2023 from the reference data
    orebro_2023 = Municipality.objects.get(code="1880").population
    assert Population.objects.filter(year=2023).count() == 12
    services.population_set(year=2024, values={"1880": 160_000}, source="SCB test")
    services.statistics_compute(years=[2023, 2024])
    county_2023 = Figure.objects.get(figure="organisations", dimension="total", year=2023)
    assert county_2023.population == 308_116
    assert Figure.objects.get(figure="organisations", dimension="municipality", key="1880", year=2023).population == (
        orebro_2023
    )
    # 2024 has only Örebro's population: the county's per 1,000 is not made up from part of it.
    assert Figure.objects.get(figure="organisations", dimension="total", year=2024).population is None
    assert Figure.objects.get(figure="organisations", dimension="municipality", key="1880", year=2024).population == (
        160_000
    )
    indicator = computations.get("organisations-per-1000")
    assert not indicator.placeholder
    result = indicator.run(2023)
    assert result.value == (Decimal(3) * 1000 / 308_116).quantize(Decimal("0.01"))
    assert "3 organisationer" in result.source
    assert indicator.run(2024).value is None and "Folkmängden" in indicator.run(2024).reason
    assert indicator.run(2019).value is None and "inte beräknad" in indicator.run(2019).reason


@pytest.mark.django_db
def test_participants_under_five_are_hidden_and_events_counted(reference_data, make_org):
    from civsam.meetings.models import Event, Registration

    orebro = Municipality.objects.get(code="1880")
    start = timezone.make_aware(datetime.datetime(2024, 5, 2, 18))
    big = Event.objects.create(
        title="Stort", municipality=orebro, starts_at=start, ends_at=start + datetime.timedelta(hours=2)
    )
    small = Event.objects.create(
        title="Litet",
        municipality=Municipality.objects.get(code="1881"),
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
    )

    def register(event, n, status="confirmed"):
        code = f"{event.pk}-{n}"
        Registration.objects.create(
            event=event, name=code, email=f"{code}@example.se", status=status, code=code, cancel_token=code
        )

    for n in range(6):
        register(big, n)
    for n in range(2):
        register(small, n)
    register(small, 9, status="cancelled")
    services.statistics_compute(years=[2024])
    assert _value("events", 2024) == 2
    assert _value("participants", 2024) == 8
    assert _value("participants", 2024, "municipality", "1880") == 6
    kumla = Figure.objects.get(figure="participants", dimension="municipality", key="1881", year=2024)
    assert (kumla.value, kumla.suppressed) == (None, True)
    assert _value("participants", 2024, "municipality", "1814") == 0


@pytest.mark.django_db
def test_a_year_once_computed_is_kept_and_the_recent_ones_recomputed(register):
    today = timezone.localdate()
    services.statistics_compute(years=[2020])
    assert services.years_due(today=today) == [
        y for y in range(services.FIRST_YEAR, today.year + 1) if y != 2020 or y >= today.year - 1
    ]
    before = Figure.objects.get(figure="organisations", dimension="total", year=2020)
    services.statistics_compute()
    assert Figure.objects.get(figure="organisations", dimension="total", year=2020).computed_at == before.computed_at
    assert Figure.objects.filter(year=today.year).exists()


@pytest.mark.django_db
def test_bad_years_and_the_wrong_people_are_refused(users):
    with pytest.raises(ValueError, match="2018"):
        services.statistics_compute(years=[2017])
    for who in ("officer", "rep", "plain", "reviewer"):
        with pytest.raises(PermissionDenied):
            services.statistics_compute(actor=users[who], years=[2024])
    assert not Figure.objects.exists()
    assert services.statistics_compute(actor=users["admin"], years=[2024]) > 0


@pytest.mark.django_db
def test_the_job_command(register, capsys):
    call_command("compute_statistics", "--year", "2022")
    assert "2022" in capsys.readouterr().out
    assert _value("organisations", 2022) == 4
