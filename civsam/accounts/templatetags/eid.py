"""`{% eid_enabled as flag %}`: whether login with e-ID is configured, for the login page's button."""

from django import template

from civsam.accounts.eid.client import eid_enabled as _eid_enabled

register = template.Library()


@register.simple_tag
def eid_enabled() -> bool:
    return _eid_enabled()
