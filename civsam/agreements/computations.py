"""The plan's computed indicator "active IOPs" (code active-iops), counted from the agreements."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from civsam.plan.computations import Computation, Result


def active_iops(year: int) -> Result:
    """IOPs in force some day of the year: signed, begun by 31 December, not ended before 1 January."""
    from .models import Agreement

    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    count = (
        Agreement.objects.filter(kind=Agreement.Kind.IOP, status__in=Agreement.SIGNED, starts_on__lte=last)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=first))
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=first))
        .count()
    )
    return Result(Decimal(count), source=str(_("IOP-avtal registrerade i Civsam")))


COMPUTATIONS = [Computation("active-iops", _("Aktiva IOP-avtal"), _("antal"), active_iops)]
