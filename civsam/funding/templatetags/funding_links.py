"""The plan's co-financing as template tags (ADR 0092): the initiative page lists its funding lines
and the plan's follow-up sums them per source and year, with one template line each, as the plan
never imports funding."""

from django import template

from civsam.core.exports import FORMATS

from ..selectors import co_financing_by_source_and_year, initiative_funding_lines

register = template.Library()


@register.inclusion_tag("funding/_initiative_funding_lines.html")
def initiative_funding(initiative) -> dict:
    return {"lines": list(initiative_funding_lines(initiative))}


@register.inclusion_tag("funding/_plan_co_financing.html")
def plan_co_financing(plan) -> dict:
    return {"rows": co_financing_by_source_and_year(plan=plan), "plan": plan, "formats": FORMATS}
