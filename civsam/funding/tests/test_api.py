"""The funding API: sources, calls (open, eligible-for), the register (filters, sorting, paging,
360Giving validated against the standard's own schema) and the statistics."""

from __future__ import annotations

import datetime
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client

from civsam.core.models import ActivityClass, Municipality
from civsam.core.tests.api_support import assert_problem, items
from civsam.funding import services
from civsam.funding.models import FundingCall

TODAY = datetime.date.today()
SCHEMAS = Path(__file__).parent / "data"


def _published_call(source, **fields):
    fields.setdefault("title", f"Utlysning {source.name}")
    fields.setdefault("opens_on", TODAY - datetime.timedelta(days=1))
    fields.setdefault("deadline", TODAY + datetime.timedelta(days=20))
    call = services.funding_call_create(actor=None, data=services.FundingCallData(source=source, **fields))
    return services.funding_call_change_status(actor=None, call=call, status=FundingCall.Status.PUBLISHED)


@pytest.mark.django_db
class TestSources:
    def test_list_and_filter(self, funding):
        body = Client().get("/api/v1/funding-sources?limit=100").json()
        slugs = {item["slug"] for item in body["items"]}
        assert {"esf-plus", "allmanna-arvsfonden", "foreningsbidrag-1880"} <= slugs
        assert body["pagination"]["totalCount"] == len(slugs)
        innovation = next(i for i in body["items"] if i["slug"] == "utvecklingsmedel-social-innovation")
        assert innovation["funder"]["kind"] == "region"
        assert Decimal(str(innovation["coFinancing"]["minSharePercent"])) == Decimal("50")
        assert innovation["eligibility"]["sector"] == "civil_society"
        loans = items(Client().get("/api/v1/funding-sources?kind=loan"))
        assert [i["slug"] for i in loans] == ["mikrofonden"]
        municipal = items(Client().get("/api/v1/funding-sources?funder=kommun-1880"))
        assert [i["slug"] for i in municipal] == ["foreningsbidrag-1880"]
        assert municipal[0]["eligibility"]["municipalities"] == ["1880"]

    def test_detail_and_problems(self, funding):
        assert Client().get("/api/v1/funding-sources/esf-plus").json()["name"].startswith("Europeiska socialfonden")
        assert_problem(Client().get("/api/v1/funding-sources/finns-inte"), 404)
        assert_problem(Client().get("/api/v1/funding-sources?kind=gift"), 400, parameter="kind")
        assert_problem(Client().get("/api/v1/funding-sources?typ=loan"), 400, parameter="typ")


