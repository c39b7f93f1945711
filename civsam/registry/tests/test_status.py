"""An organisation's status in the official register (ADR 0110)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from civsam.core.models import AuditEntry
from civsam.registry.models import Organisation
from civsam.registry.services import organisation_status_change

S = Organisation.Status


@pytest.mark.parametrize(
    ("source", "target", "allowed"),
    [
        (S.ACTIVE, S.WINDING_UP, True),
        (S.ACTIVE, S.DEREGISTERED, True),
        (S.WINDING_UP, S.DEREGISTERED, True),
        (S.WINDING_UP, S.ACTIVE, True),
        (S.DEREGISTERED, S.ACTIVE, True),
        (S.DEREGISTERED, S.WINDING_UP, False),
    ],
)
def test_status_steps(source, target, allowed):
    assert Organisation.WORKFLOW.allows(source, target) is allowed


def test_every_status_is_in_the_workflow():
    assert Organisation.WORKFLOW.states() == set(S.values)


@pytest.mark.django_db
def test_the_municipalitys_staff_change_the_status_with_date_and_source(users):
    org = users["own_org"]
    organisation_status_change(
        actor=users["officer"],
        organisation=org,
        status=S.DEREGISTERED,
        status_date=datetime.date(2025, 3, 1),
        source="Bolagsverket, beslut 2025-03-01",
    )
    org.refresh_from_db()
    assert (org.status, org.status_date, org.status_source) == (
        "deregistered",
        datetime.date(2025, 3, 1),
        "Bolagsverket, beslut 2025-03-01",
    )
    entry = AuditEntry.objects.filter(object_id=str(org.pk)).latest("id")
    assert entry.changes["status"] == ["active", "deregistered"] and "deregister" in entry.note
    with pytest.raises(ValidationError, match="Avregistrerad"):
        organisation_status_change(
            actor=users["officer"],
            organisation=org,
            status=S.WINDING_UP,
            status_date=datetime.date(2025, 4, 1),
            source="x",
        )


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["officer_kumla", "rep", "plain", "reviewer"])
def test_others_may_not_change_the_status(users, who):
    with pytest.raises(PermissionDenied):
        organisation_status_change(
            actor=users[who],
            organisation=users["own_org"],
            status=S.WINDING_UP,
            status_date=datetime.date(2025, 1, 1),
            source="x",
        )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status_date", "source", "field"),
    [(datetime.date(2999, 1, 1), "Bolagsverket", "status_date"), (datetime.date(2025, 1, 1), "  ", "status_source")],
)
def test_a_status_needs_a_past_date_and_a_source(users, status_date, source, field):
    with pytest.raises(ValidationError) as info:
        organisation_status_change(
            actor=None, organisation=users["own_org"], status=S.WINDING_UP, status_date=status_date, source=source
        )
    assert field in info.value.message_dict
    users["own_org"].refresh_from_db()
    assert users["own_org"].status == "active"


@pytest.mark.django_db
def test_the_organisation_page_shows_the_status_with_date_and_source(client, make_org):
    org = make_org(is_public=True)
    Organisation.objects.filter(pk=org.pk).update(
        status="winding_up",
        status_date=datetime.date(2025, 5, 1),
        status_source="Bolagsverket 2025-05-02",
        registered_on=datetime.date(1990, 3, 4),
        registered_source="SCB, företagsregistret 2025-05-02",
    )
    html = client.get(org.get_absolute_url()).content.decode()
    assert "Under avveckling sedan 2025-05-01" in html and "Bolagsverket 2025-05-02" in html
    assert "1990-03-04" in html
