"""The stored grant statistics, table-driven, and the plan's computed indicators over them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from civsam.core.models import ActivityClass, Municipality
from civsam.funding import statistics
from civsam.funding.models import GrantFigure
from civsam.funding.services import grant_figures_compute


@pytest.fixture
def register(funding, make_decision):
    own, other = funding["own_org"], funding["other_org"]
    own.activity_classes.set(ActivityClass.objects.filter(code__in=["1", "4"]))
    make_decision(
        funder=funding["orebro"], recipient=own, year_from=2024, amount_granted=Decimal("10000"), grant_form="operating"
    )
    make_decision(
        funder=funding["orebro"], recipient=own, year_from=2025, amount_granted=Decimal("20000"), grant_form="project"
    )
    make_decision(
        funder=funding["kumla"],
        recipient=other,
        year_from=2024,
        year_to=2025,
        amount_granted=Decimal("30000"),
        grant_form="operating",
    )
    make_decision(
        funder=funding["region"],
        recipient=other,
        year_from=2025,
        amount_granted=Decimal("5000"),
        amount_paid=Decimal("5000"),
        programme="Utvecklingsmedel för social innovation",
    )
    grant_figures_compute()
    return funding


def _figure(dimension, key, year, grant_form=""):
    return GrantFigure.objects.get(dimension=dimension, key=key, year=year, grant_form=grant_form)


# (dimension, key, year, form): (decisions, recipients, granted, paid, multi-year amount, previous, retained)
EXPECTED = {
    ("total", "all", 2024, ""): (2, 2, "25000", "0", "15000", 0, 0),
    ("total", "all", 2025, ""): (3, 2, "40000", "5000", "15000", 2, 2),
    ("total", "all", 2025, "project"): (2, 2, "25000", "5000", "0", 0, 0),
    ("total", "all", 2025, "operating"): (1, 1, "15000", "0", "15000", 0, 0),
    ("municipality", "1880", 2024, ""): (1, 1, "10000", "0", "0", 0, 0),
    ("municipality", "1880", 2025, ""): (1, 1, "20000", "0", "0", 1, 1),
    ("municipality", "1881", 2025, ""): (2, 1, "20000", "5000", "15000", 1, 1),
    ("funder", "kommun-1880", 2025, ""): (1, 1, "20000", "0", "0", 1, 1),
    ("funder", "region", 2025, ""): (1, 1, "5000", "5000", "0", 0, 0),
    ("programme", "Utvecklingsmedel för social innovation", 2025, ""): (1, 1, "5000", "5000", "0", 0, 0),
    ("legal_form", "61", 2025, ""): (3, 2, "40000", "5000", "15000", 2, 2),
    ("activity_class", "4", 2025, ""): (1, 1, "20000", "0", "0", 1, 1),
}


@pytest.mark.django_db
@pytest.mark.parametrize("key", list(EXPECTED))
def test_figures(register, key):
    figure = _figure(*key)
    decisions, recipients, granted, paid, multi, previous, retained = EXPECTED[key]
    assert (figure.decisions, figure.recipients) == (decisions, recipients)
    assert (figure.amount_granted, figure.amount_paid, figure.multi_year_amount) == (
        Decimal(granted),
        Decimal(paid),
        Decimal(multi),
    )
    assert (figure.recipients_previous, figure.recipients_retained) == (previous, retained)


@pytest.mark.django_db
def test_population_and_labels(register):
    orebro = Municipality.objects.get(code="1880")
    figure = _figure("municipality", "1880", 2025)
    assert (figure.population, figure.label) == (orebro.population, "Örebro")
    county = sum(Municipality.objects.filter(county_code="18").values_list("population", flat=True))
    assert _figure("total", "all", 2025).population == county
    assert _figure("funder", "kommun-1880", 2025).label == "Örebro kommun"


@pytest.mark.django_db
def test_recompute_replaces(register, make_decision):
    make_decision(funder=register["kumla"], recipient=register["other_org"], year_from=2026)
    grant_figures_compute()
    assert _figure("total", "all", 2026).recipients_previous == 2
    assert GrantFigure.objects.filter(dimension="total", year=2024, grant_form="").count() == 1


@pytest.mark.parametrize(
    "amount, population, expected",
    [
        (Decimal("1000"), 3, Decimal("333.33")),
        (Decimal("0"), 100, Decimal("0.00")),
        (Decimal("10"), None, None),
        (Decimal("10"), 0, None),
    ],
)
def test_per_inhabitant(amount, population, expected):
    assert statistics.per_inhabitant(amount, population) == expected


@pytest.mark.parametrize("part, whole, expected", [(1, 3, Decimal("33.3")), (2, 2, Decimal("100.0")), (1, 0, None)])
def test_share(part, whole, expected):
    assert statistics.share(part, whole) == expected


@pytest.mark.django_db
def test_computed_indicators_use_the_register(register):
    from civsam.plan import computations

    other = register["other_org"]
    other.social_enterprise = True
    other.save(update_fields=["social_enterprise"])
    social = computations.get("grants-to-social-enterprises").compute(2025)
    assert social.value == Decimal("20000")  # half of the two-year 30000, and 5000
    assert "bidragsregister" in social.source
    total = computations.get("grants-to-civil-society").compute(2025)
    assert total.value == Decimal("40000")
    empty = computations.get("grants-to-civil-society").compute(2030)
    assert empty.value is None and empty.reason


def test_the_placeholder_is_replaced():
    from civsam.funding.computations import grants_to_social_enterprises
    from civsam.plan import computations

    registered = computations.get("grants-to-social-enterprises")
    assert registered.compute is grants_to_social_enterprises
    assert not registered.placeholder
    assert "grants-to-civil-society" in dict(computations.computation_choices())


@pytest.mark.parametrize(
    "value, decimals, english, expected",
    [
        (Decimal("12500"), 0, False, "12\u00a0500"),
        (Decimal("12500.5"), 2, False, "12\u00a0500,50"),
        (Decimal("1234567.891"), 1, False, "1\u00a0234\u00a0567,9"),
        (Decimal("12500.5"), 2, True, "12,500.50"),
        (7, 0, False, "7"),
        (None, 0, False, "–"),
    ],
)
def test_number(value, decimals, english, expected):
    assert statistics.number(value, decimals, english=english) == expected


@pytest.mark.django_db
def test_the_statistics_page_is_rendered_once_per_computation(make_decision, settings):
    """The figures' tables and charts are cached per dimension, year and language until the job
    runs again; a new computation shows the new figures at once."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from civsam.funding import services

    cache.clear()
    make_decision(amount_granted=Decimal("12000"), year_from=2025)
    services.grant_figures_compute()
    client = Client()
    with CaptureQueriesContext(connection) as first:
        page = client.get("/finansiering/bidragsstatistik/?dimension=funder&year=2025")
    assert page.status_code == 200 and "12\u00a0000" in page.content.decode()
    with CaptureQueriesContext(connection) as second:
        again = client.get("/finansiering/bidragsstatistik/?dimension=funder&year=2025")

    def figures(response) -> str:  # the page less what differs per request (the CSP nonce)
        html = response.content.decode()
        return html[html.index("<h1>") : html.rindex("</table>")]

    assert figures(again) == figures(page)
    assert len(second) < len(first) and len(second) <= 3
    # Another dimension is its own entry; a query with other parameters is not cached at all.
    assert "12\u00a0000" in client.get("/finansiering/bidragsstatistik/?dimension=municipality").content.decode()
    assert client.get("/finansiering/bidragsstatistik/?dimension=nonsense").status_code == 200
    make_decision(amount_granted=Decimal("30000"), year_from=2025)
    services.grant_figures_compute()
    assert "42\u00a0000" in client.get("/finansiering/bidragsstatistik/?dimension=funder&year=2025").content.decode()
