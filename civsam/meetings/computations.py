"""Computed indicators over meetings' data, registered with the plan's computation registry by
MeetingsConfig.ready(): the plan sits below the apps that serve it and never reads their tables."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civsam.plan.computations import Computation, Result

from .models import Registration


def network_meeting_participants(year: int, initiative_id: int | None = None) -> Result:
    """Confirmed registrations to network meetings of the year; on an initiative's own indicator,
    to the meetings linked to the initiative, network meetings or not."""
    confirmed = Registration.objects.filter(event__starts_at__year=year, status=Registration.Status.CONFIRMED)
    if initiative_id is None:
        count = confirmed.filter(event__network__isnull=False).count()
        return Result(Decimal(count), source=_("Bekräftade anmälningar till nätverksmöten i Civsam"))
    count = confirmed.filter(event__initiatives=initiative_id).count()
    return Result(Decimal(count), source=_("Bekräftade anmälningar till insatsens möten i Civsam"))


COMPUTATIONS = (
    Computation(
        "network-meeting-participants",
        gettext_lazy("Deltagare i nätverksmöten"),
        gettext_lazy("antal"),
        network_meeting_participants,
        per_initiative=True,
    ),
)
