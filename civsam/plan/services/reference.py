"""Loading the shipped plans and the default initiative statuses; both idempotent.

The file owns a plan's identity and tree as adopted: its titles, goal, years, focus areas and
priority areas. Users own everything that happens to the plan after it is created: its status and
decisions (plan_status_change), its texts, indicators and follow-up. A load therefore creates the
plans and areas that are missing (a new plan with the status and decisions the file gives it),
brings a file-owned field up to date only while nobody has changed it since the last load, and
reports every disagreement instead of choosing a side (ADR 0108)."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from civsam.core.models import AuditEntry
from civsam.core.services import audit_log, upsert_by_key

from ..models import FocusArea, InitiativeStatus, Plan, PlanDecision, PriorityArea
from ..reference_merge import merge

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
PLANS_FILE = DATA_DIR / "plans.json"
STATUSES_FILE = DATA_DIR / "initiative_statuses.json"

PLAN_FIELDS = ("title_sv", "title_en", "goal_sv", "goal_en", "start_year", "end_year")
AREA_FIELDS = ("title_sv", "title_en")


@dataclass
class PlansLoadResult:
    plans: int = 0  # in the file
    created: list[str] = field(default_factory=list)  # slugs
    updated: list[str] = field(default_factory=list)  # "slug key" that followed the file
    disagreements: list[str] = field(default_factory=list)  # in Swedish, for the operator


def _wanted(spec: dict[str, Any]) -> dict[str, Any]:
    values = {f"plan.{name}": spec[name] for name in PLAN_FIELDS}
    for fa_number, fa in enumerate(spec["focus_areas"], start=1):
        values.update({f"{fa_number}.{name}": fa[name] for name in AREA_FIELDS})
        for pa_number, pa in enumerate(fa["priority_areas"], start=1):
            values.update({f"{fa_number}.{pa_number}.{name}": pa[name] for name in AREA_FIELDS})
    return values


def _rows(plan: Plan) -> dict[str, Any]:
    """The plan's rows by the key prefix of their values ("plan", "2", "2.3")."""
    rows: dict[str, Any] = {"plan": plan}
    for fa in plan.focus_areas.all():
        rows[str(fa.number)] = fa
        for pa in fa.priority_areas.all():
            rows[f"{fa.number}.{pa.number}"] = pa
    return rows


def _current(rows: dict[str, Any]) -> dict[str, Any]:
    values = {}
    for prefix, row in rows.items():
        for name in PLAN_FIELDS if prefix == "plan" else AREA_FIELDS:
            values[f"{prefix}.{name}"] = getattr(row, name)
    return values


def _where(slug: str, prefix: str) -> str:
    if prefix == "plan":
        return _("planen %(slug)s") % {"slug": slug}
    if "." in prefix:
        return _("planen %(slug)s, aktivitetsområde %(code)s") % {"slug": slug, "code": prefix}
    return _("planen %(slug)s, insatsområde %(code)s") % {"slug": slug, "code": prefix}


def _field_label(name: str) -> str:
    return str(Plan._meta.get_field(name).verbose_name)


def _create_plan(spec: dict[str, Any]) -> Plan:
    plan = Plan.objects.create(slug=spec["slug"], status=spec["status"], **{k: spec[k] for k in PLAN_FIELDS})
    before = Plan.Status.DRAFT
    for decision in spec.get("decisions", []):
        PlanDecision.objects.create(
            plan=plan,
            action=Plan.WORKFLOW.action(before, decision["status"]),
            status_before=before,
            status_after=decision["status"],
            body=decision["body"],
            decided_on=datetime.date.fromisoformat(decision["decided_on"]),
            case_number=decision.get("case_number", ""),
            note=decision.get("note", ""),
        )
        before = decision["status"]
    if before != plan.status:
        raise ValueError(f"{spec['slug']}: the file's decisions end in {before}, its status is {plan.status}")
    audit_log(actor=None, action=AuditEntry.Action.CREATE, obj=plan, note="reference data")
    return plan


def _load_one(spec: dict[str, Any], result: PlansLoadResult) -> None:
    plan = Plan.objects.filter(slug=spec["slug"]).first()
    if plan is None:
        plan = _create_plan(spec)
        result.created.append(plan.slug)
    plan = Plan.objects.prefetch_related("focus_areas__priority_areas").get(pk=plan.pk)
    rows = _rows(plan)
    wanted = _wanted(spec)
    outcome = merge(_current(rows), plan.reference_values or {}, wanted)
    changed: dict[str, list[Any]] = {}
    for key, value in sorted(outcome.apply.items(), key=lambda kv: kv[0].count(".")):
        prefix, name = key.rsplit(".", 1)
        row = rows.get(prefix)
        if row is None:  # a focus area or priority area the file adds
            number = int(prefix.rsplit(".", 1)[-1])
            titles = {n: wanted[f"{prefix}.{n}"] for n in AREA_FIELDS}
            if "." in prefix:
                row = PriorityArea.objects.create(focus_area=rows[prefix.split(".")[0]], number=number, **titles)
            else:
                row = FocusArea.objects.create(plan=plan, number=number, **titles)
            rows[prefix] = row
            continue
        if getattr(row, name) != value:
            changed[key] = [getattr(row, name), value]
            setattr(row, name, value)
            row.save(update_fields=[name])
            result.updated.append(f"{plan.slug} {key}")
    for key, (database, file) in sorted(outcome.disagree.items()):
        prefix, name = key.rsplit(".", 1)
        result.disagreements.append(
            _("%(where)s: %(field)s är ”%(database)s” i databasen men ”%(file)s” i referensfilen; databasen behålls.")
            % {"where": _where(plan.slug, prefix), "field": _field_label(name), "database": database, "file": file}
        )
    for prefix in sorted(set(rows) - {k.rsplit(".", 1)[0] for k in wanted}):
        result.disagreements.append(
            _("%(where)s finns i databasen men inte i referensfilen; den lämnas orörd.")
            % {"where": _where(plan.slug, prefix)}
        )
    if changed:
        audit_log(actor=None, action=AuditEntry.Action.UPDATE, obj=plan, changes=changed, note="reference data")
    if outcome.recorded != plan.reference_values:
        Plan.objects.filter(pk=plan.pk).update(reference_values=outcome.recorded)


@transaction.atomic
def plans_load_reference(*, path: Path = PLANS_FILE) -> PlansLoadResult:
    """Create the shipped plans that are missing and bring the file's fields of the others up to
    date where nobody has changed them; what users own is never touched."""
    data = json.loads(path.read_text(encoding="utf-8"))
    result = PlansLoadResult(plans=len(data["plans"]))
    for spec in data["plans"]:
        _load_one(spec, result)
    initiative_statuses_load_defaults()
    return result


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
