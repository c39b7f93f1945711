"""A person sees where they are logged in and ends the other sessions; staff sessions end after an
idle time (ADR 0080)."""

from __future__ import annotations

import time

import pytest
from allauth.usersessions.models import UserSession
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from civsam.accounts.middleware import LAST_ACTIVITY

PASSWORD = "secret-pass-123"


def _login(client, username: str, **extra):
    response = client.post(reverse("accounts:login"), {"login": username, "password": PASSWORD}, **extra)
    assert response.status_code == 302
    return response


def test_sessions_are_listed_and_the_others_ended(users):
    laptop, phone = Client(HTTP_USER_AGENT="Firefox på datorn"), Client(HTTP_USER_AGENT="Safari i telefonen")
    _login(laptop, "rep", REMOTE_ADDR="192.0.2.10")
    _login(phone, "rep", REMOTE_ADDR="198.51.100.20")
    assert UserSession.objects.filter(user=users["rep"]).count() == 2

    page = laptop.get(reverse("usersessions_list"))
    html = page.content.decode()
    assert page.status_code == 200 and "<h1>Mina sessioner</h1>" in html
    assert "192.0.2.10" in html and "198.51.100.20" in html
    assert "Safari i telefonen" in html and "den här webbläsaren" in html

    response = laptop.post(reverse("usersessions_list"))
    assert response.status_code == 302
    assert "Du är utloggad från alla andra sessioner." in laptop.get(reverse("usersessions_list")).content.decode()
    assert phone.get(reverse("site:dashboard")).status_code == 302  # the phone is logged out
    assert laptop.get(reverse("site:dashboard")).status_code == 200
    assert UserSession.objects.filter(user=users["rep"]).count() == 1


def test_every_kind_of_login_is_listed(client, users):
    """Logins that are not allauth's (the e-ID's, the test client's) record a session too."""
    client.force_login(users["plain"])
    assert UserSession.objects.filter(user=users["plain"]).count() == 1


def _age(client, seconds: int) -> None:
    session = client.session
    session[LAST_ACTIVITY] = int(time.time()) - seconds
    session.save()


@pytest.mark.parametrize("role", ["officer", "admin", "reviewer"])
def test_staff_sessions_end_after_the_idle_time(client, users, settings, role):
    settings.CIVSAM_STAFF_IDLE_MINUTES = 30
    client.force_login(users[role])
    assert client.get(reverse("site:dashboard")).status_code == 200
    assert client.session.get_expiry_age() == 30 * 60  # the stored session ends with the idle time too

    _age(client, 29 * 60)
    assert client.get(reverse("site:dashboard")).status_code == 200  # still in, and the clock restarts
    assert int(time.time()) - client.session[LAST_ACTIVITY] < 5

    _age(client, 31 * 60)
    response = client.get(reverse("site:dashboard"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    assert SESSION_KEY not in client.session
    page = client.get(response["Location"]).content.decode()
    assert "Du har loggats ut eftersom du inte har använt Civsam på 30 minuter." in page


def test_the_idle_time_is_a_setting(client, users, settings):
    settings.CIVSAM_STAFF_IDLE_MINUTES = 5
    client.force_login(users["officer"])
    client.get(reverse("site:dashboard"))
    _age(client, 6 * 60)
    assert client.get(reverse("site:dashboard")).status_code == 302


def test_other_sessions_keep_the_usual_age(client, users, settings):
    client.force_login(users["rep"])
    assert client.get(reverse("site:dashboard")).status_code == 200
    _age(client, 3 * 3600)
    assert client.get(reverse("site:dashboard")).status_code == 200
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE
