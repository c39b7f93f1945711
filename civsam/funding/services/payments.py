"""Writes to payments: an organisation's bankgiro or plusgiro, payment files of due instalments
for the finance system, and confirming them paid (which the register's paid amounts follow)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from civsam.core.models import AuditEntry
from civsam.core.services import audit_log
from civsam.registry.models import Organisation

from .. import giro, permissions
from ..models import Application, Funder, GrantDecision, Instalment, PaymentAccount, PaymentBatch, Recovery
from .applications import status_set

# An instalment is paid once its grant is decided and while its follow-up runs.
PAYABLE = (
    Application.Status.APPROVED,
    Application.Status.PARTLY_APPROVED,
    Application.Status.PAID,
    Application.Status.FOLLOW_UP_DUE,
    Application.Status.FOLLOW_UP_RECEIVED,
)


def _check(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


@transaction.atomic
def payment_account_set(*, actor, organisation: Organisation, kind: str, number: str) -> PaymentAccount:
    """Register where the organisation's grants are paid. The number's check digit must hold."""
    if actor is not None:
        _check(permissions.can_edit_payment_account(actor, organisation))
    try:
        digits = giro.normalise(kind, number)
    except giro.GiroError as exc:
        raise ValidationError({"number": str(exc)}) from exc
    account = PaymentAccount.objects.select_for_update().filter(organisation=organisation).first()
    before = str(account) if account else None
    if account is None:
        account = PaymentAccount(organisation=organisation)
    account.kind, account.number = kind, digits
    account.updated_by = actor if getattr(actor, "is_authenticated", False) else None
    account.full_clean(exclude=["organisation"])
    account.save()
    if before != str(account):
        audit_log(
            actor=actor,
            action=AuditEntry.Action.UPDATE if before else AuditEntry.Action.CREATE,
            obj=account,
            changes={"account": [before, str(account)]},
            note=f"organisation {organisation.pk}",
        )
    return account


def _instalment_set(instalment: Instalment, target: str, *, actor, note: str = "") -> None:
    """The one place an instalment's status changes, along Instalment.WORKFLOW."""
    before = instalment.status
    action = Instalment.WORKFLOW.action(before, target)
    instalment.status = target
    instalment.save()
    audit_log(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=instalment,
        changes={"status": [before, target]},
        note=f"{action}: {note}"[:300] if note else action,
    )


@transaction.atomic
def payment_batch_create(
    *, actor, funder: Funder, instalments: list[Instalment], today: datetime.date | None = None
) -> PaymentBatch:
    """A payment file of planned, due instalments of the funder's grants, each to the account its
    organisation has registered (as it is now). An organisation without a valid account is not
    paid: its instalment is refused with its name."""
    today = today or timezone.localdate()
    if actor is not None:
        _check(permissions.can_manage_funder(actor, funder))
    if not instalments:
        raise ValidationError(_("Välj minst en delbetalning."))
    rows = list(
        Instalment.objects.select_for_update(of=("self",))
        .select_related("application__organisation__payment_account", "application__call__source")
        .filter(pk__in=[i.pk for i in instalments])
        .order_by("pk")
    )
    problems = []
    for row in rows:
        application = row.application
        account = getattr(application.organisation, "payment_account", None)
        if application.call.source.funder_id != funder.pk:
            problems.append(_("%(case)s hör till en annan bidragsgivare.") % {"case": application.case_number})
        elif row.status != Instalment.Status.PLANNED:
            problems.append(
                _("%(case)s del %(n)s är inte planerad.") % {"case": application.case_number, "n": row.number}
            )
        elif row.due_date > today:
            problems.append(
                _("%(case)s del %(n)s betalas tidigast %(date)s.")
                % {"case": application.case_number, "n": row.number, "date": row.due_date.isoformat()}
            )
        elif application.status not in PAYABLE:
            problems.append(_("%(case)s är inte beviljad.") % {"case": application.case_number})
        elif account is None or not giro.is_valid(account.kind, account.number):
            problems.append(
                _("%(organisation)s har inget giltigt bankgiro eller plusgiro registrerat.")
                % {"organisation": application.organisation.name}
            )
    if problems:
        raise ValidationError(problems)
    batch = PaymentBatch.objects.create(
        funder=funder, created_by=actor if getattr(actor, "is_authenticated", False) else None
    )
    for row in rows:
        account = row.application.organisation.payment_account
        row.batch, row.account_kind, row.account_number = batch, account.kind, account.number
        _instalment_set(row, Instalment.Status.EXPORTED, actor=actor, note=f"batch {batch.pk}")
    audit_log(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=batch,
        changes={"instalments": [None, len(rows)], "amount": [None, str(sum(r.amount for r in rows))]},
    )
    return batch


