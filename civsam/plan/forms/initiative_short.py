"""The short initiative form: what a representative of an association needs to register an
initiative on one page; everything else can be added later in the full form."""

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from civsam.core.models import Municipality
from civsam.registry.models import Organisation

from .. import permissions
from ..models import InitiativeStatus, Plan, PriorityArea
from .widgets import DateInput


def plan_in_force() -> Plan | None:
    """The newest adopted plan (what the follow-up's entry point opens), else the newest plan."""
    return (
        Plan.objects.filter(status=Plan.Status.ADOPTED).order_by("-start_year").first()
        or Plan.objects.order_by("-start_year").first()
    )


class AreaChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: PriorityArea) -> str:
        return f"{obj.code} {obj.title} ({obj.focus_area.title})"


class InitiativeShortForm(forms.Form):
    title = forms.CharField(label=_("Vad heter insatsen?"), max_length=300)
    lead_organisation = forms.ModelChoiceField(
        label=_("Vilken organisation ansvarar?"), queryset=Organisation.objects.none(), empty_label=None
    )
    municipality = forms.ModelChoiceField(
        label=_("I vilken kommun genomförs den?"),
        queryset=Municipality.objects.none(),
        help_text=_("Fler kommuner kan läggas till senare."),
    )
    priority_area = AreaChoice(
        label=_("Vilket aktivitetsområde i handlingsplanen bidrar den till?"),
        queryset=PriorityArea.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
    )
    description = forms.CharField(
        label=_("Beskriv insatsen kort"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Några meningar: vad ni gör, för vilka och vad ni vill uppnå. Högst 1 000 tecken."),
    )
    start_date = forms.DateField(label=_("Startdatum"), widget=DateInput())
    end_date = forms.DateField(
        label=_("Slutdatum"),
        widget=DateInput(),
        required=False,
        help_text=_("Lämna tomt om insatsen pågår tills vidare."),
    )

    def __init__(self, *args, user, plan: Plan | None, requested_area: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        organisations = permissions.lead_organisations_for(user)
        self.fields["lead_organisation"].queryset = organisations
        areas = PriorityArea.objects.filter(focus_area__plan=plan) if plan is not None else PriorityArea.objects.none()
        if requested_area is not None:
            # "Registrera en insats här" on an area of another version of the plan keeps that area.
            areas = areas | PriorityArea.objects.filter(pk=requested_area)
        self.fields["priority_area"].queryset = areas.select_related("focus_area").order_by(
            "focus_area__number", "number"
        )
        self.fields["municipality"].queryset = Municipality.objects.filter(county_code="18").order_by("name_key")
        if not self.is_bound:
            only = list(organisations[:2])
            if len(only) == 1:
                self.initial.setdefault("lead_organisation", only[0].pk)
                self.initial.setdefault("municipality", only[0].municipality_id)
            if requested_area is not None:
                self.initial.setdefault("priority_area", requested_area)
            self.initial.setdefault("start_date", datetime.date.today())

    def clean(self):
        data = super().clean()
        if data.get("start_date") and data.get("end_date") and data["end_date"] < data["start_date"]:
            self.add_error("end_date", _("Slutdatumet kan inte vara före startdatumet."))
        return data

    def service_fields(self) -> dict:
        """The keyword arguments of services.initiative_create: a start in the future is planned, else ongoing."""
        data = self.cleaned_data
        code = "planned" if data["start_date"] > datetime.date.today() else "ongoing"
        return {
            "title": data["title"],
            "description": data["description"],
            "lead_organisation": data["lead_organisation"],
            "municipalities": [data["municipality"]],
            "priority_areas": [data["priority_area"]],
            "start_date": data["start_date"],
            "end_date": data["end_date"],
            "status": InitiativeStatus.objects.get(code=code),
        }
