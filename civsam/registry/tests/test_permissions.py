"""The register's access policy as one table: role × action, each cell checked three ways.

1. the permission function in civsam/registry/permissions.py,
2. the service (or, for plain reads, the selector) with the user as actor: success or PermissionDenied,
3. the page, through the Django test client: success, 403, or a redirect to the login page.

Organisation A ("Egna föreningen") is in Örebro (1880); the representative represents it, the officer
works for Örebro and the other officer for Kumla (1881).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.test import Client
from django.urls import reverse

from civsam.core.models import AuditEntry, LegalForm, Municipality
from civsam.registry import orgnr as orgnr_mod
from civsam.registry import permissions, selectors, services
from civsam.registry.imports.services import organisations_import
from civsam.registry.models import ContactPerson, DuplicateCandidate, Organisation

from .support import is_login_redirect, organisation_form_data

ROLES = ("anonymous", "plain", "reviewer", "rep_A", "officer_A", "officer_other", "admin")

# Y = allowed, . = refused. "view hidden" is organisation A with is_public off.
POLICY = """
action              anonymous plain reviewer rep_A officer_A officer_other admin
view_public_org         Y       Y      Y       Y       Y           Y         Y
view_hidden_org         .       .      .       Y       Y           .         Y
create_in_orebro        .       .      .       .       Y           .         Y
create_in_kumla         .       .      .       .       .           Y         Y
edit_org                .       .      .       Y       Y           .         Y
edit_flags              .       .      .       .       Y           .         Y
delete_org              .       .      .       .       .           .         Y
view_contacts           .       .      .       Y       Y           .         Y
add_contact             .       .      .       Y       Y           .         Y
delete_contact          .       .      .       Y       Y           .         Y
view_history            .       .      .       Y       Y           .         Y
import                  .       .      .       .       Y           Y         Y
open_duplicates         .       .      .       .       Y           Y         Y
resolve_duplicate       .       .      .       .       Y           .         Y
compare_duplicate       .       .      .       .       Y           .         Y
merge_duplicate         .       .      .       .       Y           .         Y
"""


def _parse_policy(text: str) -> dict[tuple[str, str], bool]:
    lines = [line.split() for line in text.strip().splitlines()]
    header, rows = lines[0][1:], lines[1:]
    assert tuple(header) == ROLES
    policy = {}
    for action, *cells in rows:
        assert len(cells) == len(ROLES), action
        for role, cell in zip(ROLES, cells, strict=True):
            assert cell in ("Y", "."), (action, role, cell)
            policy[(action, role)] = cell == "Y"
    return policy


EXPECTED = _parse_policy(POLICY)
ACTIONS = tuple(dict.fromkeys(action for action, _ in EXPECTED))


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class World:
    """Everything an action needs, looked up afresh from the database each time."""

    org_pk: int
    contact_pk: int
    candidate_pk: int
    new_orgnr: str
    users: dict = field(default_factory=dict)

    @property
    def org(self) -> Organisation:
        return Organisation.objects.get(pk=self.org_pk)

    @property
    def contact(self) -> ContactPerson:
        return ContactPerson.objects.select_related("organisation").get(pk=self.contact_pk)

    @property
    def candidate(self) -> DuplicateCandidate:
        return DuplicateCandidate.objects.select_related("first", "second").get(pk=self.candidate_pk)

    @staticmethod
    def municipality(code: str) -> Municipality:
        return Municipality.objects.get(code=code)

    def user(self, role: str):
        return self.users[role] or AnonymousUser()


@pytest.fixture
def world(users, make_org) -> World:
    org = users["own_org"]
    contact = services.contact_create(actor=None, organisation=org, name="Kim Kontakt", email="kim@example.se")
    twin = make_org(name="Egna föreningen i Örebro", municipality="1880")
    low, high = sorted((org.pk, twin.pk))
    candidate, _ = DuplicateCandidate.objects.get_or_create(first_id=low, second_id=high, defaults={"similarity": 0.9})
    roles = {
        "anonymous": None,
        "plain": users["plain"],
        "reviewer": users["reviewer"],
        "rep_A": users["rep"],
        "officer_A": users["officer"],
        "officer_other": users["officer_kumla"],
        "admin": users["admin"],
    }
    return World(org.pk, contact.pk, candidate.pk, orgnr_mod.complete("802099999"), roles)


@dataclass(frozen=True)
class Action:
    """How to try one action: the permission check, the service call, and the request.

    `done` tells whether the action took effect, for the HTTP check. `form_level` marks actions whose
    page is open to the user but whose form offers no way to do this (a municipality not in the
    list, flags not in the form): there a refusal is the form not doing it, not a 403.
    """

    permission: Callable[[object, World], bool]
    service: Callable[[object, World], object] | None
    request: Callable[[Client, World], object]
    done: Callable[[object, World], bool]
    prepare: Callable[[World], None] = lambda world: None
    form_level: bool = False


def _hide(world: World) -> None:
    services.organisation_update(actor=None, organisation=world.org, is_public=False)


def _visible_or_deny(user, world: World) -> None:
    if selectors.organisation_detail(user=user, orgnr_value=world.org.orgnr) is None:
        raise PermissionDenied


def _create(code: str):
    def service(user, world: World):
        return services.organisation_create(
            actor=user,
            name="Nya föreningen",
            orgnr=world.new_orgnr,
            legal_form=LegalForm.objects.get(code="61"),
            municipality=world.municipality(code),
        )

    def request(client: Client, world: World):
        data = {
            "name": "Nya föreningen",
            "orgnr": world.new_orgnr,
            "legal_form": LegalForm.objects.get(code="61").pk,
            "municipality": world.municipality(code).pk,
            "is_public": "on",
        }
        return client.post(reverse("registry:organisation-create"), data)

    return service, request


def _created(response, world: World) -> bool:
    return Organisation.objects.filter(orgnr=world.new_orgnr).exists()


def _get(name: str, *, org: bool = True):
    def request(client: Client, world: World):
        return client.get(reverse(name, args=[world.org.orgnr]) if org else reverse(name))

    return request


def _ok(response, world: World) -> bool:
    return response.status_code == 200


_create_orebro = _create("1880")
_create_kumla = _create("1881")

ACTION_SPECS: dict[str, Action] = {
    "view_public_org": Action(
        permission=lambda user, w: permissions.can_view_organisation(user, w.org),
        service=_visible_or_deny,
        request=_get("registry:organisation-detail"),
        done=_ok,
    ),
    "view_hidden_org": Action(
        permission=lambda user, w: permissions.can_view_organisation(user, w.org),
        service=_visible_or_deny,
        request=_get("registry:organisation-detail"),
        done=_ok,
        prepare=_hide,
    ),
    "create_in_orebro": Action(
        permission=lambda user, w: permissions.can_create_organisation(user, w.municipality("1880")),
        service=_create_orebro[0],
        request=_create_orebro[1],
        done=_created,
        form_level=True,
    ),
    "create_in_kumla": Action(
        permission=lambda user, w: permissions.can_create_organisation(user, w.municipality("1881")),
        service=_create_kumla[0],
        request=_create_kumla[1],
        done=_created,
        form_level=True,
    ),
    "edit_org": Action(
        permission=lambda user, w: permissions.can_change_organisation(user, w.org),
        service=lambda user, w: services.organisation_update(actor=user, organisation=w.org, description="Ny text."),
        request=lambda client, w: client.post(
            reverse("registry:organisation-edit", args=[w.org.orgnr]),
            organisation_form_data(w.org, description="Ny text."),
        ),
        done=lambda response, w: w.org.description == "Ny text.",
    ),
    "edit_flags": Action(
        permission=lambda user, w: permissions.can_change_organisation_flags(user, w.org),
        service=lambda user, w: services.organisation_update(
            actor=user, organisation=w.org, social_enterprise=True, social_enterprise_source="Kommunens granskning"
        ),
        request=lambda client, w: client.post(
            reverse("registry:organisation-edit", args=[w.org.orgnr]),
            organisation_form_data(w.org, social_enterprise=True, social_enterprise_source="Kommunens granskning"),
        ),
        done=lambda response, w: w.org.social_enterprise,
        form_level=True,
    ),
    "delete_org": Action(
        permission=lambda user, w: permissions.can_delete_organisation(user, w.org),
        service=lambda user, w: services.organisation_delete(actor=user, organisation=w.org),
        request=lambda client, w: client.post(reverse("registry:organisation-delete", args=[w.org.orgnr])),
        done=lambda response, w: not Organisation.objects.filter(pk=w.org_pk).exists(),
    ),
    "view_contacts": Action(
        permission=lambda user, w: permissions.can_view_contacts(user, w.org),
        service=lambda user, w: services.contacts_read(actor=user, organisation=w.org),
        request=_get("registry:organisation-contacts"),
        done=lambda response, w: response.status_code == 200 and "Kim Kontakt" in response.content.decode(),
    ),
    "add_contact": Action(
        permission=lambda user, w: permissions.can_change_organisation(user, w.org),
        service=lambda user, w: services.contact_create(actor=user, organisation=w.org, name="Ny Person"),
        request=lambda client, w: client.post(
            reverse("registry:contact-add", args=[w.org.orgnr]), {"name": "Ny Person", "role": "Kassör"}
        ),
        done=lambda response, w: ContactPerson.objects.filter(name="Ny Person").exists(),
    ),
    "delete_contact": Action(
        permission=lambda user, w: permissions.can_change_contact(user, w.contact),
        service=lambda user, w: services.contact_delete(actor=user, contact=w.contact),
        request=lambda client, w: client.post(reverse("registry:contact-delete", args=[w.org.orgnr, w.contact_pk])),
        done=lambda response, w: not ContactPerson.objects.filter(pk=w.contact_pk).exists(),
    ),
    "view_history": Action(
        permission=lambda user, w: permissions.can_view_organisation_history(user, w.org),
        service=None,  # no service: history_for() is a plain selector; the page checks the permission
        request=_get("registry:organisation-history"),
        done=_ok,
    ),
    "import": Action(
        permission=lambda user, w: permissions.can_import_organisations(user),
        service=lambda user, w: organisations_import(actor=user, file_name="tom.csv", data=b"", apply=False),
        request=_get("registry:import", org=False),
        done=_ok,
    ),
    "open_duplicates": Action(
        permission=lambda user, w: permissions.can_review_duplicates(user),
        service=None,  # a list: duplicates_visible_to() is checked in test_visible_to_agrees_with_can
        request=_get("registry:duplicates", org=False),
        done=_ok,
    ),
    "resolve_duplicate": Action(
        permission=lambda user, w: permissions.can_resolve_duplicate(user, w.candidate),
        service=lambda user, w: services.duplicate_resolve(actor=user, candidate=w.candidate, status="distinct"),
        request=lambda client, w: client.post(
            reverse("registry:duplicate-resolve", args=[w.candidate_pk]), {"status": "distinct"}
        ),
        done=lambda response, w: w.candidate.status == DuplicateCandidate.Status.DISTINCT,
    ),
    "compare_duplicate": Action(
        permission=lambda user, w: permissions.can_resolve_duplicate(user, w.candidate),
        service=None,  # a page over the pair; the merge below is the write
        request=lambda client, w: client.get(reverse("registry:duplicate-compare", args=[w.candidate_pk])),
        done=_ok,
    ),
    "merge_duplicate": Action(
        permission=lambda user, w: permissions.can_merge_organisations(user, w.candidate.first, w.candidate.second),
        service=lambda user, w: services.organisations_merge(
            actor=user, keep=w.candidate.first, remove=w.candidate.second
        ),
        request=lambda client, w: client.post(
            reverse("registry:duplicate-merge", args=[w.candidate_pk]), {"keep": "first"}
        ),
        done=lambda response, w: not DuplicateCandidate.objects.filter(pk=w.candidate_pk).exists(),
    ),
}


def test_every_action_in_the_table_has_a_spec():
    assert set(ACTIONS) == set(ACTION_SPECS)


def _service_outcome(spec: Action, user, world: World) -> str:
    """Run the service and roll it back, so that the HTTP check starts from the same state."""
    with transaction.atomic():
        try:
            spec.service(user, world)
        except PermissionDenied:
            outcome = "denied"
        else:
            outcome = "allowed"
        transaction.set_rollback(True)
    return outcome


def _http_outcome(spec: Action, role: str, world: World) -> str:
    client = Client()
    if world.users[role] is not None:
        client.force_login(world.users[role])
    response = spec.request(client, world)
    if is_login_redirect(response):
        return "login"
    if response.status_code in (200, 302) and spec.done(response, world):
        return "allowed"
    if response.status_code == 403:
        return "denied"
    if spec.form_level and response.status_code in (200, 302):
        return "denied"
    return f"unexpected status {response.status_code}"


@pytest.mark.parametrize(("action", "role"), list(EXPECTED))
def test_policy_matrix(world, action, role):
    spec = ACTION_SPECS[action]
    spec.prepare(world)
    user = world.user(role)
    allowed = EXPECTED[(action, role)]

    expected = {"permission": allowed}
    actual = {"permission": spec.permission(user, world)}
    if spec.service is not None:
        expected["service"] = "allowed" if allowed else "denied"
        actual["service"] = _service_outcome(spec, user, world)
    # Anonymous visitors are sent to the login page rather than refused.
    expected["http"] = "allowed" if allowed else ("login" if role == "anonymous" else "denied")
    actual["http"] = _http_outcome(spec, role, world)
    assert actual == expected


# The *_visible_to querysets must agree with the can_* functions, object by object. ---------------


@pytest.mark.parametrize("role", ROLES)
def test_visible_to_agrees_with_can(world, make_org, role):
    hidden_orebro = make_org(name="Dolda föreningen", municipality="1880", is_public=False)
    hidden_kumla = make_org(name="Hemliga klubben", municipality="1881", is_public=False)
    services.contact_create(actor=None, organisation=hidden_kumla, name="Hanna Hemlig")
    kumla_twin = make_org(name="Hemliga klubben Kumla", municipality="1881")
    low, high = sorted((hidden_kumla.pk, kumla_twin.pk))
    DuplicateCandidate.objects.get_or_create(first_id=low, second_id=high, defaults={"similarity": 0.8})
    user = world.user(role)

    visible = set(permissions.organisations_visible_to(user).values_list("pk", flat=True))
    assert visible == {o.pk for o in Organisation.objects.all() if permissions.can_view_organisation(user, o)}
    assert {hidden_orebro.pk, hidden_kumla.pk} & visible == {
        o.pk for o in (hidden_orebro, hidden_kumla) if permissions.can_view_organisation(user, o)
    }

    actable = set(permissions.organisations_actable_by(user).values_list("pk", flat=True))
    assert actable == {o.pk for o in Organisation.objects.all() if permissions.can_change_organisation(user, o)}
    assert actable == {o.pk for o in Organisation.objects.all() if permissions.can_view_contacts(user, o)}

    pairs = set(permissions.duplicates_visible_to(user).values_list("pk", flat=True))
    assert pairs == {
        c.pk
        for c in DuplicateCandidate.objects.select_related("first", "second")
        if permissions.can_resolve_duplicate(user, c)
    }


def test_duplicates_page_lists_only_pairs_the_officer_may_decide(world, client):
    client.force_login(world.users["officer_other"])
    response = client.get(reverse("registry:duplicates"))
    assert response.status_code == 200
    assert "Egna föreningen" not in response.content.decode()
    client.force_login(world.users["officer_A"])
    response = client.get(reverse("registry:duplicates"))
    assert "Egna föreningen i Örebro" in response.content.decode()


def test_representative_edits_own_organisation_only(users, make_org, client):
    """A representative of two organisations may edit both, and no third one in the same municipality."""
    from civsam.accounts.models import Role
    from civsam.accounts.services import role_assign

    rep = users["rep"]
    second = make_org(name="Andra egna klubben", municipality="1883")
    role_assign(user=rep, role=Role.ORGANISATION_REP, organisation=second)
    neighbour = make_org(name="Grannföreningen", municipality="1880")
    rep = type(rep).objects.get(pk=rep.pk)  # the role scope is cached per user object
    client.force_login(rep)

    for organisation, allowed in ((users["own_org"], True), (second, True), (neighbour, False)):
        assert permissions.can_change_organisation(rep, organisation) is allowed
        response = client.post(
            reverse("registry:organisation-edit", args=[organisation.orgnr]),
            organisation_form_data(organisation, description="Ändrad av företrädaren."),
        )
        organisation.refresh_from_db()
        assert (response.status_code, organisation.description == "Ändrad av företrädaren.") == (
            (302, True) if allowed else (403, False)
        )
    # Moving the organisation to another municipality is not the representative's to do.
    with pytest.raises(PermissionDenied):
        services.organisation_update(actor=rep, organisation=second, municipality=Municipality.objects.get(code="1880"))


def test_representative_may_resave_flags_unchanged_but_not_change_them(users):
    """The service refuses a changed flag; passing the stored value back is not a change."""
    org = users["own_org"]
    services.organisation_update(actor=users["admin"], organisation=org, work_integrating=True)
    rep = users["rep"]
    services.organisation_update(actor=rep, organisation=org, work_integrating=True, name="Egna föreningen (ny)")
    org.refresh_from_db()
    assert (org.name, org.work_integrating) == ("Egna föreningen (ny)", True)
    for flag, value in (
        ("work_integrating", False),
        ("ideburen_registered", True),
        ("ideburen_source", "Eget påstående"),
    ):
        with pytest.raises(PermissionDenied, match="Du får inte ändra"):
            services.organisation_update(actor=rep, organisation=org, **{flag: value})
    org.refresh_from_db()
    assert (org.work_integrating, org.ideburen_registered, org.ideburen_source) == (True, False, "")
    assert not AuditEntry.objects.filter(actor=rep, changes__has_key="ideburen_registered").exists()


def test_representative_form_has_no_flag_fields(users, client):
    client.force_login(users["rep"])
    html = client.get(reverse("registry:organisation-edit", args=[users["own_org"].orgnr])).content.decode()
    assert 'name="description"' in html
    for flag in ("social_enterprise", "work_integrating", "ideburen_registered"):
        assert f'name="{flag}"' not in html
    client.force_login(users["officer"])
    html = client.get(reverse("registry:organisation-edit", args=[users["own_org"].orgnr])).content.decode()
    assert 'name="social_enterprise"' in html


# Where an organisation may be put: the form's choices, a move, an import ------------------------

MUNICIPALITIES_FOR = {  # role -> the home municipalities offered for a new organisation; None: all
    "anonymous": set(),
    "plain": set(),
    "reviewer": set(),
    "rep_A": set(),
    "officer_A": {"1880"},
    "officer_other": {"1881"},
    "admin": None,
}


@pytest.mark.parametrize("role", ROLES)
def test_municipalities_offered_moved_to_and_imported_into(world, role):
    user = world.user(role)
    every = set(Municipality.objects.values_list("code", flat=True))
    expected = MUNICIPALITIES_FOR[role]
    offered = set(permissions.organisation_municipalities_for(user).values_list("code", flat=True))
    assert offered == (every if expected is None else expected)
    # Editing, the organisation's own municipality (Örebro) is offered too: a representative keeps it.
    editing = set(permissions.organisation_municipalities_for(user, world.org).values_list("code", flat=True))
    assert editing == offered | {"1880"}
    for code in ("1880", "1881"):
        moved = permissions.can_move_organisation(user, world.org, world.municipality(code))
        assert moved is (code == "1880" or code in offered), code
    imported = permissions.import_municipality_ids(user)
    if expected is None:
        assert imported is None
    else:
        assert set(Municipality.objects.filter(pk__in=imported).values_list("code", flat=True)) == expected