@pytest.mark.django_db
class TestCalls:
    @pytest.fixture
    def calls(self, funding):
        orebro = _published_call(funding["orebro_source"], title="Örebros aktivitetsstöd")
        kumla = _published_call(funding["kumla_source"], title="Kumlas föreningsbidrag")
        closed = _published_call(funding["innovation"], title="Stängd", deadline=TODAY - datetime.timedelta(days=1))
        draft = services.funding_call_create(
            actor=None, data=services.FundingCallData(source=funding["innovation"], title="Utkast", deadline=TODAY)
        )
        return {"orebro": orebro, "kumla": kumla, "closed": closed, "draft": draft}

    def test_open_and_all(self, funding, calls):
        everything = {i["title"] for i in items(Client().get("/api/v1/funding-calls"))}
        assert everything == {"Örebros aktivitetsstöd", "Kumlas föreningsbidrag", "Stängd"}  # no draft
        open_calls = items(Client().get("/api/v1/funding-calls?open=true"))
        assert {i["title"] for i in open_calls} == {"Örebros aktivitetsstöd", "Kumlas föreningsbidrag"}
        assert all(i["isOpen"] for i in open_calls)
        closed = items(Client().get("/api/v1/funding-calls?open=false"))
        assert [i["title"] for i in closed] == ["Stängd"]

    def test_eligible_for(self, funding, calls):
        own = funding["own_org"]  # an Örebro association
        found = items(Client().get(f"/api/v1/funding-calls?open=true&eligible-for={own.orgnr}"))
        assert [i["title"] for i in found] == ["Örebros aktivitetsstöd"]
        # Active in Kumla too: Kumla's call as well.
        own.active_municipalities.add(Municipality.objects.get(code="1881"))
        found = items(Client().get(f"/api/v1/funding-calls?eligible-for={own.orgnr[:6]}-{own.orgnr[6:]}"))
        assert {i["title"] for i in found} == {"Örebros aktivitetsstöd", "Kumlas föreningsbidrag"}
        # A rule on activity classes the association does not meet.
        source = funding["kumla_source"]
        source.eligible_activity_classes.set(ActivityClass.objects.filter(code="9"))
        found = items(Client().get(f"/api/v1/funding-calls?eligible-for={own.orgnr}"))
        assert [i["title"] for i in found] == ["Örebros aktivitetsstöd"]

    def test_eligible_for_problems(self, funding, calls):
        assert_problem(Client().get("/api/v1/funding-calls?eligible-for=123"), 400, parameter="eligible-for")
        assert_problem(Client().get("/api/v1/funding-calls?eligible-for=8020999994"), 400, parameter="eligible-for")

    def test_staff_see_their_drafts(self, funding, calls):
        client = Client()
        client.force_login(funding["admin"])
        assert "Utkast" in {i["title"] for i in items(client.get("/api/v1/funding-calls"))}


@pytest.fixture
def decisions(funding, make_decision):
    own, other = funding["own_org"], funding["other_org"]
    rows = [
        make_decision(
            funder=funding["orebro"],
            recipient=own,
            case_number="KS 2024/1",
            year_from=2024,
            amount_granted=Decimal("10000"),
            purpose="Läxhjälp för barn",
            programme="Föreningsbidrag",
        ),
        make_decision(
            funder=funding["orebro"],
            recipient=own,
            case_number="KS 2025/7",
            year_from=2025,
            amount_granted=Decimal("20000"),
            purpose="Idrottsverksamhet",
            grant_form="operating",
        ),
        make_decision(
            funder=funding["kumla"],
            recipient=other,
            case_number="KS 2024/9",
            year_from=2024,
            year_to=2026,
            amount_granted=Decimal("90000"),
            purpose="Lokalhyra",
            grant_form="premises",
        ),
        make_decision(
            funder=funding["region"],
            recipient=other,
            case_number="25RS1001",
            year_from=2025,
            amount_granted=Decimal("40000"),
            amount_applied=Decimal("50000"),
            amount_paid=Decimal("40000"),
            purpose="Social innovation för äldre",
            source=funding["innovation"],
        ),
    ]
    services.grant_figures_compute()
    return rows


def _cases(response):
    return [i["caseNumber"] for i in items(response)]


