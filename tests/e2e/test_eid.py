"""Logging in with an e-ID in the browser, against the test OpenID Provider (tests/oidc), with axe on
every page: the login button, the provider's screen, the new-account page, the account's e-ID page
and the page that refuses a broken answer."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.oidc.harness import ProviderUnavailable, start_provider

pytestmark = pytest.mark.e2e

CLIENT_ID = "civsam-e2e"


@pytest.fixture(scope="session")
def oidc_provider(live_server):
    try:
        provider = start_provider(
            client_id=CLIENT_ID,
            redirect_uri=f"{live_server.url}/konto/e-legitimation/retur/",
            jwks_uri=f"{live_server.url}/konto/e-legitimation/jwks.json",
        )
    except ProviderUnavailable as exc:
        pytest.fail(str(exc), pytrace=False)
    yield provider
    provider.stop()


@pytest.fixture
def eid(settings, live_server, oidc_provider):
    from joserfc.jwk import RSAKey

    settings.CIVSAM_EID = {
        "ISSUER": oidc_provider.issuer,
        "CLIENT_ID": CLIENT_ID,
        "PRIVATE_KEY": RSAKey.generate_key(2048).as_pem(private=True).decode(),
        "PRIVATE_KEY_FILE": "",
        "PNR_HASH_KEY": "e2e-hash-key-for-personal-numbers-0123456789",
    }
    settings.CIVSAM_BASE_URL = live_server.url
    oidc_provider.tamper(None)
    return oidc_provider


def test_a_new_person_logs_in_with_an_e_id_and_gets_an_account(site, eid):
    page = site.page
    site.goto("/konto/logga-in/")
    site.follow(lambda: page.get_by_role("link", name="Logga in med e-legitimation").click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Test-e-legitimation")
    page.get_by_label("Testperson").select_option("anna")
    site.follow(lambda: page.get_by_role("button", name="Legitimera").click())

    assert page.url.endswith("/konto/e-legitimation/nytt-konto/")
    expect(page.get_by_role("main")).to_contain_text("Du har legitimerat dig som Anna Andersson")
    site.follow(lambda: page.get_by_role("button", name="Skapa konto").click(), status=400)
    expect(page.get_by_role("alert")).to_contain_text("E-postadress")
    page.get_by_label(re.compile(r"^E-postadress")).fill("anna.andersson@example.se")
    site.follow(lambda: page.get_by_role("button", name="Skapa konto").click())
    expect(page.get_by_role("status")).to_contain_text("Ditt konto är skapat och kopplat till din e-legitimation.")

    site.goto("/konto/e-legitimation/")
    expect(page.get_by_role("main")).to_contain_text("kopplat till en e-legitimation sedan")
    expect(page.get_by_role("main")).to_contain_text("enda sättet att logga in")

    site.follow(lambda: page.get_by_role("button", name=re.compile("Logga ut")).click())
    eid.tamper("nonce")
    site.goto("/konto/logga-in/")
    site.follow(lambda: page.get_by_role("link", name="Logga in med e-legitimation").click())
    page.get_by_label("Testperson").select_option("anna")
    site.follow(lambda: page.get_by_role("button", name="Legitimera").click(), status=403)
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggningen med e-legitimation gick inte igenom")
    expect(page.get_by_role("alert")).to_contain_text("hörde till en annan inloggning")
