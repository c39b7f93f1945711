"""Numbers in the page's language, and Swedish text marked on English pages (core/templatetags/language.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from civsam.core.templatetags.language import format_number, format_percent

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("value", "decimals", "sv", "en"),
    [
        (3000, None, f"3{NBSP}000", "3,000"),
        (308116, None, f"308{NBSP}116", "308,116"),
        (1234567.891, None, f"1{NBSP}234{NBSP}567,89", "1,234,567.89"),
        (50.83333, None, "50,83", "50.83"),
        (Decimal("1234.50"), 2, f"1{NBSP}234,50", "1,234.50"),
        (Decimal("1234.50"), 0, f"1{NBSP}235", "1,235"),
        (-3000.5, None, f"-3{NBSP}000,5", "-3,000.5"),
        (12, None, "12", "12"),
        ("7,5", None, "7,5", "7,5"),  # not a number: as it is
        (None, None, "", ""),
        (True, None, "True", "True"),  # a yes/no is not a number
    ],
)
def test_numbers_in_each_language(value, decimals, sv, en):
    with translation.override("sv"):
        assert format_number(value, decimals) == sv
    with translation.override("en"):
        assert format_number(value, decimals) == en


@pytest.mark.parametrize(
    ("value", "decimals", "sv", "en"),
    [
        (50.8, 1, f"50,8{NBSP}%", "50.8%"),
        (100, 0, f"100{NBSP}%", "100%"),
        (Decimal("3.456"), 2, f"3,46{NBSP}%", "3.46%"),
        (None, 0, "", ""),
    ],
)
def test_percentages_in_each_language(value, decimals, sv, en):
    with translation.override("sv"):
        assert format_percent(value, decimals) == sv
    with translation.override("en"):
        assert format_percent(value, decimals) == en


def render(source: str, language: str, **context) -> str:
    with translation.override(language):
        return Template("{% load language %}" + source).render(Context(context))


def test_filters_in_templates():
    source = "{{ n|number }} · {{ p|percent:1 }} · {{ share|fraction_percent:0 }} · {{ year }}"
    context = {"n": 3000, "p": 50.83, "share": 0.508, "year": 2026}
    # Years and other numbers that are not quantities are left alone.
    assert render(source, "sv", **context) == f"3{NBSP}000 · 50,8{NBSP}% · 51{NBSP}% · 2026"
    assert render(source, "en", **context) == "3,000 · 50.8% · 51% · 2026"


def test_swedish_text_is_marked_on_english_pages_only():
    source = "<p>{{ text|sv }}</p><h1{% lang_sv %}>{{ name }}</h1>"
    context = {"text": "Fotboll & friidrott", "name": "Vivalla IF"}
    assert render(source, "sv", **context) == "<p>Fotboll &amp; friidrott</p><h1>Vivalla IF</h1>"
    assert render(source, "en", **context) == (
        '<p><span lang="sv">Fotboll &amp; friidrott</span></p><h1 lang="sv">Vivalla IF</h1>'
    )
    # Nothing to mark: no empty span.
    assert render("{{ text|sv }}", "en", text="") == ""
    # What is already safe HTML stays HTML inside the span.
    assert render("{{ text|linebreaksbr|sv }}", "en", text="a\nb") == '<span lang="sv">a<br>b</span>'
