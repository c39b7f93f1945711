"""e-ID login without a provider: the keyed hash, the link's invariants, the services' rules, the
JWKS, the ID token checks on tokens made here, and the pages' answers when no login is under way.
The whole flow against a real provider is in test_eid_flow.py."""

from __future__ import annotations

import hashlib
import hmac
import json
import time

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

from civsam.accounts.eid import client as eid_client
from civsam.accounts.eid.client import LOA3, PNR_CLAIM, EidError
from civsam.accounts.eid.models import EidLink
from civsam.accounts.eid.services import (
    EidLinkError,
    eid_account_create,
    eid_link_create,
    eid_link_delete,
    eid_login_record,
)
from civsam.accounts.models import User
from civsam.core.models import AuditEntry

from .conftest import CLIENT_ID, PNR_HASH_KEY

PNR = "198112289874"
ISSUER = "http://127.0.0.1:9/no-provider"


@pytest.fixture
def person(db):
    return User.objects.create_user(username="person", password="ett-långt-lösenord-2026")


def _hash(number: str = PNR) -> str:
    return hmac.new(PNR_HASH_KEY.encode(), number.encode(), hashlib.sha256).hexdigest()


# The keyed hash ------------------------------------------------------------------------------------


def test_the_hash_is_hmac_sha256_under_the_configured_key(eid_settings):
    assert eid_client.personal_number_hash(PNR) == _hash()
    eid_settings.CIVSAM_EID = {**eid_settings.CIVSAM_EID, "PNR_HASH_KEY": "another-key-" * 4}
    assert eid_client.personal_number_hash(PNR) != _hash()  # without the key, no guessing by hashing


def test_the_identity_carries_the_hash_and_the_name_never_the_number(eid_settings):
    identity = eid_client.identity_from_claims({PNR_CLAIM: PNR, "given_name": " Anna ", "family_name": "Andersson"})
    assert (identity.pnr_hash, identity.given_name, identity.family_name) == (_hash(), "Anna", "Andersson")
    assert PNR not in repr(identity)


@pytest.mark.parametrize("number", [None, "", "8112289874", "19811228-9874", "198113289874", 198112289874])
def test_an_identity_without_a_valid_personal_number_is_refused(eid_settings, number):
    with pytest.raises(EidError) as error:
        eid_client.identity_from_claims({PNR_CLAIM: number, "given_name": "Anna"})
    assert error.value.reason == "identity"


# The link's invariants ----------------------------------------------------------------------------


def test_the_database_keeps_one_account_per_person(person):
    EidLink.objects.create(user=person, pnr_hash=_hash())
    other = User.objects.create_user(username="other")
    with pytest.raises(IntegrityError), transaction.atomic():
        EidLink.objects.create(user=other, pnr_hash=_hash())


def test_the_database_keeps_one_e_id_per_account(person):
    EidLink.objects.create(user=person, pnr_hash=_hash())
    with pytest.raises(IntegrityError), transaction.atomic():
        EidLink.objects.create(user=person, pnr_hash=_hash("199001012393"))


@pytest.mark.parametrize("value", [PNR, "A" * 64, "0" * 63])
def test_the_database_holds_only_a_hash(person, value):
    with pytest.raises(IntegrityError), transaction.atomic():
        EidLink.objects.create(user=person, pnr_hash=value)


# Services -----------------------------------------------------------------------------------------


def test_link_and_unlink_are_audited_without_the_hash(person):
    link = eid_link_create(actor=person, user=person, pnr_hash=_hash())
    assert link.last_used_at is not None
    eid_link_delete(actor=person, user=person)
    assert not EidLink.objects.exists()
    entries = AuditEntry.objects.filter(content_type__model="eidlink").order_by("id")
    assert [(e.action, e.actor, e.note) for e in entries] == [
        ("create", person, "e-ID linked"),
        ("delete", person, "e-ID unlinked"),
    ]
    assert not any(_hash() in f"{e.object_repr}{e.changes}{e.note}" for e in entries)


def test_only_the_holder_links_or_unlinks(person):
    other = User.objects.create_user(username="other")
    with pytest.raises(PermissionDenied):
        eid_link_create(actor=other, user=person, pnr_hash=_hash())
    eid_link_create(actor=person, user=person, pnr_hash=_hash())
    with pytest.raises(PermissionDenied):
        eid_link_delete(actor=other, user=person)
    assert EidLink.objects.filter(user=person).exists()


