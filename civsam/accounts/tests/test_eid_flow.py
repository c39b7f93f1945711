"""e-ID login end to end: Django's live server as the client of a real OpenID Provider (npm
oidc-provider, started by the `oidc_provider` fixture), a person's browser driving both, login
screen included. Nothing of the protocol is mocked; the refused answers are issued by the provider
(a person with an e-ID at level 2) or re-signed with its own key where it cannot be made to
misbehave (tests/oidc/provider.mjs)."""

from __future__ import annotations

import hashlib
import hmac
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.shortcuts import resolve_url

from civsam.accounts.eid.client import LOA3, SCOPES
from civsam.accounts.eid.models import EidLink
from civsam.accounts.models import User
from civsam.core.models import AuditEntry

from .conftest import PNR_HASH_KEY

pytestmark = pytest.mark.slow

PASSWORD = "ett-långt-lösenord-2026"


def pnr_hash(number: str) -> str:
    return hmac.new(PNR_HASH_KEY.encode(), number.encode(), hashlib.sha256).hexdigest()


def dashboard() -> str:
    return resolve_url(django_settings.LOGIN_REDIRECT_URL)


def logged_in_as(visitor) -> User | None:
    """The user the browser's session belongs to, read from the session store."""
    key = visitor.http.cookies.get(django_settings.SESSION_COOKIE_NAME)
    session = Session.objects.filter(session_key=key).first() if key else None
    user_id = session.get_decoded().get("_auth_user_id") if session else None
    return User.objects.filter(pk=user_id).first() if user_id else None


def no_personal_number_anywhere(number: str) -> None:
    """The number is in no account, link, audit entry or session (only its keyed hash may be)."""
    for user in User.objects.all():
        assert number not in " ".join(str(v) for v in (user.username, user.email, user.first_name, user.last_name))
    for entry in AuditEntry.objects.all():
        assert number not in f"{entry.object_repr} {entry.changes} {entry.note}"
        assert not any(h.pnr_hash in f"{entry.object_repr} {entry.changes} {entry.note}" for h in EidLink.objects.all())
    for session in Session.objects.all():
        assert number not in str(session.get_decoded())


def test_the_request_follows_the_swedish_profile(eid, visitor):
    """Code flow with PKCE S256, state, nonce, the profile's scopes and level of assurance 3,
    always a fresh authentication."""
    response = visitor.http.get(f"{visitor.base_url}/konto/e-legitimation/logga-in/", allow_redirects=False)
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert f"{location.scheme}://{location.netloc}" == eid.issuer
    query = {key: values[0] for key, values in parse_qs(location.query).items()}
    assert query["response_type"] == "code"
    assert query["client_id"] == "civsam-test"
    assert query["code_challenge_method"] == "S256" and len(query["code_challenge"]) == 43
    assert len(query["state"]) >= 22 and len(query["nonce"]) >= 22  # at least 128 bits each
    assert query["acr_values"] == LOA3
    assert query["prompt"] == "login"  # no single sign-on at the broker
    assert set(query["scope"].split()) == set(SCOPES)
    assert query["redirect_uri"] == f"{visitor.base_url}/konto/e-legitimation/retur/"
    # The provider accepts nothing but private_key_jwt at its token endpoint.
    metadata = requests.get(f"{eid.issuer}/.well-known/openid-configuration", timeout=10).json()
    assert metadata["token_endpoint_auth_methods_supported"] == ["private_key_jwt"]


def test_an_unknown_person_creates_an_account_and_logs_in_with_it_again(eid, visitor):
    page = visitor.eid_login("anna")
    assert page.status_code == 200 and page.url.endswith("/konto/e-legitimation/nytt-konto/")
    assert "Anna Andersson" in page.text and "Skapa konto" in page.text and "Logga in och koppla" in page.text
    assert not User.objects.exists() and not EidLink.objects.exists()

    page = visitor.post(page.url, {"email": "anna@example.se"}, follow=False)
    assert page.status_code == 302 and page.headers["Location"] == dashboard()
    anna = User.objects.get(email="anna@example.se")
    assert (anna.first_name, anna.last_name, anna.has_usable_password()) == ("Anna", "Andersson", False)
    assert logged_in_as(visitor) == anna
    link = EidLink.objects.get(user=anna)
    assert link.pnr_hash == pnr_hash("198112289874")
    assert AuditEntry.objects.filter(content_type__model="user", object_id=str(anna.pk), action="create").exists()
    assert AuditEntry.objects.filter(content_type__model="eidlink", action="create", actor=anna).exists()

    visitor.logout()
    assert logged_in_as(visitor) is None
    page = visitor.eid_login("anna", start="/konto/e-legitimation/logga-in/?next=/konto/e-legitimation/")
    assert page.url.endswith("/konto/e-legitimation/") and "kopplat till en e-legitimation sedan" in page.text
    assert logged_in_as(visitor) == anna
    link.refresh_from_db()
    assert link.last_used_at is not None
    assert AuditEntry.objects.filter(content_type__model="eidlink", action="update", note="e-ID login").count() == 1
    assert User.objects.count() == 1 and EidLink.objects.count() == 1
    no_personal_number_anywhere("198112289874")


