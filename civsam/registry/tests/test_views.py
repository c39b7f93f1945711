"""Register pages under normal and hostile use: forms, CSRF, odd URLs and input, never a 500."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from civsam.core.models import AuditEntry, LegalForm, Municipality
from civsam.registry import orgnr as orgnr_mod
from civsam.registry.models import ContactPerson, DuplicateCandidate, Organisation

from .support import organisation_form_data


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _create_data(**overrides):
    data = {
        "name": "Brickebackens Läxhjälp",
        "orgnr": "802002-4389",
        "legal_form": LegalForm.objects.get(code="61").pk,
        "municipality": Municipality.objects.get(code="1880").pk,
        "is_public": "on",
    }
    data.update(overrides)
    return data


# Normal use ---------------------------------------------------------------------------------


def test_officer_registers_an_organisation_end_to_end(client, users):
    client.force_login(users["officer"])
    form = client.get(reverse("registry:organisation-create"))
    assert form.status_code == 200
    # Only the officer's own municipality is offered.
    assert [m.code for m in form.context["form"].fields["municipality"].queryset] == ["1880"]
    response = client.post(reverse("registry:organisation-create"), _create_data())
    organisation = Organisation.objects.get(orgnr="8020024389")
    assert response.status_code == 302 and response["Location"] == organisation.get_absolute_url()
    page = client.get(response["Location"])
    assert "Brickebackens Läxhjälp" in page.content.decode() and "802002-4389" in page.content.decode()
    entry = AuditEntry.objects.get(
        action=AuditEntry.Action.CREATE, object_id=str(organisation.pk), content_type__model="organisation"
    )
    assert entry.actor == users["officer"]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"orgnr": "802002-4388"}, "orgnr", "fel kontrollsiffra"),
        ({"orgnr": "802002-438"}, "orgnr", "tio siffror"),
        ({"orgnr": "19800101-1234"}, "orgnr", "börjar inte med 16"),
        ({"orgnr": "800101-1234"}, "orgnr", "personnummer"),
        ({"name": ""}, "name", "Detta fält måste fyllas i."),
        ({"member_count": "-5"}, "member_count", "större än eller lika med 0"),
        ({"website": "javascript:alert(1)"}, "website", "Fyll i en giltig URL."),
        ({"email": "inte en adress"}, "email", "giltig e-postadress"),
    ],
)
def test_invalid_form_input_is_answered_with_a_swedish_error(client, users, overrides, field, message):
    client.force_login(users["officer"])
    response = client.post(reverse("registry:organisation-create"), _create_data(**overrides))
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field]), response.context["form"].errors
    assert not Organisation.objects.filter(name="Brickebackens Läxhjälp").exists()


def test_orgnr_already_registered_is_a_form_error(client, users):
    client.force_login(users["officer"])
    response = client.post(reverse("registry:organisation-create"), _create_data(orgnr=users["own_org"].orgnr))
    assert response.status_code == 200
    assert "finns redan" in " ".join(response.context["form"].errors["orgnr"])


def test_implausible_founding_year_is_refused_without_a_500(client, users):
    client.force_login(users["officer"])
    response = client.post(reverse("registry:organisation-create"), _create_data(founded_year="3000"))
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Organisation.objects.filter(orgnr="8020024389").exists()


def test_names_are_escaped(client, users, make_org):
    organisation = make_org(name='<script>alert("x")</script> Föreningen', municipality="1880")
    html = client.get(organisation.get_absolute_url()).content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    html = client.get(reverse("registry:directory"), {"q": "föreningen"}).content.decode()
    assert "<script>alert" not in html


def test_invalid_contact_is_a_400_with_the_form_again(client, users):
    client.force_login(users["rep"])
    url = reverse("registry:contact-add", args=[users["own_org"].orgnr])
    response = client.post(url, {"name": "", "email": "fel"})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"name", "email"}
    assert not ContactPerson.objects.exists()


def test_resolving_a_duplicate_with_an_unknown_decision_is_refused(client, users, make_org):
    twin = make_org(name="Egna föreningen i Örebro", municipality="1880")
    low, high = sorted((users["own_org"].pk, twin.pk))
    candidate, _ = DuplicateCandidate.objects.get_or_create(first_id=low, second_id=high, defaults={"similarity": 0.9})
    client.force_login(users["officer"])
    response = client.post(reverse("registry:duplicate-resolve", args=[candidate.pk]), {"status": "open"})
    assert response.status_code == 400
    candidate.refresh_from_db()
    assert candidate.status == DuplicateCandidate.Status.OPEN


# Hostile requests -----------------------------------------------------------------------------

HOSTILE_QUERIES = [
    "x" * 20_000,
    '"unterminated',
    "förening* NEAR(a b) NOT c OR d AND e",
    "a & b | !c <-> d:* (e)",
    "' OR '1'='1",
    "'; DROP TABLE registry_organisation; --",
    "%00\x00nul",
    "\u202e\u200b\ufeff",
    "🙂 😀 𝔉𝔬𝔬",
]


@pytest.mark.parametrize("query", HOSTILE_QUERIES, ids=range(len(HOSTILE_QUERIES)))
@pytest.mark.parametrize("fmt", ["page", "csv", "json", "xlsx"])
def test_hostile_search_input_is_harmless(client, users, query, fmt):
    url = reverse("registry:directory") if fmt == "page" else reverse("registry:directory-export", args=[fmt])
    params = {"q": query, "sort": query[:50], "per_page": query[:50], "municipality": query[:50], "page": query[:50]}
    response = client.get(url, params)
    # A NUL character is refused before any view runs (core/input_guard.py); the rest is searched.
    assert response.status_code == (400 if "\x00" in query else 200)
    assert Organisation.objects.count() == 2


def test_too_many_parameters_is_a_400(client, reference_data):
    query = "&".join(f"municipality={n}" for n in range(1500))
    response = client.get(reverse("registry:directory") + "?" + query)
    assert response.status_code == 400


NOT_THERE = ["0000000000", "8020000000", "x" * 300, "'; DROP TABLE x; --", "%00", "ä-ö"]


@pytest.mark.parametrize("orgnr", NOT_THERE)
@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("registry:organisation-detail", "get"),
        ("registry:organisation-edit", "get"),
        ("registry:organisation-edit", "post"),
        ("registry:organisation-delete", "post"),
        ("registry:organisation-contacts", "get"),
        ("registry:contact-add", "post"),
        ("registry:organisation-history", "get"),
    ],
)
def test_unknown_orgnr_is_404_for_admin_and_public(client, users, orgnr, name, method):
    url = reverse(name, args=[orgnr])
    if name == "registry:organisation-detail":
        assert client.get(url).status_code == 404  # anonymous too: a public page
    client.force_login(users["admin"])
    assert getattr(client, method)(url).status_code == 404


@pytest.mark.parametrize(
    ("name", "args"),
    [("registry:contact-delete", ["own", 999_999]), ("registry:duplicate-resolve", [999_999])],
)
def test_unknown_ids_are_404(client, users, name, args):
    args = [users["own_org"].orgnr if a == "own" else a for a in args]
    client.force_login(users["admin"])
    assert client.post(reverse(name, args=args)).status_code == 404


def test_contact_of_another_organisation_cannot_be_deleted_through_mine(client, users):
    from civsam.registry.services import contact_create

    theirs = contact_create(actor=None, organisation=users["other_org"], name="Deras Kontakt")
    client.force_login(users["rep"])
    url = reverse("registry:contact-delete", args=[users["own_org"].orgnr, theirs.pk])
    assert client.post(url).status_code == 404
    assert ContactPerson.objects.filter(pk=theirs.pk).exists()


@pytest.mark.parametrize("name", ["registry:organisation-delete", "registry:contact-add", "registry:duplicate-resolve"])
def test_post_only_views_refuse_get(client, users, name):
    client.force_login(users["admin"])
    args = [1] if name == "registry:duplicate-resolve" else [users["own_org"].orgnr]
    assert client.get(reverse(name, args=args)).status_code == 405


def _csrf_targets(users):
    own = users["own_org"]
    contact = ContactPerson.objects.create(organisation=own, name="Kim")
    return [
        (reverse("registry:organisation-create"), _create_data()),
        (reverse("registry:organisation-edit", args=[own.orgnr]), organisation_form_data(own, name="Kapad")),
        (reverse("registry:organisation-delete", args=[own.orgnr]), {}),
        (reverse("registry:contact-add", args=[own.orgnr]), {"name": "Kapad"}),
        (reverse("registry:contact-delete", args=[own.orgnr, contact.pk]), {}),
        (reverse("accounts:logout"), {}),
        (reverse("set_language"), {"language": "en"}),
    ]


def test_post_without_csrf_token_is_refused(users):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["admin"])
    for url, data in _csrf_targets(users):
        response = client.post(url, data)
        assert response.status_code == 403, url
    assert Organisation.objects.filter(pk=users["own_org"].pk, name="Egna föreningen").exists()
    assert ContactPerson.objects.filter(name="Kim").exists() and not ContactPerson.objects.filter(name="Kapad").exists()
    assert not Organisation.objects.filter(orgnr="8020024389").exists()


def test_login_without_csrf_token_is_refused(users):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:login"), {"username": "admin", "password": "secret-pass-123"})
    assert response.status_code == 403


def test_post_with_csrf_token_works(users):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["admin"])
    url = reverse("registry:contact-add", args=[users["own_org"].orgnr])
    client.get(reverse("registry:organisation-contacts", args=[users["own_org"].orgnr]))
    token = client.cookies["csrftoken"].value
    response = client.post(url, {"name": "Med Token", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert ContactPerson.objects.filter(name="Med Token").exists()


def test_unknown_page_is_a_swedish_404(client, reference_data):
    response = client.get("/finns-inte/alls/")
    assert response.status_code == 404
    assert "<html" in response.content.decode() and 'lang="sv"' in response.content.decode()


def test_generated_orgnr_helper_is_valid():
    assert orgnr_mod.is_valid(orgnr_mod.complete("802002438"))
