"""The plan's co-financing in the browser (ADR 0103): a representative registers an initiative with
funding lines by source and year on its form, in Swedish number format, sees a bad row named, and
finds the lines on the initiative's page and summed on the plan's follow-up page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def field(scope, label: str):
    return scope.get_by_label(re.compile(rf"^{re.escape(label)}( \(obligatoriskt\))?$"))


@pytest.fixture
def sources(e2e_data):
    from civsam.funding import services
    from civsam.funding.models import FundingSource

    services.funding_sources_load_reference()
    return {
        "association": FundingSource.objects.get(reference_key="regionens-foreningsstod"),
        "innovation": FundingSource.objects.get(reference_key="utvecklingsmedel-social-innovation"),
    }


def _label(source) -> str:
    return f"{source.name} ({source.funder.name})"


def test_representative_registers_funding_lines_by_source_and_year(site, login, e2e_data, sources):
    login("rep", next_path="/handlingsplaner/insatser/ny/")
    page = site.page
    expect(page.get_by_role("heading", level=1)).to_have_text("Registrera insats")
    page.locator("#id_title").fill("Språkcafé i Vivalla")
    field(page, "Ansvarig organisation").select_option(label=e2e_data.own_org.name)
    page.get_by_label(re.compile(r"2022–2025 · 1\.1 ")).check()
    field(page, "Startdatum").fill("2024-02-01")
    field(page, "Status").select_option(label="Pågående")
    expect(page.get_by_role("group", name=re.compile("^Finansiering$"))).to_have_count(0)  # no free text
    row = page.get_by_role("group", name="Finansiering per källa och år 1")
    field(row, "Finansieringskälla").select_option(label=_label(sources["association"]))
    field(row, "År").fill("2024")
    field(row, "Belopp (kr)").fill("tolvtusen")
    site.follow(lambda: page.get_by_role("button", name="Spara").click())
    expect(page.get_by_role("alert")).to_contain_text("Fel i en av raderna längre ned.")
    row = page.get_by_role("group", name="Finansiering per källa och år 1")
    expect(row).to_contain_text("Ange ett belopp i kronor")
    field(row, "Belopp (kr)").fill("12 500,50")
    site.follow(lambda: page.get_by_role("button", name="Spara").click())
    expect(page.get_by_role("status")).to_contain_text("Insatsen är registrerad.")
    lines = page.get_by_role("region", name="Finansiering per källa och år")
    expect(lines).to_contain_text(sources["association"].name)
    expect(lines).to_contain_text("12\u00a0500,5")

    # Editing: the row comes back in Swedish format; a second source is added in the empty row.
    site.follow(lambda: page.get_by_role("link", name="Ändra", exact=True).click())
    expect(field(page.get_by_role("group", name="Finansiering per källa och år 1"), "Belopp (kr)")).to_have_value(
        "12\u00a0500,5"
    )
    row = page.get_by_role("group", name="Finansiering per källa och år 2")
    field(row, "Finansieringskälla").select_option(label=_label(sources["innovation"]))
    field(row, "År").fill("2025")
    field(row, "Slag").select_option(label="Medfinansiering i tid (värderad)")
    field(row, "Belopp (kr)").fill("33000")
    site.follow(lambda: page.get_by_role("button", name="Spara").click())
    expect(page.get_by_role("status")).to_contain_text("Ändringarna är sparade.")
    expect(page.get_by_role("region", name="Finansiering per källa och år")).to_contain_text("33\u00a0000")

    site.goto(f"/handlingsplaner/{e2e_data.plan_slug}/genomforande/")
    summed = page.get_by_role("region", name="Medfinansiering per källa och år")
    expect(summed).to_contain_text(sources["innovation"].name)
    expect(summed.get_by_role("link", name=re.compile("Excel"))).to_have_count(1)
