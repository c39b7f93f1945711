"""A security key (WebAuthn) as the second factor beside the authenticator app (ADR 0114).

The key is a software authenticator (helpers.SoftKey) that makes a real key pair and answers the
options allauth puts on the page, so the server's checks (challenge, origin, RP id, signature) run
as they do for a browser. The browser side is in tests/e2e/test_security_key.py."""

from __future__ import annotations

import json

import pytest
from allauth.mfa.models import Authenticator
from django.conf import settings as django_settings
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from .helpers import SoftKey, js_data

PASSWORD = "secret-pass-123"
ADD = reverse("mfa_add_webauthn")


@pytest.fixture
def client():
    """On localhost: WebAuthn accepts plain http only there (a secure context in browsers), and the
    RP id is the host the page was asked for."""
    return Client(HTTP_HOST="localhost")


def _login(client, username: str):
    return client.post(reverse("accounts:login"), {"login": username, "password": PASSWORD})


def _add_key(client, key: SoftKey, name: str = "Blå nyckeln"):
    """Open the add page (confirming the password first), register `key`, return the answer."""
    page = client.get(ADD)
    if page.status_code == 302 and page["Location"].startswith(reverse("account_reauthenticate")):
        client.post(page["Location"], {"password": PASSWORD})
        page = client.get(ADD)
    assert page.status_code == 200, page
    options = js_data(page.content.decode())["creation_options"]
    return client.post(ADD, {"name": name, "credential": json.dumps(key.register(options))})


def test_security_keys_are_a_second_factor_only():
    assert "webauthn" in django_settings.MFA_SUPPORTED_TYPES
    assert django_settings.MFA_PASSKEY_LOGIN_ENABLED is False
    with pytest.raises(NoReverseMatch):
        reverse("mfa_login_webauthn")  # no login with a key alone, without the password


def test_the_add_page_offers_registration_options_for_this_site_and_person(client, users, staff_mfa):
    _login(client, "officer")
    page = client.get(ADD)
    client.post(page["Location"], {"password": PASSWORD})
    page = client.get(ADD)
    html = page.content.decode()
    assert page.status_code == 200 and "<h1>Lägg till säkerhetsnyckel</h1>" in html
    assert 'value="Säkerhetsnyckel 1"' in html  # a Swedish suggested name
    assert "Cache-Control" in page and "no-store" in page["Cache-Control"]  # personal data
    options = js_data(html)["creation_options"]["publicKey"]
    assert options["rp"]["id"] == "localhost"
    assert options["user"]["name"] == "officer"
    assert len(options["challenge"]) >= 22  # at least 16 random bytes, base64url
    assert options["excludeCredentials"] == []
    # The scripts are files of this site: the CSP's script-src 'self' needs no exception.
    for script in ("mfa/js/webauthn.js", "mfa/js/webauthn-json.js", "account/js/onload.js", "civsam/webauthn.js"):
        assert f'src="/static/{script}"' in html
    assert "script-src 'self'" in page["Content-Security-Policy"]


def test_a_staff_member_adds_a_key_and_logs_in_with_it(client, users, staff_mfa):
    officer, key = users["officer"], SoftKey()
    _login(client, "officer")
    assert client.get(reverse("site:dashboard"))["Location"] == reverse("mfa_activate_totp")
    response = _add_key(client, key)
    # The first factor comes with recovery codes, shown at once.
    assert response.status_code == 302 and response["Location"] == reverse("mfa_view_recovery_codes")
    assert set(Authenticator.objects.filter(user=officer).values_list("type", flat=True)) == {
        Authenticator.Type.WEBAUTHN,
        Authenticator.Type.RECOVERY_CODES,
    }
    assert client.get(reverse("site:dashboard")).status_code == 200
    listing = client.get(reverse("mfa_list_webauthn")).content.decode()
    assert "<h2>Blå nyckeln</h2>" in listing and "Inte använd ännu." in listing
    client.post(reverse("accounts:logout"))

    # The password alone no longer logs in; the code page offers the key.
    response = _login(client, "officer")
    assert response["Location"] == reverse("mfa_authenticate") and SESSION_KEY not in client.session
    page = client.get(reverse("mfa_authenticate")).content.decode()
    assert "Använd säkerhetsnyckel" in page and "<h1>Inloggning med två faktorer</h1>" in page
    # Another key, or an old challenge, is refused.
    options = js_data(page)["request_options"]
    stranger = SoftKey()
    stranger.credential_id = key.credential_id  # same id, wrong private key: the signature fails
    refused = client.post(reverse("mfa_authenticate"), {"credential": json.dumps(stranger.sign(options))})
    assert refused.status_code == 200 and SESSION_KEY not in client.session
    page = client.get(reverse("mfa_authenticate")).content.decode()
    response = client.post(
        reverse("mfa_authenticate"), {"credential": json.dumps(key.sign(js_data(page)["request_options"]))}
    )
    assert response.status_code == 302 and response["Location"] == reverse("site:dashboard")
    assert client.session[SESSION_KEY] == str(officer.pk)
    assert Authenticator.objects.get(user=officer, type=Authenticator.Type.WEBAUTHN).last_used_at is not None


def test_a_key_is_renamed_and_removed_by_its_owner_only(client, users, staff_mfa):
    _login(client, "officer")
    _add_key(client, SoftKey())
    authenticator = Authenticator.objects.get(user=users["officer"], type=Authenticator.Type.WEBAUTHN)
    edit = reverse("mfa_edit_webauthn", args=[authenticator.pk])
    empty = client.post(edit, {"name": ""})
    assert empty.status_code == 200 and "Skriv ett namn på nyckeln." in empty.content.decode()
    assert client.post(edit, {"name": "Jobbdatorn"}).status_code == 302
    authenticator.refresh_from_db()
    assert authenticator.wrap().name == "Jobbdatorn"
    # Someone else gets nothing.
    other = Client(HTTP_HOST="localhost")
    _login(other, "rep")
    assert other.get(reverse("mfa_remove_webauthn", args=[authenticator.pk])).status_code in {302, 404}
    assert other.post(reverse("mfa_remove_webauthn", args=[authenticator.pk])).status_code in {302, 404}
    assert Authenticator.objects.filter(pk=authenticator.pk).exists()
    confirm = client.get(reverse("mfa_remove_webauthn", args=[authenticator.pk])).content.decode()
    assert "<h1>Ta bort Jobbdatorn?</h1>" in confirm
    assert client.post(reverse("mfa_remove_webauthn", args=[authenticator.pk])).status_code == 302
    assert not Authenticator.objects.filter(pk=authenticator.pk).exists()


@pytest.mark.parametrize(
    ("language", "expected"),
    [("sv", ["Säkerhetsnycklar", "Lägg till säkerhetsnyckel"]), ("en", ["Security keys", "Add a security key"])],
)
def test_the_pages_are_in_swedish_and_english(client, users, staff_mfa, language, expected):
    _login(client, "officer")
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
    with translation.override(language):
        index = client.get(reverse("mfa_index")).content.decode()
        listing = client.get(reverse("mfa_list_webauthn")).content.decode()
    for text in expected:
        assert text in index, text
    assert expected[0] in listing
