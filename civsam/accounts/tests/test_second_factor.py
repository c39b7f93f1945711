"""Staff roles need a second factor: an authenticator app (TOTP) with recovery codes (ADR 0080)."""

from __future__ import annotations

import re

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth import SESSION_KEY, login
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory
from django.urls import reverse

from civsam.accounts.second_factor import record_eid_login, second_factor_due

from .helpers import totp_code, totp_enable

PASSWORD = "secret-pass-123"  # the root conftest's users
SETUP = reverse("mfa_activate_totp")


def _login(client, username: str, password: str = PASSWORD):
    return client.post(reverse("accounts:login"), {"login": username, "password": password})


@pytest.mark.parametrize("role", ["admin", "officer", "reviewer"])
def test_staff_without_a_second_factor_are_sent_to_set_it_up(client, users, staff_mfa, role):
    client.force_login(users[role])
    for path in (reverse("site:dashboard"), reverse("registry:directory"), reverse("site:home")):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"] == SETUP, path
    page = client.get(SETUP)
    assert page.status_code == 302  # allauth first asks for the password again after a force_login
    assert page["Location"].startswith(reverse("account_reauthenticate"))
    html = client.get(page["Location"]).content.decode()
    assert "Din roll kräver inloggning med två faktorer." in html


def test_the_api_answers_problem_json_instead(client, users, staff_mfa):
    client.force_login(users["officer"])
    response = client.get("/api/v1/plans")
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert "två faktorer" in response.json()["detail"]


@pytest.mark.parametrize("role", ["rep", "plain"])
def test_other_roles_need_no_second_factor(client, users, staff_mfa, role):
    client.force_login(users[role])
    assert client.get(reverse("site:dashboard")).status_code == 200


def test_setting_up_the_app_then_logging_in_with_a_code(client, users, staff_mfa):
    officer = users["officer"]
    response = _login(client, "officer")
    assert response.status_code == 302
    assert client.get(reverse("site:dashboard"))["Location"] == SETUP

    # Adding a factor is guarded by the password, asked again even just after logging in, so that
    # a stolen session cannot tie the account to someone else's phone.
    page = client.get(SETUP)
    assert page.status_code == 302 and page["Location"].startswith(reverse("account_reauthenticate"))
    confirm = client.post(page["Location"], {"password": PASSWORD})
    assert confirm.status_code == 302 and confirm["Location"] == SETUP
    page = client.get(SETUP)
    html = page.content.decode()
    assert page.status_code == 200 and "<h1>Aktivera autentiseringsapp</h1>" in html
    assert 'src="data:image/svg+xml;base64,' in html  # the QR code, allowed by the CSP (img-src data:)
    secret = re.search(r'<code id="totp-secret">([A-Z2-7]+)</code>', html).group(1)

    wrong = client.post(SETUP, {"code": "000000"})
    assert wrong.status_code == 200 and "Fel kod. Skriv koden som appen visar just nu." in wrong.content.decode()
    response = client.post(SETUP, {"code": totp_code(secret)})
    assert response.status_code == 302 and response["Location"] == reverse("mfa_view_recovery_codes")
    codes_page = client.get(response["Location"]).content.decode()
    recovery = re.findall(r"<li><code>([0-9a-zA-Z]+)</code></li>", codes_page)
    assert len(recovery) == 10
    assert set(Authenticator.objects.filter(user=officer).values_list("type", flat=True)) == {
        Authenticator.Type.TOTP,
        Authenticator.Type.RECOVERY_CODES,
    }
    assert client.get(reverse("site:dashboard")).status_code == 200
    client.post(reverse("accounts:logout"))

    # From now on the password alone does not log in.
    response = _login(client, "officer")
    assert response.status_code == 302 and response["Location"] == reverse("mfa_authenticate")
    assert SESSION_KEY not in client.session
    page = client.get(reverse("mfa_authenticate"))
    assert "<h1>Kod från autentiseringsappen</h1>" in page.content.decode()
    assert client.post(reverse("mfa_authenticate"), {"code": "123456"}).status_code == 200
    assert SESSION_KEY not in client.session
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret, step=1)})
    assert response.status_code == 302 and response["Location"] == reverse("site:dashboard")
    assert client.session[SESSION_KEY] == str(officer.pk)
    client.post(reverse("accounts:logout"))

    # A recovery code stands in for a lost phone, once.
    _login(client, "officer")
    assert client.post(reverse("mfa_authenticate"), {"code": recovery[0]}).status_code == 302
    assert client.session[SESSION_KEY] == str(officer.pk)
    client.post(reverse("accounts:logout"))
    _login(client, "officer")
    assert client.post(reverse("mfa_authenticate"), {"code": recovery[0]}).status_code == 200
    assert SESSION_KEY not in client.session


def test_a_staff_user_with_the_app_works_as_before(client, users, staff_mfa):
    totp_enable(users["admin"])
    client.force_login(users["admin"])
    assert client.get(reverse("site:dashboard")).status_code == 200


def test_an_e_id_login_is_two_factors_itself(users, staff_mfa):
    request = RequestFactory().get("/")
    request.session, request.user = SessionStore(), AnonymousUser()
    login(request, users["officer"], backend="django.contrib.auth.backends.ModelBackend")
    assert second_factor_due(request)
    record_eid_login(request, users["officer"])
    assert not second_factor_due(request)


def test_with_debug_on_staff_are_reminded_not_stopped(client, users, staff_mfa, settings):
    settings.DEBUG = True
    client.force_login(users["officer"])
    page = client.get(reverse("site:dashboard"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Utvecklingsläge: din roll kräver inloggning med två faktorer" in html
    assert f'href="{SETUP}">Aktivera nu</a>' in html
    totp_enable(users["officer"])
    assert "Utvecklingsläge" not in client.get(reverse("site:dashboard")).content.decode()


def test_the_admin_site_logs_in_through_the_site_login(client, users):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login") + "?next=")


def test_the_demo_s_reminder_is_refused_in_production(tmp_path):
    """CIVSAM_STAFF_MFA_REMIND_ONLY (make run's local demo over plain HTTP) cannot be left on where
    the site runs over HTTPS: the start stops, naming the variable."""
    import os
    import subprocess
    import sys

    from django.conf import settings as django_settings

    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "CIVSAM_"))}
    env.update(CIVSAM_VAR_DIR=str(tmp_path), DJANGO_SECRET_KEY="k" * 50, CIVSAM_STAFF_MFA_REMIND_ONLY="1")

    def start(**extra: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-c", "import civsam.settings as s; print(s.CIVSAM_STAFF_MFA_REMIND_ONLY)"],
            env={**env, **extra},
            capture_output=True,
            text=True,
            timeout=60,
            cwd=django_settings.BASE_DIR,
            check=False,
        )

    production = start()
    assert production.returncode != 0 and "CIVSAM_STAFF_MFA_REMIND_ONLY" in production.stderr
    demo = start(DJANGO_SECURE_HTTPS="0", CIVSAM_BASE_URL="http://127.0.0.1:8000")
    assert demo.returncode == 0, demo.stderr
    assert demo.stdout.strip() == "True"


def test_the_demo_s_reminder_replaces_the_set_up(client, users, staff_mfa, settings):
    settings.CIVSAM_STAFF_MFA_REMIND_ONLY = True
    client.force_login(users["officer"])
    page = client.get(reverse("site:dashboard"))
    assert page.status_code == 200 and f'href="{SETUP}">Aktivera nu</a>' in page.content.decode()
