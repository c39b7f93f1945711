"""A person deletes their account: what the public record needs stays, de-identified; everything else
about them goes, and every session ends (ADR 0080). Each app tests what happens to its own records
in its tests/test_personal_data.py."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from axes.models import AccessLog
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from civsam.accounts import personal_data
from civsam.accounts.eid.models import EidLink
from civsam.accounts.models import RoleAssignment, User
from civsam.accounts.services import account_delete
from civsam.core.models import AuditEntry
from civsam.core.services import audit_log

from .helpers import totp_enable

PASSWORD = "secret-pass-123"


@pytest.fixture
def rep(users):
    user = users["rep"]
    user.first_name, user.last_name, user.email = "Rebecka", "Ek", "rebecka@example.se"
    user.save()
    EmailAddress.objects.create(user=user, email="rebecka@example.se", primary=True, verified=True)
    EidLink.objects.create(user=user, pnr_hash="cd" * 32)
    totp_enable(user)
    return user


def test_the_page_says_what_goes_and_what_stays_before_confirming(client, rep):
    client.force_login(rep)
    page = client.get(reverse("accounts:delete"))
    html = page.content.decode()
    assert page.status_code == 200 and "<h1>Ta bort mitt konto</h1>" in html
    assert "Det här tas bort" in html and "Det här finns kvar" in html
    assert "”borttagen användare”" in html
    assert "Beslut, publicerade texter och rapporter" in html
    assert 'type="password"' in html and "Jag förstår att kontot inte går att återskapa." in html


def test_the_wrong_password_or_no_tick_deletes_nothing(client, rep):
    client.force_login(rep)
    response = client.post(reverse("accounts:delete"), {"password": "fel", "understood": "on"})
    assert response.status_code == 400 and "Fel lösenord." in response.content.decode()
    response = client.post(reverse("accounts:delete"), {"password": PASSWORD})
    assert response.status_code == 400
    rep.refresh_from_db()
    assert rep.deleted_at is None and rep.is_active


def test_deleting_removes_the_person_and_keeps_the_record(users, rep):
    laptop, phone = Client(), Client()
    laptop.force_login(rep)
    phone.force_login(rep)
    AccessLog.objects.create(username="rep", ip_address="192.0.2.1", user_agent="x", path_info="/", http_accept="*")
    # Something rep did for the record, and something done about rep by the Region.
    done = audit_log(actor=rep, action=AuditEntry.Action.UPDATE, obj=users["own_org"], note="beskrivning ändrad")
    about = audit_log(actor=users["admin"], action=AuditEntry.Action.UPDATE, obj=rep, changes={"email": ["a", "b"]})

    response = laptop.post(reverse("accounts:delete"), {"password": PASSWORD, "understood": "on"})
    assert response.status_code == 302 and response["Location"] == reverse("site:home")
    assert "Ditt konto är borttaget." in laptop.get(reverse("site:home")).content.decode()

    rep.refresh_from_db()
    assert rep.deleted_at is not None and not rep.is_active and not rep.has_usable_password()
    assert (rep.first_name, rep.last_name, rep.email) == ("", "", "")
    assert rep.username.startswith("borttagen-") and str(rep) == "borttagen användare"
    assert not RoleAssignment.objects.filter(user=rep).exists()
    assert not EidLink.objects.filter(user=rep).exists()
    assert not EmailAddress.objects.filter(user=rep).exists()
    assert not Authenticator.objects.filter(user=rep).exists()
    assert not AccessLog.objects.filter(username="rep").exists()
    # Every session ends: this browser's and the phone's.
    assert SESSION_KEY not in laptop.session
    assert phone.get(reverse("site:dashboard")).status_code == 302
    assert not UserSession.objects.filter(user=rep).exists()
    # Nobody logs in as rep again, by the old name or the old address.
    for login in ("rep", "rebecka@example.se"):
        assert Client().post(reverse("accounts:login"), {"login": login, "password": PASSWORD}).status_code == 200

    # What rep did stays, by "borttagen användare"; what was recorded about rep keeps only what and when.
    done.refresh_from_db()
    assert done.actor_id == rep.pk and str(done.actor) == "borttagen användare"
    assert done.note == "beskrivning ändrad"
    about.refresh_from_db()
    assert about.object_repr == "borttagen användare" and about.changes == {} and about.actor_id == users["admin"].pk
    role_entries = AuditEntry.objects.filter(content_type__model="roleassignment", note__contains="rep")
    assert not role_entries.exists()
    deletion = AuditEntry.objects.filter(action=AuditEntry.Action.DELETE, content_type__model="user").get()
    assert deletion.actor_id == rep.pk and deletion.object_repr == "borttagen användare"
    assert deletion.changes["removed"]["roles"] == 1 and deletion.changes["removed"]["eidLink"] == 1
    assert "Rebecka" not in str(deletion.changes) and "rebecka@example.se" not in str(deletion.changes)


def test_every_provider_erases_its_part(users, rep):
    erased = []
    personal_data.register("zz-test", export=lambda user: {}, erase=lambda user: erased.append(user.pk) or {"x": 2})
    try:
        result = account_delete(actor=rep, user=rep)
    finally:
        personal_data._providers.pop("zz-test")
    assert erased == [rep.pk]
    assert result["zz-test"] == {"x": 2}


def test_only_the_holder_deletes_their_account(users, rep):
    for actor in (users["admin"], None, users["plain"]):
        with pytest.raises(PermissionDenied):
            account_delete(actor=actor, user=rep)
    rep.refresh_from_db()
    assert rep.deleted_at is None


def test_an_e_id_only_account_confirms_with_the_tick(client, db):
    person = User.objects.create(username="eid-only")
    person.set_unusable_password()
    person.save()
    client.force_login(person)
    html = client.get(reverse("accounts:delete")).content.decode()
    assert 'type="password"' not in html
    assert client.post(reverse("accounts:delete"), {"understood": "on"}).status_code == 302
    person.refresh_from_db()
    assert person.deleted_at is not None
