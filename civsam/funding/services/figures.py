"""The grant statistics, computed from the register into GrantFigure by a job (ADR 0067).

A grant that runs over several years counts in each of its years with an equal share of the
amount: the money the recipient has to work with that year. A decision counts once per year it
covers; an organisation with two activity classes counts under both (the classes' sum exceeds
the county's total, which the page says).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Min, Sum
from django.utils import timezone, translation

from civsam.core.models import ActivityClass, LegalForm, Municipality
from civsam.registry.models import Organisation

from ..models import Funder, GrantDecision, GrantFigure

CENT = Decimal("0.01")
ALL_FORMS = ""
TOTAL_KEY = "all"
Dimension = GrantFigure.Dimension


@dataclass
class _Cell:
    decisions: int = 0
    amount: Decimal = Decimal(0)
    paid: Decimal = Decimal(0)
    multi_year: Decimal = Decimal(0)
    recipients: set[int] = field(default_factory=set)


def _round(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@transaction.atomic
def grant_figures_compute() -> int:
    """Recompute every figure from the register and replace the stored ones in one transaction,
    so that readers see the old figures or the new, never a mix. Returns the number of rows."""
    span = GrantDecision.objects.aggregate(first=Min("year_from"), last=Max("year_to"))
    now = timezone.now()
    with translation.override("sv"):
        labels = _labels()
    populations = dict(Municipality.objects.values_list("code", "population"))
    county_population = (
        Municipality.objects.filter(county_code=settings.CIVSAM["COUNTY_CODE"]).aggregate(total=Sum("population"))[
            "total"
        ]
        or None
    )
    classes_of = _activity_classes()
    codes = {
        "municipality": dict(Municipality.objects.values_list("pk", "code")),
        "legal_form": dict(LegalForm.objects.values_list("pk", "code")),
        "funder": dict(Funder.objects.values_list("pk", "slug")),
    }
    rows: list[GrantFigure] = []
    previous: dict[tuple[str, str], set[int]] = {}
    if span["first"] is not None:
        for year in range(span["first"], span["last"] + 1):
            cells = _year_cells(year, codes, classes_of)
            current: dict[tuple[str, str], set[int]] = {}
            for (dimension, key, form), cell in cells.items():
                if form == ALL_FORMS:
                    current[(dimension, key)] = cell.recipients
                before = previous.get((dimension, key), set()) if form == ALL_FORMS else set()
                population = populations.get(key) if dimension == Dimension.MUNICIPALITY else county_population
                rows.append(
                    GrantFigure(
                        dimension=dimension,
                        key=key,
                        label=labels.get((dimension, key), key)[:200],
                        year=year,
                        grant_form=form,
                        decisions=cell.decisions,
                        recipients=len(cell.recipients),
                        amount_granted=_round(cell.amount),
                        amount_paid=_round(cell.paid),
                        multi_year_amount=_round(cell.multi_year),
                        population=population,
                        recipients_previous=len(before),
                        recipients_retained=len(before & cell.recipients),
                        computed_at=now,
                    )
                )
            previous = current
    GrantFigure.objects.all().delete()
    GrantFigure.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def _year_cells(year: int, codes: dict[str, dict], classes_of: dict[int, list[str]]) -> dict[tuple, _Cell]:
    cells: dict[tuple, _Cell] = defaultdict(_Cell)
    decisions = (
        GrantDecision.objects.filter(year_from__lte=year, year_to__gte=year)
        .order_by()
        .values_list(
            "recipient_id",
            "recipient_municipality_id",
            "recipient_legal_form_id",
            "funder_id",
            "programme",
            "grant_form",
            "amount_granted",
            "amount_paid",
            "year_from",
            "year_to",
        )
    )
    for recipient, municipality, legal_form, funder, programme, form, granted, paid, first, last in decisions.iterator(
        chunk_size=5000
    ):
        years = last - first + 1
        amount = granted / years
        paid_share = (paid or Decimal(0)) / years
        keys = [
            (Dimension.TOTAL, TOTAL_KEY),
            (Dimension.MUNICIPALITY, codes["municipality"][municipality]),
            (Dimension.FUNDER, codes["funder"][funder]),
            (Dimension.PROGRAMME, programme or "–"),
            (Dimension.LEGAL_FORM, codes["legal_form"][legal_form]),
        ]
        keys += [(Dimension.ACTIVITY_CLASS, code) for code in classes_of.get(recipient, ())]
        for dimension, key in keys:
            for cell_form in (ALL_FORMS, form):
                cell = cells[(dimension, key, cell_form)]
                cell.decisions += 1
                cell.amount += amount
                cell.paid += paid_share
                if years > 1:
                    cell.multi_year += amount
                cell.recipients.add(recipient)
    return cells


def _activity_classes() -> dict[int, list[str]]:
    through = Organisation.activity_classes.through
    codes = dict(ActivityClass.objects.values_list("pk", "code"))
    result: dict[int, list[str]] = defaultdict(list)
    recipients = GrantDecision.objects.values("recipient_id")
    for organisation_id, class_id in (
        through.objects.filter(organisation_id__in=recipients)
        .values_list("organisation_id", "activityclass_id")
        .iterator()
    ):
        result[organisation_id].append(codes[class_id])
    return result


def _labels() -> dict[tuple[str, str], str]:
    labels: dict[tuple[str, str], str] = {(Dimension.TOTAL, TOTAL_KEY): str(Dimension.TOTAL.label)}
    labels.update(
        {(Dimension.MUNICIPALITY, code): name for code, name in Municipality.objects.values_list("code", "name")}
    )
    labels.update({(Dimension.FUNDER, slug): name for slug, name in Funder.objects.values_list("slug", "name")})
    labels.update({(Dimension.LEGAL_FORM, f.code): f.name_sv for f in LegalForm.objects.all()})
    labels.update({(Dimension.ACTIVITY_CLASS, a.code): a.name_sv for a in ActivityClass.objects.all()})
    return labels
