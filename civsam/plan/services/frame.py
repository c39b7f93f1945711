"""The wider frame (ADR 0122): loading the shipped tags, and tagging the plan's areas.

A load creates the tags that are missing and brings a tag's names and source up to date only
while nobody has changed them since the last load (the same three-way rule as the plans,
ADR 0108); a tag the coordinator has edited is kept and the difference reported. Tags that are not
in the file (added by the coordinator, e.g. the strategy's other priority areas) are left alone."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from civsam.core.models import AuditEntry
from civsam.core.services import audit_log

from .. import permissions
from ..models import FocusArea, FrameTag, PriorityArea
from ..reference_merge import merge

FRAME_FILE = Path(__file__).resolve().parent.parent / "data" / "frame_tags.json"
OWNED = ("name_sv", "name_en", "source")


@dataclass
class FrameLoadResult:
    tags: int = 0  # in the file
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)  # "code field" that followed the file
    disagreements: list[str] = field(default_factory=list)  # in Swedish, for the operator


def _wanted(item: dict[str, Any], sdg_source: str) -> dict[str, Any]:
    source = item.get("source") or (sdg_source if item["kind"] == FrameTag.Kind.SDG else "")
    return {"name_sv": item["name_sv"], "name_en": item["name_en"], "source": source}


@transaction.atomic
def frame_tags_load_reference(*, path: Path = FRAME_FILE) -> FrameLoadResult:
    data = json.loads(path.read_text(encoding="utf-8"))
    items = data["items"]
    result = FrameLoadResult(tags=len(items))
    stored = {tag.code: tag for tag in FrameTag.objects.all()}
    for order, item in enumerate(items, start=1):
        wanted = _wanted(item, data.get("sdg_source", ""))
        tag = stored.get(item["code"])
        if tag is None:
            tag = FrameTag.objects.create(
                kind=item["kind"],
                code=item["code"],
                number=item.get("number"),
                parent=stored.get(item.get("parent", "")),
                sort_order=order * 10,
                reference_values=wanted,
                **wanted,
            )
            stored[tag.code] = tag
            audit_log(actor=None, action=AuditEntry.Action.CREATE, obj=tag, note="reference data")
            result.created.append(tag.code)
            continue
        outcome = merge({name: getattr(tag, name) for name in OWNED}, tag.reference_values or {}, wanted)
        changes = {}
        for name, value in outcome.apply.items():
            if getattr(tag, name) != value:
                changes[name] = [getattr(tag, name), value]
                setattr(tag, name, value)
                result.updated.append(f"{tag.code} {name}")
        for name, (database, file) in sorted(outcome.disagree.items()):
            result.disagreements.append(
                _(
                    "Ramverkstaggen %(code)s: %(field)s är ”%(database)s” i databasen men ”%(file)s” i "
                    "referensfilen; databasen behålls."
                )
                % {
                    "code": tag.code,
                    "field": FrameTag._meta.get_field(name).verbose_name,
                    "database": database,
                    "file": file,
                }
            )
        if changes or outcome.recorded != tag.reference_values:
            tag.reference_values = outcome.recorded
            tag.save()
        if changes:
            audit_log(actor=None, action=AuditEntry.Action.UPDATE, obj=tag, changes=changes, note="reference data")
    return result


@transaction.atomic
def area_frame_tags_set(*, actor, area: FocusArea | PriorityArea, tags: Iterable[FrameTag]) -> bool:
    """Set the strategies and goals a focus area or priority area serves; True if they changed."""
    plan = area.plan if isinstance(area, FocusArea) else area.focus_area.plan
    if actor is not None and not permissions.can_tag_plan_areas(actor, plan):
        raise PermissionDenied(_("Bara regionens samordnare kan ange strategier och mål för planens områden."))
    tags = list(tags)
    before = sorted(str(t) for t in area.frame_tags.all())
    after = sorted(str(t) for t in tags)
    if before == after:
        return False
    area.frame_tags.set(tags)
    audit_log(actor=actor, action=AuditEntry.Action.UPDATE, obj=area, changes={"frame_tags": [before, after]})
    return True
