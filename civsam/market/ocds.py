"""Procurement records as Open Contracting Data Standard (OCDS 1.1) release packages, with the
lots, other-requirements (reserved participation) and sustainability extensions (ADR 0135).
Pure Python, no database: it reads the attributes of the records it is given.

Sources: OCDS 1.1 release and release-package schemas (standard.open-contracting.org/schema/1__1__5);
the extensions' release-schema.json and codelists, open-contracting-extensions on GitHub.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

OCDS_VERSION = "1.1"
EXTENSIONS = [
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_lots_extension/master/extension.json",
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_otherRequirements_extension/master/extension.json",
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_sustainability_extension/master/extension.json",
]
STOCKHOLM = ZoneInfo("Europe/Stockholm")

# OCDS procurementMethod (closed codelist method.csv): how each LOU procedure is open to bidders.
PROCUREMENT_METHOD = {
    "open": "open",
    "restricted": "selective",
    "negotiated": "selective",
    "dialogue": "selective",
    "innovation": "selective",
    "selection": "selective",
    "simplified": "open",
    "negotiated_no_notice": "limited",
    "direct": "direct",
}
# OCDS tender.status (closed codelist tenderStatus.csv).
TENDER_STATUS = {"planned": "planned", "active": "active", "awarded": "complete", "cancelled": "cancelled"}
# The otherRequirements extension's reservedParticipation codelist. 4 kap. 18 § and 19 kap. 25 a §
# LOU reserve participation for suppliers whose aim is the social and professional integration of
# disabled or disadvantaged persons (Directive 2014/24/EU art. 20); 19 kap. 25 § LOU reserves some
# health, social and cultural services for organisations with a public service mission (art. 77).
RESERVED_PARTICIPATION = {
    "lou_4_18": "shelteredWorkshop",
    "lou_19_25a": "shelteredWorkshop",
    "lou_19_25": "publicServiceMissionOrganization",
}
SOCIAL_GOAL = "social.disadvantagedEmploymentOpportunities"  # the sustainability extension's codelist


def _datetime(day: datetime.date | None) -> str | None:
    if day is None:
        return None
    return datetime.datetime.combine(day, datetime.time(0, 0), tzinfo=STOCKHOLM).isoformat()


def _value(amount: Decimal | None) -> dict[str, Any] | None:
    return None if amount is None else {"amount": float(amount), "currency": "SEK"}


def _compact(data: dict[str, Any]) -> dict[str, Any]:
    """Leave out what is None or empty: OCDS prefers an absent field to a null one."""
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}


def party_id(orgnr: str, fallback: str) -> str:
    return f"SE-ORG-{orgnr}" if orgnr else fallback


def release(procurement: Any, *, prefix: str, buyer_orgnr: str, buyer_name: str) -> dict[str, Any]:
    """One release for a procurement record: its tender, and its awards when it is awarded."""
    ocid = f"{prefix}-{procurement.pk}"
    buyer_id = party_id(buyer_orgnr, f"buyer-{procurement.buyer_id}")
    parties: dict[str, dict[str, Any]] = {
        buyer_id: _compact(
            {
                "id": buyer_id,
                "name": buyer_name,
                "identifier": {"scheme": "SE-ORG", "id": buyer_orgnr, "legalName": buyer_name} if buyer_orgnr else None,
                "roles": ["buyer", "procuringEntity"],
            }
        )
    }
    lots = list(procurement.lots.all())
    awards_in = list(procurement.awards.all())
    cpv = list(procurement.cpv_codes.all())
    reserved = RESERVED_PARTICIPATION.get(procurement.reservation)

    strategies = []
    if procurement.employment_requirement:
        strategies.append("contractPerformanceConditions")
    if procurement.social_award_criteria:
        strategies.append("awardCriteria")
    if reserved:
        strategies.append("reservedParticipation")
    descriptions = [
        text for text in (procurement.employment_requirement_text, procurement.social_award_criteria_text) if text
    ]
    sustainability = (
        [_compact({"goal": SOCIAL_GOAL, "strategies": strategies, "description": " ".join(descriptions) or None})]
        if strategies
        else []
    )
    tender = _compact(
        {
            "id": procurement.reference or str(procurement.pk),
            "title": procurement.title,
            "description": procurement.description,
            "status": TENDER_STATUS[procurement.status],
            "procurementMethod": PROCUREMENT_METHOD[procurement.procedure],
            "procurementMethodDetails": procurement.get_procedure_display(),
            "mainProcurementCategory": None,
            "value": _value(procurement.estimated_value),
            "tenderPeriod": _compact(
                {"startDate": _datetime(procurement.published_on), "endDate": _datetime(procurement.tender_deadline)}
            ),
            "procuringEntity": {"id": buyer_id, "name": buyer_name},
            "items": [
                {
                    "id": str(index),
                    "description": code.name_sv,
                    "classification": {"scheme": "CPV", "id": code.code, "description": code.name_sv},
                }
                for index, code in enumerate(cpv, start=1)
            ],
            "lots": [
                _compact(
                    {
                        "id": str(lot.number),
                        "title": lot.title,
                        "value": _value(lot.estimated_value),
                        "otherRequirements": {"reservedParticipation": [reserved or "shelteredWorkshop"]}
                        if lot.reserved
                        else None,
                    }
                )
                for lot in lots
            ],
            "otherRequirements": {"reservedParticipation": [reserved]} if reserved else None,
            "hasSustainability": bool(sustainability),
            "sustainability": sustainability,
        }
    )
    awards = []
    for index, award in enumerate(awards_in, start=1):
        supplier_id = party_id(award.supplier_orgnr, f"supplier-{procurement.pk}-{index}")
        party = parties.setdefault(
            supplier_id,
            _compact(
                {
                    "id": supplier_id,
                    "name": award.supplier_name,
                    "identifier": {"scheme": "SE-ORG", "id": award.supplier_orgnr, "legalName": award.supplier_name}
                    if award.supplier_orgnr
                    else None,
                    "roles": [],
                }
            ),
        )
        if "supplier" not in party.setdefault("roles", []):
            party["roles"].append("supplier")
        awards.append(
            _compact(
                {
                    "id": f"{procurement.pk}-{index}",
                    "status": "active",
                    "date": _datetime(procurement.awarded_on),
                    "value": _value(award.value),
                    "suppliers": [{"id": supplier_id, "name": award.supplier_name}],
                    "relatedLots": [str(award.lot.number)] if award.lot_id else None,
                    "contractPeriod": _compact(
                        {
                            "startDate": _datetime(procurement.contract_start),
                            "endDate": _datetime(procurement.contract_end),
                        }
                    ),
                }
            )
        )
    tags = ["tender"] if procurement.status in ("planned", "active") else ["award"] if awards else ["tenderUpdate"]
    if procurement.status == "planned":
        tags = ["planning"]
    if procurement.status == "cancelled":
        tags = ["tenderCancellation"]
    updated = procurement.updated_at
    return _compact(
        {
            "ocid": ocid,
            "id": f"{ocid}-{updated.strftime('%Y%m%dT%H%M%S')}",
            "date": updated.isoformat(),
            "tag": tags,
            "initiationType": "tender",
            "language": "sv",
            "parties": list(parties.values()),
            "buyer": {"id": buyer_id, "name": buyer_name},
            "tender": tender,
            "awards": awards,
        }
    )


def release_package(
    releases: Iterable[dict[str, Any]], *, uri: str, publisher: str, published: datetime.datetime
) -> dict[str, Any]:
    return {
        "uri": uri,
        "version": OCDS_VERSION,
        "extensions": EXTENSIONS,
        "publishedDate": published.isoformat(),
        "publisher": {"name": publisher},
        "license": "https://creativecommons.org/publicdomain/zero/1.0/",
        "releases": list(releases),
    }