def test_a_second_link_is_refused_either_way(person):
    eid_link_create(actor=person, user=person, pnr_hash=_hash())
    with pytest.raises(EidLinkError, match="redan kopplat till en e-legitimation"):
        eid_link_create(actor=person, user=person, pnr_hash=_hash("199001012393"))
    other = User.objects.create_user(username="other")
    with pytest.raises(EidLinkError, match="redan kopplad till ett annat konto"):
        eid_link_create(actor=other, user=other, pnr_hash=_hash())
    assert EidLink.objects.count() == 1


def test_the_only_way_in_cannot_be_unlinked(db):
    user = eid_account_create(pnr_hash=_hash(), given_name="Anna", family_name="Andersson", email="Anna@Example.se")
    assert (user.username, user.email, user.get_full_name()) == ("anna@example.se", "Anna@example.se", "Anna Andersson")
    assert not user.has_usable_password()
    with pytest.raises(EidLinkError, match="enda sättet att logga in"):
        eid_link_delete(actor=user, user=user)
    assert EidLink.objects.filter(user=user).exists()


def test_an_account_is_not_made_for_a_taken_address_or_a_linked_person(person):
    person.email = "person@example.se"
    person.save()
    with pytest.raises(EidLinkError, match="redan ett konto med den e-postadressen"):
        eid_account_create(pnr_hash=_hash(), given_name="P", family_name="P", email="PERSON@example.se")
    eid_link_create(actor=person, user=person, pnr_hash=_hash())
    with pytest.raises(EidLinkError, match="redan kopplad till ett annat konto"):
        eid_account_create(pnr_hash=_hash(), given_name="P", family_name="P", email="ny@example.se")
    assert User.objects.count() == 1


def test_a_login_is_recorded(person):
    link = eid_link_create(actor=person, user=person, pnr_hash=_hash())
    before = link.last_used_at
    eid_login_record(link=link)
    link.refresh_from_db()
    assert link.last_used_at > before
    entry = AuditEntry.objects.get(content_type__model="eidlink", action="update")
    assert entry.note == "e-ID login" and entry.actor == person and list(entry.changes) == ["last_used_at"]


# The ID token checks, on tokens made here ---------------------------------------------------------


@pytest.fixture
def provider_key(eid_settings, monkeypatch):
    """A provider signing key, published through metadata and JWKS answered from memory."""
    key = RSAKey.generate_key(2048, {"kid": "op-1", "alg": "RS256", "use": "sig"})
    metadata = {
        "issuer": ISSUER,
        "authorization_endpoint": f"{ISSUER}/auth",
        "token_endpoint": f"{ISSUER}/token",
        "jwks_uri": f"{ISSUER}/jwks",
        "id_token_signing_alg_values_supported": ["RS256"],
    }
    monkeypatch.setattr(eid_client, "provider_metadata", lambda: metadata)
    monkeypatch.setattr(
        eid_client, "provider_keys", lambda refresh=False: KeySet.import_key_set({"keys": [key.as_dict(private=False)]})
    )
    return key


def _claims(**changes):
    now = int(time.time())
    claims = {
        "iss": ISSUER,
        "sub": "abc",
        "aud": CLIENT_ID,
        "iat": now,
        "exp": now + 300,
        "nonce": "n-1",
        "acr": LOA3,
        PNR_CLAIM: PNR,
    }
    claims.update(changes)
    return {k: v for k, v in claims.items() if v is not None}


def _sign(key, claims, alg="RS256"):
    return jwt.encode({"alg": alg, "kid": key.kid}, claims, key)


def test_a_sound_id_token_is_accepted(provider_key):
    claims = eid_client.id_token_verify(_sign(provider_key, _claims()), nonce="n-1")
    assert claims["acr"] == LOA3


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"aud": "another-client"}, "audience"),
        ({"aud": [CLIENT_ID, "another-client"], "azp": CLIENT_ID}, "audience"),
        ({"iss": "http://evil.example"}, "issuer"),
        ({"exp": int(time.time()) - 600}, "expired"),
        ({"iat": int(time.time()) + 3600}, "expired"),
        ({"nonce": "n-2"}, "nonce"),
        ({"nonce": None}, "nonce"),
        ({"acr": "http://id.elegnamnden.se/loa/1.0/loa2"}, "assurance"),
        ({"acr": None}, "assurance"),
    ],
)
def test_a_faulty_id_token_is_refused_for_its_fault(provider_key, changes, reason):
    with pytest.raises(EidError) as error:
        eid_client.id_token_verify(_sign(provider_key, _claims(**changes)), nonce="n-1")
    assert error.value.reason == reason


