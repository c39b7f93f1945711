"""The funding app's parts of other apps' pages: the open calls an organisation may apply for,
shown on the organisation's page in the register (ADR 0055: the serving app provides the tag)."""

from __future__ import annotations

from django import template
from django.utils import timezone
from django.utils.translation import get_language

from .. import permissions, selectors, statistics

register = template.Library()


@register.inclusion_tag("funding/_open_calls_for.html", takes_context=True)
def open_calls_for(context, organisation):
    request = context.get("request")
    user = getattr(request, "user", None)
    today = timezone.localdate()
    applicant = selectors.organisation_for_eligibility(pk=organisation.pk)
    calls = selectors.calls_open_for(applicant, user=user, today=today) if applicant else []
    return {
        "organisation": organisation,
        "calls": [(c, selectors.call_window(c, today)) for c in calls],
        "can_subscribe": permissions.can_manage_call_subscriptions(user, organisation),
        "can_edit_account": permissions.can_edit_payment_account(user, organisation),
        "decisions": selectors.decisions_for_recipient(organisation, limit=5),
    }


@register.filter
def kronor(value, decimals: int = 0) -> str:
    """An amount or figure grouped in thousands as the active language writes it (statistics.number)."""
    return statistics.number(value, int(decimals), english=(get_language() or "sv").startswith("en"))


@register.filter
def lookup(mapping, key):
    """mapping[key], or None: for tables keyed by id (scores by criterion)."""
    return mapping.get(key) if mapping else None
