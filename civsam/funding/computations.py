"""The plan's computed indicators over the grant register, registered with the plan's
computation registry when the app is ready (ADR 0055). Amounts in SEK for a calendar year, a
multi-year grant counting with its yearly share, as in the grant statistics."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import DecimalField, ExpressionWrapper, F, Sum
from django.utils.translation import gettext_lazy as _

from civsam.plan.computations import Computation, Result, register

from .models import GrantDecision


def _granted_in(year: int, **conditions) -> Decimal | None:
    share = ExpressionWrapper(
        F("amount_granted") / (F("year_to") - F("year_from") + 1),
        output_field=DecimalField(max_digits=16, decimal_places=2),
    )
    total = GrantDecision.objects.filter(year_from__lte=year, year_to__gte=year, **conditions).aggregate(
        total=Sum(share)
    )["total"]
    return None if total is None else Decimal(total).quantize(Decimal("1"), rounding=ROUND_HALF_UP)


def grants_to_social_enterprises(year: int) -> Result:
    total = _granted_in(year, recipient__social_enterprise=True)
    if total is None:
        return Result(None, reason=str(_("Bidragsregistret har inga beslut till sociala företag för året.")))
    return Result(total, source=str(_("Civsams bidragsregister, mottagare märkta som sociala företag")))


def grants_to_civil_society(year: int) -> Result:
    total = _granted_in(year, recipient_legal_form__is_civil_society=True)
    if total is None:
        return Result(None, reason=str(_("Bidragsregistret har inga beslut för året.")))
    return Result(total, source=str(_("Civsams bidragsregister, mottagare med civilsamhällets juridiska former")))


COMPUTATIONS = (
    Computation(
        "grants-to-social-enterprises", _("Bidrag till sociala företag"), _("kr"), grants_to_social_enterprises
    ),
    Computation("grants-to-civil-society", _("Bidrag till civilsamhället"), _("kr"), grants_to_civil_society),
)


def register_computations() -> None:
    """Replaces the plan's "no data yet" placeholder with the same code."""
    for computation in COMPUTATIONS:
        register(computation)
