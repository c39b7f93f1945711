"""Writes to the plan tree. Loading the shipped plans is idempotent."""

from __future__ import annotations

import json
from pathlib import Path

from django.db import transaction

from .models import FocusArea, Plan, PriorityArea

PLANS_FILE = Path(__file__).parent / "data" / "plans.json"


@transaction.atomic
def plans_load_reference(*, path: Path = PLANS_FILE) -> int:
    """Create or update the shipped plan versions from their data file; returns the plan count."""
    data = json.loads(path.read_text(encoding="utf-8"))
    for spec in data["plans"]:
        plan, _ = Plan.objects.update_or_create(
            slug=spec["slug"],
            defaults={
                key: spec[key]
                for key in ("title_sv", "title_en", "goal_sv", "goal_en", "start_year", "end_year", "status")
            },
        )
        for fa_number, fa_spec in enumerate(spec["focus_areas"], start=1):
            focus_area, _ = FocusArea.objects.update_or_create(
                plan=plan,
                number=fa_number,
                defaults={"title_sv": fa_spec["title_sv"], "title_en": fa_spec["title_en"]},
            )
            for pa_number, pa_spec in enumerate(fa_spec["priority_areas"], start=1):
                PriorityArea.objects.update_or_create(
                    focus_area=focus_area,
                    number=pa_number,
                    defaults={"title_sv": pa_spec["title_sv"], "title_en": pa_spec["title_en"]},
                )
    return len(data["plans"])
