"""The wider frame, the assessed consequences and the conference's status report in the browser
(ADR 0122–0124): each page is checked with axe and laid out 320 px wide by the `site` fixture."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


@pytest.fixture
def frame(e2e_data):
    from civsam.plan.services import frame_tags_load_reference

    frame_tags_load_reference()


def test_the_coordinator_tags_an_area_and_registers_an_assessed_initiative(site, login, frame, e2e_data):
    page = site.page
    login("admin")
    site.goto(f"/handlingsplaner/{e2e_data.plan_slug}/insatsomrade-1/aktivitetsomrade-1/")
    site.follow(lambda: page.get_by_role("link", name="Ange strategier och mål").click())
    page.get_by_label("10. Minskad ojämlikhet").check()
    page.get_by_label("Större delaktighet i samhället").check()
    site.follow(lambda: page.get_by_role("button", name="Spara", exact=True).click())
    expect(page.get_by_role("status")).to_contain_text("Strategier och mål är sparade")
    expect(page.get_by_text("10. Minskad ojämlikhet")).to_be_visible()

    site.goto("/handlingsplaner/insatser/ny/")
    advanced = page.locator("details.form-advanced")
    expect(advanced).not_to_have_attribute("open", "")
    page.locator("#id_title").fill("Läxhjälp med bibliotekets hjälp")
    page.locator("#id_lead_name").fill("Region Örebro län")
    page.get_by_label("1.1 Öka kunskapen om civilsamhällets").check()
    page.locator("#id_start_date").fill("2024-02-01")
    advanced.locator("summary").click()
    page.get_by_label("Biblioteksplan för Örebro län").check()
    page.locator("#id_children_assessment").select_option("positive")
    page.locator("#id_children_note").fill("Barn i årskurs 4–6 får stöd i skolarbetet.")
    site.check()  # the unfolded form, too
    site.follow(lambda: page.get_by_role("button", name="Spara", exact=True).click())
    expect(page.get_by_role("heading", name="Läxhjälp med bibliotekets hjälp")).to_be_visible()
    expect(page.get_by_text("Barn i årskurs 4–6 får stöd i skolarbetet.")).to_be_visible()
    expect(page.get_by_text("10. Minskad ojämlikhet")).to_be_visible()  # through its priority area

    site.goto(f"/handlingsplaner/{e2e_data.plan_slug}/genomforande/")
    page.get_by_label("Strategi eller mål").select_option("strategi-biblioteksplan")
    site.follow(lambda: page.get_by_role("button", name="Filtrera").click())
    # The filtered tree lists the initiative under its priority area (folded until opened).
    assert "Läxhjälp med bibliotekets hjälp" in page.content()


def test_the_officer_reads_the_conference_status_report_in_swedish_and_english(site, login, e2e_data):
    from decimal import Decimal

    from django.utils import timezone

    from civsam.core.models import Municipality
    from civsam.meetings import services

    start = (timezone.localtime() + timedelta(days=40)).replace(hour=9, minute=0, second=0, microsecond=0)
    event = services.event_create(
        actor=None,
        details=services.EventDetails(
            title="Regional konferens om samverkan",
            municipality=Municipality.objects.get(code="1880"),
            starts_at=start,
            ends_at=start + timedelta(hours=8),
            capacity=200,
        ),
    )
    conference = services.conference_create(actor=None, event=event)
    services.budget_year_set(
        actor=None, conference=conference, year=start.year - 1, allocated=Decimal(100000), decision_reference="24RS4154"
    )
    services.budget_year_set(actor=None, conference=conference, year=start.year, allocated=Decimal(150000))
    services.quota_set(actor=None, conference=conference, target_group="elected", quota=80)

    page = site.page
    login("officer")
    site.goto(f"/evenemang/{event.pk}/hantera/budget/")
    site.follow(lambda: page.get_by_role("link", name="Lägesrapport för nämnden").click())
    expect(page.get_by_role("heading", name="Budget och utfall per år")).to_be_visible()
    expect(page.get_by_role("rowheader", name=str(start.year - 1))).to_be_visible()
    expect(page.get_by_text("100 000", exact=False).first).to_be_visible()
    expect(page.get_by_role("link", name="Lägesrapporten som PDF")).to_be_visible()
    site.follow(lambda: page.get_by_role("button", name="English").click())
    expect(page.get_by_role("heading", name="Budget and outcome by year")).to_be_visible()
    expect(page.get_by_role("heading", name="Registrations by target group")).to_be_visible()
    site.follow(lambda: page.get_by_role("button", name="Svenska").click())
