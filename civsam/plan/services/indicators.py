"""Writes to indicators: definitions, targets, yearly values (manual and computed)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from civsam.core.models import AuditEntry
from civsam.core.services import audit_log, model_diff

from .. import computations, permissions
from ..models import (
    FocusArea,
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    IndicatorValueRevision,
    Initiative,
    Plan,
    PriorityArea,
)

MIN_YEAR, MAX_YEAR = 1990, 2100


def _check(actor, indicator: Indicator | None = None) -> None:
    if actor is not None and not permissions.can_manage_indicators(actor, indicator):
        raise PermissionDenied(_("Bara regionens samordnare kan ändra indikatorerna."))


def _check_year(year: int, field: str = "year") -> None:
    if not MIN_YEAR <= int(year) <= MAX_YEAR:
        raise ValidationError(
            {field: _("Året ska vara mellan %(min)s och %(max)s.") % {"min": MIN_YEAR, "max": MAX_YEAR}}
        )


# An update argument left out: the field keeps its value. (None is a value: "no baseline".)
UNCHANGED: Any = object()
MAX_DECIMALS = 4  # the values are stored with four decimals


def _quantized(value) -> str | None:
    return None if value is None else str(Decimal(value).quantize(Decimal("0.0001")))


def _level_label(indicator: Indicator) -> str:
    if indicator.initiative_id:
        return f"{_('insats')}: {indicator.initiative}"
    if indicator.priority_area_id:
        area = indicator.priority_area
        return f"{_('aktivitetsområde')}: {area.code} {area.title_sv}"
    if indicator.focus_area_id:
        return f"{_('insatsområde')}: {indicator.focus_area.number}. {indicator.focus_area.title_sv}"
    return _("målet")


def _definition_state(indicator: Indicator) -> dict:
    """The definition as the audit log compares it."""
    return {
        "code": indicator.code,
        "name": indicator.name_sv,
        "name_en": indicator.name_en,
        "unit": indicator.unit,
        "direction": indicator.direction,
        "decimals": indicator.decimals,
        "level": _level_label(indicator),
        "baseline_year": indicator.baseline_year,
        "baseline_value": _quantized(indicator.baseline_value),
        "kind": indicator.kind,
        "computation": indicator.computation,
    }


def _validate_definition(indicator: Indicator, *, computation_before: str = "") -> None:
    """Every rule of a definition, with a Swedish message per field; the database constraints say the
    same, but only as an error page. A computation that is no longer registered may stay on an
    indicator (its other fields can still be edited); it cannot be chosen anew."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if not indicator.name_sv.strip():
        add("name_sv", _("Ange indikatorns namn."))
    if not indicator.unit.strip():
        add("unit", _("Ange en enhet, till exempel antal, procent eller kronor."))
    if indicator.direction not in Indicator.Direction.values:
        add("direction", _("Välj om högre eller lägre värden är bättre."))
    if indicator.decimals is None or not 0 <= int(indicator.decimals) <= MAX_DECIMALS:
        add("decimals", _("Antalet decimaler ska vara mellan 0 och %(max)s.") % {"max": MAX_DECIMALS})
    plan_id = indicator.plan_id
    levels = [x for x in (indicator.focus_area, indicator.priority_area, indicator.initiative) if x is not None]
    if len(levels) > 1:
        add("focus_area", _("En indikator hör till målet eller till en enda nivå under det."))
    if indicator.focus_area is not None and indicator.focus_area.plan_id != plan_id:
        add("focus_area", _("Insatsområdet hör till en annan plan."))
    if indicator.priority_area is not None and indicator.priority_area.focus_area.plan_id != plan_id:
        add("priority_area", _("Aktivitetsområdet hör till en annan plan."))
    if (
        indicator.initiative is not None
        and not indicator.initiative.priority_areas.filter(focus_area__plan_id=plan_id).exists()
    ):
        add("initiative", _("Insatsen bidrar inte till något aktivitetsområde i den här planen."))
    chosen = indicator.computation and indicator.computation != computation_before
    if chosen and computations.get(indicator.computation) is None:
        add("computation", _("Okänd beräkning ”%(code)s”.") % {"code": indicator.computation})
    if (indicator.baseline_year is None) != (indicator.baseline_value is None):
        add("baseline_value", _("Ange både basår och basvärde, eller inget av dem."))
    if indicator.baseline_year is not None and not MIN_YEAR <= int(indicator.baseline_year) <= MAX_YEAR:
        add("baseline_year", _("Året ska vara mellan %(min)s och %(max)s.") % {"min": MIN_YEAR, "max": MAX_YEAR})
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def indicator_create(
    *,
    actor,
    plan: Plan,
    code: str,
    name_sv: str,
    unit: str,
    name_en: str = "",
    direction: str = Indicator.Direction.HIGHER,
    decimals: int = 0,
    focus_area: FocusArea | None = None,
    priority_area: PriorityArea | None = None,
    initiative: Initiative | None = None,
    baseline_year: int | None = None,
    baseline_value: Decimal | None = None,
    computation: str = "",
    targets: Sequence[tuple[int, Decimal]] = (),
    is_demo: bool = False,
) -> Indicator:
    """A new indicator; with a computation it is computed, otherwise its values are entered by hand."""
    _check(actor)
    indicator = Indicator(
        plan=plan,
        code=code.strip(),
        name_sv=name_sv.strip(),
        name_en=name_en.strip(),
        unit=unit.strip(),
        direction=direction,
        decimals=decimals,
        focus_area=focus_area,
        priority_area=priority_area,
        initiative=initiative,
        baseline_year=baseline_year,
        baseline_value=baseline_value,
        kind=Indicator.Kind.COMPUTED if computation else Indicator.Kind.MANUAL,
        computation=computation,
        is_demo=is_demo,
    )
    try:
        _validate_definition(indicator)
        errors = {}
    except ValidationError as exc:
        errors = exc.message_dict
    if not indicator.code:
        errors["code"] = [_("Ange en kod.")]
    elif Indicator.objects.filter(code=indicator.code).exists():
        errors["code"] = [_("Koden ”%(code)s” används redan av en annan indikator.") % {"code": indicator.code}]
    if errors:
        raise ValidationError(errors)
    indicator.save()
    IndicatorTarget.objects.bulk_create(IndicatorTarget(indicator=indicator, year=y, value=v) for y, v in targets)
    state = _definition_state(indicator)
    state["targets"] = [f"{y}: {v}" for y, v in targets]
    audit_log(actor=actor, action=AuditEntry.Action.CREATE, obj=indicator, changes=model_diff({}, state))
    return indicator


