"""The initiative page's list of published social-value analyses, so that the plan app needs only a template line."""

from django import template

from ..selectors import analyses_published_for_initiative

register = template.Library()


@register.inclusion_tag("impact/_initiative_analyses.html")
def initiative_analyses(initiative) -> dict:
    return {"analyses": list(analyses_published_for_initiative(initiative)[:50])}
