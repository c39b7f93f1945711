"""The event page's list of initiatives, so that the meetings app needs only a template line."""

from django import template

from ..selectors.events import initiatives_for_event

register = template.Library()


@register.inclusion_tag("plan/_event_initiatives.html")
def event_initiatives(event) -> dict:
    return {"initiatives": list(initiatives_for_event(event))}
