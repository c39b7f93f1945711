"""The plan's co-financing in the browser and the downloads (ADR 0103): the funding lines on the
initiative's form, the follow-up export's column, the co-financing download and the annual report."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from civsam.funding.forms.cofinancing import KronorField
from civsam.funding.models import FundingSource, InitiativeFundingLine
from civsam.funding.services import FundingLineData, initiative_funding_lines_set

pytestmark = pytest.mark.django_db


def _area(code: str = "1.1", plan_slug: str = "2022-2025"):
    from civsam.plan.models import PriorityArea

    fa, pa = code.split(".")
    return PriorityArea.objects.get(focus_area__plan__slug=plan_slug, focus_area__number=fa, number=pa)


@pytest.fixture
def initiative(funding):
    from civsam.plan.models import InitiativeFunding, InitiativeStatus
    from civsam.plan.services import initiative_create

    made = initiative_create(
        actor=None,
        title="Föreningsskola i Örebro",
        lead_organisation=funding["own_org"],
        status=InitiativeStatus.objects.get(code="ongoing"),
        start_date=datetime.date(2023, 1, 1),
        priority_areas=[_area()],
    )
    InitiativeFunding.objects.create(initiative=made, source="Sparbanksstiftelsen", amount=Decimal("5000"))
    return made


def _edit_data(initiative, rows: list[dict], **changes) -> dict:
    from civsam.plan.forms import InitiativeForm

    data = {k: v for k, v in InitiativeForm.initial_for(initiative).items() if v is not None}
    data.update(
        {"start_date": data["start_date"].isoformat(), "priority_areas": [a.pk for a in data["priority_areas"]]}
    )
    for name in ("partner_organisations", "principles", "roles", "municipalities"):
        data[name] = [obj.pk for obj in data[name]]
    for prefix in ("milestones", "outputs", "links"):
        data[f"{prefix}-TOTAL_FORMS"] = "0"
        data[f"{prefix}-INITIAL_FORMS"] = "0"
    data["funding_lines-TOTAL_FORMS"] = str(len(rows))
    data["funding_lines-INITIAL_FORMS"] = "0"
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"funding_lines-{i}-{key}"] = value
    data.update(changes)
    return data


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- Amounts as people type them ------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("12500", Decimal("12500.00")),
        ("12 500", Decimal("12500.00")),
        ("12\u00a0500,50", Decimal("12500.50")),
        ("12500.5", Decimal("12500.50")),
        ("12 500 kr", Decimal("12500.00")),
        ("0", Decimal("0.00")),
        ("1.250.000,75", Decimal("1250000.75")),
    ],
)
def test_amounts_are_read_in_swedish_format(typed, expected):
    assert KronorField().clean(typed) == expected


@pytest.mark.parametrize("typed", ["tolv", "-5", "12,345", "1e3", "12 500,505"])
def test_what_is_no_amount_is_refused_in_swedish(typed):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        KronorField().clean(typed)
    assert "Ange ett belopp i kronor" in refused.value.messages[0]


def test_an_amount_is_shown_in_swedish_format():
    assert KronorField().prepare_value(Decimal("12500.50")) == "12\u00a0500,5"


# --- The form ------------------------------------------------------------------------------------


def test_the_form_offers_active_sources_and_no_free_text_funding(funding, initiative):
    inactive = FundingSource.objects.filter(is_active=True).exclude(pk=funding["orebro_source"].pk).first()
    inactive.is_active = False
    inactive.save(update_fields=["is_active"])
    response = _client(funding["rep"]).get(reverse("plan:initiative-edit", args=[initiative.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="funding_lines-0-source"' in html
    assert f'value="{funding["orebro_source"].pk}"' in html
    assert f'<option value="{inactive.pk}"' not in html
    assert 'name="funding-0-source"' not in html  # the free-text funding row is gone


def test_lines_are_saved_with_the_initiative_and_the_old_text_is_kept(funding, initiative):
    rows = [
        {"source": funding["orebro_source"].pk, "year": "2024", "kind": "granted", "amount": "12 500,50"},
        {"source": funding["innovation"].pk, "year": "2025", "kind": "in_kind", "amount": "33 000"},
        {"source": "", "year": "2026", "kind": "granted", "amount": ""},  # an untouched extra row
    ]
    response = _client(funding["rep"]).post(
        reverse("plan:initiative-edit", args=[initiative.pk]), _edit_data(initiative, rows, title="Ny titel")
    )
    assert response.status_code == 302
    initiative.refresh_from_db()
    assert initiative.title == "Ny titel"
    lines = list(initiative.funding_lines.order_by("year").values_list("source_id", "year", "kind", "amount"))
    assert lines == [
        (funding["orebro_source"].pk, 2024, "granted", Decimal("12500.50")),
        (funding["innovation"].pk, 2025, "in_kind", Decimal("33000.00")),
    ]
    assert list(initiative.funding.values_list("source", flat=True)) == ["Sparbanksstiftelsen"]
    page = _client(funding["rep"]).get(initiative.get_absolute_url()).content.decode()
    assert "12\u00a0500,5" in page and "Finansiering (fritext från tidigare)" in page


def test_a_row_deleted_on_the_form_is_deleted(funding, initiative):
    initiative_funding_lines_set(
        initiative=initiative,
        lines=[FundingLineData(source_id=funding["orebro_source"].pk, year=2024, amount=Decimal(100))],
    )
    rows = [{"source": funding["orebro_source"].pk, "year": "2024", "kind": "granted", "amount": "100", "DELETE": "on"}]
    response = _client(funding["rep"]).post(
        reverse("plan:initiative-edit", args=[initiative.pk]), _edit_data(initiative, rows)
    )
    assert response.status_code == 302
    assert not initiative.funding_lines.exists()


def test_a_bad_row_is_named_and_nothing_is_written(funding, initiative):
    rows = [
        {"source": funding["orebro_source"].pk, "year": "2024", "kind": "granted", "amount": "100"},
        {"source": funding["orebro_source"].pk, "year": "1890", "kind": "granted", "amount": "tusen"},
    ]
    response = _client(funding["rep"]).post(
        reverse("plan:initiative-edit", args=[initiative.pk]), _edit_data(initiative, rows, title="Ändrad")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ange ett belopp i kronor" in html
    assert "Fel i en av raderna längre ned." in html
    initiative.refresh_from_db()
    assert initiative.title == "Föreningsskola i Örebro"
    assert not initiative.funding_lines.exists()


def test_a_row_the_service_refuses_rolls_back_the_initiative_too(funding, initiative):
    same = {"source": funding["orebro_source"].pk, "year": "2024", "kind": "granted", "amount": "100"}
    response = _client(funding["rep"]).post(
        reverse("plan:initiative-edit", args=[initiative.pk]), _edit_data(initiative, [same, dict(same)], title="X")
    )
    assert response.status_code == 200
    assert "Samma källa, år och slag finns redan på en annan rad." in response.content.decode()
    initiative.refresh_from_db()
    assert initiative.title == "Föreningsskola i Örebro"
    assert not initiative.funding_lines.exists()


def test_a_new_initiative_gets_its_lines(funding):
    from civsam.plan.models import Initiative, InitiativeStatus

    data = {
        "title": "Ny insats med finansiering",
        "start_date": "2025-01-01",
        "status": InitiativeStatus.objects.get(code="planned").pk,
        "priority_areas": [_area().pk],
        "weight": "1",
        "lead_organisation": funding["own_org"].pk,
        "parent": "",
        "funding_lines-TOTAL_FORMS": "1",
        "funding_lines-INITIAL_FORMS": "0",
        "funding_lines-0-source": funding["innovation"].pk,
        "funding_lines-0-year": "2025",
        "funding_lines-0-kind": "own_money",
        "funding_lines-0-amount": "20 000",
    }
    for prefix in ("milestones", "outputs", "links"):
        data[f"{prefix}-TOTAL_FORMS"] = "0"
        data[f"{prefix}-INITIAL_FORMS"] = "0"
    response = _client(funding["rep"]).post(reverse("plan:initiative-create"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    created = Initiative.objects.get(title="Ny insats med finansiering")
    assert list(created.funding_lines.values_list("kind", "amount")) == [("own_money", Decimal("20000.00"))]


def test_a_form_posted_without_the_part_leaves_the_lines(funding, initiative):
    initiative_funding_lines_set(
        initiative=initiative,
        lines=[FundingLineData(source_id=funding["orebro_source"].pk, year=2024, amount=Decimal(100))],
    )
    data = _edit_data(initiative, [], title="Utan rader")
    del data["funding_lines-TOTAL_FORMS"], data["funding_lines-INITIAL_FORMS"]
    response = _client(funding["rep"]).post(reverse("plan:initiative-edit", args=[initiative.pk]), data)
    assert response.status_code == 302
    assert initiative.funding_lines.count() == 1


# --- Exports and the report ------------------------------------------------------------------------


def _lines(initiative, funding):
    initiative_funding_lines_set(
        initiative=initiative,
        lines=[
            FundingLineData(source_id=funding["orebro_source"].pk, year=2024, amount=Decimal("40000")),
            FundingLineData(source_id=funding["orebro_source"].pk, year=2025, amount=Decimal("45000")),
            FundingLineData(
                source_id=funding["innovation"].pk,
                year=2024,
                amount=Decimal("9900"),
                kind=InitiativeFundingLine.Kind.IN_KIND,
            ),
        ],
    )


def test_the_follow_up_export_has_the_funding_lines(funding, initiative):
    _lines(initiative, funding)
    response = Client().get(reverse("plan:followup-export", args=["2022-2025", "csv"]))
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    row = next(r for r in rows if r["title"] == "Föreningsskola i Örebro")
    source = funding["orebro_source"].name
    assert row["funding_lines"] == (
        f"2024 {source} (Beviljade medel): 40000; "
        f"2024 {funding['innovation'].name} (Medfinansiering i tid (värderad)): 9900; "
        f"2025 {source} (Beviljade medel): 45000"
    )


def test_the_follow_up_export_imports_again(funding, initiative):
    from civsam.plan.imports import initiatives_import

    _lines(initiative, funding)
    initiative.ref = "FS-1"
    initiative.save(update_fields=["ref"])
    response = Client().get(reverse("plan:followup-export", args=["2022-2025", "csv"]))
    result = initiatives_import(actor=None, file_name="insatser.csv", data=b"".join(response.streaming_content))
    assert not result.errors, result.errors
    assert initiative.funding_lines.count() == 3


def test_the_co_financing_download_sums_per_source_and_year(funding, initiative):
    _lines(initiative, funding)
    response = Client().get(reverse("funding:plan-co-financing-export", args=["2022-2025", "csv"]))
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    got = {(r["source_id"], r["year"]): Decimal(r["amount"]) for r in rows}
    assert got == {
        (str(funding["orebro_source"].pk), "2024"): Decimal("40000"),
        (str(funding["orebro_source"].pk), "2025"): Decimal("45000"),
        (str(funding["innovation"].pk), "2024"): Decimal("9900"),
    }
    assert Client().get(reverse("funding:plan-co-financing-export", args=["2022-2025", "pdf"])).status_code == 404
    page = Client().get(reverse("plan:followup", args=["2022-2025"])).content.decode()
    assert reverse("funding:plan-co-financing-export", args=["2022-2025", "xlsx"]) in page


def test_the_annual_report_shows_co_financing_up_to_its_year(funding, initiative):
    from civsam.plan.models import Plan
    from civsam.plan.report import snapshot_build

    _lines(initiative, funding)
    plan = Plan.objects.get(slug="2022-2025")
    section = snapshot_build(plan, 2024)["sections"]["co_financing"]
    assert section["years"] == [2024]
    assert section["total"] == "49900.00"
    by_source = {row["source"]: row for row in section["rows"]}
    assert by_source[funding["orebro_source"].name]["amounts"] == ["40000.00"]
    assert snapshot_build(plan, 2025)["sections"]["co_financing"]["totals"] == ["49900.00", "45000.00"]
    assert snapshot_build(plan, 2022)["sections"]["co_financing"] is None


def test_the_report_page_has_the_co_financing_table(funding, initiative):
    from civsam.plan.models import Plan
    from civsam.plan.services import report_get_or_create

    _lines(initiative, funding)
    report = report_get_or_create(actor=None, plan=Plan.objects.get(slug="2022-2025"), year=2025)
    response = _client(funding["admin"]).get(reverse("plan:report-detail", args=["2022-2025", 2025]))
    assert response.status_code == 200, report
    html = response.content.decode()
    assert "Medfinansiering per källa och år" in html
    assert "94\u00a0900" in html  # 40 000 + 9 900 + 45 000
