"""The social-value part of "Min sida": the analyses waiting for the user's review, so that the
site shell needs only a template line."""

from django import template

from .. import permissions
from ..selectors import analyses_to_review

register = template.Library()

SHOWN = 10


@register.inclusion_tag("impact/_dashboard.html")
def analyses_to_review_panel(user) -> dict:
    if not getattr(user, "is_authenticated", False):
        return {"shown": False}
    waiting = list(analyses_to_review(user=user)[: SHOWN + 1])
    return {
        # Reviewers see the panel even when nothing waits, so that they know where their work appears.
        "shown": bool(waiting) or permissions.reviews_every_owner(user),
        "to_review": waiting[:SHOWN],
        "more": len(waiting) > SHOWN,
    }