@transaction.atomic
def indicator_update(
    *,
    actor,
    indicator: Indicator,
    name_sv: str = UNCHANGED,
    name_en: str = UNCHANGED,
    unit: str = UNCHANGED,
    direction: str = UNCHANGED,
    decimals: int = UNCHANGED,
    focus_area: FocusArea | None = UNCHANGED,
    priority_area: PriorityArea | None = UNCHANGED,
    initiative: Initiative | None = UNCHANGED,
    baseline_year: int | None = UNCHANGED,
    baseline_value: Decimal | None = UNCHANGED,
    computation: str = UNCHANGED,
) -> Indicator:
    """Change the definition's fields given. The code and the plan stay: links, imports and exports
    name the indicator by its code. A computation makes the indicator computed, an empty one manual;
    the values already recorded stay, and their history with them."""
    changes = {
        name: value.strip() if isinstance(value, str) else value
        for name, value in (
            ("name_sv", name_sv),
            ("name_en", name_en),
            ("unit", unit),
            ("direction", direction),
            ("decimals", decimals),
            ("focus_area", focus_area),
            ("priority_area", priority_area),
            ("initiative", initiative),
            ("baseline_year", baseline_year),
            ("baseline_value", baseline_value),
            ("computation", computation),
        )
        if value is not UNCHANGED
    }
    _check(actor, indicator)
    indicator = (
        Indicator.objects.select_for_update(of=("self",))  # the levels are outer joins: lock only the row
        .select_related("plan", "focus_area", "priority_area__focus_area", "initiative")
        .get(pk=indicator.pk)
    )
    before = _definition_state(indicator)
    computation_before = indicator.computation
    for name, value in changes.items():
        setattr(indicator, name, value)
    indicator.kind = Indicator.Kind.COMPUTED if indicator.computation else Indicator.Kind.MANUAL
    _validate_definition(indicator, computation_before=computation_before)
    diff = model_diff(before, _definition_state(indicator))
    if diff:
        indicator.save()
        audit_log(actor=actor, action=AuditEntry.Action.UPDATE, obj=indicator, changes=diff)
    indicator.changes = diff  # what this call changed, for callers that report it
    return indicator


@transaction.atomic
def indicator_target_set(*, actor, indicator: Indicator, year: int, value: Decimal | None) -> IndicatorTarget | None:
    """Set (or with value None remove) the target of a year."""
    _check(actor, indicator)
    _check_year(year)
    existing = IndicatorTarget.objects.filter(indicator=indicator, year=year).first()
    old = existing.value if existing else None
    if value is None:
        if existing:
            existing.delete()
    elif existing:
        existing.value = value
        existing.save(update_fields=["value"])
    else:
        existing = IndicatorTarget.objects.create(indicator=indicator, year=year, value=value)
    if old != value:
        audit_log(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            obj=indicator,
            changes={
                f"target {year}": [str(old) if old is not None else None, str(value) if value is not None else None]
            },
        )
    return existing if value is not None else None


