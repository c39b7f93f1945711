"""Public bodies as reference data (ADR 0096): the Region and the county's public actors, loaded
by `load_reference_data`. A body is created when it is missing and never changed afterwards:
once in the register, its record belongs to the people who keep it."""

from __future__ import annotations

import json
from pathlib import Path

from django.db import transaction

from civsam.core.models import LegalForm, Municipality

from ..models import Organisation
from .organisations import organisation_create

PUBLIC_BODIES = Path(__file__).resolve().parent.parent / "data" / "public_bodies.json"


def public_bodies_reference() -> list[dict]:
    """The entries that can be loaded: those with a checked orgnr (the others wait for one)."""
    items = json.loads(PUBLIC_BODIES.read_text(encoding="utf-8"))["items"]
    return [item for item in items if item.get("orgnr")]


@transaction.atomic
def public_bodies_load_reference() -> int:
    """Create the public bodies that are not in the register yet; returns how many were created.
    An existing organisation with the same orgnr is left exactly as it is."""
    created = 0
    existing = set(
        Organisation.objects.filter(orgnr__in=[item["orgnr"] for item in public_bodies_reference()]).values_list(
            "orgnr", flat=True
        )
    )
    for item in public_bodies_reference():
        if item["orgnr"] in existing:
            continue
        organisation_create(
            actor=None,
            name=item["name"],
            orgnr=item["orgnr"],
            legal_form=LegalForm.objects.get(code=item["legal_form"]),
            municipality=Municipality.objects.get(code=item["municipality"]),
            sector=Organisation.Sector.PUBLIC,
            website=item.get("website", ""),
            description=item.get("description", ""),
        )
        created += 1
    return created
