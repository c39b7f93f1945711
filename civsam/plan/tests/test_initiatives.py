"""Initiative services and the rolled-up tree built from the database."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from civsam.core.models import AuditEntry, Municipality
from civsam.core.selectors import history_for
from civsam.plan import selectors, services
from civsam.plan.models import Initiative, Plan, RollUp


def test_create_sets_the_status_default_progress_and_logs(make_initiative):
    initiative = make_initiative(status_code="started")
    assert initiative.progress == 10  # the shipped default of "Påbörjad"
    entry = history_for(initiative).get()
    assert entry.action == AuditEntry.Action.CREATE
    assert entry.changes["title"] == [None, initiative.title]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"areas": ()}, "priority_areas"),
        ({"lead_name": " ", "title": "Utan ansvarig"}, "lead_organisation"),
        ({"end_date": datetime.date(2022, 1, 1)}, "end_date"),
        ({"progress": 101}, "progress"),
        ({"budget": Decimal("-1")}, "budget"),
        ({"title": "  "}, "title"),
    ],
)
def test_create_refuses_bad_input_with_a_swedish_message_and_writes_nothing(make_initiative, fields, field):
    with pytest.raises(ValidationError) as info:
        make_initiative(**fields)
    assert field in info.value.error_dict
    assert Initiative.objects.count() == 0
    assert not AuditEntry.objects.filter(content_type__model="initiative").exists()


def test_database_constraints_back_the_service(make_initiative):
    initiative = make_initiative()
    for update in ({"progress": 150}, {"weight": 0}, {"end_date": datetime.date(2000, 1, 1)}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Initiative.objects.filter(pk=initiative.pk).update(**update)


def test_status_follows_the_transitions_table(make_initiative, status):
    initiative = make_initiative(status_code="completed")
    with pytest.raises(ValidationError) as info:
        services.initiative_update(actor=None, initiative=initiative, status=status("planned"))
    assert "status" in info.value.error_dict
    updated = services.initiative_update(actor=None, initiative=initiative, status=status("ongoing"))
    assert updated.status.code == "ongoing"
    assert updated.progress == 50  # the new status's default, since no progress was given
    updated = services.initiative_update(actor=None, initiative=updated, status=status("paused"), progress=62)
    assert updated.progress == 62


def test_update_logs_only_what_changed(make_initiative):
    initiative = make_initiative(progress=20)
    services.initiative_update(
        actor=None,
        initiative=initiative,
        progress=45,
        milestones=[services.MilestoneIn("Start", datetime.date(2023, 3, 1))],
    )
    entry = history_for(initiative).filter(action="update").get()
    assert entry.changes["progress"] == [20, 45]
    assert entry.changes["milestones"] == [[], ["2023-03-01 Start"]]
    again = services.initiative_update(actor=None, initiative=initiative, progress=45)
    assert again.changes == {}
    assert history_for(initiative).filter(action="update").count() == 1


def test_a_parent_cannot_be_its_own_descendant(make_initiative):
    top = make_initiative()
    child = make_initiative(parent=top)
    with pytest.raises(ValidationError):
        services.initiative_update(actor=None, initiative=top, parent=child)


def test_verification_is_cleared_when_someone_else_changes_the_initiative(users, make_initiative):
    rep, admin = users["rep"], users["admin"]
    initiative = make_initiative(lead_organisation=users["own_org"], lead_name="")
    services.initiative_verify(actor=admin, initiative=initiative)
    initiative.refresh_from_db()
    assert initiative.is_verified
    services.initiative_update(actor=admin, initiative=initiative, progress=70)
    initiative.refresh_from_db()
    assert initiative.is_verified  # the coordinator's own change keeps it
    services.initiative_update(actor=rep, initiative=initiative, progress=80)
    initiative.refresh_from_db()
    assert not initiative.is_verified
    assert history_for(initiative).first().changes["verified"] == [True, False]


# --- The tree from the database ------------------------------------------------------------------


def test_tree_rolls_up_through_areas_focus_areas_and_the_goal(plan, make_initiative):
    make_initiative(areas=("1.1",), progress=20)
    make_initiative(areas=("1.1",), progress=60)
    make_initiative(areas=("1.2",), progress=100)
    make_initiative(areas=("2.1",), progress=10)
    make_initiative(areas=("2.1",), progress=90, status_code="cancelled")  # not counted
    tree = selectors.plan_progress(plan)
    fa1, fa2 = tree.focus_areas[0], tree.focus_areas[1]
    assert fa1.areas[0].value == pytest.approx(40)
    assert fa1.areas[1].value == pytest.approx(100)
    assert fa1.areas[2].value is None and fa1.areas[2].initiatives == []
    assert fa1.value == pytest.approx(70)  # mean of the areas that have initiatives
    assert fa2.areas[0].value == pytest.approx(10)
    assert len(fa2.areas[0].initiatives) == 2
    assert tree.value == pytest.approx(40)  # mean of 70 and 10
    assert tree.leaves == 4


def test_weighted_levels_use_the_weights(plan, make_initiative):
    Plan.objects.filter(pk=plan.pk).update(rollup_priority_area=RollUp.WEIGHTED)
    make_initiative(areas=("1.1",), progress=0, weight=Decimal(3))
    make_initiative(areas=("1.1",), progress=100, weight=Decimal(1))
    tree = selectors.plan_progress(plan.slug)
    assert tree.focus_areas[0].areas[0].value == pytest.approx(25)


def test_sub_initiatives_roll_up_into_their_parent_at_any_depth(plan, make_initiative):
    top = make_initiative(areas=("3.1",), progress=0)
    middle = make_initiative(areas=("3.1",), parent=top, progress=0)
    make_initiative(areas=("3.1",), parent=middle, progress=30)
    make_initiative(areas=("3.1",), parent=middle, progress=90)
    make_initiative(areas=("3.1",), parent=top, progress=20)
    tree = selectors.plan_progress(plan)
    area = tree.focus_areas[2].areas[0]
    assert [row.initiative.pk for row in area.initiatives] == [top.pk]  # children only under their parent
    top_row = area.initiatives[0]
    assert top_row.children[0].children[0].value == 30
    # middle = mean(30, 90) = 60; top = mean(60, 20) = 40
    assert top_row.children[0].value == pytest.approx(60)
    assert top_row.value == pytest.approx(40)
    assert area.value == pytest.approx(40)


def test_an_initiative_can_serve_areas_in_two_plan_versions(area, make_initiative):
    initiative = make_initiative(areas=(area("1.1"), area("2.2", "2026-2030")), progress=50)
    old = selectors.plan_progress("2022-2025")
    new = selectors.plan_progress("2026-2030")
    assert [r.initiative.pk for r in old.focus_areas[0].areas[0].initiatives] == [initiative.pk]
    assert [r.initiative.pk for r in new.focus_areas[1].areas[1].initiatives] == [initiative.pk]
    assert new.value == pytest.approx(50)


def test_filters_narrow_the_tree(plan, users, make_initiative):
    kumla = Municipality.objects.get(code="1881")
    a = make_initiative(
        areas=("1.1",),
        progress=10,
        municipalities=[kumla],
        start_date=datetime.date(2022, 1, 1),
        end_date=datetime.date(2022, 12, 31),
    )
    b = make_initiative(
        areas=("1.1",), progress=90, lead_organisation=users["own_org"], lead_name="", status_code="completed"
    )
    c = make_initiative(
        areas=("2.1",), progress=50, partner_organisations=[users["own_org"]], start_date=datetime.date(2024, 5, 1)
    )

    def ids(**kw):
        return {
            r.initiative.pk
            for fa in selectors.plan_progress(plan, selectors.InitiativeFilter(**kw)).focus_areas
            for pa in fa.areas
            for r in pa.initiatives
        }

    assert ids() == {a.pk, b.pk, c.pk}
    assert ids(municipality="1881") == {a.pk}
    assert ids(municipality="1880") == {b.pk}  # the lead organisation is based in Örebro
    assert ids(organisation_id=users["own_org"].pk) == {b.pk, c.pk}
    assert ids(status="completed") == {b.pk}
    assert ids(year=2022) == {a.pk}
    assert ids(year=2024) == {b.pk, c.pk}
    assert ids(focus_area=2) == {c.pk}


def test_the_tree_costs_the_same_queries_for_10_and_for_60_initiatives(plan, make_initiative):
    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            selectors.plan_progress(plan.slug)
        return len(ctx.captured_queries)

    for n in range(10):
        make_initiative(areas=(("1.1", "2.3", "4.2")[n % 3],), progress=n * 10)
    few = queries()
    for n in range(50):
        make_initiative(areas=("3.1", "1.2"), progress=n % 100)
    assert queries() == few


def test_a_representative_cannot_add_a_foreign_municipality_as_co_lead(users, make_initiative):
    from django.core.exceptions import PermissionDenied

    kumla = Municipality.objects.get(code="1881")
    with pytest.raises(PermissionDenied):
        make_initiative(actor=users["rep"], lead_organisation=users["own_org"], lead_municipality=kumla, lead_name="")
    made = make_initiative(actor=users["rep"], lead_organisation=users["own_org"], lead_name="")
    assert made.created_by == users["rep"]
