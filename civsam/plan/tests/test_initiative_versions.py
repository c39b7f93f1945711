"""Optimistic concurrency outside the API: the update service compares the version the caller read
under the row lock, and the edit form carries the version it was loaded with, so that a change
someone saved meanwhile is never silently overwritten (docs/adr/0048-*)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from civsam.core.models import AuditEntry
from civsam.core.selectors import history_for
from civsam.plan import permissions, selectors, services
from civsam.plan.forms import InitiativeForm
from civsam.plan.models import Initiative, InitiativeStatus
from civsam.registry.services import organisation_update


@pytest.fixture
def own(make_initiative, users):
    """An initiative led by the representative's organisation (in Örebro)."""
    return make_initiative(title="Läxhjälp", lead_organisation=users["own_org"], lead_name="")


def _fresh(initiative) -> Initiative:
    return Initiative.objects.get(pk=initiative.pk)


def _edit_data(initiative, **changes) -> dict:
    data = {k: v for k, v in InitiativeForm.initial_for(initiative).items() if v is not None}
    data.update(
        {"start_date": data["start_date"].isoformat(), "priority_areas": [a.pk for a in data["priority_areas"]]}
    )
    for name in ("partner_organisations", "principles", "roles", "municipalities"):
        data[name] = [obj.pk for obj in data[name]]
    for prefix in ("milestones", "funding", "outputs", "links"):
        data[f"{prefix}-TOTAL_FORMS"] = "0"
        data[f"{prefix}-INITIAL_FORMS"] = "0"
    data.update(changes)
    return data


def test_the_service_compares_the_version_the_caller_read(own, users):
    seen = selectors.initiative_version(_fresh(own))
    services.initiative_update(actor=users["rep"], initiative=own, expected_version=seen, title="Första")
    with pytest.raises(services.InitiativeChanged) as stale:
        services.initiative_update(actor=users["rep"], initiative=own, expected_version=seen, title="Andra")
    assert _fresh(own).title == "Första"
    current = stale.value.current_version
    assert current != seen and current == selectors.initiative_version(_fresh(own))
    # Several accepted versions (an If-Match list): any one of them will do.
    services.initiative_update(actor=users["rep"], initiative=own, expected_version=[seen, current], title="Tredje")
    assert _fresh(own).title == "Tredje"


def test_permission_comes_before_the_version(own, users):
    with pytest.raises(PermissionDenied):
        services.initiative_update(actor=users["officer_kumla"], initiative=own, expected_version="stale", title="x")


def test_the_version_follows_what_the_initiative_shows(own, users, status):
    before = selectors.initiative_version(_fresh(own))
    assert selectors.initiative_version(_fresh(own)) == before  # stable while nothing changes
    organisation_update(organisation=users["own_org"], name="Nya namnet")  # not the initiative's row
    renamed = selectors.initiative_version(_fresh(own))
    assert renamed != before
    services.initiative_update(actor=None, initiative=own, status=status("completed"))
    assert selectors.initiative_version(_fresh(own)) != renamed


def test_the_edit_form_carries_its_version(client, users, own):
    client.force_login(users["rep"])
    response = client.get(reverse("plan:initiative-edit", args=[own.pk]))
    version = selectors.initiative_version(_fresh(own))
    assert response.context["form"]["version"].value() == version
    assert f'type="hidden" name="version" value="{version}"' in response.content.decode()
    create = client.get(reverse("plan:initiative-create"))
    assert "version" not in create.context["form"].fields


def test_a_change_saved_meanwhile_is_kept_and_the_form_says_so(client, users, own):
    client.force_login(users["rep"])
    url = reverse("plan:initiative-edit", args=[own.pk])
    loaded = client.get(url).context["form"]["version"].value()
    services.initiative_update(actor=users["admin"], initiative=own, description="Samordnarens ändring")

    refused = client.post(url, _edit_data(_fresh(own), title="Min titel", version=loaded))
    assert refused.status_code == 200
    form = refused.context["form"]
    assert "ändrat insatsen medan du redigerade" in " ".join(form.non_field_errors())
    html = refused.content.decode()
    assert 'value="Min titel"' in html  # what the user typed is kept
    fresh = _fresh(own)
    assert (fresh.title, fresh.description) == ("Läxhjälp", "Samordnarens ändring")
    assert not history_for(own).filter(action=AuditEntry.Action.UPDATE, actor=users["rep"]).exists()

    # The form now carries the current version: saving again is a decision to replace the change.
    current = selectors.initiative_version(fresh)
    assert form["version"].value() == current
    saved = client.post(url, _edit_data(fresh, title="Min titel", version=current))
    assert saved.status_code == 302
    assert _fresh(own).title == "Min titel"


def test_a_form_loaded_before_the_version_existed_still_saves(client, users, own):
    """A form without the field (an old page still open) saves as before, without the check."""
    client.force_login(users["rep"])
    data = _edit_data(_fresh(own), title="Utan version")
    del data["version"]
    assert client.post(reverse("plan:initiative-edit", args=[own.pk]), data).status_code == 302
    assert _fresh(own).title == "Utan version"


KINDS = InitiativeStatus.Kind
# Which kinds of status may follow which (moving within a kind is always allowed).
ALLOWED = {
    KINDS.PLANNED: {KINDS.PLANNED, KINDS.ONGOING, KINDS.CANCELLED},
    KINDS.ONGOING: {KINDS.ONGOING, KINDS.COMPLETED, KINDS.CANCELLED, KINDS.PLANNED},
    KINDS.COMPLETED: {KINDS.COMPLETED, KINDS.ONGOING},
    KINDS.CANCELLED: {KINDS.CANCELLED, KINDS.PLANNED},
}


@pytest.mark.parametrize("source", KINDS.values)
@pytest.mark.parametrize("target", KINDS.values)
def test_the_status_workflow(source, target):
    assert InitiativeStatus.WORKFLOW.allows(source, target) is (target in ALLOWED[source])


@pytest.mark.parametrize(
    ("role", "organisations", "municipalities", "other_lead"),
    [
        ("plain", set(), set(), False),
        ("rep", {"own_org"}, set(), False),
        ("officer", {"own_org"}, {"1880"}, False),  # Örebro's officer: Örebro and the organisations there
        ("officer_kumla", {"other_org"}, {"1881"}, False),
        ("reviewer", set(), set(), False),
        ("admin", {"own_org", "other_org"}, {"1880", "1881"}, True),
    ],
)
def test_who_may_name_which_lead(users, reference_data, role, organisations, municipalities, other_lead):
    user = users[role]
    named = {key for key in ("own_org", "other_org") if users[key] in permissions.lead_organisations_for(user)}
    codes = set(permissions.lead_municipalities_for(user).values_list("code", flat=True))
    assert named == organisations
    assert codes & {"1880", "1881"} == municipalities
    assert permissions.can_name_other_lead(user) is other_lead
