"""The officer's steps on an application (completion, reviewers, the decision) and the reviewers'
declarations and scores."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ...models import Application, ApplicationDecision, CallCriterion
from ...services import DecisionData, ScoreData
from .common import AMOUNT, DATE_INPUT

# --- The officer's steps ------------------------------------------------------------------------


class CompletionRequestForm(forms.Form):
    note = forms.CharField(label=_("Vad ska kompletteras?"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)


class AssignReviewerForm(forms.Form):
    reviewer = forms.ModelChoiceField(label=_("Bedömare"), queryset=None)

    def __init__(self, *args, reviewers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = reviewers
        self.fields["reviewer"].label_from_instance = lambda u: u.get_full_name() or u.username


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Beslut"), choices=ApplicationDecision.Outcome.choices, widget=forms.RadioSelect
    )
    amount_granted = forms.DecimalField(label=_("Beviljat belopp (kronor)"), help_text=_("0 vid avslag."), **AMOUNT)
    year_from = forms.IntegerField(label=_("Bidraget gäller från år"), min_value=2000, max_value=2200)
    year_to = forms.IntegerField(label=_("till och med år"), min_value=2000, max_value=2200)
    reasons = forms.CharField(label=_("Motivering"), widget=forms.Textarea(attrs={"rows": 6}), max_length=8000)
    conditions = forms.CharField(
        label=_("Villkor"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=8000,
        required=False,
        help_text=_("Till exempel vad pengarna får användas till och vad återrapporten ska innehålla."),
    )
    decision_maker = forms.ChoiceField(
        label=_("Beslutet fattades av"), choices=ApplicationDecision.Maker.choices, widget=forms.RadioSelect
    )
    decision_maker_name = forms.CharField(
        label=_("Nämnd eller delegat"),
        max_length=200,
        help_text=_("Nämndens namn, eller delegatens befattning vid delegationsbeslut."),
    )
    decision_date = forms.DateField(label=_("Beslutsdatum"), widget=DATE_INPUT)

    @classmethod
    def initial_for(cls, application: Application) -> dict:
        year = application.call.budget_year or timezone.localdate().year
        return {
            "amount_granted": application.amount_applied,
            "year_from": year,
            "year_to": year + application.years - 1,
            "decision_maker": ApplicationDecision.Maker.COMMITTEE,
            "decision_maker_name": application.call.programme.committee if application.call.programme else "",
            "decision_date": timezone.localdate(),
        }

    def decision_data(self) -> DecisionData:
        data = self.cleaned_data
        return DecisionData(
            outcome=data["outcome"],
            amount_granted=data["amount_granted"],
            reasons=data["reasons"],
            conditions=data["conditions"],
            decision_maker=data["decision_maker"],
            decision_maker_name=data["decision_maker_name"],
            decision_date=data["decision_date"],
            year_from=data["year_from"],
            year_to=data["year_to"],
        )


# --- Reviews ------------------------------------------------------------------------------------


class DeclarationForm(forms.Form):
    conflict = forms.TypedChoiceField(
        label=_("Är du jävig?"),
        choices=[("0", _("Nej, jag är inte jävig")), ("1", _("Ja, jag är jävig"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        help_text=_(
            "Du är jävig om du eller någon närstående har ett intresse i ansökan, till exempel sitter i den "
            "sökande organisationens styrelse, arbetar för den eller har en nära relation till någon i den."
        ),
    )
    note = forms.CharField(
        label=_("Om jävet"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ScoreForm(forms.Form):
    comment = forms.CharField(
        label=_("Sammanfattande kommentar"), required=False, max_length=8000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, criteria: list[CallCriterion], **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"score_{criterion.pk}"] = forms.TypedChoiceField(
                label=_("%(title)s, poäng 0–%(max)s") % {"title": criterion.title, "max": criterion.max_score},
                choices=[("", "—"), *[(str(n), str(n)) for n in range(criterion.max_score + 1)]],
                coerce=int,
                empty_value=None,
                required=False,
                help_text=criterion.description,
            )
            self.fields[f"note_{criterion.pk}"] = forms.CharField(
                label=_("Kommentar till %(title)s") % {"title": criterion.title},
                required=False,
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def score_data(self) -> list[ScoreData]:
        data = self.cleaned_data
        return [
            ScoreData(criterion_id=c.pk, score=data.get(f"score_{c.pk}"), comment=data.get(f"note_{c.pk}") or "")
            for c in self.criteria
        ]
