"""The public directory: Swedish search, htmx filters, pagination, downloads and an organisation page."""

from __future__ import annotations

import csv
import io
import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def result_names(page) -> list[str]:
    return page.locator("#results tbody tr td:first-child a").all_inner_texts()


def result_count(page) -> int:
    text = page.locator("#results .result-count").inner_text()
    match = re.match(r"(\d+)", text.replace("\u00a0", "").replace(" ", ""))
    assert match, f"no count in {text!r}"
    return int(match.group(1))


@pytest.mark.parametrize(
    ("query", "expected", "must_match"),
    [
        # Lower-case Swedish words with å, ä, ö; "förening" also finds compounds like "Idrottsförening".
        ("förening", "Vivalla Idrottsförening", r"förening"),
        ("örebro", "Vivalla Idrottsförening", r"örebro|vivalla"),
        ("hembygdsföreningar", "Kumla Hembygdsförening", r"hembygd"),
    ],
)
def test_search_with_swedish_words(site, query, expected, must_match):
    site.goto("/organisationer/")
    page = site.page
    total = result_count(page)
    search = page.get_by_role("searchbox", name="Sökord")
    search.fill(query)
    site.htmx(lambda: search.press("Enter"))
    # htmx pushes the search into the address bar so that it can be bookmarked and shared.
    assert "q=" in page.url
    expect(page.locator("#results")).to_contain_text(expected)
    hits = result_count(page)
    assert 0 < hits < total
    # The search box keeps what was typed after a full reload of the pushed URL.
    site.goto(page.url.removeprefix(site.base_url))
    expect(page.get_by_role("searchbox", name="Sökord")).to_have_value(query)
    assert result_count(page) == hits


def test_search_without_hits_says_so(site):
    site.goto("/organisationer/?q=xyzzyplugh")
    expect(site.page.locator("#results")).to_contain_text("Inga organisationer matchar sökningen.")
    assert site.page.locator("#results table").count() == 0


def test_filters_update_results_through_htmx(site):
    site.goto("/organisationer/")
    page = site.page
    total = result_count(page)
    before = len(site.navigations)

    filters = page.get_by_role("search", name="Sök och filtrera")
    site.htmx(lambda: filters.get_by_role("group", name="Kommun").get_by_label("Kumla", exact=True).check())
    kumla = result_count(page)
    assert 0 < kumla < total
    assert "municipality=1881" in page.url
    # The swap replaced only the results: the page was not reloaded.
    assert all("municipality=1881" in url or url == site.url("/organisationer/") for url in site.navigations[before:])
    municipalities = page.locator("#results tbody tr td:nth-child(5)").all_inner_texts()
    assert municipalities and set(municipalities) == {"Kumla"}

    site.htmx(lambda: filters.get_by_role("group", name="Juridisk form").locator("input[value='61']").check())
    both = result_count(page)
    assert 0 < both <= kumla
    forms = page.locator("#results tbody tr td:nth-child(4)").all_inner_texts()
    assert set(forms) == {"Ideell förening"}
    expect(page.locator("#results")).to_contain_text("Kumla Hembygdsförening")
    assert "legal_form=61" in page.url
    # The chosen filters show as chips above the results; one removes its filter only.
    chips = page.locator("#results .filter-chips .chip")
    expect(chips).to_have_count(2)
    expect(chips.first).to_contain_text("Kommun: Kumla")
    site.follow(lambda: chips.first.click())
    assert "municipality=" not in page.url and "legal_form=61" in page.url
    expect(page.locator("#results .filter-chips .chip")).to_have_count(1)


def test_pagination_walks_through_all_results(site):
    site.goto("/organisationer/?per_page=20&sort=name")
    page = site.page
    total = result_count(page)
    assert total == 47
    pager = page.get_by_role("navigation", name="Sidnavigering")
    expect(pager).to_contain_text("Sida 1 av 3")
    seen = result_names(page)
    assert len(seen) == 20

    site.follow(lambda: pager.get_by_role("link", name="Nästa").click())
    expect(pager).to_contain_text("Sida 2 av 3")
    assert "sort=name" in page.url and "page=2" in page.url
    seen += result_names(page)

    site.follow(lambda: pager.get_by_role("link", name="Nästa").click())
    expect(pager).to_contain_text("Sida 3 av 3")
    expect(pager.get_by_role("link", name="Nästa")).to_have_count(0)
    seen += result_names(page)
    assert len(seen) == total == len(set(seen))

    site.follow(lambda: pager.get_by_role("link", name="Föregående").click())
    expect(pager).to_contain_text("Sida 2 av 3")


