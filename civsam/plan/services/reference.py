"""Loading the shipped plans and the default initiative statuses; both idempotent."""

from __future__ import annotations

import json
from pathlib import Path

from django.db import transaction

from ..models import FocusArea, InitiativeStatus, Plan, PriorityArea

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
PLANS_FILE = DATA_DIR / "plans.json"
STATUSES_FILE = DATA_DIR / "initiative_statuses.json"


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
    initiative_statuses_load_defaults()
    return len(data["plans"])


def initiative_statuses_load_defaults(*, path: Path = STATUSES_FILE) -> int:
    """Create the default statuses that are missing; statuses the coordinator has edited stay as they are."""
    items = json.loads(path.read_text(encoding="utf-8"))["items"]
    for order, item in enumerate(items, start=1):
        InitiativeStatus.objects.get_or_create(
            code=item["code"],
            defaults={
                "kind": item["kind"],
                "default_progress": item["default_progress"],
                "name_sv": item["name_sv"],
                "name_en": item["name_en"],
                "sort_order": order * 10,
            },
        )
    return len(items)
