"""The decision that moves a plan one step: the deciding body, the date and the case number."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .. import case_numbers
from ..models import Plan
from .widgets import DateInput

ACTION_LABELS = {
    "consult": _("Skicka planen på remiss"),
    "adopt": _("Anta planen"),
    "supersede": _("Planen ersätts och upphör att gälla"),
}


class DecisionFieldsForm(forms.Form):
    """The decision's own fields, shared by the step form and the form that opens a consultation."""

    body = forms.CharField(
        label=_("Beslutande organ"), max_length=200, help_text=_("Till exempel Kulturnämnden eller Regionfullmäktige.")
    )
    decided_on = forms.DateField(label=_("Beslutsdatum"), widget=DateInput())
    case_number = forms.CharField(
        label=_("Diarienummer"), max_length=20, help_text=_("Regionens form, till exempel 24RS4154.")
    )

    def clean(self):
        data = super().clean()
        if data.get("case_number"):
            problem = case_numbers.problem(data["case_number"], decided_on=data.get("decided_on"))
            if problem:
                self.add_error("case_number", problem)
            else:
                data["case_number"] = case_numbers.normalise(data["case_number"])
        return data


class PlanDecisionForm(DecisionFieldsForm):
    action = forms.ChoiceField(label=_("Beslut"), widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Kommentar"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Till exempel paragrafen i protokollet eller vad beslutet säger utöver steget."),
    )

    field_order = ["action", "body", "decided_on", "case_number", "note"]

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["action"].choices = [
            (action, ACTION_LABELS.get(action, action)) for action in Plan.WORKFLOW.actions(plan.status)
        ]

    def target(self) -> str:
        return Plan.WORKFLOW.target_of(self.plan.status, self.cleaned_data["action"])


class PlanTextForm(forms.Form):
    body_sv = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 12}))
    body_en = forms.CharField(label=_("Text på engelska"), widget=forms.Textarea(attrs={"rows": 8}), required=False)
