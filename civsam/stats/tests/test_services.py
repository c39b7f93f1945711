"""The yearly figures: what counts in which year, the population they divide by, and the indicator."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db.models import Q
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


@pytest.fixture
def world(make_org):
    """Three organisations, a network, three initiatives, an event and two grants (the table below)."""
    import random

    from civsam.core.models import LegalForm, SocietalRole
    from civsam.funding.models import Funder, GrantDecision
    from civsam.funding.services import funding_sources_load_reference
    from civsam.meetings.models import Event, EventOutput, Network, NetworkMembership, Registration
    from civsam.plan.models import Initiative, InitiativeStatus

    role = SocietalRole.objects.order_by("sort_order").first()
    p = make_org(name="P", member_count=120, social_enterprise=True, social_enterprise_source="test")
    p.roles.set([role])
    q = make_org(name="Q", municipality="1881", sector="social_economy")
    r = make_org(name="R", sector="public", member_count=30, founded_year=2019)
    Organisation.objects.filter(pk=p.pk).update(registered_on=D(2020, 4, 1), sector="civil_society")
    Organisation.objects.filter(pk=q.pk).update(registered_on=D(2021, 4, 1), sector="social_economy")
    Organisation.objects.filter(pk=r.pk).update(status="deregistered", status_date=D(2022, 5, 1), sector="public")
    p.refresh_from_db()
    network = Network.objects.create(name="Nätverket", slug="natverket", kind="thematic", organisation=p)
    NetworkMembership.objects.create(network=network, organisation=q, status="active", joined_on=D(2021, 3, 1))
    NetworkMembership.objects.create(
        network=network, organisation=r, status="ended", joined_on=D(2020, 1, 1), ended_on=D(2022, 6, 1)
    )
    going = InitiativeStatus.objects.exclude(kind="cancelled").first()
    cancelled = InitiativeStatus.objects.get(kind="cancelled")
    orebro = Municipality.objects.get(code="1880")
    i1 = Initiative.objects.create(title="I1", start_date=D(2021, 1, 1), status=going, lead_municipality=orebro)
    i1.partner_organisations.set([q])
    Initiative.objects.create(
        title="I2", start_date=D(2020, 1, 1), end_date=D(2021, 6, 30), status=going, lead_organisation=p
    )
    Initiative.objects.create(title="I3", start_date=D(2020, 1, 1), status=cancelled, lead_organisation=q)
    start = timezone.make_aware(datetime.datetime(2022, 5, 2, 18))
    event = Event.objects.create(
        title="Möte", municipality=Municipality.objects.get(code="1881"), starts_at=start, ends_at=start
    )
    EventOutput.objects.create(event=event, kind="collaboration", title="Ny samverkan")
    for n in range(8):
        code = f"w{n}{random.randint(0, 10**6)}"
        Registration.objects.create(
            event=event,
            name=code,
            email=f"{code}@example.se",
            status="confirmed",
            code=code[:12],
            cancel_token=code,
            organisation=p if n < 6 else None,
        )
    funding_sources_load_reference()
    funder = Funder.objects.get(municipality=orebro)
    for n, amount in enumerate((Decimal("10000.60"), Decimal("20000"))):
        GrantDecision.objects.create(
            funder=funder,
            recipient=p,
            recipient_municipality=orebro,
            recipient_legal_form=LegalForm.objects.get(code="61"),
            amount_granted=amount,
            year_from=2022,
            year_to=2022,
            decision_date=D(2022, 3, 1),
            case_number=f"KS {n}",
        )
    return {"role": role.code}


# (figure, dimension, key, {year: expected}) for the world above; ROLE stands for the first role's code.
OTHER_DIMENSIONS = (
    ("organisations", "role", "ROLE", {2019: 0, 2020: 1, 2023: 1}),
    ("organisations", "sector", "civil_society", {2019: 0, 2020: 1, 2023: 1}),
    ("organisations", "sector", "public", {2019: 1, 2021: 1, 2022: 0}),
    ("founded", "sector", "social_economy", {2020: 0, 2021: 1, 2022: 0}),
    ("ceased", "sector", "public", {2021: 0, 2022: 1}),
    ("members", "total", "18", {2019: 30, 2020: 150, 2022: 120}),
    ("members-reported", "municipality", "1880", {2019: 1, 2020: 2, 2022: 1}),
    ("new-social-enterprises", "total", "18", {2019: 0, 2020: 1, 2021: 0}),
    ("network-memberships", "total", "18", {2019: 0, 2020: 1, 2021: 2, 2022: 1}),
    ("network-memberships", "municipality", "1881", {2020: 0, 2021: 1, 2022: 1}),
    ("initiatives", "total", "18", {2019: 0, 2020: 1, 2021: 2, 2022: 1}),
    ("initiatives", "sector", "public", {2020: 0, 2021: 1}),
    ("initiatives", "sector", "civil_society", {2020: 1, 2021: 1, 2022: 0}),
    ("cross-sector-initiatives", "municipality", "1880", {2020: 0, 2021: 1, 2023: 1}),
    ("events", "municipality", "1881", {2021: 0, 2022: 1}),
    ("new-collaborations", "total", "18", {2021: 0, 2022: 1}),
    ("participants", "sector", "civil_society", {2022: 6}),
    ("participants", "sector", "none", {2022: None}),  # two people: hidden
    ("grants", "municipality", "1880", {2021: 0, 2022: 2}),
    ("grants-amount", "total", "18", {2022: 30001}),  # whole kronor
    ("grants-amount", "legal_form", "61", {2022: 30001, 2023: 0}),
)


@pytest.mark.django_db
def test_the_other_dimensions(world):
    """One computation, the whole table checked (each row names itself when it fails)."""
    services.statistics_compute(years=range(2019, 2024))
    for figure, dimension, key, by_year in OTHER_DIMENSIONS:
        key = world["role"] if key == "ROLE" else key
        for year, expected in by_year.items():
            assert _value(figure, year, dimension, key) == expected, (figure, dimension, key, year)


@pytest.mark.django_db
def test_every_year_at_once_counts_what_each_years_filter_finds(make_org):
    """The job's one pass against the definition written as one filter per year (existing_q)."""
    import random

    from civsam.stats.services.snapshots import existing_q

    rng = random.Random(16)
    for n in range(40):
        made = make_org(
            name=f"S{n}",
            municipality=rng.choice(["1880", "1881", "1814"]),
            founded_year=rng.choice([None, 2015, 2019, 2021]),
        )
        dates = {}
        if rng.random() < 0.6:
            dates["registered_on"] = D(rng.randint(2016, 2024), rng.randint(1, 12), 1)
        if rng.random() < 0.3:
            dates.update(status="deregistered", status_date=D(rng.randint(2018, 2024), rng.randint(1, 12), 28))
        if rng.random() < 0.2:
            dates["created_at"] = timezone.make_aware(datetime.datetime(rng.randint(2018, 2024), 12, 31, 23, 30))
        Organisation.objects.filter(pk=made.pk).update(**dates)
    services.statistics_compute(years=YEARS)
    for year in YEARS:
        expected = Organisation.objects.filter(existing_q(year))
        assert _value("organisations", year) == expected.count()
        assert (
            _value("organisations", year, "municipality", "1881") == expected.filter(municipality__code="1881").count()
        )
        founded = Organisation.objects.filter(
            Q(registered_on__year=year) | Q(registered_on__isnull=True, founded_year=year)
        )
        assert _value("founded", year) == founded.count()


@pytest.mark.django_db
def test_organisations_per_1000_counts_that_years_organisations_against_that_years_population(register):
    """The plan's indicator: 2022 had four organisations, 2023 three (D was deregistered in 2023);
    each year is divided by its own population, never another year's."""
    codes = list(Municipality.objects.values_list("code", flat=True))
    populations = {2022: 1_200, 2023: 2_400}  # small, so that another year's would show
    for year, total in populations.items():
        per = total // len(codes)
        values = dict.fromkeys(codes, per)
        values[codes[0]] += total - per * len(codes)
        services.population_set(year=year, values=values, source="SCB test")
    services.statistics_compute(years=[2022, 2023])
    indicator = computations.get("organisations-per-1000")
    for year, organisations in ((2022, 4), (2023, 3)):
        expected = (Decimal(organisations) * 1000 / populations[year]).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        assert indicator.run(year).value == expected, year
