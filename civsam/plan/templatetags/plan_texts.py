"""The coordinator's plan texts on the pages: the active language's version, in the limited
formatting of plan/text_format.py (which escapes everything the writer typed)."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from .. import text_format

register = template.Library()


@register.filter
def plan_text(text, heading_level: int = 3) -> SafeString:
    """{{ text|plan_text }}: a PlanText (or None) as HTML; English when asked for and written."""
    if text is None:
        return mark_safe("")
    english = (get_language() or "sv").startswith("en") and text.body_en
    return mark_safe(text_format.to_html(text.body_en if english else text.body_sv, heading_level=heading_level))  # noqa: S308 - escaped by to_html


@register.filter
def formatted(source: str) -> SafeString:
    """{{ preview|formatted }}: a draft's text as it will be shown."""
    return mark_safe(text_format.to_html(source or ""))  # noqa: S308 - escaped by to_html
