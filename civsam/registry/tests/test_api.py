"""The organisations API: visibility, filters, paging, the detail resource and query counts."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from civsam.core.collation import sort_key
from civsam.core.models import ActivityClass, LegalForm, Municipality, SocietalRole
from civsam.core.tests.api_support import assert_problem, items
from civsam.registry import orgnr
from civsam.registry.services import contact_create

LIST = "/api/v1/organisations"
ORGANISATION_KEYS = {
    "organisationNumber",
    "organisationNumberFormatted",
    # Every kind of actor (ADR 0096).
    "civsamId",
    "kind",
    "sector",
    "country",
    "nationalRegistrationNumber",
    "name",
    "legalForm",
    "municipality",
    "activeMunicipalities",
    "activities",
    "roles",
    "website",
    "email",
    "description",
    "foundedYear",
    "memberCount",
    "socialEnterprise",
    "workIntegrating",
    "ideburenRegistered",
    "public",
    "demo",
    "updatedAt",
    "url",
    "webUrl",
}


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The users fixture hashes six passwords; the default hasher is slow by design.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)  # a session login, as a browser would have
    return client


def names(response) -> list[str]:
    return [row["name"] for row in items(response)]


@pytest.fixture
def register(users, make_org):
    """A small register: the users' two public organisations plus these."""
    activity = {a.code: a for a in ActivityClass.objects.all()}
    role = {r.code: r for r in SocietalRole.objects.all()}
    orgs = {
        "hidden": make_org(name="Dolda föreningen", municipality="1880", is_public=False),
        "hidden_kumla": make_org(name="Kumlas dolda förening", municipality="1881", is_public=False),
        "sport": make_org(
            name="Idrottsföreningen Vivalla",
            municipality="1880",
            description="Fotboll och friidrott för unga",
            activity_classes=[activity["1"]],
            roles=[role["community"], role["school-of-democracy"]],
            active_municipalities=[Municipality.objects.get(code="1881"), Municipality.objects.get(code="1814")],
            founded_year=1975,
            member_count=320,
            website="https://vivalla.example.se",
            email="info@vivalla.example.se",
        ),
        "social": make_org(
            name="Kooperativet Lindesberg",
            municipality="1885",
            legal_form=LegalForm.objects.get(code="53"),
            activity_classes=[activity["4"]],
            roles=[role["service-provider"]],
            social_enterprise=True,
            social_enterprise_source="Tillväxtverkets lista",
            social_enterprise_verified_on=datetime.date(2026, 3, 1),
            work_integrating=True,
        ),
    }
    contact_create(organisation=orgs["sport"], name="Karin Kontaktsson", email="karin@example.se", phone="070-1234567")
    return {**orgs, "own": users["own_org"], "other": users["other_org"]}


# --- visibility ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "sees_hidden"),
    [
        ("anonymous", set()),
        ("plain", set()),
        ("reviewer", set()),
        ("officer", {"Dolda föreningen"}),
        ("officer_kumla", {"Kumlas dolda förening"}),
        ("admin", {"Dolda föreningen", "Kumlas dolda förening"}),
    ],
)
def test_list_shows_only_what_the_caller_may_see(users, register, who, sees_hidden):
    listed = set(names(client_for(users[who]).get(LIST, {"limit": 100})))
    hidden = {"Dolda föreningen", "Kumlas dolda förening"}
    assert listed & hidden == sees_hidden
    assert {"Idrottsföreningen Vivalla", "Kooperativet Lindesberg", "Egna föreningen", "Andra föreningen"} <= listed


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 404), ("officer_kumla", 404), ("officer", 200), ("admin", 200)]
)
def test_hidden_organisation_detail_is_404_unless_visible(users, register, who, status):
    response = client_for(users[who]).get(f"{LIST}/{register['hidden'].orgnr}")
    if status == 404:
        body = assert_problem(response, 404)
        assert orgnr.format_display(register["hidden"].orgnr) in body["detail"]
    else:
        assert response.status_code == 200
        assert response.json()["public"] is False


# --- the representation --------------------------------------------------------------------------


