"""Printing a page from the browser: print.css hides the navigation, footer and buttons and
prints each link's address after it. axe-core checks every page visited (tests/e2e/conftest.py)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e

DISPLAY = "(selector) => getComputedStyle(document.querySelector(selector)).display"
AFTER = "(selector) => getComputedStyle(document.querySelector(selector), '::after').content"


def test_printed_page_keeps_the_content_and_shows_link_addresses(site, e2e_data):
    site.goto(f"/handlingsplaner/{e2e_data.plan_slug}/")
    page = site.page
    link = "main a[href^='/handlingsplaner/']"
    # On screen: the layout as usual, links without their address.
    assert page.evaluate(DISPLAY, ".site-header") != "none"
    assert page.evaluate(AFTER, link) in ("none", "normal")

    page.emulate_media(media="print")
    for selector in (".site-header", ".site-footer", ".breadcrumbs", ".skip-link", "header button"):
        assert page.evaluate(DISPLAY, selector) == "none", selector
    assert page.evaluate(DISPLAY, "main h1") != "none"
    # Chromium reports the rule either resolved (the address) or as written (attr(href)).
    href = page.locator(link).first.get_attribute("href")
    content = page.evaluate(AFTER, link)
    assert href in content or "attr(href)" in content, content
