"""Forms of what follows a grant: the payment account and batches, follow-up reports and
recoveries."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ... import giro
from ...models import PaymentAccount, Recovery
from .common import AMOUNT, DATE_INPUT

# --- Payments -----------------------------------------------------------------------------------


class PaymentAccountForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kontotyp"), choices=PaymentAccount.Kind.choices, widget=forms.RadioSelect)
    number = forms.CharField(
        label=_("Nummer"),
        max_length=20,
        help_text=_("Bankgiro skrivs 123-4567 eller 1234-5678, plusgiro 12345-6. Den sista siffran kontrolleras."),
    )

    def clean(self):
        data = super().clean()
        if data.get("kind") and data.get("number"):
            try:
                data["number"] = giro.normalise(data["kind"], data["number"])
            except giro.GiroError as exc:
                self.add_error("number", str(exc))
        return data


class BatchConfirmForm(forms.Form):
    paid_on = forms.DateField(label=_("Utbetalningsdag"), widget=DATE_INPUT)


# --- Follow-up ----------------------------------------------------------------------------------


class FollowUpReportForm(forms.Form):
    text = forms.CharField(
        label=_("Vad har ni gjort?"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=20000,
        help_text=_("Verksamheten eller projektet under året: vad ni gjorde, för vilka och vad det ledde till."),
    )
    amount_used = forms.DecimalField(label=_("Använt av bidraget (kronor)"), **AMOUNT)
    file = forms.FileField(
        label=_("Bilaga (till exempel ekonomisk redovisning)"),
        required=False,
        help_text=_("PDF, Word, Excel, PowerPoint, OpenDocument eller RTF, högst 10 MB."),
    )


class ReportReviewForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Granskning"),
        choices=[("1", _("Godkänn")), ("0", _("Skicka tillbaka för komplettering"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Kommentar"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class RecoveryForm(forms.Form):
    amount = forms.DecimalField(label=_("Belopp att betala tillbaka (kronor)"), **AMOUNT)
    reason = forms.ChoiceField(label=_("Skäl"), choices=Recovery.Reason.choices, widget=forms.RadioSelect)
    explanation = forms.CharField(label=_("Motivering"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)
    due_date = forms.DateField(label=_("Betalas senast"), widget=DATE_INPUT)


class RecoverySettleForm(forms.Form):
    repaid = forms.TypedChoiceField(
        label=_("Återkravet"),
        choices=[("1", _("är återbetalt")), ("0", _("efterskänks"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    on = forms.DateField(label=_("Datum"), widget=DATE_INPUT)
