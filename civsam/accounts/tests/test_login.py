"""Logging in: the login page, failed-login lockout (django-axes), and the role scopes."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt, AccessLog
from django.conf import settings as django_settings
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from civsam.accounts.models import Role, RoleAssignment, User
from civsam.accounts.scopes import ANONYMOUS, scope_for
from civsam.accounts.services import role_assign
from civsam.core.models import AuditEntry, Municipality

PASSWORD = "secret-pass-123"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _login(client, username: str, password: str, **extra):
    return client.post(reverse("accounts:login"), {"username": username, "password": password}, **extra)


def test_login_page_is_swedish_and_logs_in(client, users):
    page = client.get(reverse("accounts:login"))
    assert page.status_code == 200
    html = page.content.decode()
    assert '<html lang="sv"' in html and "Användarnamn" in html and "Lösenord" in html
    response = _login(client, "officer", PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("site:dashboard")
    assert client.session[SESSION_KEY] == str(users["officer"].pk)
    assert client.get(reverse("site:dashboard")).status_code == 200
    assert AccessLog.objects.filter(username="officer").count() == 1


def test_wrong_password_is_refused_in_swedish(client, users):
    response = _login(client, "officer", "fel-lösenord")
    assert response.status_code == 200
    assert "korrekt användarnamn och lösenord" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_lockout_after_five_failures_refuses_even_the_right_password(client, users):
    assert django_settings.AXES_FAILURE_LIMIT == 5
    for attempt in range(1, 5):
        response = _login(client, "officer", f"fel-{attempt}")
        assert response.status_code == 200, attempt  # the form again, with an error
    # The fifth failure reaches the limit and is answered with the lockout page.
    response = _login(client, "officer", "fel-5")
    assert response.status_code == 429
    response = _login(client, "officer", PASSWORD)
    assert response.status_code == 429
    html = response.content.decode()
    assert "Kontot är tillfälligt låst" in html
    assert "För många misslyckade inloggningsförsök" in html
    assert SESSION_KEY not in client.session
    assert client.get(reverse("site:dashboard")).status_code == 302  # still not logged in

    attempt = AccessAttempt.objects.get(username="officer")
    assert attempt.failures_since_start >= 5
    assert attempt.ip_address == "127.0.0.1"
    assert not AccessLog.objects.filter(username="officer").exists()  # no successful login recorded


def test_lockout_is_per_username_and_address(client, users):
    for attempt in range(5):
        _login(client, "officer", f"fel-{attempt}")
    # Another user from the same address, and the same user from another address, are not locked.
    assert _login(client, "rep", PASSWORD).status_code == 302
    client.logout()
    assert _login(client, "officer", PASSWORD, REMOTE_ADDR="10.0.0.7").status_code == 302


def test_success_before_the_limit_resets_the_count(client, users):
    for attempt in range(4):
        _login(client, "officer", f"fel-{attempt}")
    assert _login(client, "officer", PASSWORD).status_code == 302
    client.logout()
    for attempt in range(4):
        assert _login(client, "officer", f"fel-igen-{attempt}").status_code == 200
    assert _login(client, "officer", PASSWORD).status_code == 302


def test_logout_needs_post(client, users):
    client.force_login(users["officer"])
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302 and response["Location"] == reverse("site:home")
    assert SESSION_KEY not in client.session


# Role scopes ---------------------------------------------------------------------------------


def test_scope_per_role(users):
    orebro = Municipality.objects.get(code="1880")
    assert scope_for(None) is ANONYMOUS
    assert scope_for(users["plain"]).authenticated and not scope_for(users["plain"]).is_staff_like
    assert scope_for(users["admin"]).region_admin
    assert scope_for(users["officer"]).municipality_ids == {orebro.pk}
    assert scope_for(users["rep"]).organisation_ids == {users["own_org"].pk}
    assert scope_for(users["reviewer"]).reviewer and not scope_for(users["reviewer"]).is_staff_like


def test_officer_of_two_municipalities_and_superuser(users):
    kumla, hallsberg = Municipality.objects.get(code="1881"), Municipality.objects.get(code="1861")
    officer = User.objects.create_user(username="tva", password=PASSWORD)
    role_assign(user=officer, role=Role.MUNICIPAL_OFFICER, municipality=kumla)
    role_assign(user=officer, role=Role.MUNICIPAL_OFFICER, municipality=hallsberg)
    assert scope_for(officer).municipality_ids == {kumla.pk, hallsberg.pk}
    superuser = User.objects.create_superuser(username="super", password=PASSWORD)
    assert scope_for(superuser).region_admin


def test_role_assign_is_idempotent_and_audited(users):
    officer = users["officer"]
    before = AuditEntry.objects.filter(content_type__model="roleassignment").count()
    role_assign(actor=users["admin"], user=officer, role=Role.REVIEWER)
    role_assign(actor=users["admin"], user=officer, role=Role.REVIEWER)
    assert RoleAssignment.objects.filter(user=officer, role=Role.REVIEWER).count() == 1
    assert AuditEntry.objects.filter(content_type__model="roleassignment").count() == before + 1


@pytest.mark.parametrize(
    ("role", "scope"),
    [
        (Role.MUNICIPAL_OFFICER, {}),
        (Role.ORGANISATION_REP, {}),
        (Role.REGION_ADMIN, {"municipality": "1880"}),
        (Role.REVIEWER, {"organisation": True}),
        (Role.ORGANISATION_REP, {"municipality": "1880"}),
    ],
)
def test_role_scope_must_match_the_role(users, role, scope):
    """The database refuses an officer without a municipality, an admin with one, and so on."""
    from django.db import IntegrityError, transaction

    fields = {}
    if "municipality" in scope:
        fields["municipality"] = Municipality.objects.get(code=scope["municipality"])
    if "organisation" in scope:
        fields["organisation"] = users["own_org"]
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(user=users["plain"], role=role, **fields)
