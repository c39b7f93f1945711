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


# --- Undoing a merge (ADR 0117) ------------------------------------------------------------------


def test_a_merge_is_undone_with_everything_moved_back(users, pair):
    keep, remove, _candidate = pair
    remove_pk, remove_classes = remove.pk, set(remove.activity_classes.values_list("pk", flat=True))
    keep_classes = set(keep.activity_classes.values_list("pk", flat=True))
    led = _initiative(lead_organisation=remove)
    shared = _initiative(title="Språkcafé", lead_name="Biblioteket", partner_organisations=[keep, remove])
    contact = services.contact_create(organisation=remove, name="Eva Ek", email="eva@example.org")
    merge = services.organisations_merge(
        actor=users["officer"], keep=keep, remove=remove, take=["email", "member_count"]
    )
    assert services.merge_undo_refusal(merge) == ""

    restored = services.organisation_merge_undo(actor=users["officer"], merge=merge)

    assert restored.pk == remove_pk and restored.name == "Glada Ekeby Idrottsförening"
    assert set(restored.activity_classes.values_list("pk", flat=True)) == remove_classes
    keep.refresh_from_db()
    assert (keep.email, keep.member_count) == ("", None)  # the values taken from the other go back
    assert set(keep.activity_classes.values_list("pk", flat=True)) == keep_classes
    led.refresh_from_db()
    contact.refresh_from_db()
    assert led.lead_organisation_id == restored.pk and contact.organisation_id == restored.pk
    # The partner row the merge dropped as already there is back.
    assert sorted(shared.partner_organisations.values_list("pk", flat=True)) == sorted([keep.pk, restored.pk])
    merge.refresh_from_db()
    assert merge.undone_at is not None and merge.undone_by == users["officer"]
    notes = AuditEntry.objects.filter(object_id=str(remove_pk), content_type__model="organisation").values_list(
        "note", flat=True
    )
    assert any("ångrad" in note for note in notes)
    # Once is enough.
    with pytest.raises(ValidationError, match="redan ångrad"):
        services.organisation_merge_undo(actor=users["officer"], merge=merge)


def test_an_undo_is_refused_when_it_cannot_be_done_in_reason(users, pair, make_org):
    from django.core.exceptions import PermissionDenied
    from django.utils import timezone

    keep, remove, _candidate = pair
    merge = services.organisations_merge(actor=users["officer"], keep=keep, remove=remove)
    with pytest.raises(PermissionDenied):
        services.organisation_merge_undo(actor=users["plain"], merge=merge)
    later = merge.at + datetime.timedelta(days=services.UNDO_DAYS + 1)
    assert "äldre än" in services.merge_undo_refusal(merge, now=later)
    assert timezone.now() - merge.at < datetime.timedelta(days=1)
    merge.undo_data = {}
    merge.save(update_fields=["undo_data"])
    with pytest.raises(ValidationError, match="innan Civsam sparade"):
        services.organisation_merge_undo(actor=users["officer"], merge=merge)
    assert not Organisation.objects.filter(pk=remove.pk).exists()


def test_a_duplicate_decision_is_undone_and_the_pair_is_back_in_the_queue(users, pair):
    _keep, _remove, candidate = pair
    services.duplicate_resolve(actor=users["officer"], candidate=candidate, status=DuplicateCandidate.Status.DISTINCT)
    services.duplicate_resolve(actor=users["officer"], candidate=candidate, status=DuplicateCandidate.Status.OPEN)
    candidate.refresh_from_db()
    assert candidate.status == DuplicateCandidate.Status.OPEN
    changes = AuditEntry.objects.filter(object_id=str(candidate.pk), content_type__model="duplicatecandidate")
    assert [e.changes["status"] for e in changes.order_by("id")] == [["open", "distinct"], ["distinct", "open"]]
    with pytest.raises(ValidationError):  # an open pair has nothing to undo
        services.duplicate_resolve(actor=users["officer"], candidate=candidate, status=DuplicateCandidate.Status.OPEN)


@pytest.mark.postgres
def test_undo_on_postgres(users, pair, make_org):
    """The same undo where the sequences and constraints are PostgreSQL's: the old id is reused."""
    keep, remove, _candidate = pair
    remove_pk = remove.pk
    merge = services.organisations_merge(actor=users["officer"], keep=keep, remove=remove)
    restored = services.organisation_merge_undo(actor=users["officer"], merge=merge)
    assert restored.pk == remove_pk
    created = make_org(name="Ny förening i Kumla", municipality="1881")
    assert created.pk not in (keep.pk, remove_pk)