def _keep_revision(value: IndicatorValue) -> IndicatorValueRevision:
    """A copy of a yearly value about to be replaced or removed, for the value history."""
    return IndicatorValueRevision.objects.create(
        indicator_id=value.indicator_id,
        year=value.year,
        value=value.value,
        source=value.source,
        comment=value.comment,
        is_computed=value.is_computed,
        recorded_at=value.recorded_at,
        recorded_by=value.recorded_by,
    )


@transaction.atomic
def indicator_value_set(
    *,
    actor,
    indicator: Indicator,
    year: int,
    value: Decimal,
    source: str = "",
    comment: str = "",
    is_computed: bool = False,
) -> tuple[IndicatorValue, bool]:
    """Create or replace the actual value of a year; returns (value, changed). A replaced value is kept
    as an IndicatorValueRevision (the value history on the indicator page) and in the audit log."""
    _check(actor, indicator)
    _check_year(year)
    if value is None:
        raise ValidationError({"value": _("Ange ett värde.")})
    if indicator.kind == Indicator.Kind.COMPUTED and not is_computed:
        raise ValidationError({"value": _("Värdena för en beräknad indikator räknas fram av Civsam.")})
    current = IndicatorValue.objects.select_for_update().filter(indicator=indicator, year=year).first()
    before = {"value": current.value, "source": current.source, "comment": current.comment} if current else {}
    after = {"value": Decimal(value), "source": source, "comment": comment}
    if current is None:
        current = IndicatorValue.objects.create(
            indicator=indicator,
            year=year,
            value=value,
            source=source,
            comment=comment,
            is_computed=is_computed,
            recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
    elif before["value"] == after["value"] and before["source"] == source and before["comment"] == comment:
        return current, False
    else:
        _keep_revision(current)  # so that the indicator page can show the value's history
        current.value, current.source, current.comment = value, source, comment
        current.is_computed = is_computed
        current.recorded_by = actor if getattr(actor, "is_authenticated", False) else None
        current.save()
    diff = {f"{year} {key}": pair for key, pair in model_diff(before, after).items()}
    audit_log(actor=actor, action=AuditEntry.Action.UPDATE, obj=indicator, changes=diff)
    return current, True


@transaction.atomic
def indicator_delete(*, actor, indicator: Indicator) -> None:
    """Remove an indicator with its targets, values and value history. The audit log keeps its
    definition and every yearly value; published reports keep their own snapshot (ADR 0010)."""
    _check(actor, indicator)
    values = {str(v.year): _quantized(v.value) for v in indicator.values.order_by("year")}
    targets = {str(t.year): _quantized(t.value) for t in indicator.targets.order_by("year")}
    audit_log(
        actor=actor,
        action=AuditEntry.Action.DELETE,
        obj=indicator,
        changes={
            **{key: [value, None] for key, value in _definition_state(indicator).items()},
            "values": [values, None],
            "targets": [targets, None],
        },
        note=indicator.code,
    )
    indicator.delete()


@transaction.atomic
def indicator_value_clear(*, actor, indicator: Indicator, year: int) -> bool:
    """Remove the actual value of a year (entered by mistake); returns whether there was one. The
    removed value stays in the value history and the audit log."""
    _check(actor, indicator)
    _check_year(year)
    if indicator.kind == Indicator.Kind.COMPUTED:
        raise ValidationError({"value": _("Värdena för en beräknad indikator räknas fram av Civsam.")})
    current = IndicatorValue.objects.select_for_update().filter(indicator=indicator, year=year).first()
    if current is None:
        return False
    _keep_revision(current)
    before = {"value": current.value, "source": current.source, "comment": current.comment}
    current.delete()
    diff = {f"{year} {key}": pair for key, pair in model_diff(before, dict.fromkeys(before)).items()}
    audit_log(actor=actor, action=AuditEntry.Action.UPDATE, obj=indicator, changes=diff, note=_("Utfall borttaget"))
    return True


def indicators_recompute(*, year: int, actor=None) -> list[tuple[Indicator, str, Decimal | None]]:
    """Run every computed indicator for the year; returns (indicator, outcome, value) per indicator,
    the outcome being "changed", "unchanged" or the reason why there is no value."""
    results = []
    for indicator in Indicator.objects.filter(kind=Indicator.Kind.COMPUTED).order_by("code"):
        computation = computations.get(indicator.computation)
        if computation is None:
            results.append((indicator, computations.unknown_reason(indicator.computation), None))
            continue
        result = computation.run(year, initiative_id=indicator.initiative_id)
        if result.value is None:
            results.append((indicator, result.reason, None))
            continue
        _stored, changed = indicator_value_set(
            actor=actor, indicator=indicator, year=year, value=result.value, source=result.source, is_computed=True
        )
        results.append((indicator, "changed" if changed else "unchanged", result.value))
    return results
