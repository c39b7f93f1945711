"""The grant register and its figures as files: CSV/XLSX/JSON columns and the 360Giving package."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from civsam.core.exports import Column

from . import statistics, threesixty
from .models import GrantDecision, GrantFigure, GrantForm

DECISION_COLUMNS = [
    Column("case_number", "diarienummer", lambda d: d.case_number),
    Column("funder", "bidragsgivare", lambda d: d.funder.name),
    Column("programme", "program", lambda d: d.programme_label),
    Column("recipient_orgnr", "organisationsnummer", lambda d: d.recipient.orgnr),
    Column("recipient", "mottagare", lambda d: d.recipient.name),
    Column("municipality", "kommun", lambda d: d.recipient_municipality.name),
    Column("legal_form", "juridisk form", lambda d: d.recipient_legal_form.code),
    Column("grant_form", "bidragsform", lambda d: d.grant_form),
    Column("amount_applied", "sökt belopp", lambda d: d.amount_applied),
    Column("amount_granted", "beviljat belopp", lambda d: d.amount_granted),
    Column("amount_paid", "utbetalt belopp", lambda d: d.amount_paid),
    Column("year_from", "från år", lambda d: d.year_from),
    Column("year_to", "till år", lambda d: d.year_to),
    Column("decision_date", "beslutsdatum", lambda d: d.decision_date.isoformat()),
    Column("purpose", "ändamål", lambda d: d.purpose),
]

FIGURE_COLUMNS = [
    Column("dimension", "dimension", lambda f: f.dimension),
    Column("key", "nyckel", lambda f: f.key),
    Column("label", "namn", lambda f: f.label),
    Column("year", "år", lambda f: f.year),
    Column("grant_form", "bidragsform", lambda f: f.grant_form),
    Column("decisions", "beslut", lambda f: f.decisions),
    Column("recipients", "mottagare", lambda f: f.recipients),
    Column("amount_granted", "beviljat", lambda f: f.amount_granted),
    Column("amount_paid", "utbetalt", lambda f: f.amount_paid),
    Column(
        "amount_per_inhabitant", "per invånare", lambda f: statistics.per_inhabitant(f.amount_granted, f.population)
    ),
    Column(
        "multi_year_share", "andel fleråriga (%)", lambda f: statistics.share(f.multi_year_amount, f.amount_granted)
    ),
    Column("recipients_previous", "mottagare året före", lambda f: f.recipients_previous),
    Column("recipients_retained", "av dem även i år", lambda f: f.recipients_retained),
    Column(
        "retained_share", "stabilitet (%)", lambda f: statistics.share(f.recipients_retained, f.recipients_previous)
    ),
]


def threesixty_prefix() -> str:
    return settings.CIVSAM.get("THREESIXTY_PREFIX", "360G-civsam")


def threesixty_package(request, decisions: Iterable[GrantDecision]) -> dict:
    """Decisions (with register relations loaded) as one 360Giving data package."""
    prefix = threesixty_prefix()
    grants = (
        threesixty.grant(
            d,
            prefix=prefix,
            url=request.build_absolute_uri(d.get_absolute_url()),
            grant_form_label=str(GrantForm(d.grant_form).label),
        )
        for d in decisions
    )
    return threesixty.package(
        grants,
        title=_("Bidragsregistret för %(region)s") % {"region": settings.CIVSAM["REGION_NAME"]},
        publisher=settings.CIVSAM["REGION_NAME"],
        website=request.build_absolute_uri("/"),
        issued=timezone.localdate(),
    )


def figures_for_export() -> Iterable[GrantFigure]:
    return GrantFigure.objects.order_by("dimension", "key", "year", "grant_form").iterator(chunk_size=2000)
