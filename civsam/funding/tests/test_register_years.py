"""The register's year filter through the covered years (ADR 0142): whatever way a decision was
written (created, changed, imported, re-imported with other years), "grants covering year Y" in
every order is exactly what the decisions' own years say."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from civsam.funding import selectors, services
from civsam.funding.models import GrantDecision, GrantDecisionYear
from civsam.funding.services.grant_years import covered_years_rebuild

from .conftest import HEADER, csv_bytes

pytestmark = pytest.mark.django_db

YEARS = range(2018, 2026)


def _expected(year: int, sort: str) -> list[int]:
    """The register's page order, from the decisions' own columns."""
    covering = [d for d in GrantDecision.objects.all() if d.year_from <= year <= d.year_to]
    keys = {
        "": lambda d: (d.decision_date, d.pk),
        "date": lambda d: (d.decision_date, d.pk),
        "-amount": lambda d: (d.amount_granted, d.pk),
        "amount": lambda d: (d.amount_granted, d.pk),
    }
    return [d.pk for d in sorted(covering, key=keys[sort], reverse=sort in ("", "-amount"))]


def _register(year: int, sort: str) -> list[int]:
    filters = selectors.RegisterFilter(year=year, sort=sort)
    return list(selectors.decision_register(user=None, filters=filters).values_list("pk", flat=True))


def _check_every_year() -> None:
    for year in YEARS:
        for sort in ("", "date", "-amount", "amount"):
            assert _register(year, sort) == _expected(year, sort), (year, sort)


@pytest.mark.parametrize(
    ("year_from", "year_to", "covered"),
    [
        (2024, 2024, [2024]),  # one year
        (2023, 2025, [2023, 2024, 2025]),  # three years
        (2019, 2019, [2019]),
    ],
)
def test_a_created_decision_covers_its_years(make_decision, year_from, year_to, covered):
    decision = make_decision(year_from=year_from, year_to=year_to)
    rows = GrantDecisionYear.objects.filter(decision=decision).order_by("year")
    assert [r.year for r in rows] == covered
    assert {(r.decision_date, r.amount_granted) for r in rows} == {(decision.decision_date, decision.amount_granted)}


def test_a_changed_decision_moves_its_years(make_decision, funding):
    decision = make_decision(year_from=2023, year_to=2025)
    data = services.GrantDecisionData(
        funder=decision.funder,
        recipient=decision.recipient,
        case_number=decision.case_number,
        amount_granted=Decimal("5000"),
        year_from=2021,
        year_to=2021,
        decision_date=datetime.date(2020, 11, 2),
    )
    services.grant_decision_update(actor=None, decision=decision, data=data)
    rows = list(GrantDecisionYear.objects.filter(decision=decision).values_list("year", "amount_granted"))
    assert rows == [(2021, Decimal("5000"))]
    assert _register(2024, "") == [] and _register(2021, "") == [decision.pk]


def test_an_import_and_a_re_import_keep_the_years(funding):
    orgnr = funding["own_org"].orgnr
    name = funding["own_org"].name

    def load(years: str) -> None:
        rows = [
            HEADER,
            ["KS 2024/7", orgnr, name, "Föreningsbidrag", "projektbidrag", "", "9000", "", years, "2023-12-01", ""],
        ]
        summary = services.grant_decisions_import(
            actor=None, funder=funding["orebro"], file_name="beslut.csv", data=csv_bytes(rows), apply=True
        )
        assert summary.ok, summary.errors

    load("2024-2026")
    assert sorted(GrantDecisionYear.objects.values_list("year", flat=True)) == [2024, 2025, 2026]
    load("2024")
    assert list(GrantDecisionYear.objects.values_list("year", flat=True)) == [2024]
    decision = GrantDecision.objects.get()
    assert _register(2024, "") == [decision.pk] and _register(2025, "") == []


def test_deleting_a_decision_deletes_its_years(make_decision):
    decision = make_decision(year_from=2022, year_to=2024)
    decision.delete()
    assert not GrantDecisionYear.objects.exists()


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(
            st.sampled_from(list(YEARS)),  # first year
            st.integers(0, 3),  # extra years
            st.integers(0, 400),  # days before 1 January of the first year
            st.integers(1, 60).map(lambda n: Decimal(n * 500)),  # amount; ties are broken by id
        ),
        min_size=1,
        max_size=12,
    )
)
def test_every_year_and_order_agree_with_the_decisions(make_decision, specs):
    GrantDecision.objects.all().delete()
    for first, extra, days, amount in specs:
        make_decision(
            year_from=first,
            year_to=first + extra,
            decision_date=datetime.date(first, 1, 1) - datetime.timedelta(days=days),
            amount_granted=amount,
        )
    _check_every_year()
    # Rebuilt from scratch (the migration's statement), the table is the same.
    before = sorted(GrantDecisionYear.objects.values_list("decision_id", "year", "decision_date", "amount_granted"))
    covered_years_rebuild()
    after = sorted(GrantDecisionYear.objects.values_list("decision_id", "year", "decision_date", "amount_granted"))
    assert before == after
