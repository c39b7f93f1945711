"""Forms of programmes and of a call's own form: programme, budget, questions and review criteria."""

from __future__ import annotations

import json
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from ...models import CallCriterion, CallField, Programme
from ...services import CallCriterionData, CallFieldData, ProgrammeData
from .common import AMOUNT

# --- Programmes and a call's form ---------------------------------------------------------------


class ProgrammeForm(forms.Form):
    name = forms.CharField(label=_("Namn"), max_length=200)
    description = forms.CharField(
        label=_("Beskrivning"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    committee = forms.CharField(label=_("Beslutande nämnd"), required=False, max_length=200)
    appeal_route = forms.ChoiceField(
        label=_("Hur besluten överklagas"), choices=Programme.AppealRoute.choices, widget=forms.RadioSelect
    )
    appeal_court = forms.CharField(label=_("Förvaltningsrätt"), max_length=200)
    report_due = forms.CharField(
        label=_("Återrapport senast"), max_length=5, help_text=_("Månad och dag året efter bidragsåret, t.ex. 03-31.")
    )
    durations = forms.CharField(
        label=_("Bidragstider i år"), max_length=40, help_text=_("Med komma emellan, t.ex. 1, 3.")
    )
    rules = forms.CharField(
        label=_("Villkor (JSON)"),
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false"}),
        max_length=20000,
        help_text=_("Villkoren som data. Se beskrivningen i dokumentationen; fel i dem visas här innan något sparas."),
    )

    @classmethod
    def initial_for(cls, programme: Programme) -> dict:
        return {
            "name": programme.name,
            "description": programme.description,
            "committee": programme.committee,
            "appeal_route": programme.appeal_route,
            "appeal_court": programme.appeal_court,
            "report_due": programme.report_due,
            "durations": ", ".join(str(y) for y in programme.durations),
            "rules": json.dumps(programme.rules, ensure_ascii=False, indent=2),
        }

    def clean_durations(self):
        try:
            return tuple(int(part) for part in self.cleaned_data["durations"].replace(" ", "").split(",") if part)
        except ValueError as exc:
            raise forms.ValidationError(_("Ange hela år med komma emellan.")) from exc

    def clean_rules(self):
        try:
            return json.loads(self.cleaned_data["rules"])
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(_("Villkoren är inte giltig JSON: %(error)s") % {"error": exc.msg}) from exc

    def programme_data(self) -> ProgrammeData:
        data = self.cleaned_data
        return ProgrammeData(
            name=data["name"],
            description=data["description"],
            committee=data["committee"],
            appeal_route=data["appeal_route"],
            appeal_court=data["appeal_court"],
            report_due=data["report_due"],
            durations=data["durations"],
            rules=data["rules"],
        )


class ProgrammeBudgetForm(forms.Form):
    year = forms.IntegerField(label=_("År"), min_value=2000, max_value=2200)
    amount = forms.DecimalField(label=_("Budget (kronor)"), **AMOUNT)


class CallFieldForm(forms.Form):
    label = forms.CharField(label=_("Fråga"), max_length=300)
    key = forms.SlugField(
        label=_("Nyckel"),
        max_length=60,
        help_text=_("Kort namn för svaret i exporter och API:et, t.ex. malgrupp. Bara a–z, siffror, - och _."),
    )
    kind = forms.ChoiceField(label=_("Typ av svar"), choices=CallField.Kind.choices)
    required = forms.BooleanField(label=_("Obligatorisk"), required=False)
    help_text = forms.CharField(label=_("Hjälptext"), required=False, max_length=500)
    choices = forms.CharField(
        label=_("Alternativ"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("För frågor med alternativ: ett per rad."),
    )

    @classmethod
    def initial_for(cls, field: CallField) -> dict:
        return {
            "label": field.label,
            "key": field.key,
            "kind": field.kind,
            "required": field.required,
            "help_text": field.help_text,
            "choices": "\n".join(field.choices),
        }

    def field_data(self) -> CallFieldData:
        data = self.cleaned_data
        return CallFieldData(
            key=data["key"],
            label=data["label"],
            kind=data["kind"],
            required=data["required"],
            help_text=data["help_text"],
            choices=tuple(line.strip() for line in data["choices"].splitlines() if line.strip()),
        )


class CallCriterionForm(forms.Form):
    title = forms.CharField(label=_("Kriterium"), max_length=200)
    description = forms.CharField(
        label=_("Beskrivning"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    max_score = forms.IntegerField(label=_("Högsta poäng"), min_value=1, max_value=100, initial=5)
    weight = forms.DecimalField(label=_("Vikt"), min_value=Decimal("0.01"), max_digits=4, decimal_places=2, initial=1)

    @classmethod
    def initial_for(cls, criterion: CallCriterion) -> dict:
        return {
            "title": criterion.title,
            "description": criterion.description,
            "max_score": criterion.max_score,
            "weight": criterion.weight,
        }

    def criterion_data(self) -> CallCriterionData:
        data = self.cleaned_data
        return CallCriterionData(
            title=data["title"], description=data["description"], max_score=data["max_score"], weight=data["weight"]
        )
