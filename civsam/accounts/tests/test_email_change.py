"""Changing one's e-mail address: the new one replaces the old only once it is verified."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from civsam.accounts.models import User

from .helpers import link_in


@pytest.fixture
def person(db):
    user = User.objects.create_user(username="erik", email="erik@example.se", password="erik-lösenord-2026")
    EmailAddress.objects.create(user=user, email="erik@example.se", primary=True, verified=True)
    return user


def _confirm_password(client, response):
    """Changing the address asks for the password again; give it and let the change go through."""
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_reauthenticate"))
    return client.post(response["Location"], {"password": "erik-lösenord-2026"})


def test_the_new_address_waits_for_verification_then_replaces_the_old(client, person, settings):
    client.post(reverse("accounts:login"), {"login": "erik", "password": "erik-lösenord-2026"})
    page = client.get(reverse("account_email"))
    assert page.status_code == 200 and "erik@example.se" in page.content.decode()

    response = client.post(reverse("account_email"), {"action_add": "", "email": "erik.ny@example.se"})
    response = _confirm_password(client, response)
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.email == "erik@example.se"  # unchanged until the new address is confirmed
    pending = EmailAddress.objects.get(user=person, email="erik.ny@example.se")
    assert not pending.verified and not pending.primary
    [message] = mail.outbox
    assert message.to == ["erik.ny@example.se"]
    html = client.get(reverse("account_email")).content.decode()
    assert "Byts till, när den är bekräftad" in html and "erik.ny@example.se" in html

    client.post(link_in(message, "/konto/e-post/bekrafta/"))
    person.refresh_from_db()
    assert person.email == "erik.ny@example.se"
    assert list(EmailAddress.objects.filter(user=person).values_list("email", "primary", "verified")) == [
        ("erik.ny@example.se", True, True)
    ]
    # The old address is told, so that a hijack does not go unnoticed.
    notice = mail.outbox[-1]
    assert notice.to == ["erik@example.se"]
    assert "E-postadressen är ändrad från erik@example.se till erik.ny@example.se." in notice.body


def test_an_address_another_account_has_is_refused(client, person):
    other = User.objects.create_user(username="annan", email="annan@example.se", password="x-lösenord-2026")
    EmailAddress.objects.create(user=other, email="annan@example.se", primary=True, verified=True)
    client.post(reverse("accounts:login"), {"login": "erik", "password": "erik-lösenord-2026"})
    response = _confirm_password(
        client, client.post(reverse("account_email"), {"action_add": "", "email": "annan@example.se"})
    )
    # Told nothing about the other account: the address simply never verifies for erik.
    assert not EmailAddress.objects.filter(user=person, email="annan@example.se", verified=True).exists()
    assert response.status_code in (200, 302)
