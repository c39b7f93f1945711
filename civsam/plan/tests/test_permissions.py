"""The follow-up's access policy as one table: role × action, each cell checked three ways —
the permission function, the service with the user as actor, and the page through the test client.

The initiative is led by organisation A ("Egna föreningen", Örebro); the representative represents
A, officer_A works for Örebro and officer_other for Kumla.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from civsam.core.models import Municipality
from civsam.plan import permissions, services
from civsam.plan.models import (
    FollowUpReport,
    Indicator,
    IndicatorValue,
    Initiative,
    InitiativeStatus,
    PriorityArea,
)

ROLES = ("anonymous", "plain", "reviewer", "rep_A", "officer_A", "officer_other", "admin")

POLICY = """
action                  anonymous plain reviewer rep_A officer_A officer_other admin
view_followup               Y       Y      Y       Y       Y           Y         Y
view_initiative             Y       Y      Y       Y       Y           Y         Y
create_for_org_A            .       .      .       Y       Y           .         Y
create_for_orebro           .       .      .       .       Y           .         Y
create_for_other_actor      .       .      .       .       .           .         Y
edit_initiative             .       .      .       Y       Y           .         Y
verify_initiative           .       .      .       .       .           .         Y
import_initiatives          .       .      .       .       .           .         Y
enter_indicator_value       .       .      .       .       .           .         Y
write_report                .       .      .       .       .           .         Y
view_draft_report           .       .      .       .       .           .         Y
"""


def _parse(text):
    lines = [line.split() for line in text.strip().splitlines()]
    assert tuple(lines[0][1:]) == ROLES
    return {(row[0], role): cell == "Y" for row in lines[1:] for role, cell in zip(ROLES, row[1:], strict=True)}


EXPECTED = _parse(POLICY)
ACTIONS = tuple(dict.fromkeys(a for a, _ in EXPECTED))


@dataclass
class World:
    initiative_pk: int
    indicator_pk: int
    org_pk: int
    users: dict

    @property
    def initiative(self):
        return Initiative.objects.select_related("lead_organisation", "lead_municipality").get(pk=self.initiative_pk)

    @property
    def indicator(self):
        return Indicator.objects.get(pk=self.indicator_pk)

    def user(self, role):
        return self.users[role] or AnonymousUser()


@pytest.fixture
def world(users, make_initiative, plan):
    initiative = make_initiative(lead_organisation=users["own_org"], lead_name="", progress=10)
    indicator = services.indicator_create(actor=None, plan=plan, code="test-ind", name_sv="Testindikator", unit="antal")
    FollowUpReport.objects.create(plan=plan, year=2024)
    roles = {
        "anonymous": None,
        "plain": users["plain"],
        "reviewer": users["reviewer"],
        "rep_A": users["rep"],
        "officer_A": users["officer"],
        "officer_other": users["officer_kumla"],
        "admin": users["admin"],
    }
    return World(initiative.pk, indicator.pk, users["own_org"].pk, roles)


def _area():
    return PriorityArea.objects.get(focus_area__plan__slug="2022-2025", focus_area__number=1, number=1)


def _create_kwargs(lead: str, world: World) -> dict:
    kwargs = {
        "title": f"Ny insats ({lead})",
        "start_date": datetime.date(2024, 1, 1),
        "status": InitiativeStatus.objects.get(code="planned"),
        "priority_areas": [_area()],
    }
    if lead == "org":
        kwargs["lead_organisation"] = world.initiative.lead_organisation
    elif lead == "orebro":
        kwargs["lead_municipality"] = Municipality.objects.get(code="1880")
    else:
        kwargs["lead_name"] = "Örebro universitet"
    return kwargs


def _create_post(lead: str):
    def request(client: Client, world: World):
        kwargs = _create_kwargs(lead, world)
        data = {
            "title": kwargs["title"],
            "start_date": "2024-01-01",
            "status": kwargs["status"].pk,
            "priority_areas": [_area().pk],
            "weight": "1",
            "lead_organisation": kwargs["lead_organisation"].pk if "lead_organisation" in kwargs else "",
            "lead_municipality": kwargs["lead_municipality"].pk if "lead_municipality" in kwargs else "",
            "lead_name": kwargs.get("lead_name", ""),
        }
        for prefix in ("milestones", "funding", "outputs", "links"):
            data[f"{prefix}-TOTAL_FORMS"] = "0"
            data[f"{prefix}-INITIAL_FORMS"] = "0"
        return client.post(reverse("plan:initiative-create"), data)

    return request


def _created(lead):
    return lambda response, world: Initiative.objects.filter(title=f"Ny insats ({lead})").exists()


def _ok(response, world):
    return response.status_code == 200


def _value_post(client, world):
    return client.post(
        reverse("plan:indicator-detail", args=["test-ind"]),
        {"form": "value", "value-year": "2024", "value-value": "12", "value-source": "Test"},
    )


def _edit_post(client, world):
    from civsam.plan.forms import InitiativeForm

    data = {k: v for k, v in InitiativeForm.initial_for(world.initiative).items() if v is not None}
    data.update(
        {
            "title": "Ändrad titel",
            "start_date": "2023-01-01",
            "priority_areas": [a.pk for a in data["priority_areas"]],
            "partner_organisations": [],
            "principles": [],
            "roles": [],
            "municipalities": [],
        }
    )
    for prefix in ("milestones", "funding", "outputs", "links"):
        data[f"{prefix}-TOTAL_FORMS"] = "0"
        data[f"{prefix}-INITIAL_FORMS"] = "0"
    return client.post(reverse("plan:initiative-edit", args=[world.initiative_pk]), data)


def _import_post(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = (
        "ref,title,status,start_date,priority_areas,lead_name\n"
        "imp-1,Importerad,planned,2024-01-01,2022-2025:1.1,Regionen\n"
    )
    upload = SimpleUploadedFile("insatser.csv", content.encode(), content_type="text/csv")
    return client.post(reverse("plan:import", args=["insatser"]), {"file": upload})


ACTION_SPECS = {
    "view_followup": (
        lambda u, w: True,
        None,
        lambda c, w: c.get(reverse("plan:followup", args=["2022-2025"])),
        _ok,
    ),
    "view_initiative": (
        lambda u, w: True,
        None,
        lambda c, w: c.get(reverse("plan:initiative-detail", args=[w.initiative_pk])),
        _ok,
    ),
    "create_for_org_A": (
        lambda u, w: permissions.can_create_initiative(u, lead_organisation=w.initiative.lead_organisation),
        lambda u, w: services.initiative_create(actor=u, **_create_kwargs("org", w)),
        _create_post("org"),
        _created("org"),
    ),
    "create_for_orebro": (
        lambda u, w: permissions.can_create_initiative(u, lead_municipality=Municipality.objects.get(code="1880")),
        lambda u, w: services.initiative_create(actor=u, **_create_kwargs("orebro", w)),
        _create_post("orebro"),
        _created("orebro"),
    ),
    "create_for_other_actor": (
        lambda u, w: permissions.can_create_initiative(u) and permissions.can_import_initiatives(u),
        lambda u, w: services.initiative_create(actor=u, **_create_kwargs("other", w)),
        _create_post("other"),
        _created("other"),
    ),
    "edit_initiative": (
        lambda u, w: permissions.can_change_initiative(u, w.initiative),
        lambda u, w: services.initiative_update(actor=u, initiative=w.initiative, progress=77),
        _edit_post,
        lambda r, w: w.initiative.title == "Ändrad titel",
    ),
    "verify_initiative": (
        lambda u, w: permissions.can_verify_initiative(u, w.initiative),
        lambda u, w: services.initiative_verify(actor=u, initiative=w.initiative),
        lambda c, w: c.post(reverse("plan:initiative-verify", args=[w.initiative_pk]), {"verified": "1"}),
        lambda r, w: w.initiative.is_verified,
    ),
    "import_initiatives": (
        lambda u, w: permissions.can_import_initiatives(u),
        lambda u, w: __import__("civsam.plan.imports", fromlist=["x"]).initiatives_import(
            actor=u, file_name="a.csv", data=b"ref,title,status,start_date,priority_areas\n"
        ),
        _import_post,
        lambda r, w: Initiative.objects.filter(ref="imp-1").exists(),
    ),
    "enter_indicator_value": (
        lambda u, w: permissions.can_manage_indicators(u, w.indicator),
        lambda u, w: services.indicator_value_set(actor=u, indicator=w.indicator, year=2023, value=Decimal(5)),
        _value_post,
        lambda r, w: IndicatorValue.objects.filter(indicator_id=w.indicator_pk, year=2024).exists(),
    ),
    "write_report": (
        lambda u, w: permissions.can_edit_report(u),
        lambda u, w: services.report_text_save(actor=u, report=FollowUpReport.objects.get(), body_sv="Text"),
        lambda c, w: c.post(reverse("plan:report-edit", args=["2022-2025", 2024]), {"body_sv": "Vår text"}),
        lambda r, w: FollowUpReport.objects.get().texts.filter(body_sv="Vår text").exists(),
    ),
    "view_draft_report": (
        lambda u, w: permissions.can_view_report(u, FollowUpReport.objects.get()),
        lambda u, w: None if permissions.reports_visible_to(u).exists() else (_ for _ in ()).throw(PermissionDenied()),
        lambda c, w: c.get(reverse("plan:report-detail", args=["2022-2025", 2024])),
        _ok,
    ),
}


def test_every_action_has_a_spec():
    assert set(ACTIONS) == set(ACTION_SPECS)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ACTIONS)
def test_permission_function(world, action, role):
    permission, *_ = ACTION_SPECS[action]
    assert permission(world.user(role), world) is EXPECTED[(action, role)]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", [a for a in ACTIONS if ACTION_SPECS[a][1] is not None])
def test_service(world, action, role):
    _, service, *_ = ACTION_SPECS[action]
    user = world.user(role)
    if EXPECTED[(action, role)]:
        service(user, world)
    else:
        with pytest.raises(PermissionDenied):
            service(user, world)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ACTIONS)
def test_page(world, action, role):
    _, _, request, done = ACTION_SPECS[action]
    client = Client()
    if world.users[role] is not None:
        client.force_login(world.users[role])
    response = request(client, world)
    allowed = EXPECTED[(action, role)]
    assert done(response, world) is allowed, (
        response.status_code,
        getattr(response, "context", None) and response.context.get("form") and response.context["form"].errors,
    )
    if not allowed and role == "anonymous" and response.status_code not in (403, 404):
        # Login-only pages send the visitor to the login page; posts to public pages are refused.
        assert response.status_code == 302 and "/konto/logga-in/" in response["Location"]
    elif not allowed and action.startswith("create") and permissions.can_create_initiative(world.user(role)):
        # The create page is open to them, but its lists offer no such lead: the form refuses it.
        assert response.status_code == 200 and response.context["form"].errors
    elif not allowed:
        assert response.status_code in (403, 404)
