"""Numbers written the way the page's language writes them, and Swedish text marked as Swedish.

    {% load language %}
    {{ organisation_count|number }}         3 000 (Swedish), 3,000 (English)
    {{ amount|number:2 }}                   1 234,50 / 1,234.50
    {{ share_in_percent|percent:1 }}        50,8 % / 50.8%
    {{ fraction|fraction_percent:0 }}       0.508 → 51 % / 51%
    {{ organisation.description|sv }}       <span lang="sv">…</span> on pages that are not Swedish
    <h1{% lang_sv %}>{{ organisation.name }}</h1>   the same, as an attribute of an element

Swedish groups thousands with a space and writes a space before the per cent sign (Språkrådet);
both are non-breaking here, so that "3 000" or "50 %" never breaks over two lines. Django's
USE_THOUSAND_SEPARATOR would group every number in every template, years and ids in links
included, so grouping is asked for where a number is shown as a quantity.

Text that people write into Civsam (organisations' names and descriptions, initiatives, events)
and the plan's texts exist in Swedish only. On an English page they are marked lang="sv", so that
a screen reader reads them with a Swedish voice (WCAG 3.1.2).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django import template
from django.utils import formats, numberformat
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language

register = template.Library()

NBSP = "\u00a0"


def _swedish() -> bool:
    return (get_language() or "sv").split("-")[0] == "sv"


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None


def format_number(value: Any, decimals: int | None = None) -> str:
    """The number in the active language's format: grouped thousands (a non-breaking space in
    Swedish), its decimal separator, `decimals` places (None: whole numbers as they are, others
    with up to two places, trailing zeros dropped). Not a number: returned as it is, None as ""."""
    number = _decimal(value)
    if number is None:
        return "" if value is None else str(value)
    if decimals is None:
        if number == number.to_integral_value():
            decimals = 0
        else:
            number = number.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP).normalize()
            decimals = max(0, -int(number.as_tuple().exponent))
    number = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    # Plain string work for the two languages Civsam speaks: a table formats hundreds of numbers.
    text = f"{number:,.{decimals}f}"
    language = (get_language() or "sv").split("-")[0]
    if language == "en":
        return text
    if language == "sv":
        return text.replace(",", NBSP).replace(".", ",")
    return numberformat.format(
        number,
        formats.get_format("DECIMAL_SEPARATOR", language, use_l10n=True),
        decimal_pos=decimals,
        grouping=formats.get_format("NUMBER_GROUPING", language, use_l10n=True),
        thousand_sep=formats.get_format("THOUSAND_SEPARATOR", language, use_l10n=True),
        force_grouping=True,
    )


def format_percent(value: Any, decimals: int | None = 0) -> str:
    """A value in per cent: "50,8 %" in Swedish, "50.8%" in English."""
    text = format_number(value, decimals)
    if not text or _decimal(value) is None:
        return text
    return f"{text}{NBSP}%" if _swedish() else f"{text}%"


@register.filter
def number(value: Any, decimals: Any = None) -> str:
    return format_number(value, _places(decimals))


@register.filter
def percent(value: Any, decimals: Any = None) -> str:
    return format_percent(value, _places(decimals))


@register.filter
def fraction_percent(value: Any, decimals: Any = None) -> str:
    """A share between 0 and 1 as per cent: 0.508 → "51 %"."""
    share = _decimal(value)
    return format_percent(share * 100 if share is not None else value, _places(decimals))


def _places(decimals: Any) -> int | None:
    if decimals in (None, ""):
        return None
    try:
        return max(0, int(decimals))
    except (TypeError, ValueError):
        return None


@register.filter
def sv(value: Any) -> SafeString | Any:
    """Swedish text (user-entered, or the plan's) wrapped in <span lang="sv"> on a page in another
    language, escaped unless it is safe HTML already; on a Swedish page, the text as it is."""
    if value in (None, "") or _swedish():
        return value
    return format_html('<span lang="sv">{}</span>', value)


@register.simple_tag
def lang_sv() -> SafeString:
    """` lang="sv"` for an element whose content is Swedish, on a page in another language."""
    return SafeString("" if _swedish() else ' lang="sv"')
