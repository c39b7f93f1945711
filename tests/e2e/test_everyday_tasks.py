"""Everyday tasks in the browser (issue #14): a representative registers an initiative on the short
form, an officer compares and merges two duplicates, an organiser writes to the registrants and
moves one to the waitlist. Every page is checked with axe and at 320 px (the site fixture)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def field(page, label: str):
    return page.get_by_label(re.compile(rf"^{re.escape(label)}( \(obligatoriskt\))?$"))


def test_a_representative_registers_an_initiative_on_one_short_page(site, login, e2e_data):
    login("rep", next_path="/handlingsplaner/insatser/registrera/")
    page = site.page
    expect(page.get_by_role("heading", level=1)).to_have_text("Registrera en insats")
    expect(field(page, "Vilken organisation ansvarar?")).to_have_value(str(e2e_data.own_org.pk))
    field(page, "Vad heter insatsen?").fill("Läxhjälp i Vivalla")
    field(page, "Beskriv insatsen kort").fill("Läxhjälp två kvällar i veckan för barn i årskurs 4–9.")
    site.follow(lambda: page.get_by_role("button", name="Registrera insatsen").click(), status=400)
    expect(page.get_by_role("alert")).to_contain_text("aktivitetsområde")  # the one thing left out
    page.get_by_role("radio").first.check()
    site.follow(lambda: page.get_by_role("button", name="Registrera insatsen").click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Läxhjälp i Vivalla")
    expect(page.get_by_role("status")).to_contain_text("Insatsen är registrerad.")


@pytest.fixture
def twins(e2e_data):
    from civsam.core.models import LegalForm
    from civsam.registry.models import DuplicateCandidate
    from civsam.registry.orgnr import complete
    from civsam.registry.services import organisation_create

    twin = organisation_create(
        actor=None,
        name="Vivalla Idrottsföreningen",
        orgnr=complete("802000333"),
        legal_form=LegalForm.objects.get(code="61"),
        municipality=e2e_data.own_org.municipality,
        email="kansli@vivallaif.se",
    )
    low, high = sorted((e2e_data.own_org.pk, twin.pk))
    DuplicateCandidate.objects.get_or_create(first_id=low, second_id=high, defaults={"similarity": 0.95})
    return twin


def test_an_officer_compares_and_merges_two_duplicates(site, login, e2e_data, twins):
    login("officer")
    site.goto("/organisationer/dubbletter/")
    page = site.page
    site.follow(
        lambda: page.get_by_role("link", name=re.compile("^Jämför och slå ihop.*Vivalla Idrottsföreningen")).click()
    )
    expect(page.get_by_role("heading", name="Varför paret föreslås")).to_be_visible()
    keep = page.get_by_role("group", name="Vilken organisation ska finnas kvar?")
    keep.get_by_role("radio", name=re.compile(r"Vivalla Idrottsförening \(")).check()
    page.get_by_role("radio", name="kansli@vivallaif.se").check()
    site.follow(lambda: page.get_by_role("button", name="Slå ihop").click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Vivalla Idrottsförening")
    expect(page.get_by_role("status")).to_contain_text("Vivalla Idrottsföreningen är sammanslagen med")
    site.goto(f"/organisationer/{e2e_data.own_org.orgnr}/historik/")
    expect(page.get_by_role("heading", name="Sammanslagna organisationer")).to_be_visible()

    # Second thoughts: the merge is undone from the duplicates page, and the twin is back.
    site.goto("/organisationer/dubbletter/")
    undo = page.get_by_role("button", name=re.compile("^Ångra sammanslagningen.*Vivalla Idrottsföreningen"))
    site.follow(lambda: undo.click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Vivalla Idrottsföreningen")
    expect(page.get_by_role("status")).to_contain_text("Sammanslagningen är ångrad")
    site.goto("/organisationer/dubbletter/")
    expect(page.get_by_role("link", name=re.compile("^Jämför och slå ihop.*Vivalla Idrottsföreningen"))).to_be_visible()


@pytest.fixture
def event_with_registrants(e2e_data):
    from django.utils import timezone

    from civsam.meetings.models import Event
    from civsam.meetings.services import registration_create

    start = timezone.now() + timedelta(days=10)
    event = Event.objects.create(
        title="Föreningsträff i Vivalla",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        place="Vivalla",
        capacity=2,
    )
    for n, name in enumerate(["Ada Ek", "Bo Ek", "Cia Ek"]):
        registration_create(event_id=event.pk, name=name, email=f"p{n}@example.se", user=e2e_data.users["rep"])
    return event


def test_an_organiser_writes_to_registrants_and_moves_one_to_the_waitlist(site, login, event_with_registrants):
    event = event_with_registrants
    login("admin")
    site.goto(f"/evenemang/{event.pk}/hantera/")
    page = site.page
    site.follow(lambda: page.get_by_role("link", name="Skicka e-post till deltagarna").click())
    page.get_by_label("De som har plats").check()
    field(page, "Ämne").fill("Ändrad lokal")
    field(page, "Meddelande").fill("Vi ses i Folkets hus, sal 2.")
    site.follow(lambda: page.get_by_role("button", name="Skicka").click())
    expect(page.get_by_role("status")).to_contain_text("Meddelandet skickas till 2 personer.")
    site.follow(lambda: page.get_by_role("link", name="Flytta Ada Ek").click())
    page.get_by_role("radio", name=re.compile("Sist på väntelistan")).check()
    site.follow(lambda: page.get_by_role("button", name="Flytta").click())
    expect(page.get_by_role("status")).to_contain_text("Ada Ek står nu sist på väntelistan.")