@pytest.mark.django_db
class TestRegister:
    @pytest.mark.parametrize(
        "query, expected",
        [
            ("", ["25RS1001", "KS 2025/7", "KS 2024/9", "KS 2024/1"]),
            ("funder=kommun-1880", ["KS 2025/7", "KS 2024/1"]),
            ("funder=kommun-1880,region", ["25RS1001", "KS 2025/7", "KS 2024/1"]),
            ("municipality=1881", ["25RS1001", "KS 2024/9"]),
            ("legal-form=61", ["25RS1001", "KS 2025/7", "KS 2024/9", "KS 2024/1"]),
            ("legal-form=51", []),
            ("programme=Föreningsbidrag", ["KS 2024/1"]),
            ("year=2026", ["KS 2024/9"]),
            ("year=2025", ["25RS1001", "KS 2025/7", "KS 2024/9"]),
            ("amount-min=20000&amount-max=40000", ["25RS1001", "KS 2025/7"]),
            ("q=läxhjälp", ["KS 2024/1"]),
            ("q=innovation äldre", ["25RS1001"]),
            ("q=egna", ["KS 2025/7", "KS 2024/1"]),  # the recipient's name
            ("sort=-amount", ["KS 2024/9", "25RS1001", "KS 2025/7", "KS 2024/1"]),
            ("sort=amount&limit=2", ["KS 2024/1", "KS 2025/7"]),
            ("sort=date", ["KS 2024/1", "KS 2024/9", "KS 2025/7", "25RS1001"]),
        ],
    )
    def test_filters_and_sorting(self, decisions, query, expected):
        assert _cases(Client().get(f"/api/v1/grant-decisions?{query}")) == expected

    def test_recipient_filter(self, funding, decisions):
        other = funding["other_org"].orgnr
        assert _cases(Client().get(f"/api/v1/grant-decisions?recipient={other}")) == ["25RS1001", "KS 2024/9"]
        assert_problem(Client().get("/api/v1/grant-decisions?recipient=12"), 400, parameter="recipient")

    def test_item_shape(self, funding, decisions):
        item = items(Client().get("/api/v1/grant-decisions?funder=region"))[0]
        assert item["funder"] == {
            "slug": "region",
            "name": "Region Örebro län",
            "kind": "region",
            "municipality": None,
            "orgnr": None,
        }
        assert item["recipient"]["orgnr"] == funding["other_org"].orgnr
        assert item["recipient"]["municipality"] == "1881"
        assert item["source"] == "utvecklingsmedel-social-innovation"
        assert item["programme"] == "Utvecklingsmedel för social innovation"
        assert Decimal(str(item["amountApplied"])) == Decimal("50000")
        multi = items(Client().get("/api/v1/grant-decisions?funder=kommun-1881"))[0]
        assert (multi["yearFrom"], multi["yearTo"], multi["multiYear"]) == (2024, 2026, True)
        detail = Client().get(f"/api/v1/grant-decisions/{item['id']}").json()
        assert detail["caseNumber"] == "25RS1001"
        assert_problem(Client().get("/api/v1/grant-decisions/999999"), 404)

    def test_paging(self, decisions):
        body = Client().get("/api/v1/grant-decisions?limit=3&page=2").json()
        assert [i["caseNumber"] for i in body["items"]] == ["KS 2024/1"]
        assert body["pagination"] == {"page": 2, "limit": 3, "totalCount": 4, "totalCountExact": True, "totalPages": 2}
        assert body["links"]["prev"].endswith("limit=3&page=1")
        assert body["links"]["next"] is None

    def test_count_stops_at_the_cap(self, decisions, monkeypatch):
        from civsam.funding.api import decisions as api_decisions

        monkeypatch.setattr(api_decisions, "COUNT_CAP", 2)
        body = Client().get("/api/v1/grant-decisions?limit=3").json()
        assert body["pagination"]["totalCountExact"] is False
        assert body["pagination"]["totalPages"] is None
        assert body["links"]["last"] is None and body["links"]["next"]

    @pytest.mark.parametrize(
        "query, name",
        [
            ("year=abc", "year"),
            ("sort=name", "sort"),
            ("amount-min=-1", "amount-min"),
            ("format=xml", "format"),
            ("fundr=x", "fundr"),
        ],
    )
    def test_problems(self, decisions, query, name):
        assert_problem(Client().get(f"/api/v1/grant-decisions?{query}"), 400, parameter=name)


def _threesixty_validator():
    import jsonschema
    from referencing import Registry
    from referencing.jsonschema import DRAFT202012

    package = json.loads((SCHEMAS / "360-giving-package-schema.json").read_text(encoding="utf-8"))
    grant = json.loads((SCHEMAS / "360-giving-schema.json").read_text(encoding="utf-8"))
    # Both files name draft 2020-12 as "http://json-schema.org/draft/2020-12/schema" (the dialect's
    # id is https), which auto-detection does not know: state the draft instead.
    resource = DRAFT202012.create_resource(grant)
    # The package refers to the grant schema by its 1.4.2 address; serve the copy we ship under it.
    registry = Registry().with_resources(
        [(package["properties"]["grants"]["items"]["$ref"], resource), (grant["$id"], resource)]
    )
    cls = jsonschema.Draft202012Validator
    cls.check_schema(package)
    # The standard tells a date from a date-time by format (oneOf pattern | date-time), so the
    # date-time format must really be checked; jsonschema checks it only with an optional package.
    checker = jsonschema.FormatChecker()
    checker.checks("date-time", raises=ValueError)(_rfc3339)
    return cls(package, registry=registry, format_checker=checker)


RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")


def _rfc3339(value) -> bool:
    if not isinstance(value, str):
        return True
    if not RFC3339.match(value):
        return False
    datetime.datetime.fromisoformat(value.replace("z", "Z").replace("Z", "+00:00"))
    return True


@pytest.mark.django_db
class TestThreeSixtyGiving:
    def test_valid_against_the_standard(self, funding, decisions):
        validator = _threesixty_validator()
        response = Client().get("/api/v1/grant-decisions?format=360giving&limit=100")
        assert response.status_code == 200
        data = response.json()
        errors = sorted(validator.iter_errors(data), key=lambda e: list(e.path))
        assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]
        assert len(data["grants"]) == 4
        grant = next(g for g in data["grants"] if g["id"].endswith("25RS1001"))
        assert grant["id"] == "360G-civsam-region-25RS1001"
        assert grant["currency"] == "SEK"
        assert grant["amountAwarded"] == 40000
        assert grant["amountAppliedFor"] == 50000
        assert grant["recipientOrganization"][0]["id"] == f"SE-BLV-{funding['other_org'].orgnr}"
        assert grant["grantProgramme"][0]["code"] == "utvecklingsmedel-social-innovation"
        multi = next(g for g in data["grants"] if g["id"].endswith("KS 2024/9"))
        assert multi["plannedDates"][0] == {"startDate": "2024-01-01", "endDate": "2026-12-31", "duration": 36}

    def test_the_validator_catches_a_broken_grant(self, funding, decisions):
        validator = _threesixty_validator()
        data = Client().get("/api/v1/grant-decisions?format=360giving").json()
        del data["grants"][0]["fundingOrganization"]
        data["grants"][1]["currency"] = "KRONOR"
        assert len(list(validator.iter_errors(data))) >= 2

    def test_filters_apply(self, decisions):
        data = Client().get("/api/v1/grant-decisions?format=360giving&municipality=1880").json()
        assert sorted(g["id"] for g in data["grants"]) == [
            "360G-civsam-kommun-1880-KS 2024/1",
            "360G-civsam-kommun-1880-KS 2025/7",
        ]


@pytest.mark.django_db
class TestStatistics:
    def test_total_and_dimensions(self, decisions):
        totals = items(Client().get("/api/v1/statistics/grants"))
        by_year = {i["year"]: i for i in totals}
        assert sorted(by_year) == [2024, 2025, 2026]
        assert Decimal(str(by_year[2025]["amountGranted"])) == Decimal("90000")  # 20000 + 30000 + 40000
        assert Decimal(str(by_year[2025]["multiYearShare"])) == Decimal("33.3")
        assert by_year[2025]["recipientsPrevious"] == 2 and by_year[2025]["retainedShare"] is not None
        assert by_year[2025]["amountPerInhabitant"] is not None
        municipal = items(Client().get("/api/v1/statistics/grants?dimension=municipality&year=2025"))
        assert {i["key"] for i in municipal} == {"1880", "1881"}
        forms = items(Client().get("/api/v1/statistics/grants?year=2025&by-grant-form=true"))
        assert {i["grantForm"] for i in forms} == {"operating", "premises", "project"}

    def test_problems(self, decisions):
        assert_problem(Client().get("/api/v1/statistics/grants?dimension=sector"), 400, parameter="dimension")
        assert_problem(Client().get("/api/v1/statistics/grants?year=x"), 400, parameter="year")
