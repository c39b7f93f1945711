"""Writes to indicators: definitions, targets, yearly values (manual and computed)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from civsam.core.models import AuditEntry
from civsam.core.services import audit_log, model_diff

from .. import permissions
from ..computations import COMPUTATIONS
from ..models import Indicator, IndicatorTarget, IndicatorValue

MIN_YEAR, MAX_YEAR = 1990, 2100


def _check(actor, indicator: Indicator | None = None) -> None:
    if actor is not None and not permissions.can_manage_indicators(actor, indicator):
        raise PermissionDenied(_("Bara regionens samordnare kan ändra indikatorerna."))


def _check_year(year: int, field: str = "year") -> None:
    if not MIN_YEAR <= int(year) <= MAX_YEAR:
        raise ValidationError(
            {field: _("Året ska vara mellan %(min)s och %(max)s.") % {"min": MIN_YEAR, "max": MAX_YEAR}}
        )


@transaction.atomic
def indicator_create(
    *,
    actor,
    plan,
    code: str,
    name_sv: str,
    unit: str,
    name_en: str = "",
    direction: str = Indicator.Direction.HIGHER,
    decimals: int = 0,
    focus_area=None,
    priority_area=None,
    initiative=None,
    baseline_year: int | None = None,
    baseline_value: Decimal | None = None,
    computation: str = "",
    targets: Sequence[tuple[int, Decimal]] = (),
    is_demo: bool = False,
) -> Indicator:
    _check(actor)
    errors = {}
    if sum(x is not None for x in (focus_area, priority_area, initiative)) > 1:
        errors["focus_area"] = _("En indikator hör till målet eller till en enda nivå under det.")
    if focus_area is not None and focus_area.plan_id != plan.pk:
        errors["focus_area"] = _("Insatsområdet hör till en annan plan.")
    if priority_area is not None and priority_area.focus_area.plan_id != plan.pk:
        errors["priority_area"] = _("Aktivitetsområdet hör till en annan plan.")
    if computation and computation not in COMPUTATIONS:
        errors["computation"] = _("Okänd beräkning ”%(code)s”.") % {"code": computation}
    if (baseline_year is None) != (baseline_value is None):
        errors["baseline_value"] = _("Ange både basår och basvärde, eller inget av dem.")
    if errors:
        raise ValidationError(errors)
    indicator = Indicator.objects.create(
        plan=plan,
        code=code,
        name_sv=name_sv,
        name_en=name_en,
        unit=unit,
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
    IndicatorTarget.objects.bulk_create(IndicatorTarget(indicator=indicator, year=y, value=v) for y, v in targets)
    audit_log(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=indicator,
        changes=model_diff(
            {}, {"code": code, "name": name_sv, "unit": unit, "targets": [f"{y}: {v}" for y, v in targets]}
        ),
    )
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
    """Create or replace the actual value of a year; returns (value, changed). The audit log keeps the
    earlier value, which is the indicator's history."""
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
        current.value, current.source, current.comment = value, source, comment
        current.recorded_by = actor if getattr(actor, "is_authenticated", False) else None
        current.save()
    diff = {f"{year} {key}": pair for key, pair in model_diff(before, after).items()}
    audit_log(actor=actor, action=AuditEntry.Action.UPDATE, obj=indicator, changes=diff)
    return current, True


def indicators_recompute(*, year: int, actor=None) -> list[tuple[Indicator, str, Decimal | None]]:
    """Run every computed indicator for the year; returns (indicator, outcome, value) per indicator,
    the outcome being "changed", "unchanged" or the reason why there is no value."""
    results = []
    for indicator in Indicator.objects.filter(kind=Indicator.Kind.COMPUTED).order_by("code"):
        computation = COMPUTATIONS.get(indicator.computation)
        if computation is None:
            results.append((indicator, _("okänd beräkning"), None))
            continue
        if computation.per_initiative and indicator.initiative_id:
            result = computation.compute(year, initiative_id=indicator.initiative_id)
        else:
            result = computation.compute(year)
        if result.value is None:
            results.append((indicator, result.reason, None))
            continue
        _stored, changed = indicator_value_set(
            actor=actor, indicator=indicator, year=year, value=result.value, source=result.source, is_computed=True
        )
        results.append((indicator, "changed" if changed else "unchanged", result.value))
    return results
