"""The public statistics: the county page, a municipality, a figure's permanent page and a download."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


@pytest.fixture
def statistics(e2e_data):
    from civsam.core.models import Municipality
    from civsam.stats.demo import kolada_demo_values
    from civsam.stats.services import (
        external_figures_set,
        national_figures_load_reference,
        population_load_reference,
        statistics_compute,
    )

    population_load_reference()
    national_figures_load_reference()
    codes = list(Municipality.objects.values_list("code", flat=True))
    external_figures_set(source="kolada", values=kolada_demo_values(codes))
    statistics_compute(years=[2022, 2023, 2024])


def test_the_county_a_municipality_and_a_figure(site, statistics):
    page = site.page
    site.goto("/")
    site.follow(lambda: page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Statistik").click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Civilsamhället i siffror: Örebro län")
    expect(page.get_by_text("kända av Civsam").first).to_be_visible()
    expect(page.locator("svg.chart").first).to_be_visible()
    expect(page.get_by_role("table", name=re.compile("Organisationer vid årets slut"))).to_contain_text("2023")
    national = page.get_by_role("table", name="Det civila samhället i Sverige enligt SCB, och länet i Civsam")
    expect(national).to_contain_text("265\u00a0700")
    expect(page.get_by_role("heading", name="Kommunernas nyckeltal från Kolada")).to_be_visible()

    site.follow(lambda: page.get_by_role("navigation", name="Välj område").get_by_role("link", name="Kumla").click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Civilsamhället i siffror: Kumla")
    expect(page.get_by_text("Kumla är markerad med en pil.")).to_be_visible()
    expect(page.get_by_role("table", name="Nettokostnad kulturverksamhet, kr/inv, Kumla")).to_be_visible()

    site.follow(lambda: page.get_by_role("link", name="Nybildade organisationer").first.click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Nybildade organisationer, Kumla")
    assert re.search(r"/statistik/1881/founded/\?ar=\d{4}$", page.url)
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("^XLSX")).first.click()
    assert download.value.suggested_filename.endswith(".xlsx")
