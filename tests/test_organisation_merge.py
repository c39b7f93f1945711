"""Merging organisations across apps (ADR 0106): every row anywhere in Civsam that points at the
merged organisation moves to the one kept (initiatives, partners, representatives, contacts), and a
refused merge changes nothing. Here, outside the registry package, because it builds initiatives
of the plan app, which the registry may not import (the layers contract)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from civsam.accounts.models import Role, RoleAssignment
from civsam.accounts.services import role_assign
from civsam.core.models import ActivityClass, AuditEntry
from civsam.registry import services
from civsam.registry.models import ContactPerson, DuplicateCandidate, Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(users, make_org):
    classes = list(ActivityClass.objects.order_by("code")[:2])
    keep = make_org(
        name="Glada Ekeby IF", municipality="1880", website="https://gladaekeby.se", activity_classes=[classes[0]]
    )
    remove = make_org(
        name="Glada Ekeby Idrottsförening",
        municipality="1880",
        website="",
        email="kansli@gladaekeby.se",
        member_count=340,
        activity_classes=[classes[1]],
    )
    low, high = sorted((keep.pk, remove.pk))
    candidate, _ = DuplicateCandidate.objects.get_or_create(first_id=low, second_id=high, defaults={"similarity": 0.9})
    return keep, remove, candidate


def _initiative(**fields):
    from civsam.plan.models import InitiativeStatus, PriorityArea
    from civsam.plan.services import initiative_create

    return initiative_create(
        actor=None,
        title=fields.pop("title", "Läxhjälp"),
        start_date=datetime.date(2024, 1, 1),
        status=InitiativeStatus.objects.get(code="ongoing"),
        priority_areas=[PriorityArea.objects.first()],
        **fields,
    )


def test_a_merge_moves_everything_that_points_at_the_merged_organisation(users, pair):
    keep, remove, _candidate = pair
    led = _initiative(lead_organisation=remove)
    shared = _initiative(title="Språkcafé", lead_name="Biblioteket", partner_organisations=[keep, remove])
    services.contact_create(organisation=remove, name="Eva Ek", email="eva@example.org")
    role_assign(user=users["plain"], role=Role.ORGANISATION_REP, organisation=remove)
    role_assign(user=users["reviewer"], role=Role.REVIEWER)
    both = users["plain"]
    role_assign(user=both, role=Role.ORGANISATION_REP, organisation=keep)  # represents both already

    merge = services.organisations_merge(
        actor=users["officer"], keep=keep, remove=remove, take=["email", "member_count"]
    )

    assert not Organisation.objects.filter(pk=remove.pk).exists()
    keep.refresh_from_db()
    assert (keep.name, keep.website, keep.email, keep.member_count) == (
        "Glada Ekeby IF",
        "https://gladaekeby.se",
        "kansli@gladaekeby.se",
        340,
    )
    assert keep.activity_classes.count() == 2  # the lists are joined
    led.refresh_from_db()
    assert led.lead_organisation_id == keep.pk
    assert list(shared.partner_organisations.values_list("pk", flat=True)) == [keep.pk]  # once, not twice
    assert ContactPerson.objects.get(name="Eva Ek").organisation_id == keep.pk
    assert RoleAssignment.objects.filter(user=both, organisation=keep).count() == 1
    assert merge.moved["plan.Initiative"] == {"moved": 1, "dropped": 0}
    assert merge.moved["plan.Initiative_partner_organisations"] == {"moved": 0, "dropped": 1}
    assert merge.moved["accounts.RoleAssignment"] == {"moved": 0, "dropped": 1}
    assert (merge.merged_id, merge.merged_name, merge.taken_fields) == (
        remove.pk,
        "Glada Ekeby Idrottsförening",
        ["email", "member_count"],
    )
    assert merge.merged_values["email"] == [None, "kansli@gladaekeby.se"]
    # The audit log: the merged one's deletion with its values, the survivor's change with the merge named.
    deleted = AuditEntry.objects.get(object_id=str(remove.pk), action=AuditEntry.Action.DELETE)
    assert "Glada Ekeby IF" in deleted.note and deleted.actor == users["officer"]
    changed = AuditEntry.objects.filter(object_id=str(keep.pk), action=AuditEntry.Action.UPDATE).latest("id")
    assert "Glada Ekeby Idrottsförening" in changed.note
    assert changed.changes["member_count"] == [None, 340]
    assert not DuplicateCandidate.objects.filter(first=keep, second_id=remove.pk).exists()


@pytest.mark.parametrize("bad", [{"take": ["colour"]}, {"same": True}])
def test_bad_requests_change_nothing(users, pair, bad):
    keep, remove, _candidate = pair
    _initiative(lead_organisation=remove)
    entries = AuditEntry.objects.count()
    with pytest.raises(ValidationError):
        services.organisations_merge(
            actor=users["admin"], keep=keep, remove=keep if bad.get("same") else remove, take=bad.get("take", ())
        )
    assert Organisation.objects.filter(pk=remove.pk).exists()
    assert AuditEntry.objects.count() == entries
