"""The grant register as 360Giving data (the 360Giving Data Standard, package schema 1.4).

Pure mapping, no database reads of its own: the caller passes decisions with their funder,
recipient, municipality and source loaded. Identifiers (ADR 0068):
- organisations with an organisationsnummer: "SE-BLV-<ten digits>" (org-id.guide's list for
  Swedish organisation numbers);
- a funder without one: "<prefix>-funder-<slug>";
- a grant: "<prefix>-<funder slug>-<case number>", unique because (funder, case number) is.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

STANDARD_VERSION = "1.4"
ORG_PREFIX = "SE-BLV"


def organisation_id(orgnr: str) -> str:
    return f"{ORG_PREFIX}-{orgnr}"


def funder_id(funder, prefix: str) -> str:
    orgnr = funder.identifier_orgnr
    return organisation_id(orgnr) if orgnr else f"{prefix}-funder-{funder.slug}"


def grant_id(decision, prefix: str) -> str:
    return f"{prefix}-{decision.funder.slug}-{decision.case_number}"


def _date(value: datetime.date) -> str:
    return value.isoformat()


def grant(decision, *, prefix: str, url: str, grant_form_label: str) -> dict[str, Any]:
    recipient = decision.recipient
    programme = decision.programme_label
    title = f"{programme} – {recipient.name}" if programme else recipient.name
    years = decision.year_to - decision.year_from + 1
    item: dict[str, Any] = {
        "id": grant_id(decision, prefix),
        "title": title,
        "description": decision.purpose or title,
        "currency": "SEK",
        "amountAwarded": float(decision.amount_granted),
        "awardDate": _date(decision.decision_date),
        "url": url,
        "plannedDates": [
            {
                "startDate": f"{decision.year_from}-01-01",
                "endDate": f"{decision.year_to}-12-31",
                "duration": 12 * years,
            }
        ],
        "recipientOrganization": [
            {
                "id": organisation_id(recipient.orgnr),
                "name": recipient.name,
                "addressLocality": decision.recipient_municipality.name,
                "addressCountry": "Sverige",
            }
        ],
        "fundingOrganization": [{"id": funder_id(decision.funder, prefix), "name": decision.funder.name}],
        "beneficiaryLocation": [{"name": decision.recipient_municipality.name, "countryCode": "SE"}],
        "classifications": [
            {"vocabulary": f"{prefix}-grant-form", "code": decision.grant_form, "title": grant_form_label}
        ],
        "dateModified": decision.updated_at.isoformat(),
    }
    if decision.amount_applied is not None:
        item["amountAppliedFor"] = float(decision.amount_applied)
    if decision.amount_paid is not None:
        item["amountDisbursed"] = float(decision.amount_paid)
    if programme:
        item["grantProgramme"] = [
            {"code": decision.source.slug if decision.source_id else programme, "title": programme}
        ]
    return item


def package(
    grants: Iterable[dict[str, Any]], *, title: str, publisher: str, website: str, issued: datetime.date
) -> dict[str, Any]:
    return {
        "version": STANDARD_VERSION,
        "title": title,
        "issued": _date(issued),
        "publisher": {"name": publisher, "website": website},
        "grants": list(grants),
    }
