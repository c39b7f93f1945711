"""A forgotten password reset by a link in an e-mail, and a password changed while logged in."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.urls import reverse

from civsam.accounts.models import User

from .helpers import link_in

OLD = "gammalt-lösenord-2026"
NEW = "nytt-och-långt-lösenord-2027"


@pytest.fixture
def person(db):
    user = User.objects.create_user(
        username="petra", email="petra@example.se", password=OLD, first_name="Petra", last_name="Persson"
    )
    EmailAddress.objects.create(user=user, email="petra@example.se", primary=True, verified=True)
    return user


def _login(client, login: str, password: str):
    return client.post(reverse("accounts:login"), {"login": login, "password": password})


def test_login_page_links_to_the_reset(client, db):
    html = client.get(reverse("accounts:login")).content.decode()
    assert f'href="{reverse("account_reset_password")}">Glömt lösenordet?</a>' in html
    assert f'href="{reverse("account_signup")}">Skapa ett konto</a>' in html


def test_reset_by_link_then_login_with_the_new_password(client, person):
    response = client.post(reverse("account_reset_password"), {"email": "Petra@Example.se"})
    assert response.status_code == 302 and response["Location"] == reverse("account_reset_password_done")
    [message] = mail.outbox
    assert message.to == ["petra@example.se"] and message.subject == "Civsam: Byt lösenord i Civsam"
    assert "Ditt användarnamn är petra." in message.body
    link = link_in(message, "/konto/losenord/glomt/")

    page = client.get(link, follow=True)  # allauth moves the key into the session, then shows the form
    assert page.status_code == 200 and "Välj ett nytt lösenord" in page.content.decode()
    form_url = page.redirect_chain[-1][0] if page.redirect_chain else link
    response = client.post(form_url, {"password1": NEW, "password2": NEW})
    assert response.status_code == 302 and response["Location"] == reverse("account_reset_password_from_key_done")
    person.refresh_from_db()
    assert person.check_password(NEW)
    assert SESSION_KEY not in client.session  # a reset does not log in by itself

    assert _login(client, "petra", OLD).status_code == 200
    assert _login(client, "petra", NEW).status_code == 302

    # The link worked once.
    client.post(reverse("accounts:logout"))
    again = client.get(link, follow=True)
    assert "Länken för att byta lösenord är ogiltig eller redan använd." in again.content.decode()


def test_reset_for_an_unknown_address_tells_only_that_address(client, db):
    response = client.post(reverse("account_reset_password"), {"email": "ingen@example.se"})
    # The same answer as for a known address: the form does not tell who has an account.
    assert response.status_code == 302 and response["Location"] == reverse("account_reset_password_done")
    [message] = mail.outbox
    assert message.to == ["ingen@example.se"]
    assert "det finns inget konto med den adressen" in message.body


def test_change_password_needs_the_current_one_and_tells_by_mail(client, person):
    client.force_login(person)
    page = client.get(reverse("account_change_password"))
    assert page.status_code == 200 and "<h1>Byt lösenord</h1>" in page.content.decode()
    wrong = client.post(reverse("account_change_password"), {"oldpassword": "fel", "password1": NEW, "password2": NEW})
    assert wrong.status_code == 200 and "Skriv ditt nuvarande lösenord." in wrong.content.decode()
    response = client.post(reverse("account_change_password"), {"oldpassword": OLD, "password1": NEW, "password2": NEW})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password(NEW)
    assert client.session[SESSION_KEY] == str(person.pk)  # still logged in here
    [message] = mail.outbox
    assert message.to == ["petra@example.se"] and "Lösenordet är bytt." in message.body


def test_weak_passwords_are_refused_in_swedish(client, person):
    client.force_login(person)
    response = client.post(
        reverse("account_change_password"), {"oldpassword": OLD, "password1": "12345", "password2": "12345"}
    )
    html = response.content.decode()
    assert response.status_code == 200 and "error-summary" in html
    assert "lösenordet är för kort" in html
