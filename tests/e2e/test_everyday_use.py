"""Everyday use in the browser (issue #14), continued: an association's representative on "Min sida"
and on the organisation's page, in Swedish and English; and a social-value analysis built on its
page with the proxy library at hand. Every page is checked with axe and at 320 px (the site fixture)."""

from __future__ import annotations

import datetime
import io
import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def field(page, label: str):
    return page.get_by_label(re.compile(rf"^{re.escape(label)}( \(obligatoriskt\))?$"))


@pytest.fixture
def everything_of_theirs(e2e_data):
    """The representative's association with an initiative, an upcoming event it organises (with the
    representative registered), a network membership, a published analysis, and a draft to finish."""
    from django.utils import timezone

    from civsam.impact import services as impact
    from civsam.meetings.models import Event, Network, NetworkMembership
    from civsam.meetings.services import registration_create
    from civsam.plan.models import InitiativeStatus, PriorityArea
    from civsam.plan.services import initiative_create

    own = e2e_data.own_org
    initiative_create(
        actor=None,
        title="Läxhjälp i Vivalla",
        start_date=datetime.date(2025, 1, 1),
        status=InitiativeStatus.objects.get(code="ongoing"),
        priority_areas=[PriorityArea.objects.order_by("pk").first()],
        lead_organisation=own,
    )
    start = timezone.now() + datetime.timedelta(days=12)
    event = Event.objects.create(
        title="Öppet hus i klubbstugan", starts_at=start, ends_at=start + datetime.timedelta(hours=3), organiser=own
    )
    registration_create(event_id=event.pk, name="Fia Företrädare", email="fia@example.se", user=e2e_data.users["rep"])
    network = Network.objects.create(name="Föreningsrådet i Örebro", slug="foreningsradet", kind="association_council")
    NetworkMembership.objects.create(network=network, organisation=own, status="active")
    example = Path(__file__).resolve().parents[2] / "docs" / "examples" / "impact-map-example.json"
    published = impact.analysis_create(
        actor=None,
        title="Arbetsträning som lönar sig",
        owner_organisation=own,
        impact_map=json.loads(example.read_text(encoding="utf-8")),
    )
    impact.analysis_transition(actor=None, analysis=published, to_status="in_review")
    impact.analysis_transition(actor=None, analysis=published, to_status="published")
    impact.analysis_create(actor=e2e_data.users["rep"], title="Simskola för nyanlända", owner_organisation=own)
    return own


def test_min_sida_and_the_organisation_page_show_what_is_theirs(site, login, e2e_data, everything_of_theirs):
    page = site.page
    login("rep", next_path="/min-sida/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Min sida")
    todo = page.locator("section", has=page.get_by_role("heading", name="Att göra"))
    expect(todo).to_contain_text("Analysen är ett utkast: Simskola för nyanlända")
    expect(page.locator("section", has=page.get_by_role("heading", name="Mina organisationer"))).to_contain_text(
        e2e_data.own_org.name
    )
    expect(page.locator("#h-my-initiatives + ul")).to_contain_text("Läxhjälp i Vivalla")
    expect(page.locator("section", has=page.locator("#h-my-networks"))).to_contain_text("Föreningsrådet i Örebro")
    registrations = page.locator("section", has=page.locator("#h-my-registrations"))
    expect(registrations).to_contain_text("Öppet hus i klubbstugan")
    expect(registrations.get_by_role("link", name=re.compile("^Hantera min anmälan"))).to_be_visible()
    expect(page.locator("section", has=page.locator("#h-my-analyses"))).to_contain_text("Simskola för nyanlända")

    # The next step from there: the organisation's own page lists what it does.
    site.follow(lambda: page.get_by_role("link", name=e2e_data.own_org.name).first.click())
    activity = page.locator("section", has=page.get_by_role("heading", name="Verksamhet i Civsam"))
    for text in (
        "Läxhjälp i Vivalla",
        "Öppet hus i klubbstugan",
        "Föreningsrådet i Örebro",
        "Arbetsträning som lönar sig",
    ):
        expect(activity).to_contain_text(text)
    expect(activity).not_to_contain_text("Simskola för nyanlända")  # a draft is not public

    # The same in English, with the association's own names kept in Swedish.
    site.follow(lambda: page.get_by_role("button", name="English").click())
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Activity in Civsam")).to_be_visible()
    site.goto("/min-sida/")
    expect(page.get_by_role("heading", level=1)).to_have_text("My page")
    expect(page.get_by_role("heading", name="To do")).to_be_visible()
    expect(page.locator("#h-my-initiatives + ul").get_by_role("link", name="Läxhjälp i Vivalla")).to_have_attribute(
        "lang", "sv"
    )


