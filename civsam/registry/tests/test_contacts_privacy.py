"""Contact persons as personal data: checked telephone numbers, audit entries that follow the
contact, the retention period with confirmation, the staff tool's view by e-mail, and no-store."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from civsam.core.models import AuditEntry
from civsam.privacy.services import retention_apply
from civsam.registry import services
from civsam.registry.models import ContactPerson
from civsam.registry.personal_data import export_by_email

NOW = datetime.datetime(2027, 3, 1, 3, 0, tzinfo=datetime.UTC)


def _contacts_url(organisation) -> str:
    return reverse("registry:organisation-contacts", args=[organisation.orgnr])


# Telephone numbers ---------------------------------------------------------------------------------


def test_a_number_is_stored_as_e164_and_shown_grouped(client, users):
    organisation = users["own_org"]
    client.force_login(users["rep"])
    response = client.post(
        reverse("registry:contact-add", args=[organisation.orgnr]), {"name": "Kim Kontakt", "phone": "019-12 34 56"}
    )
    assert response.status_code == 302
    assert ContactPerson.objects.get().phone == "+4619123456"
    page = client.get(_contacts_url(organisation)).content.decode()
    assert "+46 19 12 34 56" in page and 'href="tel:+4619123456"' in page


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("ring växeln", "får bara innehålla siffror"),
        ("070-1", "Ett svenskt telefonnummer har 8–10 siffror"),
        ("123 45 67", "Skriv numret med riktnummer"),
        ("+999 123 456 789", "Landsnumret finns inte"),
    ],
)
def test_a_wrong_number_is_refused_in_swedish_on_its_field(client, users, text, message):
    client.force_login(users["rep"])
    response = client.post(
        reverse("registry:contact-add", args=[users["own_org"].orgnr]), {"name": "Kim Kontakt", "phone": text}
    )
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors["phone"])
    assert not ContactPerson.objects.exists()
    with pytest.raises(ValidationError) as info:
        services.contact_create(actor=None, organisation=users["own_org"], name="Kim", phone=text)
    assert "phone" in info.value.error_dict


def test_the_database_holds_the_rule_too(users):
    with pytest.raises(IntegrityError), transaction.atomic():
        ContactPerson.objects.create(organisation=users["own_org"], name="Kim", phone="070-1")
    # A flagged number from before the check may stay as it was written.
    ContactPerson.objects.create(organisation=users["own_org"], name="Kim", phone="070-1", phone_needs_correction=True)


def test_a_flagged_number_stays_until_someone_gives_a_valid_one(client, users):
    contact = ContactPerson.objects.create(
        organisation=users["own_org"], name="Kim", phone="ring växeln", phone_needs_correction=True
    )
    services.contact_update(actor=users["rep"], contact=contact, name="Kim Kontakt")
    contact.refresh_from_db()
    assert (contact.name, contact.phone, contact.phone_needs_correction) == ("Kim Kontakt", "ring växeln", True)
    client.force_login(users["rep"])
    assert "Behöver rättas" in client.get(_contacts_url(users["own_org"])).content.decode()
    services.contact_update(actor=users["rep"], contact=contact, phone="+47 22 12 34 56")
    contact.refresh_from_db()
    assert (contact.phone, contact.phone_needs_correction) == ("+4722123456", False)


# Audit entries follow the contact ----------------------------------------------------------------


def test_removing_the_organisation_empties_its_contacts_entries(client, users):
    organisation = users["own_org"]
    contact = services.contact_create(
        actor=users["rep"], organisation=organisation, name="Kim Kontakt", email="kim@example.se", phone="070-1234567"
    )
    services.contacts_read(actor=users["officer"], organisation=organisation)
    services.organisation_delete(actor=users["admin"], organisation=organisation)
    entries = AuditEntry.objects.filter(content_type__model="contactperson", object_id=str(contact.pk))
    assert sorted(e.action for e in entries) == [AuditEntry.Action.CREATE, AuditEntry.Action.READ]
    for entry in entries:
        assert entry.object_repr == ""
        assert "kim@example.se" not in str(entry.changes) and "Kim" not in str(entry.changes)
    assert entries.get(action=AuditEntry.Action.CREATE).changes == {
        "email": [None, None],
        "name": [None, None],
        "phone": [None, None],
        "role": [None, None],
    }


# Retention -----------------------------------------------------------------------------------------


def test_contacts_not_changed_or_confirmed_for_three_years_go(users):
    organisation = users["own_org"]
    old = services.contact_create(actor=None, organisation=organisation, name="Gammal Kontakt", email="g@example.se")
    kept = services.contact_create(actor=None, organisation=organisation, name="Ny Kontakt")
    ContactPerson.objects.filter(pk=old.pk).update(updated_at=NOW - datetime.timedelta(days=3 * 366))
    ContactPerson.objects.filter(pk=kept.pk).update(updated_at=NOW - datetime.timedelta(days=1000))
    assert retention_apply(now=NOW, dry_run=True, kinds=["contact_persons"]).counts == {"contact_persons": 1}
    assert ContactPerson.objects.count() == 2
    assert retention_apply(now=NOW, kinds=["contact_persons"]).counts == {"contact_persons": 1}
    assert list(ContactPerson.objects.all()) == [kept]
    entry = AuditEntry.objects.get(content_type__model="contactperson", object_id=str(old.pk))
    assert entry.object_repr == "" and entry.changes["email"] == [None, None]


def test_confirming_starts_the_period_again(client, users):
    contact = services.contact_create(actor=None, organisation=users["own_org"], name="Kim Kontakt")
    ContactPerson.objects.filter(pk=contact.pk).update(updated_at=timezone.now() - datetime.timedelta(days=1000))
    client.force_login(users["rep"])
    page = client.get(_contacts_url(users["own_org"]))
    contact.refresh_from_db()
    # Three years on from the last change, the record's period for contact persons.
    assert page.context["contacts"][0].retention_ends == contact.updated_at.replace(year=contact.updated_at.year + 3)
    before = contact.updated_at
    response = client.post(reverse("registry:contact-confirm", args=[users["own_org"].orgnr, contact.pk]))
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.updated_at - before > datetime.timedelta(days=999)
    assert AuditEntry.objects.filter(object_id=str(contact.pk), note="confirmed", actor=users["rep"]).exists()
    client.force_login(users["officer_kumla"])
    assert (
        client.post(reverse("registry:contact-confirm", args=[users["own_org"].orgnr, contact.pk])).status_code == 403
    )


# The staff tool and the cache --------------------------------------------------------------------


def test_contacts_are_found_by_e_mail_for_a_request(users):
    services.contact_create(
        actor=None, organisation=users["own_org"], name="Kim", email="Kim@Example.se", phone="070-1234567"
    )
    [found] = export_by_email("kim@example.se")["contactPersons"]
    assert (found["name"], found["phone"], found["organisation"]["orgnr"]) == (
        "Kim",
        "+46701234567",
        users["own_org"].orgnr,
    )
    assert export_by_email("eva@example.se") == {"contactPersons": []}


def test_the_contacts_page_is_never_stored(client, users):
    services.contact_create(actor=None, organisation=users["own_org"], name="Kim Kontakt")
    client.force_login(users["rep"])
    response = client.get(_contacts_url(users["own_org"]))
    assert response.status_code == 200 and "Kim Kontakt" in response.content.decode()
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


# The migration that checked the numbers already stored ---------------------------------------------


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_stored_numbers_become_e164_or_are_flagged_and_kept(reference_data):
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    call_command("migrate", "registry", "0005", verbosity=0)
    executor = MigrationExecutor(connection)
    old_apps = executor.loader.project_state([("registry", "0005_drop_redundant_indexes")]).apps
    Organisation = old_apps.get_model("registry", "Organisation")
    Contact = old_apps.get_model("registry", "ContactPerson")
    # The reference data's own keys: on PostgreSQL the ids do not start at 1 after other tests.
    legal_form = old_apps.get_model("core", "LegalForm").objects.order_by("pk").first()
    municipality = old_apps.get_model("core", "Municipality").objects.order_by("pk").first()
    organisation = Organisation.objects.create(
        name="Föreningen",
        orgnr="8020000001",
        legal_form_id=legal_form.pk,
        municipality_id=municipality.pk,
        name_key="foreningen",
    )
    for name, phone in (("Giltig", "070-123 45 67"), ("Fel", "ring växeln"), ("Tom", "")):
        Contact.objects.create(organisation=organisation, name=name, phone=phone)
    # Forward again for every app: going back to registry 0005 also unapplied what depends on it
    # (funding's own calls), and later tests need the whole schema.
    call_command("migrate", verbosity=0)
    stored = {c.name: (c.phone, c.phone_needs_correction) for c in ContactPerson.objects.all()}
    assert stored == {"Giltig": ("+46701234567", False), "Fel": ("ring växeln", True), "Tom": ("", False)}
