"""Writes to the follow-up of grants: reports sent and reviewed, recovery (återkrav), closing, and
the reminders a daily job sends before and after a report is due."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from civsam.core.models import AuditEntry
from civsam.core.services import audit_log

from .. import permissions, rules
from ..models import Application, FollowUpReport, Instalment, Recovery, ReportRequirement
from .applications import locked, notify, status_set
from .payments import paid_amount, register_paid

# The reminder before a report is due goes this many days ahead; the one after, the day after.
REMIND_BEFORE_DAYS = 30
# A recipient reports while the follow-up runs; a grant paid reports before the officer asks.
REPORTABLE = (Application.Status.PAID, Application.Status.FOLLOW_UP_DUE)


def _check(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _requirement_set(requirement: ReportRequirement, target: str, *, actor, note: str = "") -> None:
    """The one place a report requirement's status changes, along ReportRequirement.WORKFLOW."""
    before = requirement.status
    action = ReportRequirement.WORKFLOW.action(before, target)
    requirement.status = target
    requirement.save(update_fields=["status"])
    audit_log(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=requirement,
        changes={"status": [before, target]},
        note=f"{action}: {note}"[:300] if note else action,
    )


@transaction.atomic
def followup_report_submit(*, actor, requirement: ReportRequirement, text: str, amount_used: Decimal) -> FollowUpReport:
    """The recipient's report on a year of the grant: what was done and what the money went to."""
    application = locked(requirement.application)
    requirement = ReportRequirement.objects.select_for_update().get(pk=requirement.pk)
    if actor is not None:
        _check(permissions.can_report_on_application(actor, application))
    if application.status not in REPORTABLE:
        raise ValidationError(_("Återrapporten kan lämnas när bidraget är utbetalt och uppföljningen pågår."))
    errors = {}
    if not text.strip():
        errors["text"] = _("Beskriv vad som har gjorts.")
    if amount_used is None or amount_used < 0:
        errors["amount_used"] = _("Ange hur mycket av bidraget som har använts.")
    if errors:
        raise ValidationError(errors)
    report = FollowUpReport.objects.create(
        requirement=requirement,
        text=text.strip(),
        amount_used=amount_used,
        submitted_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_log(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=report,
        changes={"amount_used": [None, str(amount_used)]},
        note=f"application {application.pk}",
    )
    _requirement_set(requirement, ReportRequirement.Status.RECEIVED, actor=actor)
    if application.status == Application.Status.PAID:
        status_set(application, Application.Status.FOLLOW_UP_DUE, actor=actor, note=_("återrapport lämnad"))
    status_set(application, Application.Status.FOLLOW_UP_RECEIVED, actor=actor, note=requirement.title)
    return report


@transaction.atomic
def followup_report_review(*, actor, report: FollowUpReport, approve: bool, comment: str = "") -> FollowUpReport:
    """The officer approves a report or returns it for completion. While reports remain owed (a
    returned one, or next year's), the application waits for them."""
    report = FollowUpReport.objects.select_for_update().select_related("requirement").get(pk=report.pk)
    application = locked(report.requirement.application)
    if actor is not None:
        _check(permissions.can_handle_application(actor, application))
    if report.verdict != FollowUpReport.Verdict.PENDING:
        raise ValidationError(_("Återrapporten är redan granskad."))
    if not approve and not comment.strip():
        raise ValidationError({"comment": _("Skriv vad som ska kompletteras.")})
    report.verdict = FollowUpReport.Verdict.APPROVED if approve else FollowUpReport.Verdict.RETURNED
    report.review_comment = comment.strip()
    report.reviewed_by = actor if getattr(actor, "is_authenticated", False) else None
    report.reviewed_at = timezone.now()
    report.save()
    requirement = ReportRequirement.objects.select_for_update().get(pk=report.requirement_id)
    _requirement_set(
        requirement,
        ReportRequirement.Status.APPROVED if approve else ReportRequirement.Status.OPEN,
        actor=actor,
        note=comment.strip(),
    )
    open_left = application.report_requirements.exclude(status=ReportRequirement.Status.APPROVED).exists()
    if open_left and application.status == Application.Status.FOLLOW_UP_RECEIVED:
        status_set(application, Application.Status.FOLLOW_UP_DUE, actor=actor, note=requirement.title)
    if not approve:
        with translation.override("sv"):
            notify(
                application,
                subject=_("Komplettera återrapporten för %(case)s") % {"case": application.case_number},
                lines=[_("Handläggaren ber er komplettera återrapporten:"), "", comment.strip()],
            )
    return report


@transaction.atomic
def recovery_claim(
    *,
    actor,
    application: Application,
    amount: Decimal,
    reason: str,
    explanation: str,
    due_date: datetime.date,
    today: datetime.date | None = None,
) -> Recovery:
    """Claim money back: unused, not accounted for, or used against the conditions. Never more
    than has been paid and not already claimed. Unpaid instalments are stopped."""
    application = locked(application)
    if actor is not None:
        _check(permissions.can_handle_application(actor, application))
    if application.status not in (
        Application.Status.PAID,
        Application.Status.FOLLOW_UP_DUE,
        Application.Status.FOLLOW_UP_RECEIVED,
    ):
        raise ValidationError(_("Återkrav gäller utbetalda bidrag under uppföljning."))
    claimed = application.recoveries.exclude(status=Recovery.Status.WAIVED).aggregate(total=Sum("amount"))[
        "total"
    ] or Decimal(0)
    paid = paid_amount(application) + (
        application.recoveries.filter(status=Recovery.Status.REPAID).aggregate(total=Sum("amount"))["total"]
        or Decimal(0)
    )
    errors = {}
    if amount is None or amount <= 0:
        errors["amount"] = _("Ange ett belopp större än noll.")
    elif amount > paid - claimed:
        errors["amount"] = _("Högst %(room)s kronor kan krävas tillbaka (utbetalt och inte redan krävt).") % {
            "room": rules.kronor(paid - claimed)
        }
    if reason not in Recovery.Reason.values:
        errors["reason"] = _("Välj ett skäl.")
    if not explanation.strip():
        errors["explanation"] = _("Skriv en motivering.")
    if errors:
        raise ValidationError(errors)
    recovery = Recovery.objects.create(
        application=application,
        amount=amount,
        reason=reason,
        explanation=explanation.strip(),
        due_date=due_date,
        decided_on=today or timezone.localdate(),
        decided_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_log(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=recovery,
        changes={"amount": [None, str(amount)], "reason": [None, reason]},
        note=f"application {application.pk}",
    )
    for instalment in application.instalments.select_for_update().filter(status=Instalment.Status.PLANNED):
        before = instalment.status
        Instalment.WORKFLOW.action(before, Instalment.Status.CANCELLED)
        instalment.status = Instalment.Status.CANCELLED
        instalment.save(update_fields=["status"])
        audit_log(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            obj=instalment,
            changes={"status": [before, Instalment.Status.CANCELLED]},
            note=f"cancel: recovery {recovery.pk}",
        )
    with translation.override("sv"):
        notify(
            application,
            subject=_("Återkrav av bidrag, %(case)s") % {"case": application.case_number},
            lines=[
                _("Bidraget ska betalas tillbaka med %(amount)s kronor senast %(date)s.")
                % {"amount": rules.kronor(amount), "date": due_date.isoformat()},
                "",
                str(recovery.get_reason_display()),
                recovery.explanation,
            ],
        )
    return recovery


@transaction.atomic
def recovery_settle(*, actor, recovery: Recovery, repaid: bool, on: datetime.date) -> Recovery:
    """The claimed money was paid back (the register's paid amount falls), or the claim was waived."""
    recovery = Recovery.objects.select_for_update().get(pk=recovery.pk)
    application = locked(recovery.application)
    if actor is not None:
        _check(permissions.can_handle_application(actor, application))
    target = Recovery.Status.REPAID if repaid else Recovery.Status.WAIVED
    before = recovery.status
    action = Recovery.WORKFLOW.action(before, target)
    recovery.status, recovery.settled_on = target, on
    recovery.save(update_fields=["status", "settled_on"])
    audit_log(
        actor=actor, action=AuditEntry.Action.UPDATE, obj=recovery, changes={"status": [before, target]}, note=action
    )
    register_paid(application)
    return recovery


@transaction.atomic
def application_close(*, actor, application: Application) -> Application:
    """Close a grant's follow-up: every report approved, or a recovery of what was not accounted
    for; and no claim left open."""
    application = locked(application)
    if actor is not None:
        _check(permissions.can_handle_application(actor, application))
    if application.recoveries.filter(status=Recovery.Status.CLAIMED).exists():
        raise ValidationError(_("Ett återkrav är inte reglerat än."))
    reports_done = not application.report_requirements.exclude(status=ReportRequirement.Status.APPROVED).exists()
    recovered = application.recoveries.filter(reason=Recovery.Reason.UNACCOUNTED).exists()
    if not reports_done and not recovered:
        raise ValidationError(
            _(
                "Alla återrapporter ska vara godkända, eller det som inte har redovisats krävas tillbaka, "
                "innan ärendet avslutas."
            )
        )
    status_set(application, Application.Status.CLOSED, actor=actor)
    return application


def followup_reminders_send(*, today: datetime.date | None = None) -> dict[str, int]:
    """The daily job: a grant whose next report is due within REMIND_BEFORE_DAYS moves to "follow-up
    due" and its recipient is reminded; a report past its date is reminded of the day after.
    Each reminder goes once. Returns how many of each were sent."""
    today = today or timezone.localdate()
    counts = {"before": 0, "after": 0}
    soon = today + datetime.timedelta(days=REMIND_BEFORE_DAYS)
    due = ReportRequirement.objects.filter(status=ReportRequirement.Status.OPEN).filter(
        due_date__lte=soon, reminded_before_on__isnull=True
    )
    for requirement_id in due.values_list("pk", flat=True):
        with transaction.atomic():
            requirement = ReportRequirement.objects.select_for_update().get(pk=requirement_id)
            application = locked(requirement.application)
            if requirement.reminded_before_on is not None or requirement.due_date < today:
                continue
            if application.status == Application.Status.PAID:
                status_set(application, Application.Status.FOLLOW_UP_DUE, actor=None, note=requirement.title)
            if application.status not in (Application.Status.FOLLOW_UP_DUE, Application.Status.FOLLOW_UP_RECEIVED):
                continue
            requirement.reminded_before_on = today
            requirement.save(update_fields=["reminded_before_on"])
            with translation.override("sv"):
                notify(
                    application,
                    subject=_("Påminnelse: återrapport för %(case)s senast %(date)s")
                    % {"case": application.case_number, "date": requirement.due_date.isoformat()},
                    lines=[
                        _("%(title)s ska lämnas senast %(date)s.")
                        % {"title": requirement.title, "date": requirement.due_date.isoformat()},
                        _("Beskriv vad som har gjorts och hur mycket av bidraget som har använts."),
                    ],
                )
            counts["before"] += 1
    late = ReportRequirement.objects.filter(
        status=ReportRequirement.Status.OPEN, due_date__lt=today, reminded_after_on__isnull=True
    )
    for requirement_id in late.values_list("pk", flat=True):
        with transaction.atomic():
            requirement = ReportRequirement.objects.select_for_update().get(pk=requirement_id)
            application = locked(requirement.application)
            if requirement.reminded_after_on is not None:
                continue
            if application.status == Application.Status.PAID:
                status_set(application, Application.Status.FOLLOW_UP_DUE, actor=None, note=requirement.title)
            if application.status not in (Application.Status.FOLLOW_UP_DUE, Application.Status.FOLLOW_UP_RECEIVED):
                continue
            requirement.reminded_after_on = today
            requirement.save(update_fields=["reminded_after_on"])
            with translation.override("sv"):
                notify(
                    application,
                    subject=_("Återrapporten för %(case)s är försenad") % {"case": application.case_number},
                    lines=[
                        _("%(title)s skulle ha lämnats senast %(date)s.")
                        % {"title": requirement.title, "date": requirement.due_date.isoformat()},
                        _("Lämna den så snart som möjligt. Pengar som inte redovisas kan krävas tillbaka."),
                    ],
                )
            counts["after"] += 1
    return counts
