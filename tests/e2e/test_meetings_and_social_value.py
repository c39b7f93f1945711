"""Networks, events with registration, and the social-value pages, each page checked by axe-core."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e
EXAMPLE_MAP = Path(__file__).resolve().parents[2] / "docs" / "examples" / "impact-map-example.json"


@pytest.fixture
def meetings_data(e2e_data):
    from django.utils import timezone

    from civsam.meetings import services
    from civsam.meetings.models import Event, Network

    network = services.network_create(
        actor=None, name="Partnerskapet för sociala innovationer", slug="partnerskapet", kind=Network.Kind.PARTNERSHIP
    )
    membership = services.membership_request(actor=None, network=network, organisation=e2e_data.own_org)
    services.membership_decide(actor=None, membership=membership, approve=True)
    start = timezone.now() + timedelta(days=10)
    event = services.event_create(
        actor=None,
        details=services.EventDetails(
            title="Dialogmöte om föreningsstöd",
            network=network,
            place="Kumla stadshus",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            capacity=1,
            mode=Event.Mode.IN_PERSON,
        ),
    )
    return network, event


def _confirm_by_mail(site, address: str) -> None:
    """Open the link in the mail to `address` and confirm, as the registrant would."""
    from django.core import mail

    (message,) = [m for m in mail.outbox if m.to == [address]]
    link = re.search(r"https?://\S+/e-post/", message.body).group(0)
    site.goto("/" + link.split("://", 1)[1].split("/", 1)[1])
    site.follow(lambda: site.page.get_by_role("button", name="Ja, bekräfta min anmälan").click())


def test_event_registration_and_waitlist_in_the_browser(site, meetings_data):
    _network, event = meetings_data
    page = site.page
    site.goto("/evenemang/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Evenemang och möten")
    site.follow(lambda: page.get_by_role("link", name="Dialogmöte om föreningsstöd").click())
    page.get_by_label("Namn").fill("Anna Andersson")
    page.get_by_label("E-post").fill("anna@example.se")
    page.get_by_label("Barnpassning").check()
    site.follow(lambda: page.get_by_role("button", name="Anmäl mig").click(), status=201)
    # Without signing in, the seat is held until the address is confirmed by the link in the mail.
    expect(page.get_by_role("status")).to_contain_text("Bekräfta anmälan med länken som vi har skickat")
    _confirm_by_mail(site, "anna@example.se")
    expect(page.get_by_role("status")).to_contain_text("Bekräftad")
    site.goto(event.get_absolute_url())
    page.get_by_label("Namn").fill("Bo Berg")
    page.get_by_label("E-post").fill("bo@example.se")
    site.follow(lambda: page.get_by_role("button", name="Anmäl mig").click(), status=201)
    _confirm_by_mail(site, "bo@example.se")
    expect(page.get_by_role("status")).to_contain_text("På väntelistan")


def test_network_pages(site, meetings_data):
    page = site.page
    site.goto("/natverk/")
    site.follow(lambda: page.get_by_role("link", name="Partnerskapet för sociala innovationer").click())
    expect(page.get_by_role("heading", level=2, name="Medlemmar")).to_be_visible()
    expect(page.get_by_role("link", name="Vivalla Idrottsförening")).to_be_visible()
    expect(page.get_by_role("link", name="Dialogmöte om föreningsstöd")).to_be_visible()


def test_officer_creates_event_and_manages_it(site, login, e2e_data):
    page = site.page
    login("officer")
    site.goto("/evenemang/nytt/")
    page.get_by_label("Rubrik").fill("Föreningsträff i Örebro")
    site.follow(lambda: page.get_by_role("button", name="Skapa").click(), status=200)
    expect(page.locator(".error-summary")).to_be_visible()  # start and end are required
    page.get_by_label("Börjar").fill("2031-03-01T18:00")
    page.get_by_label("Slutar").fill("2031-03-01T20:00")
    page.get_by_label("Antal platser").fill("25")
    site.follow(lambda: page.get_by_role("button", name="Skapa").click())
    expect(page.get_by_role("heading", level=1)).to_contain_text("Föreningsträff i Örebro")
    expect(page.get_by_label("Anmälningskod")).to_be_visible()


def test_social_value_pages(site, e2e_data):
    from civsam.impact import services

    impact_map = json.loads(EXAMPLE_MAP.read_text(encoding="utf-8"))
    analysis = services.analysis_create(
        actor=None, title="Läxhjälp i Vivalla", owner_organisation=e2e_data.own_org, impact_map=impact_map
    )
    services.analysis_transition(actor=None, analysis=analysis, to_status="in_review")
    services.analysis_transition(actor=None, analysis=analysis, to_status="published")
    services.proxies_load_starter_set()
    page = site.page
    site.goto("/samhallsnytta/")
    site.follow(lambda: page.get_by_role("link", name="Läxhjälp i Vivalla").click())
    expect(page.get_by_role("heading", level=1)).to_contain_text("Läxhjälp i Vivalla")
    expect(page.locator("svg").first).to_be_visible()
    site.goto("/samhallsnytta/proxyer/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