def test_an_analysis_is_built_on_its_page_with_the_proxy_library_at_hand(site, login, e2e_data, tmp_path):
    from openpyxl import load_workbook

    from civsam.impact import services as impact
    from civsam.impact.models import FinancialProxy, SocialValueAnalysis

    impact.proxies_load_starter_set()
    proxy = FinancialProxy.objects.filter(name__icontains="prisbasbelopp").first() or FinancialProxy.objects.first()
    draft = impact.analysis_create(
        actor=e2e_data.users["rep"], title="Simskola för nyanlända", owner_organisation=e2e_data.own_org
    )
    page = site.page
    login("rep", next_path=draft.get_absolute_url())
    expect(page.get_by_text("Analysen har ingen effektkarta än.")).to_be_visible()

    # The blank workbook is there before anything is uploaded.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="en tom arbetsbok (XLSX)").click()
    workbook = load_workbook(io.BytesIO(Path(download_info.value.path()).read_bytes()))
    assert workbook.sheetnames[0] == "Instruktioner" and "Utfall" in workbook.sheetnames

    site.follow(lambda: page.get_by_role("link", name="Bygg effektkartan").first.click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Bygg effektkartan")
    field(page, "Den första intressenten").fill("Barn som lär sig simma")
    field(page, "Utfall").fill("Kan simma 200 meter")
    field(page, "Antal").fill("40")
    site.follow(lambda: page.get_by_role("button", name="Spara och räkna").click(), status=400)
    expect(page.get_by_role("alert")).to_contain_text("Finansiell proxy, kronor")
    field(page, "Finansiell proxy, kronor").fill("1 500")
    site.follow(lambda: page.get_by_role("button", name="Spara och räkna").click())
    expect(page.get_by_role("status")).to_contain_text("Effektkartan är påbörjad")
    # 40 × 1 500 = 60 000 in year 1, discounted at 3,5 %: 57 971.
    expect(page.locator("#figures")).to_contain_text(re.compile(r"57\s971"))

    # Another stakeholder and what it puts in: the ratio appears.
    page.get_by_text("Lägg till en intressent").click()
    page.locator("#id_stakeholder-name").fill("Simklubben")
    site.follow(lambda: page.get_by_role("button", name="Lägg till intressenten").click())
    page.get_by_text("Lägg till en insats").click()
    page.locator("#id_input-stakeholder").select_option(label="Simklubben")
    page.locator("#id_input-description").fill("Simlärare och bassängtid")
    page.locator("#id_input-money").fill("20 000")
    site.follow(lambda: page.get_by_role("button", name="Lägg till insatsen").click())
    expect(page.locator("#figures")).to_contain_text("2,90")  # 57 971 / 20 000

    # A proxy from the library: searched, picked, its value and source filled in.
    page.get_by_text("Lägg till ett utfall").click()
    page.get_by_role("searchbox", name="Sök proxy").fill(proxy.name.split()[0])
    site.follow(lambda: page.get_by_role("button", name="Sök", exact=True).click())
    results = page.locator(".proxy-results")
    expect(results).to_contain_text(proxy.source[:40])
    site.follow(lambda: results.locator(f'a[href^="?proxy={proxy.pk}&"]').click())
    expect(page.locator("#id_outcome-proxy_source")).to_have_value(re.compile(re.escape(proxy.source[:30])))
    page.locator("#id_outcome-stakeholder").select_option(label="Barn som lär sig simma")
    page.locator("#id_outcome-outcome").fill("Tryggare vid vatten")
    page.locator("#id_outcome-quantity").fill("1")
    site.follow(lambda: page.get_by_role("button", name="Lägg till utfallet").click())
    draft.refresh_from_db()
    assert draft.impact_map["outcomes"][1]["proxy"] == float(proxy.value)

    # Changed, then removed; the last outcome cannot go.
    site.follow(lambda: page.get_by_role("link", name="Ändra Kan simma 200 meter").click())
    field(page, "Antal").fill("50")
    site.follow(lambda: page.get_by_role("button", name="Spara och räkna om").click())
    site.follow(lambda: page.get_by_role("button", name="Ta bort Tryggare vid vatten").click())
    site.follow(lambda: page.get_by_role("button", name="Ta bort Kan simma 200 meter").click())
    expect(page.get_by_role("alert").or_(page.locator(".messages"))).to_contain_text("minst ett utfall")
    draft.refresh_from_db()
    assert [o["outcome"] for o in draft.impact_map["outcomes"]] == ["Kan simma 200 meter"]
    assert draft.impact_map["outcomes"][0]["quantity"] == 50
    site.follow(lambda: page.get_by_role("link", name="Till rapporten").click())
    expect(page.locator(".key-figures").first).to_contain_text("3,62")  # 75 000 / 1,035 / 20 000
    assert SocialValueAnalysis.objects.get(pk=draft.pk).status == "draft"
