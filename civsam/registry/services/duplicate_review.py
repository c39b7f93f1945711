"""Possible duplicates: flagging similar names, and a person's decision on a pair."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civsam.core.models import AuditEntry
from civsam.core.services import audit_log

from .. import duplicates, permissions
from ..models import DuplicateCandidate, Organisation


def duplicates_detect(
    *, organisation_ids: Iterable[int] | None = None, municipality_ids: Iterable[int] | None = None
) -> int:
    """Flag pairs of similar names in the same municipality for review; returns new pairs flagged.

    With organisation_ids, only pairs involving those organisations are considered.
    """
    qs = Organisation.objects.all()
    if municipality_ids is not None:
        qs = qs.filter(municipality_id__in=list(municipality_ids))
    only = set(organisation_ids) if organisation_ids is not None else None
    by_municipality: dict[int, list[tuple[int, str]]] = {}
    for pk, name, municipality_id in qs.values_list("id", "name", "municipality_id").iterator(chunk_size=5000):
        by_municipality.setdefault(municipality_id, []).append((pk, name))
    candidates = []
    for items in by_municipality.values():
        for low, high, score in duplicates.similar_pairs(items, only_ids=only):
            candidates.append(DuplicateCandidate(first_id=low, second_id=high, similarity=score))
    created = DuplicateCandidate.objects.bulk_create(candidates, batch_size=2000, ignore_conflicts=True)
    return len(created) if candidates else 0


@transaction.atomic
def duplicate_resolve(*, actor, candidate: DuplicateCandidate, status: str) -> DuplicateCandidate:
    """Record a person's decision on a pair; the steps allowed are DuplicateCandidate.WORKFLOW."""
    if not permissions.can_resolve_duplicate(actor, candidate):
        raise PermissionDenied(_("Du får inte granska dubbletter i den här kommunen."))
    before = candidate.status
    DuplicateCandidate.WORKFLOW.action(before, status)  # a ValidationError for anything but a decision
    candidate.status = status
    candidate.reviewed_by = actor
    candidate.reviewed_at = timezone.now()
    candidate.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    audit_log(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=candidate,
        changes={"status": [before, status]},
        note=f"{candidate.first_id} ~ {candidate.second_id}",
    )
    return candidate
