"""What the application forms share: amount and date fields, the prefix of the call's questions and
the county's municipalities."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.conf import settings

from civsam.core.models import Municipality

AMOUNT = {"max_digits": 12, "decimal_places": 2, "min_value": Decimal(0)}
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ANSWER_PREFIX = "answer_"


def county_municipalities() -> list[tuple[str, str]]:
    return list(
        Municipality.objects.filter(county_code=settings.CIVSAM["COUNTY_CODE"])
        .order_by("name_key")
        .values_list("code", "name")
    )
