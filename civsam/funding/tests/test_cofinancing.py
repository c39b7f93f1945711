"""Co-financing of the plan (ADR 0092): an initiative's funding lines by source and year, who may set
them, the API, and the sums per source and year."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from civsam.core.models import AuditEntry
from civsam.core.tests.api_support import assert_problem
from civsam.funding.models import FundingSource, InitiativeFundingLine
from civsam.funding.selectors import co_financing_by_source_and_year
from civsam.funding.services import FundingLineData, initiative_funding_lines_set

pytestmark = pytest.mark.django_db


def _area(code: str, plan_slug: str = "2022-2025"):
    from civsam.plan.models import PriorityArea

    fa, pa = code.split(".")
    return PriorityArea.objects.get(focus_area__plan__slug=plan_slug, focus_area__number=fa, number=pa)


@pytest.fixture
def make_initiative(funding):
    from civsam.plan.models import InitiativeStatus
    from civsam.plan.services import initiative_create

    def make(*, areas=(("1.1", "2022-2025"),), **fields):
        fields.setdefault("title", "Insats")
        fields.setdefault("lead_organisation", funding["own_org"])
        return initiative_create(
            actor=None,
            status=InitiativeStatus.objects.get(code="ongoing"),
            start_date=datetime.date(2024, 1, 1),
            priority_areas=[_area(code, slug) for code, slug in areas],
            **fields,
        )

    return make


def _line(source, year=2024, amount="1000", kind="granted"):
    return FundingLineData(source_id=source.pk, year=year, amount=Decimal(amount), kind=kind)


# --- Permissions: whoever may change the initiative sets its lines ---------------------------------


@pytest.mark.parametrize(
    "role, allowed",
    [
        ("admin", True),  # the Region's coordinator
        ("officer", True),  # an officer in the lead organisation's municipality
        ("rep", True),  # the lead organisation's representative
        ("officer_kumla", False),  # another municipality's officer
        ("reviewer", False),
        ("plain", False),
    ],
)
def test_only_those_who_may_change_the_initiative_set_its_funding(funding, make_initiative, role, allowed):
    initiative = make_initiative()
    lines = [_line(funding["orebro_source"])]
    if allowed:
        initiative_funding_lines_set(actor=funding[role], initiative=initiative, lines=lines)
        assert initiative.funding_lines.count() == 1
    else:
        with pytest.raises(PermissionDenied):
            initiative_funding_lines_set(actor=funding[role], initiative=initiative, lines=lines)
        assert initiative.funding_lines.count() == 0


# --- Services ----------------------------------------------------------------------------------------


def test_lines_replace_the_old_ones_are_audited_and_leave_the_free_text_alone(funding, make_initiative):
    from civsam.plan.services import FundingIn

    initiative = make_initiative(funding=[FundingIn(source="Egen insamling", amount=Decimal(500))])
    initiative_funding_lines_set(
        actor=funding["rep"],
        initiative=initiative,
        lines=[_line(funding["orebro_source"]), _line(funding["innovation"], kind="in_kind", amount="250.50")],
    )
    initiative_funding_lines_set(actor=funding["rep"], initiative=initiative, lines=[_line(funding["kumla_source"])])
    assert [(line.source_id, line.amount) for line in initiative.funding_lines.all()] == [
        (funding["kumla_source"].pk, Decimal("1000.00"))
    ]
    assert [(f.source, f.amount) for f in initiative.funding.all()] == [("Egen insamling", Decimal("500.00"))]
    entries = AuditEntry.objects.filter(object_id=str(initiative.pk), changes__has_key="funding_lines")
    assert entries.count() == 2


@pytest.mark.parametrize(
    "lines, errors",
    [
        (lambda f: [_line(f["orebro_source"], year=1999)], {"lines.0.year"}),
        (lambda f: [_line(f["orebro_source"]), _line(f["orebro_source"], year=2025, amount="-1")], {"lines.1.amount"}),
        (lambda f: [_line(f["orebro_source"], amount="1.005")], {"lines.0.amount"}),
        (lambda f: [_line(f["orebro_source"]), _line(f["orebro_source"], amount="5")], {"lines.1.source"}),
        (lambda f: [_line(f["orebro_source"], kind="gift")], {"lines.0.kind"}),
        (lambda f: [FundingLineData(source_id=999999, year=2024, amount=Decimal(1))], {"lines.0.source"}),
        (lambda f: [_line(f["inactive"])], {"lines.0.source"}),
    ],
)
def test_a_bad_row_is_named_and_nothing_is_written(funding, make_initiative, lines, errors):
    funding["inactive"] = FundingSource.objects.filter(pk=funding["kumla_source"].pk).get()
    FundingSource.objects.filter(pk=funding["inactive"].pk).update(is_active=False)
    initiative = make_initiative()
    with pytest.raises(ValidationError) as caught:
        initiative_funding_lines_set(actor=funding["rep"], initiative=initiative, lines=lines(funding))
    assert set(caught.value.message_dict) == errors
    assert not InitiativeFundingLine.objects.exists()


def test_a_source_deactivated_later_stays_on_the_lines_that_name_it(funding, make_initiative):
    initiative = make_initiative()
    source = funding["orebro_source"]
    initiative_funding_lines_set(actor=funding["rep"], initiative=initiative, lines=[_line(source)])
    FundingSource.objects.filter(pk=source.pk).update(is_active=False)
    initiative_funding_lines_set(actor=funding["rep"], initiative=initiative, lines=[_line(source, amount="2000")])
    assert initiative.funding_lines.get().amount == Decimal(2000)
    other = make_initiative(title="Annan insats")
    with pytest.raises(ValidationError):
        initiative_funding_lines_set(actor=funding["rep"], initiative=other, lines=[_line(source)])


# --- The sums per source and year --------------------------------------------------------------------

# (initiative, source, year, amount, kind); initiative "both" serves two areas of the plan (counted
# once), "next" serves only the next plan (not counted in this one).
SUMS = [
    (
        [("a", "orebro_source", 2024, "100", "granted")],
        {("orebro_source", 2024): "100"},
    ),
    (
        [
            ("a", "orebro_source", 2024, "100", "granted"),
            ("a", "orebro_source", 2024, "40", "own_money"),
            ("both", "orebro_source", 2024, "60", "in_kind"),
            ("both", "orebro_source", 2025, "7.50", "granted"),
            ("a", "innovation", 2025, "1000", "granted"),
            ("next", "innovation", 2025, "999", "granted"),
        ],
        {("orebro_source", 2024): "200", ("orebro_source", 2025): "7.50", ("innovation", 2025): "1000"},
    ),
    ([("next", "kumla_source", 2026, "5", "granted")], {}),
    ([], {}),
]


@pytest.mark.parametrize("rows, expected", SUMS)
def test_co_financing_is_summed_per_source_and_year_in_one_query(
    funding, make_initiative, django_assert_num_queries, rows, expected
):
    from civsam.plan.models import Plan

    initiatives = {
        "a": make_initiative(title="A"),
        "both": make_initiative(title="B", areas=(("1.1", "2022-2025"), ("2.1", "2022-2025"))),
        "next": make_initiative(title="N", areas=(("1.1", "2026-2030"),)),
    }
    per_initiative: dict[str, list[FundingLineData]] = {}
    for name, source, year, amount, kind in rows:
        per_initiative.setdefault(name, []).append(_line(funding[source], year=year, amount=amount, kind=kind))
    for name, lines in per_initiative.items():
        initiative_funding_lines_set(actor=None, initiative=initiatives[name], lines=lines)
    plan = Plan.objects.get(slug="2022-2025")
    with django_assert_num_queries(1):
        result = co_financing_by_source_and_year(plan=plan)
    names = {funding[key].pk: key for key in ("orebro_source", "kumla_source", "innovation")}
    assert {(names[row.source_id], row.year): row.amount for row in result} == {
        key: Decimal(value) for key, value in expected.items()
    }


# --- API ---------------------------------------------------------------------------------------------


def _client(funding, role: str | None) -> Client:
    client = Client()
    if role:
        client.force_login(funding[role])
    return client


def _put(client, initiative, body):
    return client.put(
        f"/api/v1/initiatives/{initiative.pk}/funding-lines", json.dumps(body), content_type="application/json"
    )


def test_the_api_reads_and_replaces_the_lines(funding, make_initiative):
    initiative = make_initiative()
    source = funding["orebro_source"]
    response = _put(
        _client(funding, "rep"),
        initiative,
        {"lines": [{"sourceId": source.pk, "year": 2024, "amount": "1500.50", "kind": "own_money"}]},
    )
    assert response.status_code == 200, response.content
    body = Client().get(f"/api/v1/initiatives/{initiative.pk}/funding-lines").json()
    assert body["initiativeId"] == initiative.pk
    assert body["lines"] == [
        {
            "sourceId": source.pk,
            "source": source.name,
            "funder": source.funder.name,
            "year": 2024,
            "amount": "1500.50",
            "kind": "own_money",
        }
    ]
    sums = Client().get("/api/v1/plans/2022-2025/co-financing").json()
    assert sums == [
        {"sourceId": source.pk, "source": source.name, "funder": source.funder.name, "year": 2024, "amount": "1500.50"}
    ]


@pytest.mark.parametrize(
    "role, body, status, parameter",
    [
        (None, {"lines": []}, 401, None),
        ("officer_kumla", {"lines": []}, 403, None),
        ("rep", {"lines": [], "note": "x"}, 400, None),
        ("rep", {"lines": [{"sourceId": "S", "year": 2024, "amount": "1"}]}, 400, None),
        ("rep", {"lines": [{"sourceId": 1, "year": 2024, "amount": "1", "extra": 1}]}, 400, None),
        ("rep", {"lines": [{"sourceId": 999999, "year": 2024, "amount": "1"}]}, 400, "lines.0.sourceId"),
    ],
)
def test_the_api_refuses_what_it_may_not_write(funding, make_initiative, role, body, status, parameter):
    initiative = make_initiative()
    assert_problem(_put(_client(funding, role), initiative, body), status, parameter=parameter)
    assert not InitiativeFundingLine.objects.exists()


def test_the_api_answers_404_for_an_unknown_initiative_or_plan(funding):
    assert_problem(Client().get("/api/v1/initiatives/999999/funding-lines"), 404)
    assert_problem(Client().get("/api/v1/plans/1999-2000/co-financing"), 404)


# --- Pages -------------------------------------------------------------------------------------------


def test_the_initiative_page_and_the_follow_up_show_the_lines_and_their_sums(funding, make_initiative):
    from django.urls import reverse

    first, second = make_initiative(title="Första"), make_initiative(title="Andra")
    source = funding["orebro_source"]
    initiative_funding_lines_set(actor=None, initiative=first, lines=[_line(source, amount="12000")])
    initiative_funding_lines_set(actor=None, initiative=second, lines=[_line(source, amount="500.25", kind="in_kind")])
    client = _client(funding, "rep")
    page = client.get(reverse("plan:initiative-detail", args=[first.pk]), HTTP_ACCEPT_LANGUAGE="sv")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Finansiering per källa och år" in html and source.name in html and "12\u00a0000" in html
    followup = client.get(reverse("plan:followup", args=["2022-2025"]), HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    table = followup[followup.index("Medfinansiering per källa och år") :]
    assert source.name in table and "12\u00a0500,25" in table
