"""Payments of grants: an organisation's bankgiro or plusgiro, the instalments of each grant, and
the payment files handed to the finance system."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from civsam.core.workflow import Workflow

from .. import giro
from .applications import Application
from .sources import Funder


class PaymentAccount(models.Model):
    """Where an organisation's grants are paid: its bankgiro or plusgiro number (check digit
    checked by giro.py). Kept by funding, beside the register's organisation, by those who act for
    it; a payment file takes the number as it is when the file is made."""

    class Kind(models.TextChoices):
        BANKGIRO = giro.BANKGIRO, _("Bankgiro")
        PLUSGIRO = giro.PLUSGIRO, _("Plusgiro")

    organisation = models.OneToOneField(
        "registry.Organisation", on_delete=models.CASCADE, related_name="payment_account"
    )
    kind = models.CharField(_("kontotyp"), max_length=10, choices=Kind.choices)
    number = models.CharField(_("nummer"), max_length=8)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("utbetalningskonto")
        verbose_name_plural = _("utbetalningskonton")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="bankgiro", number__regex=r"^[0-9]{7,8}$")
                | Q(kind="plusgiro", number__regex=r"^[0-9]{2,8}$"),
                name="payment_account_number_shape",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.display}"

    @property
    def display(self) -> str:
        return giro.display(self.kind, self.number)


class PaymentBatch(models.Model):
    """A payment file: the instalments sent to the finance system together, confirmed as paid."""

    class Status(models.TextChoices):
        EXPORTED = "exported", _("Skickad till ekonomi")
        PAID = "paid", _("Utbetald")

    WORKFLOW = Workflow.from_choices(Status, (Status.EXPORTED, Status.PAID, "confirm"))

    funder = models.ForeignKey(Funder, on_delete=models.PROTECT, related_name="payment_batches")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.EXPORTED)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    paid_on = models.DateField(_("utbetald"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("utbetalningsfil")
        verbose_name_plural = _("utbetalningsfiler")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=["exported", "paid"]), name="payment_batch_status_valid"),
            models.CheckConstraint(
                condition=~Q(status="paid") | Q(paid_on__isnull=False), name="payment_batch_paid_on"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.funder_id} {self.created_at:%Y-%m-%d} ({self.pk})"


class Instalment(models.Model):
    """A part of a grant, paid on or after its due date to the organisation's account."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planerad")
        EXPORTED = "exported", _("I utbetalningsfil")
        PAID = "paid", _("Utbetald")
        CANCELLED = "cancelled", _("Stoppad")

    WORKFLOW = Workflow.from_choices(
        Status,
        (Status.PLANNED, Status.EXPORTED, "export"),
        (Status.EXPORTED, Status.PLANNED, "return"),
        (Status.EXPORTED, Status.PAID, "confirm"),
        (Status.PLANNED, Status.CANCELLED, "cancel"),
    )

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="instalments")
    number = models.PositiveSmallIntegerField(_("delbetalning"))
    amount = models.DecimalField(_("belopp"), max_digits=14, decimal_places=2)
    due_date = models.DateField(_("tidigast"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    batch = models.ForeignKey(PaymentBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="instalments")
    account_kind = models.CharField(max_length=10, blank=True)
    account_number = models.CharField(max_length=8, blank=True)
    paid_on = models.DateField(_("utbetald"), null=True, blank=True)

    class Meta:
        ordering = ["application", "number"]
        verbose_name = _("delbetalning")
        verbose_name_plural = _("delbetalningar")
        constraints = [
            models.UniqueConstraint(fields=["application", "number"], name="instalment_unique_number"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="instalment_amount_positive"),
            models.CheckConstraint(
                condition=Q(status__in=["planned", "exported", "paid", "cancelled"]), name="instalment_status_valid"
            ),
            # In a file or paid: to the account the file named.
            models.CheckConstraint(
                condition=Q(status__in=["planned", "cancelled"]) | (Q(batch__isnull=False) & ~Q(account_number="")),
                name="instalment_sent_has_account",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_date"], name="instalment_status_due_idx")]

    def __str__(self) -> str:
        return f"{self.application} {self.number}"

    @property
    def account_display(self) -> str:
        return giro.display(self.account_kind, self.account_number)
