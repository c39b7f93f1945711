"""Writes of an initiative's funding lines: the whole set replaced at once (ADR 0092)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from civsam.core.models import AuditEntry
from civsam.core.services import audit_log, model_diff

from .. import permissions
from ..models import FundingSource, InitiativeFundingLine
from ..models.cofinancing import FIRST_YEAR, LAST_YEAR


@dataclass(frozen=True)
class FundingLineData:
    source_id: int
    year: int
    amount: Decimal
    kind: str = InitiativeFundingLine.Kind.GRANTED


def _state(lines) -> list[str]:
    return [f"{line.source_id}/{line.year}/{line.kind}: {line.amount}" for line in lines]


def _row_errors(lines: list[FundingLineData], active: set[int], unchanged: set[int]) -> dict[str, list[str]]:
    """Errors keyed "lines.N.field" (N from 0) so a form or the API names the row."""
    errors: dict[str, list[str]] = {}
    seen: set[tuple[int, int, str]] = set()
    kinds = set(InitiativeFundingLine.Kind.values)

    def add(index: int, field: str, message: str) -> None:
        errors.setdefault(f"lines.{index}.{field}", []).append(message)

    for index, line in enumerate(lines):
        # A source deactivated later may stay on the lines that already name it, never on new ones.
        if line.source_id not in active and line.source_id not in unchanged:
            add(index, "source", _("Välj en aktiv finansieringskälla."))
        if not FIRST_YEAR <= line.year <= LAST_YEAR:
            add(
                index,
                "year",
                _("Ange ett år mellan %(first)s och %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR},
            )
        if line.amount < 0 or line.amount != line.amount.quantize(Decimal("0.01")) or line.amount >= Decimal(10**12):
            add(index, "amount", _("Ange ett belopp i kronor, noll eller mer, med högst två decimaler."))
        if line.kind not in kinds:
            add(index, "kind", _("Välj ett slag av finansiering."))
        key = (line.source_id, line.year, line.kind)
        if key in seen:
            add(index, "source", _("Samma källa, år och slag finns redan på en annan rad."))
        seen.add(key)
    return errors


@transaction.atomic
def initiative_funding_lines_set(
    *, actor=None, initiative, lines: list[FundingLineData]
) -> list[InitiativeFundingLine]:
    """Replace the initiative's funding lines. Each source must exist and be active (a line kept as it
    was may keep a source deactivated since); errors name the row. With an actor, the actor must be
    allowed to change the initiative."""
    if actor is not None and not permissions.can_set_initiative_funding(actor, initiative):
        raise PermissionDenied
    before = list(InitiativeFundingLine.objects.select_for_update().filter(initiative=initiative).order_by("id"))
    ids = {line.source_id for line in lines}
    active = set(FundingSource.objects.filter(pk__in=ids, is_active=True).values_list("pk", flat=True))
    existing = set(FundingSource.objects.filter(pk__in=ids).values_list("pk", flat=True))
    unchanged = {line.source_id for line in before} & existing
    errors = _row_errors(lines, active, unchanged)
    if errors:
        raise ValidationError(errors)
    InitiativeFundingLine.objects.filter(initiative=initiative).delete()
    created = InitiativeFundingLine.objects.bulk_create(
        InitiativeFundingLine(
            initiative=initiative, source_id=line.source_id, year=line.year, amount=line.amount, kind=line.kind
        )
        for line in lines
    )
    changes = model_diff({"funding_lines": _state(before)}, {"funding_lines": _state(created)})
    if changes:
        audit_log(actor=actor, action=AuditEntry.Action.UPDATE, obj=initiative, changes=changes)
    return created
