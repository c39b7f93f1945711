"""Public pages: home, the action plans, the accessibility statement, 404 and the language switch."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_home_page_links_to_plans_directory_and_municipalities(site):
    site.goto("/")
    page = site.page
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Region Örebro län")
    expect(page.get_by_role("link", name=re.compile("handlingsplan för civilsamhälle.*2022–2025"))).to_be_visible()
    expect(page.get_by_text("47 organisationer i länet")).to_be_visible()
    # The twelve municipalities of the county each link to a filtered directory.
    municipality_links = page.locator("#h-mun + ul a")
    expect(municipality_links).to_have_count(12)
    expect(page.get_by_role("link", name="Hoppa till innehållet")).to_have_attribute("href", "#main")


def test_home_search_box_leads_to_directory_results(site):
    site.goto("/")
    site.page.get_by_label("Sök organisation").fill("vivalla")
    site.follow(lambda: site.page.get_by_role("button", name="Sök", exact=True).click())
    assert "q=vivalla" in site.page.url
    expect(site.page.locator("#results")).to_contain_text("Vivalla Idrottsförening")


def test_plan_list_plan_focus_area_priority_area(site, e2e_data):
    site.goto("/")
    page = site.page
    site.follow(
        lambda: page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Handlingsplaner").click()
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Handlingsplaner för civilsamhälle och social ekonomi")
    expect(page.get_by_role("link", name=re.compile("2026–2030"))).to_be_visible()

    site.follow(lambda: page.get_by_role("link", name=re.compile("2022–2025")).first.click())
    assert page.url.endswith(f"/handlingsplaner/{e2e_data.plan_slug}/")
    expect(page.get_by_role("heading", name="Mål")).to_be_visible()
    focus_links = page.locator(".plan-tree > li > h3 a")
    expect(focus_links).to_have_count(4)

    site.follow(lambda: focus_links.first.click())
    assert page.url.endswith("/insatsomrade-1/")
    expect(page.get_by_role("navigation", name="Brödsmulor")).to_contain_text("Insatsområde 1")
    priority_links = page.locator("main ul a[href*='aktivitetsomrade-']")
    assert priority_links.count() >= 2

    first_title = priority_links.first.inner_text()
    site.follow(lambda: priority_links.first.click())
    assert page.url.endswith("/insatsomrade-1/aktivitetsomrade-1/")
    expect(page.get_by_role("heading", level=1)).to_have_text(first_title.split(" ", 1)[1])
    expect(page.locator(".breadcrumbs [aria-current=page]")).to_have_text("1.1")
    # Every priority area invites its initiatives; an anonymous visitor is asked to log in first.
    register = page.get_by_role("link", name="Registrera en insats här")
    expect(register).to_be_visible()
    site.follow(lambda: register.click())
    assert "/konto/logga-in/" in page.url


def test_accessibility_statement_is_linked_from_every_page_footer(site):
    site.goto("/handlingsplaner/")
    site.follow(lambda: site.page.get_by_role("link", name="Tillgänglighetsredogörelse").click())
    expect(site.page.get_by_role("heading", level=1)).to_have_text("Tillgänglighetsredogörelse")
    expect(site.page.get_by_text("WCAG 2.1 på nivå AA")).to_be_visible()
    expect(site.page.get_by_role("heading", name="Rapportera brister")).to_be_visible()
    expect(site.page.get_by_text("Civsam är delvis förenlig med lagen")).to_be_visible()


@pytest.mark.parametrize(
    "path",
    ["/finns-inte/", "/handlingsplaner/1999-2000/", "/organisationer/8020000000/"],
)
def test_not_found_page_is_swedish_and_accessible(site, path):
    site.goto(path, status=404)
    expect(site.page.get_by_role("heading", level=1)).to_have_text("Sidan finns inte")
    expect(site.page.get_by_role("link", name="Till startsidan")).to_be_visible()


def test_language_switch_to_english_and_back(site):
    site.goto("/handlingsplaner/")
    page = site.page
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "sv")

    site.follow(lambda: page.get_by_role("button", name="English").click())
    expect(html).to_have_attribute("lang", "en")
    # The switch keeps the user on the same page.
    assert page.url.endswith("/handlingsplaner/")
    switch_back = page.get_by_role("button", name="Svenska")
    expect(switch_back).to_have_attribute("lang", "sv")

    # The choice sticks while browsing.
    site.goto("/tillganglighet/")
    expect(html).to_have_attribute("lang", "en")

    site.follow(lambda: page.get_by_role("button", name="Svenska").click())
    expect(html).to_have_attribute("lang", "sv")
    assert page.url.endswith("/tillganglighet/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tillgänglighetsredogörelse")


def test_api_documentation_runs_inside_the_site(site):
    """Swagger UI from Civsam's own files, in the site's layout and CSP (no violation reported)."""
    site.goto("/")
    page = site.page
    site.follow(lambda: page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Öppet API").click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Öppet API")
    # The operations are listed once Swagger UI has read the OpenAPI document.
    expect(page.locator("#api-docs .opblock").first).to_be_visible()
    expect(page.locator("#api-docs")).to_have_attribute("lang", "en")
    site.check()  # axe, CSP and reflow again, now that Swagger UI has drawn the page
