"""The organisation's page (in the registry, which never imports agreements) lists its agreements
with one template line."""

from django import template
from django.contrib.auth.models import AnonymousUser

from .. import permissions, selectors

register = template.Library()


@register.inclusion_tag("agreements/_organisation_agreements.html", takes_context=True)
def agreements_for(context, organisation) -> dict:
    """The agreements the organisation is a party to that the viewer may see."""
    request = context.get("request")
    user = request.user if request is not None else AnonymousUser()
    visible = permissions.agreements_visible_to(user)
    return {"agreements": list(selectors.agreements_of_organisation(organisation, visible)[:20])}
