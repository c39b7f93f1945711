"""The links between meetings and the plan's initiatives, as template tags: the event page lists
the initiatives it belongs to, and the initiative page (in the plan, which never imports meetings)
lists its meetings with one template line."""

from django import template
from django.contrib.auth.models import AnonymousUser

from ..selectors import events_for_initiative, initiatives_for_event

register = template.Library()


@register.inclusion_tag("meetings/_event_initiatives.html")
def event_initiatives(event) -> dict:
    return {"initiatives": list(initiatives_for_event(event))}


@register.inclusion_tag("meetings/_initiative_events.html", takes_context=True)
def initiative_events(context, initiative) -> dict:
    """The initiative's meetings that the viewer may see."""
    request = context.get("request")
    user = request.user if request is not None else AnonymousUser()
    return {"events": list(events_for_initiative(user=user, initiative=initiative))}
