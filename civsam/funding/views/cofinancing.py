"""The plan's co-financing per source and year as a download (ADR 0103), linked from the plan's
follow-up page beside the table."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import get_object_or_404

from civsam.core.exports import FORMATS, tabular_response
from civsam.plan.models import Plan

from ..plan_parts import CO_FINANCING_COLUMNS
from ..selectors import co_financing_by_source_and_year


@login_not_required
def plan_co_financing_export(request, slug: str, fmt: str):
    if fmt not in FORMATS:
        raise Http404
    plan = get_object_or_404(Plan, slug=slug)
    rows = co_financing_by_source_and_year(plan=plan)
    return tabular_response(fmt, CO_FINANCING_COLUMNS, rows, f"medfinansiering-{plan.slug}")