def paid_amount(application: Application) -> Decimal:
    """Paid out less paid back."""
    paid = application.instalments.filter(status=Instalment.Status.PAID).aggregate(total=Sum("amount"))["total"]
    repaid = application.recoveries.filter(status=Recovery.Status.REPAID).aggregate(total=Sum("amount"))["total"]
    return (paid or Decimal(0)) - (repaid or Decimal(0))


def register_paid(application: Application) -> None:
    """The register shows what the recipient has been paid (and not paid back)."""
    grant_id = getattr(getattr(application, "decision", None), "grant_decision_id", None)
    if grant_id is not None:
        GrantDecision.objects.filter(pk=grant_id).update(
            amount_paid=paid_amount(application), updated_at=timezone.now()
        )


@transaction.atomic
def payment_batch_confirm(*, actor, batch: PaymentBatch, paid_on: datetime.date) -> PaymentBatch:
    """The finance system has paid the file: its instalments are paid, a grant's first payment
    moves its application to paid, and the register's paid amounts follow."""
    batch = PaymentBatch.objects.select_for_update().get(pk=batch.pk)
    if actor is not None:
        _check(permissions.can_handle_payment_batch(actor, batch))
    action = PaymentBatch.WORKFLOW.action(batch.status, PaymentBatch.Status.PAID)
    batch.status, batch.paid_on = PaymentBatch.Status.PAID, paid_on
    batch.save(update_fields=["status", "paid_on"])
    audit_log(
        actor=actor, action=AuditEntry.Action.UPDATE, obj=batch, changes={"status": ["exported", "paid"]}, note=action
    )
    application_ids = set()
    for row in batch.instalments.select_for_update().order_by("pk"):
        row.paid_on = paid_on
        _instalment_set(row, Instalment.Status.PAID, actor=actor, note=f"batch {batch.pk}")
        application_ids.add(row.application_id)
    for application in Application.objects.select_for_update().filter(pk__in=application_ids).order_by("pk"):
        if application.status in (Application.Status.APPROVED, Application.Status.PARTLY_APPROVED):
            status_set(application, Application.Status.PAID, actor=actor, note=f"batch {batch.pk}")
        register_paid(application)
    return batch


@transaction.atomic
def instalment_return(*, actor, instalment: Instalment) -> Instalment:
    """Take an instalment out of a file the finance system has not paid (a wrong account)."""
    instalment = Instalment.objects.select_for_update(of=("self",)).select_related("batch").get(pk=instalment.pk)
    if instalment.batch is None:
        raise ValidationError(_("Delbetalningen finns inte i någon utbetalningsfil."))
    if actor is not None:
        _check(permissions.can_handle_payment_batch(actor, instalment.batch))
    if instalment.batch.status != PaymentBatch.Status.EXPORTED:
        raise ValidationError(_("Filen är redan utbetald."))
    instalment.batch, instalment.account_kind, instalment.account_number = None, "", ""
    _instalment_set(instalment, Instalment.Status.PLANNED, actor=actor)
    return instalment
