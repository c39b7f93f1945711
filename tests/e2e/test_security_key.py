"""A staff member adds a security key and logs in with it, in Chromium with a virtual authenticator
from the DevTools protocol (WebAuthn.addVirtualAuthenticator): the browser's own WebAuthn runs
against Civsam's pages and allauth's scripts under the CSP; axe and 320 px on every page (ADR 0114)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

PASSWORD_FIELD = "Lösenord"


def _virtual_authenticator(page):
    session = page.context.new_cdp_session(page)
    session.send("WebAuthn.enable")
    found = session.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": False,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return session, found["authenticatorId"]


def test_a_staff_member_adds_a_security_key_and_logs_in_with_it(site, e2e_data):
    from allauth.mfa.models import Authenticator

    from civsam.accounts.models import Role, User
    from civsam.accounts.services import role_assign
    from civsam.core.models import Municipality

    page = site.page
    # WebAuthn needs a secure context and a domain as the relying party: localhost, not 127.0.0.1.
    site.base_url = site.base_url.replace("127.0.0.1", "localhost")
    session, authenticator_id = _virtual_authenticator(page)
    # A new municipal officer, without a second factor yet.
    officer = User.objects.create_user(
        username="nyckel", password=e2e_data.password, first_name="Nora", last_name="Nyckel"
    )
    role_assign(user=officer, role=Role.MUNICIPAL_OFFICER, municipality=Municipality.objects.get(code="1880"))

    site.goto("/konto/logga-in/")
    page.get_by_label("Användarnamn eller e-postadress").fill(officer.username)
    page.get_by_label(PASSWORD_FIELD).fill(e2e_data.password)
    site.follow(lambda: page.get_by_role("button", name="Logga in").last.click())
    # Sent to set up a second factor: the app's page offers a key instead.
    expect(page.get_by_role("heading", level=1)).to_have_text("Bekräfta att det är du")
    page.get_by_label(PASSWORD_FIELD).fill(e2e_data.password)
    site.follow(lambda: page.get_by_role("button", name="Bekräfta").click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Aktivera autentiseringsapp")
    site.follow(lambda: page.get_by_role("link", name="Lägg till en säkerhetsnyckel i stället").click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Lägg till säkerhetsnyckel")
    page.get_by_label("Namn på nyckeln").fill("Blå nyckeln")
    site.follow(lambda: page.get_by_role("button", name="Lägg till").click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Reservkoder")
    assert Authenticator.objects.filter(user=officer, type=Authenticator.Type.WEBAUTHN).count() == 1
    site.goto("/konto/tvafaktor/nycklar/")
    expect(page.get_by_role("heading", level=2, name="Blå nyckeln")).to_be_visible()

    # Next time: the password, then the key.
    site.follow(lambda: page.get_by_role("button", name=re.compile("Logga ut")).click())
    site.goto("/konto/logga-in/")
    page.get_by_label("Användarnamn eller e-postadress").fill(officer.username)
    page.get_by_label(PASSWORD_FIELD).fill(e2e_data.password)
    site.follow(lambda: page.get_by_role("button", name="Logga in").last.click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggning med två faktorer")
    site.follow(lambda: page.get_by_role("button", name="Använd säkerhetsnyckel").click())
    expect(page).to_have_url(site.url("/min-sida/"))
    assert (
        session.send("WebAuthn.getCredentials", {"authenticatorId": authenticator_id})["credentials"][0]["signCount"]
        >= 2
    )

    # The same pages in English, at 320 px as every page here.
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": site.url("/")}])
    site.goto("/konto/tvafaktor/nycklar/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Security keys")
    site.goto("/konto/tvafaktor/")
    expect(page.get_by_role("link", name="Show the keys")).to_be_visible()
