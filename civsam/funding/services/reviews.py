"""Writes to reviews: the officer assigns reviewers, each declares whether they are disqualified
(jäv) and, if not, scores the application against the call's criteria."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civsam.accounts import permissions as seam
from civsam.core.models import AuditEntry
from civsam.core.services import audit_log

from .. import permissions
from ..models import Application, ReviewAssignment, ReviewScore
from .applications import locked, status_set


def _check(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _assignment_set(assignment: ReviewAssignment, target: str, *, actor, note: str = "") -> None:
    """The one place an assignment's status changes, along ReviewAssignment.WORKFLOW."""
    before = assignment.status
    action = ReviewAssignment.WORKFLOW.action(before, target)
    assignment.status = target
    now = timezone.now()
    if action in ("declare_no_conflict", "declare_conflict"):
        assignment.declared_at = now
    if action == "submit":
        assignment.submitted_at = now
    if action == "reopen":
        assignment.submitted_at = None
    assignment.save()
    audit_log(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=assignment,
        changes={"status": [before, target]},
        note=f"{action}: {note}"[:300] if note else action,
    )


@transaction.atomic
def review_assign(*, actor, application: Application, reviewer) -> ReviewAssignment:
    """Assign a reviewer (a user with the reviewer role). An application sent in goes into review.
    Someone who represents the applicant is disqualified from the start and cannot be assigned."""
    application = locked(application)
    if actor is not None:
        _check(permissions.can_handle_application(actor, application))
    if application.status not in (Application.Status.SUBMITTED, Application.Status.IN_REVIEW):
        raise ValidationError(_("Bedömare kan tilldelas när ansökan är inskickad eller under bedömning."))
    if not seam.is_reviewer(reviewer):
        raise ValidationError({"reviewer": _("Personen har inte rollen bedömare.")})
    if seam.represents_organisation(reviewer, application.organisation):
        raise ValidationError({"reviewer": _("Personen företräder den sökande organisationen och är jävig.")})
    assignment = ReviewAssignment(
        application=application,
        reviewer=reviewer,
        assigned_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    try:
        with transaction.atomic():
            assignment.save()
    except IntegrityError as exc:
        raise ValidationError({"reviewer": _("Personen är redan bedömare av ansökan.")}) from exc
    audit_log(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=assignment,
        changes={"reviewer": [None, str(reviewer)]},
        note=f"application {application.pk}",
    )
    if application.status == Application.Status.SUBMITTED:
        status_set(application, Application.Status.IN_REVIEW, actor=actor, note=_("bedömare tilldelad"))
    return assignment


@transaction.atomic
def review_unassign(*, actor, assignment: ReviewAssignment) -> None:
    """Take a reviewer off an application, unless their review is already sent."""
    assignment = (
        ReviewAssignment.objects.select_for_update()
        .select_related("application__call__source__funder")
        .get(pk=assignment.pk)
    )
    if actor is not None:
        _check(permissions.can_handle_application(actor, assignment.application))
    if assignment.status == ReviewAssignment.Status.SUBMITTED or assignment.scores.exists():
        raise ValidationError(_("Bedömaren har redan satt poäng och kan inte tas bort."))
    audit_log(
        actor=actor,
        action=AuditEntry.Action.DELETE,
        obj=assignment,
        changes={"reviewer": [str(assignment.reviewer), None]},
        note=f"application {assignment.application_id}",
    )
    assignment.delete()


def _locked_assignment(assignment: ReviewAssignment) -> ReviewAssignment:
    return (
        ReviewAssignment.objects.select_for_update(of=("self",))
        .select_related("application__call__source__funder", "application__organisation")
        .get(pk=assignment.pk)
    )


@transaction.atomic
def review_declare(*, actor, assignment: ReviewAssignment, conflict: bool, note: str = "") -> ReviewAssignment:
    """The reviewer's declaration: disqualified (recused, takes no further part) or not."""
    assignment = _locked_assignment(assignment)
    if actor is not None:
        _check(permissions.can_act_on_review(actor, assignment))
    if conflict and not note.strip():
        raise ValidationError({"conflict_note": _("Beskriv kort varför du är jävig.")})
    assignment.conflict_note = note.strip()
    target = ReviewAssignment.Status.RECUSED if conflict else ReviewAssignment.Status.CLEARED
    _assignment_set(assignment, target, actor=actor, note=note.strip())
    if conflict:
        # A disqualified reviewer's scores, if any, take no part in the assessment.
        assignment.scores.all().delete()
    return assignment


@dataclass(frozen=True)
class ScoreData:
    criterion_id: int
    score: int | None
    comment: str = ""


@transaction.atomic
def review_scores_save(
    *, actor, assignment: ReviewAssignment, scores: list[ScoreData], comment: str
) -> ReviewAssignment:
    """Save the reviewer's scores (a score left empty is removed) and overall comment."""
    assignment = _locked_assignment(assignment)
    if actor is not None:
        _check(permissions.can_act_on_review(actor, assignment))
    if assignment.status != ReviewAssignment.Status.CLEARED:
        raise ValidationError(
            _("Poäng sätts efter att du har intygat att du inte är jävig, och innan du har lämnat bedömningen.")
        )
    if assignment.application.status != Application.Status.IN_REVIEW:
        raise ValidationError(_("Ansökan är inte under bedömning."))
    criteria = {c.pk: c for c in assignment.application.call.criteria.all()}
    errors = {}
    for item in scores:
        criterion = criteria.get(item.criterion_id)
        if criterion is None:
            errors[f"score_{item.criterion_id}"] = _("Okänt kriterium.")
        elif item.score is not None and not 0 <= item.score <= criterion.max_score:
            errors[f"score_{item.criterion_id}"] = _("Poängen ska vara 0–%(max)s.") % {"max": criterion.max_score}
    if errors:
        raise ValidationError(errors)
    before = {s.criterion_id: s.score for s in assignment.scores.all()}
    for item in scores:
        if item.score is None:
            ReviewScore.objects.filter(assignment=assignment, criterion_id=item.criterion_id).delete()
            continue
        ReviewScore.objects.update_or_create(
            assignment=assignment,
            criterion_id=item.criterion_id,
            defaults={"score": item.score, "comment": item.comment.strip()},
        )
    after = {s.criterion_id: s.score for s in assignment.scores.all()}
    changes = {
        f"criterion {key}": [before.get(key), after.get(key)]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }
    if comment.strip() != assignment.comment:
        changes["comment"] = [assignment.comment, comment.strip()]
        assignment.comment = comment.strip()
        assignment.save(update_fields=["comment"])
    if changes:
        audit_log(actor=actor, action=AuditEntry.Action.UPDATE, obj=assignment, changes=changes)
    return assignment


@transaction.atomic
def review_submit(*, actor, assignment: ReviewAssignment) -> ReviewAssignment:
    """Send the review: every criterion scored."""
    assignment = _locked_assignment(assignment)
    if actor is not None:
        _check(permissions.can_act_on_review(actor, assignment))
    if assignment.application.status != Application.Status.IN_REVIEW:
        raise ValidationError(_("Ansökan är inte under bedömning."))
    missing = assignment.application.call.criteria.exclude(scores__assignment=assignment)
    if missing.exists():
        raise ValidationError(
            _("Sätt poäng på alla kriterier först: %(list)s.") % {"list": ", ".join(c.title for c in missing)}
        )
    _assignment_set(assignment, ReviewAssignment.Status.SUBMITTED, actor=actor)
    return assignment


@transaction.atomic
def review_reopen(*, actor, assignment: ReviewAssignment) -> ReviewAssignment:
    """The officer opens a sent review again, for the reviewer to change."""
    assignment = _locked_assignment(assignment)
    if actor is not None:
        _check(permissions.can_handle_application(actor, assignment.application))
    if assignment.application.status != Application.Status.IN_REVIEW:
        raise ValidationError(_("Ansökan är inte under bedömning."))
    _assignment_set(assignment, ReviewAssignment.Status.CLEARED, actor=actor)
    return assignment
