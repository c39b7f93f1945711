"""The browser harness itself: the accessibility check must catch what it claims to catch."""

from __future__ import annotations

import pytest

from .conftest import REFLOW_WIDTH, format_reflow, format_violations

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


# Elements are styled through the CSSOM below: a style attribute would be blocked by the CSP.
WIDE_BLOCK = """() => {
  const wide = document.createElement('div');
  wide.className = 'e2e-wide';
  wide.textContent = 'Bred ruta';
  wide.style.width = '600px';
  document.querySelector('main').append(wide);
}"""
WIDE_TABLE_IN_REGION = """() => {
  const region = document.createElement('div');
  region.className = 'table-scroll';
  region.innerHTML = '<table class="data-table"><caption>Bred tabell</caption><tr><td>cell</td></tr></table>';
  region.querySelector('td').style.minWidth = '900px';
  document.querySelector('main').append(region);
}"""
# An absolutely positioned box whose static position lies 800 px in, inside a scroll container:
# unless the container is positioned, the box escapes it and widens the page.
ESCAPING_BOX = """(positioned) => {
  const region = document.createElement('div');
  region.style.overflowX = 'auto';
  if (positioned) region.style.position = 'relative';
  region.innerHTML = '<div><span class="spacer"></span><span class="e2e-escapee">långt ut</span></div>';
  region.firstChild.style.whiteSpace = 'nowrap';
  const spacer = region.querySelector('.spacer');
  spacer.style.display = 'inline-block';
  spacer.style.width = '800px';
  region.querySelector('.e2e-escapee').style.position = 'absolute';
  document.querySelector('main').append(region);
}"""


def test_reflow_check_fails_on_a_page_wider_than_a_phone(site):
    site.goto("/tillganglighet/")
    site.page.evaluate(WIDE_BLOCK)
    with pytest.raises(pytest.fail.Exception) as failure:
        site.check()
    message = str(failure.value)
    assert f"Reflow check failed on {site.url('/tillganglighet/')}" in message
    assert 'div.e2e-wide "Bred ruta"' in message  # the widest element is named
    # The test's own window is given back its size.
    assert site.page.viewport_size["width"] == 1280


def test_reflow_check_lets_a_wide_table_scroll_in_its_region(site):
    site.goto("/tillganglighet/")
    site.page.evaluate(WIDE_TABLE_IN_REGION)
    site.check()


@pytest.mark.parametrize(("positioned", "fails"), [(False, True), (True, False)])
def test_reflow_check_sees_what_escapes_a_scroll_container(site, positioned, fails):
    site.goto("/tillganglighet/")
    site.page.evaluate(ESCAPING_BOX, positioned)
    if fails:
        with pytest.raises(pytest.fail.Exception) as failure:
            site.check()
        assert "span.e2e-escapee" in str(failure.value)
    else:
        site.check()


def test_reflow_report_is_readable():
    report = format_reflow(
        "http://testserver/x/",
        {"viewport": 320, "scrollWidth": 633, "widest": ['td "Lång text": right edge at 633 px, 400 px wide']},
    )
    assert report.splitlines() == [
        f"Reflow check failed on http://testserver/x/: at {REFLOW_WIDTH} px wide the page is 633 px wide"
        " and scrolls sideways (WCAG 1.4.10). Widest elements:",
        '  td "Lång text": right edge at 633 px, 400 px wide',
    ]
