"""Fixtures for the e-ID tests: a real OpenID Provider (tests/oidc) with Django's live server as its
client, our client's key, and a person's browser (requests, following redirects) to drive the flow
through both, login screen included."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import urljoin

import pytest
import requests
from joserfc.jwk import RSAKey

from tests.oidc.harness import ProviderUnavailable, start_provider

CLIENT_ID = "civsam-test"
PNR_HASH_KEY = "test-hash-key-for-personal-numbers-0123456789"


@pytest.fixture(scope="session")
def eid_client_pem() -> str:
    """Our client's private key, made once per run."""
    return RSAKey.generate_key(2048).as_pem(private=True).decode()


@pytest.fixture
def eid_settings(settings, eid_client_pem):
    """e-ID configured against a provider that is never called (for tests without the network)."""
    settings.CIVSAM_EID = {
        "ISSUER": "http://127.0.0.1:9/no-provider",
        "CLIENT_ID": CLIENT_ID,
        "PRIVATE_KEY": eid_client_pem,
        "PRIVATE_KEY_FILE": "",
        "PNR_HASH_KEY": PNR_HASH_KEY,
    }
    return settings


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
def eid(settings, live_server, oidc_provider, eid_client_pem):
    """e-ID configured against the running test provider, with the live server as the public site."""
    settings.CIVSAM_EID = {
        "ISSUER": oidc_provider.issuer,
        "CLIENT_ID": CLIENT_ID,
        "PRIVATE_KEY": eid_client_pem,
        "PRIVATE_KEY_FILE": "",
        "PNR_HASH_KEY": PNR_HASH_KEY,
    }
    settings.CIVSAM_BASE_URL = live_server.url
    oidc_provider.tamper(None)
    return oidc_provider


class Browser:
    """A person's browser: keeps cookies, follows redirects, fills in forms."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.http = requests.Session()
        self.last: requests.Response | None = None

    def get(self, path_or_url: str) -> requests.Response:
        self.last = self.http.get(urljoin(self.base_url, path_or_url), timeout=30)
        return self.last

    def post(
        self, path_or_url: str, data: dict, *, csrf_from: requests.Response | None = None, follow: bool = True
    ) -> requests.Response:
        page = csrf_from or self.last
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text) if page is not None else None
        if token:
            data = {"csrfmiddlewaretoken": token.group(1), **data}
        url = urljoin(self.base_url, path_or_url)
        self.last = self.http.post(url, data=data, timeout=30, allow_redirects=follow)
        return self.last

    def follow_link(self, text: str) -> requests.Response:
        match = re.search(r'<a [^>]*href="([^"]+)"[^>]*>\s*' + re.escape(text), self.last.text)
        assert match, f"no link {text!r} on {self.last.url}"
        return self.get(urljoin(self.last.url, unescape(match.group(1))))

    def eid_authenticate(self, start: requests.Response, person: str) -> requests.Response:
        """At the provider's login screen (where `start` landed): pick the test person, submit."""
        assert "Test-e-legitimation" in start.text, f"not at the provider's login screen: {start.url}"
        action = re.search(r'<form method="post" action="([^"]+)"', start.text).group(1)
        self.last = self.http.post(urljoin(start.url, unescape(action)), data={"person": person}, timeout=30)
        return self.last

    def eid_login(self, person: str, *, start: str = "/konto/e-legitimation/logga-in/") -> requests.Response:
        return self.eid_authenticate(self.get(start), person)

    def password_login(self, username: str, password: str, *, next_url: str = "") -> requests.Response:
        page = self.get("/konto/logga-in/" + (f"?next={next_url}" if next_url else ""))
        return self.post(page.url, {"username": username, "password": password, "next": next_url}, follow=False)

    def logout(self) -> requests.Response:
        return self.post("/konto/logga-ut/", {}, csrf_from=self.get("/konto/e-legitimation/"), follow=False)


@pytest.fixture
def visitor(live_server):
    person = Browser(live_server.url)
    yield person
    person.http.close()


# Accounts with allauth (ADR 0080) ------------------------------------------------------------


@pytest.fixture
def staff_mfa(settings):
    """Staff must have a second factor (the root conftest turns it off for other apps' tests)."""
    settings.CIVSAM_STAFF_MFA = True
    settings.DEBUG = False
    return settings
