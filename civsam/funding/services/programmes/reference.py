"""The reference load of the Region's two programmes from data/programmes.json."""

from __future__ import annotations

import json
from pathlib import Path

from django.db import transaction

from civsam.core.models import AuditEntry
from civsam.core.services import audit_log

from ... import rules
from ...models import Funder, FundingSource, Programme

PROGRAMMES_FILE = Path(__file__).resolve().parent.parent.parent / "data" / "programmes.json"


# --- Reference data -----------------------------------------------------------------------------


@transaction.atomic
def programmes_load_reference() -> int:
    """Create the shipped programmes that are missing (by key) and give funders their case-number
    codes where they have none. A programme staff have changed is left as it is. Returns how many
    programmes were made."""
    document = json.loads(PROGRAMMES_FILE.read_text(encoding="utf-8"))
    for key, code in document.get("case_codes", {}).items():
        Funder.objects.filter(reference_key=key, case_code="").update(case_code=code)
    made = 0
    for item in document["programmes"]:
        if Programme.objects.filter(reference_key=item["key"]).exists():
            continue
        source = FundingSource.objects.filter(reference_key=item["source"]).first()
        if source is None:
            continue
        rules.parse(item["rules"])  # a broken file fails the load, not a later application
        programme = Programme(
            reference_key=item["key"],
            slug=item["key"],
            source=source,
            name=item["name"],
            description=item.get("description", ""),
            grant_form=item.get("grant_form", "project"),
            durations=item.get("durations", [1]),
            rules=item["rules"],
            form_template=item.get("form", []),
            criteria_template=item.get("criteria", []),
            committee=item.get("committee", ""),
            appeal_route=item.get("appeal_route", Programme.AppealRoute.LEGALITY_REVIEW),
            report_due=item.get("report_due", "03-31"),
        )
        programme.full_clean()
        programme.save()
        audit_log(actor=None, action=AuditEntry.Action.CREATE, obj=programme, note="reference data")
        made += 1
    return made
