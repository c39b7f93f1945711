"""Register services: the change history they write, and the organisationsnummer invariant."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection, transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from civsam.core.models import ActivityClass, AuditEntry, LegalForm, Municipality, SocietalRole
from civsam.core.selectors import history_for
from civsam.registry import orgnr as orgnr_mod
from civsam.registry import services
from civsam.registry.models import ContactPerson, DuplicateCandidate, Organisation

from .support import organisation_form_data

ORGNR_TAKEN = "Det finns redan en organisation med detta organisationsnummer."


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def entries_for(obj, action=None):
    qs = AuditEntry.objects.filter(object_id=str(obj.pk), content_type__model=obj._meta.model_name)
    return list(qs.filter(action=action) if action else qs)


# Create, update, delete: one entry each, with the field diff -----------------------------------


def test_create_writes_an_entry_with_every_initial_value(users):
    officer = users["officer"]
    organisation = services.organisation_create(
        actor=officer,
        name="Vivalla Läxhjälp",
        orgnr="802002-4389",
        legal_form=LegalForm.objects.get(code="61"),
        municipality=Municipality.objects.get(code="1880"),
        activity_classes=ActivityClass.objects.filter(code__in=["2", "4"]),
        member_count=40,
    )
    assert organisation.orgnr == "8020024389"
    [entry] = entries_for(organisation)
    assert (entry.action, entry.actor, entry.object_repr) == (AuditEntry.Action.CREATE, officer, "Vivalla Läxhjälp")
    assert entry.changes["name"] == [None, "Vivalla Läxhjälp"]
    assert entry.changes["orgnr"] == [None, "8020024389"]
    assert entry.changes["municipality"] == [None, "Örebro"]
    assert entry.changes["activity_classes"] == [None, ["2", "4"]]
    assert entry.changes["member_count"] == [None, 40]
    assert "website" not in entry.changes  # empty values are not a change


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"name": "Egna föreningen Örebro"}, {"name": ["Egna föreningen", "Egna föreningen Örebro"]}),
        ({"member_count": 12, "founded_year": 1921}, {"member_count": [None, 12], "founded_year": [None, 1921]}),
        ({"is_public": False}, {"is_public": [True, False]}),
        (
            {"social_enterprise": True, "social_enterprise_verified_on": datetime.date(2025, 3, 1)},
            {"social_enterprise": [False, True], "social_enterprise_verified_on": [None, "2025-03-01"]},
        ),
        ({"roles": ["voice", "community"]}, {"roles": [[], ["community", "voice"]]}),
        ({"municipality": "1881"}, {"municipality": ["Örebro", "Kumla"]}),
    ],
    ids=["name", "numbers", "public", "flag", "m2m", "municipality"],
)
def test_update_writes_exactly_the_changed_fields(users, fields, expected):
    admin, organisation = users["admin"], users["own_org"]
    if "roles" in fields:
        fields["roles"] = SocietalRole.objects.filter(code__in=fields["roles"])
    if "municipality" in fields:
        fields["municipality"] = Municipality.objects.get(code=fields["municipality"])
    services.organisation_update(actor=admin, organisation=organisation, **fields)
    [entry] = entries_for(organisation, AuditEntry.Action.UPDATE)
    assert (entry.actor, entry.changes) == (admin, expected)


def test_no_op_update_writes_no_entry(users):
    organisation = users["own_org"]
    before = AuditEntry.objects.count()
    services.organisation_update(
        actor=users["admin"],
        organisation=organisation,
        name=organisation.name,
        orgnr=organisation.orgnr_display,  # another spelling of the same number is no change
        municipality=organisation.municipality,
        roles=[],
    )
    assert AuditEntry.objects.count() == before


def test_no_op_form_post_writes_no_entry_and_a_real_one_does(users, client):
    organisation = users["own_org"]
    for role in ("officer", "rep"):
        client.force_login(users[role])
        before = AuditEntry.objects.count()
        response = client.post(
            reverse("registry:organisation-edit", args=[organisation.orgnr]), organisation_form_data(organisation)
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        assert AuditEntry.objects.count() == before, role

    client.force_login(users["officer"])
    activity = ActivityClass.objects.get(code="1")
    data = organisation_form_data(organisation, website="https://egna.example.se", activity_classes=[activity.pk])
    assert client.post(reverse("registry:organisation-edit", args=[organisation.orgnr]), data).status_code == 302
    [entry] = entries_for(organisation, AuditEntry.Action.UPDATE)
    assert entry.actor == users["officer"]
    assert entry.changes == {"website": ["", "https://egna.example.se"], "activity_classes": [[], ["1"]]}


def test_history_page_shows_the_diff_and_hides_reads(users, client):
    organisation = users["own_org"]
    services.contact_create(actor=None, organisation=organisation, name="Kim Kontakt")
    services.organisation_update(
        actor=users["officer"], organisation=organisation, description="Läxhjälp varje tisdag."
    )
    services.contacts_read(actor=users["officer"], organisation=organisation)
    client.force_login(users["rep"])
    response = client.get(reverse("registry:organisation-history", args=[organisation.orgnr]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<strong>Kort beskrivning</strong>: – → Läxhjälp varje tisdag." in html  # the label, not the field
    assert "officer" in html  # who made the change
    assert "ändrad" in html and "skapad" in html
    assert [e.action for e in history_for(organisation)] == [AuditEntry.Action.UPDATE, AuditEntry.Action.CREATE]


def test_delete_keeps_the_last_values_in_the_log(users):
    organisation = users["other_org"]
    pk = organisation.pk
    services.organisation_delete(actor=users["admin"], organisation=organisation)
    entry = AuditEntry.objects.get(object_id=str(pk), action=AuditEntry.Action.DELETE)
    assert entry.actor == users["admin"]
    assert entry.changes["name"] == ["Andra föreningen", None]
    assert not Organisation.objects.filter(pk=pk).exists()


# Contact persons: every read of personal data is logged ---------------------------------------


def test_reading_contacts_writes_one_read_entry_per_contact(users, client):
    organisation = users["own_org"]
    names = ["Ada Andersson", "Bo Berg", "Cecilia Öberg"]
    for name in names:
        services.contact_create(actor=users["rep"], organisation=organisation, name=name)
    services.contact_create(actor=None, organisation=users["other_org"], name="Inte Läst")

    client.force_login(users["officer"])
    response = client.get(reverse("registry:organisation-contacts", args=[organisation.orgnr]))
    assert response.status_code == 200
    reads = AuditEntry.objects.filter(action=AuditEntry.Action.READ)
    assert sorted(reads.values_list("object_repr", flat=True)) == names
    assert set(reads.values_list("actor__username", flat=True)) == {"officer"}
    assert set(reads.values_list("object_id", flat=True)) == {
        str(pk) for pk in ContactPerson.objects.filter(organisation=organisation).values_list("pk", flat=True)
    }
    client.get(reverse("registry:organisation-contacts", args=[organisation.orgnr]))
    assert reads.count() == 2 * len(names)


def test_reading_no_contacts_writes_nothing(users):
    before = AuditEntry.objects.count()
    assert services.contacts_read(actor=users["admin"], organisation=users["own_org"]) == []
    assert AuditEntry.objects.count() == before


def test_contact_changes_are_logged_and_no_ops_are_not(users):
    contact = services.contact_create(
        actor=users["rep"], organisation=users["own_org"], name="Kim", phone="070-123 45 67"
    )
    services.contact_update(actor=users["rep"], contact=contact, name="Kim", phone="+46 70 123 45 67")  # same number
    services.contact_update(actor=users["rep"], contact=contact, phone="070-765 43 21")
    pk = contact.pk
    entries = AuditEntry.objects.filter(object_id=str(pk), content_type__model="contactperson").order_by("id")
    assert entries[1].changes == {"phone": ["+46701234567", "+46707654321"]}
    services.contact_delete(actor=users["officer"], contact=contact)
    assert [(e.action, e.actor.username) for e in entries] == [
        (AuditEntry.Action.CREATE, "rep"),
        (AuditEntry.Action.UPDATE, "rep"),
        (AuditEntry.Action.DELETE, "officer"),
    ]
    # The contact is gone, and so are its name and values from the log; that it changed stays.
    assert entries[1].changes == {"phone": [None, None]}
    assert {e.object_repr for e in entries} == {""}


# Hypothesis: whatever is edited, the entry lists exactly the fields that differ -----------------

EDITS = st.fixed_dictionaries(
    {},
    optional={
        "name": st.sampled_from(["Egna föreningen", "Egna föreningen ny", "Åby IF"]),
        "description": st.sampled_from(["", "Kort text.", "Ännu en text med å, ä och ö."]),
        "member_count": st.one_of(st.none(), st.integers(0, 5000)),
        "founded_year": st.one_of(st.none(), st.integers(1850, 2025)),
        "is_public": st.booleans(),
        "website": st.sampled_from(["", "https://egna.example.se"]),
        "roles": st.lists(st.sampled_from(["voice", "community", "counterweight"]), unique=True, max_size=3),
    },
)


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=EDITS)
def test_audit_diff_matches_the_fields_that_changed(users, edits):
    organisation = Organisation.objects.get(pk=users["own_org"].pk)
    before = services.organisation_snapshot(organisation)
    last_id = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()
    fields = dict(edits)
    if "roles" in fields:
        fields["roles"] = list(SocietalRole.objects.filter(code__in=fields["roles"]))
    services.organisation_update(actor=users["admin"], organisation=organisation, **fields)
    after = services.organisation_snapshot(Organisation.objects.get(pk=organisation.pk))
    changed = {
        key
        for key in after
        if (sorted(after[key]) if isinstance(after[key], list) else after[key])
        != (sorted(before[key]) if isinstance(before[key], list) else before[key])
    }
    new_entries = list(AuditEntry.objects.filter(id__gt=last_id))
    if changed:
        [entry] = new_entries
        assert set(entry.changes) == changed
    else:
        assert new_entries == []


# Organisationsnummer -------------------------------------------------------------------------


def test_orgnr_is_validated_with_a_swedish_message(users):
    with pytest.raises(ValidationError) as info:
        services.organisation_update(actor=users["admin"], organisation=users["own_org"], orgnr="802002-4388")
    assert "kontrollsiffra" in info.value.message_dict["orgnr"][0]


def test_orgnr_taken_gives_a_swedish_error_on_create_and_update(users, make_org):
    with pytest.raises(ValidationError) as info:
        make_org(name="Kopia", orgnr=users["own_org"].orgnr)
    assert "finns redan" in info.value.message_dict["orgnr"][0]
    with pytest.raises(ValidationError) as info:
        services.organisation_update(actor=None, organisation=users["other_org"], orgnr=users["own_org"].orgnr)
    assert "finns redan" in info.value.message_dict["orgnr"][0]
    assert Organisation.objects.filter(orgnr=users["own_org"].orgnr).count() == 1


def _create_in_thread(results: dict, key: str, orgnr_value: str, *, before=None, hold=None) -> threading.Thread:
    """Create an organisation in a thread of its own (its own connection and transaction)."""

    def run():
        try:
            if before:
                before()
            with transaction.atomic():
                organisation = services.organisation_create(
                    actor=None,
                    name=f"Tävlande {key}",
                    orgnr=orgnr_value,
                    legal_form=LegalForm.objects.get(code="61"),
                    municipality=Municipality.objects.get(code="1880"),
                )
                if hold:
                    hold()
            results[key] = organisation.pk
        except Exception as exc:  # the test inspects whatever was raised
            results[key] = exc
        finally:
            close_old_connections()
            connection.close()

    return threading.Thread(target=run, name=f"create-{key}")


def _one_winner(results: dict) -> ValidationError:
    winners = [value for value in results.values() if isinstance(value, int)]
    losers = [value for value in results.values() if not isinstance(value, int)]
    assert len(winners) == 1 and len(losers) == 1, results
    assert isinstance(losers[0], ValidationError), repr(losers[0])
    return losers[0]


# Both backends: PostgreSQL runs the two transactions really in parallel; SQLite (a file in tests,
# BEGIN IMMEDIATE) makes the second writer wait for the first, as it does in production.


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_concurrent_creates_with_same_orgnr_exactly_one_wins(transactional_db, reference_data):
    """Both threads start together; whichever inserts second is refused with a Swedish message."""
    number = orgnr_mod.complete("802077777")
    for attempt in range(3):
        barrier = threading.Barrier(2, timeout=10)
        results: dict = {}
        threads = [_create_in_thread(results, f"{attempt}{k}", number, before=barrier.wait) for k in "ab"]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        loser = _one_winner(results)
        assert "finns redan" in " ".join(loser.message_dict["orgnr"])
        assert Organisation.objects.filter(orgnr=number).count() == 1
        Organisation.objects.filter(orgnr=number).delete()


@pytest.mark.slow
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_orgnr_race_past_the_form_check_is_stopped_by_the_database(transactional_db, reference_data):
    """B validates while A's row is inserted but not committed, so only the unique index can stop B.

    B's INSERT waits for A's commit and then fails on the unique index; the service turns that
    into the Swedish form error. PostgreSQL only: SQLite's writer lock makes B wait for A's commit
    before it validates, so there B's own check sees the row (the test above covers that).
    """
    number = orgnr_mod.complete("802066666")
    inserted, b_started = threading.Event(), threading.Event()
    results: dict = {}

    def hold_a():
        inserted.set()
        b_started.wait(10)
        # Give B time to validate and reach its INSERT while A's transaction is still open.
        threading.Event().wait(0.5)

    def start_b():
        b_started.set()

    a = _create_in_thread(results, "a", number, hold=hold_a)
    b = _create_in_thread(results, "b", number, before=start_b)
    a.start()
    assert inserted.wait(10)
    b.start()
    a.join(30)
    b.join(30)
    loser = _one_winner(results)
    assert isinstance(results["a"], int)
    assert loser.message_dict == {"orgnr": [ORGNR_TAKEN]}
    assert Organisation.objects.filter(orgnr=number).count() == 1


# Duplicate pairs: the decision's steps are DuplicateCandidate.WORKFLOW --------------------------


def test_a_decision_on_a_pair_may_be_taken_again_revised_or_undone(users, make_org):
    twin = make_org(name="Egna föreningen i Örebro", municipality="1880")
    low, high = sorted((users["own_org"].pk, twin.pk))
    candidate, _ = DuplicateCandidate.objects.get_or_create(first_id=low, second_id=high, defaults={"similarity": 0.9})
    officer = users["officer"]
    for status in ("distinct", "distinct", "confirmed", "distinct"):  # decided, sent twice, revised, revised
        services.duplicate_resolve(actor=officer, candidate=candidate, status=status)
        candidate.refresh_from_db()
        assert (candidate.status, candidate.reviewed_by) == (status, officer)
    for status in ("maybe", ""):
        with pytest.raises(ValidationError):
            services.duplicate_resolve(actor=officer, candidate=candidate, status=status)
    candidate.refresh_from_db()
    assert candidate.status == DuplicateCandidate.Status.DISTINCT
    # Undone (ADR 0117): back in the queue; an open pair cannot be "undone" again.
    services.duplicate_resolve(actor=officer, candidate=candidate, status="open")
    with pytest.raises(ValidationError):
        services.duplicate_resolve(actor=officer, candidate=candidate, status="open")
    candidate.refresh_from_db()
    assert candidate.status == DuplicateCandidate.Status.OPEN
    entries = AuditEntry.objects.filter(object_id=str(candidate.pk), content_type__model="duplicatecandidate")
    assert [e.changes["status"] for e in entries.order_by("id")] == [
        ["open", "distinct"],
        ["distinct", "distinct"],
        ["distinct", "confirmed"],
        ["confirmed", "distinct"],
        ["distinct", "open"],
    ]
