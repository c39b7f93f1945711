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
    """Every entry: the Region with its orgnr, the others without one until it is checked against a
    source that can be cited (ADR 0115); those are loaded as bodies without an orgnr."""
    return json.loads(PUBLIC_BODIES.read_text(encoding="utf-8"))["items"]


def _present(item: dict) -> bool:
    """Whether the register already holds the body: by its orgnr when the entry has one; otherwise by
    its name, or, for a municipality (legal form 82), by any municipality body in that municipality."""
    if item.get("orgnr"):
        return Organisation.objects.filter(orgnr=item["orgnr"]).exists()
    same = Organisation.objects.filter(name__iexact=item["name"])
    if item["legal_form"] == "82":
        same = same | Organisation.objects.filter(legal_form__code="82", municipality__code=item["municipality"])
    return same.exists()


@transaction.atomic
def public_bodies_load_reference() -> int:
    """Create the public bodies that are not in the register yet; returns how many were created.
    One already there is left exactly as it is (its record belongs to the people who keep it)."""
    created = 0
    for item in public_bodies_reference():
        if _present(item):
            continue
        organisation_create(
            actor=None,
            name=item["name"],
            orgnr=item.get("orgnr") or None,
            legal_form=LegalForm.objects.get(code=item["legal_form"]),
            municipality=Municipality.objects.get(code=item["municipality"]),
            sector=Organisation.Sector.PUBLIC,
            website=item.get("website", ""),
            description=item.get("description", ""),
        )
        created += 1
    return created
