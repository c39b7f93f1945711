"""Every kind of actor (ADR 0096–0098): sectors, actors without an orgnr, public bodies in the
reference data, merging, and registering a new organisation from the claim flow."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from civsam.accounts.models import Role, RoleAssignment, User
from civsam.core.models import AuditEntry, LegalForm, Municipality
from civsam.registry import exports, permissions, selectors, services
from civsam.registry.models import ContactPerson, MergedActor, Organisation, RepresentationRequest
from civsam.registry.orgnr import complete

Kind, Sector, Listing = Organisation.Kind, Organisation.Sector, Organisation.Listing
Status = RepresentationRequest.Status


def _form(code: str) -> LegalForm:
    return LegalForm.objects.get(code=code)


def _person(name: str) -> User:
    return User.objects.create_user(username=name, password="secret-pass-123", email=f"{name}@example.se")


# Sector from the legal form ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "social_enterprise", "expected"),
    [
        ("61", False, Sector.CIVIL_SOCIETY),
        ("72", False, Sector.CIVIL_SOCIETY),
        ("51", False, Sector.SOCIAL_ECONOMY),
        ("49", False, Sector.PRIVATE),
        ("49", True, Sector.SOCIAL_ECONOMY),
        ("31", True, Sector.SOCIAL_ECONOMY),
        ("10", True, Sector.SOCIAL_ECONOMY),
        ("10", False, Sector.PRIVATE),
        ("82", False, Sector.PUBLIC),
        ("84", True, Sector.PUBLIC),
        ("81", False, Sector.PUBLIC),
        ("IG", False, Sector.CIVIL_SOCIETY),
    ],
)
def test_the_default_sector_follows_the_legal_form(reference_data, code, social_enterprise, expected):
    assert services.default_sector(_form(code), social_enterprise=social_enterprise) == expected


def test_the_sector_is_stored_and_editable(make_org, users):
    company = make_org(name="Återbruket AB", orgnr=complete("556000111"), legal_form=_form("49"))
    assert company.sector == Sector.PRIVATE
    services.organisation_update(actor=users["officer"], organisation=company, sector=Sector.SOCIAL_ECONOMY)
    company.refresh_from_db()
    assert company.sector == Sector.SOCIAL_ECONOMY
    # The legal form's default does not come back on a later change.
    services.organisation_update(actor=users["officer"], organisation=company, description="Second hand")
    company.refresh_from_db()
    assert company.sector == Sector.SOCIAL_ECONOMY


def test_a_social_enterprise_in_any_legal_form(make_org):
    for code, number in (("49", "556000222"), ("31", "916000333")):
        org = make_org(orgnr=complete(number), legal_form=_form(code), social_enterprise=True)
        assert (org.social_enterprise, org.sector) == (True, Sector.SOCIAL_ECONOMY)
    sole_trader = make_org(name="Lindas Café", orgnr=None, legal_form=_form("10"), social_enterprise=True)
    assert (sole_trader.orgnr, sole_trader.sector, sole_trader.key) == (
        None,
        Sector.SOCIAL_ECONOMY,
        sole_trader.civsam_id,
    )


# Kinds of actor -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "field_in_error"),
    [
        ({"kind": Kind.INFORMAL, "orgnr": complete("802000999")}, "orgnr"),
        ({"kind": Kind.FOREIGN, "country": "SE", "orgnr": None}, "country"),
        ({"kind": Kind.FOREIGN, "country": "NO", "orgnr": complete("802000998")}, "orgnr"),
        ({"kind": Kind.SWEDISH, "orgnr": None}, "orgnr"),
        ({"kind": Kind.SWEDISH, "country": "NO"}, "country"),
        ({"kind": Kind.INFORMAL, "orgnr": None, "foreign_registration_number": "123"}, "foreign_registration_number"),
        ({"kind": Kind.SWEDISH, "orgnr": complete("802000997"), "legal_form": "10"}, "orgnr"),
    ],
)
def test_each_kind_needs_what_it_is(make_org, fields, field_in_error):
    if fields.get("legal_form"):
        fields["legal_form"] = _form(fields["legal_form"])
    with pytest.raises(ValidationError) as caught:
        make_org(**fields)
    assert field_in_error in caught.value.message_dict
    assert (
        not Organisation.objects.filter(name__startswith="Testföreningen", orgnr=fields.get("orgnr"))
        .exclude(orgnr=None)
        .exists()
    )


def test_actors_without_an_orgnr_get_a_stable_identifier_and_a_page(make_org, users):
    group = make_org(name="Grannsamverkan Vivalla", orgnr=None, kind=Kind.INFORMAL, legal_form=None)
    foreign = make_org(
        name="Norsk Folkehjelp Østlandet",
        orgnr=None,
        kind=Kind.FOREIGN,
        legal_form=None,
        country="no",
        foreign_registration_number="952 330 071",
    )
    assert group.legal_form.code == "IG" and foreign.legal_form.code == "96"
    assert foreign.country == "NO"
    assert group.civsam_id == f"CS-{group.pk:06d}"
    assert group.get_absolute_url() == f"/organisationer/{group.civsam_id}/"
    page = Client().get(group.get_absolute_url())
    assert page.status_code == 200
    text = page.content.decode()
    assert "Informell grupp eller nätverk" in text and group.civsam_id in text
    text = Client().get(foreign.get_absolute_url()).content.decode()
    assert "Norge" in text and "952 330 071" in text


def _ids(response) -> list[str]:
    return [item["name"] for item in response.json()["items"]]


def test_directory_api_and_exports_filter_by_sector_country_and_no_orgnr(make_org, users, reference_data):
    region = Organisation.objects.filter(orgnr="2321000164").first() or make_org(
        name="Region Örebro län", orgnr="2321000164", legal_form=_form("84")
    )
    make_org(name="Grannsamverkan Vivalla", orgnr=None, kind=Kind.INFORMAL, legal_form=None)
    make_org(name="Norsk Folkehjelp", orgnr=None, kind=Kind.FOREIGN, legal_form=None, country="NO")
    make_org(name="Återbruket AB", orgnr=complete("556000111"), legal_form=_form("49"))
    client = Client()
    api = "/api/v1/organisations"
    assert _ids(client.get(api, {"sector": "public"})) == [region.name]
    assert _ids(client.get(api, {"sector": "private"})) == ["Återbruket AB"]
    assert set(_ids(client.get(api, {"no-orgnr": "true"}))) == {"Grannsamverkan Vivalla", "Norsk Folkehjelp"}
    assert _ids(client.get(api, {"country": "no"})) == ["Norsk Folkehjelp"]
    assert _ids(client.get(api, {"kind": "informal"})) == ["Grannsamverkan Vivalla"]
    bad = client.get(api, {"sector": "church"})
    assert bad.status_code == 400 and bad["Content-Type"].startswith("application/problem+json")
    item = client.get(api, {"kind": "foreign"}).json()["items"][0]
    assert (item["organisationNumber"], item["kind"], item["sector"], item["country"]) == (
        None,
        "foreign",
        "civil-society",
        "NO",
    )
    detail = client.get(f"{api}/{item['civsamId']}")
    assert detail.status_code == 200 and detail.json()["name"] == "Norsk Folkehjelp"
    assert client.get(f"{api}/CS-999999").status_code == 404
    # The directory page and its download.
    page = client.get(reverse("registry:directory"), {"sector": "public"}).content.decode()
    assert "Region Örebro län" in page and "Egna föreningen" not in page and "Sektor: Offentlig sektor" in page
    download = client.get(reverse("registry:directory-export", args=["csv"]), {"no_orgnr": "on"})
    csv = b"".join(download.streaming_content).decode("utf-8-sig")
    header, *rows = [line for line in csv.splitlines() if line]
    assert "civsam_id" in header and "sektor" in header and len(rows) == 2


def test_exports_keep_the_import_layout_first():
    keys = [c.key for c in exports.DIRECTORY_COLUMNS]
    assert keys[: len(exports.ORGANISATION_COLUMNS)] == [c.key for c in exports.ORGANISATION_COLUMNS]
    assert {"civsam_id", "sektor", "land"} <= set(keys)


# Public bodies in the reference data ------------------------------------------------------------


def test_the_region_is_reference_data_and_a_reload_never_overwrites(reference_data, users):
    assert services.public_bodies_load_reference() == 14
    region = Organisation.objects.get(orgnr="2321000164")
    assert (region.name, region.sector, region.legal_form.code, region.municipality.code) == (
        "Region Örebro län",
        Sector.PUBLIC,
        "84",
        "1880",
    )
    services.organisation_update(
        actor=users["admin"], organisation=region, description="Vår egen text", website="https://example.se"
    )
    assert services.public_bodies_load_reference() == 0
    region.refresh_from_db()
    assert (region.description, region.website) == ("Vår egen text", "https://example.se")
    assert Organisation.objects.filter(orgnr="2321000164").count() == 1


def test_every_municipality_and_the_university_are_loaded_without_an_unchecked_orgnr(reference_data):
    services.public_bodies_load_reference()
    public = Organisation.objects.filter(sector=Sector.PUBLIC)
    municipalities = public.filter(legal_form__code="82")
    assert sorted(municipalities.values_list("municipality__code", flat=True)) == sorted(
        Municipality.objects.filter(county_code="18").values_list("code", flat=True)
    )
    assert municipalities.get(municipality__code="1881").name == "Kumla kommun"
    university = public.get(name="Örebro universitet")
    assert (university.legal_form.code, university.kind, university.orgnr) == ("81", Kind.SWEDISH, None)
    # Only numbers confirmed from a cited source are in the file, and each passes the Luhn check.
    numbered = [e for e in services.reference.public_bodies_reference() if e["orgnr"]]
    assert [e["orgnr"] for e in numbered] == ["2321000164"]
    assert all(complete(e["orgnr"][:9]) == e["orgnr"] for e in numbered)


def test_a_municipality_already_in_the_register_is_not_loaded_again(reference_data, make_org):
    own = make_org(
        name="Kumla kommun (egen post)", orgnr=complete("212000999"), legal_form=_form("82"), municipality="1881"
    )
    services.public_bodies_load_reference()
    assert list(Organisation.objects.filter(legal_form__code="82", municipality__code="1881")) == [own]
    assert services.public_bodies_load_reference() == 0


# Merging ------------------------------------------------------------------------------------------


@pytest.fixture
def group_and_association(make_org, users):
    group = make_org(name="Läxhjälpsgruppen", orgnr=None, kind=Kind.INFORMAL, legal_form=None)
    association = make_org(name="Läxhjälpen Örebro", orgnr=complete("802001234"))
    return group, association


def test_a_merge_moves_everything_and_keeps_the_history(group_and_association, users):
    from civsam.accounts.services import role_assign

    group, association = group_and_association
    services.organisation_update(actor=users["officer"], organisation=group, description="Läxhjälp på onsdagar")
    contact = services.contact_create(actor=users["officer"], organisation=group, name="Ali Berg", role="Samordnare")
    leader = _person("leader")
    role_assign(user=leader, role=Role.ORGANISATION_REP, organisation=group)
    asker = _person("asker")
    request = services.representation_request_create(actor=asker, organisation=group, mandate="board_member")
    identifier = group.civsam_id

    services.actor_merge(actor=users["officer"], source=group, target=association)

    assert not Organisation.objects.filter(pk=group.pk).exists()
    assert ContactPerson.objects.get(pk=contact.pk).organisation_id == association.pk
    assert RoleAssignment.objects.get(user=leader, role=Role.ORGANISATION_REP).organisation_id == association.pk
    assert RepresentationRequest.objects.get(pk=request.pk).organisation_id == association.pk
    assert permissions.can_change_organisation(User.objects.get(pk=leader.pk), association)
    history = list(selectors.organisation_history(association))
    notes = " ".join(entry.note for entry in history)
    assert f"({identifier}) är sammanslagen hit" in notes
    assert any(entry.changes.get("description") for entry in history), "the group's own history is kept"
    # The old identifier leads to the organisation it became.
    response = Client().get(f"/organisationer/{identifier}/")
    assert (response.status_code, response["Location"]) == (301, association.get_absolute_url())
    assert MergedActor.objects.get(identifier=identifier).into == association


def test_the_api_points_a_merged_away_actor_to_the_survivor(group_and_association, users, make_org):
    group, association = group_and_association
    identifier = group.civsam_id
    services.actor_merge(actor=users["officer"], source=group, target=association)
    client = Client()
    moved = client.get(f"/api/v1/organisations/{identifier.lower()}")
    assert moved.status_code == 308
    assert moved["Location"].endswith(f"/api/v1/organisations/{association.orgnr}")
    assert moved["Content-Type"] == "application/problem+json"
    assert f"{identifier} är sammanförd med Läxhjälpen Örebro" in moved.json()["detail"]
    followed = client.get(moved["Location"])
    assert followed.status_code == 200 and followed.json()["name"] == "Läxhjälpen Örebro"
    # A duplicate merged away by its orgnr leads to the one kept, with or without the hyphen.
    duplicate = make_org(name="Läxhjälpen i Örebro", orgnr=complete("802005678"))
    old_orgnr = duplicate.orgnr
    services.organisations_merge(actor=users["admin"], keep=association, remove=duplicate)
    for shown in (old_orgnr, f"{old_orgnr[:6]}-{old_orgnr[6:]}"):
        response = client.get(f"/api/v1/organisations/{shown}")
        assert response.status_code == 308, shown
        assert response["Location"].endswith(f"/api/v1/organisations/{association.orgnr}")
    # A survivor the caller may not see stays a plain 404.
    Organisation.objects.filter(pk=association.pk).update(is_public=False)
    assert client.get(f"/api/v1/organisations/{identifier}").status_code == 404
    assert client.get("/api/v1/organisations/CS-999999").status_code == 404


def test_a_merge_with_a_conflict_writes_nothing(group_and_association, users, monkeypatch):
    group, association = group_and_association
    contact = services.contact_create(actor=users["officer"], organisation=group, name="Ali Berg")
    audit_before = AuditEntry.objects.count()
    from civsam.registry.services import merging

    original = merging._move

    def move_then_fail(model, field, one_to_one, source, target):
        original(model, field, one_to_one, source, target)
        raise ValidationError("konflikt")

    monkeypatch.setattr(merging, "_move", move_then_fail)
    with pytest.raises(ValidationError):
        services.actor_merge(actor=users["officer"], source=group, target=association)
    assert Organisation.objects.filter(pk=group.pk).exists()
    assert ContactPerson.objects.get(pk=contact.pk).organisation_id == group.pk
    assert AuditEntry.objects.count() == audit_before
    assert not MergedActor.objects.exists()


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("admin", True), ("officer", True), ("officer_kumla", False), ("rep", False), ("plain", False)],
)
def test_who_may_merge(group_and_association, users, role, allowed):
    group, association = group_and_association
    assert permissions.can_merge_actor(users[role], group, association) is allowed
    client = Client()
    client.force_login(users[role])
    response = client.post(
        reverse("registry:organisation-merge", args=[group.key]), {"target": association.orgnr_display}
    )
    assert (response.status_code == 302) is allowed
    assert Organisation.objects.filter(pk=group.pk).exists() is not allowed


def test_only_an_actor_without_an_orgnr_merges_into_one_with(group_and_association, users, make_org):
    group, association = group_and_association
    other_group = make_org(name="Annan grupp", orgnr=None, kind=Kind.INFORMAL, legal_form=None)
    assert not permissions.can_merge_actor(users["admin"], association, group)
    assert not permissions.can_merge_actor(users["admin"], group, other_group)
    with pytest.raises(ValidationError):
        services.actor_merge(actor=None, source=association, target=group)
    with pytest.raises(PermissionDenied):
        services.actor_merge(actor=users["officer_kumla"], source=group, target=association)


# Registering a new organisation -------------------------------------------------------------------


def _register(actor, **fields):
    fields.setdefault("name", "Vivalla Schackklubb")
    fields.setdefault("kind", Kind.SWEDISH)
    fields.setdefault("orgnr", "802005-5550".replace("-", "")[:9])
    fields.setdefault("municipality", Municipality.objects.get(code="1880"))
    fields.setdefault("legal_form", _form("61"))
    fields.setdefault("mandate", "board_member")
    if fields["orgnr"] and len(fields["orgnr"]) == 9:
        fields["orgnr"] = complete(fields["orgnr"])
    return services.organisation_register(actor=actor, **fields)


ROLES = ("anonymous", "requester_pending", "requester_rejected", "other_person", "officer_A", "officer_other", "admin")


@pytest.fixture
def registered(users):
    pending_person, rejected_person = _person("newcomer"), _person("turned_down")
    pending = _register(pending_person)
    rejected = _register(rejected_person, name="Nya gruppen", kind=Kind.INFORMAL, orgnr=None, legal_form=None)
    services.representation_request_decide(
        actor=users["officer"], request=rejected, status=Status.REJECTED, reason="Ingen verksamhet i länet"
    )
    return {
        "pending": pending.organisation,
        "rejected": Organisation.objects.get(pk=rejected.organisation_id),
        "users": {
            "anonymous": None,
            "requester_pending": pending_person,
            "requester_rejected": rejected_person,
            "other_person": _person("someone"),
            "officer_A": users["officer"],
            "officer_other": users["officer_kumla"],
            "admin": users["admin"],
        },
        "request": pending,
    }


def test_a_registered_organisation_waits_hidden(registered):
    org = registered["pending"]
    assert (org.listing, org.is_public) == (Listing.PENDING, False)
    assert registered["rejected"].listing == Listing.REJECTED
    assert not Organisation.objects.filter(is_public=True, listing__in=[Listing.PENDING, Listing.REJECTED]).exists()
    assert Client().get(reverse("registry:directory")).content.decode().count("Vivalla Schackklubb") == 0
    assert Client().get(f"/api/v1/organisations/{org.orgnr}").status_code == 404
    created = AuditEntry.objects.get(object_id=str(org.pk), action=AuditEntry.Action.CREATE, object_repr=org.name)
    assert created.actor == registered["users"]["requester_pending"]


POLICY = """
action     anonymous requester_pending requester_rejected other_person officer_A officer_other admin
view           .             .                 .               .           Y          .          Y
change         .             .                 .               .           Y          .          Y
contacts       .             .                 .               .           Y          .          Y
decide         .             .                 .               .           Y          .          Y
"""


def _policy():
    lines = [line.split() for line in POLICY.strip().splitlines()]
    assert tuple(lines[0][1:]) == ROLES
    return [(row[0], role, cell == "Y") for row in lines[1:] for role, cell in zip(lines[0][1:], row[1:], strict=True)]


@pytest.mark.parametrize(("action", "role", "allowed"), _policy())
def test_a_pending_or_rejected_requester_can_do_nothing_for_it(registered, action, role, allowed):
    user = registered["users"][role]
    user = None if user is None else User.objects.get(pk=user.pk)
    for org in (registered["pending"], registered["rejected"]):
        check = {
            "view": permissions.can_view_organisation,
            "change": permissions.can_change_organisation,
            "contacts": permissions.can_view_contacts,
        }.get(action)
        if check is not None:
            assert check(user, org) is allowed, (action, role, org.listing)
    if action == "decide":
        assert permissions.can_decide_representation_request(user, registered["request"]) is allowed
    if action == "change" and user is not None:
        client = Client()
        client.force_login(user)
        status = client.get(reverse("registry:organisation-edit", args=[registered["pending"].key])).status_code
        assert (status == 200) is allowed


def test_approval_lists_it_and_gives_the_role(registered, users):
    request = registered["request"]
    services.representation_request_decide(actor=users["officer"], request=request, status=Status.APPROVED)
    org = Organisation.objects.get(pk=request.organisation_id)
    assert (org.listing, org.is_public) == (Listing.LISTED, True)
    requester = User.objects.get(pk=registered["users"]["requester_pending"].pk)
    assert permissions.can_change_organisation(requester, org)
    assert "Vivalla Schackklubb" in Client().get(reverse("registry:directory")).content.decode()


def test_a_number_in_the_register_leads_to_claiming(registered, users):
    with pytest.raises(services.AlreadyListed) as caught:
        _register(_person("late"), orgnr=users["own_org"].orgnr, name="Egna")
    assert caught.value.organisation == users["own_org"]
    with pytest.raises(ValidationError) as pending:
        _register(_person("second"), orgnr=registered["pending"].orgnr)
    assert "väntar på beslut" in str(pending.value)
    # Through the page: the claim form of the organisation, and nothing new.
    client = Client()
    client.force_login(_person("browser"))
    count = Organisation.objects.count()
    response = client.post(
        reverse("registry:organisation-register"),
        {
            "kind": "swedish",
            "orgnr": users["own_org"].orgnr_display,
            "name": "Egna",
            "legal_form": _form("61").pk,
            "municipality": users["own_org"].municipality_id,
            "mandate": "board_member",
        },
    )
    assert response["Location"] == reverse("registry:representation-request-create", args=[users["own_org"].orgnr])
    assert Organisation.objects.count() == count


def test_a_rejected_registration_can_be_made_again(registered, users):
    rejected = registered["rejected"]
    number = complete("802007777")
    first = _register(_person("first"), orgnr=number)
    services.representation_request_decide(actor=users["admin"], request=first, status=Status.REJECTED, reason="Fel")
    again = _register(_person("again"), orgnr=number, name="Vivalla Schack, nytt försök")
    assert again.organisation_id == first.organisation_id
    org = Organisation.objects.get(pk=again.organisation_id)
    assert (org.listing, org.name, org.is_public) == (Listing.PENDING, "Vivalla Schack, nytt försök", False)
    assert rejected.listing == Listing.REJECTED


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"orgnr": "802000-0001"}, "orgnr", "fel kontrollsiffra"),
        ({"orgnr": "19800101-1234"}, "orgnr", "tolv siffror"),
        ({"orgnr": ""}, "orgnr", "Fyll i organisationsnumret"),
        ({"kind": "foreign", "orgnr": "", "country": ""}, "country", "Välj det land"),
        ({"legal_form": ""}, "legal_form", "Välj juridisk form"),
    ],
)
def test_the_register_page_explains_bad_input_in_swedish(users, data, field, message):
    client = Client()
    client.force_login(_person("typo"))
    count = Organisation.objects.count()
    base = {
        "kind": "swedish",
        "orgnr": "",
        "name": "Nya föreningen",
        "legal_form": _form("61").pk,
        "municipality": Municipality.objects.get(code="1881").pk,
        "mandate": "signatory",
    }
    response = client.post(reverse("registry:organisation-register"), {**base, **data})
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors.get(field, []))
    assert Organisation.objects.count() == count


def test_the_register_page_for_a_foreign_organisation(users):
    client = Client()
    person = _person("nordic")
    client.force_login(person)
    assert client.get(reverse("registry:organisation-register")).status_code == 200
    assert Client().get(reverse("registry:organisation-register")).status_code == 302  # log in first
    response = client.post(
        reverse("registry:organisation-register"),
        {
            "kind": "foreign",
            "name": "Norsk Folkehjelp Østlandet",
            "municipality": Municipality.objects.get(code="1883").pk,
            "country": "NO",
            "foreign_registration_number": "952 330 071",
            "mandate": "employee",
            "message": "Vi samarbetar med föreningar i Karlskoga.",
        },
    )
    assert response.status_code == 302
    request = RepresentationRequest.objects.get(user=person)
    org = request.organisation
    assert (org.kind, org.country, org.orgnr, org.listing) == (Kind.FOREIGN, "NO", None, Listing.PENDING)
    assert response["Location"] == request.get_absolute_url()
    # The officer of Karlskoga decides; the one of Örebro does not see it.
    assert selectors.representation_requests_waiting(users["admin"]).filter(pk=request.pk).exists()
    assert not selectors.representation_requests_waiting(users["officer"]).filter(pk=request.pk).exists()


def test_the_social_enterprise_help_text_gives_the_plans_definition():
    from civsam.registry.forms import OrganisationForm

    help_text = str(OrganisationForm.base_fields["social_enterprise"].help_text)
    parts = ("affärsverksamhet", "samhälleliga mål", "följer upp", "återinvesterar", "aktiebolag", "enskild firma")
    for part in parts:
        assert part in help_text


def test_every_legal_form_names_its_source_and_a_known_sector(reference_data):
    forms = {form.code: form for form in LegalForm.objects.all()}
    assert {"10", "31", "49", "81", "82", "83", "84", "87", "89", "96", "IG"} <= set(forms)
    for form in forms.values():
        assert form.source, form.code
        assert form.default_sector in Sector.values, form.code
    assert forms["82"].source.startswith("SCB") and forms["IG"].source.startswith("Civsam")
