"""The socio-economic account in the browser: reached from the social-value page, a scenario chosen,
an error shown next to its field, the result per bearer and year with its chart, and the result
table downloaded. axe-core checks every page visited (tests/e2e/conftest.py)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_compose_an_account_see_it_and_download_it(site, login):
    page = site.page
    login("officer")
    site.goto("/samhallsnytta/")
    site.follow(lambda: page.get_by_role("link", name="Räkna ett socioekonomiskt bokslut").click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Socioekonomiskt bokslut")
    # The preset of the default scenario is ticked; the unit costs show their source and year.
    expect(page.get_by_role("checkbox", name="Anställning på heltid (person och år)").last).to_be_checked()
    expect(page.get_by_role("cell", name="Källans år")).to_have_count(0)
    expect(page.get_by_role("columnheader", name="Källans år")).to_be_visible()

    # Our own scenario starts empty; computing nothing is refused in Swedish, next to the field.
    page.get_by_role("combobox", name="Scenario").select_option(label="Eget scenario: välj posterna själv")
    site.follow(lambda: page.get_by_role("button", name="Välj scenario").click())
    page.get_by_label("Namn på förändringen").fill("Två personer till arbete")
    site.follow(lambda: page.get_by_role("button", name="Räkna").click())
    expect(page.locator(".error-summary")).to_contain_text("Välj minst en post före eller efter förändringen.")
    expect(page.locator("fieldset.field-invalid .errorlist")).to_contain_text("Välj minst en post")

    before = page.locator("fieldset", has=page.get_by_text("Före förändringen", exact=True))
    before.get_by_label("Ekonomiskt bistånd (försörjningsstöd) (person och år)").check()
    before.get_by_label("Handläggning av ekonomiskt bistånd (person och år)").check()
    after = page.locator("fieldset", has=page.get_by_text("Efter förändringen", exact=True))
    after.get_by_label("Anställning på heltid (person och år)").check()
    page.get_by_label("Antal personer").fill("2")
    page.get_by_label("Antal år", exact=False).first.fill("2")
    page.get_by_label("Insatsens kostnad år 1, kronor").fill("80000")
    site.follow(lambda: page.get_by_role("button", name="Räkna").click())

    expect(page.get_by_role("heading", level=2, name="Resultat: Två personer till arbete")).to_be_visible()
    table = page.get_by_role("table", name="Netto per bärare och år")
    # Municipality, year 1: 2 × (96 000 + 20 000 + 63 000) − 80 000 = 278 000.
    expect(table.get_by_role("row").nth(1)).to_contain_text("278\u00a0000,00")
    expect(page.locator("figure.chart-figure svg[role=img]")).to_have_count(1)

    with page.expect_download() as info:
        machine_csv = "CSV (maskinläsbar) – netto, intäkter, kostnader och nuvärde per bärare och år"
        page.get_by_role("link", name=machine_csv).click()
    rows = list(csv.DictReader(io.StringIO(Path(info.value.path()).read_text(encoding="utf-8-sig"))))
    assert len(rows) == 2 * 5
    assert (rows[0]["barare"], rows[0]["netto"]) == ("municipality", "278000.00")
