"""Signing up with an e-mail address that must be verified before the account can be used, then
logging in by e-mail address or username (django-allauth, ADR 0080)."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.urls import reverse

from civsam.accounts.models import User

from .helpers import link_in

PASSWORD = "ett-långt-lösenord-2026"
SIGNUP = {
    "first_name": "Sara",
    "last_name": "Svensson",
    "email": "sara.svensson@example.se",
    "password1": PASSWORD,
    "password2": PASSWORD,
}


@pytest.fixture
def signed_up(client, db):
    response = client.post(reverse("account_signup"), SIGNUP)
    assert response.status_code == 302 and response["Location"] == reverse("account_email_verification_sent")
    return User.objects.get(email="sara.svensson@example.se")


def test_signup_page_is_civsam_and_swedish(client, db):
    page = client.get(reverse("account_signup"))
    html = page.content.decode()
    assert page.status_code == 200
    assert '<html lang="sv"' in html and "<h1>Skapa ett konto</h1>" in html
    # Civsam's form renderer: every field with its label and "(obligatoriskt)".
    for label in ("Förnamn", "Efternamn", "E-postadress", "Lösenord", "Lösenordet igen"):
        assert f'>{label} <span class="required">(obligatoriskt)</span></label>' in html, label
    assert "placeholder" not in html


def test_signup_errors_are_summarised_and_linked_to_their_fields(client, db):
    response = client.post(reverse("account_signup"), {**SIGNUP, "email": "inte-en-adress", "password2": "annat"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="error-summary" role="alert"' in html
    assert 'href="#id_email"' in html and 'href="#id_password2"' in html
    assert not User.objects.filter(first_name="Sara").exists()


def test_signup_sends_a_verification_mail_and_the_account_waits_for_it(client, signed_up):
    user = signed_up
    assert (user.first_name, user.last_name) == ("Sara", "Svensson")
    assert user.username  # made from the address; people log in with either
    address = EmailAddress.objects.get(user=user)
    assert address.email == "sara.svensson@example.se" and address.primary and not address.verified
    assert SESSION_KEY not in client.session  # not logged in before verifying

    [message] = mail.outbox
    assert message.to == ["sara.svensson@example.se"]
    assert message.subject == "Civsam: Bekräfta din e-postadress"
    assert "bekräfta adressen genom att öppna länken" in message.body
    assert "/konto/e-post/bekrafta/" in message.body
    # Nothing the visitor typed but the address itself goes into a mail to that address.
    assert "Sara" not in message.body and "Svensson" not in message.body

    page = client.get(reverse("account_email_verification_sent"))
    assert "Bekräfta din e-postadress" in page.content.decode()


def test_login_before_verification_is_refused_and_the_link_sent_again(client, signed_up, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "confirm_email": None}
    response = client.post(reverse("accounts:login"), {"login": "sara.svensson@example.se", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("account_email_verification_sent")
    assert SESSION_KEY not in client.session
    assert len(mail.outbox) == 2 and mail.outbox[1].to == ["sara.svensson@example.se"]


def test_verification_then_login_by_address_or_username(client, signed_up):
    confirm = link_in(mail.outbox[0], "/konto/e-post/bekrafta/")
    page = client.get(confirm)
    assert page.status_code == 200
    assert "Bekräfta att sara.svensson@example.se är din e-postadress." in page.content.decode()
    assert not EmailAddress.objects.get(user=signed_up).verified  # a GET (a mail scanner) confirms nothing

    response = client.post(confirm)
    assert response.status_code == 302
    assert EmailAddress.objects.get(user=signed_up).verified

    response = client.post(reverse("accounts:login"), {"login": "Sara.Svensson@example.se", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("site:dashboard")
    assert client.session[SESSION_KEY] == str(signed_up.pk)
    client.post(reverse("accounts:logout"))
    response = client.post(reverse("accounts:login"), {"login": signed_up.username, "password": PASSWORD})
    assert response.status_code == 302 and client.session[SESSION_KEY] == str(signed_up.pk)


def test_a_broken_confirmation_link_says_so(client, db):
    page = client.get(reverse("account_confirm_email", args=["ogiltig-nyckel"]))
    assert page.status_code == 200
    assert "Länken är ogiltig eller för gammal." in page.content.decode()


def test_signing_up_with_a_taken_address_tells_nobody_but_the_owner(client, signed_up, settings):
    # One mail per address every three minutes; the first went out at sign-up.
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "confirm_email": None}
    mail.outbox.clear()
    other = client.post(reverse("account_signup"), {**SIGNUP, "first_name": "Annan"})
    # The same answer as a new sign-up, so the form does not tell who has an account ...
    assert other.status_code == 302 and other["Location"] == reverse("account_email_verification_sent")
    assert User.objects.filter(email__iexact="sara.svensson@example.se").count() == 1
    # ... and the owner is told by mail, with the way to a new password.
    [message] = mail.outbox
    assert message.to == ["sara.svensson@example.se"]
    assert "det finns redan ett konto med den adressen" in message.body
    assert "/konto/losenord/glomt/" in message.body


def test_accounts_made_by_staff_log_in_without_an_address_to_verify(client, users):
    """Accounts made in the admin or by the demo loader (no address recorded by allauth) keep
    logging in as before, by username."""
    response = client.post(reverse("accounts:login"), {"username": "officer", "password": "secret-pass-123"})
    assert response.status_code == 302 and response["Location"] == reverse("site:dashboard")
    assert not EmailAddress.objects.filter(user=users["officer"]).exists()


def test_a_new_person_from_sign_up_to_a_changed_address(client, db, settings):
    """The whole way on one's own, every step by the mail Civsam sends: sign up, verify, log in,
    forget the password and reset it, then move the account to a new address."""
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "confirm_email": None}
    client.post(reverse("account_signup"), SIGNUP)
    user = User.objects.get(email="sara.svensson@example.se")
    client.post(link_in(mail.outbox[-1], "/konto/e-post/bekrafta/"))
    assert EmailAddress.objects.get(user=user).verified
    response = client.post(reverse("accounts:login"), {"login": "sara.svensson@example.se", "password": PASSWORD})
    assert response.status_code == 302 and client.session[SESSION_KEY] == str(user.pk)
    client.post(reverse("accounts:logout"))
    assert SESSION_KEY not in client.session

    # Forgotten: a link by mail, a new password, the old one no longer works.
    new_password = "ett-nytt-långt-lösenord-2027"
    response = client.post(reverse("account_reset_password"), {"email": "sara.svensson@example.se"})
    assert response["Location"] == reverse("account_reset_password_done")
    reset = client.get(link_in(mail.outbox[-1], "/konto/losenord/glomt/"), follow=True)
    assert "Välj ett nytt lösenord" in reset.content.decode()
    response = client.post(reset.redirect_chain[-1][0], {"password1": new_password, "password2": new_password})
    assert response["Location"] == reverse("account_reset_password_from_key_done")
    old = client.post(reverse("accounts:login"), {"login": "sara.svensson@example.se", "password": PASSWORD})
    assert old.status_code == 200 and SESSION_KEY not in client.session
    response = client.post(reverse("accounts:login"), {"login": user.username, "password": new_password})
    assert response.status_code == 302 and client.session[SESSION_KEY] == str(user.pk)

    # A new address: asked for the password again, verified by its own mail, then it replaces the old.
    response = client.post(reverse("account_email"), {"action_add": "", "email": "sara@example.org"})
    if response["Location"].startswith(reverse("account_reauthenticate")):
        response = client.post(response["Location"], {"password": new_password})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email == "sara.svensson@example.se"
    assert mail.outbox[-1].to == ["sara@example.org"]
    client.post(link_in(mail.outbox[-1], "/konto/e-post/bekrafta/"))
    user.refresh_from_db()
    assert user.email == "sara@example.org"
    assert mail.outbox[-1].to == ["sara.svensson@example.se"]  # the old address is told
    client.post(reverse("accounts:logout"))
    response = client.post(reverse("accounts:login"), {"login": "sara@example.org", "password": new_password})
    assert response.status_code == 302 and client.session[SESSION_KEY] == str(user.pk)
