"""A signed-in person registers a new association that is not in the register; a number already
there leads to claiming instead; the municipal officer approves, and the association is listed
with its sector. Axe and the 320 px check on every page (ADR 0098)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def field(page, label: str):
    return page.get_by_label(re.compile(rf"^{re.escape(label)}( \(obligatoriskt\))?$"))


def log_in(site, username: str, password: str):
    site.goto("/konto/logga-in/")
    site.page.get_by_label("Användarnamn").fill(username)
    site.page.get_by_label("Lösenord").fill(password)
    site.follow(lambda: site.page.get_by_role("button", name="Logga in").last.click())


def log_out(site):
    site.follow(lambda: site.page.get_by_role("button", name=re.compile("Logga ut")).click())


def test_register_a_new_association_and_get_it_approved(site, e2e_data, login):
    from civsam.accounts.models import User
    from civsam.registry.models import Organisation
    from civsam.registry.orgnr import complete

    User.objects.create_user(username="nykomling", password=e2e_data.password, first_name="Nora", last_name="Ny")
    number = complete("802009876")
    page = site.page

    log_in(site, "nykomling", e2e_data.password)
    site.goto("/min-sida/")
    site.follow(lambda: page.get_by_role("link", name="Anmäl en ny organisation").click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Anmäl en ny organisation")

    # Nothing filled in: clear Swedish errors, nothing written.
    site.follow(lambda: page.get_by_role("button", name="Skicka anmälan").click(), status=400)
    expect(page.get_by_role("alert")).to_contain_text("Fyll i organisationsnumret")

    # A number already in the register leads to claiming that organisation instead.
    field(page, "Organisationens namn").fill("Vivalla IF")
    field(page, "Organisationsnummer").fill(e2e_data.own_org.orgnr_display)
    field(page, "Juridisk form").select_option(label="Ideell förening")
    field(page, "Kommun där organisationen finns eller är verksam").select_option(label="Örebro")
    page.get_by_label("Styrelseledamot").check()
    site.follow(lambda: page.get_by_role("button", name="Skicka anmälan").click())
    expect(page.get_by_role("heading", level=1)).to_contain_text("Företräd organisationen")
    expect(page.get_by_role("main")).to_contain_text("finns redan i registret")

    # A wrong check digit, then the right number: the association is registered, pending.
    site.follow(lambda: page.get_by_role("link", name="Anmäl en ny organisation").last.click())
    field(page, "Organisationens namn").fill("Vivalla Schackklubb")
    field(page, "Organisationsnummer").fill(number[:6] + "-" + number[6:9] + str((int(number[9]) + 1) % 10))
    field(page, "Juridisk form").select_option(label="Ideell förening")
    field(page, "Kommun där organisationen finns eller är verksam").select_option(label="Örebro")
    field(page, "Kort beskrivning").fill("Schack för barn och vuxna i Vivalla.")
    page.get_by_label("Styrelseledamot").check()
    site.follow(lambda: page.get_by_role("button", name="Skicka anmälan").click(), status=400)
    expect(page.get_by_role("alert")).to_contain_text("fel kontrollsiffra")
    field(page, "Organisationsnummer").fill(number[:6] + "-" + number[6:])
    page.get_by_label("Styrelseledamot").check()
    site.follow(lambda: page.get_by_role("button", name="Skicka anmälan").click())
    expect(page.get_by_role("main")).to_contain_text("Väntar på beslut")
    club = Organisation.objects.get(orgnr=number)
    assert (club.listing, club.is_public) == ("pending", False)

    # Pending: not in the open directory, and she can do nothing for it.
    site.goto(f"/organisationer/{number}/andra/", status=403)
    site.goto("/organisationer/?q=Schackklubb")
    expect(page.locator("#results")).not_to_contain_text("Vivalla Schackklubb")
    site.goto("/min-sida/")
    expect(page.get_by_role("main")).to_contain_text("Vivalla Schackklubb")
    log_out(site)

    # The municipal officer of Örebro approves.
    login("officer")
    site.goto("/organisationer/foretradare/")
    site.follow(lambda: page.get_by_role("link", name="Vivalla Schackklubb").click())
    page.get_by_label("Godkänn").check()
    site.follow(lambda: page.get_by_role("button", name="Spara beslutet").click())
    expect(page.get_by_role("main")).to_contain_text("Godkänd")
    log_out(site)

    # Listed now, with its sector, for everyone; she represents it.
    site.goto("/organisationer/?sector=civil_society&q=Schackklubb")
    expect(page.locator("#results")).to_contain_text("Vivalla Schackklubb")
    expect(page.locator("#results")).to_contain_text("Civilsamhälle")
    log_in(site, "nykomling", e2e_data.password)
    site.goto(f"/organisationer/{number}/")
    expect(page.get_by_role("main")).to_contain_text("Civilsamhälle")
    site.follow(lambda: page.get_by_role("link", name="Ändra").click())
    expect(page.get_by_role("heading", level=1)).to_contain_text("Vivalla Schackklubb")


def test_an_informal_group_is_labelled_and_found_by_no_orgnr(site, e2e_data):
    from civsam.core.models import Municipality
    from civsam.registry.services import organisation_create

    group = organisation_create(
        actor=None,
        name="Läxhjälpsnätverket Vivalla",
        kind="informal",
        municipality=Municipality.objects.get(code="1880"),
        description="Grannar som ordnar läxhjälp två kvällar i veckan.",
    )
    page = site.page
    site.goto("/organisationer/?no_orgnr=on")
    expect(page.locator("#results")).to_contain_text("Läxhjälpsnätverket Vivalla")
    expect(page.locator("#results")).to_contain_text("Informell grupp eller nätverk")
    expect(page.locator("#results")).to_contain_text(group.civsam_id)
    site.follow(lambda: page.get_by_role("link", name="Läxhjälpsnätverket Vivalla").click())
    expect(page.get_by_role("main")).to_contain_text(group.civsam_id)