def test_a_signed_in_user_links_their_e_id_logs_in_with_it_and_unlinks_it(eid, visitor, live_server):
    bertil = User.objects.create_user(username="bertil", password=PASSWORD, first_name="Bertil", last_name="Berg")
    visitor.password_login("bertil", PASSWORD)
    assert logged_in_as(visitor) == bertil
    page = visitor.get("/konto/e-legitimation/")
    assert "inte kopplat till någon e-legitimation" in page.text
    page = visitor.eid_authenticate(visitor.follow_link("Koppla e-legitimation"), "bertil")
    assert page.url.endswith("/konto/e-legitimation/")
    assert "Din e-legitimation är nu kopplad till ditt konto." in page.text
    assert EidLink.objects.get(user=bertil).pnr_hash == pnr_hash("199001012393")

    other_visitor = type(visitor)(live_server.url)
    other_visitor.eid_login("bertil", start="/konto/e-legitimation/logga-in/?next=/konto/e-legitimation/")
    assert logged_in_as(other_visitor) == bertil

    page = visitor.post("/konto/e-legitimation/ta-bort/", {}, csrf_from=visitor.get("/konto/e-legitimation/"))
    assert "Kopplingen till din e-legitimation är borttagen." in page.text
    assert not EidLink.objects.exists()
    assert AuditEntry.objects.filter(content_type__model="eidlink", action="delete", actor=bertil).exists()
    no_personal_number_anywhere("199001012393")


def test_an_unknown_e_id_is_linked_after_a_password_login(eid, visitor):
    bertil = User.objects.create_user(username="bertil", password=PASSWORD)
    page = visitor.eid_login("bertil")
    assert page.url.endswith("/nytt-konto/")
    page = visitor.follow_link("Logga in och koppla")
    assert page.url.split("?")[0].endswith("/konto/logga-in/")
    page = visitor.post(page.url, {"username": "bertil", "password": PASSWORD, "next": "/konto/e-legitimation/"})
    assert page.url.endswith("/konto/e-legitimation/")
    assert "Du legitimerade dig nyss som Bertil Berg" in page.text
    assert not EidLink.objects.exists()  # not before the person says so
    page = visitor.post("/konto/e-legitimation/koppla-senaste/", {})
    assert "Din e-legitimation är nu kopplad till ditt konto." in page.text
    assert EidLink.objects.get(user=bertil).pnr_hash == pnr_hash("199001012393")


def test_one_e_id_per_person(eid, visitor):
    anna = User.objects.create_user(username="anna", password=PASSWORD)
    EidLink.objects.create(user=anna, pnr_hash=pnr_hash("198112289874"))
    User.objects.create_user(username="impostor", password=PASSWORD)
    visitor.password_login("impostor", PASSWORD)
    page = visitor.eid_authenticate(visitor.get("/konto/e-legitimation/koppla/"), "anna")
    assert "redan kopplad till ett annat konto" in page.text
    assert list(EidLink.objects.values_list("user__username", flat=True)) == ["anna"]


REFUSALS = [
    ("aud", "anna", "utfärdat till en annan tjänst än Civsam"),
    ("exp", "anna", "hade slutat gälla"),
    ("nonce", "anna", "hörde till en annan inloggning"),
    ("none", "anna", "saknade en giltig signatur"),
    ("foreign-key", "anna", "saknade en giltig signatur"),
    ("iss", "anna", "kom inte från den e-legitimationstjänst som Civsam använder"),
    (None, "cecilia", "lägre tillitsnivå än Civsam kräver"),
]


@pytest.mark.parametrize(("tamper", "person", "message"), REFUSALS, ids=[r[0] or "loa2" for r in REFUSALS])
def test_a_broken_or_weak_answer_is_refused_and_nothing_is_stored(eid, visitor, tamper, person, message):
    # The person has an account already, so that a wrongly accepted answer would log them in.
    anna = User.objects.create_user(username="anna", password=PASSWORD)
    EidLink.objects.create(user=anna, pnr_hash=pnr_hash(eid.people["anna"]))
    cecilia = User.objects.create_user(username="cecilia", password=PASSWORD)
    EidLink.objects.create(user=cecilia, pnr_hash=pnr_hash(eid.people["cecilia"]))
    audit_before = AuditEntry.objects.count()

    eid.tamper(tamper)
    page = visitor.eid_login(person)
    assert page.status_code == 403, page.text
    assert page.url.split("?")[0].endswith("/konto/e-legitimation/retur/")
    assert message in page.text and "Inga uppgifter från e-legitimationen har sparats." in page.text
    assert logged_in_as(visitor) is None
    assert EidLink.objects.filter(last_used_at__isnull=False).count() == 0
    assert User.objects.count() == 2 and EidLink.objects.count() == 2
    assert AuditEntry.objects.count() == audit_before
    session = Session.objects.get(session_key=visitor.http.cookies.get(django_settings.SESSION_COOKIE_NAME))
    assert set(session.get_decoded()) <= {"eid_pending"} and not session.get_decoded().get("eid_pending")

    # The same person, honestly answered, gets in: the refusal was about the answer.
    again = type(visitor)(visitor.base_url)
    page = again.eid_login(person, start="/konto/e-legitimation/logga-in/?next=/konto/e-legitimation/")
    if person == "anna":
        assert logged_in_as(again) == anna
    else:
        assert page.status_code == 403  # level 2 stays refused
