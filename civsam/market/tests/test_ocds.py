"""The procurement export as OCDS release packages, validated against the published schemas
(tests/ocds_schema, SOURCE.md there) with the lots, otherRequirements and sustainability extensions."""

from __future__ import annotations

import copy
import datetime
import json
from decimal import Decimal
from pathlib import Path

import pytest
from jsonschema import Draft4Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from civsam.market import services
from civsam.market.models import CpvCode

pytestmark = pytest.mark.django_db

SCHEMAS = Path(__file__).parent / "ocds_schema"
RELEASE_URL = "https://standard.open-contracting.org/schema/1__1__5/release-schema.json"


def _merge_patch(target, patch):
    """JSON Merge Patch (RFC 7386): how an OCDS extension changes the release schema."""
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = _merge_patch(result.get(key), value)
    return result


def _validator() -> Draft4Validator:
    release = json.loads((SCHEMAS / "release-schema.json").read_text(encoding="utf-8"))
    for name in ("lots-extension.json", "other-requirements-extension.json", "sustainability-extension.json"):
        release = _merge_patch(release, json.loads((SCHEMAS / name).read_text(encoding="utf-8")))
    package = json.loads((SCHEMAS / "release-package-schema.json").read_text(encoding="utf-8"))
    registry = Registry().with_resource(RELEASE_URL, Resource.from_contents(release, default_specification=DRAFT4))
    return Draft4Validator(package, registry=registry, format_checker=FormatChecker())


def _errors(package) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in _validator().iter_errors(package)]


def _package(client, **query):
    response = client.get("/api/v1/procurements", {"format": "ocds", **query})
    assert response.status_code == 200, response.content
    return response.json()


@pytest.fixture
def procurements(market):
    cpv = list(CpvCode.objects.filter(code__in=["90910000", "85300000"]))
    reserved = services.procurement_create(
        actor=None,
        buyer=market["buyer_orebro"],
        data=services.ProcurementData(
            title="Lokalvård i förskolor, reserverad",
            procedure="simplified",
            status="awarded",
            reference="KS 2024/118",
            cpv_codes=cpv,
            estimated_value=Decimal("1200000"),
            awarded_value=Decimal("1150000.50"),
            published_on=datetime.date(2024, 1, 10),
            tender_deadline=datetime.date(2024, 2, 10),
            awarded_on=datetime.date(2024, 3, 1),
            contract_start=datetime.date(2024, 4, 1),
            contract_end=datetime.date(2026, 3, 31),
            reservation="lou_4_18",
            employment_requirement=True,
            employment_requirement_text="Två anställningar för personer långt från arbetsmarknaden.",
            employment_positions=2,
            social_award_criteria=True,
            social_award_criteria_text="Plan för handledning väger 20 procent.",
            lots=[services.LotData(number=1, title="Norr", reserved=True), services.LotData(number=2, title="Söder")],
            awards=[
                services.AwardData(supplier_name="Returverket", supplier_orgnr=market["social"].orgnr, lot_number=1),
                services.AwardData(supplier_name="Städbolaget", value=Decimal("500000"), lot_number=2),
            ],
        ),
    )
    planned = services.procurement_create(
        actor=None,
        buyer=services.buyer_get_or_create(organisation=market["region_org"]),
        data=services.ProcurementData(title="Tolktjänster", procedure="direct"),
    )
    return reserved, planned


def test_release_package_is_valid_ocds(client, procurements):
    package = _package(client)
    assert _errors(package) == []
    assert len(package["releases"]) == 2


def test_reserved_participation_and_social_considerations_are_structured(client, procurements):
    reserved, _planned = procurements
    release = next(r for r in _package(client)["releases"] if r["ocid"].endswith(f"-{reserved.pk}"))
    tender = release["tender"]
    assert tender["otherRequirements"] == {"reservedParticipation": ["shelteredWorkshop"]}
    assert tender["sustainability"][0]["goal"] == "social.disadvantagedEmploymentOpportunities"
    assert tender["sustainability"][0]["strategies"] == [
        "contractPerformanceConditions",
        "awardCriteria",
        "reservedParticipation",
    ]
    assert tender["procurementMethod"] == "open" and tender["status"] == "complete"
    assert [item["classification"]["id"] for item in tender["items"]] == ["85300000", "90910000"]
    assert [lot["id"] for lot in tender["lots"]] == ["1", "2"]
    assert release["awards"][0]["relatedLots"] == ["1"]
    roles = {party["name"]: party["roles"] for party in release["parties"]}
    assert roles["Returverket"] == ["supplier"] and "buyer" in roles["Örebro kommun"]


def test_the_validation_can_fail(client, procurements):
    """The schema check is not vacuous: a package that breaks the extensions' rules is refused."""
    reserved, _planned = procurements
    package = copy.deepcopy(_package(client))
    release = next(r for r in package["releases"] if r["ocid"].endswith(f"-{reserved.pk}"))
    release["tender"]["otherRequirements"] = {"reservedParticipation": []}
    release["tender"]["lots"][0]["value"] = {"amount": "mycket"}
    del package["version"]
    errors = _errors(package)
    assert len(errors) >= 3, errors


def test_only_reserved(client, procurements):
    reserved, _planned = procurements
    package = _package(client, reserved="true")
    assert [r["ocid"] for r in package["releases"]] == [f"ocds-civsam-{reserved.pk}"]
