"""Sign-up, login and password reset are rate-limited per client (and the reset per address too);
a refusal is Civsam's Swedish 429 page (ADR 0070, ADR 0080)."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from civsam.accounts.models import User

PASSWORD = "ett-långt-lösenord-2026"


def _assert_swedish_429(response):
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    html = response.content.decode()
    assert "<h1>För många försök</h1>" in html
    assert "Du har gjort för många försök på kort tid." in html


def _signup(client, n: int, **extra):
    data = {
        "first_name": "Test",
        "last_name": f"Person {n}",
        "email": f"person{n}@example.se",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    return client.post(reverse("account_signup"), data, **extra)


def test_sign_ups_per_client(client, db, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "3/h/ip"}
    for n in range(3):
        assert _signup(client, n, REMOTE_ADDR="192.0.2.1").status_code == 302
    _assert_swedish_429(_signup(client, 3, REMOTE_ADDR="192.0.2.1"))
    assert not User.objects.filter(email="person3@example.se").exists()
    assert _signup(client, 4, REMOTE_ADDR="192.0.2.2").status_code == 302  # another client


def test_sign_ups_behind_the_proxy_count_per_forwarded_client(client, db, settings):
    settings.CIVSAM_BEHIND_PROXY = True
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "2/h/ip"}
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for n in range(2):
        assert _signup(client, n, HTTP_X_FORWARDED_FOR="203.0.113.5", **proxy).status_code == 302
    _assert_swedish_429(_signup(client, 2, HTTP_X_FORWARDED_FOR="203.0.113.5", **proxy))
    assert _signup(client, 3, HTTP_X_FORWARDED_FOR="203.0.113.6", **proxy).status_code == 302


def test_logins_per_client(client, users, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "3/m/ip"}
    for _ in range(3):
        client.post(reverse("accounts:login"), {"login": "rep", "password": "fel"}, REMOTE_ADDR="192.0.2.1")
    response = client.post(
        reverse("accounts:login"), {"login": "rep", "password": "secret-pass-123"}, REMOTE_ADDR="192.0.2.1"
    )
    _assert_swedish_429(response)


def test_password_reset_per_address_and_per_client(client, db, settings):
    user = User.objects.create_user(username="rut", email="rut@example.se", password=PASSWORD)
    EmailAddress.objects.create(user=user, email="rut@example.se", primary=True, verified=True)
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "reset_password": "5/h/ip,2/h/key"}
    url = reverse("account_reset_password")
    # Per address: however many clients ask, rut gets two mails an hour.
    for n in range(2):
        assert client.post(url, {"email": "rut@example.se"}, REMOTE_ADDR=f"192.0.2.{n}").status_code == 302
    _assert_swedish_429(client.post(url, {"email": "RUT@example.se"}, REMOTE_ADDR="192.0.2.9"))
    assert len(mail.outbox) == 2
    # Per client: one client cannot send mail to many addresses.
    for n in range(5):
        assert client.post(url, {"email": f"annan{n}@example.se"}, REMOTE_ADDR="192.0.2.20").status_code == 302
    _assert_swedish_429(client.post(url, {"email": "annan5@example.se"}, REMOTE_ADDR="192.0.2.20"))


def test_the_configured_limits_are_in_force(settings):
    """The production limits themselves, so that a change to them is a change on purpose."""
    limits = settings.ACCOUNT_RATE_LIMITS
    assert limits["signup"] == "10/h/ip"
    assert limits["reset_password"] == "10/h/ip,3/h/key"
    assert limits["login"] == "30/m/ip"
    assert limits["login_failed"] == "10/m/ip,10/5m/key"