def test_detail_representation_has_no_personal_data_or_internals(register):
    org = register["sport"]
    response = Client().get(f"{LIST}/{org.orgnr}")
    body = response.json()
    assert set(body) == ORGANISATION_KEYS
    text = response.content.decode()
    for leaked in ("Karin", "070-1234567", "karin@example.se", "search", "is_demo", "isDemo", "contacts"):
        assert leaked not in text, leaked
    assert body["organisationNumber"] == org.orgnr
    assert body["organisationNumberFormatted"] == org.orgnr_display
    assert (body["civsamId"], body["kind"], body["sector"], body["country"]) == (
        org.civsam_id,
        "swedish",
        "civil-society",
        "SE",
    )
    assert body["nationalRegistrationNumber"] is None
    assert body["legalForm"] == {"code": "61", "nameSv": "Ideell förening", "nameEn": "Non-profit association"}
    assert body["municipality"] == {"code": "1880", "name": "Örebro"}
    assert body["activeMunicipalities"] == [{"code": "1881", "name": "Kumla"}, {"code": "1814", "name": "Lekeberg"}]
    assert [a["code"] for a in body["activities"]] == ["1"]
    assert [r["code"] for r in body["roles"]] == ["community", "school-of-democracy"]
    assert body["foundedYear"] == 1975
    assert body["memberCount"] == 320
    assert body["website"] == "https://vivalla.example.se"
    assert body["email"] == "info@vivalla.example.se"
    assert body["socialEnterprise"] == {"value": False, "source": None, "verifiedOn": None}
    assert body["demo"] is False
    assert body["public"] is True
    assert body["url"] == f"http://testserver/api/v1/organisations/{org.orgnr}"
    assert body["webUrl"] == f"http://testserver{org.get_absolute_url()}"


def test_flags_carry_source_and_date(register):
    body = Client().get(f"{LIST}/{register['social'].orgnr}").json()
    assert body["socialEnterprise"] == {"value": True, "source": "Tillväxtverkets lista", "verifiedOn": "2026-03-01"}
    assert body["workIntegrating"]["value"] is True
    assert body["ideburenRegistered"]["value"] is False


def test_list_items_have_the_same_representation_as_the_detail(register):
    org = register["sport"]
    listed = next(row for row in items(Client().get(LIST, {"limit": 100})) if row["name"] == org.name)
    assert listed == Client().get(f"{LIST}/{org.orgnr}").json()


# --- the organisationsnummer ---------------------------------------------------------------------


def test_detail_accepts_the_number_with_or_without_hyphen_and_the_16_prefix(register):
    org = register["sport"]
    for written in (org.orgnr, org.orgnr_display, f"16{org.orgnr}", f"16{org.orgnr_display}"):
        response = Client().get(f"{LIST}/{written}")
        assert response.status_code == 200, written
        assert response.json()["organisationNumber"] == org.orgnr


@pytest.mark.parametrize("written", ["123", "802000-001X", "8020000018", "19800101-1234", "1980010112", "5560360793x"])
def test_invalid_number_is_a_400_with_the_swedish_explanation(register, written):
    body = assert_problem(Client().get(f"{LIST}/{written}"), 400, parameter="organisationsnummer")
    with pytest.raises(orgnr.OrgnrError) as error:
        orgnr.normalise(written)
    assert body["detail"] == str(error.value)
    assert body["invalidParameters"][0]["value"] == written


def test_valid_but_unknown_number_is_404(register):
    unknown = orgnr.complete("802999999")
    body = assert_problem(Client().get(f"{LIST}/{unknown}"), 404)
    assert body["title"] == "Resursen finns inte"


# --- filters -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"municipality": "1885"}, {"Kooperativet Lindesberg"}),
        ({"municipality": "1881"}, {"Andra föreningen"}),
        ({"municipality": "1881,1885"}, {"Andra föreningen", "Kooperativet Lindesberg"}),
        ({"municipality": ["1881", "1885"]}, {"Andra föreningen", "Kooperativet Lindesberg"}),
        ({"legal-form": "53"}, {"Kooperativet Lindesberg"}),
        ({"activity": "1"}, {"Idrottsföreningen Vivalla"}),
        ({"activity": "1,4"}, {"Idrottsföreningen Vivalla", "Kooperativet Lindesberg"}),
        ({"role": "service-provider"}, {"Kooperativet Lindesberg"}),
        ({"role": "community", "activity": "4"}, set()),
        ({"flag": "social-enterprise"}, {"Kooperativet Lindesberg"}),
        ({"flag": "social-enterprise,ideburen-registered"}, set()),
        ({"q": "idrottsföreningar"}, {"Idrottsföreningen Vivalla"}),
        ({"q": "fotboll"}, {"Idrottsföreningen Vivalla"}),
        ({"q": "kooperativ lindesberg"}, {"Kooperativet Lindesberg"}),
        ({"q": "   "}, {"Egna föreningen", "Andra föreningen", "Idrottsföreningen Vivalla", "Kooperativet Lindesberg"}),
        ({"municipality": "1880", "q": "förening"}, {"Egna föreningen", "Idrottsföreningen Vivalla"}),
    ],
)
def test_filters(register, query, expected):
    assert set(names(Client().get(LIST, {**query, "limit": 100}))) == expected


