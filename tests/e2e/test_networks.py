"""An association's representative runs a civil-society forum without the Region (issue #12, ADR
0101): creates it, invites a member who accepts, decides a join request, appoints a representative
and closes the forum, which stays readable. axe and the 320 px check on every page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def field(scope, label: str):
    return scope.get_by_label(re.compile(rf"^{re.escape(label)}( \(obligatoriskt\))?$"))


def log_out(site):
    site.follow(lambda: site.page.get_by_role("button", name=re.compile("Logga ut")).click())


def test_an_association_runs_a_forum_from_start_to_close(site, e2e_data, login):
    from civsam.accounts.models import Role, User
    from civsam.accounts.services import role_assign
    from civsam.core.models import LegalForm, Municipality
    from civsam.meetings.models import Network, NetworkMembership
    from civsam.registry.orgnr import complete
    from civsam.registry.services import organisation_create

    # Kumla Hembygdsförening's representative also represents a study circle that will apply.
    circle = organisation_create(
        actor=None,
        name="Kumla Läsecirkel",
        orgnr=complete("802000444"),
        legal_form=LegalForm.objects.get(code="61"),
        municipality=Municipality.objects.get(code="1881"),
    )
    neighbour = User.objects.create_user(
        username="hembygd", password=e2e_data.password, first_name="Hedda", last_name="Hembygd"
    )
    role_assign(user=neighbour, role=Role.ORGANISATION_REP, organisation=e2e_data.other_org)
    role_assign(user=neighbour, role=Role.ORGANISATION_REP, organisation=circle)
    e2e_data.users["neighbour"] = neighbour
    page = site.page

    # The association's representative starts a forum coordinated by the association.
    login("rep")
    site.goto("/natverk/")
    site.follow(lambda: page.get_by_role("link", name="Starta ett nätverk").click())
    field(page, "Namn").fill("Föreningsforum för unga i Örebro län")
    field(page, "Typ av nätverk").select_option(label="Dialogforum")
    field(page, "Syfte").fill("Föreningar som arbetar med barn och unga delar erfarenheter.")
    field(page, "Samordnande organisation").select_option(label="Vivalla Idrottsförening")
    site.follow(lambda: page.get_by_role("button", name="Starta nätverket").click())
    expect(page.get_by_role("status").first).to_contain_text("Nätverket är skapat")
    network = Network.objects.get(name="Föreningsforum för unga i Örebro län")
    assert network.organisation == e2e_data.own_org

    # It invites Kumla Hembygdsförening.
    field(page, "Organisation att bjuda in").select_option(label="Kumla Hembygdsförening")
    site.follow(lambda: page.get_by_role("button", name="Bjud in").click())
    expect(page.get_by_role("status").first).to_contain_text("Kumla Hembygdsförening är inbjuden")
    log_out(site)

    # The invited association accepts on the network's page, and applies for its study circle.
    login("neighbour")
    site.goto(f"/natverk/{network.slug}/")
    site.follow(lambda: page.get_by_role("button", name="Tacka ja – Kumla Hembygdsförening").click())
    expect(page.get_by_role("status").first).to_contain_text("Kumla Hembygdsförening är medlem i nätverket")
    page.get_by_label("Organisation", exact=True).select_option(label="Kumla Läsecirkel")
    site.follow(lambda: page.get_by_role("button", name="Ansök").click())
    expect(page.get_by_role("status").first).to_contain_text("Ansökan är skickad")
    log_out(site)

    # The coordinator decides the join request on the management page.
    login("rep")
    site.goto(f"/natverk/{network.slug}/")
    expect(page.get_by_text("1 ansökan väntar på beslut.")).to_be_visible()
    site.follow(lambda: page.get_by_role("link", name="Hantera nätverket").click())
    site.follow(lambda: page.get_by_role("button", name="Godkänn Kumla Läsecirkel").click())
    assert NetworkMembership.objects.get(network=network, organisation=circle).status == "active"

    # ... appoints a representative for the invited member, with dates.
    site.goto(f"/natverk/{network.slug}/")
    form = page.locator("form", has=page.get_by_role("button", name="Utse representanten"))
    form.get_by_label("Medlemsorganisation").select_option(label="Kumla Hembygdsförening")
    form.get_by_label("Namn").fill("Hedda Hembygd")
    form.get_by_label("Uppdrag").select_option(label="Ordförande")
    form.get_by_label("Från").fill("2026-01-01")
    site.follow(lambda: form.get_by_role("button", name="Utse representanten").click())
    expect(page.get_by_role("cell", name="Hedda Hembygd (Ordförande)")).to_be_visible()

    # ... and closes the forum. The page stays, with its members' dates.
    site.goto(f"/natverk/{network.slug}/hantera/")
    site.follow(lambda: page.get_by_role("link", name="Avsluta nätverket").click())
    site.follow(lambda: page.get_by_role("button", name="Avsluta nätverket").click())
    expect(page.get_by_role("alert").or_(page.locator(".error-summary"))).to_be_visible()  # the box is required
    page.get_by_label(re.compile("Jag förstår")).check()
    site.follow(lambda: page.get_by_role("button", name="Avsluta nätverket").click())
    expect(page.get_by_role("status").first).to_contain_text("Nätverket är avslutat")
    network.refresh_from_db()
    assert network.is_closed
    expect(page.get_by_text("Tidigare medlemmar")).to_be_visible()
    expect(page.get_by_role("link", name="Hantera nätverket")).to_be_visible()
    log_out(site)
    site.goto(f"/natverk/{network.slug}/")  # anyone still reads it
    expect(page.get_by_role("heading", name="Föreningsforum för unga i Örebro län")).to_be_visible()
