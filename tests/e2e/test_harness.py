"""The browser harness itself: the accessibility check must catch what it claims to catch."""

from __future__ import annotations

import pytest

from .conftest import format_violations

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize(
    ("inject", "expected"),
    [
        ("document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\"/x.png\">')", "image-alt"),
        ("document.querySelector('main').insertAdjacentHTML('beforeend', '<input type=\"text\" name=\"x\">')", "label"),
        ("document.documentElement.removeAttribute('lang')", "html-has-lang"),
        (
            # Styled through the CSSOM: a style attribute would be blocked by the CSP.
            "() => { const p = document.createElement('p'); p.textContent = 'Ljusgrå text';"
            " p.style.color = '#bbb'; document.querySelector('main').append(p); }",
            "color-contrast",
        ),
    ],
)
def test_check_fails_on_a_violation(site, inject, expected):
    site.goto("/tillganglighet/")
    site.page.evaluate(inject)
    with pytest.raises(pytest.fail.Exception) as failure:
        site.check()
    assert expected in str(failure.value)
    assert "at " in str(failure.value)  # the offending element's selector is listed


def test_check_reports_csp_violations(site):
    site.goto("/")
    # An inline script is what the site's CSP forbids; the page must report it, not run it.
    site.page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.ran = 1';"
        " document.body.appendChild(s); }"
    )
    assert site.page.evaluate("window.ran === undefined")
    with pytest.raises(pytest.fail.Exception) as failure:
        site.check()
    assert "[csp] script-src" in str(failure.value)


def test_navigation_without_check_is_noticed(site):
    site.goto("/")
    assert site.unchecked() == []
    site.page.goto(site.url("/handlingsplaner/"))
    assert site.unchecked() == [site.url("/handlingsplaner/")]
    site.check()
    assert site.unchecked() == []


def test_violation_report_is_readable():
    report = format_violations(
        "http://testserver/x/",
        [
            {
                "id": "label",
                "impact": "critical",
                "help": "Form elements must have labels",
                "helpUrl": "https://dequeuniversity.com/rules/axe/4.11/label",
                "nodes": [{"target": "#id_q", "summary": "Fix any of the following:\n  no label"}],
            }
        ],
        ["script-src-elem blocked inline (x.js:1)"],
    )
    assert report.splitlines() == [
        "Accessibility check failed on http://testserver/x/:",
        "  [critical] label: Form elements must have labels (https://dequeuniversity.com/rules/axe/4.11/label)",
        "      at #id_q",
        "         no label",
        "  [csp] script-src-elem blocked inline (x.js:1)",
    ]