def test_search_finds_by_organisationsnummer(register):
    org = register["social"]
    assert names(Client().get(LIST, {"q": org.orgnr_display})) == [org.name]


def test_sort_orders(register):
    by_name = names(Client().get(LIST, {"sort": "name"}))
    assert by_name == sorted(by_name, key=sort_key)
    assert names(Client().get(LIST, {"sort": "-name"})) == list(reversed(by_name))
    assert names(Client().get(LIST, {"sort": "-founded"}))[0] == "Idrottsföreningen Vivalla"


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ({"municipality": "9999"}, "municipality"),
        ({"municipality": "1880,0000"}, "municipality"),
        ({"legal-form": "ZZ"}, "legal-form"),
        ({"activity": "99"}, "activity"),
        ({"role": "nope"}, "role"),
        ({"flag": "rich"}, "flag"),
        ({"sort": "members"}, "sort"),
        ({"q": "x" * 201}, "q"),
        ({"legal_form": "61"}, "legal_form"),
        ({"kommun": "1880"}, "kommun"),
    ],
)
def test_bad_filters_are_400_problems_naming_the_parameter(register, query, parameter):
    body = assert_problem(Client().get(LIST, query), 400, parameter=parameter)
    assert body["title"] == "Felaktig begäran"


def test_misspelt_parameter_gets_a_hint(register):
    body = assert_problem(Client().get(LIST, {"legal_form": "61"}), 400, parameter="legal_form")
    assert "legal-form" in body["invalidParameters"][0]["reason"]


def test_unknown_codes_are_listed(register):
    body = assert_problem(Client().get(LIST, {"municipality": "1880,0000,9999"}), 400, parameter="municipality")
    assert body["invalidParameters"][0]["value"] == "0000,9999"


# --- paging --------------------------------------------------------------------------------------


def test_paging_walks_every_visible_organisation_once_and_keeps_the_filters(users, make_org):
    for n in range(23):
        make_org(name=f"Kumlaföreningen {n:02d}", municipality="1881")
    seen = []
    response = Client().get(LIST, {"municipality": "1881", "limit": 10})
    while True:
        body = response.json()
        assert body["pagination"]["totalCount"] == 24
        assert body["pagination"]["totalPages"] == 3
        seen += [row["name"] for row in body["items"]]
        if not body["links"]["next"]:
            break
        assert "municipality=1881" in body["links"]["next"]
        assert 'rel="next"' in response["Link"]
        response = Client().get(body["links"]["next"])
    assert len(seen) == len(set(seen)) == 24
    assert seen == sorted(seen, key=sort_key)
    assert items(Client().get(LIST, {"municipality": "1881", "limit": 10, "page": 4})) == []


@pytest.mark.slow
def test_query_count_does_not_grow_with_the_page_size(users, make_org):
    activities = list(ActivityClass.objects.all()[:3])
    roles = list(SocietalRole.objects.all()[:2])
    elsewhere = list(Municipality.objects.exclude(code="1880")[:2])
    for n in range(105):
        make_org(
            name=f"Mätföreningen {n:03d}",
            activity_classes=activities,
            roles=roles,
            active_municipalities=elsewhere,
        )
    counts = {}
    for limit in (5, 100):
        for who in ("anonymous", "admin"):
            client = client_for(users[who])
            client.get(LIST, {"limit": 1})  # warm the session and caches
            with CaptureQueriesContext(connection) as queries:
                response = client.get(LIST, {"limit": limit, "q": "mätföreningen", "municipality": "1880"})
            assert len(items(response)) == limit
            assert all(len(row["activities"]) == 3 for row in items(response))
            counts[who, limit] = len(queries)
    assert counts["anonymous", 5] == counts["anonymous", 100]
    assert counts["admin", 5] == counts["admin", 100]
    assert counts["anonymous", 100] <= 8, counts