def test_export_links_download_the_filtered_list(site):
    site.goto("/organisationer/?municipality=1881")
    page = site.page
    shown = result_count(page)
    links = page.locator(".export-links a")
    expect(links).to_have_count(4)
    for fmt, text in (("csv-sv", "CSV för Excel"), ("csv", "maskinläsbar"), ("xlsx", "XLSX"), ("json", "JSON")):
        href = page.locator(".export-links a", has_text=text).get_attribute("href")
        assert href.startswith(f"/organisationer/export.{fmt}?") and "municipality=1881" in href

    with page.expect_download() as info:
        page.locator(".export-links a", has_text="maskinläsbar").click()
    download = info.value
    assert download.suggested_filename.endswith(".csv")
    text = open(download.path(), encoding="utf-8-sig").read()  # noqa: SIM115
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == shown
    assert {row["kommun"] for row in rows} == {"Kumla"}
    assert "Kumla Hembygdsförening" in {row["namn"] for row in rows}

    # The other formats answer with a file too.
    for fmt, content_type in (("xlsx", "spreadsheetml"), ("json", "json")):
        response = page.request.get(site.url(f"/organisationer/export.{fmt}?municipality=1881"))
        assert response.ok and content_type in response.headers["content-type"]
        assert "attachment" in response.headers.get("content-disposition", "")


def test_organisation_page_from_the_directory(site, e2e_data):
    site.goto("/organisationer/?q=vivalla")
    page = site.page
    site.follow(lambda: page.get_by_role("link", name="Vivalla Idrottsförening").click())
    assert page.url.endswith(f"/organisationer/{e2e_data.own_org.orgnr}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Vivalla Idrottsförening")
    facts = page.locator("dl.facts")
    expect(facts).to_contain_text(e2e_data.own_org.orgnr_display)
    expect(facts).to_contain_text("Ideell förening")
    expect(facts).to_contain_text("Örebro")
    # Anonymous visitors see no edit button and no contact persons.
    expect(page.get_by_role("link", name="Ändra")).to_have_count(0)
    expect(page.get_by_role("link", name="Kontaktpersoner")).to_have_count(0)
    site.follow(lambda: page.get_by_role("navigation", name="Brödsmulor").get_by_role("link").first.click())
    assert page.url.endswith("/organisationer/")


def test_names_are_listed_in_swedish_order(site):
    from civsam.core.collation import sort_key

    site.goto("/organisationer/?per_page=100&sort=name")
    names = result_names(site.page)
    assert len(names) == 47
    assert names == sorted(names, key=sort_key)
    # Å, Ä and Ö come last, in that order, whatever case the name starts with.
    initials = [name[0].upper() for name in names]
    tail = [i for i in initials if i in "ÅÄÖ"]
    assert tail == sorted(tail, key="ÅÄÖ".index)
    assert initials[len(initials) - len(tail) :] == tail


def test_a_broad_list_says_more_than_and_pages_within_the_cap(site, monkeypatch):
    from civsam.registry import paging

    # The live server runs in this process, so a lower cap shows what a broad search looks like.
    monkeypatch.setattr(paging, "COUNT_CAP", 30)
    site.goto("/organisationer/?per_page=20&sort=name")
    page = site.page
    expect(page.locator("#results .result-count")).to_have_text("Fler än 30 organisationer")
    pager = page.get_by_role("navigation", name="Sidnavigering")
    expect(pager).to_contain_text("Sida 1 av 2 bland de första 30")
    expect(page.locator("#results .result-note")).to_have_count(0)

    site.follow(lambda: pager.get_by_role("link", name="Nästa").click())
    expect(pager).to_contain_text("Sida 2 av 2 bland de första 30")
    assert len(result_names(page)) == 10
    expect(pager.get_by_role("link", name="Nästa")).to_have_count(0)
    expect(page.locator("#results .result-note")).to_contain_text("ladda ner hela listan")
    # The export still has every row.
    response = page.request.get(site.url("/organisationer/export.csv?sort=name"))
    rows = list(csv.DictReader(io.StringIO(response.text().lstrip("\ufeff"))))
    assert len(rows) == 47
