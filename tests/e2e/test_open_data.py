"""The map on the statistics page and the open data catalogue, in a browser: axe and 320 px reflow
are checked on every page visited (conftest's `site`)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


@pytest.fixture
def statistics(e2e_data):
    from civsam.stats.services import population_load_reference, statistics_compute

    population_load_reference()
    statistics_compute(years=[2022, 2023, 2024])


def test_the_map_leads_to_a_municipality(site, statistics):
    page = site.page
    site.goto("/statistik/?ar=2023")
    figure = page.locator("figure.map-figure")
    expect(figure).to_be_visible()
    expect(figure.locator("figcaption")).to_contain_text("Karta: organisationer per 1 000 invånare 2023")
    expect(figure.locator("svg.choropleth a")).to_have_count(12)
    expect(figure.get_by_text("Teckenförklaring")).to_be_visible()
    expect(page.get_by_role("table", name=re.compile("Organisationer per kommun 2023"))).to_be_visible()
    # Each municipality is a link named with its value; choosing one opens its page.
    lekeberg = figure.get_by_role("link", name=re.compile(r"^Lekeberg: "))
    expect(lekeberg).to_have_count(1)
    site.follow(lambda: lekeberg.click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Civilsamhället i siffror: Lekeberg")
    outlined = page.locator('svg.choropleth path[data-code="1814"]')
    expect(outlined).to_have_attribute("stroke-width", "2.5")


def test_the_catalogue_from_the_footer(site, statistics):
    page = site.page
    site.goto("/statistik/")
    site.follow(lambda: page.locator("footer").get_by_role("link", name="Öppna data").click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Öppna data från Civsam")
    expect(page.get_by_role("heading", level=3, name="Statistik om civilsamhället i Örebro län")).to_be_visible()
    expect(page.get_by_role("link", name="CC BY 4.0").first).to_be_visible()
    expect(page.get_by_role("link", name="CC0 1.0").first).to_be_visible()
    turtle = page.request.get(site.url("/oppna-data/katalog"), headers={"Accept": "text/turtle"})
    assert turtle.status == 200 and "dcat:Catalog" in turtle.text()
