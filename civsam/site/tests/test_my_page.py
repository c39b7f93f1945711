""" "Min sida" for an association's representative: their organisations, initiatives, registrations,
analyses, network memberships and what needs doing; nothing of anyone else's."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from civsam.meetings.models import Event, Network, NetworkMembership, Registration
from civsam.plan.models import InitiativeStatus, PriorityArea
from civsam.plan.services import initiative_create
from civsam.registry.models import Organisation


def _initiative(title, **fields):
    area = PriorityArea.objects.filter(focus_area__plan__slug="2022-2025").order_by("focus_area__number", "number")[0]
    return initiative_create(
        actor=None,
        status=InitiativeStatus.objects.get(code="ongoing"),
        priority_areas=[area],
        start_date=datetime.date(2023, 1, 1),
        title=title,
        **fields,
    )


def _event(title, days):
    start = timezone.now() + datetime.timedelta(days=days)
    return Event.objects.create(title=title, starts_at=start, ends_at=start + datetime.timedelta(hours=2))


def _registration(event, user, status, key):
    fields = {}
    if status == Registration.Status.OFFERED:
        fields["offer_expires_at"] = timezone.now() + datetime.timedelta(days=2)
    return Registration.objects.create(
        event=event, user=user, name="Rep", email=f"{key}@example.org", status=status, code=key, cancel_token=key,
        **fields,
    )  # fmt: skip


@pytest.fixture
def world(users, make_org):
    rep = users["rep"]
    own = Organisation.objects.get(name="Egna föreningen")
    other = Organisation.objects.get(name="Andra föreningen")
    _initiative("Läxhjälp i Vivalla", lead_organisation=own)
    _initiative("Sommarlov för alla", lead_organisation=other, partner_organisations=[own])
    _initiative("Andras insats", lead_organisation=other)
    network = Network.objects.create(name="Föreningsrådet", slug="foreningsradet", kind="association_council")
    NetworkMembership.objects.create(network=network, organisation=own, status="active")
    Network.objects.create(name="Annat nätverk", slug="annat", kind="thematic")
    _registration(_event("Dialogmöte i Kumla", 10), rep, Registration.Status.CONFIRMED, "rep-1")
    _registration(_event("Föreningsmässan", 20), rep, Registration.Status.OFFERED, "rep-2")
    _registration(_event("Avbokat möte", 5), rep, Registration.Status.CANCELLED, "rep-3")
    _registration(_event("Förra årets möte", -300), rep, Registration.Status.CONFIRMED, "rep-4")
    _registration(_event("Någon annans möte", 7), users["plain"], Registration.Status.CONFIRMED, "plain-1")
    return {"rep": rep, "own": own, "other": other}


def test_representative_sees_what_is_theirs(client, world):
    client.force_login(world["rep"])
    html = client.get(reverse("site:dashboard")).content.decode()
    # Their organisation, its initiatives (led and as partner), its network.
    assert "Mina organisationer" in html and world["own"].get_absolute_url() in html
    assert "Läxhjälp i Vivalla" in html
    assert "Sommarlov för alla</a> – Pågående (som partner)" in html
    assert "Andras insats" not in html
    assert "Föreningsrådet</a> – Medlem" in html and "Annat nätverk" not in html
    # Their own registrations still to come, each with its "manage" link; not cancelled or past ones.
    assert "Dialogmöte i Kumla" in html and reverse("meetings:registration-cancel", args=["rep-1"]) in html
    assert "Avbokat möte" not in html and "Förra årets möte" not in html
    assert "Du har deltagit i 1 tidigare evenemang." in html
    assert "Någon annans möte" not in html
    # What needs doing: the offered seat to accept, the unverified initiative it leads.
    todo = html.split('id="h-todo"')[1].split("</section>")[0]
    assert reverse("meetings:registration-accept", args=["rep-2"]) in todo
    assert "Läxhjälp i Vivalla" in todo and "Sommarlov för alla" not in todo


def test_a_user_without_organisations_sees_no_organisation_sections(client, world):
    client.force_login(world["rep"].__class__.objects.get(username="plain"))
    html = client.get(reverse("site:dashboard")).content.decode()
    assert "Mina organisationer" not in html and "Läxhjälp i Vivalla" not in html
    assert "Någon annans möte" in html
    assert 'id="h-todo"' not in html


def test_every_priority_area_page_offers_to_register_an_initiative_there(client, users):
    area = PriorityArea.objects.filter(focus_area__plan__slug="2022-2025").order_by("focus_area__number", "number")[1]
    page = client.get(area.get_absolute_url()).content.decode()
    link = f"{reverse('plan:initiative-register')}?aktivitetsomrade={area.pk}"
    assert f'href="{link}">Registrera en insats här</a>' in page
    client.force_login(users["rep"])
    form = client.get(link).content.decode()
    ticked = [line for line in form.split("<input") if 'name="priority_area"' in line and "checked" in line]
    assert len(ticked) == 1 and f'value="{area.pk}"' in ticked[0]


def test_organisation_page_lists_its_initiatives_events_networks_and_analyses(client, world):
    own = world["own"]
    _event("Öppet hus", 3).__class__.objects.filter(title="Öppet hus").update(organiser=own)
    Network.objects.create(name="Slutet nätverk", slug="slutet", kind="thematic", visibility="members")
    NetworkMembership.objects.create(network=Network.objects.get(slug="slutet"), organisation=own, status="active")
    html = client.get(own.get_absolute_url()).content.decode()
    section = html.split('id="h-org-activity"')[1].split("</section>")[0]
    assert "Läxhjälp i Vivalla" in section and "Sommarlov för alla</a> – Pågående (som partner)" in section
    assert "Andras insats" not in section
    assert "Öppet hus" in section and reverse("meetings:calendar-organiser", args=[own.orgnr]) in section
    # A members-only network is not shown to the public.
    assert "Föreningsrådet" in section and "Slutet nätverk" not in section
    assert "Inga publicerade analyser." in section