def test_unsigned_and_foreign_signed_id_tokens_are_refused(provider_key):
    def b64(value):
        import base64

        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    unsigned = f"{b64({'alg': 'none'})}.{b64(_claims())}."
    foreign = _sign(RSAKey.generate_key(2048, {"kid": "op-1"}), _claims())
    for token in (unsigned, foreign, "not-a-token"):
        with pytest.raises(EidError) as error:
            eid_client.id_token_verify(token, nonce="n-1")
        assert error.value.reason in {"signature", "invalid"}, token


# The provider's answer, before any token is fetched ----------------------------------------------


def _pending(*, age: float = 0):
    """A login started `age` seconds ago (stamped when the test runs, not when it is collected:
    a slow run would otherwise find every pending login expired)."""
    return {
        "state": "s-1",
        "nonce": "n-1",
        "code_verifier": "v",
        "redirect_uri": "http://x/",
        "started": time.time() - age,
    }


@pytest.mark.parametrize(
    ("age", "params", "reason"),
    [
        (0, {"state": "s-2", "code": "c"}, "state"),
        (3600, {"state": "s-1", "code": "c"}, "state"),
        (0, {"state": "s-1", "code": "c", "iss": "http://another-provider"}, "issuer"),
        (0, {"state": "s-1", "error": "access_denied", "iss": ISSUER}, "cancelled"),
        (0, {"state": "s-1"}, "invalid"),
    ],
)
def test_an_answer_is_checked_before_the_code_is_used(eid_settings, age, params, reason):
    with pytest.raises(EidError) as error:
        eid_client.authorization_complete(pending=_pending(age=age), params=params)
    assert error.value.reason == reason


# Pages --------------------------------------------------------------------------------------------


def test_the_jwks_publishes_the_public_key_only(client, eid_settings):
    response = client.get(reverse("eid:jwks"))
    assert response.status_code == 200
    (key,) = response.json()["keys"]
    assert {"kty", "n", "e", "kid", "alg", "use"} <= set(key) and key["alg"] == "RS256"
    assert not {"d", "p", "q", "dp", "dq", "qi"} & set(key)
    assert key["kid"] == RSAKey.import_key(eid_settings.CIVSAM_EID["PRIVATE_KEY"]).thumbprint()


def test_the_key_may_come_from_a_file(client, eid_settings, tmp_path):
    path = tmp_path / "client.pem"
    path.write_text(eid_settings.CIVSAM_EID["PRIVATE_KEY"])
    eid_settings.CIVSAM_EID = {**eid_settings.CIVSAM_EID, "PRIVATE_KEY": "", "PRIVATE_KEY_FILE": str(path)}
    assert client.get(reverse("eid:jwks")).json()["keys"][0]["kty"] == "RSA"


def test_the_login_page_offers_e_id_only_when_configured(client, db, settings, eid_settings):
    page = client.get(reverse("accounts:login") + "?next=/min-sida/").content.decode()
    assert "Logga in med e-legitimation" in page
    assert f'href="{reverse("eid:login")}?next=/min-sida/"' in page.replace("%2F", "/")
    settings.CIVSAM_EID = {**settings.CIVSAM_EID, "ISSUER": ""}
    assert "Logga in med e-legitimation" not in client.get(reverse("accounts:login")).content.decode()
    for name in ("eid:login", "eid:callback", "eid:jwks"):
        assert client.get(reverse(name)).status_code == 404, name


def test_a_return_without_a_started_login_is_refused(client, db, eid_settings):
    response = client.get(reverse("eid:callback"), {"code": "x", "state": "never-issued"})
    assert response.status_code == 400
    assert "Börja om från början" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_provider_that_does_not_answer_gives_a_clear_message(client, db, eid_settings):
    response = client.get(reverse("eid:login"))
    assert response.status_code == 503
    assert "E-legitimationstjänsten svarar inte just nu" in response.content.decode()


def test_the_account_page_needs_a_login_and_shows_no_hash(client, person, eid_settings):
    assert client.get(reverse("eid:account")).status_code == 302
    client.force_login(person)
    page = client.get(reverse("eid:account")).content.decode()
    assert "Koppla e-legitimation" in page
    eid_link_create(actor=person, user=person, pnr_hash=_hash())
    page = client.get(reverse("eid:account")).content.decode()
    assert "kopplat till en e-legitimation sedan" in page and "Ta bort kopplingen" in page
    assert _hash() not in page


def test_signup_without_an_e_id_login_goes_to_the_login_page(client, db, eid_settings):
    response = client.get(reverse("eid:signup"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")
