"""Indicator management through the services: definitions, targets, values and their removal, each
kept to the coordinator and written to the audit log."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from civsam.core.models import AuditEntry
from civsam.core.selectors import history_for
from civsam.plan import services
from civsam.plan.models import Indicator, IndicatorTarget, IndicatorValue, IndicatorValueRevision

DENIED_ROLES = ("officer", "officer_kumla", "rep", "reviewer", "plain")


def _entries(obj, action=None):
    entries = history_for(obj)
    return list(entries.filter(action=action) if action else entries)


@pytest.mark.parametrize("role", DENIED_ROLES)
@pytest.mark.parametrize(
    "write",
    [
        lambda actor, plan, ind: services.indicator_create(actor=actor, plan=plan, code="n", name_sv="N", unit="st"),
        lambda actor, plan, ind: services.indicator_update(actor=actor, indicator=ind, name_sv="Nytt namn"),
        lambda actor, plan, ind: services.indicator_target_set(actor=actor, indicator=ind, year=2024, value=Decimal(5)),
        lambda actor, plan, ind: services.indicator_value_set(actor=actor, indicator=ind, year=2024, value=Decimal(5)),
    ],
    ids=["create", "update", "target", "value"],
)
def test_only_the_coordinator_writes_indicators(users, plan, indicator, role, write):
    before = AuditEntry.objects.count()
    with pytest.raises(PermissionDenied):
        write(users[role], plan, indicator)
    assert AuditEntry.objects.count() == before
    indicator.refresh_from_db()
    assert indicator.name_sv == "Antal IOP" and not indicator.targets.exists() and not indicator.values.exists()
    assert not Indicator.objects.filter(code="n").exists()


def test_the_coordinator_creates_and_the_audit_log_says_so(users, plan):
    fa = plan.focus_areas.get(number=2)
    created = services.indicator_create(
        actor=users["admin"],
        plan=plan,
        code="motesplatser",
        name_sv="Mötesplatser",
        unit="antal",
        focus_area=fa,
        direction="lower",
        decimals=1,
        baseline_year=2021,
        baseline_value=Decimal("3.5"),
    )
    assert created.kind == Indicator.Kind.MANUAL and created.focus_area == fa
    (entry,) = _entries(created)
    assert entry.action == AuditEntry.Action.CREATE and entry.actor == users["admin"]
    assert entry.changes["code"] == [None, "motesplatser"]
    assert entry.changes["level"][1].startswith("insatsområde: 2.")
    assert entry.changes["baseline_value"] == [None, "3.5000"]


def _other_plan_area(area):
    return area("1.1", "2026-2030")


@pytest.mark.parametrize(
    ("fields", "error_field"),
    [
        ({"name_sv": "  "}, "name_sv"),
        ({"unit": ""}, "unit"),
        ({"decimals": 5}, "decimals"),
        ({"direction": "sideways"}, "direction"),
        ({"baseline_year": 2021}, "baseline_value"),
        ({"baseline_year": 1800, "baseline_value": Decimal(1)}, "baseline_year"),
        ({"computation": "no-such-thing"}, "computation"),
        ({"code": "iop"}, "code"),
        ({"code": ""}, "code"),
        ("other-plan-focus-area", "focus_area"),
        ("other-plan-priority-area", "priority_area"),
        ("initiative-of-other-plan", "initiative"),
        ("two-levels", "focus_area"),
    ],
)
def test_create_refuses_bad_definitions_per_field(plan, indicator, area, make_initiative, fields, error_field):
    from civsam.plan.models import Plan

    other = Plan.objects.get(slug="2026-2030")
    if fields == "other-plan-focus-area":
        fields = {"focus_area": other.focus_areas.first()}
    elif fields == "other-plan-priority-area":
        fields = {"priority_area": _other_plan_area(area)}
    elif fields == "initiative-of-other-plan":
        fields = {"initiative": make_initiative(areas=(_other_plan_area(area),))}
    elif fields == "two-levels":
        fields = {"focus_area": plan.focus_areas.first(), "priority_area": area("1.1")}
    kwargs = {"code": "ny", "name_sv": "Ny", "unit": "st", **fields}
    with pytest.raises(ValidationError) as exc:
        services.indicator_create(actor=None, plan=plan, **kwargs)
    assert error_field in exc.value.message_dict
    assert Indicator.objects.count() == 1


def test_update_changes_the_definition_and_logs_only_real_changes(users, plan, indicator, make_initiative):
    initiative = make_initiative(areas=("2.1",), title="Föreningsskolan")
    updated = services.indicator_update(
        actor=users["admin"],
        indicator=indicator,
        name_sv="Antal IOP-avtal",
        initiative=initiative,
        baseline_value=Decimal("2.0"),  # the same value as before, written differently
        computation="network-meeting-participants",
    )
    assert updated.kind == Indicator.Kind.COMPUTED and updated.initiative == initiative
    (entry,) = _entries(indicator, AuditEntry.Action.UPDATE)
    assert set(entry.changes) == {"name", "level", "kind", "computation"}
    assert entry.changes["level"] == ["målet", "insats: Föreningsskolan"]
    again = services.indicator_update(actor=users["admin"], indicator=indicator, name_sv="Antal IOP-avtal")
    assert again.changes == {} and len(_entries(indicator, AuditEntry.Action.UPDATE)) == 1
    back = services.indicator_update(actor=users["admin"], indicator=indicator, computation="")
    assert back.kind == Indicator.Kind.MANUAL


def test_update_keeps_the_code_and_refuses_bad_values(plan, indicator):
    with pytest.raises(TypeError):
        services.indicator_update(actor=None, indicator=indicator, code="annan")
    with pytest.raises(ValidationError) as exc:
        services.indicator_update(actor=None, indicator=indicator, baseline_value=None)
    assert "baseline_value" in exc.value.message_dict
    indicator.refresh_from_db()
    assert indicator.baseline_value == 2


def test_targets_are_set_changed_and_cleared_with_audit_entries(users, indicator):
    admin = users["admin"]
    services.indicator_target_set(actor=admin, indicator=indicator, year=2024, value=Decimal(10))
    services.indicator_target_set(actor=admin, indicator=indicator, year=2024, value=Decimal(12))
    services.indicator_target_set(actor=admin, indicator=indicator, year=2024, value=None)
    services.indicator_target_set(actor=admin, indicator=indicator, year=2025, value=None)  # nothing to clear
    assert not IndicatorTarget.objects.filter(indicator=indicator).exists()
    changes = [e.changes for e in reversed(_entries(indicator, AuditEntry.Action.UPDATE))]
    assert changes == [
        {"target 2024": [None, "10"]},
        {"target 2024": ["10.0000", "12"]},
        {"target 2024": ["12.0000", None]},
    ]


def test_a_changed_value_keeps_the_earlier_ones(users, indicator):
    admin = users["admin"]
    services.indicator_value_set(actor=None, indicator=indicator, year=2023, value=Decimal(7), source="Enkät")
    services.indicator_value_set(actor=admin, indicator=indicator, year=2023, value=Decimal(9), comment="Rättat")
    _same, changed = services.indicator_value_set(
        actor=admin, indicator=indicator, year=2023, value=Decimal(9), comment="Rättat"
    )
    assert changed is False
    services.indicator_value_set(actor=admin, indicator=indicator, year=2023, value=Decimal(11))
    services.indicator_value_set(actor=admin, indicator=indicator, year=2024, value=Decimal(12))
    current = IndicatorValue.objects.get(indicator=indicator, year=2023)
    assert current.value == 11 and current.recorded_by == admin
    history = [
        (r.year, r.value, r.source, r.comment, r.recorded_by)
        for r in IndicatorValueRevision.objects.filter(indicator=indicator).order_by("id")
    ]
    assert history == [(2023, 7, "Enkät", "", None), (2023, 9, "", "Rättat", admin)]
    assert len(_entries(indicator, AuditEntry.Action.UPDATE)) == 4  # two new values and two replacements


def test_a_computed_value_replaced_by_hand_is_no_longer_marked_computed(users, plan):
    ind = services.indicator_create(
        actor=None, plan=plan, code="c", name_sv="C", unit="st", computation="ongoing-initiatives"
    )
    services.indicator_value_set(actor=None, indicator=ind, year=2024, value=Decimal(3), is_computed=True)
    ind = services.indicator_update(actor=users["admin"], indicator=ind, computation="")
    services.indicator_value_set(actor=users["admin"], indicator=ind, year=2024, value=Decimal(4))
    assert IndicatorValue.objects.get(indicator=ind).is_computed is False
    assert IndicatorValueRevision.objects.get(indicator=ind).is_computed is True


def test_a_removed_value_stays_in_the_history_and_the_audit_log(users, indicator):
    services.indicator_value_set(actor=users["admin"], indicator=indicator, year=2024, value=Decimal(5), source="Enkät")
    assert services.indicator_value_clear(actor=users["admin"], indicator=indicator, year=2024) is True
    assert not IndicatorValue.objects.filter(indicator=indicator, year=2024).exists()
    kept = IndicatorValueRevision.objects.get(indicator=indicator, year=2024)
    assert (kept.value, kept.source) == (Decimal(5), "Enkät")
    entry = _entries(indicator, AuditEntry.Action.UPDATE)[0]
    assert entry.changes["2024 value"] == ["5.0000", None] and entry.actor == users["admin"]
    # Nothing to remove: no revision, no audit entry.
    before = AuditEntry.objects.count()
    assert services.indicator_value_clear(actor=users["admin"], indicator=indicator, year=2024) is False
    assert AuditEntry.objects.count() == before and IndicatorValueRevision.objects.count() == 1


@pytest.mark.parametrize("role", DENIED_ROLES)
def test_only_the_coordinator_removes_values(users, indicator, role):
    services.indicator_value_set(actor=None, indicator=indicator, year=2024, value=Decimal(5))
    with pytest.raises(PermissionDenied):
        services.indicator_value_clear(actor=users[role], indicator=indicator, year=2024)
    assert IndicatorValue.objects.filter(indicator=indicator, year=2024).exists()


def test_computed_values_are_not_removed_by_hand(plan):
    computed = services.indicator_create(
        actor=None, plan=plan, code="ber", name_sv="Beräknad", unit="antal", computation="social-enterprises"
    )
    with pytest.raises(ValidationError):
        services.indicator_value_clear(actor=None, indicator=computed, year=2024)


def test_a_removed_indicator_leaves_its_definition_and_values_in_the_audit_log(users, indicator):
    services.indicator_target_set(actor=None, indicator=indicator, year=2025, value=Decimal(10))
    services.indicator_value_set(actor=None, indicator=indicator, year=2024, value=Decimal(5))
    services.indicator_value_set(actor=None, indicator=indicator, year=2024, value=Decimal(6))  # one revision
    pk = indicator.pk
    services.indicator_delete(actor=users["admin"], indicator=indicator)
    assert not Indicator.objects.filter(pk=pk).exists()
    assert not IndicatorValue.objects.filter(indicator_id=pk).exists()
    assert not IndicatorTarget.objects.filter(indicator_id=pk).exists()
    assert not IndicatorValueRevision.objects.filter(indicator_id=pk).exists()
    entry = AuditEntry.objects.get(action=AuditEntry.Action.DELETE, object_id=str(pk))
    assert entry.actor == users["admin"] and entry.note == "iop"
    assert entry.changes["values"] == [{"2024": "6.0000"}, None]
    assert entry.changes["targets"] == [{"2025": "10.0000"}, None]
    assert entry.changes["unit"] == ["antal", None]
