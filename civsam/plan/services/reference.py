"""Loading the shipped plans and the default initiative statuses; both idempotent."""

from __future__ import annotations

import json
from pathlib import Path

from django.db import transaction

from civsam.core.services import upsert_by_key

from ..models import FocusArea, InitiativeStatus, Plan, PriorityArea

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
PLANS_FILE = DATA_DIR / "plans.json"
STATUSES_FILE = DATA_DIR / "initiative_statuses.json"


@transaction.atomic
def plans_load_reference(*, path: Path = PLANS_FILE) -> int:
    """Create or update the shipped plan versions from their data file; returns the plan count."""
    data = json.loads(path.read_text(encoding="utf-8"))
    fields = ("title_sv", "title_en", "goal_sv", "goal_en", "start_year", "end_year", "status")
    plans = upsert_by_key(
        Plan, ("slug",), [{"slug": spec["slug"], **{k: spec[k] for k in fields}} for spec in data["plans"]]
    )
    focus_rows, area_specs = [], []
    for spec in data["plans"]:
        plan = plans[(spec["slug"],)]
        for fa_number, fa_spec in enumerate(spec["focus_areas"], start=1):
            focus_rows.append({"plan_id": plan.pk, "number": fa_number, "title_sv": fa_spec["title_sv"],
                               "title_en": fa_spec["title_en"]})  # fmt: skip
            area_specs.append(((plan.pk, fa_number), fa_spec["priority_areas"]))
    focus_areas = upsert_by_key(FocusArea, ("plan_id", "number"), focus_rows)
    area_rows = [
        {"focus_area_id": focus_areas[key].pk, "number": number, "title_sv": pa["title_sv"], "title_en": pa["title_en"]}
        for key, areas in area_specs
        for number, pa in enumerate(areas, start=1)
    ]
    upsert_by_key(PriorityArea, ("focus_area_id", "number"), area_rows)
    initiative_statuses_load_defaults()
    return len(data["plans"])


def initiative_statuses_load_defaults(*, path: Path = STATUSES_FILE) -> int:
    """Create the default statuses that are missing; statuses the coordinator has edited stay as they are."""
    items = json.loads(path.read_text(encoding="utf-8"))["items"]
    rows = [
        {"code": item["code"], "kind": item["kind"], "default_progress": item["default_progress"],
         "name_sv": item["name_sv"], "name_en": item["name_en"], "sort_order": order * 10}
        for order, item in enumerate(items, start=1)
    ]  # fmt: skip
    upsert_by_key(InitiativeStatus, ("code",), rows, update=False)
    return len(items)
